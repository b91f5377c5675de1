"""Statistical process control in the NHS England *Making Data Count* style.

``xmr`` follows NHSRplotthedots (``ptd_spc``) point for point: limits at mean ± 2.66 × mean moving
range (MR), with moving ranges of 3.267 × mean MR or more screened out once when
``screen_outliers``; "near limits" at mean ± 1.773 × mean MR (2σ); then four rules, in this order
of precedence, within each rebase group (phase):

1. a point outside the process limits;
2. a trend of 7 points all rising or all falling (6 strict steps; a tie breaks it);
3. two out of three consecutive points beyond 2σ (not beyond 3σ) on the same side, all three on
   that side of the mean;
4. a run of 7 points on one side of the mean (a point on the mean breaks it).

Each flagged point is an improvement or a concern according to the improvement direction (or
neutral high/low). The icons are read on the current (last) phase only: the variation icon is its
last point's type, the assurance icon compares the target with its limits. We implement this
ourselves because no Python library follows NHSRplotthedots' exact rules and precedence.

``p_chart`` and ``p_prime_chart`` are for proportions with varying denominators; Laney's p′ chart
widens the p-chart limits by the between-period variation, which large denominators otherwise
turn into a flood of false signals. Both take ``rebase_at`` like ``xmr`` (p̄ and σ_z per phase).

Recalculating limits after a change (sustained shifts, interventions) is :mod:`lib.stats.phases`.

References
----------
NHS England (2019). *Making Data Count: Getting started*; and *Making Data Count: Strengthening
your decisions*. NHS England and NHS Improvement.
NHSRplotthedots, NHS-R Community: R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R; vignettes intro.Rmd and number-of-points-required.Rmd.
Laney, D. B. (2002). Improved control charts for attributes. *Quality Engineering* 14(4), 531-537.
Graban, M. (2019). *Measures of Success*; "Questions on shifts and recalculating limits".
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lib.errors import ModelError

LIMIT = 2.66
NEAR = 2 * LIMIT / 3
SCREEN = 3.267
D2 = 1.128  # mean moving range / sigma for n = 2
SHORT_GROUP = 12
IMPROVEMENT = {"increase": 1, "decrease": -1, "neutral": 0}
POINT_TYPES = ("common_cause", "special_cause_improvement", "special_cause_concern",
               "special_cause_neutral_high", "special_cause_neutral_low")


class ShortSeriesWarning(UserWarning):
    """Fewer points than Making Data Count recommends (12) for reliable limits."""


def _direction(improvement: str) -> int:
    if improvement not in IMPROVEMENT:
        raise ModelError(f"improvement = {improvement!r}: must be one of 'increase', 'decrease', 'neutral'")
    return IMPROVEMENT[improvement]


def seven_one_side(rtm: np.ndarray) -> np.ndarray:
    """1 where a point and the 6 before it are on the same side of the mean (sign != 0)."""
    n = len(rtm)
    out = np.zeros(n)
    for i in range(6, n):
        window = rtm[i - 6:i + 1]
        out[i] = float(rtm[i] != 0 and np.all(window == rtm[i]))
    return out


def part_of_seven(flags: np.ndarray) -> np.ndarray:
    """1 where this point or any of the next 6 is flagged (marks all 7 points of a run)."""
    n = len(flags)
    padded = np.concatenate([np.abs(flags), np.zeros(6)])
    return np.array([float(np.any(padded[i:i + 7] == 1)) for i in range(n)])


def seven_trend(y: np.ndarray) -> np.ndarray:
    """+1 / -1 at the 7th point of 7 strictly rising / falling points, else 0."""
    n = len(y)
    out = np.zeros(n)
    for i in range(6, n):
        steps = np.sign(np.diff(y[i - 6:i + 1]))
        if np.all(steps == 1):
            out[i] = 1
        elif np.all(steps == -1):
            out[i] = -1
    return out


def two_in_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    """1 where a point is in a window of 3 with >= 2 near-limit points, all 3 on one side of the mean."""
    n = len(close)
    v = np.concatenate([[0, 0], close.astype(float), [0, 0]])
    r = np.concatenate([[0, 0], rtm.astype(float), [0, 0]])
    out = np.zeros(n)
    for i in range(n):
        out[i] = float(any(v[i + k:i + k + 3].sum() >= 2 and abs(r[i + k:i + k + 3].sum()) == 3 for k in range(3)))
    return out


def special_cause_type(y, rtm, close, outside) -> list[str]:
    """NHSRplotthedots' special-cause label per point, rules in order of precedence."""
    y = np.asarray(y, dtype=float)
    trend = part_of_seven(seven_trend(y))
    two3 = two_in_three(close, rtm) * (close == 1)
    run = part_of_seven(seven_one_side(rtm))
    n = len(y)
    sdy = np.sign(np.diff(y))
    # Direction of a trend point: the step to the right while the trend continues, else from the left.
    right = np.concatenate([sdy, sdy[-1:]]) if n > 1 else np.zeros(n)
    left = np.concatenate([[0.0], sdy])
    nxt = np.concatenate([trend[1:], [0.0]])
    step = np.where((nxt != 0) & (trend != 0), right, left)
    out = []
    for i in range(n):
        side = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            out.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i]:
            out.append(f"7 Point Trend ({'In' if step[i] == 1 else 'De'}creasing)")
        elif two3[i]:
            out.append(f"2 in 3 {side} CL")
        elif run[i]:
            out.append(f"7 Points {side} CL")
        else:
            out.append("Common Cause")
    return out


