"""The compliance chapter: each rate with its n and interval, a control chart, and tested changes.

Facts (:func:`compute`), besides the measure tables of :mod:`lib.measures.facts`:

- ``comparisons``: each compliance measure's period against two *disjoint* references — the
  baseline month and the months before the period (up to 11) — as two independent proportions
  (Newcombe interval, Fisher or chi-square test). Never "this month against a rolling 12 months
  that contains it": overlapping samples are not independent. Each row names its reference;
- ``audits`` and ``audit_period``: the ten-record audits by month, and the period's with the
  quarter to date pooled;
- ``audit_themes``: the audits' failed records by what they lacked (the audits file's optional
  ``failure_theme``), in the period and over the 12 months to it, most frequent first; a failed record without
  a theme is counted as "theme not recorded". Without the column there is no such table (not supplied).

The rest of the module presents those facts: tables, figures and sentences.
"""
from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd

from lib.config.schema import Params
from lib.inputs.loading import Loaded
from lib.measures import derived
from lib.present import (
    NO_DATA,
    UNUSUAL,
    fmt_int,
    fmt_interval,
    fmt_p,
    fmt_percent,
    fmt_points,
    fmt_target,
    month_label,
    month_range_label,
    needs,
    not_supplied,
    plain,
    table,
    text,
)
from lib.present.charts import control_chart
from lib.present.charts import spc as spcchart
from lib.present.columns import Column, lay_out
from lib.present.readings import short_reading
from lib.stats.disclosure import rule_text
from lib.stats.phases import NOT_RECORDED
from lib.stats.proportions import audit_sample_size, compare_proportions, margin_of_error, proportion_ci

NEEDS: tuple[str, ...] = ()
AFTER = ("measures",)

PREVIOUS_MONTHS = 11


def _references(params: Params, months: list[str]) -> list[tuple[str, str, str, str]]:
    """(comparison, label, first, last) of each reference period."""
    i = months.index(params.period)
    first = months[max(0, i - PREVIOUS_MONTHS)]
    out = [("baseline", f"{month_label(params.compliance.baseline_month)} (baseline)",
            params.compliance.baseline_month, params.compliance.baseline_month)]
    if i > 0:
        out.append(("months before", month_range_label(first, months[i - 1]), first, months[i - 1]))
    return out


COMPARISON_COLUMNS = ["measure_id", "comparison", "reference", "first", "last", "x1", "n1", "value1", "x2", "n2", "value2",
                      "difference", "lower", "upper", "p_value", "test", "significant"]


def measure_ids(catalogue: pd.DataFrame) -> list[str]:
    """The chapter's measures, in catalogue order: those the catalogue shows in it (``shown_in: [compliance]``)."""
    return [mid for mid, where in zip(catalogue["measure_id"], catalogue["shown_in"]) if "compliance" in where.split("; ")]


