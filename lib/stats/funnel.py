"""Funnel plots: comparing units of different size with one target (Spiegelhalter 2005).

Each unit's indicator y (a proportion x/n, or an indirectly standardised ratio O/E) is plotted
against its precision ρ (n, or the expected count E = population × reference rate), with control
limits around the target θ0 at two-sided 95% and 99.8% (quantiles p = 0.025/0.975 and 0.001/0.999)
that narrow as ρ grows. A rate per population is the ratio times the reference rate.

Limits (``method``):

- ``"exact"`` (default): the p-quantile of the count, Binomial(n, θ0) or Poisson(θ0 E), with
  Spiegelhalter's interpolation between counts (Appendix A.1.1; the same for the Poisson). With
  r_p the smallest count whose distribution function F(r_p) ≥ p,
  α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)) and the limit is (r_p − α)/ρ: the distribution function
  joined linearly between counts and read at p, which makes the Poisson funnel continuous in E.
  A lower limit below 0 is shown as 0 (no count can fall below it).
- ``"normal"``: θ0 ± z_p sqrt(V(θ0)/ρ), with V(θ0) = θ0(1 − θ0) for proportions and θ0 for ratios.
- ``"chisq"`` (ratios only): θ0 χ²_p(2E)/(2E) below and θ0 χ²_{1−p}(2E + 2)/(2E) above, the exact
  Poisson *confidence interval* with E in place of the observed count, as FunnelPlotR
  (``calculate_limits``, unadjusted "SR") and PHE's Fingertips ratio funnels draw them. It is wider
  than the prediction limits above (at E = 15 the 95% upper limit is 1.65 against 1.51) and is here
  only to reproduce those tools; Manktelow & Seaton (2012) show why CI-based limits mislead.

Over-dispersion (§5): with z_i = (y_i − θ0)/sqrt(V(θ0)/ρ_i), Winsorised at 10% at each end
(values beyond the 10th and 90th percentiles, R's default quantile as FunnelPlotR uses, are set to
them), φ̂ = mean(z²). Under no over-dispersion I φ̂ is about χ² (I units; I − 1 degrees of freedom
when θ0 is the pooled value of the same units, I when it is given), so over-dispersion is declared
when I φ̂ exceeds the upper ``alpha`` point. Then either the *multiplicative* limits
θ0 ± z_p sqrt(φ̂ V(θ0)/ρ), or the *additive* random-effects limits θ0 ± z_p sqrt(V(θ0)/ρ + τ̂²) with
the DerSimonian–Laird τ̂² = (I φ̂ − (I − 1)) / (Σw − Σw²/Σw), w_i = ρ_i / V(θ0), and 0 when
I φ̂ ≤ I − 1. We work on the original scale as the 2005 paper does; FunnelPlotR and the CQC
methods transform first (square root for ratios, arcsine for proportions; Spiegelhalter et al.
2012), so their φ̂ and τ̂² differ from ours.

Why written here: the maths is short, and the Python packages that draw funnels (``funnelplot``
0.2.1, last released 2020; ``controlchartspy`` 0.1.x, first released 2026 as a port of an R/JavaScript
package) are either unmaintained or too new to depend on, and none documents Spiegelhalter's
interpolated exact limits with the §5 test. The R references (FunnelPlotR, PHEindicatormethods)
use the transformed-scale or CI-based variants described above.

References
----------
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. *Statistics in
Medicine* 24, 1185-1202 (Table I; §5; Appendix A.1.1).
Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. *Quality and Safety
in Health Care* 14, 347-351.
Spiegelhalter, D. J. et al. (2012). Statistical methods for healthcare regulation: rating, screening
and surveillance. *JRSS A* 175, 1-47.
DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical Trials* 7, 177-188.
Manktelow, B. N. & Seaton, S. E. (2012). Specifying the probability characteristics of funnel plot
control limits. *PLoS ONE* 7(9), e45723.
FunnelPlotR (NHS-R Community): R/calculate_limits.R, R/od_adjustment.R. PHEindicatormethods: R/Funnels.R.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from lib.errors import ModelError

KINDS = ("proportion", "ratio")
METHODS = ("exact", "normal", "chisq")
ADJUSTMENTS = ("multiplicative", "additive")
LEVELS = {"95": 0.025, "99.8": 0.001}  # lower tail of each two-sided level; the upper limit is at 1 - p
COLUMNS = ("lower_998", "lower_95", "upper_95", "upper_998")
BANDS = ("below 99.8%", "below 95%", "within", "above 95%", "above 99.8%")
WINSORISE = 0.1


def _choice(value, name: str, allowed: tuple) -> str:
    if value not in allowed:
        raise ModelError(f"{name} = {value!r}: must be one of {', '.join(repr(a) for a in allowed)}")
    return value


def _target(target: float, kind: str) -> float:
    t = float(target)
    if not np.isfinite(t) or t <= 0 or (kind == "proportion" and t >= 1):
        raise ModelError(f"target = {target!r}: must be " + ("in (0, 1)" if kind == "proportion" else "> 0"))
    return t


def _precision(precision, kind: str) -> np.ndarray:
    rho = np.atleast_1d(np.asarray(precision, dtype=float))
    if rho.ndim != 1 or not np.all(np.isfinite(rho)) or np.any(rho <= 0):
        raise ModelError("precision must be one-dimensional, finite and > 0 "
                         "(n for proportions, the expected count for ratios)")
    if kind == "proportion" and np.any(rho != np.round(rho)):
        raise ModelError("precision for proportions is a number of records n: whole numbers only")
    return rho


def _variance(target: float, kind: str) -> float:
    """V(θ0) of Spiegelhalter's Table I: Var(y) = V(θ0)/ρ."""
    return target * (1 - target) if kind == "proportion" else target