def point_type(labels: list[str], direction: int) -> list[str]:
    """Turn special-cause labels into improvement / concern / neutral point types."""
    out = []
    for label in labels:
        v = 1 if ("Above" in label or "Increasing" in label) else -1 if ("Below" in label or "Decreasing" in label) else 0
        if v == 0:
            out.append("common_cause")
        elif direction == 0:
            out.append("special_cause_neutral_high" if v > 0 else "special_cause_neutral_low")
        else:
            out.append("special_cause_improvement" if v * direction > 0 else "special_cause_concern")
    return out


def _groups(n: int, rebase_at, index) -> np.ndarray:
    group = np.zeros(n, dtype=int)
    for where in rebase_at or []:
        pos = where if isinstance(where, (int, np.integer)) and index is None else None
        if pos is None:
            matches = np.flatnonzero(np.asarray(index) == where) if index is not None else []
            if len(matches) != 1:
                raise ModelError(f"rebase_at = {where!r}: not a point of the series")
            pos = int(matches[0])
        if not 0 < pos < n:
            raise ModelError(f"rebase_at = {where!r}: must start a new group after the first point")
        group[pos:] += 1
    return group


def as_values(values) -> tuple[np.ndarray, object]:
    """A series' values as floats, every one present (SPC needs a value for every point), and its index (None for an
    array)."""
    index = values.index if isinstance(values, pd.Series) else None
    y = np.asarray(values, dtype=float)
    if y.ndim != 1:
        raise ModelError("values must be one-dimensional")
    if np.isnan(y).any():
        where = ", ".join(str(i) for i in np.flatnonzero(np.isnan(y))[:5])
        raise ModelError(f"values has no value at position(s) {where}; SPC needs a value for every point "
                         f"(show months with no data as 'no data', outside the chart)")
    return y, index


def _classify(frame: pd.DataFrame, direction: int) -> pd.DataFrame:
    y = frame["value"].to_numpy()
    outside = (y > frame["upl"].to_numpy()) | (y < frame["lpl"].to_numpy())
    rtm = np.sign(y - frame["mean"].to_numpy())
    close = ~outside & ((y < frame["nlpl"].to_numpy()) | (y > frame["nupl"].to_numpy()))
    frame["outside_limits"] = outside
    frame["relative_to_mean"] = rtm.astype(int)
    frame["close_to_limits"] = close
    labels: list[str] = []
    for g in np.unique(frame["group"].to_numpy()):
        m = frame["group"].to_numpy() == g
        labels += special_cause_type(y[m], rtm[m], close[m].astype(int), outside[m])
    frame["special_cause_type"] = labels
    frame["point_type"] = point_type(labels, direction)
    sizes = frame.groupby("group")["value"].transform("size")
    frame["short_group"] = sizes < SHORT_GROUP
    if frame["short_group"].any():
        warnings.warn(f"{int(frame['short_group'].sum())} point(s) are in groups of fewer than {SHORT_GROUP}: "
                      "limits are unreliable", ShortSeriesWarning, stacklevel=3)
    return frame


def _fix(fix_after_n) -> None:
    if fix_after_n is not None and (int(fix_after_n) != fix_after_n or fix_after_n < 2):
        raise ModelError(f"fix_after_n = {fix_after_n!r}: must be a whole number >= 2")


