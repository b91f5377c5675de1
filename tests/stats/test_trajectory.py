"""The trajectory of a measure off track and whether the latest month moved it, against hand-computed examples."""
from __future__ import annotations

import math

import numpy as np
import pytest

from lib.stats import trajectory as tr

MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"]


def test_a_straight_line_meets_its_target_where_hand_arithmetic_says():
    """50, 52, ..., 60 rises 2 a month from 60 in June: 70 is reached 5 months on, in November 2019 (by hand)."""
    t = tr.trajectory(MONTHS, [50, 52, 54, 56, 58, 60], 70, "higher", "2019-06")
    assert (t.month, t.text, t.points, t.first) == ("2019-11", "2019-11", 6, "2019-01")
    assert t.slope == pytest.approx(2.0, abs=1e-12)


def test_a_noisy_series_by_hand_and_against_numpy():
    """Months 0..5 with 50, 53, 53, 56, 55, 58 (by hand): mean month 2.5, mean value 54.1667;
    Sxx = 17.5, Sxy = (-2.5)(-4.1667) + (-1.5)(-1.1667) + (-0.5)(-1.1667) + (0.5)(1.8333) + (1.5)(0.8333)
    + (2.5)(3.8333) = 24.5, slope 1.4, intercept 54.1667 - 1.4 × 2.5 = 50.6667. Target 60: month 6.667, so
    month 7 (August 2019). numpy.polyfit gives the same line (independent reference, tolerance 1e-9)."""
    y = [50, 53, 53, 56, 55, 58]
    t = tr.trajectory(MONTHS, y, 60, "higher", "2019-06")
    slope, intercept = np.polyfit(np.arange(6), y, 1)
    assert t.slope == pytest.approx(1.4, abs=1e-9) and slope == pytest.approx(t.slope, abs=1e-9)
    assert math.ceil((60 - intercept) / slope) == 7 and t.month == "2019-08"


def test_lower_is_better_falls_to_its_target():
    """20, 19, ..., 15 falls 1 a month from 15 in June; target 12 is reached 3 months on (September)."""
    assert tr.trajectory(MONTHS, [20, 19, 18, 17, 16, 15], 12, "lower", "2019-06").month == "2019-09"


def test_not_at_the_current_rate():
    flat_or_away = tr.trajectory(MONTHS, [60, 59, 58, 57, 56, 55], 70, "higher", "2019-06")
    assert (flat_or_away.month, flat_or_away.text) == (None, tr.NOT_AT_RATE)
    assert tr.trajectory(MONTHS, [60] * 6, 70, "higher", "2019-06").text == tr.NOT_AT_RATE
    # 0.1 a month from 60.5 (fitted at June): 70 is 95 months away, past the 24-month horizon.
    slow = tr.trajectory(MONTHS, [60, 60.1, 60.2, 60.3, 60.4, 60.5], 70, "higher", "2019-06")
    assert slow.text == "not within 24 months at the current trend" and slow.slope > 0
    # The horizon is inclusive: 2 a month from 60 reaches 108 in exactly 24 months (June 2021).
    assert tr.trajectory(MONTHS, [50, 52, 54, 56, 58, 60], 108, "higher", "2019-06").month == "2021-06"
    assert tr.trajectory(MONTHS, [50, 52, 54, 56, 58, 60], 108.1, "higher", "2019-06").text == tr.beyond(24)


def test_a_line_already_past_the_target_gives_the_next_month_and_few_months_give_none():
    # The line is above 55 from May; the period (June) missed it: the next month is the first the trend meets it.
    assert tr.trajectory(MONTHS, [50, 52, 54, 56, 58, 60], 55, "higher", "2019-06").month == "2019-07"
    few = tr.trajectory(MONTHS[:5], [50, 52, 54, 56, 58], 70, "higher", "2019-05")
    assert (few.month, few.text, few.points) == (None, tr.TOO_FEW, 5)
    with pytest.raises(ValueError, match="direction = 'up': must be 'higher' or 'lower'"):
        tr.trajectory(MONTHS, [1] * 6, 2, "up", "2019-06")


def test_movement_against_the_moving_range_limit():
    """Limits mean 50, upper 60.64: mean moving range (60.64 - 50) / 2.66 = 4, moving-range limit 3.267 × 4 =
    13.068 (by hand)."""
    m = tr.movement(65, 50, 60.64, 50, "higher")
    assert m["ordinary"] == pytest.approx(13.068, abs=1e-9) and m["change"] == 15 and m["moved"] == "moved: better"
    assert tr.movement(36, 50, 60.64, 50, "higher")["moved"] == "moved: worse"
    assert tr.movement(36, 50, 60.64, 50, "lower")["moved"] == "moved: better"
    assert tr.movement(62, 50, 60.64, 50, "higher")["moved"] == "not beyond ordinary variation"
    assert tr.movement(62, float("nan"), 60.64, 50, "higher")["moved"] == "no data"
    assert tr.movement(62, 50, float("nan"), float("nan"), "higher")["moved"] == "no limits to judge against"
