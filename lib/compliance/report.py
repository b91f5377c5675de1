"""The compliance chapter: each rate with its n and interval, an SPC chart, and a tested change.

A change is tested between two *disjoint* periods (the reporting month against the baseline month,
or the month against the 11 months before it), never "this month against a rolling 12 months that
contains it", because overlapping samples are not independent.
"""
from __future__ import annotations

import math
import warnings

import pandas as pd

from lib.measures import derived as measures
from lib.stats import spc
from lib.present.charts import spc as spcchart
from lib.stats.disclosure import rule_text
from lib.stats.proportions import audit_sample_size, compare_proportions, margin_of_error, proportion_ci
from lib.config.params import Params
from lib.present import NO_DATA, fmt_pct, round_half_up
from lib.present.charts.spc import describe

# id -> (title, function)
MEASURES = {
    "ppn_submitted_in_time": ("PPN submitted in time", measures.ppn_submitted_in_time),
    "ppn_all_children": ("PPN with all children added", measures.ppn_all_children),
    "stop_search_grounds": ("Stop and search: grounds recorded", measures.stop_search_grounds),
    "stop_search_supervised": ("Stop and search: supervisor reviewed", measures.stop_search_supervised),
    "da_arrest_rate": ("Domestic abuse crimes with an arrest", measures.da_arrest_rate),
}


def fmt_p(p: float) -> str:
    """A p-value as text: 'p < 0.001' or 'p = 0.042'."""
    if math.isnan(p):
        return NO_DATA
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def significance(x1: int, n1: int, x2: int, n2: int) -> str:
    """A sentence on whether x1/n1 differs from x2/n2 (Newcombe interval, Fisher or chi-square test)."""
    r = compare_proportions(x1, n1, x2, n2)
    if math.isnan(r.difference):
        return "cannot be tested: one of the periods has no data"
    direction = "up" if r.difference > 0 else "down"
    change = f"{direction} {abs(r.difference) * 100:.1f} points (95% CI {r.lower * 100:.1f} to {r.upper * 100:.1f})"
    if r.p_value < 0.05:
        return f"is {change}, a statistically significant change ({fmt_p(r.p_value)})"
    return f"is {change}, which is not statistically significant ({fmt_p(r.p_value)}): it could be chance"


def _change_columns(x1: int, n1: int, x2: int, n2: int) -> dict[str, str]:
    r = compare_proportions(x1, n1, x2, n2)
    if math.isnan(r.difference):
        return {"change (points, 95% CI)": NO_DATA, "real change?": NO_DATA}
    return {"change (points, 95% CI)": f"{r.difference * 100:+.1f} ({r.lower * 100:.1f} to {r.upper * 100:.1f})",
            "real change?": f"{'yes' if r.p_value < 0.05 else 'not shown'}, {fmt_p(r.p_value)}"}


