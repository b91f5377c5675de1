"""Is the control-room model right? Its prediction for the staff on duty against what was achieved.

For every interval of the period and every staffed route the model (Erlang C, or Erlang A when
the route has a patience in ``fcr.patience_seconds``; :mod:`lib.staffing.queue`) predicts the share of calls answered
within the route's target, from the calls expected in that interval (the mean for its hour of the
week over the period, as the requirement uses: the queue model already allows for the calls'
random variation about it), the period's handling time for that hour of day, and the staff on duty:

* with a telephony export (``inputs.staffing``): the staff logged on to the route in that interval.
  An export gives average staff, which may be fractional; the service level of a fractional
  staffing is interpolated linearly between the whole numbers either side;
* without it: the rostered pattern (``fcr.current_pattern``) on the phones, cover × (1 − shrinkage),
  shared between routes as their requirements are (as the control room's ``achieved`` does),
  and the chapter says so.

Achieved is measured in the model's own terms: calls answered within the target of all calls
offered, a call abandoned before answer counting as not answered in time (the scorecard measure
counts answered calls only, so it reads a little higher; the chapter quotes both). Predictions and
achievements are pooled (call-weighted) over the period for each hour of the week; the error is
predicted minus achieved, in percentage points, for each hour of the week, averaged with the hour's
calls as weights (so the errors are those of the calls, as the totals are): its mean absolute value
and its mean, the bias (above 0, the model is optimistic; it equals predicted minus achieved over the
period).

The staff the model says were needed to achieve what was observed, per hour of the week, is the
fewest whole staff whose predicted service level, at that hour's mean calls and handling time, is
at least the achieved one (an achieved 100% is taken as 99.9%: no finite staffing reaches 100% in
the model).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.inputs.loading import Loaded
from lib.staffing import queue
from lib.staffing.queue import route_service_level, route_target
from lib.vocabulary import TIMEZONE

HIGHEST_SL = 0.999


def predicted(staff, calls, aht, seconds, interval, params: Params, route: str) -> np.ndarray:
    """Service level for (possibly fractional) average ``staff``: linear between the whole numbers either side."""
    staff = np.asarray(staff, dtype=float)
    low = np.floor(staff + 1e-9)
    frac = np.clip(staff - low, 0, 1)
    sl_low = route_service_level(params, route, low, calls, aht, seconds, interval)
    if not (frac > 1e-9).any():
        return sl_low
    sl_high = route_service_level(params, route, low + 1, calls, aht, seconds, interval)
    return sl_low + frac * (sl_high - sl_low)


def _period_index(params: Params, minutes: int) -> pd.DatetimeIndex:
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    return pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")


def _per_interval(loaded: dict[str, Loaded], params: Params, route: str, index: pd.DatetimeIndex,
                  minutes: int) -> pd.DataFrame:
    """Calls offered and answered within the route's target per interval of ``index``."""
    c = loaded["contacts"].frame
    c = c[c["route"] == route]
    _, seconds = route_target(params, route)
    step = minutes * 60 * 10**9
    ns = c["presented_at"].dt.tz_convert("UTC").dt.as_unit("ns").astype("int64").to_numpy()
    slot = (ns - index.as_unit("ns")[0].value) // step
    inside = (slot >= 0) & (slot < len(index))
    wait = (c["answered_at"] - c["presented_at"]).dt.total_seconds().to_numpy()
    in_time = ~c["abandoned"].astype(bool).to_numpy() & (wait <= seconds)
    offered = np.bincount(slot[inside], minlength=len(index))
    within = np.bincount(slot[inside], weights=in_time[inside].astype(float), minlength=len(index))
    return pd.DataFrame({"offered": offered, "within": within}, index=index)


def _logged_on(loaded: dict[str, Loaded], route: str, index: pd.DatetimeIndex) -> np.ndarray:
    s = loaded["staffing"].frame
    s = s[s["route"] == route].set_index("interval_start")["staff_logged_on"]
    return s.reindex(index).to_numpy(dtype=float)


def staff_for(params: Params, route: str, calls, aht, seconds: float, levels, interval: float) -> np.ndarray:
    """Fewest whole staff whose modelled service level is at least ``levels`` (one per interval)."""
    return np.asarray(queue.required_agents(calls, aht, seconds, levels, interval,
                                            patience_seconds=params.fcr.patience(route)), dtype=float)


