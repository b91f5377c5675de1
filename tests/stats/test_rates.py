"""Rates per head with exact Poisson intervals, and Katz's interval for a ratio of rates."""
from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.rates import confint_poisson

from lib.stats.rates import poisson_rate, rate_ratio


@pytest.mark.parametrize(("x", "low", "high"), [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390),
                                                (30, 20.241, 42.827)])
def test_garwood_limits_of_a_count_match_the_published_table(x, low, high):
    """Exact 95% limits of a Poisson count as tabulated (Ulm, Am J Epidemiol 131 (1990) 373-375, table 1;
    the same as Garwood 1936), to 3 decimals."""
    rate, lower, upper = poisson_rate(x, 1000, per=1000)
    assert rate == x and lower == pytest.approx(low, abs=6e-4) and upper == pytest.approx(high, abs=6e-4)


def test_a_rate_per_1000_against_statsmodels():
    """120 crimes among 93,663 people (Hartlepool, ONS mid-2019): statsmodels' exact-c interval, scaled, 1e-9."""
    rate, lower, upper = poisson_rate(120, 93_663)
    ref = confint_poisson(120, 93_663, method="exact-c")
    assert rate == pytest.approx(1000 * 120 / 93_663, rel=1e-12)
    assert lower == pytest.approx(1000 * ref[0], rel=1e-9) and upper == pytest.approx(1000 * ref[1], rel=1e-9)
    assert all(math.isnan(v) for v in poisson_rate(5, 0)) and all(math.isnan(v) for v in poisson_rate(None, 10))


def test_katz_ratio_by_hand_and_against_statsmodels():
    """By hand: 30 of 10,000 against 60 of 500,000: RR = 0.003 / 0.00012 = 25; SE = sqrt(1/30 - 1/10000 + 1/60 -
    1/500000) = 0.223379; 95% limits 25 exp(±1.959964 × 0.223379) = 25 × exp(±0.437815) = 16.136 to 38.733.
    statsmodels' Table2x2 risk ratio (log method) agrees to 1e-9."""
    ratio, lower, upper = rate_ratio(30, 10_000, 60, 500_000)
    assert ratio == pytest.approx(25.0, rel=1e-12)
    assert lower == pytest.approx(16.136, abs=1e-3) and upper == pytest.approx(38.733, abs=1e-3)
    ref = Table2x2(np.array([[30, 10_000 - 30], [60, 500_000 - 60]])).riskratio_confint()
    assert lower == pytest.approx(ref[0], rel=1e-9) and upper == pytest.approx(ref[1], rel=1e-9)
    assert all(math.isnan(v) for v in rate_ratio(0, 10_000, 60, 500_000))
    assert all(math.isnan(v) for v in rate_ratio(5, float("nan"), 60, 500_000))
