"""Force management: the monthly forecast, its intervals, its backtest and the staff each year needs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.staffing import force_management as fm


def _series(months: int, level: float = 1000.0, growth: float = 0.0, seed: int = 1) -> pd.Series:
    index = pd.period_range("2017-01", periods=months, freq="M")
    season = 1 + 0.1 * np.sin(2 * np.pi * (index.month.to_numpy() - 1) / 12)
    mu = level * season * (1 + growth) ** (np.arange(months) / 12) * index.days_in_month.to_numpy() / 30.4375
    return pd.Series(np.random.default_rng(seed).poisson(mu).astype(float), index=index.astype(str))


def test_without_trend_or_noise_the_forecast_is_each_months_level():
    """Counts exactly proportional to days in the month, flat, every month alike: the fit reproduces them and a
    forecast month is its own days × the daily rate (by hand: 31 × 10 for a January)."""
    index = pd.period_range("2017-01", periods=24, freq="M")
    y = pd.Series(10.0 * index.days_in_month.to_numpy(), index=index.astype(str))
    fit = fm.Fit(y)
    mu, _ = fit.predict(pd.PeriodIndex(["2019-01", "2019-02"], freq="M"))
    assert mu == pytest.approx([310.0, 280.0], rel=1e-6)
    assert fit.beta[-1] == pytest.approx(0.0, abs=1e-6)  # no trend


def test_the_trend_is_recovered():
    fit = fm.Fit(_series(48, growth=0.05))
    assert np.exp(fit.beta[-1]) == pytest.approx(1.05, abs=0.01)


def test_interval_variance_matches_a_simulation_from_the_fit():
    """Delta method on the coefficients plus quasi-Poisson noise, checked by simulating coefficients from their
    estimated distribution and counts around them (an independent computation of the same variance)."""
    fit = fm.Fit(_series(36))
    months = pd.period_range("2020-01", periods=12, freq="M")
    f, lo, hi = fit.total(months)
    mu, x = fit.predict(months)
    rng = np.random.default_rng(0)
    betas = rng.multivariate_normal(fit.beta, fit.cov, 20000)
    offset = np.log(months.days_in_month.to_numpy(float))
    totals = np.exp(betas @ x.T + offset).sum(axis=1)
    totals = totals + rng.normal(0, np.sqrt(fit.phi * totals))
    assert (hi - lo) / (2 * fm.Z95) == pytest.approx(totals.std(), rel=0.05)
    assert f == pytest.approx(np.median(totals), rel=0.01)


def test_intervals_widen_with_the_horizon():
    fit = fm.Fit(_series(36, growth=0.03))
    widths = [np.subtract(*fit.total(pd.period_range(f"{y}-01", periods=12, freq="M"))[2:0:-1])
              for y in (2020, 2021, 2022, 2023)]
    assert all(b > a for a, b in zip(widths, widths[1:]))


def test_backtest_seasonal_naive_by_hand():
    y = _series(30)
    b = fm.backtest(pd.DataFrame({"s": y}), holdout=6).iloc[0]
    naive = np.mean(np.abs(y.iloc[-6:].to_numpy() - y.iloc[-18:-12].to_numpy()))
    assert b["mae_naive"] == pytest.approx(naive) and b["months_tested"] == 6


def test_too_short_a_history_gives_no_forecast_not_a_guess(default_params):
    series = pd.DataFrame({"contacts 999": _series(12)})
    assert fm.yearly(series, default_params).empty
    assert (fm.forecast(series, default_params)["kind"] == "recorded").all()
    assert fm.backtest(series, 6)["months_tested"].iloc[0] == 0


def test_no_demand_series_gives_an_empty_backtest_with_its_columns():
    """Crimes only (the public example): no contacts or incidents, so nothing to test; the chapter and the
    summary read the columns of the empty table (a frame without them failed the build)."""
    empty = fm.backtest(pd.DataFrame(index=pd.period_range("2019-01", periods=12, freq="M")), 6)
    assert empty.empty and {"months_tested", "ratio", "months_of_history"} <= set(empty.columns)


def test_requirement_follows_demand(default_params):
    """With demand as it is (factor 1) the officers required are the incident-response chapter's."""
    from lib.inputs.loading import load_all
    from lib.staffing import incident_response as ir

    loaded = load_all(default_params)
    quarter = ir.period_incidents(loaded, default_params, default_params.irt.demand_weeks)
    now = ir.required(quarter, default_params)
    years = pd.DataFrame({"series": [fm.ATTENDED] * 2, "year": [0, 1], "factor": [1.0, 1.0],
                          "factor_lower": [1.0, 0.9], "factor_upper": [1.0, 1.2], "value": [1, 1], "lower": [1, 1],
                          "upper": [1, 1], "first_month": ["", ""], "last_month": ["", ""]})
    r = fm.requirement({"incidents": loaded["incidents"]}, default_params, years, None, horizon=1).iloc[0]
    assert r["required"] == now and r["lower"] <= now <= r["upper"] and r["lower"] < r["upper"]
    assert r["capacity"] == default_params.irt.current_establishment  # no workforce export: the establishment


def test_the_gap_is_between_the_whole_numbers_shown():
    """The table shows required and capacity as whole people; the gap beside them is their difference, in
    words (a '-5.3' beside 54 and 49 read as a fraction of a person, with a sign the rest of the book spells)."""
    from lib.chapters.force_management import _gap

    assert _gap(48.810811, 54.064171) == "5 short"
    assert _gap(324.201851, 475.0) == "151 short"
    assert _gap(330.6, 330.4) == "1 more than needed"
    assert _gap(54.2, 53.9) == "as many as needed"
    assert _gap(float("nan"), 54.0) == "no capacity given"