def comparisons(measure_months: pd.DataFrame, params: Params, ids: list[str]) -> pd.DataFrame:
    """The ``comparisons`` table (module docstring); a measure that is not supplied has none."""
    rows = []
    for mid in ids:
        s = measure_months[measure_months["measure_id"] == mid]
        if s.empty:
            continue
        months = list(s["month"])
        now = s[s["month"] == params.period].iloc[0]
        for kind, label, first, last in _references(params, months):
            if first == params.period:
                continue
            x2, n2 = derived.pooled(s, first, last)
            x1, n1 = (0, 0) if pd.isna(now["n"]) else (int(now["x"]), int(now["n"]))
            r = compare_proportions(x1, n1, x2, n2)
            rows.append({"measure_id": mid, "comparison": kind, "reference": label, "first": first, "last": last,
                         "x1": x1, "n1": n1, "value1": 100 * r.p1, "x2": x2, "n2": n2, "value2": 100 * r.p2,
                         "difference": 100 * r.difference, "lower": 100 * r.lower, "upper": 100 * r.upper,
                         "p_value": r.p_value, "test": r.test,
                         "significant": bool(r.p_value < 0.05) if not math.isnan(r.p_value) else False})
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def audit_tables(audit_series: pd.DataFrame, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(audits by month, the period's audits with the quarter to date pooled)."""
    q = derived.quarter(params.period)
    in_quarter = sorted(m for m in audit_series["month"].unique() if derived.quarter(m) == q and m <= params.period)
    rows = []
    for name, sub in audit_series.groupby("audit", sort=True):
        now = sub[sub["month"] == params.period].iloc[0]
        if pd.isna(now["n"]):
            now = now.fillna({"x": 0, "n": 0})
        xq, nq = derived.pooled(sub, in_quarter[0], params.period)
        lq, uq = proportion_ci(xq, nq, params.compliance.interval_method)
        rows.append({"audit": name, "x": now["x"], "n": now["n"], "value": now["value"], "lower": now["lower"],
                     "upper": now["upper"], "quarter": q, "quarter_first": in_quarter[0], "x_quarter": xq,
                     "n_quarter": nq, "value_quarter": 100 * xq / nq if nq else np.nan,
                     "lower_quarter": 100 * lq, "upper_quarter": 100 * uq})
    return audit_series, pd.DataFrame(rows)


NO_THEME = "theme not recorded"


def audit_themes(audits: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Failed audit records by theme: ``failures_month`` (the period), ``failures_12m`` (the 12 months to it) and
    ``share_12m`` (% of the 12 months' failures), most frequent over the 12 months first."""
    first = str(pd.Period(params.period, "M") - 11)
    failed = audits[~audits["passed"].astype(bool) & audits["month"].between(first, params.period)]
    theme = failed["failure_theme"].astype(object).where(failed["failure_theme"].notna(), NO_THEME)
    year = theme.value_counts()
    month = theme[failed["month"] == params.period].value_counts()
    out = pd.DataFrame({"theme": year.index, "failures_month": month.reindex(year.index, fill_value=0).to_numpy(),
                        "failures_12m": year.to_numpy()})
    out["share_12m"] = 100 * out["failures_12m"] / out["failures_12m"].sum() if len(out) else np.nan
    return out.sort_values(["failures_12m", "theme"], ascending=[False, True], kind="stable").reset_index(drop=True)


def compute(measure_months: pd.DataFrame, catalogue: pd.DataFrame, loaded: dict[str, Loaded],
            params: Params) -> dict[str, pd.DataFrame]:
    """The chapter's own facts (module docstring): those its inputs can give."""
    out = {"comparisons": comparisons(measure_months, params, measure_ids(catalogue))}
    if "audits" in loaded:
        out["audits"], out["audit_period"] = audit_tables(derived.audits(loaded, params), params)
        if loaded["audits"].supplies("failure_theme"):
            out["audit_themes"] = audit_themes(loaded["audits"].frame, params)
    return out


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(earlier["measure_months"], earlier["catalogue"], loaded, params)


# --- Presenting the facts ------------------------------------------------------------------------------

def _row(table: pd.DataFrame, **keys) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for k, v in keys.items():
        mask &= (table[k] == v).to_numpy()
    return table[mask].iloc[0]


def change_text(c: pd.Series) -> str:
    """A change as a table cell: '+46.4 points (42.9 to 49.9)'."""
    if math.isnan(c["difference"]):
        return NO_DATA
    return f"{fmt_points(c['difference'])} points ({fmt_points(c['lower'])} to {fmt_points(c['upper'])})"


CHANCE_COLUMN = "unlikely to be chance alone?"


def real_change(c: pd.Series) -> str:
    """Whether a change is unlikely to be chance alone, in words with the p-value: 'yes (p < 0.001)'."""
    if math.isnan(c["p_value"]):
        return NO_DATA
    return f"{'yes' if c['significant'] else 'no: it could be chance'} ({fmt_p(c['p_value'])})"


def significance(c: pd.Series, board: bool = False) -> str:
    """A sentence on a comparison: 'is up 46.4 points (95% CI 42.9 to 49.9) on March 2019 (baseline), ...'; for the
    board (``board``), the same without the method's words: 'is up 46.4 points on March 2019 (baseline), more than
    chance alone would explain'."""
    if math.isnan(c["difference"]):
        return f"against {c['reference']} cannot be tested: one of the periods has no data"
    direction = "up" if c["difference"] > 0 else "down"
    change = f"is {direction} {fmt_points(abs(c['difference']))[1:]} points on {c['reference']}"
    if board:
        return f"{change}, {'more than chance alone would explain' if c['significant'] else 'which could be chance'}"
    change += f" (95% CI {fmt_points(c['lower'])} to {fmt_points(c['upper'])})"
    if c["significant"]:
        return f"{change}, {UNUSUAL} ({fmt_p(c['p_value'])})"
    return f"{change}, which could be chance ({fmt_p(c['p_value'])})"


def measure_not_supplied(facts, mid: str) -> str:
    """'' when a measure is supplied, else 'not supplied (<why>)'."""
    p = _row(facts["measure_period"], measure_id=mid)
    return not_supplied(p["reason"]) if p["status"] == "not supplied" else ""


def _comparison(facts, mid: str, kind: str) -> pd.Series | None:
    comp = facts["comparisons"]
    hit = comp[(comp["measure_id"] == mid) & (comp["comparison"] == kind)]
    return hit.iloc[0] if len(hit) else None


def summary_table(facts, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the summary as shown, its numbers for the CSV): one row per compliance measure."""
    period, cat = facts["measure_period"], facts["catalogue"]
    baseline = f"{month_label(params.compliance.baseline_month)} (baseline)"
    shown, data = [], []
    for mid in measure_ids(cat):
        p, m = _row(period, measure_id=mid), _row(cat, measure_id=mid)
        base = _comparison(facts, mid, "baseline")
        if base is None:
            why = measure_not_supplied(facts, mid) or NO_DATA
            shown.append({"measure": m["short_name"], "n": why, month_label(params.period): why, "95% CI": "",
                          baseline: "", "change v baseline (points, 95% CI)": "", CHANCE_COLUMN: "",
                          "target": _target(m["target"]), "control chart": ""})
            data.append({"measure_id": mid, "month": params.period, "status": p["status"], "reason": p["reason"],
                         "target": m["target"]})
            continue
        shown.append({
            "measure": m["short_name"], "n": fmt_int(p["n"]), month_label(params.period): fmt_percent(p["value"]),
            "95% CI": fmt_interval(p["lower"], p["upper"]), baseline: fmt_percent(base["value2"]),
            "change v baseline (points, 95% CI)": change_text(base), CHANCE_COLUMN: real_change(base),
            "target": _target(m["target"]), "control chart": short_reading(p),
        })
        data.append({"measure_id": mid, "month": params.period, "status": p["status"], "reason": "",
                     "n": p["n"], "value": p["value"], "lower": p["lower"],
                     "upper": p["upper"], "baseline_month": base["first"], "baseline_value": base["value2"],
                     "change_points": base["difference"], "change_lower": base["lower"], "change_upper": base["upper"],
                     "p_value": base["p_value"], "target": m["target"], "variation": p["variation"],
                     "assurance": p["assurance"]})
    shown = pd.DataFrame(shown)
    # The reading first, after the measure: at laptop width the eye reaches it before the numbers behind it.
    return shown[["measure", "control chart", *[c for c in shown.columns if c not in ("measure", "control chart")]]], \
        pd.DataFrame(data)


def _target(value) -> str:
    """A compliance target as the summary shows it: whole percent, or 'no target set'."""
    return fmt_target(value, "percent") if pd.isna(value) else fmt_percent(value, 0)


def rows(facts) -> pd.DataFrame:
    """The period rows of the compliance measures (their readings are listed in the summary table)."""
    p = facts["measure_period"]
    return p[p["measure_id"].isin(measure_ids(facts["catalogue"]))]


chart_frame = spcchart.measure_frame


def _mean_text(value: float) -> str:
    return fmt_percent(value)


def _building(facts, mid: str, start: str, side: str) -> str:
    """The first months of new limits that read as concerns only because the change was still building."""
    new = chart_frame(facts, mid).query("month >= @start")["point_type"].tolist()
    k = next((i for i, t in enumerate(new) if t != "special_cause_concern"), len(new))
    if not k:
        return ""
    months = chart_frame(facts, mid).query("month >= @start")["month"].iloc[:k].tolist()
    when = month_label(months[0]) if k == 1 else month_range_label(months[0], months[-1])
    return (f" {when} {'reads' if k == 1 else 'read'} as unusual (a concern) against the new limits only because the "
            f"change was still building: {'it was' if k == 1 else 'they were'} already {side} the old average.")


def phase_sentences(facts, mid: str) -> list[str]:
    """What the control chart did with each listed change, the lasting changes no listed change explains, and why
    a process still changing has no assurance reading yet, in plain words (months, not points)."""
    out = []
    phases = facts.get("measure_phases")
    if phases is not None:
        for _, d in phases[phases["measure_id"] == mid].iterrows():
            head = f"After '{plain(d['intervention'])}' ({month_label(d['month'])})"
            if d["applied"]:
                lag = "" if not d["lag"] else f", starting {fmt_int(d['lag'])} month{'s' * (d['lag'] > 1)} after it"
                text_ = (f"{head} the rate stayed {d['side']} its old average of {_mean_text(d['old_mean'])} for "
                         f"{fmt_int(d['run'])} months in a row{lag}: a lasting change, so the limits are "
                         f"recalculated from {month_label(d['start'])} and the chart's reading is on the months since")
                if d["provisional"]:
                    text_ += f" (only {fmt_int(d['points'])} months so far, so the new limits are provisional)"
                out.append(text_ + "." + _building(facts, mid, d["start"], d["side"]))
                continue
            why = {
                "first_point": "it is the chart's first month, with nothing before it to compare",
                "already_rebased": f"the limits were already recalculated from {month_label(d['start'])}"
                if isinstance(d["start"], str) else "the limits were already recalculated",
                "too_few_points": f"only {fmt_int(d['points'])} months since: a lasting change needs 7 in a row on one "
                                  "side of the old average",
                "no_shift": (f"the rate has not stayed on one side of its old average of {_mean_text(d['old_mean'])} for "
                             "7 months in a row starting within 3 months of it"
                             + (f" (longest run since: {fmt_int(d['run'])} months {d['side']})" if d["run"] else "")),
                "too_late": (f"the run of {fmt_int(d['run'])} months {d['side']} the old average starts in "
                             f"{month_label(d['start'])}, too long after it to be its effect"
                             if isinstance(d["start"], str) else "the run after it starts too late to be its effect"),
            }[d["reason"]]
            out.append(f"{head} the limits are not recalculated: {why}.")
    changes = facts.get("measure_changes")
    if changes is not None:
        for _, g in changes[changes["measure_id"] == mid].iterrows():
            text_ = (f"From {month_label(g['start'])} the rate stayed {g['side']} its old average of "
                     f"{_mean_text(g['old_mean'])} for {fmt_int(g['length'])} months in a row, a lasting change that no "
                     f"listed change explains (marked on the chart: {spcchart.change_text(g['start'], NOT_RECORDED)}). "
                     "The chart reads the months since on their own")
            if g["provisional"]:
                text_ += f" (only {fmt_int(g['points'])} months so far, so their limits are provisional)"
            out.append(text_ + "; if a known change caused it, adding it to the report's list of changes (its "
                               "settings) names it here.")
    now = _row(facts["measure_period"], measure_id=mid)
    if now["assurance"] == "not_yet":
        out.append(f"The rate is still changing ({now['changing']}: the latest month is unusual against the current "
                   "limits), so the chart gives no assurance reading yet: limits drawn over a moving process describe "
                   "nothing. It will once the rate settles.")
    return out


def phase_note(facts, mid: str):
    """The control chart's changes as a paragraph under the chart (nothing when there are none)."""
    sentences = phase_sentences(facts, mid)
    return text(" ".join(sentences)) if sentences else None


def figure(facts, mid: str):
    """The control chart of one measure, with its icons; a sentence instead when it cannot be drawn."""
    chart = control_chart.measure_chart(facts, mid)
    if chart is None:
        name = _row(facts["catalogue"], measure_id=mid)["short_name"]
        return text(f"{name}: {measure_not_supplied(facts, mid) or 'no control chart: fewer than two months of data'}.")
    return chart


def figure_numbers(facts, mid: str, caption: str):
    """The numbers behind one measure's chart (a table), or nothing to show when there is no chart."""
    frame = chart_frame(facts, mid)
    if frame["value"].notna().sum() < 2:
        return None
    return table((spcchart.numbers(frame), frame[["month", "n", "value", "mean", "lpl", "upl", "point_type"]]),
                 caption=caption)


def audits(facts):
    """The period's audits and the quarter to date pooled (a table), or why there are none."""
    if "audit_period" not in facts:
        return text(f"Audits: {not_supplied(needs('audits'))}.")
    return table(audit_display(facts), caption="The month's ten-record audits, and the quarter to date pooled")


def audit_themes_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the audits' failures by theme as shown, the fact)."""
    t = facts["audit_themes"]
    return lay_out(t, [Column("what the failed records lacked", "theme", plain),
                       Column("failures this month", "failures_month", fmt_int),
                       Column("failures, 12 months", "failures_12m", fmt_int),
                       Column("share of the 12 months' failures", "share_12m", fmt_percent)]), t


def _of(x, n) -> str:
    """'12 of 15': records passed of those audited."""
    return f"{fmt_int(x)} of {fmt_int(n)}"


def audit_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the period's audits and the quarter to date as shown, the same as numbers)."""
    a = facts["audit_period"]
    q = a["quarter"].iloc[0] if len(a) else ""
    rate = partial(fmt_percent, digits=0)
    return lay_out(a, [Column("audit", "audit"), Column("passed", ("x", "n"), _of), Column("rate", "value", rate),
                       Column("95% CI", ("lower", "upper"), fmt_interval),
                       Column(f"{q} to date", ("x_quarter", "n_quarter"), _of), Column("quarter rate", "value_quarter", rate),
                       Column("quarter 95% CI", ("lower_quarter", "upper_quarter"), fmt_interval)]), a


def sentence(facts, mid: str, kind: str = "baseline", board: bool = False) -> str:
    """One measure's sentence: its rate this month in the catalogue's words for it (``sentence``: "98.5% of PPNs
    were submitted in time") and the change against a named reference; or why not (for the board: in plain words,
    :func:`significance`). The words are the catalogue's: the chapter's code holds none."""
    p = _row(facts["measure_period"], measure_id=mid)
    m = _row(facts["catalogue"], measure_id=mid)
    name, what = m["short_name"], m["sentence"]
    if measure_not_supplied(facts, mid):
        return f"{name}: {measure_not_supplied(facts, mid)}."
    if pd.isna(p["value"]):
        return f"{name}: no data this month."
    text_ = f"{fmt_percent(p['value'])} {what} ({fmt_int(p['n'])} records)" if board else \
        f"{fmt_percent(p['value'])} {what} (n = {fmt_int(p['n'])})"
    c = _comparison(facts, mid, kind)
    return text_ + (f"; the rate {significance(c, board)}." if c is not None else ".")


def narrative(facts, params: Params) -> dict[str, str]:
    """The texts glued into the chapter's prose, by key: each chapter measure's sentence as
    ``<measure id>_sentence`` (:func:`sentence`)."""
    texts = {"period_label": month_label(params.period),
             "baseline_label": month_label(params.compliance.baseline_month),
             "audit_margin": fmt_int(100 * margin_of_error(10)),
             "audit_n_for_10": fmt_int(audit_sample_size(0.10)),
             "disclosure_rule": rule_text(params.disclosure.min_count),
             "false_signals": spcchart.false_signals_sentence(rows(facts))}
    for mid in measure_ids(facts["catalogue"]):
        texts[f"{mid}_sentence"] = sentence(facts, mid)
    before = _comparison(facts, "stop_search_grounds", "months before")
    texts["ss_before_sentence"] = f"Against the months before, it {significance(before)}." \
        if before is not None else ""
    texts["ppn_now"] = fmt_percent(_row(facts["measure_period"], measure_id="ppn_submitted_in_time")["value"]) \
        if not measure_not_supplied(facts, "ppn_submitted_in_time") else "not supplied"
    base = _comparison(facts, "ppn_submitted_in_time", "baseline")
    texts["ppn_change"] = significance(base) if base is not None else "cannot be tested: not supplied"
    return texts
