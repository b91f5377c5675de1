"""What chapter notebooks share: opening a period, and refreshing the committed outputs.

The notebooks in ``notebooks/`` are committed with the outputs of the default period on the demo
data so that reviewers can run ``pytest --nbval`` and see every stored number reproduced.
:func:`refresh` re-executes them in place with nbclient, without timing metadata, so a refresh
that changes nothing leaves git clean.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lib import ROOT
from lib.config.params import load_params
from lib.config.schema import Params
from lib.errors import BuildError, ParamsError
from lib.inputs.loading import load_all
from lib.pipeline.facts import Facts, compute, read


def open_period(params_path: str, period: str, facts_dir: str = "") -> tuple[Params, Facts]:
    """A chapter notebook's params and facts.

    In a build, ``facts_dir`` names the facts the build computed once, and the notebook reads them.
    Run on its own (papermill by hand, nbval), it computes them from the validated inputs.

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
    pd.set_option("display.width", 120)
    facts = read(Path(facts_dir), lazy=True) if facts_dir else cached_facts(params)
    return params, facts


def cached_facts(params: Params) -> Facts:
    """The facts of a period for a notebook run on its own: computed once per inputs, params and code
    (:mod:`lib.cache`), so running every chapter by hand, or nbval, computes them once."""
    import tempfile

    from lib import cache
    from lib.pipeline.facts import write
    from lib.pipeline.provenance import fingerprint_of

    key = fingerprint_of(params)
    hit = cache.entry("facts", key)
    if (hit / "manifest.json").is_file():
        try:
            return read(hit)  # each table checked against the SHA-256 its manifest records
        except BuildError:
            cache.discard(hit, "does not match what was written")
    facts = compute(params, load_all(params))
    try:
        tmp = cache.scratch("facts", key)
        write(facts, tmp)
        cache.commit(tmp, hit)
    except OSError:  # no cache: read them back from a temporary folder, as a build's notebooks do
        with tempfile.TemporaryDirectory() as folder:
            write(facts, Path(folder))
            return read(Path(folder))
    return read(hit)


IMAGES = ("image/png", "image/jpeg", "image/svg+xml")


def without_images(nb) -> None:
    """Drop figures' images from stored outputs: nbval does not compare them (each figure has its numbers in
    a table beside it), and committed images only bloat the history."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime in IMAGES:
                output.get("data", {}).pop(mime, None)


def refresh(say: Callable[[str], None] = print) -> list[Path]:
    """Re-execute every chapter notebook for the default period, storing outputs (without images) in place."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from lib.pipeline.book import chapter_notebooks
    from lib.pipeline.build import single_thread_blas

    single_thread_blas()
    done = []
    names = chapter_notebooks()
    for i, name in enumerate(names, 1):
        path = ROOT / f"{name}.ipynb"
        say(f"[{i}/{len(names)}] executing {name}.ipynb")
        nb = nbformat.read(path, as_version=4)
        # The kernel's start-up chatter ("running over TCP without encryption") is not progress: it goes to
        # nothing; a failing cell still fails here with its traceback.
        km = KernelManager(kernel_name="python3")
        with open(os.devnull, "w") as quiet:
            km.start_kernel(cwd=str(path.parent), stderr=quiet)
        try:
            NotebookClient(nb, km=km, record_timing=False, timeout=600,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            km.shutdown_kernel(now=True)
        without_images(nb)
        nbformat.write(nb, path)
        done.append(path)
    return done