def chart(series: pd.DataFrame, target: float | None, rebase_at: str | None = None) -> pd.DataFrame:
    """XmR frame of the monthly proportions (months with no data are left off the chart)."""
    data = series.dropna(subset=["p"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)  # the numbers table shows short groups
        frame = spc.xmr(pd.Series(data["p"].to_numpy(), index=data["month"]), improvement="increase", target=target,
                        rebase_at=[rebase_at] if rebase_at else None)
    frame["n"] = data["n"].to_numpy()
    return frame


def summary(series_by_id: dict[str, pd.DataFrame], params: Params) -> pd.DataFrame:
    """One row per measure: the period's rate with n and interval, baseline, change and SPC icons."""
    rows = []
    base = params.compliance.baseline_month
    for mid, series in series_by_id.items():
        now = series[series["month"] == params.period].iloc[0]
        then = series[series["month"] == base].iloc[0]
        frame = _chart_of(mid, series, params)
        target = getattr(params.compliance.targets_pct, mid)
        rows.append({
            "measure": MEASURES[mid][0],
            "n": int(now["n"]),
            params.period: fmt_pct(now["p"]),
            "95% CI": NO_DATA if now["n"] == 0 else f"{fmt_pct(now['lower'])} to {fmt_pct(now['upper'])}",
            base: fmt_pct(then["p"]),
            **_change_columns(int(now["x"]), int(now["n"]), int(then["x"]), int(then["n"])),
            "target": "none" if target is None else f"{target:g}%",
            "SPC": describe(spc.variation_icon(frame), spc.assurance_icon(frame)),
        })
    return pd.DataFrame(rows)


def series(loaded, params: Params) -> dict[str, pd.DataFrame]:
    """Every compliance measure's monthly series, by id."""
    return {mid: make(loaded, params) for mid, (_, make) in MEASURES.items()}


def _chart_of(mid: str, series: pd.DataFrame, params: Params) -> pd.DataFrame:
    target = getattr(params.compliance.targets_pct, mid)
    return chart(series, None if target is None else target / 100, params.compliance.rebase_at.get(mid))


def figure(mid: str, series_by_id: dict[str, pd.DataFrame], params: Params):
    """The SPC chart of one measure, with its icons."""
    frame = _chart_of(mid, series_by_id[mid], params)
    return spcchart.plot(frame, MEASURES[mid][0], "% of records", spc.variation_icon(frame), spc.assurance_icon(frame))


def figure_numbers(mid: str, series_by_id: dict[str, pd.DataFrame], params: Params) -> pd.DataFrame:
    """The numbers behind one measure's chart."""
    return spcchart.numbers(_chart_of(mid, series_by_id[mid], params))


def month_against_previous(series: pd.DataFrame, params: Params, months_before: int = 11) -> dict:
    """The period's month against the ``months_before`` months before it (disjoint), pooled."""
    all_months = list(series["month"])
    i = all_months.index(params.period)
    first = all_months[max(0, i - months_before)]
    last = all_months[i - 1]
    x2, n2 = measures.pooled(series, first, last)
    now = series.iloc[i]
    lower, upper = proportion_ci(x2, n2)
    return {"x1": int(now["x"]), "n1": int(now["n"]), "p1": now["p"], "x2": x2, "n2": n2,
            "p2": x2 / n2 if n2 else math.nan, "lower2": lower, "upper2": upper, "first": first, "last": last,
            "sentence": significance(int(now["x"]), int(now["n"]), x2, n2)}


def audit_table(audit_series: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The period's ten-record audits, and each audit pooled over the quarter to date."""
    q = measures.quarter(params.period)
    in_quarter = [m for m in audit_series["month"].unique() if measures.quarter(m) == q and m <= params.period]
    rows = []
    for name, sub in audit_series.groupby("audit", sort=True):
        now = sub[sub["month"] == params.period].iloc[0]
        xq, nq = measures.pooled(sub, min(in_quarter), params.period)
        lq, uq = proportion_ci(xq, nq)
        rows.append({
            "audit": name,
            "passed": f"{int(now['x'])} of {int(now['n'])}",
            "rate": fmt_pct(now["p"], 0),
            "95% CI": NO_DATA if now["n"] == 0 else f"{fmt_pct(now['lower'], 0)} to {fmt_pct(now['upper'], 0)}",
            f"{q} to date": f"{xq} of {nq}",
            "quarter rate": fmt_pct(xq / nq if nq else math.nan, 0),
            "quarter 95% CI": NO_DATA if nq == 0 else f"{fmt_pct(lq, 0)} to {fmt_pct(uq, 0)}",
        })
    return pd.DataFrame(rows)


def _change(series: pd.DataFrame, month: str, base: str) -> str:
    now = series[series["month"] == month].iloc[0]
    then = series[series["month"] == base].iloc[0]
    return significance(int(now["x"]), int(now["n"]), int(then["x"]), int(then["n"]))


def narrative(series_by_id: dict[str, pd.DataFrame], stop_search: dict, params: Params) -> dict[str, str]:
    """The texts glued into the chapter's prose, by key."""
    base = params.compliance.baseline_month

    def rate(mid: str, month: str) -> str:
        s = series_by_id[mid]
        return fmt_pct(s[s["month"] == month].iloc[0]["p"])

    return {
        "period_label": params.period_end.strftime("%B %Y"),
        "baseline_label": pd.Period(base, "M").strftime("%B %Y"),
        "ppn_now": rate("ppn_submitted_in_time", params.period),
        "ppn_base": rate("ppn_submitted_in_time", base),
        "ppn_change": _change(series_by_id["ppn_submitted_in_time"], params.period, base),
        "children_now": rate("ppn_all_children", params.period),
        "children_base": rate("ppn_all_children", base),
        "children_change": _change(series_by_id["ppn_all_children"], params.period, base),
        "da_now": rate("da_arrest_rate", params.period),
        "da_base": rate("da_arrest_rate", base),
        "da_change": _change(series_by_id["da_arrest_rate"], params.period, base),
        "ss_now": fmt_pct(stop_search["p1"]),
        "ss_n": f"{stop_search['n1']:,}",
        "ss_prev": fmt_pct(stop_search["p2"]),
        "ss_prev_n": f"{stop_search['n2']:,}",
        "ss_prev_range": f"{stop_search['first']} to {stop_search['last']}",
        "ss_change": stop_search["sentence"],
        "supervised_now": rate("stop_search_supervised", params.period),
        "audit_margin": f"{round_half_up(100 * margin_of_error(10)):.0f}",
        "audit_n_for_10": f"{audit_sample_size(0.10)}",
        "disclosure_rule": rule_text(params.disclosure.min_count),
    }
