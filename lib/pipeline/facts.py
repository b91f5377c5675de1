"""The period's facts: every figure the book shows, computed once after validation.

:func:`compute` runs each chapter's model on the validated inputs and returns tidy tables
(:class:`Facts`); the build writes them as Parquet (and CSV) into the book's ``facts/`` folder with
their SHA-256 (:func:`write`), and every chapter notebook reads them (:func:`read`) and presents
them — no notebook loads the raw inputs or recomputes what another stage computed. The tables:

==========================  =====================================================================
measures                    ``catalogue``, ``measure_months``, ``measure_spc``, ``measure_period``
scorecard                   ``priority_summary``, ``movers``
compliance                  ``comparisons``, ``audits``, ``audit_period``, ``stop_search_people``
control room                ``fcr_*`` (requirement by hour of the week, roster, scenarios, forecast)
incident response           ``irt_*`` (requirement, pattern cover, establishment, attendance)
programme                   ``programme_*`` (items, status, milestones, overdue, changes)
the data                    ``data_*`` (sources, completeness, defects, rows per month)
==========================  =====================================================================
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib.cache import file_sha256 as sha256
from lib.chapters import CHAPTERS, REGISTRY, not_supplied_text
from lib.config.schema import Params
from lib.errors import BuildError
from lib.inputs.loading import Loaded
from lib.pipeline import reuse
from lib.pipeline.diff import COLUMNS, diff

MANIFEST = "manifest.json"


class Facts(Mapping):
    """The period's fact tables by name (a read-only mapping of DataFrames).

    A table may be given as a function that loads it (:func:`read` with ``lazy=True``): it is loaded on first
    use. ``read_names`` records every name asked for — read, or tested with ``in`` — so a stage or a notebook can
    say which facts it depends on (:mod:`lib.pipeline.reuse`).
    """

    def __init__(self, tables: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]]):
        self._tables = dict(tables)
        self.read_names: set[str] = set()

    def __getitem__(self, name: str) -> pd.DataFrame:
        self.read_names.add(name)
        try:
            value = self._tables[name]
        except KeyError:
            raise KeyError(f"no fact table {name!r}; there are: {', '.join(sorted(self._tables))}") from None
        if callable(value):
            value = self._tables[name] = value()
        return value

    def __contains__(self, name) -> bool:
        self.read_names.add(name)
        return name in self._tables

    def __iter__(self):
        self.read_names.update(self._tables)  # a reader that lists the tables depends on every one
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


WORKERS = 2  # chapters computed at once (the machine this is built for has two cores)
_SHARED: dict = {}  # what the forked workers inherit: the inputs, the params and the code fingerprint


def _upstream(name: str) -> set[str]:
    """Every chapter or stage whose facts ``name`` reads, directly or through another (its ``AFTER``, closed)."""
    seen, todo = set(), list(CHAPTERS[name].after)
    while todo:
        dep = todo.pop()
        if dep not in seen:
            seen.add(dep)
            todo.extend(CHAPTERS[dep].after)
    return seen


def _one(name: str, earlier: dict) -> tuple[dict, bool, float]:
    """One chapter's facts (in a worker, or in this process): the tables, whether reused, the seconds taken."""
    loaded, params, code = _SHARED["loaded"], _SHARED["params"], _SHARED["code"]
    chapter = CHAPTERS[name]
    started = time.perf_counter()
    if code is None:
        found, kept = chapter.facts(loaded, params, Facts(earlier)), False
    else:
        found, kept = reuse.chapter_facts(chapter, loaded, params, Facts(earlier), code)
    return found, kept, time.perf_counter() - started


