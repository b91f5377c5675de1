"""Phases of a control chart: when to recalculate its limits (:mod:`lib.stats.spc` draws the chart).

The rule (Making Data Count, *Strengthening your decisions*; NHSRplotthedots' vignette "Number of
points required"):

- **Limits are locked** on a phase's first ``LOCK`` (12) points and stay until a long-run signal,
  as NHSRplotthedots' ``fix_after_n_points = 12`` does; a phase of fewer points has *trial*
  (provisional) limits, recalculated as each month is added.
- **A sustained shift starts a new phase**: ``RUN_LENGTH`` (7) or more points in a row on one
  side of the locked mean that is still going after the locked points (a run within them is the
  baseline's own variation). The new phase starts at the first point of the run (Wheeler, as
  Graban, *Measures of Success*, puts it; NHSRplotthedots: "revise the limits from the start of
  the long run"), so a chart never draws one set of limits across a lasting change.
- **A known cause is recorded, an unknown one is shown.** Making Data Count recalculates only after
  a change with a known cause (NHSRplotthedots' ``rebase`` takes the dates the analyst gives). A
  listed intervention followed within ``WINDOW`` points by a sustained shift starts the new phase
  (:class:`Decision`); a sustained shift no intervention explains starts one too, for the chart's
  reading, and is returned as a :class:`Shift` ("change from <month>, cause not recorded") for the
  analyst to record its cause. Departing from Making Data Count here is deliberate: limits drawn
  across a change misread both icons (a process that improved past its target reading "will
  consistently miss" it), and a book that says "cause not recorded" is honest where silence is not.

``sustained_shift`` finds the first such run in one phase; ``phases`` applies the rule to a
series and says, for each intervention, what was done and why, in words a chapter can print.

References
----------
NHS England (2019). *Making Data Count: Strengthening your decisions*. NHS England and NHS Improvement.
NHSRplotthedots, NHS-R Community: ``ptd_spc(rebase = , fix_after_n_points = )``; vignettes intro.Rmd
("Change point"), number-of-points-required.Rmd and deviations.Rmd.
Graban, M. (2019). *Measures of Success*; "Questions on shifts and recalculating limits".
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib.errors import ModelError
from lib.stats.spc import SHORT_GROUP, ShortSeriesWarning, as_proportions, as_values, p_frame, xmr

RUN_LENGTH = 7  # MDC "shift" rule and NHSRplotthedots' ptd_seven_point_one_side_mean: 7 in a row on one side
LOCK = SHORT_GROUP  # limits locked on a phase's first 12 points (NHSRplotthedots: "number of points required")
WINDOW = 3  # periods an intervention's effect may take to show (a quarter of monthly data); see phases()
CHARTS = ("xmr", "p", "p_prime")
REASONS = ("shift", "first_point", "already_rebased", "too_few_points", "no_shift", "too_late")
NOT_RECORDED = "not recorded"  # the cause of a phase started by a sustained shift no listed intervention explains


@dataclass(frozen=True)
class Shift:
    """A sustained shift: ``length`` points in a row on one ``side`` ("above"/"below") of ``mean``.

    ``start`` is the first point of the run (its index label; ``position`` counts from 0), where a
    new phase starts; ``points`` is how many points that phase has (to the next phase or the end):
    fewer than 12 make its limits provisional. In :class:`Phases` a shift is a change whose cause
    is not recorded (no listed intervention explains it).
    """

    start: object
    position: int
    length: int
    side: str
    mean: float
    points: int

    @property
    def provisional(self) -> bool:
        return self.points < SHORT_GROUP


@dataclass(frozen=True)
class Decision:
    """What :func:`phases` did with one intervention, and why (``reason`` is one of ``REASONS``).

    ``start`` is where the new limits start (the first point of the run, ``lag`` points after the
    intervention) when ``applied``, or where the too-late run starts; ``run`` and ``side`` describe
    that run (or, for "no_shift", the longest run after the intervention); ``old_mean`` is the mean
    of the phase's points before the intervention (``baseline`` of them), the level the run is
    judged against; ``points`` is the length of the new phase.
    """

    intervention: str
    at: object
    applied: bool
    reason: str
    old_mean: float = np.nan
    baseline: int = 0
    start: object = None
    lag: int | None = None
    run: int | None = None
    side: str | None = None
    points: int | None = None
    run_length: int = RUN_LENGTH
    window: int = WINDOW

    @property
    def provisional(self) -> bool:
        return self.applied and self.points is not None and self.points < SHORT_GROUP

    def sentence(self, fmt=None) -> str:
        """The decision in words; ``fmt`` formats the old mean (default: 3 significant figures)."""
        fmt = fmt or "{:.3g}".format
        head = f"'{self.intervention}' ({self.at})"
        if self.reason == "shift":
            lag = "" if not self.lag else f", starting {self.lag} point{'s' * (self.lag > 1)} after it"
            after = f"'{self.intervention}'" if self.start == self.at else head
            text = (f"limits recalculated from {self.start} after {after}: {self.run} points in a row "
                    f"{self.side} the old mean of {fmt(self.old_mean)}{lag}")
            if self.provisional:
                text += f"; only {self.points} points since, so the new limits are provisional"
            return text
        text = f"limits not recalculated after {head}: "
        return text + {
            "first_point": "it is the first point, so there is nothing before it to compare with",
            "already_rebased": f"the limits were already recalculated from {self.start}",
            "too_few_points": (f"only {self.points} point{'s' * (self.points != 1)} from it on; a sustained "
                               f"shift needs {self.run_length} in a row on one side of the old mean"),
            "no_shift": (f"no run of {self.run_length} points on one side of the old mean of {fmt(self.old_mean)} "
                         f"starting within {self.window} point{'s' * (self.window > 1)} of it"
                         + (f" (the longest since: {self.run} {self.side})" if self.run else "")),
            "too_late": (f"the run of {self.run} points {self.side} the old mean of {fmt(self.old_mean)} starts at "
                         f"{self.start}, {self.lag} points after it, too late to be its effect"),
        }[self.reason]


@dataclass(frozen=True)
class Phases:
    """Result of :func:`phases`: the chart with its phases, a decision per intervention, and the changes
    whose cause is not recorded (sustained shifts no intervention explains, each starting a phase)."""

    chart: pd.DataFrame
    decisions: tuple
    changes: tuple
    rebase_at: tuple

    def table(self) -> pd.DataFrame:
        """One row per intervention: what was done, why, and the sentence."""
        cols = ["intervention", "at", "applied", "reason", "start", "lag", "run", "side", "old_mean", "baseline",
                "points", "provisional", "sentence"]
        return pd.DataFrame([{**{c: getattr(d, c) for c in cols[:-2]}, "provisional": d.provisional,
                              "sentence": d.sentence()} for d in self.decisions], columns=cols)


def _series(values, n=None) -> tuple[np.ndarray, np.ndarray, list, object]:
    """(y, weights, labels, index): values, or successes/n with n as weights (so the centre is Σx/Σn)."""
    if n is None:
        y, index = as_values(values)
        w = np.ones_like(y)
    else:
        x, w, index = as_proportions(values, n)
        y = x / w
    return y, w, (list(index) if index is not None else list(range(len(y)))), index


def _runs(y: np.ndarray, centre: float) -> list[tuple[int, int, int]]:
    """(start, length, side) of each maximal run of points on one side of ``centre``; a point on it breaks runs."""
    side = np.sign(y - centre).astype(int)
    out, i = [], 0
    while i < len(y):
        j = i
        while j + 1 < len(y) and side[j + 1] == side[i]:
            j += 1
        if side[i]:
            out.append((i, j - i + 1, int(side[i])))
        i = j + 1
    return out


def _centre(y: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(y * w) / np.sum(w))


def _whole(value, name: str, low: int) -> int:
    try:
        ok = not isinstance(value, bool) and int(value) == value and value >= low
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ModelError(f"{name} = {value!r}: must be a whole number >= {low}")
    return int(value)


def _first_shift(y, w, labels, lo: int, hi: int, run_length: int, fix_after_n, past: int = 0) -> Shift | None:
    """First run of >= run_length points on one side of the phase [lo, hi)'s mean (of its first ``fix_after_n``
    points) that does not start it and is still going after its first ``past`` points; its leading points that
    are nearer the old mean than the run's own are left out while run_length remain (see :func:`phases`)."""
    stop = hi if fix_after_n is None else min(hi, lo + fix_after_n)
    centre = _centre(y[lo:stop], w[lo:stop])
    for start, length, side in _runs(y[lo:hi], centre):
        if start > 0 and length >= run_length and start + length > past:
            at, end = lo + start, lo + start + length
            level = _centre(y[at:end], w[at:end])
            while end - at > run_length and abs(y[at] - centre) < abs(y[at] - level):
                at += 1
            return Shift(labels[at], at, end - at, "above" if side > 0 else "below", centre, hi - at)
    return None