def exact_limit(precision, target: float, p: float, kind: str = "proportion") -> np.ndarray:
    """Spiegelhalter's interpolated exact limit at quantile ``p``, on the y scale (x/n or O/E).

    Notes
    -----
    r_p = min{r : F(r) ≥ p} for F the Binomial(n, θ0) or Poisson(θ0 E) distribution function;
    α = (F(r_p) − p)/(F(r_p) − F(r_p − 1)); limit = (r_p − α)/ρ, floored at 0 (Appendix A.1.1).
    """
    kind = _choice(kind, "kind", KINDS)
    rho, t = _precision(precision, kind), _target(target, kind)
    dist = stats.binom(rho.astype(int), t) if kind == "proportion" else stats.poisson(t * rho)
    r = dist.ppf(p)
    r = np.where(dist.cdf(r) < p, r + 1, r)  # ppf's rounding, both ways: r is the smallest count with F >= p
    r = np.where((r > 0) & (dist.cdf(r - 1) >= p), r - 1, r)
    f_r, f_below = dist.cdf(r), dist.cdf(r - 1)
    alpha = (f_r - p) / (f_r - f_below)
    return np.maximum((r - alpha) / rho, 0.0)


def normal_limit(precision, target: float, p: float, kind: str = "proportion", phi: float = 1.0,
                 tau2: float = 0.0) -> np.ndarray:
    """θ0 + z_p sqrt(φ V(θ0)/ρ + τ²): the normal limit, optionally inflated (§5); floored at 0, proportions capped at 1."""
    kind = _choice(kind, "kind", KINDS)
    rho, t = _precision(precision, kind), _target(target, kind)
    limit = t + stats.norm.ppf(p) * np.sqrt(phi * _variance(t, kind) / rho + tau2)
    return np.clip(limit, 0.0, 1.0 if kind == "proportion" else np.inf)


def chisq_limit(expected, target: float, p: float) -> np.ndarray:
    """The χ² (exact Poisson CI) form of FunnelPlotR / PHE for ratios, at quantile ``p`` (see module notes)."""
    e, t = _precision(expected, "ratio"), _target(target, "ratio")
    shape = e if p < 0.5 else e + 1
    return t * stats.gamma.ppf(p, shape) / e


@dataclass(frozen=True)
class Dispersion:
    """Spiegelhalter's §5 over-dispersion estimate and test.

    ``phi`` (φ̂, mean Winsorised z²), ``statistic`` (I φ̂), ``df`` and ``p_value`` of the χ² test,
    ``overdispersed`` (p_value < alpha), ``tau2`` (additive between-unit variance, 0 when I φ̂ ≤ I − 1),
    ``units`` (I), ``winsorise`` and ``z`` (the z-scores before Winsorising).
    """

    phi: float
    statistic: float
    df: int
    p_value: float
    overdispersed: bool
    tau2: float
    units: int
    winsorise: float
    z: np.ndarray


def _z(value: np.ndarray, rho: np.ndarray, target: float, kind: str) -> np.ndarray:
    return (value - target) / np.sqrt(_variance(target, kind) / rho)


