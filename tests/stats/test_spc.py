"""SPC against NHSRplotthedots' own test expectations and hand-computed cases.

[PTD] NHSRplotthedots (NHS-R Community), tests/testthat/test-ptd_calculate_point_type.R,
      test-ptd_spc_standard.R and _snaps/ptd_spc.md. The snapshot's data is R's
      set.seed(123); rnorm(20), whose values are written out below (8 significant figures);
      its summary is mean 0.142, lpl -3.01, upl 3.29, 20 common-cause points.
[PTD-INT] NHSRplotthedots tests/testthat/test-integration_tests.R with its snapshot
      _snaps/integration_tests.md (commit 0c096d8): ``ae_all()`` is NHSRdatasets' ae_attendances
      summed over organisations by month (April 2016 - March 2019), charted with
      ``rebase = as.Date("2017-04-01")`` (attendances) and ``fix_after_n_points = 12``
      (performance = 1 - breaches/attendances). The snapshot is R's serialised data frame
      (expect_snapshot_value(style = "serialize")); we decoded y, mean, lpl, upl and point_type
      from it (XDR doubles, exact) and write them out below.
[PTD-AT] NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R, "it returns correct
      values for assurance when rebase": the icon is read from the last row's limits.
[MDC] Making Data Count, Strengthening your decisions (as summarised in shared/DOMAIN.md; the
      primary text was not in the search corpus): recalculate only after a sustained change with a
      known cause, from the point of change; the shift rule is 7 in a row on one side of the mean.
[PTD-N] NHSRplotthedots vignettes: number-of-points-required.Rmd ("the calculations will be locked [at 12
      points], until such time as a signal of special cause variation occurs - for example, a long run above
      or below the mean. At this point ... revise the limits from the start of the long run"; below 12
      points, "trial limits"); deviations.Rmd (ae_all() rebased at 2017-04-01 and 2018-04-01: "three
      sections, each with twelve grey common cause points").
Where no published example exists (phases, the window), the tests are labelled invariants or
hand-built cases, and each can fail.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lib.errors import ModelError
from lib.stats import phases, spc

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


# --- [PTD-INT] integration snapshots: real data, rebase and fixed limits ------------------------------------------

MONTHS = pd.period_range("2016-04", periods=36, freq="M").astype(str)
AE_ATTENDANCES = [1867781, 2070340, 1958802, 2079034, 1932901, 1952464, 2001816, 1907871, 1944567, 1895272, 1735619,
                  2015834, 1949762, 2066789, 1994056, 2073944, 1924663, 1925961, 2044137, 1976971, 2003954, 2000086,
                  1820012, 2049785, 1984369, 2164458, 2093942, 2179896, 1997854, 2005695, 2079492, 2037847, 2047518,
                  2113413, 1954947, 2167550]
AE_PERFORMANCE = [0.9003512724457525, 0.9027555860390081, 0.9055994429248081, 0.9028524786030435, 0.909763097023593,
                  0.9064786853944554, 0.8905308979446662, 0.8837903610883545, 0.8617594559611471, 0.851413411900772,
                  0.8753090395991286, 0.9000949482943537, 0.9051525263083392, 0.8970035160821932, 0.9072518525056468,
                  0.9034785895858326, 0.9029928875860346, 0.8966609396555797, 0.8994186788850258, 0.8876655246839736,
                  0.8498503458662225, 0.8529918213516818, 0.8504476893558943, 0.8462121637147311, 0.8857248828216929,
                  0.9039011151983545, 0.9076297242234981, 0.8931949047110505, 0.8972702710007838, 0.8894368286304747,
                  0.8900933497219513, 0.8760446687116353, 0.8644632183941728, 0.843525141560121, 0.8422525009629417,
                  0.8660427671795345]
POINT_CODE = {"C": "common_cause", "I": "special_cause_improvement", "X": "special_cause_concern"}


def test_ptd_integration_attendances_rebased_at_april_2017():
    r = spc.xmr(pd.Series(AE_ATTENDANCES, index=MONTHS), rebase_at=["2017-04"])
    assert r["group"].tolist() == [0] * 12 + [1] * 24
    expected = {0: (1946858.4166666667, 1639947.374848485, 2253769.4584848485),
                1: (2027379.2083333333, 1772921.0639855072, 2281837.3526811595)}
    for g, (mean, lpl, upl) in expected.items():
        rows = r[r["group"] == g]
        assert rows["mean"].to_numpy() == pytest.approx(mean, rel=1e-12)
        assert rows["lpl"].to_numpy() == pytest.approx(lpl, rel=1e-12)
        assert rows["upl"].to_numpy() == pytest.approx(upl, rel=1e-12)
    assert (r["point_type"] == "common_cause").all()


def test_ptd_integration_performance_fixed_after_12_points():
    r = spc.xmr(pd.Series(AE_PERFORMANCE, index=MONTHS), fix_after_n=12)
    assert r["mean"].to_numpy() == pytest.approx(0.8908915564349236, rel=1e-12)
    assert r["lpl"].to_numpy() == pytest.approx(0.8614049789074258, rel=1e-12)
    assert r["upl"].to_numpy() == pytest.approx(0.9203781339624213, rel=1e-12)
    assert r["point_type"].tolist() == [POINT_CODE[c] for c in "CCCCCCCCCXCIIIIIIIICXXXXCCCCCXXXXXXX"]


# --- [PTD-N] the phase rule (lib.stats.phases) on NHSRplotthedots' published examples --------------------------------

def test_the_phase_rule_starts_where_the_published_locked_chart_first_signals_a_long_run():
    """[PTD-INT] performance, fixed after 12 points: the published chart's first long run is 2017-03 to 2017-10
    ("I" × 8 against the locked mean 0.89089). [PTD-N] revise the limits from the start of the long run: the rule
    starts its new phase at 2017-03, judged against that same locked mean, the run 8 long."""
    ph = phases.phases(pd.Series(AE_PERFORMANCE, index=MONTHS))
    first = ph.changes[0]
    assert (first.start, first.length, first.side) == ("2017-03", 8, "above")
    assert first.mean == pytest.approx(0.8908915564349236, rel=1e-12)  # the snapshot's locked mean
    published = "CCCCCCCCCXCIIIIIIIICXXXXCCCCCXXXXXXX"
    assert published.index("IIIIIII") == list(MONTHS).index("2017-03")
    # Phase 0 now has 11 points (trial limits); phase 1 is locked on its first 12.
    assert ph.chart["short_group"].tolist()[:11] == [True] * 11 and not ph.chart["short_group"].iloc[11]


def test_the_phase_rule_judges_the_published_rebases_rather_than_taking_them():
    """[PTD-N] deviations.Rmd rebases ae_all() attendances at 2017-04 and 2018-04 and shows three 12-point sections of
    common cause points; our chart with those rebases draws the same. Given them as listed interventions, the rule
    recalculates from 2018-04 (10 months above the old mean of 1.975 M follow it) but not from 2017-04 (the run above
    the old mean starts 11 months later: too late to be its effect). With none listed it finds the lasting change on
    its own, from 2018-03 (2,049,785, nearer the new level than the old), cause not recorded."""
    y = pd.Series(AE_ATTENDANCES, index=MONTHS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)
        published = spc.xmr(y, rebase_at=["2017-04", "2018-04"])
    assert (published["point_type"] == "common_cause").all() and published["group"].tolist() == [0] * 12 + [1] * 12 + [2] * 12
    listed = phases.phases(y, {"2017-04": "new year", "2018-04": "new year"})
    assert [(d.at, d.applied, d.reason) for d in listed.decisions] == [("2017-04", False, "too_late"),
                                                                       ("2018-04", True, "shift")]
    assert listed.decisions[1].old_mean == pytest.approx(np.mean(AE_ATTENDANCES[:24]))
    assert listed.rebase_at == ("2018-04",) and listed.changes == ()
    alone = phases.phases(y)
    assert [(c.start, c.length, c.side) for c in alone.changes] == [("2018-03", 13, "above")]
    assert alone.changes[0].mean == pytest.approx(1946858.4166666667, rel=1e-12)  # [PTD-INT] group 0's mean


def test_limits_are_locked_on_a_phases_first_12_points():
    """[PTD-N] and ptd_spc(fix_after_n_points = 12) per rebase group: our phases lock each phase's limits on its first
    12 points; the published performance limits (fixed after 12) are reproduced when no phase starts."""
    ph = phases.phases(pd.Series(AE_PERFORMANCE, index=MONTHS), unrecorded=False)
    assert ph.chart["mean"].to_numpy() == pytest.approx(0.8908915564349236, rel=1e-12)
    assert ph.chart["upl"].to_numpy() == pytest.approx(0.9203781339624213, rel=1e-12)
    assert ph.chart["point_type"].tolist() == [POINT_CODE[c] for c in "CCCCCCCCCXCIIIIIIIICXXXXCCCCCXXXXXXX"]
    # A run wholly inside the locked months is their own variation, not a change (it must still be going after them).
    base = [9.2, 10.0, 10.2, 10.1, 10.3, 10.2, 10.4, 10.3, 9.4, 9.3, 9.5, 9.1] + [9.5, 10.2] * 6
    assert phases.sustained_shift(base).position == 1 and phases.sustained_shift(base, fix_after_n=12) is None
    assert phases.phases(base).changes == ()


# --- [PTD-AT] assurance reads the latest phase's limits ------------------------------------------------------------

def test_ptd_assurance_uses_the_last_rows_limits_when_rebased():
    s = pd.DataFrame({"group": [0, 1, 2], "lpl": [1.0, 5, 1], "mean": [2.0, 6, 4], "upl": [3.0, 7, 5], "target": 4.0,
                      "point_type": "common_cause"})
    s.attrs["improvement"] = "decrease"
    # [PTD-AT] rows in the orders (1, 2, 3), (2, 3, 1), (3, 1, 2): inconsistent, consistent_pass, consistent_fail
    for order, icon in (([0, 1, 2], "inconsistent"), ([1, 2, 0], "consistent_pass"), ([2, 0, 1], "consistent_fail")):
        frame = s.iloc[order].reset_index(drop=True)
        frame.attrs["improvement"] = "decrease"
        assert spc.assurance_icon(frame) == icon


def test_assurance_reads_the_last_point_not_the_phase_start():
    # [PTD-AT] ptd_calculate_assurance_type takes slice_tail(n = 1): on a p-chart the limits vary with n, and the
    # last month's (n = 10000: 0.585 to 0.615) put a 62% target out of reach; the first month's (n = 10) would not.
    n = np.array([10] + [400] * 22 + [10000])
    r = spc.p_chart(np.round(n * 0.6), n, target=0.62)
    assert r["upl"].iloc[0] == 1.0 and r["upl"].iloc[-1] < 0.62
    assert spc.assurance_icon(r) == "consistent_fail"


# --- sustained shifts ([MDC] shift rule; hand-built series) ----------------------------------------------------------

def _step(before: int, after: int, low: float = 10.0, high: float = 20.0) -> list[float]:
    wiggle = [0.4, -0.3, 0.2, -0.5, 0.1, -0.2, 0.3, -0.1]
    return [low + wiggle[i % 8] for i in range(before)] + [high + wiggle[i % 8] for i in range(after)]


def test_sustained_shift_starts_at_the_first_point_of_the_run():
    y = pd.Series(_step(12, 12), index=MONTHS[:24])
    shift = phases.sustained_shift(y)
    assert (shift.start, shift.position, shift.length, shift.side) == ("2017-04", 12, 12, "above")
    assert shift.mean == pytest.approx(np.mean(_step(12, 12)))
    assert not shift.provisional and shift.points == 12
    down = phases.sustained_shift(_step(12, 9, low=20, high=10))
    assert (down.position, down.side, down.points, down.provisional) == (12, "below", 9, True)


def test_sustained_shift_needs_run_length_points_in_a_row():
    # Invariant: 6 points above the mean are not a shift; 7 are (the default is the MDC/PTD 7).
    base = [10.0, 9.0] * 10
    assert phases.sustained_shift(base + [12.0] * 6) is None
    assert phases.sustained_shift(base + [12.0] * 7).position == 20
    assert phases.sustained_shift(base + [12.0] * 6, run_length=6).position == 20
    # A point on the mean breaks the run (as in NHSRplotthedots' relative_to_mean = 0).
    y = base + [12.0] * 3 + [0.0] + [12.0] * 4
    y[23] = float(np.mean(y))  # one point exactly on the mean
    assert phases.sustained_shift(y) is None


def test_a_run_from_the_phase_start_is_its_baseline_not_a_shift():
    # Whole-phase mean 15: points 0-11 are a run below it, but the change is where the run above starts.
    assert phases.sustained_shift(_step(12, 12)).position == 12
    assert phases.sustained_shift([10.0] * 3 + [9.0, 11.0] * 6) is None  # no run away from the start


def test_unrecorded_shifts_start_phases_one_after_another():
    # A staircase: each step is a new phase, found against the locked mean of the phase before it.
    y = _step(12, 12) + [30 + w for w in (0.4, -0.3, 0.2, -0.5, 0.1, -0.2, 0.3, -0.1, 0.2, -0.4, 0.1, 0.3)]
    ph = phases.phases(pd.Series(y, index=MONTHS))
    assert [(c.start, c.side, c.points, c.provisional) for c in ph.changes] == [("2017-04", "above", 12, False),
                                                                              ("2018-04", "above", 12, False)]
    assert ph.rebase_at == ("2017-04", "2018-04") and ph.chart["group"].tolist() == [0] * 12 + [1] * 12 + [2] * 12
    # Each phase read alone has no run left: nothing flagged.
    assert (ph.chart["point_type"] == "common_cause").all()
    # Proportions: judged on x/n against the pooled Σx/Σn of the first 12 months.
    n = np.full(24, 200)
    x = np.r_[np.full(12, 100), np.full(12, 160)] + np.tile([3, -2, 1, -4, 2, 0], 4)
    assert phases.sustained_shift(x, n=n).position == 12
    assert [c.position for c in phases.phases(x, n=n, chart="p").changes] == [12]


# --- phases: recalculate only after an intervention followed by a shift ---------------------------------------------

def test_phases_recalculates_from_an_intervention_followed_by_a_shift():
    y = pd.Series(_step(15, 21, low=80, high=92), index=MONTHS)
    ph = phases.phases(y, {"2017-07": "new supervisor checks"}, target=90)
    (d,) = ph.decisions
    assert (d.applied, d.reason, d.start, d.lag, d.run, d.side, d.points) == (True, "shift", "2017-07", 0, 21, "above", 21)
    assert d.old_mean == pytest.approx(np.mean(_step(15, 0, low=80)))
    assert ph.rebase_at == ("2017-07",)
    assert ph.chart["group"].tolist() == [0] * 15 + [1] * 21
    assert d.sentence("{:.1f}".format) == ("limits recalculated from 2017-07 after 'new supervisor checks': 21 points in "
                                           "a row above the old mean of 80.0")
    assert ph.changes == ()  # the intervention explains the shift


LAGGED = pd.Series(_step(15, 0, low=80) + [79.0, 79.5] + _step(0, 19, high=92), index=MONTHS)  # change at 2017-09


def test_phases_lag_window_and_reasons():
    y = LAGGED
    lagged = phases.phases(y, {"2017-07": "new checks"}).decisions[0]
    assert (lagged.applied, lagged.start, lagged.lag) == (True, "2017-09", 2)
    assert "starting 2 points after it" in lagged.sentence()
    late = phases.phases(y, {"2017-05": "earlier change"}).decisions[0]  # 4 points before the change: outside the window
    assert (late.applied, late.reason, late.start, late.lag) == (False, "too_late", "2017-09", 4)
    assert phases.phases(y, {"2017-05": "earlier change"}, window=5).decisions[0].applied
    # The window's edge: a run starting window - 1 points after the intervention counts, window points after does not.
    assert phases.phases(y, {"2017-06": "edge"}, window=3).decisions[0].reason == "too_late"
    assert phases.phases(y, {"2017-06": "edge"}, window=4).decisions[0].lag == 3
    flat = phases.phases(pd.Series(_step(36, 0), index=MONTHS), {"2017-07": "no effect"}).decisions[0]
    assert (flat.applied, flat.reason) == (False, "no_shift")
    assert flat.run < 7 and "no run of 7 points" in flat.sentence()
    end = phases.phases(y, {"2019-01": "too recent"}).decisions[0]
    assert (end.reason, end.points) == ("too_few_points", 3)
    first = phases.phases(y, {"2016-04": "at the start"}).decisions[0]
    assert first.reason == "first_point" and not first.applied


def test_phases_attribute_a_run_to_the_latest_intervention_only():
    y = LAGGED
    ph = phases.phases(y, [("2017-07", "first"), ("2017-09", "second")])
    assert [(d.intervention, d.applied, d.reason) for d in ph.decisions] == [("first", False, "no_shift"),
                                                                            ("second", True, "shift")]
    assert ph.rebase_at == ("2017-09",)
    # An intervention inside a phase that was just recalculated is judged against that phase's points.
    again = phases.phases(y, [("2017-09", "second"), ("2018-01", "third")])
    assert [d.reason for d in again.decisions] == ["shift", "no_shift"]
    assert again.decisions[1].baseline == 4


def test_without_interventions_a_shift_starts_a_phase_whose_cause_is_not_recorded():
    y = pd.Series(_step(16, 20, low=80, high=92), index=MONTHS)
    ph = phases.phases(y)
    assert ph.decisions == () and ph.rebase_at == ("2017-08",)
    assert [(c.start, c.side, c.length, c.points) for c in ph.changes] == [("2017-08", "above", 20, 20)]
    assert ph.chart["group"].tolist() == [0] * 16 + [1] * 20
    # In _step(15, 21) the month before the step (80.2) is just above the old mean (79.975), so the run starts a
    # month early; it is nearer the old mean than the new level (92), so it stays in the old phase.
    early = phases.phases(pd.Series(_step(15, 21, low=80, high=92), index=MONTHS))
    assert early.rebase_at == ("2017-07",) and early.changes[0].length == 21
    # The Making Data Count rule alone (unrecorded=False) leaves one set of limits across the change.
    alone = phases.phases(y, unrecorded=False)
    assert alone.changes == () and (alone.chart["group"] == 0).all()


def test_phases_validate_interventions_and_options():
    y = pd.Series(_step(15, 21), index=MONTHS)
    with pytest.raises(ModelError, match="'2020-01' \\('x'\\) is not a point of the series"):
        phases.phases(y, {"2020-01": "x"})
    with pytest.raises(ModelError, match="two at '2017-07'"):
        phases.phases(y, [("2017-07", "a"), ("2017-07", "b")])
    with pytest.raises(ModelError, match="chart = 'c'"):
        phases.phases(y, chart="c")
    with pytest.raises(ModelError, match="give n"):
        phases.phases(y, chart="p")
    with pytest.raises(ModelError, match="window = 0"):
        phases.phases(y, window=0)
    with pytest.raises(ModelError, match="run_length = 1"):
        phases.sustained_shift(y, run_length=1)


def test_window_attributes_chance_runs_at_the_documented_rate():
    # Invariant for the docstring's claim: with no change and an accurate old mean (400 points), a run of 7
    # starts within 3 points of the intervention with probability 1/64 + 2/128 = 3.1% (window 7: 6.25%).
    rng = np.random.default_rng(20240601)
    sims, base = 10000, 400
    rates = {3: 0, 7: 0}
    for _ in range(sims):
        y = rng.normal(size=base + 20)
        for window in rates:
            rates[window] += phases._decide(y, np.ones_like(y), list(range(len(y))), 0, (base, base, "x"), len(y), 7,
                                         window).applied
    for window, expected in ((3, 1 / 64 + 2 / 128), (7, 1 / 64 + 6 / 128)):  # within 3 standard errors
        assert rates[window] / sims == pytest.approx(expected, abs=3 * np.sqrt(expected * (1 - expected) / sims))


# --- icons on the current phase -------------------------------------------------------------------------------------

def test_rebasing_after_a_sustained_improvement_fixes_the_assurance_icon():
    # 24 months at 60%, then 12 at 95% against a 90% target: one set of limits says "will consistently miss",
    # though every month of the current process meets the target.
    y = pd.Series(_step(24, 12, low=60, high=95), index=MONTHS)
    assert spc.assurance_icon(spc.xmr(y, target=90)) == "consistent_fail"
    ph = phases.phases(y, {"2018-04": "new process"}, target=90)
    assert ph.decisions[0].applied and not ph.decisions[0].provisional  # 12 points: just enough
    assert spc.assurance_icon(ph) == "consistent_pass" and spc.variation_icon(ph) == "common_cause"


def test_icons_are_those_of_the_last_phase_alone():
    # Invariant: the icons of a rebased chart equal those of a chart of the last phase only, and a last phase
    # whose every point meets the target is never "consistent_fail" (xmr, p and p′, both directions).
    rng = np.random.default_rng(7)
    for _ in range(30):
        cut = int(rng.integers(3, 20))
        y = np.r_[rng.normal(50, 5, cut), rng.normal(rng.uniform(30, 70), rng.uniform(0.5, 5), 20)]
        improvement = str(rng.choice(["increase", "decrease"]))
        last = y[cut:]
        target = float(last.min() if improvement == "increase" else last.max())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", spc.ShortSeriesWarning)
            whole = spc.xmr(y, improvement, target, rebase_at=[cut])
            alone = spc.xmr(last, improvement, target)
        assert spc.variation_icon(whole) == spc.variation_icon(alone)
        assert spc.assurance_icon(whole) == spc.assurance_icon(alone) != "consistent_fail"
        n = rng.integers(50, 5000, len(y))
        x = rng.binomial(n, np.clip(np.r_[np.full(cut, 0.5), np.full(20, rng.uniform(0.1, 0.9))], 0, 1))
        p_last = x[cut:] / n[cut:]
        t = float(p_last.min() if improvement == "increase" else p_last.max())
        for chart in (spc.p_chart, spc.p_prime_chart):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", spc.ShortSeriesWarning)
                rebased = chart(x, n, improvement, t, rebase_at=[cut])
                assert spc.assurance_icon(rebased) != "consistent_fail"
                assert spc.variation_icon(rebased) == spc.variation_icon(chart(x[cut:], n[cut:], improvement, t))


def test_p_charts_rebase_per_phase_by_hand():
    n = np.array([100, 200, 100, 200, 100, 200, 400, 400, 400, 400])
    x = np.array([50, 110, 45, 100, 55, 90, 300, 320, 310, 290])
    with pytest.warns(spc.ShortSeriesWarning, match="10 point"):  # both phases are short
        r = spc.p_chart(x, n, rebase_at=[6])
    assert r["mean"].iloc[0] == pytest.approx(450 / 900) and r["mean"].iloc[-1] == pytest.approx(1220 / 1600)
    assert r["upl"].iloc[-1] == pytest.approx(1220 / 1600 + 3 * np.sqrt(1220 / 1600 * (1 - 1220 / 1600) / 400))
    with pytest.warns(spc.ShortSeriesWarning):
        pp = spc.p_prime_chart(x, n, rebase_at=[6])
    pbar, sigma = 1220 / 1600, np.sqrt(1220 / 1600 * 380 / 1600 / 400)
    z = (x[6:] / 400 - pbar) / sigma
    assert pp["upl"].iloc[-1] == pytest.approx(pbar + 3 * sigma * np.mean(np.abs(np.diff(z))) / 1.128)
    assert spc.current_phase(pp)["x"].tolist() == [6, 7, 8, 9]


def test_a_phase_without_variation_meets_or_misses_its_target_every_time():
    """100% every month against a 100% target: no limits (NHSRplotthedots screens every zero range), and the
    process meets the target every time, so the reading is a consistent pass, not 'hit and miss'."""
    values = pd.Series([60, 62, 58, 61, 59, 60, 63, 57, 60, 61, 62, 59] + [100.0] * 9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)
        chart = spc.xmr(values, "increase", 100, rebase_at=[12])
        assert np.isnan(chart["upl"].iloc[-1])  # as NHSRplotthedots
        assert spc.assurance_icon(chart) == "consistent_pass"
        assert spc.assurance_icon(spc.xmr(values, "increase", 100.5, rebase_at=[12])) == "consistent_fail"
        assert spc.assurance_icon(spc.xmr(values, "decrease", 100, rebase_at=[12])) == "consistent_pass"