def _check(loaded, params: Params, route: str, index: pd.DatetimeIndex, minutes: int, staff: np.ndarray,
           handle: np.ndarray, source: str) -> tuple[pd.DataFrame, dict]:
    """One route, one staff source: per hour of the week, and the period's summary row."""
    _, seconds = route_target(params, route)
    interval = minutes * 60
    how = np.asarray(index.day_of_week * 24 + index.hour)
    counts = _per_interval(loaded, params, route, index, minutes)
    offered = counts["offered"].to_numpy()
    # The model's calls are the expected calls of the interval's hour of the week (the mean over the period), as
    # in the requirement: Erlang's queue already holds the Poisson variation of the calls about that mean, so
    # the calls actually offered in an interval would count it twice (busy hours would be predicted too low).
    expected_calls = pd.Series(offered).groupby(how).transform("mean").to_numpy()
    sl = predicted(staff, expected_calls, handle, seconds, interval, params, route)
    frame = pd.DataFrame({"how": how, "offered": offered, "within": counts["within"].to_numpy(),
                          "expected": sl * offered, "staff": staff, "handle": handle})
    g = frame.groupby("how").agg(calls=("offered", "sum"), within=("within", "sum"), expected=("expected", "sum"),
                                 staff=("staff", "mean"), intervals=("offered", "size"),
                                 handle=("handle", "mean")).reindex(range(168))
    has = (g["calls"] > 0).to_numpy()
    calls = g["calls"].to_numpy(dtype=float)
    achieved = np.divide(g["within"].to_numpy(dtype=float), calls, out=np.full(168, np.nan), where=has)
    model = np.divide(g["expected"].to_numpy(dtype=float), calls, out=np.full(168, np.nan), where=has)
    mean_calls = calls / g["intervals"].to_numpy(dtype=float)
    target_sl = np.clip(np.nan_to_num(achieved, nan=0.0), 1e-6, HIGHEST_SL)
    needed = np.zeros(168)
    needed[has] = staff_for(params, route, mean_calls[has], g["handle"].to_numpy(float)[has], seconds, target_sl[has],
                            interval)
    hours = pd.DataFrame({"how": range(168), "route": route, "source": source, "calls": calls,
                          "achieved_pct": 100 * achieved, "predicted_pct": 100 * model,
                          "staff_on_duty": g["staff"].to_numpy(dtype=float), "staff_needed": needed})
    err = 100 * (model - achieved)[has]
    weights = calls[has]
    total = offered.sum()
    row = {"route": route, "source": source, "calls": int(total),
           "achieved_pct": 100 * frame["within"].sum() / total if total else np.nan,
           "predicted_pct": 100 * frame["expected"].sum() / total if total else np.nan,
           "mae_points": float(np.average(np.abs(err), weights=weights)) if err.size else np.nan,
           "bias_points": float(np.average(err, weights=weights)) if err.size else np.nan,
           "staff_on_duty": float(np.mean(hours["staff_on_duty"].to_numpy()[has])) if has.any() else np.nan,
           "staff_needed": float(np.mean(needed[has])) if has.any() else np.nan}
    return hours, row


EXPORT, PATTERN = "telephony export", "rostered pattern"


def compute(loaded: dict[str, Loaded], params: Params, requirement: pd.DataFrame, pattern_cover: np.ndarray | None,
            aht: dict[str, pd.Series]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The check for each staff source there is: the telephony export (``inputs.staffing``) and the rostered
    pattern (``fcr.current_pattern``; ``pattern_cover`` is its cover per hour of the week, or None).

    Returns
    -------
    hours : DataFrame
        Per hour of the week, route and source: calls, achieved_pct, predicted_pct, staff_on_duty, staff_needed.
    summary : DataFrame
        Per route and source: calls, achieved_pct, predicted_pct, mae_points, bias_points, staff_on_duty,
        staff_needed (means over the hours of the week with calls). The first source is the check's own: the
        export when there is one.
    """
    exported = "staffing" in loaded
    minutes = int(loaded["staffing"].frame["interval_minutes"].iloc[0]) if exported else params.fcr.interval_minutes
    index = _period_index(params, minutes)
    how = np.asarray(index.day_of_week * 24 + index.hour)
    routes = params.fcr.routes
    need = requirement[[f"agents {r}" for r in routes]].to_numpy(dtype=float)
    total = need.sum(axis=1, keepdims=True)
    share = np.divide(need, total, out=np.full_like(need, 1 / len(routes)), where=total > 0)
    hours, rows = [], []
    for i, route in enumerate(routes):
        handle = aht[route].reindex(index.hour).to_numpy(dtype=float)
        sources = []
        if exported:
            sources.append((EXPORT, _logged_on(loaded, route, index)))
        if pattern_cover is not None:
            on_phones = np.floor(np.asarray(pattern_cover, dtype=float) * (1 - params.fcr.shrinkage) + 1e-9)
            sources.append((PATTERN, np.floor(on_phones[how] * share[how, i] + 1e-9)))
        for source, staff in sources:
            h, row = _check(loaded, params, route, index, minutes, staff, handle, source)
            hours.append(h)
            rows.append(row)
    columns = ["route", "source", "calls", "achieved_pct", "predicted_pct", "mae_points", "bias_points",
               "staff_on_duty", "staff_needed"]
    if not rows:
        return pd.DataFrame(), pd.DataFrame(columns=columns)
    return pd.concat(hours, ignore_index=True), pd.DataFrame(rows, columns=columns)
