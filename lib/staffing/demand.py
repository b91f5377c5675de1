"""Control-room demand: contacts per interval and route, profiles, handling times, and a forecast.

The forecast is a Poisson regression of contacts per hour on hour-of-week (168 levels), bank
holidays and a linear trend, fitted per route on the history up to the period end and projected
over the next month. Its accuracy is backtested by refitting without the last four weeks of the
period and forecasting them, against the seasonal-naive forecast (the same hour one week earlier):
mean absolute error per hour for both, and their ratio (below 1 = better than naive).

The fit (:func:`poisson_fit`) is the maximum-likelihood estimate that statsmodels' ``GLM(...,
Poisson())`` gives for the same design (``tests/staffing/test_demand.py`` checks the two agree), computed
from the profile likelihood: for given bank-holiday and trend effects, each hour-of-week level has
a closed form (its calls over its expected calls), so Newton's method runs in two dimensions. We
write it because IRLS on the 170-column design took 1.7 s a fit, four fits a build (7 s of a
20-second budget); this takes milliseconds.
"""
from __future__ import annotations

import holidays
import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.inputs.contracts import TIMEZONE
from lib.inputs.loading import Loaded

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def hourly_counts(loaded: dict[str, Loaded], params: Params, interval_minutes: int = 60) -> pd.DataFrame:
    """Contacts per interval (rows, local start time) and route (columns), zeros included."""
    c = loaded["contacts"].frame
    start = pd.Timestamp(params.history_start).tz_localize(TIMEZONE)
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    index = pd.date_range(start, end, freq=f"{interval_minutes}min", inclusive="left")
    step = interval_minutes * 60 * 10**9
    ns = c["presented_at"].dt.tz_convert("UTC").dt.as_unit("ns").astype("int64").to_numpy()
    slot = (ns - index.as_unit("ns")[0].value) // step
    inside = (slot >= 0) & (slot < len(index))
    routes = sorted(c["route"].dropna().unique())
    code = pd.Categorical(c["route"], categories=routes).codes
    flat = np.bincount(slot[inside] * len(routes) + code[inside], minlength=len(index) * len(routes))
    return pd.DataFrame(flat.reshape(len(index), len(routes)), index=index, columns=routes).rename_axis("interval")