def winsorise(z, fraction: float = WINSORISE) -> np.ndarray:
    """z with values below the ``fraction`` and above the 1 − ``fraction`` quantile (R type 7) set to them."""
    if not 0 <= fraction < 0.5:
        raise ModelError(f"winsorise = {fraction!r}: must be in [0, 0.5)")
    z = np.asarray(z, dtype=float)
    low, high = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, low, high)


def dispersion(observed, precision, target: float | None = None, kind: str = "proportion",
               fraction: float = WINSORISE, alpha: float = 0.05) -> Dispersion:
    """Estimate and test over-dispersion of units around the target (Spiegelhalter 2005, §5).

    Parameters
    ----------
    observed, precision : array-like
        Per unit: x and n (proportions) or O and E (ratios).
    target : float, optional
        θ0; default the pooled Σobserved/Σprecision (then the test has I − 1 degrees of freedom).
    kind : {"proportion", "ratio"}
    fraction : float, default 0.1
        Winsorised at each end.
    alpha : float, default 0.05
        Level of the χ² test.

    Raises
    ------
    ModelError
        Fewer than 2 units, or invalid counts, precision, target, fraction or alpha.
    """
    kind = _choice(kind, "kind", KINDS)
    obs, rho = _units(observed, precision, kind)
    if len(obs) < 2:
        raise ModelError("dispersion needs at least 2 units")
    if not 0 < alpha < 1:
        raise ModelError(f"alpha = {alpha!r}: must be in (0, 1)")
    estimated = target is None
    t = _target(obs.sum() / rho.sum() if estimated else target, kind)
    z = _z(obs / rho, rho, t, kind)
    units = len(z)
    phi = float(np.mean(winsorise(z, fraction) ** 2))
    df = units - 1 if estimated else units
    statistic = units * phi
    p_value = float(stats.chi2.sf(statistic, df))
    w = rho / _variance(t, kind)
    tau2 = max(0.0, (statistic - (units - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    return Dispersion(phi, statistic, df, p_value, p_value < alpha, float(tau2), units, fraction, z)


def limits(precision, target: float, kind: str = "proportion", method: str = "exact", phi: float = 1.0,
           tau2: float = 0.0) -> pd.DataFrame:
    """Funnel limits at each precision (for a smooth funnel, pass a fine grid, see :func:`grid`).

    Returns
    -------
    DataFrame
        ``precision, target, lower_998, lower_95, upper_95, upper_998`` on the y scale. With ``phi``
        ≠ 1 or ``tau2`` > 0 the limits are the inflated normal ones of §5 whatever ``method``.
    """
    kind, method = _choice(kind, "kind", KINDS), _choice(method, "method", METHODS)
    if method == "chisq" and kind != "ratio":
        raise ModelError("method = 'chisq' is for ratios (Poisson counts) only")
    if phi <= 0 or tau2 < 0:
        raise ModelError(f"phi = {phi!r}, tau2 = {tau2!r}: phi must be > 0 and tau2 >= 0")
    rho, t = _precision(precision, kind), _target(target, kind)
    adjusted = phi != 1 or tau2 > 0
    out = {"precision": rho, "target": np.full(len(rho), t)}
    for level, p in LEVELS.items():
        for side, q in (("lower", p), ("upper", 1 - p)):
            col = f"{side}_{level.replace('.', '')}"
            if adjusted or method == "normal":
                out[col] = normal_limit(rho, t, q, kind, phi, tau2)
            elif method == "exact":
                out[col] = exact_limit(rho, t, q, kind)
            else:
                out[col] = chisq_limit(rho, t, q)
    return pd.DataFrame(out)[["precision", "target", *COLUMNS]]


def grid(precision, points: int = 100, kind: str = "proportion") -> np.ndarray:
    """A geometric grid of precisions from the smallest to the largest unit's, for drawing the funnel
    (whole numbers for proportions)."""
    rho = _precision(precision, kind)
    values = np.geomspace(rho.min(), rho.max(), max(int(points), 2))
    return np.unique(np.round(values)) if kind == "proportion" else values


def _units(observed, precision, kind: str) -> tuple[np.ndarray, np.ndarray]:
    obs = np.atleast_1d(np.asarray(observed, dtype=float))
    rho = _precision(precision, kind)
    if obs.shape != rho.shape:
        raise ModelError(f"observed ({obs.size} units) and precision ({rho.size}) must be the same length")
    if not np.all(np.isfinite(obs)) or np.any(obs < 0) or np.any(obs != np.round(obs)):
        raise ModelError("observed must be whole counts >= 0 for every unit")
    if kind == "proportion" and np.any(obs > rho):
        raise ModelError("observed must be <= n for every unit (a proportion)")
    return obs, rho


def band(value, lims: pd.DataFrame) -> np.ndarray:
    """Each unit's band (one of ``BANDS``) from its value and its limits; a value on a limit is inside."""
    v = np.asarray(value, dtype=float)
    out = np.full(v.shape, "within", dtype=object)
    out[v > lims["upper_95"].to_numpy()] = "above 95%"
    out[v > lims["upper_998"].to_numpy()] = "above 99.8%"
    out[v < lims["lower_95"].to_numpy()] = "below 95%"
    out[v < lims["lower_998"].to_numpy()] = "below 99.8%"
    return out


@dataclass(frozen=True)
class Funnel:
    """Result of :func:`funnel`: ``units`` (one row per unit), ``limits`` (the smooth funnel),
    ``target``, ``dispersion`` and ``adjustment`` (the §5 adjustment applied, or None)."""

    units: pd.DataFrame
    limits: pd.DataFrame
    target: float
    dispersion: Dispersion | None
    adjustment: str | None


def funnel(observed, precision, target: float | None = None, kind: str = "proportion", method: str = "exact",
           overdispersion: str | None = None, labels=None, points: int = 100, fraction: float = WINSORISE,
           alpha: float = 0.05) -> Funnel:
    """Funnel plot of units: limits, each unit's band, and (if asked) the over-dispersion adjustment.

    Parameters
    ----------
    observed, precision : array-like
        Per unit: successes x and records n (``kind="proportion"``), or observed O and expected
        E = population × reference rate (``kind="ratio"``; the rate is the ratio × reference rate).
    target : float, optional
        θ0; default the pooled Σobserved/Σprecision (the group average).
    kind : {"proportion", "ratio"}
    method : {"exact", "normal", "chisq"}, default "exact"
        See the module notes; "chisq" for ratios only.
    overdispersion : {None, "multiplicative", "additive"}
        None: test only (``dispersion`` is still reported when there are 2 units or more). Otherwise
        the limits are inflated when the §5 χ² test finds over-dispersion (and, for "additive", τ̂² > 0).
    labels : array-like, optional
        Unit names (the ``unit`` column).
    points : int, default 100
        Points of the smooth funnel (:func:`grid`).
    fraction, alpha : float
        Winsorising fraction at each end, and the level of the over-dispersion test.

    Returns
    -------
    Funnel
        ``units``: unit, observed, precision, value (x/n or O/E), z, the four limits at the unit's
        precision, band (one of ``BANDS``). ``limits``: :func:`limits` on the grid.

    Raises
    ------
    ModelError
        Invalid counts, precision, target, kind, method or adjustment (all matched exactly).
    """
    kind, method = _choice(kind, "kind", KINDS), _choice(method, "method", METHODS)
    if overdispersion is not None:
        _choice(overdispersion, "overdispersion", ADJUSTMENTS)
    obs, rho = _units(observed, precision, kind)
    t = _target(obs.sum() / rho.sum() if target is None else target, kind)
    disp = dispersion(obs, rho, target, kind, fraction, alpha) if len(obs) >= 2 else None
    phi, tau2, applied = 1.0, 0.0, None
    if overdispersion and disp is not None and disp.overdispersed:
        if overdispersion == "multiplicative":
            phi, applied = disp.phi, overdispersion
        elif disp.tau2 > 0:
            tau2, applied = disp.tau2, overdispersion
    names = list(labels) if labels is not None else list(range(len(obs)))
    if len(names) != len(obs):
        raise ModelError(f"labels ({len(names)}) and observed ({len(obs)}) must be the same length")
    at_units = limits(rho, t, kind, method, phi, tau2)
    value = obs / rho
    units = pd.DataFrame({"unit": names, "observed": obs, "precision": rho, "value": value,
                          "z": _z(value, rho, t, kind)})
    units = pd.concat([units, at_units[list(COLUMNS)]], axis=1)
    units["band"] = band(value, at_units)
    return Funnel(units, limits(grid(rho, points, kind), t, kind, method, phi, tau2), t, disp, applied)
