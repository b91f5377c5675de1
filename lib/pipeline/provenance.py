"""Provenance: exactly what a period's book was built from.

The provenance page is the only place in the book with anything time- or machine-dependent
(build date, duration, package versions); every other page depends on the inputs alone.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import platform
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from lib import ROOT
from lib.cache import file_sha256
from lib.config.paths import public_path
from lib.config.schema import Params

KEY_PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "papermill", "pandas", "numpy", "scipy",
                "statsmodels", "altair", "vl-convert-python", "pyarrow", "pydantic")


def sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    return file_sha256(path)


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


# What a book is built by: every file here counts as code for a version's fingerprint.
CODE_GLOBS = ("lib/**/*.py", "notebooks/*.ipynb", "book/*", "_static/*", "_config.yml", "_toc.yml")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=4)
def code_fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the code that builds the book (notebooks by their cell sources, not their outputs)
    and the key packages' versions: the same code gives the same fingerprint, committed or not."""
    import nbformat

    parts = []
    for path in sorted({p for pattern in CODE_GLOBS for p in root.glob(pattern) if p.is_file()}):
        if path.suffix == ".ipynb":
            content = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
        else:
            content = path.read_bytes().hex()
        parts.append(f"{path.relative_to(root).as_posix()}:{_digest(content)}")
    parts += [f"{k}={v}" for k, v in versions().items()]
    return _digest(*parts)


def fingerprint(inputs: dict, params_yaml: str) -> dict[str, str]:
    """A build's identity: the inputs' SHA-256, the params as used and the code (each, and all three)."""
    out = {"inputs": _digest(*(f"{k}:{v['sha256']}" for k, v in sorted(inputs.items()))),
           "params": _digest(params_yaml), "code": code_fingerprint()}
    out["total"] = _digest(out["inputs"], out["params"], out["code"])
    return out


def inputs_info(params: Params, loaded: dict | None = None) -> dict[str, dict]:
    """Each source's files as published — name, SHA-256 and size — and one SHA-256 over them all. Given the
    loaded inputs, the SHA-256 are those of the files as they were read and validated (the cache is used
    only when it matches them), so the page states the fingerprints of what the numbers came from."""
    from lib.inputs.contracts import CONTRACTS
    from lib.inputs.reading import expand

    inputs = {}
    for source in params.supplied():
        if loaded is not None and source in loaded:
            item = loaded[source]
            files = [{"file": public_path(f), "sha256": digest, "bytes": f.stat().st_size}
                     for f, digest in zip(item.files, item.sha256)]
        else:
            contract = CONTRACTS["tracker" if source.startswith("tracker") else source]
            files = [{"file": public_path(f), "sha256": sha256(f), "bytes": f.stat().st_size}
                     for f in expand(params.input_paths(source), contract, source)]
        digest = files[0]["sha256"] if len(files) == 1 else _digest(*(f["sha256"] for f in files))
        inputs[source] = {"file": files[0]["file"] if len(files) == 1 else f"{len(files)} files", "sha256": digest,
                          "bytes": sum(f["bytes"] for f in files), "files": files}
    return inputs


def fingerprint_of(params: Params) -> str:
    """The identity of a build of these params: inputs, params as used and code (:func:`fingerprint`)."""
    return fingerprint(inputs_info(params), params.as_yaml())["total"]


def collect(params: Params, started: dt.datetime, loaded: dict | None = None) -> dict:
    """Everything the provenance page shows, as a JSON-ready dict."""
    inputs = inputs_info(params, loaded)
    commit, dirty = git_state()
    used = params.as_yaml()
    return {
        "period": params.period,
        "force": params.force.model_dump(),
        "force_name": params.force_name,
        "params_file": public_path(params.source_file),
        "params": used,
        "inputs": inputs,
        "fingerprint": fingerprint(inputs, used),
        "git_commit": commit,
        "git_dirty": dirty,
        "versions": versions(),
        "build_started": started.isoformat(timespec="seconds"),
    }


def _flat(data, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flat(value, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): data}


