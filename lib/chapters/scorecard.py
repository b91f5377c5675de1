"""The IMPACT scorecard: every measure of the strategic plan, scored against its target.

The measures' values, scores, statuses and control-chart icons are facts computed once
(:mod:`lib.measures.facts`); this module adds the scorecard's own facts — per priority, how many
measures met their target, and the measures that moved most against the same month last year —
and presents them. Measures "to be developed" are listed, never scored.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.config.schema import Params
from lib.present import (
    NO_DATA,
    NOT_SUPPLIED,
    agree,
    counted,
    fmt_int,
    fmt_score,
    fmt_target,
    fmt_value,
    label,
    month_label,
    month_range_label,
    not_supplied,
    round_half_up,
    score_shown,
    table,
)
from lib.present.charts import control_chart, layers
from lib.present.charts import spc as spcchart
from lib.present.columns import ROW, Column, lay_out
from lib.present.readings import reading_column, short_reading
from lib.present.tables import Short
from lib.present.vega import WIDTH, Chart
from lib.vocabulary import NO_TARGET, PRIORITIES

NEEDS: tuple[str, ...] = ()
AFTER = ("measures",)


def _scored(facts) -> pd.DataFrame:
    """The period's row of every IMPACT measure, with its catalogue entry, one row per measure and priority."""
    cat = facts["catalogue"]
    cat = cat[cat["priorities"] != ""]
    rows = cat.merge(facts["measure_period"], on="measure_id", how="left", suffixes=("", "_period"))
    rows = rows.assign(priority=rows["priorities"].str.split("; ")).explode("priority")
    rows["priority"] = pd.Categorical(rows["priority"], PRIORITIES, ordered=True)
    return rows.sort_values("priority", kind="stable").reset_index(drop=True)


