"""Compliance statistics against published tables.

[N98a] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of
       seven methods. Statistics in Medicine 17, 857-872, Table I (Wilson score = method 3, exact
       Clopper-Pearson = method 5), examples 81/263, 15/148, 0/20, 1/29.
[N98b] Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
       comparison of eleven methods. Statistics in Medicine 17, 873-890, Table II, method 10 (hybrid score).
[BCD]  Brown, Cai & DasGupta (2001), Statistical Science 16(2): the Jeffreys interval is the equal-tailed
       Beta(x + 1/2, n - x + 1/2) interval, with lower = 0 at x = 0 and upper = 1 at x = n.
"""
from __future__ import annotations

import math

import pytest
from scipy import stats

from lib.errors import ModelError
from lib.stats.proportions import audit_sample_size, compare_proportions, margin_of_error, proportion_ci

TOL = 0.00005  # the tables give 4 decimals


@pytest.mark.parametrize("x,n,wilson,exact", [
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0, 0.1611), (0.0, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
])
def test_single_proportion_newcombe_table(x, n, wilson, exact):
    assert proportion_ci(x, n) == pytest.approx(wilson, abs=TOL)
    assert proportion_ci(x, n, method="clopper_pearson") == pytest.approx(exact, abs=TOL)


@pytest.mark.parametrize("x,n", [(0, 10), (3, 10), (10, 10), (81, 263)])
def test_jeffreys_is_beta_quantiles_with_boundary_fix(x, n):
    lower, upper = proportion_ci(x, n, method="jeffreys")
    assert lower == (0.0 if x == 0 else pytest.approx(stats.beta.ppf(0.025, x + 0.5, n - x + 0.5)))
    assert upper == (1.0 if x == n else pytest.approx(stats.beta.ppf(0.975, x + 0.5, n - x + 0.5)))


def test_no_data_is_nan_not_zero():
    for method in ("wilson", "clopper_pearson", "jeffreys"):
        lower, upper = proportion_ci(0, 0, method=method)
        assert math.isnan(lower) and math.isnan(upper)


def test_interval_contains_estimate_and_ten_record_audits_are_wide():
    lower, upper = proportion_ci(8, 10)
    assert lower < 0.8 < upper and upper - lower > 0.35


@pytest.mark.parametrize("bad,match", [
    (dict(method="Wilson"), "method = 'Wilson': must be one of 'wilson', 'clopper_pearson', 'jeffreys'"),
    (dict(method="wil"), "method = 'wil'"),
    (dict(alpha=1.5), r"alpha = 1.5: must be in \(0, 1\)"),
])
def test_bad_arguments(bad, match):
    with pytest.raises(ModelError, match=match):
        proportion_ci(5, 10, **bad)


def test_bad_counts():
    with pytest.raises(ModelError, match="successes = 11 is more than n = 10"):
        proportion_ci(11, 10)
    with pytest.raises(ModelError, match="n = -1"):
        proportion_ci(0, -1)
    with pytest.raises(ModelError, match="successes = 2.5"):
        proportion_ci(2.5, 10)


@pytest.mark.parametrize("x1,n1,x2,n2,lower,upper", [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0000),
    (10, 10, 0, 10, 0.6075, 1.0000),
])
def test_difference_newcombe_table(x1, n1, x2, n2, lower, upper):
    r = compare_proportions(x1, n1, x2, n2)
    assert r.difference == pytest.approx(x1 / n1 - x2 / n2)
    assert (r.lower, r.upper) == pytest.approx((lower, upper), abs=TOL)


def test_p_value_uses_fisher_for_small_counts():
    small = compare_proportions(9, 10, 3, 10)
    assert small.test == "fisher"
    assert small.p_value == pytest.approx(stats.fisher_exact([[9, 1], [3, 7]]).pvalue)
    large = compare_proportions(56, 70, 48, 80)
    assert large.test == "chi-square"
    assert large.p_value == pytest.approx(stats.chi2_contingency([[56, 14], [48, 32]], correction=False).pvalue)
    assert compare_proportions(0, 10, 0, 10).p_value == 1.0


def test_comparison_no_data():
    r = compare_proportions(0, 0, 5, 10)
    assert math.isnan(r.difference) and math.isnan(r.lower) and math.isnan(r.p_value) and r.p2 == 0.5


def test_audit_sample_size():
    # z = 1.959964: 1.959964^2 * 0.25 / 0.1^2 = 96.04 -> 97; / 0.05^2 = 384.1 -> 385 (the textbook figures)
    assert audit_sample_size(0.10) == 97
    assert audit_sample_size(0.05) == 385
    assert audit_sample_size(0.05, expected=0.9) == 139  # 1.96^2 * 0.09 / 0.0025 = 138.3
    assert margin_of_error(10) == pytest.approx(0.3099, abs=1e-4)
    with pytest.raises(ModelError, match="margin = 0"):
        audit_sample_size(0)
