"""Rates per head of population with their intervals, and the ratio of two such rates.

- :func:`poisson_rate` — a count of events over a population, per ``per`` people, with the exact Poisson
  (Garwood 1936) interval: the count's limits are ½ χ²(α/2; 2x) and ½ χ²(1 − α/2; 2x + 2) (the lower limit
  0 when x = 0), divided by the population. Used for crimes per 1,000 population by district: events, not
  people, so the count is Poisson.
- :func:`rate_ratio` — the ratio of two groups' rates (people searched per head of each group's
  population: a proportion of a population) with Katz's log interval:
  RR = (x₁/n₁) ÷ (x₂/n₂), SE(ln RR) = √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂), limits exp(ln RR ± z SE). Used for stop
  and search's disproportionality ratio (each ethnicity against White). Undefined (NaN) when either count
  is 0 (a log of 0) or a population is missing or not above its count.

References
----------
F. Garwood, "Fiducial limits for the Poisson distribution", Biometrika 28 (1936): 437–442.
D. Katz, J. Baptista, S. P. Azen, M. C. Pike, "Obtaining confidence intervals for the risk ratio in cohort
studies", Biometrics 34 (1978): 469–474.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha = {alpha!r}: must be between 0 and 1")
    return float(stats.norm.ppf(1 - alpha / 2))


def poisson_rate(count, population, per: float = 1000, alpha: float = 0.05) -> tuple[float, float, float]:
    """(rate, lower, upper) per ``per`` people: exact Poisson (Garwood) limits at 1 − ``alpha``.

    NaN for each when the count or population is missing, or the population is not above 0.

    Raises
    ------
    ValueError
        A negative count, or ``alpha`` outside (0, 1).
    """
    _z(alpha)
    if count is None or population is None or any(isinstance(v, float) and math.isnan(v) for v in (count, population)) \
            or population <= 0:
        return (math.nan, math.nan, math.nan)
    if count < 0:
        raise ValueError(f"count = {count!r}: a count of events is at least 0")
    x = float(count)
    lower = 0.0 if x == 0 else stats.chi2.ppf(alpha / 2, 2 * x) / 2
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    scale = per / float(population)
    return (x * scale, float(lower) * scale, float(upper) * scale)


def rate_ratio(x1, n1, x2, n2, alpha: float = 0.05) -> tuple[float, float, float]:
    """(ratio, lower, upper) of group 1's rate x1/n1 to group 2's x2/n2: Katz's log interval at 1 − ``alpha``.

    NaN for each when a count is 0 or missing, or a population is missing or not above its count.
    """
    z = _z(alpha)
    values = (x1, n1, x2, n2)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return (math.nan, math.nan, math.nan)
    x1, n1, x2, n2 = (float(v) for v in values)
    if x1 <= 0 or x2 <= 0 or n1 <= x1 or n2 <= x2:
        return (math.nan, math.nan, math.nan)
    ratio = (x1 / n1) / (x2 / n2)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    return (ratio, float(ratio * np.exp(-z * se)), float(ratio * np.exp(z * se)))
