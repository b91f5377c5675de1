"""A measure off track: when it meets its target at the current trend, and whether the latest month moved it.

**Trajectory** (:func:`trajectory`). The trend is the ordinary least-squares line through the current
control-chart phase's judged months (month number against value; provisional months, which the chart
does not judge, are left out), so a lasting change the chart has already rebased on is not averaged with
the months before it. The measure meets its target at the first month after the period in which the fitted
line is on the target's good side (at or above it when higher is better, at or below when lower is). It
reads **not at the current rate** when

- the slope is zero or points away from the target (the line never reaches it), or
- that month is more than ``horizon`` months (24) after the period: a straight line carried further than
  two years describes nothing.

With fewer than ``MIN_POINTS`` (6) months in the current phase there is no trend to carry forward ("too
few months in the current phase"). A line already on the good side of the target at the month after the
period (the trend says the target is met, the month itself did not) gives that next month.

**Did the latest month move?** (:func:`movement`). The latest month's change from the previous month,
x_t − x_{t−1}, against the moving-range chart's upper limit of the current phase, 3.267 × mean moving
range (Wheeler's D4 for ranges of two; the mean moving range is the XmR chart's own, (upper limit − mean)
÷ 2.66). A change larger than that is more than ordinary month-to-month variation: "moved: better" or
"moved: worse" by the measure's direction; otherwise "not beyond ordinary variation". Either month
without a value: "no data".

References
----------
NHS England, *Making Data Count* (2019, 2021): XmR chart, limits = mean ± 2.66 × mean moving range.
D. J. Wheeler, *Understanding Variation* (2nd ed., 2000), ch. 5: the moving-range chart's upper limit,
3.267 × the mean moving range.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_POINTS = 6
HORIZON_MONTHS = 24
NOT_AT_RATE = "never at the current trend (flat or moving away from the target)"


def beyond(horizon: int) -> str:
    """The trajectory's words when the trend meets the target only after ``horizon`` months."""
    return f"not within {horizon} months at the current trend"
TOO_FEW = "too few months in the current phase"
RANGE_LIMIT = 3.267  # D4 for moving ranges of two points
LIMIT = 2.66  # the XmR chart's limits: mean ± 2.66 × mean moving range


@dataclass(frozen=True)
class Trajectory:
    """The trend's answer: ``month`` (YYYY-MM) the target is met at the current trend, or None with ``text``
    saying why; ``slope`` (units a month), ``points`` (months fitted), ``first`` (the first month fitted)."""

    month: str | None
    text: str
    slope: float
    points: int
    first: str | None


def trajectory(months, values, target: float, direction: str, period: str,
               horizon: int = HORIZON_MONTHS) -> Trajectory:
    """When a measure meets ``target`` at its current trend (module docstring for the method).

    Parameters
    ----------
    months, values
        The current phase's judged months (YYYY-MM) and their values, in the measure's unit.
    target
        The target, in the same unit.
    direction
        ``"higher"`` or ``"lower"`` (is better).
    period
        The reporting month (YYYY-MM); the first month a trajectory can give is the one after it.
    horizon
        Months after ``period`` beyond which a crossing reads :func:`beyond`.

    Raises
    ------
    ValueError
        A direction other than "higher" or "lower", or a horizon below 1.
    """
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction = {direction!r}: must be 'higher' or 'lower'")
    if horizon < 1:
        raise ValueError(f"horizon = {horizon}: must be at least 1 month")
    frame = pd.DataFrame({"month": list(months), "value": np.asarray(values, dtype=float)}).dropna()
    if len(frame) < MIN_POINTS:
        return Trajectory(None, TOO_FEW, math.nan, len(frame), None)
    t = np.array([pd.Period(m, "M").ordinal for m in frame["month"]], dtype=float)
    y = frame["value"].to_numpy()
    tc = t - t.mean()
    slope = float((tc * (y - y.mean())).sum() / (tc ** 2).sum())
    intercept = float(y.mean() - slope * t.mean())
    first = str(frame["month"].iloc[0])
    sign = 1 if direction == "higher" else -1
    now = pd.Period(period, "M").ordinal
    if sign * slope <= 0:
        return Trajectory(None, NOT_AT_RATE, slope, len(frame), first)
    crossing = (target - intercept) / slope  # the fitted line meets the target at this month number
    month = max(now + 1, math.ceil(crossing - 1e-9))
    if month - now > horizon:
        return Trajectory(None, beyond(horizon), slope, len(frame), first)
    label = str(pd.Period(ordinal=month, freq="M"))
    return Trajectory(label, label, slope, len(frame), first)


def movement(latest: float, previous: float, upper_limit: float, mean: float, direction: str) -> dict:
    """Whether the latest month moved the number beyond ordinary variation (module docstring).

    Returns ``change`` (latest − previous), ``ordinary`` (the largest ordinary month-to-month change,
    3.267 × mean moving range; NaN without limits) and ``moved``: "moved: better", "moved: worse", "not beyond
    ordinary variation", "no limits to judge against" or "no data".
    """
    if any(v is None or pd.isna(v) for v in (latest, previous)):
        return {"change": math.nan, "ordinary": math.nan, "moved": "no data"}
    change = float(latest) - float(previous)
    if upper_limit is None or pd.isna(upper_limit) or pd.isna(mean):
        return {"change": change, "ordinary": math.nan, "moved": "no limits to judge against"}
    ordinary = RANGE_LIMIT * (float(upper_limit) - float(mean)) / LIMIT
    if abs(change) <= ordinary:
        return {"change": change, "ordinary": ordinary, "moved": "not beyond ordinary variation"}
    better = (change > 0) == (direction == "higher")
    return {"change": change, "ordinary": ordinary, "moved": "moved: better" if better else "moved: worse"}
