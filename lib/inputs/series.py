"""Checks of series inputs: one row per interval (telephony staffing) or per month (workforce).

A series is modelled interval by interval, so a missing, doubled or overlapping interval would
change an answer without anyone seeing it. These checks therefore fail the run whatever
``validation.on_row_error`` says, naming the file, the column, the rows and example values, and
what is allowed. They run on each source's rows before they are cut to the reporting window.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.vocabulary import TIMEZONE

MAX_EXAMPLES = 5


def _where(frame: pd.DataFrame, mask) -> str:
    """'file F row(s) r1, r2' for the first few flagged rows (rows numbered from 1, the first data row)."""
    rows = frame[np.asarray(mask, dtype=bool)].head(MAX_EXAMPLES)
    parts: dict[str, list[str]] = {}
    for f, r in zip(rows["_file"], rows["_row"]):
        parts.setdefault(f, []).append(str(r))
    return "; ".join(f"{f} row(s) {', '.join(r)}" for f, r in parts.items())


def _stamp(t: pd.Timestamp) -> str:
    return t.tz_convert(TIMEZONE).strftime("%Y-%m-%d %H:%M")


def tagged(parts: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """The files' rows put together, each tagged with its file (as published) and row number."""
    frames = [f.assign(_file=public_path(p), _row=np.arange(1, len(f) + 1)) for p, f in parts]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["_file", "_row"])


def check_staffing(frame: pd.DataFrame, params: Params) -> None:
    """Staffing intervals: one length, aligned, none doubled or overlapping, no gaps, the period covered for
    every staffed route.

    Raises
    ------
    DataError
        Naming the file, column, rows and example values of the first problem of each kind.
    """
    problems = []
    lengths = sorted(frame["interval_minutes"].dropna().unique().tolist())
    if len(lengths) > 1:
        problems.append(f"column 'interval_minutes' holds {', '.join(str(int(v)) for v in lengths)}: one interval "
                        f"length is allowed in an export (e.g. {_where(frame, frame['interval_minutes'] != lengths[0])})")
        raise DataError("inputs.staffing: " + "; ".join(problems))
    if not lengths:
        raise DataError("inputs.staffing: the export has no rows")
    minutes = int(lengths[0])
    step = pd.Timedelta(minutes=minutes)
    start = frame["interval_start"]
    local = start.dt.tz_convert(TIMEZONE)
    misaligned = ((local.dt.minute % minutes) != 0) | (local.dt.second != 0)
    if misaligned.any():
        problems.append(f"column 'interval_start': {int(misaligned.sum()):,} interval(s) do not start on a "
                        f"{minutes}-minute boundary, e.g. {_stamp(start[misaligned].iloc[0])} "
                        f"({_where(frame, misaligned)})")
    doubled = frame.duplicated(["route", "interval_start"], keep=False)
    if doubled.any():
        first = frame[doubled].iloc[0]
        problems.append(f"columns 'route', 'interval_start': {int(doubled.sum()):,} rows repeat or overlap an interval, "
                        f"e.g. route {first['route']} at {_stamp(first['interval_start'])} ({_where(frame, doubled)})")
    if problems:
        raise DataError("inputs.staffing: " + "; ".join(problems))
    period_start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    period_end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    for route in params.fcr.routes:
        rows = frame[frame["route"] == route].sort_values("interval_start")
        if rows.empty:
            problems.append(f"column 'route': no rows for route {route!r}, which the control room staffs "
                            f"(fcr.routes = {params.fcr.routes}); routes found: {sorted(frame['route'].dropna().unique())}")
            continue
        gap = rows["interval_start"].diff() > step
        if gap.any():
            at = np.flatnonzero(gap.to_numpy())
            missing = int(sum((rows["interval_start"].iloc[i] - rows["interval_start"].iloc[i - 1]) // step - 1
                              for i in at))
            i = at[0]
            before, after = rows.iloc[i - 1], rows.iloc[i]
            problems.append(f"column 'interval_start': {missing:,} interval(s) of route {route} missing, e.g. none "
                            f"between {_stamp(before['interval_start'])} ({before['_file']} row {before['_row']}) "
                            f"and {_stamp(after['interval_start'])} (row {after['_row']})")
        first, last = rows["interval_start"].iloc[0], rows["interval_start"].iloc[-1] + step
        if first > period_start or last < period_end:
            problems.append(f"column 'interval_start': route {route} runs from {_stamp(first)} to {_stamp(last)}, "
                            f"which does not cover the period {params.period} ({_stamp(period_start)} to "
                            f"{_stamp(period_end)})")
    if problems:
        raise DataError("inputs.staffing: " + "; ".join(problems))


def check_workforce(frame: pd.DataFrame, params: Params) -> None:
    """Workforce months: each once, none missing between the first and the last, the period present, and
    strength, joiners and leavers given for every month up to the period.

    Raises
    ------
    DataError
        Naming the file, column, rows and example values of the first problem of each kind.
    """
    problems = []
    doubled = frame.duplicated("month", keep=False)
    if doubled.any():
        problems.append(f"column 'month': month {frame.loc[doubled, 'month'].iloc[0]} appears more than once "
                        f"({_where(frame, doubled)})")
    months = pd.PeriodIndex(frame["month"].dropna().unique(), freq="M").sort_values()
    if len(months):
        full = pd.period_range(months[0], months[-1], freq="M")
        missing = full.difference(months)
        if len(missing):
            problems.append(f"column 'month': {len(missing)} month(s) missing between {months[0]} and {months[-1]}, "
                            f"e.g. {', '.join(str(m) for m in missing[:MAX_EXAMPLES])}")
    if params.period not in set(frame["month"]):
        span = f"it runs from {months[0]} to {months[-1]}" if len(months) else "it has no rows"
        problems.append(f"column 'month': no row for the period {params.period} ({span})")
    past = frame["month"] <= params.period
    for column in ("strength", "joiners", "leavers"):
        blank = past & frame[column].isna()
        if blank.any():
            problems.append(f"column {column!r}: blank for {int(blank.sum())} month(s) up to the period, e.g. "
                            f"{frame.loc[blank, 'month'].iloc[0]} ({_where(frame, blank)}); months up to the "
                            f"period need strength, joiners and leavers")
    if problems:
        raise DataError("inputs.workforce: " + "; ".join(problems))


def check_staffing_files(files: list[Path], frames: list[pd.DataFrame], params: Params) -> None:
    """:func:`check_staffing` on a source's files together (the staffing contract's source check)."""
    check_staffing(tagged(list(zip(files, frames))), params)


def check_workforce_files(files: list[Path], frames: list[pd.DataFrame], params: Params) -> None:
    """:func:`check_workforce` on a source's files together (the workforce contract's source check)."""
    check_workforce(tagged(list(zip(files, frames))), params)
