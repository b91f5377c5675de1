"""Provenance: exactly what a period's book was built from.

The provenance page is the only place in the book with anything time- or machine-dependent
(build date, duration, package versions); every other page depends on the inputs alone.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import platform
import subprocess
from pathlib import Path

import pandas as pd

from . import ROOT
from .params import Params, display_path

KEY_PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "papermill", "pandas", "numpy", "scipy",
                "statsmodels", "matplotlib", "seaborn", "pyarrow", "pydantic")


def sha256(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def git_state(root: Path = ROOT) -> tuple[str, bool | None]:
    """(commit, dirty) of the working tree; ('unknown', None) outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                capture_output=True, text=True, check=True).stdout
        return commit, bool(status.strip())
    except (OSError, subprocess.CalledProcessError):
        return "unknown", None


def versions() -> dict[str, str]:
    """Python and key package versions."""
    out = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def collect(params: Params, started: dt.datetime) -> dict:
    """Everything the provenance page shows, as a JSON-ready dict."""
    inputs = {}
    for source in type(params.inputs).model_fields:
        path = params.input_path(source)
        if path is not None:
            inputs[source] = {"file": display_path(path), "sha256": sha256(path), "bytes": path.stat().st_size}
    commit, dirty = git_state()
    return {
        "period": params.period,
        "params_file": display_path(params.source_file),
        "params": params.as_yaml(),
        "inputs": inputs,
        "git_commit": commit,
        "git_dirty": dirty,
        "versions": versions(),
        "build_started": started.isoformat(timespec="seconds"),
    }


PROVENANCE_INTRO = """# Provenance

What this book was built from. This page is the only one that depends on when and where the book
was built; every other page depends only on the parameters and the input files below."""


def page(info: dict, stage_seconds: dict[str, float]) -> list:
    """The provenance page: our prose, and every value as a table or a literal block."""
    from .present import table
    from .present.pages import Literal

    dirty = {True: "yes: built from uncommitted changes", False: "no", None: "unknown"}[info["git_dirty"]]
    build = pd.DataFrame([
        ("period", info["period"]),
        ("params file", info["params_file"]),
        ("git commit", info["git_commit"]),
        ("uncommitted changes", dirty),
        ("build started", info["build_started"]),
        ("time before the book was assembled", ", ".join(f"{k} {v:.1f} s" for k, v in stage_seconds.items())),
    ], columns=["item", "value"])
    inputs = pd.DataFrame([{"source": k, "file": v["file"], "bytes": v["bytes"], "SHA-256": v["sha256"]}
                           for k, v in info["inputs"].items()], columns=["source", "file", "bytes", "SHA-256"])
    software = pd.DataFrame(list(info["versions"].items()), columns=["package", "version"])
    return [
        PROVENANCE_INTRO,
        table(build, caption="This build", name="provenance-build"),
        "## Input files",
        table(inputs, caption="Input files and their SHA-256 fingerprints", name="provenance-inputs"),
        "## Software",
        table(software, caption="Software versions", name="provenance-software"),
        "## Parameters as used",
        Literal(info["params"]),
    ]