def priority_summary(measure_period: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per priority: measures, to be developed, not supplied, with no target set, with no data, scored, met, and the
    median score.

    Scores are ratios on different scales, so they are not averaged: a mean would let one extreme
    measure (or a +inf) dominate. The board's question is how many measures meet their target; the
    median score says how far the typical measure is from it.
    """
    rows = []
    merged = catalogue.merge(measure_period, on="measure_id", how="left")
    for priority in PRIORITIES:
        sub = merged[merged["priorities"].str.split("; ").apply(lambda ps, p=priority: p in ps)]
        scored = sub[sub["score"].notna()]
        rows.append({"priority": priority, "measures": len(sub), "to_be_developed": int(sub["to_be_developed"].sum()),
                     "not_supplied": int((sub["status"] == "not supplied").sum()),
                     "no_target": int((sub["status"] == NO_TARGET).sum()),
                     "no_data": int((sub["status"] == "no data").sum()), "scored": len(scored),
                     "met": int((scored["score"] >= 1).sum()),
                     "median_score": float(np.median(scored["score"])) if len(scored) else np.nan})
    return pd.DataFrame(rows)


def movers(measure_months: pd.DataFrame, catalogue: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Every IMPACT measure's score now and in the same month last year, and the change, largest first."""
    last_year = str(pd.Period(params.period, "M") - 12)
    scores = measure_months.pivot(index="measure_id", columns="month", values="score")
    rows = []
    for mid in catalogue.loc[catalogue["priorities"] != "", "measure_id"]:
        if mid in scores.index and params.period in scores and last_year in scores:
            now, then = scores.at[mid, params.period], scores.at[mid, last_year]
            if np.isfinite(now) and np.isfinite(then):
                rows.append({"measure_id": mid, "score": now, "score_last_year": then, "change": now - then})
    out = pd.DataFrame(rows, columns=["measure_id", "score", "score_last_year", "change"])
    return out.sort_values(["change", "measure_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def compute(facts: dict, params: Params) -> dict[str, pd.DataFrame]:
    """The scorecard's own facts: ``priority_summary`` and ``movers``."""
    return {"priority_summary": priority_summary(facts["measure_period"], facts["catalogue"]),
            "movers": movers(facts["measure_months"], facts["catalogue"], params)}


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts: :func:`compute` over the measures' facts."""
    return compute(earlier, params)


# --- Presenting the facts ------------------------------------------------------------------------------

PROVISIONAL = Short("prov.", "provisional: outcomes are still arriving")


def current_text(value, n, unit: str, status: str = "", provisional: bool = False) -> str | tuple:
    """A measure's value with n for a proportion: '87.5% (n = 8,236)'; 'not supplied' when the inputs cannot
    give it; 'prov.' (keyed under the table) while outcomes are still arriving."""
    if status in ("not supplied", "to be developed"):
        return status
    text = fmt_value(value, unit)
    text += f" (n = {fmt_int(n)})" if unit == "percent" and not pd.isna(n) and text != NO_DATA else ""
    return (text, PROVISIONAL) if provisional and text != NO_DATA else text


def _sources(rows: pd.DataFrame) -> list:
    """Who set each target, as a letter keyed under the table ('a: force target', in the order first met): the
    sources are long and few, and the letter keeps the scorecard narrow."""
    letters: dict[str, str] = {}
    out = []
    for target, source in zip(rows["target"], rows["target_source"]):
        if not source or pd.isna(target):
            out.append("")
            continue
        letter = letters.setdefault(source, chr(ord("a") + len(letters)) if len(letters) < 26 else f"s{len(letters) + 1}")
        out.append(Short(letter, source))
    return out


def display(facts, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the scorecard as shown, one row per measure and priority; its numbers for the CSV)."""
    rows = _scored(facts)
    tbd = rows["to_be_developed"].to_numpy(bool)
    prev, last = str(pd.Period(params.period, "M") - 1), str(pd.Period(params.period, "M") - 12)
    month = {m: month_range_label(m, m) for m in (params.period, prev, last)}  # 'Dec 2019': the columns stay narrow
    shown = lay_out(rows.assign(priority=rows["priority"].astype(str), set_by=_sources(rows)), [
        Column("priority", "priority"),
        # the catalogue's short name, its full name in the key under the table (a full name ran 7 lines at 1280 px)
        Column("measure", ("short_name", "name"), lambda short, name: Short(short, name) if short and short != name
               else name),
        Column("better", "direction"),
        Column(month[params.period], ("value", "n", "unit", "status", "provisional"), current_text),
        Column("target", ("target", "unit"), fmt_target), Column("set by", "set_by"), Column("score", "score", fmt_score),
        Column(month[prev], ("previous", "unit"), fmt_value), Column(month[last], ("last_year", "unit"), fmt_value),
        Column("control chart", ROW, short_reading), Column("status", "status")])
    for col in shown.columns[3:-1]:  # the status says "to be developed" once: the row's other cells are blank
        shown.loc[tbd, col] = ""
    absent = (rows["status"] == "not supplied").to_numpy(bool)
    for col in (month[prev], month[last], "control chart"):
        shown.loc[absent, col] = "not supplied"
    shown.loc[absent, "score"] = ""
    # why a measure is not supplied, in the key under the table (a list: pandas would unpack a Short set cell by cell)
    # and one label for each reason ('not supplied (a)', '(b)'...), since a label stands for one set of words.
    reasons = list(dict.fromkeys(not_supplied(rows.at[i, "reason"]) for i in np.flatnonzero(absent)))
    labels = {r: NOT_SUPPLIED if len(reasons) == 1 else f"{NOT_SUPPLIED} ({chr(ord('a') + k)})"
              for k, r in enumerate(reasons)}
    shown["status"] = [Short(labels[not_supplied(rows.at[i, "reason"])], not_supplied(rows.at[i, "reason"])) if a else v
                       for i, (a, v) in enumerate(zip(absent, shown["status"]))]
    shown.loc[(rows["status"] == NO_TARGET).to_numpy(bool), "score"] = ""  # never scored: the status says why
    # Status and reading first, after the measure: at laptop width they were the columns cut off to the right.
    first = ["priority", "measure", "status", "control chart"]
    shown = shown[first + [c for c in shown.columns if c not in first]]
    data = rows[["priority", "measure_id", "name", "unit", "direction", "value", "n", "lower", "upper", "target",
                 "score", "previous", "last_year", "status", "reason", "provisional", "variation", "assurance", "changing",
                 "phase_start", "phase_cause"]].copy()
    data["priority"] = data["priority"].astype(str)
    return shown, data


def _share_met(met: int, scored: int) -> str:
    """The share of a priority's scored measures that met their target, whole per cent, or "no data"."""
    return f"{round_half_up(100 * met / scored):.0f}%" if scored else NO_DATA


PRIORITY_SUMMARY = (Column("priority", "priority"), Column("measures", "measures"),
                    Column("to be developed", "to_be_developed"), Column("not supplied", "not_supplied"),
                    Column("no target set", "no_target"), Column("no data", "no_data"), Column("scored", "scored"),
                    Column("met", "met"), Column("share met", ("met", "scored"), _share_met),
                    Column("median score", "median_score", fmt_score))


def summary_display(facts) -> pd.DataFrame:
    """The per-priority summary as shown."""
    return lay_out(facts["priority_summary"], PRIORITY_SUMMARY)


def score_matrix(facts, params: Params, months_back: int = 12) -> pd.DataFrame:
    """IMPACT scores by measure (rows, the catalogue's short names) and month (columns), the last months."""
    last = [str(pd.Period(params.period, "M") - k) for k in range(months_back - 1, -1, -1)]
    cat = facts["catalogue"]
    ids = cat.loc[(cat["priorities"] != "") & ~cat["to_be_developed"].astype(bool), "measure_id"]
    scores = facts["measure_months"].pivot(index="measure_id", columns="month", values="score")
    return scores.reindex(index=list(ids), columns=last)


def score_matrix_display(facts, params: Params) -> pd.DataFrame:
    """The score matrix as shown: scores by the one rule, measures by their short names."""
    matrix = score_matrix(facts, params)
    cat = facts["catalogue"].set_index("measure_id")
    shown = matrix.map(fmt_score)
    shown.loc[cat.loc[matrix.index, "target"].isna().to_numpy()] = NO_TARGET  # a measure without a target has no score
    shown.insert(0, "measure", [cat.at[i, "short_name"] for i in matrix.index])
    return shown.reset_index(drop=True)


def _signed(change: float) -> str:
    v = round_half_up(change, 2)
    return f"{'+' if v > 0 else '−' if v < 0 else '±'}{abs(v):.2f}"


def movers_display(facts, k: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(largest improvements, largest concerns) as shown: at most ``k`` measures whose score rose, and at most ``k``
    whose score fell, by the unrounded change rounded once for display (1.240 against 1.007 is +0.23, never the
    +0.24 between the rounded scores); a change that rounds to ±0.00 is in neither, and no measure is in both."""
    m = facts["movers"].join(facts["catalogue"].set_index("measure_id")["name"], on="measure_id")
    change = np.array([round_half_up(c, 2) for c in m["change"]])
    columns = (Column("measure", "name"), Column("score now", "score", fmt_score),
               Column("score a year ago", "score_last_year", fmt_score), Column("change", "change", _signed))
    return tuple(lay_out(frame.reset_index(drop=True), columns)
                 for frame in (m[change > 0].head(k), m[change < 0].tail(k).iloc[::-1]))


def counts(facts) -> dict[str, int]:
    """How many IMPACT measures there are, are to be developed, are not supplied, have no target set or no data, are
    scored and met."""
    cat = facts["catalogue"]
    ids = set(cat.loc[cat["priorities"] != "", "measure_id"])
    p = facts["measure_period"][facts["measure_period"]["measure_id"].isin(ids)]
    return {"total": len(ids), "tbd": int((p["status"] == "to be developed").sum()),
            "not_supplied": int((p["status"] == "not supplied").sum()), "no_target": int((p["status"] == NO_TARGET).sum()),
            "no_data": int((p["status"] == "no data").sum()), "scored": int(p["score"].notna().sum()),
            "met": int((p["status"] == "met").sum())}


def scored_ids(facts) -> list[str]:
    """The IMPACT measures that can be scored (every one but those to be developed), in catalogue order."""
    cat = facts["catalogue"]
    return list(cat.loc[(cat["priorities"] != "") & ~cat["to_be_developed"].astype(bool), "measure_id"])


def charts(facts):
    """Every scored measure's control chart, small, with its limits, target line and icons."""
    return control_chart.small_multiples(facts, scored_ids(facts))


def charts_table(facts):
    """The numbers beside the small multiples: each measure's current limits, target and reading."""

    shown, data = spcchart.limits_display(facts, scored_ids(facts))
    shown["reading"] = reading_column(facts, scored_ids(facts))
    return table((shown, data),
                 caption="Each scored measure's control chart: its current limits, target and reading")


def changes_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the scored measures' lasting changes whose cause is not recorded, as shown; the same as numbers): each is where
    its chart starts new limits, listed for the force to record what caused it."""
    ch = facts["measure_changes"]
    ch = ch[ch["measure_id"].isin(scored_ids(facts))].reset_index(drop=True)
    named = ch.join(facts["catalogue"].set_index("measure_id")[["short_name", "unit"]], on="measure_id")
    return lay_out(named, [
        Column("measure", "short_name"), Column("change from", "start", month_label),
        Column("what", ("length", "side", "old_mean", "unit"),
               lambda n, side, v, unit: f"{fmt_int(n)} months in a row {side} the old average of {fmt_value(v, unit)}"),
        Column("months since", ("points", "provisional"),
               lambda n, provisional: fmt_int(n) + (" (limits provisional)" if provisional else ""))]), ch


def changes_table(facts):
    """The table of :func:`changes_display`, or a sentence when there is none."""

    return table(changes_display(facts), caption="Lasting changes whose cause is not recorded",
                 empty="none found")


def counts_sentence(c: dict[str, int], period: str) -> str:
    """The scorecard in one paragraph, from :func:`counts`: how many measures, how many could not be scored and
    why, and how many of those scored met their desired level — each count agreeing with its words."""
    unscored = [f"{c['tbd']:,} {agree(c['tbd'], 'is', 'are')} still to be developed" if c["tbd"] else "",
                f"{c['not_supplied']:,} {agree(c['not_supplied'], 'is', 'are')} not supplied by these inputs"
                if c["not_supplied"] else "",
                f"{c['no_target']:,} {agree(c['no_target'], 'has', 'have')} no target set"
                if c["no_target"] else ""]
    unscored = [u for u in unscored if u]
    text = f"The plan lists {counted(c['total'], 'measure')}."
    if unscored:
        text += " " + "; ".join(unscored).capitalize() + ": listed, not scored."
    if c["scored"]:
        text += (f" In {month_label(period)}, {c['met']:,} of the {counted(c['scored'], 'scored measure')} met "
                 f"{agree(c['scored'], 'its', 'their')} desired level")
        text += (f"; {c['no_data']:,} had no data for the month." if c["no_data"] else ".")
    else:
        text += f" In {month_label(period)}, no measure could be scored."
    return text


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the scorecard's prose."""
    p = facts["measure_period"]
    return {"period_label": month_label(params.period), "counts_sentence": counts_sentence(counts(facts), params.period),
            "population_sentence": f"Rates per 1,000 divide a month's count by the force's population as the settings "
                                   f"give it, {fmt_int(params.scorecard.population)} residents (scorecard.population).",
            "false_signals": spcchart.false_signals_sentence(p[p["measure_id"].isin(scored_ids(facts))])}


def movers_empty(facts, direction: str) -> str:
    """What the movers table says when it has no row: no measure moved that way, or there is no score a year
    earlier to compare with (``direction``: "rose" or "fell")."""
    m = facts["movers"]
    comparable = int((m["score"].notna() & m["score_last_year"].notna()).sum()) if len(m) else 0
    if not comparable:
        return "no measure has a score for both this month and the same month last year, so none can be compared"
    return f"no measure's score {direction}"


def short_names(facts) -> dict[str, str]:
    """Measure id → its short name, for figure labels."""
    return dict(zip(facts["catalogue"]["measure_id"], facts["catalogue"]["short_name"]))


# --- Figures -----------------------------------------------------------------------------------------
def heatmap(matrix: pd.DataFrame, names: dict[str, str]) -> Chart:
    """IMPACT score by measure and month; purple at or above 1 (met), orange below (colour-blind safe), each cell
    labelled with its score as the tables show it."""
    f = matrix.rename_axis(index="measure_id", columns="month").stack(future_stack=True).rename("score").reset_index()
    f["month"] = f["month"].astype(str)
    f["measure"] = f["measure_id"].map(lambda i: label(names[i]))
    f["month_label"] = [month_range_label(m, m) for m in f["month"]]
    f["score_text"] = f["score"].map(fmt_score)
    f["met"] = f["score"].map(lambda v: "" if pd.isna(v) else "met" if score_shown(v) >= 1 else "not met")
    f["shade"] = f["score"].clip(0.5, 1.5)
    order = [label(names[i]) for i in matrix.index]
    labels = [month_range_label(m, m) for m in sorted(set(f["month"]))]
    base = alt.Chart(layers.rounded(f)).transform_filter("isValid(datum.score)").encode(
        x=alt.X("month_label:O", title=None, sort=labels, axis=alt.Axis(labelAngle=-45, orient="top")),
        y=alt.Y("measure:N", sort=order, title=None, axis=alt.Axis(labelLimit=230)),
        tooltip=[layers.tip("measure", "measure"), layers.tip("month_label", "month"),
                 layers.tip("score_text", "IMPACT score"), layers.tip("met", "target")])
    chart = alt.layer(
        base.mark_rect(stroke="white", strokeWidth=0.5).encode(color=alt.Color(
            "shade:Q", title="IMPACT score (1 = target met)",
            scale=alt.Scale(scheme="purpleorange", reverse=True, domain=[0.5, 1.5], domainMid=1),
            legend=alt.Legend(orient="bottom", gradientLength=200, titleLimit=300))),
        base.mark_text(fontSize=10).encode(text="score_text:N", color=alt.condition(
            "datum.shade < 0.7 || datum.shade > 1.3", alt.value("white"), alt.value("black"))),
    ).properties(width=WIDTH - 250, height=20 * len(order))
    data = f[["measure_id", "measure", "month", "score"]]
    return Chart.of(chart, data=layers.rounded(data, 4))