def _pool(workers: int):
    """Workers forked from this process (so they share the validated inputs without copying them), or None where
    fork is not available or one worker is asked for."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def compute(params: Params, loaded: dict[str, Loaded], say: Callable[[str], None] = lambda m: None,
            code: str | None = None, workers: int = WORKERS) -> Facts:
    """Every fact of the period, chapter by chapter (:mod:`lib.chapters`), saying how long each took.

    A chapter starts as soon as every chapter it declares in ``AFTER`` is done, ``workers`` at a time, and sees
    only those chapters' tables (an undeclared read fails rather than depending on the order things finish in).
    A chapter whose inputs are not supplied computes nothing and says so; the ``chapters`` table records which
    ran, so every page asks the registry, not a table's name. Given the ``code`` fingerprint, a chapter's facts
    are taken from an earlier issue when nothing they read has changed (:mod:`lib.pipeline.reuse`)."""
    ran = [{"chapter": c.name, "supplied": c.supplied(loaded),
            "reason": "" if c.supplied(loaded) else not_supplied_text(c.name)} for c in REGISTRY]
    for row in ran:
        if not row["supplied"]:
            say(f"      facts: {row['chapter']}: {row['reason']}")
    pending = [row["chapter"] for row in ran if row["supplied"]]
    done = {row["chapter"] for row in ran if not row["supplied"]}
    produced: dict[str, dict[str, pd.DataFrame]] = {}
    reuse.forget()
    _SHARED.update(loaded=loaded, params=params, code=code)
    pool = _pool(workers)
    try:
        _schedule(pending, done, produced, pool, workers, say)
    finally:
        _SHARED.clear()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    tables = {name: frame for c in REGISTRY for name, frame in produced.get(c.name, {}).items()}
    tables["chapters"] = pd.DataFrame(ran)
    # Outside a build the version is not known; the build replaces these (with_version_changes).
    return with_version_changes(Facts(tables), None, None, "")


def _schedule(pending: list[str], done: set[str], produced: dict, pool, workers: int,
              say: Callable[[str], None]) -> None:
    """Run the ``pending`` chapters in the registry's order as their ``AFTER`` chapters finish."""
    from concurrent.futures import FIRST_COMPLETED, wait

    running: dict = {}
    while pending or running:
        for name in [n for n in pending if set(CHAPTERS[n].after) <= done][: max(workers - len(running), 0)]:
            pending.remove(name)
            earlier = {t: f for dep in _upstream(name) for t, f in produced.get(dep, {}).items()}
            running[pool.submit(_one, name, earlier) if pool is not None else _Now(_one(name, earlier))] = name
        if not running:
            raise BuildError(f"chapters waiting on each other's facts: {', '.join(pending)} (see AFTER in lib/chapters)")
        finished, _ = wait(running, return_when=FIRST_COMPLETED) if pool is not None else (set(running), None)
        for future in finished:
            name = running.pop(future)
            found, kept, seconds = future.result()
            produced[name] = found
            done.add(name)
            if found:
                say(f"      facts: {name} ({'unchanged: as computed before' if kept else f'{seconds:.1f} s'})")


class _Now:
    """A result already computed, shaped like a future (the one-worker path)."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """A table ready for Parquet: plain column names, text columns as strings, a fresh index."""
    out = frame.reset_index(drop=True).copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.CategoricalDtype):
            values = out[col]
            out[col] = values.where(values.isna(), values.astype(str)).astype("string")
    return out


def write(facts: Facts, folder: Path) -> dict[str, dict]:
    """Write every table as ``<name>.parquet`` and a spreadsheet-safe ``<name>.csv``; return the manifest
    (rows and SHA-256 of each file), also written as ``manifest.json``."""
    from lib.present.tables import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name in sorted(facts):
        frame = _clean(facts[name])
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), parquet, compression="zstd")
        write_csv(frame, csv)
        manifest[name] = {"rows": len(frame), "parquet_sha256": sha256(parquet), "csv_sha256": sha256(csv)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,80}")


def read(folder: Path, lazy: bool = False) -> Facts:
    """Read the facts a build wrote, each table checked against the SHA-256 its manifest records (with ``lazy``,
    when it is first used: a notebook reads only the tables it shows).

    Raises
    ------
    BuildError
        The folder has no manifest, or the manifest is malformed, names a table outside the folder, or a
        table whose file is missing or differs from what was written (the message names it).
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise BuildError(f"{folder}: no facts here (no {MANIFEST}); build the period first")
    try:
        names = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"{manifest}: not a facts manifest ({exc})") from None
    if not isinstance(names, dict):
        raise BuildError(f"{manifest}: not a facts manifest (a mapping of table names is expected)")
    tables = {}
    for name, entry in names.items():
        if not TABLE_NAME.fullmatch(str(name)):
            raise BuildError(f"{manifest}: table {str(name)[:60]!r}: not a fact table's name (lower-case letters, digits "
                             "and _): a manifest names only the tables beside it")
        recorded = entry.get("parquet_sha256") if isinstance(entry, dict) else None
        load = partial(_load, folder / f"{name}.parquet", recorded)
        tables[name] = load if lazy else load()
    return Facts(tables)


def _load(path: Path, recorded: str | None) -> pd.DataFrame:
    """One fact table, after checking its SHA-256 against the manifest's."""
    if not path.is_file() or recorded != sha256(path):
        raise BuildError(f"{path}: missing, or not the table its manifest records (SHA-256 differs); "
                         "the facts were changed after they were written")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds; each means "unreadable"
        raise BuildError(f"{path}: cannot be read as a fact table ({type(exc).__name__})") from None


def with_version_changes(facts: Facts, previous: Path | None, number: int | None, reason: str) -> Facts:
    """The facts plus ``version_changes`` (what differs from the previous version of the period, read from
    its published facts) and ``version_changes_meta`` (this version, the previous one, and why)."""
    tables = dict(facts)
    if previous is not None and (previous / "facts" / MANIFEST).is_file():
        tables["version_changes"] = diff(read(previous / "facts"), facts)
        prev_number = float(previous.name.lstrip("v"))
    else:
        tables["version_changes"] = pd.DataFrame(columns=COLUMNS)
        prev_number = float("nan")
    tables["version_changes_meta"] = pd.DataFrame([{"version": float("nan") if number is None else float(number),
                                                    "previous_version": prev_number, "reason": reason}])
    return Facts(tables)