def changes(previous: dict | None, info: dict) -> str:
    """One line on what differs from the previous version: which inputs, which params, the code."""
    if previous is None:
        return "first version"
    parts = []
    before, after = previous.get("inputs", {}), info["inputs"]
    sources = sorted(k for k in set(before) | set(after) if before.get(k, {}).get("sha256") != after.get(k, {}).get("sha256"))
    if sources:
        parts.append("inputs changed: " + ", ".join(sources))
    old, new = _flat(yaml.safe_load(previous.get("params", "") or "{}")), _flat(yaml.safe_load(info["params"]))
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k) and not k.startswith("inputs."))
    if keys:
        parts.append("params changed: " + ", ".join(keys[:6]) + (f" and {len(keys) - 6} more" if len(keys) > 6 else ""))
    if previous.get("fingerprint", {}).get("code") != info["fingerprint"]["code"]:
        parts.append("code changed")
    return "; ".join(parts) or "rebuilt from the same inputs, params and code"


PROVENANCE_INTRO = """# Provenance

What this book was built from. This page is the only one that depends on when and where the book
was built; every other page depends only on the parameters and the input files below."""


def grouped_digest(digest: str) -> str:
    """A SHA-256 as shown on the page: four groups of 16 hex digits, so a printed table can wrap it (the
    CSV download carries it whole)."""
    return " ".join(digest[i:i + 16] for i in range(0, len(digest), 16))


def page(info: dict, stage_seconds: dict[str, float]) -> list:
    """The provenance page: our prose, and every value as a table or a literal block."""
    from lib.present import table
    from lib.present.pages import Literal
    from lib.present.tables import Links

    dirty = {True: "yes: built from uncommitted changes", False: "no", None: "unknown"}[info["git_dirty"]]
    build = pd.DataFrame([
        ("period", info["period"]),
        ("version", f"{info['period']} version {info['version']}"),
        ("what changed since the previous version", info["changes"]),
        ("params file", info["params_file"]),
        ("git commit", info["git_commit"]),
        ("uncommitted changes", dirty),
        ("build started", info["build_started"]),
        ("time before the book was assembled", ", ".join(f"{k} {v:.1f} s" for k, v in stage_seconds.items())),
    ], columns=["item", "value"])
    inputs = pd.DataFrame([{"source": k, "file": f["file"], "bytes": f["bytes"], "SHA-256": f["sha256"]}
                           for k, v in info["inputs"].items() for f in v["files"]],
                          columns=["source", "file", "bytes", "SHA-256"])
    software = pd.DataFrame(list(info["versions"].items()), columns=["package", "version"])
    facts = pd.DataFrame([{"fact table": name, "rows": f["rows"], "Parquet SHA-256": f["parquet_sha256"]}
                          for name, f in info.get("facts", {}).items()], columns=["fact table", "rows", "Parquet SHA-256"])
    links = Links([(name, [("Parquet", f"../facts/{name}.parquet"), ("CSV", f"../facts/{name}.csv")])
                   for name in info.get("facts", {})],
                  "In the web edition, every fact table can be downloaded from this page as Parquet and as CSV.")
    return [
        PROVENANCE_INTRO,
        table(build, caption="This build", name="provenance-build"),
        "## Input files",
        table((inputs.assign(**{"SHA-256": inputs["SHA-256"].map(grouped_digest)}), inputs),
              caption="Input files and their SHA-256 fingerprints", name="provenance-inputs"),
        "## Software",
        table(software, caption="Software versions", name="provenance-software"),
        "## Facts",
        "Every figure in this book was computed once, into these tables, and every page reads them "
        "(see {doc}`../notebooks/data`). Their fingerprints identify this version's numbers exactly.",
        table((facts.assign(**{"Parquet SHA-256": facts["Parquet SHA-256"].map(grouped_digest)}), facts),
              caption="The period's fact tables and their SHA-256 fingerprints", name="provenance-facts"),
        links,
        "## Parameters as used",
        Literal(info["params"]),
    ]
