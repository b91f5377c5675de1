"""Funnel plots (Spiegelhalter 2005) against hand calculations, published values and invariants.

[S05] Spiegelhalter (2005), Statistics in Medicine 24:1185-1202: Appendix A.1.1 (interpolated exact
      limits), Table I (V(θ0)), §5 (over-dispersion). The paper's text and its worked examples were
      not in the search corpus, so its formulas are checked by hand calculations (exact rational or
      float arithmetic written out here, no scipy) and by invariants, not against its figures.
[FunnelPlotR] (NHS-R Community) tests/testthat/test-poisson_limits.R: unadjusted standardised-ratio
      limits at E = 15, 20, 30 (target 1), published to 6-7 decimals; R/calculate_limits.R for the
      normal quantiles 1.959964 and 3.090232.
[SM]  statsmodels.stats.meta_analysis.combine_effects(method_re="dl"): an independent DerSimonian-Laird
      τ² and Q (heterogeneity statistic), which §5's additive τ̂² and I·φ̂ equal when nothing is Winsorised.
[R7]  R's quantile(type = 7), the default FunnelPlotR's Winsorisation uses: quantile(1:10, c(.1, .9)) = 1.9, 9.1.
"""
from __future__ import annotations

from fractions import Fraction
from math import comb, exp, factorial

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

from lib.errors import ModelError
from lib.stats import funnel


def _binomial_cdf(k: int, n: int, t: Fraction) -> Fraction:
    return sum((comb(n, j) * t ** j * (1 - t) ** (n - j) for j in range(k + 1)), Fraction(0))


def _interpolated(cdf, p) -> float:
    """[S05] A.1.1 by hand: r_p = smallest r with F(r) >= p; α = (F(r_p) - p)/(F(r_p) - F(r_p - 1)); r_p - α."""
    r = 0
    while cdf(r) < p:
        r += 1
    f, below = cdf(r), (cdf(r - 1) if r else 0)
    return float(r - (f - p) / (f - below))


def test_exact_binomial_limits_by_hand():
    # n = 20, θ0 = 0.1, exact rationals: P(X <= 4) = 0.95683, P(X <= 5) = 0.98875, so r = 5, α = 0.43065 and the
    # upper 95% limit is (5 - 0.43065)/20 = 0.22847; upper 99.8%: r = 7, (7 - 0.29656)/20 = 0.33517.
    n, t = 20, Fraction(1, 10)
    for p, expected in ((Fraction(975, 1000), 0.2284676070299244), (Fraction(999, 1000), 0.3351718216852828)):
        assert _interpolated(lambda k: _binomial_cdf(k, n, t), p) / n == pytest.approx(expected, rel=1e-12)
        assert funnel.exact_limit(n, 0.1, float(p))[0] == pytest.approx(expected, rel=1e-12)
    # P(X = 0) = 0.9^20 = 0.1216 >= 0.025: r = 0 and (0 - α)/n < 0, so no count is below the lower limit: 0.
    assert _interpolated(lambda k: _binomial_cdf(k, n, t), Fraction(25, 1000)) < 0
    assert funnel.exact_limit(n, 0.1, 0.025)[0] == 0.0


def test_exact_poisson_limits_by_hand():
    # E = 4, θ0 = 1: P(O <= 7) = 0.94887, P(O <= 8) = 0.97864: r = 8, α = 0.12215, upper 95% (8 - α)/4 = 1.96946.
    def cdf(k):
        return sum(4.0 ** j * exp(-4.0) / factorial(j) for j in range(k + 1))

    for p in (0.975, 0.999, 0.025):
        assert funnel.exact_limit(4, 1.0, p, "ratio")[0] == pytest.approx(_interpolated(cdf, p) / 4, rel=1e-12)
    assert funnel.exact_limit(4, 1.0, 0.975, "ratio")[0] == pytest.approx(1.9694613422506964, rel=1e-12)
    # A target θ0 scales the expected count: limits of O/E for O ~ Poisson(θ0 E).
    assert funnel.exact_limit(2, 2.0, 0.975, "ratio")[0] == pytest.approx(2 * _interpolated(cdf, 0.975) / 4, rel=1e-12)


def test_interpolated_poisson_funnel_is_continuous_in_expected():
    # Invariant of the interpolation: where E crosses the point at which P(O <= r; E) = p, r_p jumps by one and α
    # from 0 to 1, so the count limit r_p - α is continuous (a wrong α, e.g. (p - F(r - 1))/(...), jumps by 1).
    for r, p in ((10, 0.975), (3, 0.001), (25, 0.999), (6, 0.025)):
        e_star = optimize.brentq(lambda e, r=r, p=p: stats.poisson.cdf(r, e) - p, 0.01, 200, xtol=1e-14)
        below, above = e_star * (1 - 1e-9), e_star * (1 + 1e-9)
        counts = [funnel.exact_limit(e, 1.0, p, "ratio")[0] * e for e in (below, above)]
        assert counts == pytest.approx([r, r], abs=1e-5)