def sustained_shift(values, n=None, run_length: int = RUN_LENGTH, fix_after_n: int | None = None) -> Shift | None:
    """The first sustained shift in one phase of a series, or None.

    Parameters
    ----------
    values : array-like or Series
        One phase of a measure, in time order (or successes, with ``n``).
    n : array-like, optional
        Denominators: the series is then the proportions ``values / n`` and the mean is Σx/Σn (p-chart centre).
    run_length : int, default 7
        Points in a row on one side of the mean that make a shift (Making Data Count; NHSRplotthedots).
    fix_after_n : int, optional
        Judge against the mean of the first n points (the locked limits) rather than of the whole phase;
        the run must then still be going after those n points (a run within them is their own variation).

    Returns
    -------
    Shift or None
        The first maximal run of ``run_length`` or more points on one side of the mean (a point on
        the mean breaks a run) that does not start at the phase's first point; the new phase would
        start at its first point.

    Notes
    -----
    With the whole-phase mean this is a run that the chart's shift rule flags (some of its points may
    carry a label of higher precedence, such as a trend). A run from the first point is the phase's
    own baseline sitting on one side of a mean pulled by later points, not a change: the change is
    where the next long run begins.
    """
    y, w, labels, _ = _series(values, n)
    run_length = _whole(run_length, "run_length", 2)
    if fix_after_n is not None:
        fix_after_n = _whole(fix_after_n, "fix_after_n", 1)
    return _first_shift(y, w, labels, 0, len(y), run_length, fix_after_n, past=fix_after_n or 0)


