"""A re-issue redoes only what changed: each chapter's facts and executed notebook, reused when nothing it read changed.

What a chapter's facts depend on is not declared by hand (a missed input would publish a stale number): it
is *observed*. The facts stage hands each chapter its inputs and the facts before it through mappings that
record every name asked for (:class:`Recording`, :class:`lib.pipeline.facts.Facts`); a notebook's kernel
records the fact tables it read the same way, and the executor writes them down after the last cell. An
entry of the cache (:mod:`lib.cache`, sealed) is keyed by the chapter, the code (every file that builds the
book, and the key packages' versions: :func:`lib.pipeline.provenance.code_fingerprint`) and the params as
the chapter reads them (:func:`params_as_read`: all of them but the few only the cover or another chapter
reads), and holds what was read with the fingerprint it had: the SHA-256 of each input's files (or its
absence) and a digest of each fact table. It is reused only when every one of those is the same now;
anything else recomputes, and the entry is replaced.

A commentary file changed between two issues of a period therefore recomputes the exceptions chapter
(which reads it) and re-executes the notebooks that read the exceptions' facts; every other chapter's facts
and pages are taken as they were. Re-wording a decision asked of the board recomputes the summary alone (and,
as every new version, the page of what changed).
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from lib import cache
from lib.present.mimetypes import DOWNLOAD, TABLE

KIND_FACTS = "chapter-facts"
KIND_NOTEBOOK = "chapter-notebook"
DEPENDENCIES = "read.json"


class Recording(Mapping):
    """A read-only view of a mapping that records every key asked for (read or tested with ``in``); a reader
    that lists the keys (iterates, or asks how many) has asked for every one, and for the list itself."""

    def __init__(self, inner: Mapping):
        self._inner = inner
        self.asked: set[str] = set()
        self.listed = False

    def __getitem__(self, key):
        self.asked.add(key)
        return self._inner[key]

    def __contains__(self, key) -> bool:
        self.asked.add(key)
        return key in self._inner

    def __iter__(self):
        self.listed = True
        self.asked.update(self._inner)
        return iter(self._inner)

    def __len__(self) -> int:
        self.listed = True
        self.asked.update(self._inner)
        return len(self._inner)


def table_digest(frame: pd.DataFrame) -> str:
    """A digest of a fact table's content: its columns, their types and every value."""
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def input_digest(loaded: Mapping, source: str) -> str | None:
    """An input's fingerprint as used: its files' SHA-256 (None when it is not supplied)."""
    if source not in loaded:
        return None
    return cache.digest(*loaded[source].sha256)


def _key(kind: str, name: str, code: str, params_yaml: str) -> str:
    return cache.digest(kind, name, code, cache.digest(params_yaml))


# Params that only the book's cover or one chapter reads, and the chapters that read them: the title (the book
# stage's title page and PDF metadata), the force's name and the decisions asked of the board (the summary's page
# one). Every other chapter is keyed without them. tests/pipeline/test_reuse.py checks that no other module reads
# them; a params field added later is in every chapter's key until it is named here.
READ_ONLY_BY = {"title": (), "force_name": ("summary",), "board": ("summary",)}


def params_as_read(params, chapter: str) -> str:
    """The params a chapter's facts and executed notebook are keyed by: the params as used
    (``Params.as_yaml``), without those only the cover or other chapters read (:data:`READ_ONLY_BY`)."""
    data = yaml.safe_load(params.as_yaml())
    for field, readers in READ_ONLY_BY.items():
        if chapter not in readers:
            data.pop(field, None)
    return json.dumps(data, default=str)  # in the params' order: an order can be a table's (outcomes.groups)


def _dependencies(loaded: Mapping | None, facts: Mapping, inputs: set[str], tables: set[str],
                  listed: tuple[bool, bool] = (False, False)) -> dict:
    return {"inputs": {s: input_digest(loaded, s) for s in sorted(inputs)} if loaded is not None else {},
            "facts": {t: _digest_of(facts, t) for t in sorted(tables)},
            "input_names": sorted(loaded) if listed[0] else None, "fact_names": sorted(facts) if listed[1] else None}


_DIGESTS: dict[int, tuple[object, str]] = {}


def forget() -> None:
    """Drop the digests of an earlier run's tables (their objects are kept alive by this memo)."""
    _DIGESTS.clear()


def _digest_of(facts: Mapping, name: str) -> str | None:
    """A fact table's digest (None when there is none), each table object hashed once per run."""
    if name not in facts:
        return None
    frame = facts[name]
    known = _DIGESTS.get(id(frame))
    if known is None or known[0] is not frame:
        known = _DIGESTS[id(frame)] = (frame, table_digest(frame))
    return known[1]


