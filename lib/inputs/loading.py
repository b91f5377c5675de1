"""Loading input files and checking them against their contracts (:mod:`lib.inputs.contracts`).

A source may be several files (:mod:`lib.inputs.reading` finds them); each is checked, then they
are put together. A missing or unknown column fails the load, except a force-only column, which
may be absent from the files (data.police.uk does not publish it): the source then records it as
not supplied, and the measures that need it say so. Each source records its coverage, the months
it holds, so a month outside it reads "no data", never zero.
Row-level defects — values of the wrong type, unparsable dates, values outside the allowed list,
negative durations, times out of order, duplicate ids — are collected per (column, rule) with a
count, up to five example row numbers (1 = the first data row) and the *class* of the offending
values ("text not in the allowed list", "a coordinate given to 7 decimal places"), never the values:
a rejected row may hold a name typed in the wrong column or an exact location, and the defect table
is published. The values go to the edition's private ``rejected-rows.csv`` (:mod:`lib.private`).
Then, per
``validation.on_row_error`` in the params, the load either fails with that table as its message
or sets those rows aside and reports them in the book's data chapter. Rows dated outside the
reporting window (``history_start`` to ``period_end``) are set aside too and counted, never
dropped silently.

Why not pandera: the rules here are few, several are cross-column (answered after presented,
abandoned exactly when unanswered), and the report must be one aggregated table per file with
example row numbers and an exclude-or-fail policy; pandera's failure-case frames would have to be
reshaped into that anyway, for an extra dependency and its import time on every notebook.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib import cache, private
from lib.config.paths import display_path, public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.inputs import police_uk, reading
from lib.inputs.contracts import CONTRACTS, TIMEZONE, Column, Contract
from lib.inputs.months import month_of
from lib.present.display import counted

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_MONTH_RE = r"\d{4}-(0[1-9]|1[0-2])"
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
MAX_EXAMPLES = 5
MAX_LOGGED = 100  # offending values kept per file, column and rule for the private log
DEFECT_COLUMNS = ["file", "column", "rule", "problem", "rows", "example_rows"]
REJECTED_COLUMNS = ["file", "row", "column", "rule", "value"]


@dataclass
class Loaded:
    """One loaded source: the clean rows, what was set aside and why, what it holds and what it lacks."""

    name: str
    path: Path | None  # the first file (a source given as one file: that file)
    frame: pd.DataFrame
    rows_read: int
    defects: pd.DataFrame  # file, column, rule, rows, example_rows, example_values
    rows_defective: int
    rows_outside_window: int
    absent: tuple[str, ...] = ()  # force-only columns the files do not carry: "not supplied"
    coverage: tuple[str, ...] = ()  # the months the source holds (YYYY-MM); outside them: "no data"
    files: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()  # how files were read (an encoding or a separator other than the usual)
    sha256: tuple[str, ...] = ()  # of each file, as read and validated (provenance states these)
    # The offending values of rows set aside (file, row, column, rule, value): for the private log only.
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTED_COLUMNS))
    # What identifies a record, a coordinate or a place in the rows not used (set aside or outside the
    # window), as text: the publication scan looks for these too.
    withheld: pd.DataFrame = field(default_factory=pd.DataFrame)
    # data.police.uk sources: each row's file (its position in ``files``).
    row_files: np.ndarray | None = None

    def supplies(self, column: str) -> bool:
        """True when the source carries ``column`` (a force-only column may be absent)."""
        return column in self.frame and column not in self.absent


def _memory_pool() -> None:
    """Arrow's jemalloc pool, returning freed memory at once: with millions of rows the default pool kept
    freed buffers and raised the build's peak memory by about a fifth."""
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
    except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc: keep its default
        pass


_memory_pool()


def read_table(path: Path) -> pd.DataFrame:
    """Read a Parquet or CSV file as it is (CSV cells as text); see :func:`lib.inputs.reading.read`."""
    return reading.read(path).frame