def test_exact_limits_lie_between_counts_and_order_by_quantile():
    # Invariant: the interpolated limit is in ((r_p - 1)/ρ, r_p/ρ] and rises with p.
    for n in (5, 17, 60, 333, 2000):
        for t in (0.03, 0.5, 0.92):
            ps = [0.001, 0.025, 0.975, 0.999]
            lims = [funnel.exact_limit(n, t, p)[0] for p in ps]
            assert lims == sorted(lims)
            for p, lim in zip(ps, lims):
                r = stats.binom.ppf(p, n, t)
                assert max((r - 1) / n, 0) <= lim <= r / n + 1e-15


def test_normal_limits_use_the_published_quantiles():
    # [FunnelPlotR] calculate_limits: 1.959964 and 3.090232; [S05] Table I: V(θ0) = θ0(1 - θ0) for proportions, θ0 for ratios.
    e = np.array([15.0, 50, 400])
    lims = funnel.limits(e, 1.0, "ratio", "normal")
    assert lims["upper_95"].to_numpy() == pytest.approx(1 + 1.959964 * np.sqrt(1 / e), abs=1e-6)
    assert lims["lower_998"].to_numpy() == pytest.approx(1 - 3.090232 * np.sqrt(1 / e), abs=1e-6)
    p = funnel.limits([100], 0.3, "proportion", "normal")
    assert p["lower_95"].iloc[0] == pytest.approx(0.3 - 1.959964 * np.sqrt(0.3 * 0.7 / 100), abs=1e-6)


def test_exact_approaches_normal_for_large_precision():
    # Invariant: with n = 10^6 the binomial is close to normal; the gap is a small part of the funnel's half-width.
    for kind, t in (("proportion", 0.3), ("ratio", 1.2)):
        exact, normal = funnel.limits([10 ** 6], t, kind), funnel.limits([10 ** 6], t, kind, "normal")
        half = normal["upper_998"].iloc[0] - t
        for col in funnel.COLUMNS:
            assert abs(exact[col].iloc[0] - normal[col].iloc[0]) < 0.01 * half


def test_chisq_limits_reproduce_funnelplotr():
    # [FunnelPlotR] test-poisson_limits.R: ll95, ul95, ll99 (99.8%) and ul99 at E = 15, 20, 30.
    lims = funnel.limits([15, 20, 30], 1, "ratio", "chisq")
    assert lims["lower_95"].round(7).tolist() == [0.5596924, 0.6108260, 0.6746958]
    assert lims["upper_95"].round(6).tolist() == [1.649348, 1.544419, 1.427562]
    assert lims["lower_998"].round(7).tolist() == [0.3862650, 0.4479107, 0.5289724]
    assert lims["upper_998"].round(6).tolist() == [2.082907, 1.902094, 1.702771]
    # The module's claim: these CI-based limits are wider than the prediction limits (E = 15: 1.65 against 1.51).
    exact = funnel.limits([15, 20, 30], 1, "ratio")
    assert exact["upper_95"].iloc[0] == pytest.approx(1.5055, abs=5e-5)
    assert (exact["upper_95"] < lims["upper_95"]).all() and (exact["lower_95"] < lims["lower_95"]).all()


def test_winsorise_matches_r_quantile_type_7():
    # [R7] quantile(1:10, c(0.1, 0.9)) = 1.9 and 9.1.
    assert funnel.winsorise(np.arange(1.0, 11)).tolist() == pytest.approx([1.9, 2, 3, 4, 5, 6, 7, 8, 9, 9.1])
    assert funnel.winsorise([3.0, -1.0], 0).tolist() == [3.0, -1.0]


def test_dispersion_without_winsorising_is_dersimonian_laird():
    # [SM] With θ0 the pooled value, w_i = n_i/V(θ0) and the weighted mean equal Σx/Σn, so I φ̂ is Cochran's Q and
    # τ̂² the DerSimonian-Laird estimate statsmodels computes independently.
    rng = np.random.default_rng(5)
    n = rng.integers(100, 3000, 30)
    x = rng.binomial(n, rng.beta(20, 60, 30))
    t = x.sum() / n.sum()
    res = combine_effects(x / n, t * (1 - t) / n, method_re="dl")
    d = funnel.dispersion(x, n, fraction=0)
    assert d.statistic == pytest.approx(res.q, rel=1e-10) and d.tau2 == pytest.approx(res.tau2, rel=1e-10)
    assert d.df == 29 and d.p_value == pytest.approx(stats.chi2.sf(res.q, 29)) and d.overdispersed
    # Ratios: z = (O/E - θ0)/sqrt(θ0/E), [S05] Table I.
    e = np.array([10.0, 40, 90, 160])
    o = np.array([14, 35, 99, 150])
    r = funnel.dispersion(o, e, target=1.0, kind="ratio", fraction=0)
    assert r.z == pytest.approx((o / e - 1) / np.sqrt(1 / e))
    assert (r.df, r.phi) == (4, pytest.approx(np.mean(r.z ** 2)))


