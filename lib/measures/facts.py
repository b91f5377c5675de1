"""Every measure's facts for the period, computed once: monthly values, control chart, and the period's row.

Tables (each tidy, one row per measure and month, or per measure):

- ``catalogue``: the measure catalogue as used (id, names, unit, direction, target and its source,
  priorities joined by "; ", to be developed, owner: the accountable role, and the sentence a compliance
  measure reads in, "" for a measure with none);
- ``measure_months``: value, x, n, interval and IMPACT score per measure and month;
- ``measure_spc``: the Making Data Count XmR chart of each measure's monthly values (months with a
  value only) in phases (:func:`lib.stats.phases.phases`: limits locked on each phase's first 12
  months; a new phase after a listed intervention followed by a sustained shift, or at a sustained
  shift whose cause is not recorded). Months marked ``provisional`` are drawn (``point_type``
  "provisional", the current phase's limits carried on) but left out of the limits and signals;
  with fewer than 12 other months nothing is judged (``point_type`` "not_judged", no limits);
- ``measure_phases``: what was done with each listed intervention and why; ``measure_changes``: the
  sustained shifts no intervention explains, each starting a phase ("cause not recorded"), for the
  analyst to record;
- ``measure_period``: the period's row per measure — value, n, interval, the previous month, the same
  month last year, the target, score, status and the chart's reading (:func:`lib.stats.reading.read`:
  variation, assurance, the direction of a process still changing, the current phase's start, cause
  and length) — which the scorecard, the compliance chapter, the exceptions and the summary all read.

A measure the inputs cannot give (an input or a force-only column not supplied) has the status
"not supplied", with the reason, and no monthly values; a measure without a target in the
catalogue has the status "no target set", no score and no assurance reading; a measure based on
crime outcomes marks its latest ``outcomes.lag_months`` months provisional.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lib.config.schema import Params
from lib.inputs.loading import Loaded
from lib.measures.derived import catalogue, missing, series, with_standards
from lib.measures.impact import impact_score, status
from lib.stats import phases, reading, spc

NEEDS: tuple[str, ...] = ()  # every measure says itself what it lacks ("not supplied")
AFTER: tuple[str, ...] = ()

OUTCOME_BASED = ("derived:crimes_solved",)  # rates that rise as outcomes arrive months later
SPC_COLUMNS = ["measure_id", "month", "value", "group", "mean", "lpl", "upl", "nlpl", "nupl", "point_type",
               "short_group", "provisional"]
PERIOD_COLUMNS = ["measure_id", "value", "x", "n", "lower", "upper", "previous", "last_year", "target", "score", "status",
                  "reason", "provisional", "variation", "assurance", "changing", "months_judged", "phase_start",
                  "phase_cause", "phase_points", "provisional_limits"]


def catalogue_table(catalogue: list) -> pd.DataFrame:
    """The catalogue as a table."""
    return pd.DataFrame([{
        "measure_id": m.id, "name": m.name, "short_name": m.short_name, "priorities": "; ".join(m.priorities),
        "unit": m.unit, "direction": m.direction, "target": np.nan if m.desired is None else m.desired,
        "target_source": m.desired_source, "source": m.source, "to_be_developed": m.to_be_developed,
        "shown_in": "; ".join(m.shown_in), "owner": m.owner, "sentence": m.sentence or "",
    } for m in catalogue])


PHASE_COLUMNS = ["measure_id", "intervention", "month", "applied", "reason", "start", "lag", "run", "side", "old_mean",
                 "points", "provisional"]
CHANGE_COLUMNS = ["measure_id", "start", "length", "side", "old_mean", "points", "provisional"]


def control_chart(values: pd.DataFrame, direction: str, target: float | None,
                  interventions: dict[str, str] | None = None) -> phases.Phases:
    """XmR chart of a measure's monthly values (months with no value are left off) in phases
    (:func:`lib.stats.phases.phases`): limits locked on each phase's first 12 months, a new phase after a listed
    intervention followed by a sustained shift, or at a sustained shift whose cause is not recorded.

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
    changes = [{"measure_id": mid, "start": c.start, "length": c.length, "side": c.side, "old_mean": c.mean,
                "points": c.points, "provisional": c.provisional} for c in result.changes]
    return decisions, changes


def interventions_for(params: Params, measure_id: str) -> dict[str, str]:
    """The interventions the params list for a measure: month → what changed."""
    return {i.month: i.label for i in params.interventions if measure_id in i.measures}


def _at(frame: pd.DataFrame, month: str, col: str) -> float:
    hit = frame.loc[frame["month"] == month, col]
    return float(hit.iloc[0]) if len(hit) else np.nan


