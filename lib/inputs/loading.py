"""Loading input files and checking them against their contracts (:mod:`lib.inputs.contracts`).

A missing or unknown column (or, for stop and search, a column out of order) fails the load.
Row-level defects — values of the wrong type, unparsable dates, values outside the allowed list,
negative durations, times out of order, duplicate ids — are collected per (column, rule) with a
count and up to five example row numbers (1 = the first data row). Then, per
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

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lib.config.params import Params, display_path, public_path
from lib.errors import DataError
from lib.inputs.contracts import CONTRACTS, TIMEZONE, Column, Contract

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_MONTH_RE = r"\d{4}-(0[1-9]|1[0-2])"
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
MAX_EXAMPLES = 5
DEFECT_COLUMNS = ["file", "column", "rule", "rows", "example_rows"]


@dataclass
class Loaded:
    """One loaded source: the clean rows and what was set aside, and why."""

    name: str
    path: Path
    frame: pd.DataFrame
    rows_read: int
    defects: pd.DataFrame  # file, column, rule, rows, example_rows
    rows_defective: int
    rows_outside_window: int


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
    """Read a Parquet or CSV file as it is (CSV cells as text).

    Raises
    ------
    DataError
        The file is missing, has another extension, or cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".parquet", ".csv"}:
        raise DataError(f"{display_path(path)}: unsupported file type {suffix!r}; allowed: .parquet, .csv")
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise DataError(f"{display_path(path)}: file not found") from None
    except Exception as exc:  # pyarrow and the csv parser raise many kinds; all mean "unreadable"
        raise DataError(f"{display_path(path)}: cannot be read as {suffix[1:]}: {type(exc).__name__}: {exc}") from None


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


def _coerce(series: pd.Series, col: Column, timezone: str | None = None) -> tuple[pd.Series, list[tuple[str, pd.Series]]]:
    """Convert one column to its contract type; return it with (rule, bad-row mask) pairs."""
    text = _text(series)
    blank = series.isna() | (text == "").fillna(False) if text is not None else series.isna()
    problems: list[tuple[str, pd.Series]] = []
    if col.kind == "datetime":
        out, found = _datetimes(series, text, blank, timezone)
        problems += found
    elif col.kind == "date":
        if pd.api.types.is_datetime64_any_dtype(series):
            out = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
        else:
            out = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        problems.append(("unparsable date (YYYY-MM-DD)", ~blank & out.isna()))
    elif col.kind == "month":
        out = text if text is not None else series.astype("string")
        problems.append(("not a month YYYY-MM", ~blank & ~out.str.fullmatch(_MONTH_RE, na=False)))
    elif col.kind in {"int", "float"}:
        out = pd.to_numeric(series if text is None else text, errors="coerce")
        problems.append(("not a number", ~blank & out.isna()))
        if col.kind == "int":
            problems.append(("not a whole number", out.notna() & (out != np.floor(out.fillna(0)))))
            out = out.astype("Int64", errors="ignore") if (out.dropna() % 1 == 0).all() else out
        finite = np.isfinite(out.astype(float))
        problems.append(("not a finite number", out.notna() & ~finite))
        if col.minimum is not None:
            problems.append((f"below the minimum {col.minimum:g}", out.notna() & (out < col.minimum)))
        if col.maximum is not None:
            problems.append((f"above the maximum {col.maximum:,g}", out.notna() & finite & (out > col.maximum)))
    elif col.kind == "bool":
        if pd.api.types.is_bool_dtype(series):
            out = series.astype("boolean")
        else:
            lower = text.str.lower() if text is not None else series.astype("string").str.lower()
            out = pd.Series(pd.NA, index=series.index, dtype="boolean")
            out[lower.isin(_TRUE).fillna(False).to_numpy(bool)] = True
            out[lower.isin(_FALSE).fillna(False).to_numpy(bool)] = False
            problems.append(("not True/False", ~blank & out.isna()))
    else:  # string, category
        out = text if text is not None else series.astype("string")
        if col.allowed:
            bad = ~blank & ~out.isin(col.allowed).fillna(False)
            problems.append((f"not an allowed value ({', '.join(col.allowed)})", bad))
    if not col.nullable:
        problems.append(("blank", blank))
    if blank.any():
        out = out.where(~blank) if col.kind != "bool" else out.mask(blank)
    if col.unique:
        problems.append(("duplicate id", out.notna() & _duplicated(out)))
    return out, problems


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


