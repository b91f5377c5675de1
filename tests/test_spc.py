"""SPC against NHSRplotthedots' own test expectations and hand-computed cases.

[PTD] NHSRplotthedots (NHS-R Community), tests/testthat/test-ptd_calculate_point_type.R,
      test-ptd_spc_standard.R and _snaps/ptd_spc.md. The snapshot's data is R's
      set.seed(123); rnorm(20), whose values are written out below (8 significant figures);
      its summary is mean 0.142, lpl -3.01, upl 3.29, 20 common-cause points.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.errors import ModelError
from lib.stats import spc

RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
             -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
             -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_ptd_snapshot_limits():
    r = spc.xmr(RNORM_123)
    assert r["mean"].iloc[0] == pytest.approx(0.142, abs=0.0005)
    assert r["lpl"].iloc[0] == pytest.approx(-3.01, abs=0.005)
    assert r["upl"].iloc[0] == pytest.approx(3.29, abs=0.005)
    assert (r["point_type"] == "common_cause").all()
    assert spc.variation_icon(r) == "common_cause"
    # [PTD] summary with target 0.5: inside the limits, so the target is hit and missed at random.
    assert spc.assurance_icon(spc.xmr(RNORM_123, target=0.5)) == "inconsistent"


def test_ptd_screen_outliers_changes_limits():
    y = list(RNORM_123)
    y[14] = 10  # [PTD] data$y[15] <- 10
    screened, raw = spc.xmr(y, screen_outliers=True), spc.xmr(y, screen_outliers=False)
    base = spc.xmr(RNORM_123)
    assert screened["lpl"].iloc[0] != base["lpl"].iloc[0] and raw["lpl"].iloc[0] != screened["lpl"].iloc[0]
    assert raw["upl"].iloc[0] - raw["lpl"].iloc[0] > screened["upl"].iloc[0] - screened["lpl"].iloc[0]
    # By hand: moving ranges around the outlier are >= 3.267 x mean MR and are dropped once.
    mr = np.abs(np.diff(y))
    kept = mr[mr < 3.267 * mr.mean()]
    assert screened["upl"].iloc[0] == pytest.approx(np.mean(y) + 2.66 * kept.mean())


def test_ptd_helpers():
    assert list(spc.seven_one_side(np.array([1.0] * 8 + [-1]))) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert list(spc.seven_one_side(np.array([-1.0] * 8 + [1]))) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert list(spc.seven_one_side(np.array([1.0] * 6 + [-1]))) == [0] * 7
    assert list(spc.seven_trend(np.arange(1.0, 7))) == [0] * 6
    assert list(spc.seven_trend(np.array([1, 2, 3, 3, 4, 5, 6.0]))) == [0] * 7
    assert list(spc.seven_trend(np.arange(1.0, 8))) == [0, 0, 0, 0, 0, 0, 1]
    assert list(spc.seven_trend(np.array([2.0, *range(1, 8), 3]))) == [0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert list(spc.seven_trend(np.array([2.0, *range(7, 0, -1), 3]))) == [0, 0, 0, 0, 0, 0, 0, -1, 0]
    ones = np.ones(7)
    assert list(spc.two_in_three(np.array([0, 0, 1, 0, 1, 0, 0.0]), ones)) == [0, 0, 1, 1, 1, 0, 0]
    assert list(spc.two_in_three(np.array([0, 0, 1, 1, 0, 0, 0.0]), ones)) == [0, 1, 1, 1, 1, 0, 0]


def test_ptd_two_in_three_needs_same_side():
    # [PTD] symmetric data with two successive near-limit points on opposite sides: no signal.
    y = [1.0, -1.0] * 8
    y[14], y[15] = 5.5, -5.5
    assert list(spc.xmr(y)["point_type"].tail(2)) == ["common_cause", "common_cause"]


def test_rules_and_precedence_by_hand():
    base = [10.0, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11]
    # outside limits: mean ~ 10.5 + big spike
    r = spc.xmr(base + [30.0], improvement="decrease")
    assert r["point_type"].iloc[-1] == "special_cause_concern" and r["special_cause_type"].iloc[-1] == "Above UCL"
    # a run of 7 above the mean -> all 7 flagged; improvement when increase is better
    # (the last base point, 11, is above the mean 10.87 too, so the run is 8 long)
    run = spc.xmr(base + [11.5] * 7, screen_outliers=False)
    assert (run["point_type"].tail(8) == "special_cause_improvement").all()
    assert run["special_cause_type"].iloc[-1] == "7 Points Above CL"
    assert (run["point_type"].iloc[:11] == "common_cause").all()
    # a strict trend of 7 falling points
    trend = spc.xmr(base + [11.9, 11.6, 11.3, 11.0, 10.7, 10.4, 10.1], improvement="neutral")
    assert (trend["special_cause_type"].tail(7) == "7 Point Trend (Decreasing)").all()
    assert (trend["point_type"].tail(7) == "special_cause_neutral_low").all()


def test_rebase_and_fix_after_n():
    y = [10.0, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 20, 21, 19, 20, 21, 19, 20, 21, 19, 20, 21, 19]
    r = spc.xmr(y, rebase_at=[12])
    assert r["mean"].iloc[0] == pytest.approx(10) and r["mean"].iloc[-1] == pytest.approx(20)
    assert (r["point_type"] == "common_cause").all()
    s = pd.Series(y, index=pd.period_range("2018-01", periods=24, freq="M").astype(str))
    assert spc.xmr(s, rebase_at=["2019-01"])["group"].tolist() == [0] * 12 + [1] * 12
    fixed = spc.xmr(y, fix_after_n=12)
    assert fixed["mean"].iloc[0] == pytest.approx(10)
    assert (fixed["point_type"].tail(12) == "special_cause_improvement").all()


def test_assurance_icons():
    y = [90.0, 91, 89, 90, 91, 89, 90, 91, 89, 90, 91, 89]
    assert spc.assurance_icon(spc.xmr(y, target=80)) == "consistent_pass"
    assert spc.assurance_icon(spc.xmr(y, target=99)) == "consistent_fail"
    assert spc.assurance_icon(spc.xmr(y, improvement="decrease", target=99)) == "consistent_pass"
    assert spc.assurance_icon(spc.xmr(y, target=90)) == "inconsistent"
    assert spc.assurance_icon(spc.xmr(y)) is None
    assert spc.assurance_icon(spc.xmr(y, improvement="neutral", target=80)) is None


def test_short_series_warns():
    with pytest.warns(spc.ShortSeriesWarning):
        r = spc.xmr([1.0, 2, 3, 2, 1])
    assert r["short_group"].all()


def test_invalid_input():
    with pytest.raises(ModelError, match="improvement = 'up'"):
        spc.xmr([1.0] * 12, improvement="up")
    with pytest.raises(ModelError, match="no value at position"):
        spc.xmr([1.0, np.nan] + [1.0] * 10)


def test_laney_p_prime_widens_limits_for_large_denominators():
    rng = np.random.default_rng(7)
    n = np.full(24, 20_000)
    p_true = 0.9 + rng.normal(0, 0.01, 24)  # real month-to-month variation of about 1 point
    x = np.round(p_true * n)
    p = spc.p_chart(x, n)
    pp = spc.p_prime_chart(x, n)
    assert (p["point_type"] != "common_cause").sum() > (pp["point_type"] != "common_cause").sum()
    # By hand: sigma_z = mean |diff z| / 1.128 scales the p-chart's 3-sigma width.
    pbar = x.sum() / n.sum()
    sigma = np.sqrt(pbar * (1 - pbar) / n)
    z = (x / n - pbar) / sigma
    sz = np.mean(np.abs(np.diff(z))) / 1.128
    assert pp["upl"].iloc[0] == pytest.approx(pbar + 3 * sigma[0] * sz)
    assert p["upl"].iloc[0] == pytest.approx(pbar + 3 * sigma[0])
