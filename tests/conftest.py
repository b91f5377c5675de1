"""Shared fixtures: params files pointing at the demo data, and broken copies of them."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Property tests draw the same examples on every run and machine, so CI cannot pass or fail by luck.
settings.register_profile("forcebook", derandomize=True, print_blob=True)
settings.load_profile("forcebook")

from lib import ROOT
from lib.config.params import load_params
from lib.demo.world import OUT as DEMO

DEFAULT = ROOT / "params" / "2019-12.yml"


def pytest_configure(config):
    # What a run keeps for the analyst (rejected values, failed builds' logs) goes to a folder of the test
    # session, not the project's _private/.
    import os
    import tempfile

    os.environ.setdefault("FORCEBOOK_PRIVATE_DIR", tempfile.mkdtemp(prefix="forcebook-private-"))
    if not (DEMO / ".complete").exists():
        raise pytest.UsageError("demo data missing: run `make setup` (or `python -m lib demo-data`) first")


def write_params(folder: Path, name: str = "2019-12.yml", drop: tuple = (), **changes) -> Path:
    """Write a standalone params file (defaults merged in, absolute input paths) with changes.

    ``changes`` use ``__`` for nesting: ``inputs__contacts="x.csv"``, ``validation__on_row_error="fail"``.
    """
    params = load_params(DEFAULT)
    data = yaml.safe_load(params.as_yaml())
    data["inputs"] = {k: None if v is None else {**v, "path": [str(ROOT / p) for p in v["path"]]}
                      for k, v in data["inputs"].items()}
    data["scorecard"]["catalogue"] = str(ROOT / data["scorecard"]["catalogue"])
    if data.get("peers"):
        data["peers"]["archive"] = str(ROOT / data["peers"]["archive"])
    for key, value in changes.items():
        node = data
        *parents, leaf = key.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    for key in drop:
        node = data
        *parents, leaf = key.split("__")
        for part in parents:
            node = node[part]
        del node[leaf]
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def params_in(tmp_path):
    """A function writing a params file in tmp_path with the given changes."""
    return lambda **kw: write_params(tmp_path, **kw)


@pytest.fixture(scope="session")
def default_params():
    return load_params(DEFAULT)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One end-to-end build of 2019-11 (HTML, and PDF when TeX is installed) in a temporary _build."""
    from lib.pipeline import build as build_mod

    build_dir = tmp_path_factory.mktemp("build")
    mp = pytest.MonkeyPatch()
    mp.setattr(build_mod, "BUILD_DIR", build_dir)
    folder = build_mod.build(ROOT / "params" / "2019-11.yml", say=lambda m: None)
    mp.undo()
    return build_dir, folder, None


@pytest.fixture(scope="session")
def loaded(default_params):
    """The demo inputs of 2019-12, validated once for the session."""
    from lib.inputs.loading import load_all

    return load_all(default_params)


@pytest.fixture(scope="session")
def facts(default_params, loaded):
    """The facts of 2019-12 on the demo data, computed once for the session."""
    from lib.pipeline.facts import compute

    return compute(default_params, loaded)