def period_rows(frame: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Rows of an interval-indexed frame that fall inside the reporting period."""
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    return frame[(frame.index >= start) & (frame.index < end)]


def hour_day_profile(counts: pd.Series) -> pd.DataFrame:
    """Mean contacts per hour by hour of day (rows) and day of week (columns)."""
    frame = pd.DataFrame({"n": counts.to_numpy(), "hour": counts.index.hour, "day": counts.index.day_of_week})
    table = frame.pivot_table(index="hour", columns="day", values="n", aggfunc="mean")
    return table.reindex(columns=range(7)).set_axis(DAYS, axis=1)


def month_profile(counts: pd.DataFrame) -> pd.DataFrame:
    """Contacts per calendar month and route."""
    months = counts.index.strftime("%Y-%m")
    return counts.groupby(months).sum().rename_axis("month")


def handling(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Per route in the period: answered contacts, mean talk, wrap and handling time (s), abandon rate."""
    c = loaded["contacts"].frame
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    c = c[c["presented_at"] >= start]
    answered = c[~c["abandoned"].astype(bool)]
    out = answered.groupby("route").agg(answered=("contact_id", "size"), talk_seconds=("talk_seconds", "mean"),
                                        wrap_seconds=("wrap_seconds", "mean"))
    out["aht_seconds"] = out["talk_seconds"] + out["wrap_seconds"]
    out["offered"] = c.groupby("route").size()
    out["abandoned %"] = 100 * c.groupby("route")["abandoned"].mean()
    return out.reset_index()


def aht_by_hour(loaded: dict[str, Loaded], params: Params, route: str) -> pd.Series:
    """Mean handling time (s) by hour of day for a route, over the period (falls back to the route mean)."""
    c = loaded["contacts"].frame
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    c = c[(c["presented_at"] >= start) & (c["route"] == route) & ~c["abandoned"].astype(bool)]
    aht = (c["talk_seconds"] + c["wrap_seconds"]).groupby(c["presented_at"].dt.hour).mean()
    overall = float((c["talk_seconds"] + c["wrap_seconds"]).mean())
    return aht.reindex(range(24)).fillna(overall)


def _design(index: pd.DatetimeIndex, origin: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """(hour of week 0-167, [bank holiday 0/1, trend in years since ``origin``]) of each hour."""
    how = np.asarray(index.day_of_week * 24 + index.hour)
    days = holidays.UK(subdiv="ENG", years=sorted(set(index.year)))
    bank = np.isin(index.tz_localize(None).normalize().date, list(days.keys())).astype(float)
    trend = ((index - origin) / pd.Timedelta(days=365.25)).to_numpy(dtype=float)
    return how, np.column_stack([bank, trend])


def poisson_fit(y: np.ndarray, level: np.ndarray, z: np.ndarray, levels: int = 168, tol: float = 1e-10,
                max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Poisson regression log μ = a[level] + z·θ by maximum likelihood: returns (a, θ).

    Parameters
    ----------
    y : array of counts; level : integer level (0..levels-1) of each row; z : rows × k covariates.

    Notes
    -----
    For fixed θ the MLE of each level is a_h = log(Y_h / S_h) with Y_h = Σ_{i∈h} y_i and
    S_h = Σ_{i∈h} exp(z_i·θ), so the profile log-likelihood is
    ℓ(θ) = Σ_i y_i z_i·θ − Σ_h Y_h log S_h (+ const), maximised by Newton's method with
    gradient Σ_i y_i z_i − Σ_h Y_h m_h and Hessian −Σ_h Y_h (V_h − m_h m_hᵀ), where m_h and V_h
    are the exp(z·θ)-weighted mean and second moment of z within level h (McCullagh & Nelder,
    *Generalized Linear Models*, 2nd ed., 1989, §6.3). A level with no counts has a = −∞ (μ = 0).
    """
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    k = z.shape[1]
    totals = np.bincount(level, weights=y, minlength=levels)
    theta = np.zeros(k)
    target = y @ z
    for _ in range(max_iter):
        w = np.exp(z @ theta)
        s0 = np.bincount(level, weights=w, minlength=levels)
        s1 = np.column_stack([np.bincount(level, weights=w * z[:, j], minlength=levels) for j in range(k)])
        s2 = np.array([[np.bincount(level, weights=w * z[:, j] * z[:, i], minlength=levels) for i in range(k)]
                       for j in range(k)]).transpose(2, 0, 1)
        used = totals > 0
        m = s1[used] / s0[used, None]
        grad = target - totals[used] @ m
        hess = -np.einsum("h,hjl->jl", totals[used], s2[used] / s0[used, None, None] - m[:, :, None] * m[:, None, :])
        step = np.linalg.solve(hess, -grad)
        theta = theta + step
        if np.max(np.abs(step)) < tol:
            break
    w = np.exp(z @ theta)
    s0 = np.bincount(level, weights=w, minlength=levels)
    with np.errstate(divide="ignore"):
        a = np.where(totals > 0, np.log(np.where(totals > 0, totals, 1) / np.where(s0 > 0, s0, 1)), -np.inf)
    return a, theta


def _fit_predict(train: pd.Series, future: pd.DatetimeIndex) -> np.ndarray:
    """Fit on ``train`` and predict ``future``. A covariate that does not vary in the training hours (no bank
    holiday among them) cannot be estimated: it is left out, i.e. its effect is taken as none."""
    origin = train.index[0]
    level, z = _design(train.index, origin)
    varies = np.ptp(z, axis=0) > 0
    a, theta = poisson_fit(train.to_numpy(dtype=float), level, z[:, varies])
    f_level, f_z = _design(future, origin)
    return np.exp(a[f_level] + f_z[:, varies] @ theta)


def forecast(counts: pd.DataFrame, params: Params, routes: list[str]) -> pd.DataFrame:
    """Hourly forecast of the month after the period, per route (Poisson GLM)."""
    start = pd.Timestamp(params.period_end) + pd.Timedelta(days=1)
    end = start + pd.DateOffset(months=1)
    future = pd.date_range(start.tz_localize(TIMEZONE), end.tz_localize(TIMEZONE), freq="h", inclusive="left")
    return pd.DataFrame({r: _fit_predict(counts[r], future) for r in routes}, index=future).rename_axis("interval")


def backtest(counts: pd.DataFrame, params: Params, routes: list[str], weeks: int = 4) -> pd.DataFrame:
    """Mean absolute error per hour over the last ``weeks`` of the period: the model against seasonal naive."""
    cut = counts.index[-1] - pd.Timedelta(weeks=weeks) + pd.Timedelta(hours=1)
    train, test = counts[counts.index < cut], counts[counts.index >= cut]
    rows = []
    for r in routes:
        model = _fit_predict(train[r], test.index)
        naive = counts[r].shift(168).reindex(test.index).to_numpy(dtype=float)
        actual = test[r].to_numpy(dtype=float)
        mae_model, mae_naive = np.mean(np.abs(actual - model)), np.mean(np.abs(actual - naive))
        rows.append({"route": r, "hours_tested": len(test), "mae_model": mae_model, "mae_naive": mae_naive,
                     "ratio": mae_model / mae_naive})
    return pd.DataFrame(rows)