def _interventions(interventions, labels: list) -> list[tuple[int, object, str]]:
    """(position, label, name) per intervention, in time order; a mapping is {point: name}."""
    if interventions is None:
        return []
    pairs = interventions.items() if isinstance(interventions, Mapping) else [
        item if isinstance(item, tuple) else (item, str(item)) for item in interventions]
    out = []
    for at, name in pairs:
        hits = [i for i, v in enumerate(labels) if v == at]
        if len(hits) != 1:
            raise ModelError(f"interventions: {at!r} ('{name}') is not a point of the series "
                             f"(from {labels[0]!r} to {labels[-1]!r})")
        out.append((hits[0], at, str(name)))
    out.sort(key=lambda item: item[0])
    for (a, at, _), (b, _, _) in zip(out, out[1:]):
        if a == b:
            raise ModelError(f"interventions: two at {at!r}; give one name per point")
    return out


def _decide(y, w, labels, lo: int, item, nxt: int, run_length: int, window: int) -> Decision:
    """The decision for one intervention at ``pos`` in the phase starting at ``lo``; the next one is at ``nxt``."""
    pos, at, name = item
    base = {"intervention": name, "at": at, "run_length": run_length, "window": window}
    if pos == 0:
        return Decision(**base, applied=False, reason="first_point")
    if pos <= lo:
        return Decision(**base, applied=False, reason="already_rebased", start=labels[lo])
    centre = _centre(y[lo:pos], w[lo:pos])
    base.update(old_mean=centre, baseline=pos - lo)
    if len(y) - pos < run_length:
        return Decision(**base, applied=False, reason="too_few_points", points=len(y) - pos)
    runs = [r for r in _runs(y[pos:], centre) if r[0] < nxt - pos]  # a later run belongs to the next one
    for start, length, side in runs:
        if length >= run_length:
            found = {"start": labels[pos + start], "lag": start, "run": length, "side": "above" if side > 0 else "below"}
            if start < window:
                return Decision(**base, applied=True, reason="shift", **found)
            return Decision(**base, applied=False, reason="too_late", **found)
    longest = max(runs, key=lambda r: r[1], default=None)
    return Decision(**base, applied=False, reason="no_shift", run=longest and longest[1],
                    side=longest and ("above" if longest[2] > 0 else "below"))


