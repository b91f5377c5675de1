"""Compliance statistics: intervals for proportions, comparing two periods, audit sample sizes.

Intervals and tests come from statsmodels and scipy (well-kept, checked against the literature in
``tests/chapters/test_compliance.py``); this module fixes the conventions the book needs on top of them:
n = 0 is "no data" (NaN), never 0% or 100%; method names are matched exactly; Jeffreys gets the
boundary fix; the p-value switches to Fisher's exact test when counts are small.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from lib.errors import ModelError

METHODS = {"wilson": "wilson", "clopper_pearson": "beta", "jeffreys": "jeffreys"}


def _counts(successes, n, what: str = "") -> tuple[int, int]:
    for name, value in (("successes", successes), ("n", n)):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise ModelError(f"{what}{name} is missing; give a whole number")
        if float(value) != int(value) or value < 0:
            raise ModelError(f"{what}{name} = {value!r}: must be a whole number >= 0")
    if successes > n:
        raise ModelError(f"{what}successes = {successes} is more than n = {n}")
    return int(successes), int(n)


def _alpha(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ModelError(f"alpha = {alpha!r}: must be in (0, 1)")
    return float(alpha)


def proportion_ci(successes, n, method: str = "wilson", alpha: float = 0.05) -> tuple[float, float]:
    """Confidence interval for a proportion ``successes / n``.

    Parameters
    ----------
    successes, n : int
        Records meeting the standard, and records checked (whole numbers, 0 <= successes <= n).
    method : {"wilson", "clopper_pearson", "jeffreys"}, default "wilson"
        Matched exactly. Wilson score (the book's default); Clopper-Pearson exact; Jeffreys
        (equal-tailed Beta(x + 1/2, n - x + 1/2) quantiles).
    alpha : float, default 0.05
        1 - confidence level.

    Returns
    -------
    (lower, upper) : tuple of float
        ``(nan, nan)`` when n = 0: there is no data, so no interval.

    Raises
    ------
    ModelError
        Unknown method, alpha outside (0, 1), or counts that are not whole, negative or inconsistent.

    Notes
    -----
    Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). Jeffreys with the boundary fix
    of Brown, Cai & DasGupta (2001): lower = 0 when successes = 0, upper = 1 when successes = n.

    References
    ----------
    Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of
    seven methods. *Statistics in Medicine* 17, 857-872.
    Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
    *Statistical Science* 16(2), 101-133.
    """
    if method not in METHODS:
        raise ModelError(f"method = {method!r}: must be one of {', '.join(map(repr, METHODS))}")
    x, n = _counts(successes, n)
    alpha = _alpha(alpha)
    if n == 0:
        return (math.nan, math.nan)
    lower, upper = proportion_confint(x, n, alpha=alpha, method=METHODS[method])
    # Wilson and Clopper-Pearson reach 0 and 1 exactly at the boundaries (floating point can miss by
    # 1e-16); for Jeffreys this is Brown, Cai & DasGupta's boundary fix.
    lower = 0.0 if x == 0 else lower
    upper = 1.0 if x == n else upper
    return (float(max(lower, 0.0)), float(min(upper, 1.0)))


@dataclass(frozen=True)
class Comparison:
    """Two independent proportions compared: p1 - p2 with its interval and a p-value."""

    p1: float
    p2: float
    difference: float
    lower: float
    upper: float
    p_value: float
    test: str  # "fisher" or "chi-square", or "" when there is no data


def compare_proportions(x1, n1, x2, n2, alpha: float = 0.05) -> Comparison:
    """Compare two independent proportions (e.g. this period against an earlier, disjoint one).

    Parameters
    ----------
    x1, n1 : int
        Successes and records in the first (usually later) group.
    x2, n2 : int
        Successes and records in the second group.
    alpha : float, default 0.05

    Returns
    -------
    Comparison
        ``difference = x1/n1 - x2/n2`` with Newcombe's hybrid score interval (his method 10, no
        continuity correction) and a two-sided p-value: Fisher's exact test when any expected count
        of the 2x2 table is under 5, otherwise Pearson's chi-square test without continuity
        correction. All NaN when n1 or n2 is 0.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. *Statistics in Medicine* 17, 873-890.
    """
    x1, n1 = _counts(x1, n1, "first group: ")
    x2, n2 = _counts(x2, n2, "second group: ")
    alpha = _alpha(alpha)
    if n1 == 0 or n2 == 0:
        nan = math.nan
        return Comparison(x1 / n1 if n1 else nan, x2 / n2 if n2 else nan, nan, nan, nan, nan, "")
    lower, upper = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=alpha)
    lower, upper = max(float(lower), -1.0), min(float(upper), 1.0)  # floating point can overshoot ±1 by 1e-16
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]])
    col = table.sum(axis=0)
    if (col == 0).any():
        p_value, test = 1.0, "fisher"  # every record the same in both groups: no evidence of a difference
    else:
        expected = np.outer(table.sum(axis=1), col) / table.sum()
        if (expected < 5).any():
            p_value, test = float(stats.fisher_exact(table).pvalue), "fisher"
        else:
            p_value, test = float(stats.chi2_contingency(table, correction=False).pvalue), "chi-square"
    return Comparison(x1 / n1, x2 / n2, x1 / n1 - x2 / n2, float(lower), float(upper), p_value, test)


def audit_sample_size(margin: float, expected: float = 0.5, alpha: float = 0.05) -> int:
    """Records to sample so a compliance estimate is within ± ``margin`` (normal approximation).

    n = ceil(z² p (1 - p) / margin²), z the 1 - alpha/2 normal quantile; ``expected = 0.5`` is the
    safe choice when compliance is unknown. 0.5 ± 0.10 at 95% needs 97 records; a 10-record audit
    gives about ± 31 percentage points.

    Raises
    ------
    ModelError
        margin outside (0, 1), expected outside [0, 1], or alpha outside (0, 1).
    """
    if not 0 < margin < 1:
        raise ModelError(f"margin = {margin!r}: must be in (0, 1), e.g. 0.05 for ± 5 percentage points")
    if not 0 <= expected <= 1:
        raise ModelError(f"expected = {expected!r}: must be in [0, 1]")
    z = stats.norm.ppf(1 - _alpha(alpha) / 2)
    raw = z**2 * expected * (1 - expected) / margin**2
    nearest = round(raw)
    return max(1, int(nearest if abs(raw - nearest) < 1e-9 else math.ceil(raw)))


def margin_of_error(n: int, expected: float = 0.5, alpha: float = 0.05) -> float:
    """Half-width of the normal-approximation interval for a sample of n (NaN for n = 0)."""
    if n <= 0:
        return math.nan
    return float(stats.norm.ppf(1 - _alpha(alpha) / 2) * math.sqrt(expected * (1 - expected) / n))
