"""Every measure's facts for the period, computed once: monthly values, control chart, and the period's row.

Tables (each tidy, one row per measure and month, or per measure):

- ``catalogue``: the measure catalogue as used (id, names, unit, direction, target and its source,
  priorities joined by "; ", to be developed);
- ``measure_months``: value, x, n, interval and IMPACT score per measure and month;
- ``measure_spc``: the Making Data Count XmR chart of each measure's monthly values (months with a
  value only), limits recalculated from ``compliance.rebase_at`` where given;
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
from lib.stats import spc

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


def control_chart(values: pd.DataFrame, direction: str, target: float | None, rebase_at: str | None) -> pd.DataFrame:
    """XmR frame of a measure's monthly values (months with no value are left off the chart)."""
    data = values.dropna(subset=["value"])
    rebase = [rebase_at] if rebase_at and rebase_at in set(data["month"]) and rebase_at != data["month"].iloc[0] else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)  # short groups are flagged in the table
        frame = spc.xmr(pd.Series(data["value"].to_numpy(), index=data["month"]),
                        "increase" if direction == "higher" else "decrease", target=target, rebase_at=rebase)
    return frame.rename(columns={"x": "month"})


def _at(frame: pd.DataFrame, month: str, col: str) -> float:
    hit = frame.loc[frame["month"] == month, col]
    return float(hit.iloc[0]) if len(hit) else np.nan


def compute(catalogue: list, loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The measure tables of the module docstring."""
    period = params.period
    previous, last_year = str(pd.Period(period, "M") - 1), str(pd.Period(period, "M") - 12)
    monthly, charts, rows = [], [], []
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
            chart = control_chart(upto, m.direction, m.desired, params.compliance.rebase_at.get(m.id))
            charts.append(chart.assign(measure_id=m.id))
            icons = {"variation": spc.variation_icon(chart), "assurance": spc.assurance_icon(chart) or "no target"}
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
            "measure_period": period_rows}
