"""Shift best fit: hand-checkable cases, wrap-around, and the cover/gap arithmetic."""
from __future__ import annotations

import numpy as np
import pytest

from lib.errors import ModelError
from lib.staffing import rostering


def test_flat_requirement_is_covered_exactly_by_8_hour_shifts():
    plan = rostering.best_fit(np.full(168, 3), start_hours=[6, 14, 22], lengths_hours=[8])
    assert plan.optimal
    assert plan.paid_hours == 168 * 3  # no hour over-covered: the least possible
    assert (plan.cover == 3).all()


def test_shifts_wrap_past_midnight_and_into_monday():
    s = rostering.Shift(day=6, start_hour=22, length_hours=8)  # Sunday 22:00 to Monday 06:00
    assert list(s.hours()) == [166, 167, 0, 1, 2, 3, 4, 5]
    req = np.zeros(168)
    req[[166, 167, 0, 1, 2, 3, 4, 5]] = 1
    plan = rostering.best_fit(req, start_hours=[22], lengths_hours=[8])
    assert plan.paid_hours == 8 and plan.shifts.iloc[0].to_dict() == {"day": 6, "start_hour": 22, "length_hours": 8,
                                                                      "staff": 1}


def test_fit_never_undercovers_and_prefers_fewer_hours():
    rng = np.random.default_rng(3)
    req = rng.integers(2, 15, 168)
    plan = rostering.best_fit(req, start_hours=[0, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22], lengths_hours=[8, 10, 12])
    assert (plan.cover >= req).all()
    assert plan.paid_hours >= req.sum()  # a lower bound no roster can beat


def test_pattern_cover_and_gaps():
    cover = rostering.pattern_cover([(7, 10, 2), (19, 12, 1)])
    assert cover[7] == 2 and cover[19] == 1 and cover[6] == 1 and cover[24 + 6] == 1
    gaps = rostering.cover_gaps(cover, np.full(168, 2))
    # Each day: 07-17 covered by 2; 17-19 by nobody (2 short each); 19-07 by 1 (1 short each).
    assert gaps["hours under"] == 7 * 14
    assert gaps["staff-hours short"] == 7 * (2 * 2 + 12 * 1)
    assert gaps["hours over"] == 0


def test_invalid():
    with pytest.raises(ModelError, match="168 non-negative"):
        rostering.best_fit(np.ones(24), [6], [8])
    with pytest.raises(ModelError, match="start hour 25"):
        rostering.candidate_shifts([25], [8])