def check_columns(frame: pd.DataFrame, contract: Contract, path: Path) -> None:
    """Fail on missing, unknown or (for ordered contracts) misordered columns."""
    where = display_path(path)
    expected = contract.column_names
    missing = [c for c in expected if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in expected]
    if missing:
        raise DataError(f"{where}: missing required column(s) {', '.join(map(repr, missing))}; "
                        f"the {contract.name} contract needs: {', '.join(expected)}")
    if unknown:
        raise DataError(f"{where}: unknown column(s) {', '.join(map(repr, unknown))}; "
                        f"allowed for {contract.name}: {', '.join(expected)}")
    if contract.ordered and list(frame.columns) != expected:
        raise DataError(f"{where}: columns out of order; {contract.name} needs exactly: {', '.join(expected)}")


def validate(frame: pd.DataFrame, contract: Contract, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a raw frame against its contract.

    Returns
    -------
    typed : DataFrame
        The frame with every column converted to its contract type (bad cells blank).
    defects : DataFrame
        One row per (column, rule) that failed: ``file, column, rule, rows, example_rows``;
        plus a boolean Series of defective rows in ``defects.attrs["mask"]``.
    """
    check_columns(frame, contract, path)
    frame = frame.reset_index(drop=True)
    typed = {}
    found: list[tuple[str, str, pd.Series]] = []
    for col in contract.columns:
        typed[col.name], problems = _coerce(frame[col.name], col)
        found += [(col.name, rule, mask) for rule, mask in problems]
    typed = pd.DataFrame(typed, index=frame.index)
    for later, earlier in contract.order_rules:
        bad = (typed[later] < typed[earlier]).fillna(False).astype(bool)
        found.append((later, f"before {earlier}", bad))
    if contract.name == "contacts":
        found.append(("abandoned", "abandoned must be True exactly when answered_at is blank",
                      (typed["abandoned"] != typed["answered_at"].isna()).fillna(False).astype(bool)))
    if contract.name == "ppn":
        found.append(("all_children_added", "must be blank exactly when children_present is False",
                      (typed["all_children_added"].isna() != ~typed["children_present"]).fillna(False).astype(bool)))
    rows = []
    any_bad = pd.Series(False, index=frame.index)
    for column, rule, mask in found:
        mask = mask.fillna(False).astype(bool)
        count = int(mask.sum())
        if count:
            any_bad |= mask
            examples = ", ".join(str(i + 1) for i in np.flatnonzero(mask.to_numpy())[:MAX_EXAMPLES])
            rows.append({"file": public_path(path), "column": column, "rule": rule,
                         "rows": count, "example_rows": examples})
    defects = pd.DataFrame(rows, columns=DEFECT_COLUMNS)
    defects.attrs["mask"] = any_bad
    return typed, defects


def describe_defects(defects: pd.DataFrame) -> str:
    """The defects table as lines of text, for an error message."""
    return "\n".join(
        f"  {r.file}: column {r.column!r}: {r.rule}: {r.rows} row(s), e.g. row {r.example_rows}"
        for r in defects.itertuples()
    )


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


VALIDATION_CODE = ("lib/inputs/loading.py", "lib/inputs/contracts.py", "lib/vocabulary.py")


def validated(path: Path, contract: Contract) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    """(valid rows typed, defects, rows read, rows defective) of a file — from the cache when this file's
    contents were validated by this code before (:mod:`lib.cache`), e.g. by another period's build."""
    import json

    from lib import cache

    key = cache.digest(cache.file_sha256(path), contract.name, cache.code_digest(*VALIDATION_CODE), pd.__version__)
    hit = cache.entry("inputs", key)
    if (hit / "meta.json").is_file():
        meta = json.loads((hit / "meta.json").read_text(encoding="utf-8"))
        defects = pd.read_parquet(hit / "defects.parquet").assign(file=public_path(path))
        return pd.read_parquet(hit / "valid.parquet"), defects[DEFECT_COLUMNS], meta["rows_read"], meta["rows_defective"]
    raw = read_table(path)
    rows_read = len(raw)
    typed, defects = validate(raw, contract, path)
    del raw  # peak memory: the raw and the typed copy of a large file are not both needed from here
    bad = defects.attrs.pop("mask")
    valid = typed[~bad].reset_index(drop=True) if bad.any() else typed
    del typed
    valid.attrs = {}
    try:
        tmp = cache.scratch("inputs", key)
        valid.to_parquet(tmp / "valid.parquet", index=False)
        defects.drop(columns="file").to_parquet(tmp / "defects.parquet", index=False)
        (tmp / "meta.json").write_text(json.dumps({"rows_read": rows_read, "rows_defective": int(bad.sum())}))
        cache.commit(tmp, hit)
    except OSError:  # a cache that cannot be written is only slower
        pass
    return valid, defects, rows_read, int(bad.sum())


def load_source(params: Params, name: str, path: Path | None = None) -> Loaded:
    """Load one source named in the params, validated and cut to the reporting window.

    Raises
    ------
    DataError
        Unreadable file or bad columns; or row defects when ``on_row_error`` is ``fail``.
    """
    contract = CONTRACTS["tracker" if name.startswith("tracker") else name]
    path = path or params.input_path(name)
    valid, defects, rows_read, rows_defective = validated(path, contract)
    if len(defects) and params.validation.on_row_error == "fail":
        raise DataError(
            f"{display_path(path)}: {rows_defective} row(s) break the {contract.name} contract "
            f"(validation.on_row_error = 'fail'; set it to 'exclude' to set them aside):\n"
            + describe_defects(defects)
        )
    inside = _window_mask(valid, contract, params)
    frame = valid if inside.all() else valid[inside].reset_index(drop=True)
    return Loaded(name, path, frame, rows_read, defects, rows_defective, int((~inside).sum()))


def load_all(params: Params) -> dict[str, Loaded]:
    """Load every input named in the params, in contract order, and check each dated source has rows
    in the period.

    Raises
    ------
    DataError
        A file breaks its contract, or a source has no usable row dated in the period (every chapter
        that reads it would be empty): the message names each such source and what it does cover.
    """
    names = [n for n in type(params.inputs).model_fields if params.input_path(n) is not None]
    loaded = {n: load_source(params, n) for n in names}
    empty = [_no_period_rows(item, params) for item in loaded.values()]
    empty = [e for e in empty if e]
    if empty:
        raise DataError("\n".join(empty))
    return loaded


def month_of(times: pd.Series) -> pd.Series:
    """Calendar month ('YYYY-MM') of timezone-aware times, in their own (Europe/London) time; NaN for NaT.

    (From integer year and month codes: ``dt.strftime`` takes a second per million rows.)
    """
    valid = times.notna().to_numpy()
    code = np.full(len(times), -1, dtype=np.int64)
    code[valid] = (times.dt.year.to_numpy()[valid] * 12 + times.dt.month.to_numpy()[valid] - 1).astype(np.int64)
    unique, inverse = np.unique(code, return_inverse=True)
    labels = np.array([np.nan if c < 0 else f"{c // 12:04d}-{c % 12 + 1:02d}" for c in unique], dtype=object)
    return pd.Series(labels[inverse], index=times.index, dtype=object)


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
    return (f"{public_path(loaded.path)}: inputs.{loaded.name} has no rows dated in the period {params.period} "
            f"({covers}{aside}); give a file that covers the period")


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