def test_dispersion_winsorises_and_tests_as_section_5():
    # By hand: 10 units whose z-scores are 1..10 are Winsorised to 1.9..9.1 ([R7]); φ̂ = mean of their squares.
    n = np.full(10, 400)
    t = 0.5
    z = np.arange(1.0, 11)
    x = t * n + z * np.sqrt(t * (1 - t) / n) * n  # x/n = t + z sd
    d = funnel.dispersion(x, n, target=t)
    wz = np.array([1.9, 2, 3, 4, 5, 6, 7, 8, 9, 9.1])
    assert d.phi == pytest.approx(np.mean(wz ** 2)) and d.statistic == pytest.approx(10 * np.mean(wz ** 2))
    assert d.df == 10  # θ0 given: I degrees of freedom
    w = n / (t * (1 - t))
    assert d.tau2 == pytest.approx((d.statistic - 9) / (w.sum() - (w ** 2).sum() / w.sum()))


def test_overdispersion_is_found_only_when_present():
    # Invariant (seeded): binomial units are not over-dispersed; beta-binomial ones are, and the additive limits
    # then flag fewer units than the plain ones.
    rng = np.random.default_rng(42)
    n = rng.integers(200, 5000, 60)
    plain = funnel.funnel(rng.binomial(n, 0.3), n, overdispersion="additive")
    assert not plain.dispersion.overdispersed and plain.adjustment is None and plain.dispersion.tau2 < 1e-4
    x = rng.binomial(n, rng.beta(30, 70, 60))
    wide = funnel.funnel(x, n, overdispersion="additive")
    assert wide.dispersion.overdispersed and wide.adjustment == "additive" and wide.dispersion.tau2 > 0
    raw = funnel.funnel(x, n)
    assert (raw.units["band"] != "within").sum() > (wide.units["band"] != "within").sum()
    mult = funnel.funnel(x, n, overdispersion="multiplicative")
    normal = funnel.limits(n, mult.target, method="normal")
    width = mult.units["upper_95"] - mult.target
    assert width.to_numpy() == pytest.approx(np.sqrt(mult.dispersion.phi) * (normal["upper_95"] - mult.target).to_numpy())


def test_bands_and_the_funnel_frame():
    n = np.array([50, 200, 1000, 1000, 1000, 5000])
    x = np.array([25, 100, 600, 400, 540, 2500])
    f = funnel.funnel(x, n, target=0.5, labels=list("abcdef"))
    assert f.units["unit"].tolist() == list("abcdef")
    assert f.units["band"].tolist() == ["within", "within", "above 99.8%", "below 99.8%", "above 95%", "within"]
    assert f.units["value"].tolist() == pytest.approx(x / n)
    assert f.units.loc[2, "z"] == pytest.approx((0.6 - 0.5) / np.sqrt(0.25 / 1000))
    # A value exactly on a limit is inside it.
    lims = funnel.limits([100], 0.5, method="normal")
    assert funnel.band([lims["upper_95"].iloc[0]], lims).tolist() == ["within"]
    # The smooth funnel: whole-number grid from the smallest to the largest n, 99.8% outside 95%, narrowing.
    grid = f.limits
    assert grid["precision"].iloc[0] == 50 and grid["precision"].iloc[-1] == 5000
    assert (grid["upper_998"] >= grid["upper_95"]).all() and (grid["lower_998"] <= grid["lower_95"]).all()
    normal = funnel.limits(grid["precision"], 0.5, method="normal")
    assert normal["upper_95"].is_monotonic_decreasing
    # The default target is the pooled Σx/Σn (the group average).
    assert funnel.funnel(x, n).target == pytest.approx(x.sum() / n.sum())


def test_invalid_input():
    with pytest.raises(ModelError, match="kind = 'Proportion'"):
        funnel.limits([10], 0.5, kind="Proportion")
    with pytest.raises(ModelError, match="method = 'chisq' is for ratios"):
        funnel.limits([10], 0.5, method="chisq")
    with pytest.raises(ModelError, match="target = 1.5: must be in \\(0, 1\\)"):
        funnel.limits([10], 1.5)
    with pytest.raises(ModelError, match="whole numbers only"):
        funnel.limits([10.5], 0.5)
    with pytest.raises(ModelError, match="observed must be <= n"):
        funnel.funnel([11], [10])
    with pytest.raises(ModelError, match="labels \\(1\\) and observed \\(2\\)"):
        funnel.funnel([1, 2], [10, 10], labels=["a"])
    with pytest.raises(ModelError, match="overdispersion = 'both'"):
        funnel.funnel([1, 2], [10, 10], overdispersion="both")
    with pytest.raises(ModelError, match="at least 2 units"):
        funnel.dispersion([1], [10])
    assert isinstance(funnel.funnel([3], [10]).units, pd.DataFrame)  # one unit: limits, but no dispersion
