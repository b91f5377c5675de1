"""What chapter notebooks share: opening a period, and refreshing the committed outputs.

The notebooks in ``notebooks/`` are committed with the outputs of the default period on the demo
data so that reviewers can run ``pytest --nbval`` and see every stored number reproduced.
:func:`refresh` re-executes them in place with nbclient, without timing metadata, so a refresh
that changes nothing leaves git clean.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from lib import ROOT
from lib.errors import ParamsError
from lib.inputs.loading import Loaded, load_all
from lib.config.params import Params, load_params
from lib.present import setup_figures

DEFAULT_PARAMS = "params/2019-12.yml"


def open_period(params_path: str, period: str) -> tuple[Params, dict[str, Loaded]]:
    """Load and validate a period's params and inputs for a chapter notebook.

    Raises
    ------
    ParamsError
        The params are invalid, or name another period than the notebook's ``period`` parameter.
    DataError
        An input breaks its contract.
    """
    params = load_params(params_path)
    if params.period != period:
        raise ParamsError(f"{params_path}: period = {params.period!r} but the notebook was run for {period!r}")
    setup_figures()
    pd.set_option("display.width", 120)
    return params, load_all(params)


def refresh(say: Callable[[str], None] = print) -> list[Path]:
    """Re-execute every chapter notebook for the default period, storing outputs in place."""
    import nbformat
    from nbclient import NotebookClient

    from lib.pipeline.build import chapter_notebooks, single_thread_blas

    single_thread_blas()
    done = []
    names = chapter_notebooks()
    for i, name in enumerate(names, 1):
        path = ROOT / f"{name}.ipynb"
        say(f"[{i}/{len(names)}] executing {name}.ipynb")
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, kernel_name="python3", record_timing=False, timeout=600,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(nb, path)
        done.append(path)
    return done