def _text(series: pd.Series) -> pd.Series | None:
    """The column as stripped text, when it is text (once per column: a copy of a large column is costly)."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        return series.astype("string").str.strip()
    return None


def _datetimes(series: pd.Series, text: pd.Series | None, blank: pd.Series, timezone: str | None):
    """Instants in Europe/London and their problems. Text must carry a UTC offset (or 'Z'), unless the source
    declares the zone of its naive times (``timezone``); a naive local time that a clock change makes
    ambiguous or impossible is a defect, never a guess."""
    problems = []
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert(TIMEZONE), problems
    if text is None and pd.api.types.is_datetime64_any_dtype(series):
        naive, no_offset = series, ~blank
    else:
        no_offset = ~blank & ~text.str.contains(_OFFSET_RE, regex=True, na=False)
        aware = pd.to_datetime(text.where(~no_offset), utc=True, errors="coerce", format="ISO8601")
        naive = pd.to_datetime(text.where(no_offset), errors="coerce", format="ISO8601") if no_offset.any() \
            else pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
        problems.append(("unparsable datetime", ~blank & ~no_offset & aware.isna()))
    if timezone is None:
        problems.append(("datetime without UTC offset (give one, or declare the source's timezone)", no_offset))
        out = aware.dt.tz_convert(TIMEZONE) if text is not None else \
            pd.Series(pd.NaT, index=series.index, dtype=f"datetime64[ns, {TIMEZONE}]")
        return out, problems
    local = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert(TIMEZONE)
    if text is not None:
        problems.append(("unparsable datetime", no_offset & naive.isna()))
        clock = no_offset & naive.notna() & local.isna()
        out = aware.dt.tz_convert(TIMEZONE).where(~no_offset, local)
    else:
        clock, out = ~blank & local.isna(), local
    problems.append(("local time made ambiguous or impossible by a clock change", clock))
    return out, problems


Problems = list[tuple[str, pd.Series]]  # (rule broken, mask of the rows that break it)


def _as_date(series: pd.Series, text, blank, col: Column) -> tuple[pd.Series, Problems]:
    if pd.api.types.is_datetime64_any_dtype(series):
        out = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
    else:
        out = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return out, [("unparsable date (YYYY-MM-DD)", ~blank & out.isna())]


def _as_month(series: pd.Series, text, blank, col: Column) -> tuple[pd.Series, Problems]:
    out = text if text is not None else series.astype("string")
    return out, [("not a month YYYY-MM", ~blank & ~out.str.fullmatch(_MONTH_RE, na=False))]


def _as_number(series: pd.Series, text, blank, col: Column) -> tuple[pd.Series, Problems]:
    out = pd.to_numeric(series if text is None else text, errors="coerce")
    problems = [("not a number", ~blank & out.isna())]
    if col.kind == "int":
        problems.append(("not a whole number", out.notna() & (out != np.floor(out.fillna(0)))))
        out = out.astype("Int64", errors="ignore") if (out.dropna() % 1 == 0).all() else out
    finite = np.isfinite(out.astype(float))
    problems.append(("not a finite number", out.notna() & ~finite))
    if col.minimum is not None:
        problems.append((f"below the minimum {col.minimum:g}", out.notna() & (out < col.minimum)))
    if col.maximum is not None:
        problems.append((f"above the maximum {col.maximum:,g}", out.notna() & finite & (out > col.maximum)))
    return out, problems


def _as_bool(series: pd.Series, text, blank, col: Column) -> tuple[pd.Series, Problems]:
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean"), []
    lower = text.str.lower() if text is not None else series.astype("string").str.lower()
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[lower.isin(_TRUE).fillna(False).to_numpy(bool)] = True
    out[lower.isin(_FALSE).fillna(False).to_numpy(bool)] = False
    return out, [("not True/False", ~blank & out.isna())]


def _as_text(series: pd.Series, text, blank, col: Column) -> tuple[pd.Series, Problems]:
    out = text if text is not None else series.astype("string")
    if not col.allowed:
        return out, []
    return out, [(f"not an allowed value ({', '.join(col.allowed)})", ~blank & ~out.isin(col.allowed).fillna(False))]


_AS = {"date": _as_date, "month": _as_month, "int": _as_number, "float": _as_number, "bool": _as_bool}


def _coerce(series: pd.Series, col: Column, timezone: str | None = None) -> tuple[pd.Series, Problems]:
    """Convert one column to its contract type; return it with (rule, bad-row mask) pairs."""
    text = _text(series)
    blank = series.isna() | (text == "").fillna(False) if text is not None else series.isna()
    if col.kind == "datetime":
        out, problems = _datetimes(series, text, blank, timezone)
    else:  # string and category: text
        out, problems = _AS.get(col.kind, _as_text)(series, text, blank, col)
    problems = list(problems)
    if not col.nullable:
        problems.append(("blank", blank))
    if blank.any():
        out = out.where(~blank) if col.kind != "bool" else out.mask(blank)
    if col.unique:
        problems.append(("duplicate id", out.notna() & _duplicated(out)))
    return out, problems


def one_row_per_key(name: str, contract: Contract, files: list[Path], frame: pd.DataFrame,
                    file_of: np.ndarray) -> tuple[pd.DataFrame, str | None]:
    """The rows used (``frame``: those inside the reporting window, across the source's files; ``file_of`` gives
    each row's file), one per the contract's ``key``, and a note of the rows read once.

    A row repeated exactly — the same key and the same values, as when monthly exports each carry the months
    before — is read once, and the note says how many were. Two rows that share a key but disagree are refused:
    which one is right is the force's to say.

    Raises
    ------
    DataError
        Naming the source, the file(s), the first key that repeats with different values, how many rows hold it,
        how many keys do, and what is allowed (one row per key).
    """
    if not contract.key:
        return frame, None
    again = frame.duplicated(keep="first").to_numpy()
    note = None
    if again.any():
        where = ", ".join(public_path(files[i]) for i in sorted(set(file_of[again])))
        note = (f"{where}: {counted(int(again.sum()), 'row')} repeated exactly (the same "
                f"{' and '.join(contract.key)} and values) read once")
        frame, file_of = frame[~again].reset_index(drop=True), file_of[~again]
    rows = frame[list(contract.key)].assign(_file=file_of)
    twice = rows[rows.duplicated(list(contract.key), keep=False)]
    if twice.empty:
        return frame, note
    first = twice.iloc[0]
    same = (twice[list(contract.key)] == first[list(contract.key)]).all(axis=1)
    named = ", ".join(f"{k} = {first[k]!r}" for k in contract.key)
    where = ", ".join(public_path(files[i]) for i in sorted(set(twice.loc[same, "_file"])))
    keys = twice.drop_duplicates(list(contract.key))
    more = f" (and so {'does' if len(keys) == 2 else 'do'} {counted(len(keys) - 1, 'other key')})" if len(keys) > 1 else ""
    raise DataError(f"inputs.{name} ({where}): {int(same.sum())} rows have {named} but different values{more}; each "
                    f"{' and '.join(contract.key)} may have one row only (which is right is the force's to say): "
                    "keep one")


def _duplicated(values: pd.Series) -> pd.Series:
    """Like ``Series.duplicated(keep="first")``, but for Arrow-backed text without a Python object per row
    (hashing eight million ids as objects took more memory than the rest of the validation)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = getattr(values.array, "_pa_array", None)
    if not isinstance(array, pa.ChunkedArray):
        return values.duplicated(keep="first")
    codes = pc.dictionary_encode(array).combine_chunks().indices.to_numpy(zero_copy_only=False)
    first = np.zeros(len(codes), dtype=bool)
    valid = ~np.asarray(values.isna())
    _, at = np.unique(np.where(valid, codes, -1), return_index=True)
    first[at] = True
    return pd.Series(valid & ~first, index=values.index)


def check_columns(frame: pd.DataFrame, contract: Contract, path: Path, source: str | None = None) -> None:
    """Fail on missing or unknown columns (a force-only column may be missing), naming what was found."""
    if not reading.belongs(list(frame.columns), contract):
        raise DataError(reading.misfit(path, [str(c) for c in frame.columns], contract, source or contract.name))


def validate(frame: pd.DataFrame, contract: Contract, path: Path, timezone: str | None = None,
             decimal_comma: bool = False, source: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a raw frame against its contract (a force-only column the frame lacks is skipped).

    Returns
    -------
    typed : DataFrame
        The frame with every column converted to its contract type (bad cells blank).
    defects : DataFrame
        One row per (column, rule) that failed: ``file, column, rule, rows, example_rows``;
        plus a boolean Series of defective rows in ``defects.attrs["mask"]``.
    """
    check_columns(frame, contract, path, source)
    frame = frame.reset_index(drop=True)
    typed = {}
    found: list[tuple[str, str, pd.Series]] = []
    for col in contract.columns:
        if col.name not in frame:
            continue
        raw = frame[col.name]
        if decimal_comma and col.kind in {"int", "float"} and not pd.api.types.is_numeric_dtype(raw):
            raw = raw.str.replace(",", ".", regex=False)
        typed[col.name], problems = _coerce(raw, col, timezone)
        found += [(col.name, rule, mask) for rule, mask in problems]
    typed = pd.DataFrame(typed, index=frame.index)
    for later, earlier in contract.order_rules:
        if later in typed and earlier in typed:
            found.append((later, f"before {earlier}", (typed[later] < typed[earlier]).fillna(False).astype(bool)))
    for rule in contract.row_rules:
        found.append((rule.column, rule.text, rule.bad(typed)))
    rows, logged = [], []
    any_bad = pd.Series(False, index=frame.index)
    for column, rule, mask in found:
        mask = mask.fillna(False).astype(bool)
        count = int(mask.sum())
        if count:
            any_bad |= mask
            at = np.flatnonzero(mask.to_numpy())[:MAX_LOGGED]
            values = frame[column].iloc[at] if column in frame else pd.Series([None] * len(at), dtype=object)
            col = contract.column(column)
            classes = list(dict.fromkeys(problem_class(v, col) for v in values.iloc[:MAX_EXAMPLES]))
            rows.append({"file": public_path(path), "column": column, "rule": rule, "problem": "; ".join(classes),
                         "rows": count, "example_rows": ", ".join(str(i + 1) for i in at[:MAX_EXAMPLES])})
            logged.append(pd.DataFrame({"file": public_path(path), "row": at + 1, "column": column, "rule": rule,
                                        "value": [None if pd.isna(v) else str(v) for v in values]}))
    defects = pd.DataFrame(rows, columns=DEFECT_COLUMNS)
    defects.attrs["mask"] = any_bad
    defects.attrs["values"] = pd.concat(logged, ignore_index=True) if logged else \
        pd.DataFrame(columns=REJECTED_COLUMNS)
    return typed, defects


_NUMBER = re.compile(r"[+-]?\d+(?:[.,](\d+))?")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?(?:[ T]\d{1,2}:\d{2}.*)?")


def problem_class(value, col: Column) -> str:
    """What kind of value broke a rule, in words that give nothing of it away (the value itself goes to the
    private log only): a rejected row may hold a name typed into the wrong column or an exact location."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
        return "blank"
    text = str(value).strip()
    number = _NUMBER.fullmatch(text)
    if col.identifies == "coordinate" and number:
        places = len(number.group(1) or "")
        return f"a coordinate given to {places} decimal place{'' if places == 1 else 's'}"
    if col.identifies == "record":
        return "a record id"
    if number:
        return "a negative number" if text.startswith("-") else "a number"
    if _DATE_LIKE.fullmatch(text):
        return "a date or time written another way"
    if col.kind == "category":
        return "text not in the allowed list"
    if col.kind in {"int", "float"}:
        return "text in a number column"
    if col.kind in {"datetime", "date", "month"}:
        return "text in a date column"
    if col.kind == "bool":
        return "text in a True/False column"
    return "text"


def describe_defects(defects: pd.DataFrame, log: Path | None = None) -> str:
    """The defects table as lines of text, for an error message (classes of values, never the values; ``log``
    names the private file that holds them)."""
    lines = "\n".join(
        f"  {r.file}: column {r.column!r}: {r.rule}: {r.rows:,} row(s), e.g. row {r.example_rows}"
        + (f" ({r.problem})" if r.problem else "")
        for r in defects.itertuples()
    )
    return lines + (f"\n  (the values are in {display_path(log)}, which is never published)" if log else "")


def _window_mask(frame: pd.DataFrame, contract: Contract, params: Params) -> pd.Series:
    if contract.time_column is None:
        return pd.Series(True, index=frame.index)
    values = frame[contract.time_column]
    col = next(c for c in contract.columns if c.name == contract.time_column)
    if col.kind == "month":
        start, end = params.history_start.strftime("%Y-%m"), params.period
        return values.between(start, end).fillna(False).astype(bool)
    start = pd.Timestamp(params.history_start).tz_localize(TIMEZONE)
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    return ((values >= start) & (values < end)).fillna(False).astype(bool)


VALIDATION_CODE = ("lib/inputs/loading.py", "lib/inputs/reading.py", "lib/inputs/contracts.py", "lib/vocabulary.py")


@dataclass
class _Checked:
    valid: pd.DataFrame
    defects: pd.DataFrame
    rows_read: int
    rows_defective: int
    notes: list[str]
    sha256: str
    rejected: pd.DataFrame  # the offending values (private)
    withheld: pd.DataFrame  # what identifies the rows set aside, as text (for the publication scan)


_CACHED = ("valid.parquet", "defects.parquet", "rejected.parquet", "withheld.parquet")


def _from_cache(hit: Path, path: Path, digest: str) -> _Checked | None:
    """A validated file from its cache entry (already checked against its seal), or None when it cannot be read."""
    try:
        meta = json.loads((hit / "meta.json").read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(hit / name) for name in _CACHED}
        here = public_path(path)
        return _Checked(frames["valid.parquet"], frames["defects.parquet"].assign(file=here)[DEFECT_COLUMNS],
                        int(meta["rows_read"]), int(meta["rows_defective"]), list(meta["notes"]), digest,
                        frames["rejected.parquet"].assign(file=here)[REJECTED_COLUMNS], frames["withheld.parquet"])
    except Exception:  # pyarrow and json raise many kinds; each means "this entry cannot be used"
        cache.discard(hit, "could not be read")
        return None


def _identifying(contract: Contract) -> list[str]:
    return [c.name for c in contract.columns if c.identifies]


def validated(path: Path, contract: Contract, timezone: str | None = None, source: str | None = None) -> _Checked:
    """One file's valid rows (typed), defects, rows read and set aside, and how it was read — from the cache
    when this file's contents were validated by this code before (:mod:`lib.cache`), e.g. by another
    period's build. A cache entry is used only when its seal matches this file's SHA-256 and its own files."""
    digest = cache.file_sha256(path)
    key = cache.digest(digest, contract.name, str(timezone), cache.code_digest(*VALIDATION_CODE), pd.__version__)
    hit = cache.opened("inputs", key, source=digest)
    if hit is not None and (found := _from_cache(hit, path, digest)) is not None:
        return found
    raw = reading.read(path)
    check_columns(raw.frame, contract, path, source)
    raw.frame, conformed = reading.conform(raw.frame, contract)
    raw.notes += conformed
    rows_read = len(raw.frame)
    typed, defects = validate(raw.frame, contract, path, timezone, raw.decimal_comma, source)
    bad = defects.attrs.pop("mask")
    rejected = defects.attrs.pop("values")
    keep = [c for c in _identifying(contract) if c in raw.frame]
    withheld = raw.frame.loc[bad.to_numpy(), keep].astype("string").reset_index(drop=True)
    raw.frame = None  # peak memory: the raw and the typed copy of a large file are not both needed from here
    valid = typed[~bad].reset_index(drop=True) if bad.any() else typed
    del typed
    valid.attrs = {}
    try:
        tmp = cache.scratch("inputs", key)
        valid.to_parquet(tmp / "valid.parquet", index=False)
        defects.drop(columns="file").to_parquet(tmp / "defects.parquet", index=False)
        rejected.drop(columns="file").to_parquet(tmp / "rejected.parquet", index=False)
        withheld.to_parquet(tmp / "withheld.parquet", index=False)
        meta = {"rows_read": rows_read, "rows_defective": int(bad.sum()), "notes": raw.notes}
        (tmp / "meta.json").write_text(json.dumps(meta))
        cache.seal(tmp, source=digest)
        cache.commit(tmp, cache.entry("inputs", key))
    except OSError:  # a cache that cannot be written is only slower
        pass
    return _Checked(valid, defects, rows_read, int(bad.sum()), raw.notes, digest, rejected, withheld)


def _empty_column(col: Column, n: int) -> pd.Series:
    dtype = {"bool": "boolean", "datetime": f"datetime64[ns, {TIMEZONE}]", "date": "datetime64[ns]",
             "int": "Int64", "float": "float64"}.get(col.kind, "string")
    return pd.Series(pd.array([None] * n, dtype=dtype))


def _coverage(contract: Contract, files: list[Path], frame: pd.DataFrame) -> tuple[str, ...]:
    """The months a source holds: those its files are named for (data.police.uk's archive: one file per
    month, so a missing file is a missing month), else every month from its first row to its last."""
    named = [reading.months_in_name(f) for f in files]
    if files and all(named):
        return tuple(sorted(set(named)))
    if contract.time_column is None or frame.empty:
        return ()
    col = contract.column(contract.time_column)
    months = frame[col.name] if col.kind == "month" else month_of(frame[col.name])
    months = months.dropna()
    if months.empty:
        return ()
    return tuple(str(m) for m in pd.period_range(months.min(), months.max(), freq="M"))


def load_source(params: Params, name: str, path: Path | None = None) -> Loaded:
    """Load one source named in the params: every file of it, validated, put together, cut to the window.

    Raises
    ------
    DataError
        An unreadable file or one whose columns are not the source's; or row defects when
        ``on_row_error`` is ``fail``.
    """
    contract = CONTRACTS["tracker" if name.startswith("tracker") else name]
    spec = params.input_spec(name)
    files = [path] if path is not None else reading.expand(params.input_paths(name), contract, name)
    timezone = spec.timezone if spec is not None else None
    checked = [validated(f, contract, timezone, name) for f in files]
    defects = pd.concat([c.defects for c in checked], ignore_index=True) if checked else \
        pd.DataFrame(columns=DEFECT_COLUMNS)
    rejected = pd.concat([c.rejected for c in checked], ignore_index=True) if checked else \
        pd.DataFrame(columns=REJECTED_COLUMNS)
    log = rejected_log(params, name, rejected)
    rows_read, rows_defective = sum(c.rows_read for c in checked), sum(c.rows_defective for c in checked)
    if len(defects) and (params.validation.on_row_error == "fail" or contract.series):
        why = ("a series: every interval is modelled, so none may be set aside" if contract.series else
               "validation.on_row_error = 'fail'; set it to 'exclude' to set them aside")
        raise DataError(f"inputs.{name}: {rows_defective:,} row(s) break the {contract.name} contract ({why}):\n"
                        + describe_defects(defects, log))
    for check in contract.source_checks:
        check(files, [k.valid for k in checked], params)
    # A force-only column is supplied only when every file carries it (part of the rows would mislead).
    absent = tuple(c.name for c in contract.columns if c.may_be_absent and not all(c.name in k.valid for k in checked))
    frames = [k.valid.drop(columns=[a for a in absent if a in k.valid]) for k in checked]
    valid = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    for col in contract.columns:
        if col.name in absent:
            valid[col.name] = _empty_column(col, len(valid))
    valid = valid[contract.column_names]
    row_files = np.repeat(np.arange(len(files), dtype=np.int32), [len(k.valid) for k in checked])
    extra: list[str] = []
    if name == "crimes":
        valid, merged = police_uk.one_row_per_crime(valid, row_files, files)
        row_files = valid.attrs.pop("row_files", row_files)
        extra += [merged] if merged else []
    coverage = _coverage(contract, files, valid)
    if name in police_uk.SOURCES:
        extra += police_uk.thin_months(valid, coverage)
    inside = _window_mask(valid, contract, params)
    frame = valid if inside.all() else valid[inside].reset_index(drop=True)
    frame, once = one_row_per_key(name, contract, files, frame, row_files[inside.to_numpy()])
    extra += [once] if once else []
    row_files = row_files[inside.to_numpy()] if name in police_uk.SOURCES else None
    keep = _identifying(contract)
    withheld = pd.concat([c.withheld for c in checked] + [valid.loc[~inside.to_numpy(), keep].astype("string")],
                         ignore_index=True) if keep else pd.DataFrame()
    notes = tuple(f"{public_path(f)}: {n}" for f, k in zip(files, checked) for n in k.notes) + tuple(extra)
    return Loaded(name, files[0] if files else None, frame, rows_read, defects, rows_defective, int((~inside).sum()),
                  absent, coverage, tuple(files), notes, tuple(c.sha256 for c in checked), rejected, withheld,
                  row_files)


def rejected_log_path(params: Params, source: str) -> Path:
    """Where a source's rejected values are kept: the edition's private folder (:mod:`lib.private`)."""
    return private.folder(params.force.id, params.period) / f"rejected-{source}.csv"


def rejected_log(params: Params, source: str, rejected: pd.DataFrame) -> Path | None:
    """Write a source's rejected values to :func:`rejected_log_path`, replacing an earlier run's; return the file
    (None when no row was rejected, or it cannot be written)."""
    path = rejected_log_path(params, source)
    try:
        if rejected.empty:
            path.unlink(missing_ok=True)
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        rejected.to_csv(path, index=False)
        return path
    except OSError:  # the message then says the values could not be kept; the run goes on
        return None


def _too_many_set_aside(item: Loaded, params: Params) -> str:
    """'' unless more than ``validation.max_set_aside_pct`` of a source's rows were set aside; then the message
    with the defect table (rule, count, example rows and the class of the values)."""
    if not item.rows_read:
        return ""
    share = 100 * item.rows_defective / item.rows_read
    if share <= params.validation.max_set_aside_pct:
        return ""
    return (f"inputs.{item.name}: {item.rows_defective:,} of {item.rows_read:,} rows ({share:.1f}%) break the "
            f"{item.name} contract, more than validation.max_set_aside_pct = "
            f"{params.validation.max_set_aside_pct:g}%; the export is probably not the one expected:\n"
            + describe_defects(item.defects, rejected_log_path(params, item.name) if len(item.rejected) else None))


def load_all(params: Params) -> dict[str, Loaded]:
    """Load every input the params supply, in contract order, and check each is usable for the period.

    Raises
    ------
    DataError
        A file breaks its contract; more than ``validation.max_set_aside_pct`` of a source's rows are
        set aside; or a dated source that must cover the period has no usable row in it (every chapter
        that reads it would be empty). The message names each such source, and what it does cover.
    """
    if "outcomes" in params.supplied() and "crimes" not in params.supplied():
        raise DataError("inputs.outcomes is given without inputs.crimes: an outcomes file gives outcomes of crimes, "
                        "so give the street-level files too (inputs.crimes)")
    loaded = {n: load_source(params, n) for n in params.supplied()}
    problems = [_too_many_set_aside(item, params) for item in loaded.values()]
    problems += _outcome_problems(loaded, params)
    problems += [_no_period_rows(item, params) for item in loaded.values()
                 if params.input_spec(item.name).require_period and item.name != "measure_values"]
    problems = [p for p in problems if p]
    if problems:
        raise DataError("\n".join(problems))
    return loaded


def _outcome_problems(loaded: dict[str, Loaded], params: Params) -> list[str]:
    """Outcome categories in no group (each with its count), and outcomes files that match no crime; the outcome
    rows that match no crime of the edition are counted in the outcomes source's notes."""
    problems = []
    for source, column in (("crimes", "Last outcome category"), ("outcomes", "Outcome type")):
        if source in loaded:
            found = police_uk.unmapped(loaded[source].frame[column], params)
            if len(found):
                listed = ", ".join(f"{c!r} ({n:,})" for c, n in found.items())
                problems.append(f"inputs.{source}: {column}: {counted(len(found), 'category', 'categories')} in no "
                                f"outcome group: {listed}; add each to a group of outcomes.groups in the params")
    if "outcomes" in loaded and "crimes" in loaded:
        item = loaded["outcomes"]
        count, none = police_uk.unmatched_outcomes(loaded["crimes"].frame, item.frame, item.row_files, item.files)
        if none:
            problems.append(f"inputs.outcomes: {', '.join(public_path(f) for f in none)}: no outcome in it is of a crime "
                            "in inputs.crimes: is it another force's file, or of months the crime files do not hold?")
        elif count:
            item.notes = item.notes + (f"{count:,} outcome row(s) are of crimes outside the crime files read (earlier "
                                       "months, or crimes not published by street): they are left out",)
    return problems


def period_months(loaded: Loaded) -> pd.Series:
    """Month (YYYY-MM) of each used row of a dated source."""
    contract = CONTRACTS["tracker" if loaded.name.startswith("tracker") else loaded.name]
    col = next(c for c in contract.columns if c.name == contract.time_column)
    values = loaded.frame[col.name]
    return values if col.kind == "month" else month_of(values)


def _no_period_rows(loaded: Loaded, params: Params) -> str:
    """'' when a dated source has rows in the period, else the message naming it."""
    contract = CONTRACTS["tracker" if loaded.name.startswith("tracker") else loaded.name]
    if contract.time_column is None or (period_months(loaded) == params.period).any():
        return ""
    first, last = time_range(loaded)
    covers = f"its usable rows run from {first} to {last}" if first else "it has no usable rows"
    aside = f"; {loaded.rows_defective:,} of its {loaded.rows_read:,} rows were set aside as defects" \
        if loaded.rows_defective else ""
    return (f"inputs.{loaded.name} ({public_path(loaded.path)}{' and others' if len(loaded.files) > 1 else ''}) "
            f"has no rows dated in the period {params.period} ({covers}{aside}); give a file that covers the period, "
            f"or set inputs.{loaded.name}.require_period: false for an extract that stops short of it")


def time_range(loaded: Loaded) -> tuple[str, str]:
    """First and last date of a loaded source's time column, as text ('' when empty)."""
    contract = CONTRACTS["tracker" if loaded.name.startswith("tracker") else loaded.name]
    col = contract.time_column or ("due_date" if contract.name == "tracker" else None)
    values = loaded.frame[col].dropna() if col else pd.Series([], dtype=object)
    if values.empty:
        return "", ""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.min().strftime("%Y-%m-%d"), values.max().strftime("%Y-%m-%d")
    return str(values.min()), str(values.max())

