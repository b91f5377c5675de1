"""Every measure's facts for the period, computed once: monthly values, control chart, and the period's row.

Tables (each tidy, one row per measure and month, or per measure):

- ``catalogue``: the measure catalogue as used (id, names, unit, direction, target and its source,
  priorities joined by "; ", to be developed);
- ``measure_months``: value, x, n, interval and IMPACT score per measure and month;
- ``measure_spc``: the Making Data Count XmR chart of each measure's monthly values (months with a
  value only), limits recalculated after an intervention listed in the params (``interventions``) when
  a sustained shift follows it;
- ``measure_phases``: what was done with each listed intervention and why; ``measure_suggestions``:
  sustained shifts found in the current phases, suggested as rebase points but not applied;
- ``measure_period``: the period's row per measure — value, n, interval, the previous month, the same
  month last year, the target, score, status and the SPC icons — which the scorecard, the
  compliance chapter and the summary all read.

A measure the inputs cannot give (an input or a force-only column not supplied) has the status
"not supplied", with the reason, and no monthly values; a measure based on crime outcomes marks its
latest ``outcomes.lag_months`` months provisional.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.inputs.loading import Loaded
from lib.measures.derived import missing, series
from lib.measures.impact import impact_score, status
from lib.stats import phases, spc

OUTCOME_BASED = ("derived:crimes_solved",)  # rates that rise as outcomes arrive months later
SPC_COLUMNS = ["measure_id", "month", "value", "group", "mean", "lpl", "upl", "nlpl", "nupl", "point_type",
               "short_group"]


def catalogue_table(catalogue: list) -> pd.DataFrame:
    """The catalogue as a table."""
    return pd.DataFrame([{
        "measure_id": m.id, "name": m.name, "short_name": m.short_name, "priorities": "; ".join(m.priorities),
        "unit": m.unit, "direction": m.direction, "target": np.nan if m.desired is None else m.desired,
        "target_source": m.desired_source, "source": m.source, "to_be_developed": m.to_be_developed,
    } for m in catalogue])


PHASE_COLUMNS = ["measure_id", "intervention", "month", "applied", "reason", "start", "lag", "run", "side", "old_mean",
                 "points", "provisional"]
SUGGESTION_COLUMNS = ["measure_id", "start", "length", "side", "mean", "points"]


def control_chart(values: pd.DataFrame, direction: str, target: float | None,
                  interventions: dict[str, str] | None = None) -> phases.Phases:
    """XmR chart of a measure's monthly values (months with no value are left off), its limits recalculated
    after an intervention only when a sustained shift follows it (:func:`lib.stats.phases.phases`); without
    interventions, the sustained shifts it finds are suggested, not applied.

    ``interventions`` maps a month to what changed; one dated in a month with no value takes effect at the
    next month with one (the chart's next point), and one after the last is left out.
    """
    data = values.dropna(subset=["value"])
    months = list(data["month"])
    placed: dict[str, str] = {}
    for month, what in sorted((interventions or {}).items()):
        at = next((m for m in months if m >= month), None)
        if at is not None and at not in placed:
            placed[at] = what
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)  # short groups are flagged in the table
        return phases.phases(pd.Series(data["value"].to_numpy(), index=data["month"]), placed or None,
                          "increase" if direction == "higher" else "decrease", target=target)


def _phase_rows(mid: str, result: phases.Phases) -> tuple[list[dict], list[dict]]:
    decisions = [{"measure_id": mid, "intervention": d.intervention, "month": d.at, "applied": d.applied,
                  "reason": d.reason, "start": d.start, "lag": d.lag, "run": d.run, "side": d.side,
                  "old_mean": d.old_mean, "points": d.points, "provisional": d.provisional} for d in result.decisions]
    suggestions = [{"measure_id": mid, "start": s.start, "length": s.length, "side": s.side, "mean": s.mean,
                    "points": s.points} for s in result.suggestions]
    return decisions, suggestions


def interventions_for(params: Params, measure_id: str) -> dict[str, str]:
    """The interventions the params list for a measure: month → what changed."""
    return {i.month: i.label for i in params.interventions if measure_id in i.measures}


def _at(frame: pd.DataFrame, month: str, col: str) -> float:
    hit = frame.loc[frame["month"] == month, col]
    return float(hit.iloc[0]) if len(hit) else np.nan


def compute(catalogue: list, loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The measure tables of the module docstring."""
    period = params.period
    previous, last_year = str(pd.Period(period, "M") - 1), str(pd.Period(period, "M") - 12)
    monthly, charts, rows, phase_rows, suggestion_rows = [], [], [], [], []
    provisional_from = str(pd.Period(period, "M") - params.outcomes.lag_months + 1)
    for m in catalogue:
        base = {"measure_id": m.id, "target": np.nan if m.desired is None else m.desired, "reason": ""}
        if m.to_be_developed:
            rows.append({**base, "status": "to be developed", "variation": "", "assurance": ""})
            continue
        reason = missing(m, loaded)
        if reason:
            rows.append({**base, "status": "not supplied", "reason": reason, "variation": "", "assurance": ""})
            continue
        s = series(m, loaded, params)
        s["score"] = impact_score(s["value"].to_numpy(), m.desired, m.direction)
        s["provisional"] = (m.source in OUTCOME_BASED) & (s["month"] >= provisional_from) & s["value"].notna()
        monthly.append(s.assign(measure_id=m.id))
        icons = {"variation": "no data", "assurance": ""}
        upto = s[s["month"] <= period]
        if upto["value"].notna().sum() >= 2:
            result = control_chart(upto, m.direction, m.desired, interventions_for(params, m.id))
            charts.append(result.chart.rename(columns={"x": "month"}).assign(measure_id=m.id))
            decided, suggested = _phase_rows(m.id, result)
            phase_rows += decided
            suggestion_rows += suggested
            # On the current phase: a measure that has met its target since the change is not "will miss".
            icons = {"variation": spc.variation_icon(result.chart),
                     "assurance": spc.assurance_icon(result.chart) or "no target"}
        score = _at(s, period, "score")
        rows.append({**base, **{c: _at(s, period, c) for c in ("value", "x", "n", "lower", "upper")},
                     "previous": _at(s, previous, "value"), "last_year": _at(s, last_year, "value"),
                     "score": score, "status": status(score), "provisional": bool(_at(s, period, "provisional") == 1),
                     **icons})
    month_cols = ["measure_id", "month", "value", "x", "n", "lower", "upper", "score", "provisional"]
    months = pd.concat(monthly, ignore_index=True)[month_cols] if monthly else pd.DataFrame(columns=month_cols)
    spc_table = pd.concat(charts, ignore_index=True)[SPC_COLUMNS] if charts else pd.DataFrame(columns=SPC_COLUMNS)
    period_rows = pd.DataFrame(rows, columns=["measure_id", "value", "x", "n", "lower", "upper", "previous", "last_year",
                                              "target", "score", "status", "reason", "provisional", "variation",
                                              "assurance"])
    period_rows["provisional"] = period_rows["provisional"].fillna(False).astype(bool)
    return {"catalogue": catalogue_table(catalogue), "measure_months": months, "measure_spc": spc_table,
            "measure_period": period_rows, "measure_phases": pd.DataFrame(phase_rows, columns=PHASE_COLUMNS),
            "measure_suggestions": pd.DataFrame(suggestion_rows, columns=SUGGESTION_COLUMNS)}
