"""Measures derived from the raw inputs, month by month, so every chapter and the scorecard agree.

Each function returns one row per month from ``history_start`` to the period, with the count
meeting the standard (``x``), the records counted (``n``), the proportion ``p`` (NaN when n = 0:
"no data") and its Wilson interval. Months are calendar months in Europe/London time.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .compliance import proportion_ci
from .loading import Loaded
from .params import Params

COLUMNS = ["month", "x", "n", "p", "lower", "upper"]


def months(params: Params) -> list[str]:
    """Every month from history_start to the period, as YYYY-MM."""
    return list(pd.period_range(params.history_start, params.period_end, freq="M").astype(str))


def month_of(times: pd.Series) -> pd.Series:
    """Calendar month (YYYY-MM) of timezone-aware times, in their own (Europe/London) time."""
    return times.dt.strftime("%Y-%m")


def monthly_proportion(month: pd.Series, flag: pd.Series, all_months: list[str], method: str = "wilson") -> pd.DataFrame:
    """Per month: x = flagged records, n = records, p and its interval (NaN where n = 0)."""
    frame = pd.DataFrame({"month": month.to_numpy(), "flag": flag.astype(bool).to_numpy()})
    grouped = frame.groupby("month", sort=True)["flag"].agg(["sum", "size"])
    grouped = grouped.reindex(all_months, fill_value=0)
    out = pd.DataFrame({"month": all_months, "x": grouped["sum"].astype(int).to_numpy(),
                        "n": grouped["size"].astype(int).to_numpy()})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["p"] = np.where(out["n"] > 0, out["x"] / out["n"].where(out["n"] > 0, 1), np.nan)
    bounds = [proportion_ci(x, n, method=method) for x, n in zip(out["x"], out["n"])]
    out["lower"] = [b[0] for b in bounds]
    out["upper"] = [b[1] for b in bounds]
    return out[COLUMNS]


def ppn_submitted_in_time(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """PPNs submitted within the time limit, of all PPNs submitted in the month."""
    ppn = loaded["ppn"].frame
    return monthly_proportion(month_of(ppn["submitted_at"]), ppn["submitted_in_time"], months(params),
                              params.compliance.interval_method)


def ppn_all_children(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """PPNs with every child added, of PPNs where children were present."""
    ppn = loaded["ppn"].frame
    ppn = ppn[ppn["children_present"].fillna(False).astype(bool)]
    return monthly_proportion(month_of(ppn["submitted_at"]), ppn["all_children_added"].fillna(False), months(params),
                              params.compliance.interval_method)


def stop_search_grounds(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Stop and search records whose grounds were recorded, of all searches."""
    s = loaded["stop_search"].frame
    return monthly_proportion(month_of(s["Date"]), s["grounds_recorded"], months(params),
                              params.compliance.interval_method)


def stop_search_supervised(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Stop and search records reviewed by a supervisor, of all searches."""
    s = loaded["stop_search"].frame
    return monthly_proportion(month_of(s["Date"]), s["supervisor_reviewed"], months(params),
                              params.compliance.interval_method)


def stop_search_linked_outcome(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Searches whose outcome was linked to the object of search, of all searches."""
    s = loaded["stop_search"].frame
    return monthly_proportion(month_of(s["Date"]), s["Outcome linked to object of search"].fillna(False), months(params),
                              params.compliance.interval_method)


def da_arrest_rate(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Domestic-abuse crimes with an arrest, of domestic-abuse crimes reported in the month."""
    c = loaded["crimes"].frame
    c = c[c["domestic_abuse"].astype(bool)]
    return monthly_proportion(c["Month"], c["arrest_made"], months(params),
                              params.compliance.interval_method)


def audits(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Audit results per audit and month: x passed of n checked, with the interval."""
    a = loaded["audits"].frame
    frames = []
    for name in sorted(a["audit"].unique()):
        sub = a[a["audit"] == name]
        series = monthly_proportion(sub["month"], sub["passed"], months(params),
                              params.compliance.interval_method)
        series.insert(0, "audit", name)
        frames.append(series)
    return pd.concat(frames, ignore_index=True)


def pooled(series: pd.DataFrame, first: str, last: str) -> tuple[int, int]:
    """(x, n) summed over the months first..last inclusive."""
    window = series[(series["month"] >= first) & (series["month"] <= last)]
    return int(window["x"].sum()), int(window["n"].sum())


def quarter(month: str) -> str:
    """Financial quarter label of a month, e.g. '2019-12' -> '2019/20 Q3'."""
    year, m = int(month[:4]), int(month[5:])
    fy = year if m >= 4 else year - 1
    return f"{fy}/{(fy + 1) % 100:02d} Q{((m - 4) % 12) // 3 + 1}"
