"""Period parameters: one YAML file per reporting period, read and validated strictly before anything runs.

A period file (``params/2019-12.yml``) may name a shared defaults file with ``extends:``; its keys
override the defaults key by key. Paths to input files are relative to the params file that
names them. Validation (:mod:`lib.config.schema`) uses pydantic with ``extra="forbid"``: an unknown key, a
wrong type, an impossible date or a missing input file is one :class:`~lib.errors.ParamsError` whose message
names the file, the key, the value and what is allowed.

YAML dates are read as text (:mod:`lib.config.yamlfile`) so that an impossible date such as
``2019-02-30`` reaches the validator and gets a clear message instead of a YAML traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lib import ROOT
from lib.config.catalogue import load_catalogue
from lib.config.paths import GLOB_CHARS, ambiguity, beside_or_project, display_path, read_as
from lib.config.schema import PERIOD_RE, Inputs, Params
from lib.config.yamlfile import read_yaml
from lib.errors import ParamsError


def _absolute_paths(value, folder: Path):
    """An input's path(s) made absolute from ``folder`` (a path, a list, or a mapping with ``path``)."""
    def one(p):
        return str((folder / p).resolve()) if isinstance(p, str) and not Path(p).is_absolute() else p

    if isinstance(value, str):
        return one(value)
    if isinstance(value, list):
        return [one(p) for p in value]
    if isinstance(value, dict) and "path" in value:
        return {**value, "path": [one(p) for p in value["path"]] if isinstance(value["path"], list) else one(value["path"])}
    return value


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _has_key(data: dict, loc: tuple) -> bool:
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _allowed_keys(loc: tuple) -> list[str]:
    model: Any = Params
    for part in loc:
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = field.annotation
    return sorted(k for k in getattr(model, "model_fields", {}) if k != "source_file")


def _describe(error: dict, files: list[tuple[Path, dict]]) -> str:
    loc = tuple(str(p) for p in error["loc"])
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")  # shifts[0].name
    origin = next((p for p, data in files if _has_key(data, loc)), files[0][0])
    where = display_path(origin)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1]))
        return f"{where}: {key}: unknown key; allowed keys here: {allowed}"
    if kind == "missing":
        return f"{where}: {key}: required key is missing"
    msg = error["msg"].removeprefix("Value error, ")
    if "input" in error and loc:
        return f"{where}: {key} = {error['input']!r}: {msg}"
    return f"{where}: {msg}"


def _with_defaults(path: Path) -> tuple[dict, list[tuple[Path, dict]], dict]:
    """The period file's mapping, the files read (the period file first, then what it extends) and their merge,
    each relative path made absolute from the file that names it."""
    period_data = read_yaml(path)
    files = [(path, period_data)]
    merged = dict(period_data)
    parent = merged.pop("extends", None)
    if parent is None:
        return period_data, files, merged
    if not isinstance(parent, str):
        raise ParamsError(f"{display_path(path)}: extends = {parent!r}: must be the name of a params file")
    base_path = beside_or_project(path.parent, parent)
    base = read_yaml(base_path)
    if "extends" in base:
        raise ParamsError(f"{display_path(base_path)}: extends: a defaults file cannot extend another")
    files.append((base_path, base))
    merged = _merge(base, merged)
    # Input paths are relative to the file that names them.
    for source, value in list(merged.get("inputs", {}).items()):
        if not _has_key(period_data, ("inputs", source)):
            merged["inputs"][source] = _absolute_paths(value, base_path.parent)
    peers = merged.get("peers")
    if isinstance(peers, dict) and isinstance(peers.get("archive"), str) and not _has_key(period_data, ("peers", "archive")):
        merged["peers"] = {**peers, "archive": str((base_path.parent / peers["archive"]).resolve())}
    catalogue = merged.get("scorecard", {}).get("catalogue") if isinstance(merged.get("scorecard"), dict) else None
    if isinstance(catalogue, str) and not _has_key(period_data, ("scorecard", "catalogue")):
        merged["scorecard"]["catalogue"] = str((base_path.parent / catalogue).resolve())
    elif isinstance(catalogue, str):  # named by the period file: beside it, or the project's
        merged["scorecard"]["catalogue"] = str(beside_or_project(path.parent, catalogue))
    return period_data, files, merged