def xmr(values, improvement: str = "increase", target: float | None = None, screen_outliers: bool = True,
        rebase_at=None, fix_after_n: int | None = None) -> pd.DataFrame:
    """XmR chart (individuals and moving range) with Making Data Count rules.

    Parameters
    ----------
    values : array-like or Series
        One value per period, in time order, no gaps (a Series keeps its index as ``x``).
    improvement : {"increase", "decrease", "neutral"}
    target : float, optional
        Used for the assurance icon (see :func:`assurance_icon`); stored in the ``target`` column.
    screen_outliers : bool, default True
        Drop moving ranges >= 3.267 × mean MR (once) before computing the limits.
    rebase_at : list, optional
        Positions (or index labels of a Series) where a new set of limits starts.
    fix_after_n : int, optional
        Compute each group's mean and limits from its first n points only.

    Returns
    -------
    DataFrame
        One row per point: ``x, value, group, mean, lpl, upl, nlpl, nupl, outside_limits,
        relative_to_mean, close_to_limits, special_cause_type, point_type, short_group, target``.

    Warns
    -----
    ShortSeriesWarning
        A group has fewer than 12 points.
    """
    direction = _direction(improvement)
    y, index = as_values(values)
    _fix(fix_after_n)
    n = len(y)
    frame = pd.DataFrame({"x": index if index is not None else np.arange(n), "value": y,
                          "group": _groups(n, rebase_at, index)})
    for col in ("mean", "lpl", "upl", "nlpl", "nupl"):
        frame[col] = np.nan
    for g in np.unique(frame["group"]):
        m = frame["group"].to_numpy() == g
        fix_y = y[m].copy()
        if fix_after_n is not None:
            fix_y[int(fix_after_n):] = np.nan
        mean = np.nanmean(fix_y)
        mr = np.concatenate([[np.nan], np.abs(np.diff(fix_y))])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a one-point group has no moving range
            amr = np.nanmean(mr)
            if screen_outliers:
                mr = np.where(mr < SCREEN * amr, mr, np.nan)
                amr = np.nanmean(mr)
        frame.loc[m, "mean"] = mean
        frame.loc[m, "lpl"], frame.loc[m, "upl"] = mean - LIMIT * amr, mean + LIMIT * amr
        frame.loc[m, "nlpl"], frame.loc[m, "nupl"] = mean - NEAR * amr, mean + NEAR * amr
    frame = _classify(frame, direction)
    frame["target"] = np.nan if target is None else float(target)
    frame.attrs["improvement"] = improvement
    return frame


def as_proportions(successes, n) -> tuple[np.ndarray, np.ndarray, object]:
    """Successes and group sizes as floats, checked (0 <= x <= n), and the successes' index (None for an array)."""
    index = successes.index if isinstance(successes, pd.Series) else None
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if x.shape != m.shape or x.ndim != 1:
        raise ModelError("successes and n must be one-dimensional and the same length")
    if (m <= 0).any() or np.isnan(m).any():
        raise ModelError("n must be > 0 for every point (a month with no records has no proportion)")
    if (x < 0).any() or (x > m).any():
        raise ModelError("successes must be between 0 and n for every point")
    return x, m, index


