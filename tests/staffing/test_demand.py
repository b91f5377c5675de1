"""Control-room demand: counting contacts per interval, and the Poisson forecast against statsmodels' GLM."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from lib.inputs.loading import Loaded
from lib.staffing import demand


def test_poisson_fit_is_statsmodels_glm_maximum_likelihood():
    """The profile-likelihood Newton fit gives the same MLE as statsmodels' GLM(Poisson) with the same design:
    168 hour-of-week levels, a bank-holiday flag and a trend (here simulated, with known effects)."""
    rng = np.random.default_rng(7)
    index = pd.date_range("2019-01-01", periods=24 * 7 * 30, freq="h", tz="Europe/London")
    level, z = demand._design(index, index[0])
    base = np.log(2 + np.sin(np.arange(168) / 168 * 2 * np.pi) + (np.arange(168) % 24) / 12)
    y = rng.poisson(np.exp(base[level] + 0.3 * z[:, 0] - 0.2 * z[:, 1]))
    a, theta = demand.poisson_fit(y, level, z)
    X = pd.get_dummies(pd.Categorical(level, categories=range(168)), dtype=float)
    X["bank_holiday"], X["trend"] = z[:, 0], z[:, 1]
    ref = sm.GLM(y.astype(float), X, family=sm.families.Poisson()).fit()
    assert theta == pytest.approx(ref.params[["bank_holiday", "trend"]].to_numpy(), abs=1e-8)
    assert a == pytest.approx(ref.params.iloc[:168].to_numpy(), abs=1e-7)


def test_poisson_fit_with_an_empty_level_predicts_zero():
    level = np.repeat(np.arange(3), 50)
    y = np.where(level == 2, 0, 5)
    a, theta = demand.poisson_fit(y, level, np.zeros((150, 1)) + np.linspace(0, 1, 150)[:, None], levels=3)
    assert np.isneginf(a[2]) and np.exp(a[0]) > 0


def test_hourly_counts_by_hand(default_params):
    """Contacts are counted into the local-time interval they were presented in, every route, zeros kept."""
    t = pd.to_datetime(["2019-12-01T00:10:00+00:00", "2019-12-01T00:50:00+00:00", "2019-12-01T02:00:00+00:00"],
                       utc=True).tz_convert("Europe/London")
    frame = pd.DataFrame({"presented_at": t, "route": ["999", "101", "999"]})
    loaded = {"contacts": Loaded("contacts", None, frame, 3, pd.DataFrame(), 0, 0)}
    counts = demand.hourly_counts(loaded, default_params)
    dec1 = counts.loc["2019-12-01"]
    assert dec1["999"].iloc[:3].tolist() == [1, 0, 1] and dec1["101"].iloc[:3].tolist() == [1, 0, 0]
    assert counts.to_numpy().sum() == 3