def phases(values, interventions=None, improvement: str = "increase", target: float | None = None, n=None,
           chart: str = "xmr", run_length: int = RUN_LENGTH, window: int = WINDOW,
           screen_outliers: bool = True, lock: int | None = LOCK, unrecorded: bool = True) -> Phases:
    """Control chart whose limits follow lasting changes: locked on each phase's first 12 points, and a new
    phase from each sustained shift, its cause recorded (an intervention) or not.

    Parameters
    ----------
    values : array-like or Series
        The measure in time order; with ``n``, the successes of a proportion.
    interventions : mapping or iterable, optional
        ``{point: "what changed"}`` (points are index labels of a Series, positions of an array), or
        a list of points or of (point, name) pairs.
    improvement : {"increase", "decrease", "neutral"}
    target : float, optional
        For the assurance icon.
    n : array-like, optional
        Denominators, for ``chart`` "p" or "p_prime".
    chart : {"xmr", "p", "p_prime"}, default "xmr"
    run_length : int, default 7
        The shift rule's run (Making Data Count, NHSRplotthedots).
    window : int, default 3
        The run must start within this many points of the intervention (at it, or up to window - 1 after).
    screen_outliers : bool, default True
        Passed to :func:`xmr`.
    lock : int or None, default 12
        Each phase's mean and limits come from its first ``lock`` points (NHSRplotthedots'
        ``fix_after_n_points``); None: from all its points.
    unrecorded : bool, default True
        Start a new phase at a sustained shift no intervention explains (returned in ``changes``). With
        False, only interventions start phases (the Making Data Count rule on its own).

    Returns
    -------
    Phases
        ``chart`` (the :func:`xmr`/p/p′ frame; ``group`` numbers the phases), ``decisions`` (one
        :class:`Decision` per intervention, in time order, with a ``sentence()``), ``changes``
        (:class:`Shift`, the phases started by a change whose cause is not recorded), ``rebase_at``
        (every point a phase starts at, recorded or not).

    Raises
    ------
    ModelError
        An intervention that is not a point of the series (or two at one point), an unknown chart,
        ``n`` given with "xmr" or missing with "p"/"p_prime", run_length < 2, window < 1 or lock < 2.

    Notes
    -----
    The series is read forward, one phase at a time. In the current phase, the next listed
    intervention is decided first unless the phase's first unexplained shift ends before it: its old
    mean is the mean (for proportions Σx/Σn) of the phase's points before it, the level the board was
    looking at; from the intervention on, the points are split into runs on one side of that mean,
    and a new phase starts at the first point of the first run of ``run_length`` or more if that run
    starts within ``window`` points of the intervention and before the next one (MDC: "from the point
    of change"; Wheeler: from the first point of the run). Otherwise the phase's first unexplained
    shift (:func:`sustained_shift` against the mean of its first ``lock`` points, a run still going
    after them) starts the next phase, "cause not recorded". A phase of fewer than ``lock`` points
    has trial (provisional) limits and no shift is looked for within it: its points are all its
    baseline. The new phase starts at the run's first point (the guidance: "from the start of the
    long run"), except that its leading points nearer the old mean than the run's own mean are left
    in the old phase while ``run_length`` points remain: a month just before a step that happens to
    lie a little on the new side of the old mean (probability 1/2) would otherwise start the new
    phase early and, being far below its level, split it again at once.

    Why a window of 3: Making Data Count asks for a known cause, and a run that begins long after
    an intervention is not evidence that the intervention caused it; an effect may take a few periods
    to show (a quarter of monthly data). With no change at all, a run of 7 on one side of an accurate
    old mean starts at the intervention with probability 2 × 2^-7 = 1/64, and at each later point (the
    point before it on the other side) with probability 2 × 2^-8 = 1/128, so a window of 3 attributes
    a chance run to an intervention 1/64 + 2/128 = 3.1% of the time (a window of 7: 6.3%).
    """
    if chart not in CHARTS:
        raise ModelError(f"chart = {chart!r}: must be one of 'xmr', 'p', 'p_prime'")
    if (n is None) != (chart == "xmr"):
        raise ModelError(f"chart = {chart!r}: " + ("give n (denominators)" if n is None else "takes no n; use 'p' or 'p_prime'"))
    run_length, window = _whole(run_length, "run_length", 2), _whole(window, "window", 1)
    lock = None if lock is None else _whole(lock, "lock", 2)
    y, w, labels, index = _series(values, n)
    items = _interventions(interventions, labels)
    decisions, changes, starts, k = [], [], [0], 0
    while True:
        lo = starts[-1]
        shift = _first_shift(y, w, labels, lo, len(y), run_length, lock, past=lock or 0) \
            if unrecorded and (lock is None or len(y) - lo > lock) else None
        if k < len(items) and (shift is None or shift.position + shift.length > items[k][0]):
            nxt = items[k + 1][0] if k + 1 < len(items) else len(y)
            decision = _decide(y, w, labels, lo, items[k], nxt, run_length, window)
            decisions.append(decision)
            if decision.applied:
                starts.append(items[k][0] + decision.lag)
            k += 1
        elif shift is not None:
            changes.append(shift)
            starts.append(shift.position)
        else:
            break
    length = dict(zip(starts, np.diff([*starts, len(y)])))
    decisions = tuple(replace(d, points=int(length[pos + d.lag])) if d.applied else d
                      for d, (pos, _, _) in zip(decisions, items))
    changes = tuple(replace(c, points=int(length[c.position])) for c in changes)
    rebase = [labels[s] for s in starts[1:]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortSeriesWarning)  # short phases are flagged in short_group
        if chart == "xmr":
            frame = xmr(values, improvement, target, screen_outliers=screen_outliers, rebase_at=rebase or None,
                        fix_after_n=lock)
        else:
            frame = p_frame(values, n, improvement, target, laney=chart == "p_prime", rebase_at=rebase or None,
                             fix_after_n=lock)
    return Phases(frame, decisions, changes, tuple(rebase))