def _still(recorded: dict, loaded: Mapping | None, facts: Mapping) -> bool:
    """True when every input and fact table an entry read has the fingerprint it had (and, where it listed them,
    the same inputs or tables are there)."""
    if recorded.get("input_names") is not None and sorted(loaded or {}) != recorded["input_names"]:
        return False
    if recorded.get("fact_names") is not None and sorted(facts) != recorded["fact_names"]:
        return False
    return all(input_digest(loaded, s) == d for s, d in recorded.get("inputs", {}).items()) and \
        all(_digest_of(facts, t) == d for t, d in recorded.get("facts", {}).items())


def chapter_facts(chapter, loaded: Mapping, params, earlier, code: str) -> tuple[dict, bool]:
    """A chapter's facts, and whether they were reused: from the cache when nothing it read changed, else
    computed (recording what it read) and kept for the next issue."""
    key = _key(KIND_FACTS, chapter.name, code, params_as_read(params, chapter.name))
    hit = cache.opened(KIND_FACTS, key, source=key)
    if hit is not None:
        try:
            recorded = json.loads((hit / DEPENDENCIES).read_text(encoding="utf-8"))
            if _still(recorded, loaded, earlier):
                return {name: pd.read_parquet(hit / f"{name}.parquet") for name in recorded["tables"]}, True
        except (OSError, ValueError, KeyError):  # an entry that cannot be used is recomputed
            pass
    inputs, before = Recording(loaded), Recording(earlier)
    # As they would be read back from the cache: a table's digest must not depend on whether it was reused.
    found = {name: _as_stored(frame) for name, frame in chapter.facts(inputs, params, before).items()}
    _keep(KIND_FACTS, key, found, {**_dependencies(loaded, earlier, inputs.asked, before.asked,
                                                   (inputs.listed, before.listed)),
                                   "tables": sorted(found)})
    return found, False


def _as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as Parquet stores it (its index dropped, its types as read back)."""
    return pd.read_parquet(io.BytesIO(frame.reset_index(drop=True).to_parquet(index=False)))


def _keep(kind: str, key: str, tables: dict, recorded: dict, files: dict[str, Path] | None = None) -> None:
    """Write a sealed cache entry (a cache that cannot be written is only slower)."""
    try:
        tmp = cache.scratch(kind, key)
        for name, frame in tables.items():
            frame.reset_index(drop=True).to_parquet(tmp / f"{name}.parquet", index=False)
        for name, path in (files or {}).items():
            shutil.copy2(path, tmp / name)
        (tmp / DEPENDENCIES).write_text(json.dumps(recorded, sort_keys=True), encoding="utf-8")
        cache.seal(tmp, source=key)
        target = cache.entry(kind, key)
        shutil.rmtree(target, ignore_errors=True)
        cache.commit(tmp, target)
    except (OSError, ValueError, TypeError):
        pass


def notebook_key(name: str, code: str, params_yaml: str) -> str:
    """The cache key of a chapter's executed notebook (its source is part of the code)."""
    return _key(KIND_NOTEBOOK, name, code, params_yaml)


def reuse_notebook(name: str, key: str, facts: Mapping, src: Path, tables_dir: Path) -> bool:
    """Put the notebook executed by an earlier issue in place (``src/<name>.ipynb``, and the CSV downloads it
    wrote) when every fact table it read is unchanged; True when done."""
    hit = cache.opened(KIND_NOTEBOOK, key, source=key)
    if hit is None:
        return False
    try:
        recorded = json.loads((hit / DEPENDENCIES).read_text(encoding="utf-8"))
        if not _still(recorded, None, facts):
            return False
        stem = Path(name).name
        shutil.copy2(hit / f"{stem}.ipynb", src / f"{name}.ipynb")
        tables_dir.mkdir(parents=True, exist_ok=True)
        for csv in recorded["csv"]:
            shutil.copy2(hit / csv, tables_dir / csv)
        return True
    except (OSError, ValueError, KeyError):
        return False


def keep_notebook(name: str, key: str, facts: Mapping, src: Path, tables_dir: Path, read: list[str]) -> None:
    """Keep an executed notebook, the CSV downloads it wrote and the fact tables it read, for the next issue."""
    executed = src / f"{name}.ipynb"
    csvs = [c for c in csv_downloads(executed) if (tables_dir / c).is_file()]
    files = {f"{Path(name).name}.ipynb": executed, **{c: tables_dir / c for c in csvs}}
    _keep(KIND_NOTEBOOK, key, {}, {**_dependencies(None, facts, set(), set(read)), "csv": csvs}, files)


def csv_downloads(notebook: Path) -> list[str]:
    """The file names of the CSV downloads an executed notebook's outputs offer (its tables' and downloads')."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []):
            for mime in (TABLE, DOWNLOAD):
                payload = output.get("data", {}).get(mime)
                if isinstance(payload, dict) and payload.get("csv"):
                    found.append(Path(payload["csv"]).name)
    return sorted(set(found))