def measure_chart(s: pd.DataFrame, m, interventions: dict[str, str], latest: float = np.nan
                  ) -> tuple[pd.DataFrame, phases.Phases | None, dict]:
    """A measure's chart as drawn, its phases and its reading, from its monthly values up to the period.

    ``s``: month, value and provisional (bool) by month; ``m``: the catalogue entry (direction, desired);
    ``latest``: the period's value, which the reading must not contradict. Returns the chart (the judged months in
    phases, then the provisional months, drawn but not judged, the current phase's limits carried on; with fewer
    than 12 judged months every month "not_judged" and no limits), the :class:`lib.stats.phases.Phases` (None when
    not judged) and the period row's reading columns (module docstring).
    """
    drawn = s[s["value"].notna()]
    judged = drawn[~drawn["provisional"].astype(bool)]
    if len(judged) < reading.MIN_MONTHS:
        frame = drawn[["month", "value", "provisional"]].assign(group=0, short_group=True)
        frame["point_type"] = np.where(frame["provisional"].astype(bool), "provisional", "not_judged")
        count = len(judged)
        return frame, None, {"variation": reading.TOO_FEW if count else "no data", "assurance": "", "changing": "",
                             "months_judged": count, "phase_start": None, "phase_cause": "", "phase_points": count,
                             "provisional_limits": True}
    result = control_chart(judged, m.direction, m.desired, interventions)
    frame = result.chart.rename(columns={"x": "month"}).assign(provisional=False)
    late = drawn[drawn["provisional"].astype(bool) & (drawn["month"] > judged["month"].iloc[-1])]
    if len(late):
        carried = frame.iloc[[-1] * len(late)].assign(month=late["month"].to_numpy(), value=late["value"].to_numpy(),
                                                     point_type="provisional", provisional=True)
        frame = pd.concat([frame, carried], ignore_index=True)
    r = reading.read(result, latest=latest)
    causes = {d.start: d.intervention for d in result.decisions if d.applied}
    causes.update({c.start: phases.NOT_RECORDED for c in result.changes})
    return frame, result, {"variation": r.variation, "assurance": r.assurance, "changing": r.changing,
                           "months_judged": r.months, "phase_start": r.phase_start,
                           "phase_cause": causes.get(r.phase_start, ""), "phase_points": r.phase_points,
                           "provisional_limits": r.provisional_limits}


def compute(catalogue: list, loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The measure tables of the module docstring (a measure with a ``standard`` takes its target from there)."""
    catalogue = with_standards(catalogue, params)
    period = params.period
    previous, last_year = str(pd.Period(period, "M") - 1), str(pd.Period(period, "M") - 12)
    monthly, charts, rows, phase_rows, change_rows = [], [], [], [], []
    provisional_from = str(pd.Period(period, "M") - params.outcomes.lag_months + 1)
    for m in catalogue:
        has_target = m.desired is not None
        base = {"measure_id": m.id, "target": m.desired if has_target else np.nan, "reason": ""}
        if m.to_be_developed:
            rows.append({**base, "status": "to be developed", "variation": "", "assurance": ""})
            continue
        reason = missing(m, loaded)
        if reason:
            rows.append({**base, "status": "not supplied", "reason": reason, "variation": "", "assurance": ""})
            continue
        s = series(m, loaded, params)
        s["score"] = impact_score(s["value"].to_numpy(), m.desired if has_target else np.nan, m.direction)
        s["provisional"] = (m.source in OUTCOME_BASED) & (s["month"] >= provisional_from) & s["value"].notna()
        monthly.append(s.assign(measure_id=m.id))
        frame, result, read = measure_chart(s[s["month"] <= period], m, interventions_for(params, m.id),
                                            _at(s, period, "value"))
        if len(frame):
            charts.append(frame.assign(measure_id=m.id))
        if result is not None:
            decided, changed = _phase_rows(m.id, result)
            phase_rows += decided
            change_rows += changed
        score = _at(s, period, "score")
        rows.append({**base, **{c: _at(s, period, c) for c in ("value", "x", "n", "lower", "upper")},
                     "previous": _at(s, previous, "value"), "last_year": _at(s, last_year, "value"),
                     "score": score, "status": status(score, has_target),
                     "provisional": bool(_at(s, period, "provisional") == 1),
                     **read})
    month_cols = ["measure_id", "month", "value", "x", "n", "lower", "upper", "score", "provisional"]
    months = pd.concat(monthly, ignore_index=True)[month_cols] if monthly else pd.DataFrame(columns=month_cols)
    spc_table = pd.concat(charts, ignore_index=True).reindex(columns=SPC_COLUMNS) if charts \
        else pd.DataFrame(columns=SPC_COLUMNS)
    period_rows = pd.DataFrame(rows, columns=PERIOD_COLUMNS)
    for col in ("provisional", "provisional_limits"):
        period_rows[col] = period_rows[col].astype(object).fillna(False).astype(bool)
    for col in ("changing", "phase_cause"):
        period_rows[col] = period_rows[col].fillna("")
    return {"catalogue": catalogue_table(catalogue), "measure_months": months, "measure_spc": spc_table,
            "measure_period": period_rows, "measure_phases": pd.DataFrame(phase_rows, columns=PHASE_COLUMNS),
            "measure_changes": pd.DataFrame(change_rows, columns=CHANGE_COLUMNS)}



def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The measures' facts (:func:`compute`, with the params' catalogue)."""
    return compute(catalogue(params.catalogue_path()), loaded, params)