def _sigma_z(p: np.ndarray, pbar: float, sigma: np.ndarray) -> float:
    """Laney's σ_z: mean |Δz| / 1.128 of the z-scores z_i = (p_i − p̄)/σ_i (NaN for one point)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, (p - pbar) / sigma, 0.0)
    return float(np.mean(np.abs(np.diff(z))) / D2) if len(z) > 1 else np.nan


def p_frame(successes, n, improvement, target, laney: bool, rebase_at=None, fix_after_n: int | None = None) -> pd.DataFrame:
    """The p chart (``laney=False``) or Laney's p' chart of :func:`p_chart` and :func:`p_prime_chart`."""
    direction = _direction(improvement)
    x, m, index = as_proportions(successes, n)
    _fix(fix_after_n)
    p = x / m
    group = _groups(len(p), rebase_at, index)
    pbar, sigma = np.empty_like(p), np.empty_like(p)
    for g in np.unique(group):
        k = group == g
        base = np.flatnonzero(k)[:fix_after_n]  # the points the phase's limits are computed from
        pbar[k] = x[base].sum() / m[base].sum()
        sigma[k] = np.sqrt(pbar[k] * (1 - pbar[k]) / m[k])
        if laney:
            sigma[k] *= _sigma_z(p[base], pbar[k][0], sigma[base])
    frame = pd.DataFrame({"x": index if index is not None else np.arange(len(p)), "value": p, "n": m,
                          "group": group, "mean": pbar})
    frame["lpl"], frame["upl"] = np.clip(pbar - 3 * sigma, 0, 1), np.clip(pbar + 3 * sigma, 0, 1)
    frame["nlpl"], frame["nupl"] = pbar - 2 * sigma, pbar + 2 * sigma
    frame = _classify(frame, direction)
    frame["target"] = np.nan if target is None else float(target)
    frame.attrs["improvement"] = improvement
    return frame


def p_chart(successes, n, improvement: str = "increase", target: float | None = None, rebase_at=None,
            fix_after_n: int | None = None) -> pd.DataFrame:
    """p-chart: limits p̄ ± 3 sqrt(p̄(1 - p̄)/n_i) per phase, same rules and columns as :func:`xmr` plus ``n``
    (``fix_after_n``: p̄ from each phase's first n points)."""
    return p_frame(successes, n, improvement, target, laney=False, rebase_at=rebase_at, fix_after_n=fix_after_n)


def p_prime_chart(successes, n, improvement: str = "increase", target: float | None = None,
                  rebase_at=None, fix_after_n: int | None = None) -> pd.DataFrame:
    """Laney p′ chart: p-chart limits scaled by σ_z = mean |Δz| / 1.128 of z_i = (p_i − p̄)/σ_i, per phase
    (``fix_after_n``: p̄ and σ_z from each phase's first n points)."""
    return p_frame(successes, n, improvement, target, laney=True, rebase_at=rebase_at, fix_after_n=fix_after_n)


def current_phase(frame) -> pd.DataFrame:
    """The rows of the last phase (rebase group) of a chart frame, or of a :class:`Phases` result's chart."""
    frame = getattr(frame, "chart", frame)
    group = frame["group"].to_numpy()
    return frame[group == group[-1]]


def variation_icon(frame) -> str:
    """Variation icon of the current phase's latest point.

    One of common_cause, improvement_high/low, concern_high/low, neutral_high/low. Rules run within
    each phase, so the icon never reflects points from before the limits were recalculated.
    """
    chart = getattr(frame, "chart", frame)
    last = current_phase(chart)["point_type"].iloc[-1]
    up = chart.attrs.get("improvement", "increase") == "increase"
    return {
        "common_cause": "common_cause",
        "special_cause_improvement": "improvement_high" if up else "improvement_low",
        "special_cause_concern": "concern_low" if up else "concern_high",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
    }[last]


def assurance_icon(frame) -> str | None:
    """Assurance icon: will the current process meet the target? consistent_pass / consistent_fail / inconsistent.

    None without a target or for a neutral measure. As NHSRplotthedots' ``ptd_calculate_assurance_type``,
    the target is compared with the latest point's limits, which are the current phase's: target
    beyond the upper limit is a consistent fail when higher is better (a pass when lower is better),
    beyond the lower limit the reverse, otherwise inconsistent. A phase whose every point meets the
    target has its mean, and so the limit on the failing side, on the right side of the target, so it
    can never be "consistent_fail"; a chart not rebased after a sustained improvement can be.

    One departure: a phase without any variation (every point the same, e.g. 100% every month) has no
    limits in NHSRplotthedots (its moving-range screen removes every zero range), which then reads
    "inconsistent". A process that never varies meets or misses its target every time, so the mean is
    compared with the target: on the good side or on it, a consistent pass; otherwise a consistent fail.
    """
    chart = getattr(frame, "chart", frame)
    phase = current_phase(chart)
    last = phase.iloc[-1]
    improvement = chart.attrs.get("improvement", "increase")
    if np.isnan(last["target"]) or improvement == "neutral":
        return None
    up = improvement == "increase"
    if np.isnan(last["upl"]) and len(phase) > 1 and np.ptp(phase["value"].to_numpy(dtype=float)) == 0:
        meets = last["mean"] >= last["target"] if up else last["mean"] <= last["target"]
        return "consistent_pass" if meets else "consistent_fail"
    if last["target"] > last["upl"]:
        return "consistent_fail" if up else "consistent_pass"
    if last["target"] < last["lpl"]:
        return "consistent_pass" if up else "consistent_fail"
    return "inconsistent"
