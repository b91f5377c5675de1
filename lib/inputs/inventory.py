"""The period in data: what each input holds, how complete it is, and which rows were set aside."""
from __future__ import annotations

import pandas as pd

from lib.inputs.contracts import CONTRACTS
from lib.inputs.loading import Loaded, time_range
from lib.config.params import Params, public_path


def _contract(loaded: Loaded):
    return CONTRACTS["tracker" if loaded.name.startswith("tracker") else loaded.name]


def summary(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """One row per source: file, rows read, used, outside the window, set aside, date range."""
    rows = []
    for name, item in loaded.items():
        first, last = time_range(item)
        rows.append({
            "source": name,
            "file": public_path(item.path),
            "rows read": item.rows_read,
            "rows used": len(item.frame),
            "outside window": item.rows_outside_window,
            "set aside (defects)": item.rows_defective,
            "first": first,
            "last": last,
        })
    return pd.DataFrame(rows)


def completeness(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """Columns of the used rows that have blanks: share filled, and whether blanks are allowed."""
    rows = []
    for name, item in loaded.items():
        n = len(item.frame)
        for col in _contract(item).columns:
            filled = int(item.frame[col.name].notna().sum()) if n else 0
            if n and filled < n:
                rows.append({"source": name, "column": col.name, "filled %": round(100 * filled / n, 1),
                             "blank allowed": col.nullable})
    return pd.DataFrame(rows, columns=["source", "column", "filled %", "blank allowed"])


def defects(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """Every row-level defect found, per file, column and rule (with example row numbers)."""
    frames = [item.defects for item in loaded.values() if len(item.defects)]
    if not frames:
        return pd.DataFrame(columns=["file", "column", "rule", "rows", "example_rows"])
    return pd.concat(frames, ignore_index=True)


def monthly_rows(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Rows used per month (columns) and source (rows), for the dated sources."""
    months = pd.period_range(params.history_start, params.period_end, freq="M").astype(str)
    out = {}
    for name, item in loaded.items():
        col = _contract(item).time_column
        if col is None:
            continue
        values = item.frame[col]
        kind = next(c.kind for c in _contract(item).columns if c.name == col)
        month = values if kind == "month" else values.dt.strftime("%Y-%m")
        out[name] = month.value_counts().reindex(months, fill_value=0).astype(int)
    return pd.DataFrame(out).T.rename_axis("source")


def narrative(summary_table: pd.DataFrame, params: Params) -> dict[str, str]:
    """Texts glued into the data chapter's prose."""
    from lib.present import fmt_int

    return {
        "sources": fmt_int(len(summary_table)),
        "rows_read": fmt_int(summary_table["rows read"].sum()),
        "rows_used": fmt_int(summary_table["rows used"].sum()),
        "rows_aside": fmt_int(summary_table["set aside (defects)"].sum()),
        "rows_outside": fmt_int(summary_table["outside window"].sum()),
        "history_start": params.history_start.strftime("%B %Y"),
        "period_end": params.period_end.strftime("%-d %B %Y"),
        "on_row_error": params.validation.on_row_error,
    }
