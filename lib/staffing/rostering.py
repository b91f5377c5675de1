"""Shift best fit: how many staff start each allowed shift so a weekly requirement is covered at least cost.

An integer programme solved with ``scipy.optimize.milp`` (HiGHS): one variable per allowed shift
(day of week × start hour × length), the number of staff starting it; shifts wrap past midnight and
from Sunday into Monday. Minimise paid hours subject to cover ≥ requirement in every hour of the
week. The time limit and relative gap come from the params; the result says whether HiGHS proved
the plan optimal within that gap.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from lib.errors import ModelError

HOURS = 168


@dataclass(frozen=True)
class Shift:
    """A shift: day of week (0 = Monday), start hour, length in hours."""

    day: int
    start_hour: int
    length_hours: int

    def hours(self) -> np.ndarray:
        """Hours of the week (0-167) the shift covers, wrapping into the next week."""
        first = self.day * 24 + self.start_hour
        return (first + np.arange(self.length_hours)) % HOURS


def candidate_shifts(start_hours: list[int], lengths_hours: list[int]) -> list[Shift]:
    """Every allowed shift on every day of the week."""
    for h in start_hours:
        if not 0 <= h <= 23:
            raise ModelError(f"start hour {h}: must be 0-23")
    for n in lengths_hours:
        if not 1 <= n <= 24:
            raise ModelError(f"shift length {n} hours: must be 1-24")
    return [Shift(d, h, n) for d in range(7) for h in sorted(set(start_hours)) for n in sorted(set(lengths_hours))]


def cover_matrix(shifts: list[Shift]) -> np.ndarray:
    """168 × shifts matrix: 1 where the shift covers the hour."""
    a = np.zeros((HOURS, len(shifts)))
    for j, s in enumerate(shifts):
        a[s.hours(), j] = 1
    return a


@dataclass
class Plan:
    """A fitted roster."""

    shifts: pd.DataFrame  # day, start_hour, length_hours, staff
    cover: np.ndarray  # staff on duty per hour of the week
    paid_hours: float
    optimal: bool  # proved optimal: the solver's gap to its bound is nil (not merely within ``mip_gap``)
    message: str
    gap: float = 0.0  # relative gap (paid hours − best bound) ÷ paid hours when the solver stopped; NaN unknown


def best_fit(requirement, start_hours: list[int], lengths_hours: list[int], time_limit_seconds: float = 30,
             mip_gap: float = 0.01) -> Plan:
    """Least paid hours covering ``requirement`` (168 values, staff needed in each hour of the week).

    Raises
    ------
    ModelError
        Requirement not 168 non-negative values, or the solver found no feasible plan.
    """
    req = np.ceil(np.asarray(requirement, dtype=float) - 1e-9)
    if req.shape != (HOURS,) or (req < 0).any() or np.isnan(req).any():
        raise ModelError("requirement must be 168 non-negative numbers (one per hour of the week)")
    shifts = candidate_shifts(start_hours, lengths_hours)
    a = cover_matrix(shifts)
    cost = np.array([s.length_hours for s in shifts], dtype=float)
    result = milp(cost, constraints=LinearConstraint(a, lb=req, ub=np.inf), integrality=np.ones(len(shifts)),
                  bounds=Bounds(0, np.inf), options={"time_limit": time_limit_seconds, "mip_rel_gap": mip_gap,
                                                     "disp": False})
    if result.x is None:
        raise ModelError(f"shift fit found no plan: {result.message}")
    x = np.round(result.x).astype(int)
    table = pd.DataFrame([{"day": s.day, "start_hour": s.start_hour, "length_hours": s.length_hours, "staff": k}
                          for s, k in zip(shifts, x) if k > 0])
    paid = float(cost @ x)
    bound = getattr(result, "mip_dual_bound", None)
    gap = max(0.0, (paid - bound) / paid) if bound is not None and np.isfinite(bound) and paid > 0 else (
        0.0 if paid == 0 else float("nan"))
    # HiGHS stops once within mip_gap and calls that "optimal": proved only when the bound meets the plan
    # (integer paid hours: a bound above paid − 1 proves it).
    proved = result.status == 0 and (paid == 0 or (bound is not None and bound > paid - 1 + 1e-9))
    return Plan(table, a @ x, paid, bool(proved), result.message, 0.0 if proved else gap)


def pattern_cover(pattern: list[tuple[int, int, int]]) -> np.ndarray:
    """Cover per hour of the week of a pattern repeated every day: (start hour, length, staff) tuples."""
    cover = np.zeros(HOURS)
    for start, length, staff in pattern:
        for d in range(7):
            cover[Shift(d, start, length).hours()] += staff
    return cover


def cover_gaps(cover: np.ndarray, requirement: np.ndarray) -> dict[str, float]:
    """Hours of the week under-covered and over-covered, and staff-hours short and spare."""
    diff = np.asarray(cover, dtype=float) - np.ceil(np.asarray(requirement, dtype=float) - 1e-9)
    return {"hours under": int((diff < 0).sum()), "staff-hours short": int(-diff[diff < 0].sum()),
            "hours over": int((diff > 0).sum()), "staff-hours spare": int(diff[diff > 0].sum())}
