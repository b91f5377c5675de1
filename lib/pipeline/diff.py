"""What changed between two sets of facts: two periods, two versions of one period, or any two builds.

:func:`diff` compares the facts a board reads — every measure's value, score and status, and the
staffing and programme headlines — and names the rest of the tables that differ. It is used for
the "changes from the previous version" note of a re-issued period and by ``python -m lib diff A B``
(:mod:`lib.pipeline.compare`).
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from lib.present import fmt_int, fmt_score, fmt_value

COLUMNS = ["what", "item", "then", "now"]
HEADLINES = {  # table -> (row key column, {column: label})
    "fcr_fit": (None, {"paid_hours": "best-fit paid hours a week", "current_paid_hours": "current pattern's paid hours"}),
    "fcr_gaps": ("roster", {"hours_under": "hours under-covered", "staff_hours_short": "staff-hours short"}),
    "irt_establishment": ("pattern", {"establishment": "establishment", "reactive_only": "officers for calls alone"}),
}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _measures(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]) -> list[dict]:
    names = new["catalogue"].set_index("measure_id")
    units = names["unit"]
    a = old["measure_period"].set_index("measure_id")
    b = new["measure_period"].set_index("measure_id")
    rows = []
    for mid in b.index.union(a.index):
        name = names["name"].get(mid, mid)
        unit = units.get(mid, "count")
        if mid not in a.index or mid not in b.index:
            rows.append({"what": "measure", "item": name, "then": "absent" if mid not in a.index else "present",
                         "now": "absent" if mid not in b.index else "present"})
            continue
        for col, shown in (("value", lambda v, u=unit: fmt_value(v, u)), ("score", fmt_score), ("status", str),
                           ("target", lambda v, u=unit: fmt_value(v, u))):
            then, now = a.at[mid, col], b.at[mid, col]
            if not _same(then, now) and shown(then) != shown(now):
                rows.append({"what": f"measure {col}", "item": name, "then": shown(then), "now": shown(now)})
    return rows


def _headlines(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]) -> list[dict]:
    rows = []
    for table, (key, columns) in HEADLINES.items():
        if table not in old or table not in new:
            continue
        a, b = old[table], new[table]
        a = a.set_index(key) if key else a.iloc[[0]].set_index(pd.Index(["all"]))
        b = b.set_index(key) if key else b.iloc[[0]].set_index(pd.Index(["all"]))
        for item in b.index.intersection(a.index):
            for col, label in columns.items():
                if not _same(a.at[item, col], b.at[item, col]):
                    rows.append({"what": label, "item": "" if item == "all" else str(item),
                                 "then": fmt_int(a.at[item, col]), "now": fmt_int(b.at[item, col])})
    if "programme_items" in old and "programme_items" in new:
        for status in ("complete", "overdue"):
            then = int((old["programme_items"]["status_at_end"] == status).sum())
            now = int((new["programme_items"]["status_at_end"] == status).sum())
            if then != now:
                rows.append({"what": f"programme items {status}", "item": "", "then": fmt_int(then), "now": fmt_int(now)})
    return rows


def diff(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every difference a board would notice, then the other tables that differ (``what, item, then, now``)."""
    rows = _measures(old, new) + _headlines(old, new)
    covered = {"measure_period", "catalogue", *HEADLINES, "programme_items", "version_changes", "version_changes_meta"}
    for name in sorted(set(old) | set(new)):
        if name in covered:
            continue
        if name not in old or name not in new:
            rows.append({"what": "table", "item": name, "then": "absent" if name not in old else "present",
                         "now": "absent" if name not in new else "present"})
            continue
        a, b = old[name].reset_index(drop=True), new[name].reset_index(drop=True)
        if a.shape != b.shape or list(a.columns) != list(b.columns) or not a.equals(b):
            rows.append({"what": "table", "item": name, "then": f"{len(a):,} rows", "now": f"{len(b):,} rows, changed"})
    return pd.DataFrame(rows, columns=COLUMNS)
