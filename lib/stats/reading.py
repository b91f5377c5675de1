"""What a control chart may say about the month beside it: its variation and assurance readings, given only
where the chart can bear them.

The rules, in order (Making Data Count, *Strengthening your decisions*; NHSRplotthedots' vignette "Number
of points required"; the book's DOMAIN notes, "Assurance needs a stable process"):

1. **Too few months.** With fewer than ``MIN_MONTHS`` (12) months on the chart (months marked
   provisional are not on it) there is no reading at all: "too few months to judge".
2. **Variation** is the current phase's latest point: ordinary (common cause) or unusual (special
   cause, improvement or concern) — :func:`lib.stats.spc.variation_icon`.
3. **Assurance needs a stable process.** It is read only when the current phase's latest point is
   ordinary: no run, trend, two-of-three or point beyond the limits at its end. Otherwise the process
   is still changing and the reading is ``not_yet``, with the direction it is moving in (improving
   or worsening; rising or falling for a neutral measure): limits drawn over a ramp describe nothing.
4. **Stable**: the target against the current phase's limits (:func:`lib.stats.spc.assurance_icon`).
   A phase's limits bracket its latest (ordinary) point, so "will consistently miss" cannot sit beside
   a latest point that meets the target (the target would be beyond the upper limit, and so above
   that point), nor "consistently meet" beside one that misses. The month beside a reading may be
   one the chart leaves out (a provisional month); where it meets the target and the limits say
   "consistently miss", or the mirror, the reading is ``inconsistent`` (met and missed), never a
   contradiction.
5. **No target**: ``no_target``; a neutral measure has no assurance (``""``).

:func:`false_signal_rate` says how often an unchanged process shows an unusual latest month by
chance alone, so a page listing many readings can say how many false signals to expect.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lib.stats import spc

MIN_MONTHS = spc.SHORT_GROUP  # Making Data Count / NHSRplotthedots: 12 points before limits are more than trial
ASSURANCES = ("consistent_pass", "consistent_fail", "inconsistent", "not_yet", "no_target", "")
TOO_FEW = "too_few"
RULES = 4  # beyond the limits, a trend of 7, two of three near the limits, a run of 7


@dataclass(frozen=True)
class Reading:
    """A chart's reading of its latest month.

    ``variation``: a :func:`lib.stats.spc.variation_icon` value, or ``"too_few"``; ``assurance``: one of
    ``ASSURANCES``; ``changing``: for ``not_yet``, the direction ("improving", "worsening", "rising",
    "falling"), else ""; ``months``: months on the chart; ``phase_start`` and ``phase_points``: where
    the current phase starts and how many months it has; ``provisional_limits``: fewer than 12 of them
    (trial limits).
    """

    variation: str
    assurance: str
    changing: str = ""
    months: int = 0
    phase_start: object = None
    phase_points: int = 0
    provisional_limits: bool = False


def _meets(value: float, target: float, up: bool) -> bool:
    return value >= target if up else value <= target


def read(chart, latest: float | None = None, min_months: int = MIN_MONTHS) -> Reading:
    """The reading of a chart (an :func:`lib.stats.spc.xmr`/p/p′ frame, or a :class:`lib.stats.phases.Phases`).

    Parameters
    ----------
    chart : DataFrame or Phases
        The chart, its ``target`` column and ``attrs["improvement"]`` as :func:`lib.stats.spc.xmr` sets them.
    latest : float, optional
        The value of the month the reading sits beside, when it is not the chart's last point (a provisional
        month); it must not be contradicted (rule 4 of the module docstring).
    min_months : int, default 12
        Fewer points on the chart: no reading.

    Returns
    -------
    Reading
        See the module docstring for the rules.
    """
    frame = getattr(chart, "chart", chart)
    months = len(frame)
    if months < min_months:
        return Reading(TOO_FEW, "", months=months)
    phase = spc.current_phase(frame)
    common = {"months": months, "phase_start": phase["x"].iloc[0], "phase_points": len(phase),
              "provisional_limits": len(phase) < MIN_MONTHS}
    variation = spc.variation_icon(frame)
    improvement = frame.attrs.get("improvement", "increase")
    target = float(phase["target"].iloc[-1])
    if improvement == "neutral":
        return Reading(variation, "", **common)
    if np.isnan(target):
        return Reading(variation, "no_target", **common)
    last = phase["point_type"].iloc[-1]
    if last != "common_cause":
        return Reading(variation, "not_yet", "improving" if last == "special_cause_improvement" else "worsening",
                       **common)
    assurance = spc.assurance_icon(frame)
    up = improvement == "increase"
    if latest is not None and not np.isnan(latest):
        met = _meets(float(latest), target, up)
        if (assurance == "consistent_fail" and met) or (assurance == "consistent_pass" and not met):
            assurance = "inconsistent"
    return Reading(variation, assurance, **common)


@lru_cache(maxsize=64)
def false_signal_rate(points: int, lock: int = MIN_MONTHS, sims: int = 20000, seed: int = 20240601) -> float:
    """Share of unchanged processes whose latest month a control chart flags as unusual by chance alone.

    Parameters
    ----------
    points : int
        Months on the chart (>= 2).
    lock : int, default 12
        Limits from the first ``lock`` months, as the book's charts (:mod:`lib.stats.phases`).
    sims, seed : int
        Simulated series (independent normal months) and the seed: the same arguments give the same rate.

    Returns
    -------
    float
        The share of ``sims`` series whose last point :func:`lib.stats.spc.xmr` (``fix_after_n = lock``, moving
        ranges screened) flags by any of its four rules.

    Notes
    -----
    With known mean and spread the four rules flag an ordinary latest month about 2% of the time:
    beyond 3σ 0.27%, the last 7 on one side 2 × 2⁻⁷ = 1.6%, the last 7 strictly rising or falling
    2/7! = 0.04%, two of the last three beyond 2σ 0.09%. Limits estimated from 12 months are
    uncertain, which more than doubles that on longer series; so the rate is simulated with the
    chart's own rules for the last point, vectorised (checked against :func:`lib.stats.spc.xmr` point
    for point in the tests). It is the rate of one phase: the book's charts also start a phase at a
    chance run of 7 that outlasts the locked months, after which that run no longer flags the latest
    month, so the rate is if anything a little high — the right side to err on when telling a board
    how many unusual readings chance alone would give.
    """
    if points < 2:
        return float("nan")
    y = np.random.default_rng(seed).normal(size=(sims, points))
    base = y[:, :min(lock, points)]
    mean = base.mean(axis=1)
    mr = np.abs(np.diff(base, axis=1))
    amr = mr.mean(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        amr = np.nanmean(np.where(mr < spc.SCREEN * amr[:, None], mr, np.nan), axis=1)
    dev = y - mean[:, None]
    outside = np.abs(dev) > spc.LIMIT * amr[:, None]
    close = ~outside & (np.abs(dev) > spc.NEAR * amr[:, None])
    side = np.sign(dev)
    flagged = outside[:, -1].copy()
    if points >= 7:
        steps = np.sign(np.diff(y[:, -7:], axis=1))
        flagged |= np.all(steps == 1, axis=1) | np.all(steps == -1, axis=1)
        flagged |= (side[:, -1] != 0) & np.all(side[:, -7:] == side[:, -1:], axis=1)
    if points >= 3:
        flagged |= close[:, -1] & (close[:, -3:].sum(axis=1) >= 2) & (np.abs(side[:, -3:].sum(axis=1)) == 3)
    return float(flagged.mean())


def expected_false_signals(months) -> float:
    """Expected number of readings flagging an unusual latest month by chance alone, for charts of these lengths."""
    return float(sum(false_signal_rate(int(m)) for m in months if m >= MIN_MONTHS))