def _missing_files(params: Params, period_data: dict, files: list[tuple[Path, dict]]) -> list[str]:
    """A line for each input, catalogue or archive the params name that is not there (or is ambiguous)."""
    path = files[0][0]

    def origin(*loc: str) -> Path:
        return path if _has_key(period_data, loc) else files[-1][0]

    missing = []
    for source in Inputs.model_fields:
        for resolved in params.input_paths(source):
            kind, others = read_as(resolved)
            if kind in {"path", "pattern"}:
                continue
            what = ambiguity(resolved, others) if kind == "ambiguous" else (
                f"{display_path(resolved)!r}: " + ("no file matches this pattern" if GLOB_CHARS & set(str(resolved))
                                                   else "no such file or folder")
                + " (paths are relative to the params file; run `make demo-data` for the demo inputs)")
            missing.append(f"{display_path(origin('inputs', source))}: inputs.{source} = {what}")
    if not params.catalogue_path().is_file():
        missing.append(f"{display_path(origin('scorecard', 'catalogue'))}: scorecard.catalogue = "
                       f"{display_path(params.catalogue_path())!r}: file not found (the IMPACT measure catalogue, e.g. "
                       "params/measures.yml)")
    if params.peers is not None and not params.peers_archive().is_dir():
        missing.append(f"{display_path(origin('peers', 'archive'))}: peers.archive = "
                       f"{display_path(params.peers_archive())!r}: no such folder (a data.police.uk archive: "
                       "YYYY-MM/YYYY-MM-<force>-street.csv; run `make demo-data` for the demo's)")
    return missing


def load_params(path: str | Path) -> Params:
    """Read, merge and validate a period's params file.

    Parameters
    ----------
    path : str or Path
        The period file, e.g. ``params/2019-12.yml``; relative paths are taken from the current
        directory, then from the repository root.

    Returns
    -------
    Params

    Raises
    ------
    ParamsError
        The file is missing or malformed, a key is unknown or missing, a value has the wrong type
        or range, the dates disagree, or an input file does not exist.
    """
    path = Path(path)
    if not path.is_absolute() and not path.exists() and (ROOT / path).exists():
        path = ROOT / path
    path = path.resolve()
    period_data, files, merged = _with_defaults(path)
    try:
        params = Params(**merged, source_file=path)
    except ValidationError as exc:
        raise ParamsError("\n".join(_describe(e, files) for e in exc.errors())) from None
    except TypeError as exc:
        raise ParamsError(f"{display_path(path)}: {exc}") from None
    stem = path.stem
    if PERIOD_RE.match(stem) and stem != params.period:
        raise ParamsError(f"{display_path(path)}: period = {params.period!r}: must match the file name ({stem!r})")
    missing = _missing_files(params, period_data, files)
    if missing:
        raise ParamsError("\n".join(missing))
    _check_interventions(params, path if "interventions" in period_data else files[-1][0])
    return params


def _check_interventions(params: Params, origin: Path) -> None:
    """Each intervention names measures of the catalogue and a month from the history's first to the period."""
    if not params.interventions:
        return
    ids = [m.id for m in load_catalogue(params.catalogue_path())]
    first = params.history_start.strftime("%Y-%m")
    problems = []
    for i, item in enumerate(params.interventions):
        for mid in item.measures:
            if mid not in ids:
                problems.append(f"{display_path(origin)}: interventions[{i}].measures: {mid!r} is not a measure of "
                                f"{display_path(params.catalogue_path())} (ids: {', '.join(ids)})")
        if not first <= item.month <= params.period:
            problems.append(f"{display_path(origin)}: interventions[{i}].month = {item.month!r}: outside the data, "
                            f"which runs from history_start ({first}) to the period ({params.period})")
    if problems:
        raise ParamsError("\n".join(problems))
