"""data.police.uk downloads as people keep them: one force per edition, folder accidents caught, outcomes right.

A folder of downloads holds accidents that a sum would silently absorb: a month downloaded twice
(``2019-01-cleveland-street (1).csv``), a neighbouring force's file, a download cut short. Before any
number is computed, :func:`check_source` stops the run on each of them, naming the files:

- **one force**: a file named for another force (``YYYY-MM-<force>-street.csv``), or rows whose
  ``Falls within`` and ``Reported by`` both name another force than ``force.name``;
- **one file per month**: two files of one source holding rows of the same month (a second download,
  a renamed copy), or a file half of whose Crime IDs are in another file (a copy relabelled to
  another month) — their rows would be counted twice;
- **whole files**: a CSV whose last row is cut short (fewer fields than its header) is refused by
  :func:`lib.inputs.reading.read`; a month with under half the median rows of its neighbours is
  reported with the counts (a download may have stopped early without cutting a row).

Repeated Crime IDs are normal in real files (the same crime at two locations, or with two outcomes):
:func:`one_row_per_crime` keeps one row per crime by a stated rule and says how many it merged.

A crime's outcome (:func:`latest_outcomes`) is the latest by month across the street files and the
outcomes files. A street file's ``Last outcome category`` is as of the latest month the street files
hold (data.police.uk restates every file's outcomes at each release); an outcomes file's row is as of
its ``Month``. On a tie the street file's category stands, unless it says nothing
(:data:`UNINFORMATIVE`). Outcomes that match no crime of the edition are counted; an outcomes file
that matches none is refused.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.inputs.months import month_of

SOURCES = ("crimes", "outcomes", "stop_search")  # the sources data.police.uk publishes

# data.police.uk's file names: 2019-01-cleveland-street.csv, ...-outcomes.csv, ...-stop-and-search.csv
FILE_NAME = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z][a-z0-9-]*?)-(?P<kind>street|outcomes|stop-and-search)"
                       r"(?: ?\(\d+\)| - copy| copy)*\.csv$", re.IGNORECASE)
# Outcome categories that say nothing of what happened: any other category is preferred to them.
UNINFORMATIVE = ("", "Status update unavailable", "Under investigation")
THIN = 0.5  # a month with fewer rows than this share of its neighbours' median is reported
COPIED = 0.5  # a file with this share of its Crime IDs in another file is a copy


def force_in_name(path: Path) -> str | None:
    """The force a data.police.uk file is named for ('cleveland'), or None for another name."""
    found = FILE_NAME.search(path.name)
    return found.group("force").lower() if found else None


def _month_column(frame: pd.DataFrame) -> pd.Series | None:
    if "Month" in frame:
        return frame["Month"]
    if "Date" in frame:  # stop and search: an instant

        return month_of(frame["Date"])
    return None


def _other_force(path: Path, frame: pd.DataFrame, params: Params) -> str:
    """'' when a file is the edition's force's, else the message naming the file and the force it names."""
    named = force_in_name(path)
    if named is not None and named != params.force.id:
        return (f"{public_path(path)}: a file of force {named!r} (by its name); this edition is force.id = "
                f"{params.force.id!r}: take it out of the folder, or build that force's own edition")
    if {"Falls within", "Reported by"} <= set(frame.columns) and len(frame):
        ours = (frame["Falls within"] == params.force.name) | (frame["Reported by"] == params.force.name)
        if not ours.all():
            others = frame.loc[~ours, "Falls within"].value_counts()
            listed = ", ".join(f"{name!r} ({count:,} rows)" for name, count in others.head(3).items())
            return (f"{public_path(path)}: {int((~ours).sum()):,} of {len(frame):,} rows name another force in "
                    f"Falls within and Reported by: {listed}; this edition is force.name = {params.force.name!r}")
    return ""


def _months_twice(files: list[Path], frames: list[pd.DataFrame]) -> str:
    """'' unless two files hold rows of the same month; then the message naming both."""
    seen: dict[str, Path] = {}
    for path, frame in zip(files, frames):
        months = _month_column(frame)
        for month in sorted(set(months.dropna())) if months is not None else []:
            if month in seen:
                return (f"{public_path(seen[month])} and {public_path(path)} both hold rows of {month}: the same month "
                        "downloaded twice (or a renamed copy) would be counted twice; keep one of them")
            seen[month] = path
    return ""


def _copied(files: list[Path], frames: list[pd.DataFrame]) -> str:
    """'' unless half or more of one file's Crime IDs are also in another file (a copy relabelled to another
    month); then the message naming both. A few repeated ids are merged instead (:func:`one_row_per_crime`)."""
    ids = pd.concat([pd.DataFrame({"id": f["Crime ID"].dropna().unique(), "file": i})
                     for i, f in enumerate(frames) if "Crime ID" in f], ignore_index=True)
    if ids.empty:
        return ""
    shared = ids[ids["id"].duplicated(keep=False)]
    for i, count in shared["file"].value_counts().sort_index().items():
        total = int((ids["file"] == i).sum())
        if count >= COPIED * total:
            others = sorted(set(shared[shared["id"].isin(shared.loc[shared["file"] == i, "id"])]["file"]) - {i})
            return (f"{public_path(files[i])}: {count:,} of its {total:,} Crime IDs are also in "
                    f"{', '.join(public_path(files[j]) for j in others[:3])}: a copy of another file; keep one of them")
    return ""


def check_source(name: str, files: list[Path], frames: list[pd.DataFrame], params: Params) -> None:
    """Stop the run on another force's file or rows, or one month in two files (module docstring).

    Raises
    ------
    DataError
        Naming each file and what it holds.
    """
    problems = [p for path, frame in zip(files, frames) if (p := _other_force(path, frame, params))]
    if len(files) > 1:
        problems.append(_months_twice(files, frames) or _copied(files, frames))
    problems = [p for p in problems if p]
    if problems:
        raise DataError("\n".join(f"inputs.{name}: {p}" for p in problems))


def thin_months(frame: pd.DataFrame, coverage: tuple[str, ...]) -> list[str]:
    """Months with under half the median rows of their neighbours (up to three months either side), as notes
    with the counts: a download may have stopped early."""
    months = _month_column(frame)
    if months is None or len(coverage) < 3:
        return []
    rows = months.value_counts().reindex(list(coverage), fill_value=0)
    notes = []
    for i, month in enumerate(rows.index):
        near = pd.concat([rows.iloc[max(0, i - 3):i], rows.iloc[i + 1:i + 4]])
        typical = float(near.median())
        if typical > 0 and rows[month] < THIN * typical:
            notes.append(f"{month} has {rows[month]:,} rows, under half the {typical:,.0f} of the months around it: "
                         "check that its file was downloaded whole")
    return notes


def _informative(category: pd.Series) -> pd.Series:
    return ~category.fillna("").isin(UNINFORMATIVE)


def one_row_per_crime(frame: pd.DataFrame, row_files: np.ndarray, files: list[Path]) -> tuple[pd.DataFrame, str]:
    """One row per Crime ID (rows without one, anti-social behaviour, are all kept), and a note on what was merged;
    the kept rows' files (``row_files`` cut the same way) are in the result's ``attrs["row_files"]``.

    Rule: of a crime's rows, the one of the latest month; among those, one whose outcome says something (not
    blank, "Status update unavailable" or "Under investigation"); among those, the first in file order.
    """
    if "Crime ID" not in frame or frame["Crime ID"].notna().sum() == frame["Crime ID"].nunique():
        return frame, ""
    has_id = frame["Crime ID"].notna()
    order = pd.DataFrame({"id": frame["Crime ID"], "month": frame["Month"].fillna(""),
                          "informative": _informative(frame["Last outcome category"]),
                          "position": np.arange(len(frame))})[has_id]
    order = order.sort_values(["id", "month", "informative", "position"], ascending=[True, False, False, True],
                              kind="stable")
    keep = order.drop_duplicates("id", keep="first")["position"]
    repeated = int(has_id.sum() - len(keep))
    kept = np.sort(np.concatenate([keep.to_numpy(), np.flatnonzero(~has_id.to_numpy())]))
    twice = order["id"].duplicated(keep=False)
    crimes = int(order.loc[twice, "id"].nunique())
    where = [public_path(files[i]) for i in sorted(set(row_files[order.loc[twice, "position"].to_numpy()]))]
    shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
    note = (f"{repeated:,} repeated row(s) of {crimes:,} Crime ID(s) merged (in {shown}): each crime keeps its row "
            "of the latest month, with an outcome that says something where it has one (else its first row)")
    out = frame.iloc[kept].reset_index(drop=True)
    out.attrs["row_files"] = row_files[kept]
    return out, note


def latest_outcomes(crimes: pd.DataFrame, outcomes: pd.DataFrame, period: str) -> pd.Series:
    """Each crime's latest outcome category (module docstring), aligned with ``crimes``."""
    street = crimes["Last outcome category"]
    if outcomes is None or outcomes.empty:
        return street
    as_of = crimes["Month"].max()  # the street files' outcomes are restated at each release
    o = outcomes[outcomes["Month"] <= period].sort_values(["Crime ID", "Month"], kind="stable")
    last = o.drop_duplicates("Crime ID", keep="last").set_index("Crime ID")
    month = crimes["Crime ID"].map(last["Month"])
    category = crimes["Crime ID"].map(last["Outcome type"])
    later = month.notna() & ((month > as_of) | ((month == as_of) & ~_informative(street)))
    return category.where(later, street)


def unmatched_outcomes(crimes: pd.DataFrame, outcomes: pd.DataFrame, row_files: np.ndarray,
                       files: tuple[Path, ...]) -> tuple[int, list[Path]]:
    """(outcome rows that match no crime of the edition, the outcomes files none of whose rows match a crime);
    ``row_files`` gives each outcome row's file (its position in ``files``)."""
    matched = outcomes["Crime ID"].isin(crimes["Crime ID"].dropna().unique()).to_numpy()
    some = np.bincount(row_files[matched], minlength=len(files)) if len(files) else np.array([], dtype=int)
    rows = np.bincount(row_files, minlength=len(files)) if len(files) else np.array([], dtype=int)
    return int((~matched).sum()), [f for f, k, n in zip(files, some, rows) if n and not k]


def unmapped(values: pd.Series, params: Params) -> pd.Series:
    """Outcome categories in no group of ``outcomes.groups``, with their counts (blanks are not categories)."""
    text = values.dropna().astype(str)
    text = text[text.str.strip() != ""]
    known = {c for categories in params.outcomes.groups.values() for c in categories}
    return text[~text.isin(known)].value_counts()
