"""Control-room demand: contacts per interval and route, profiles, handling times, and a forecast.

The forecast is a Poisson regression (statsmodels GLM) of contacts per hour on hour-of-week
(168 levels), bank holidays and a linear trend, fitted per route on the history up to the period
end and projected over the next month. Its accuracy is backtested by refitting without the last
four weeks of the period and forecasting them, against the seasonal-naive forecast (the same hour
one week earlier): mean absolute error per hour for both, and their ratio (below 1 = better than
naive).
"""
from __future__ import annotations

import warnings

import holidays
import numpy as np
import pandas as pd
import statsmodels.api as sm

from lib.inputs.contracts import TIMEZONE
from lib.inputs.loading import Loaded
from lib.config.params import Params

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def hourly_counts(loaded: dict[str, Loaded], params: Params, interval_minutes: int = 60) -> pd.DataFrame:
    """Contacts per interval (rows, local start time) and route (columns), zeros included."""
    c = loaded["contacts"].frame
    start = pd.Timestamp(params.history_start).tz_localize(TIMEZONE)
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    index = pd.date_range(start, end, freq=f"{interval_minutes}min", inclusive="left")
    utc = c["presented_at"].dt.tz_convert("UTC").dt.floor(f"{interval_minutes}min")
    table = pd.crosstab(utc, c["route"])
    table.index = table.index.tz_convert(TIMEZONE)
    return table.reindex(index, fill_value=0).rename_axis("interval")


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
    return out.reset_index().round(1)


def aht_by_hour(loaded: dict[str, Loaded], params: Params, route: str) -> pd.Series:
    """Mean handling time (s) by hour of day for a route, over the period (falls back to the route mean)."""
    c = loaded["contacts"].frame
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE)
    c = c[(c["presented_at"] >= start) & (c["route"] == route) & ~c["abandoned"].astype(bool)]
    aht = (c["talk_seconds"] + c["wrap_seconds"]).groupby(c["presented_at"].dt.hour).mean()
    overall = float((c["talk_seconds"] + c["wrap_seconds"]).mean())
    return aht.reindex(range(24)).fillna(overall)


def _design(index: pd.DatetimeIndex, origin: pd.Timestamp) -> pd.DataFrame:
    how = index.day_of_week * 24 + index.hour
    x = pd.get_dummies(pd.Categorical(how, categories=range(168)), prefix="how", dtype=float)
    days = holidays.UK(subdiv="ENG", years=sorted(set(index.year)))
    x["bank_holiday"] = np.isin(index.tz_localize(None).normalize().date, list(days.keys())).astype(float)
    x["trend"] = ((index - origin) / pd.Timedelta(days=365.25)).to_numpy(dtype=float)
    x.index = index
    return x


def _fit_predict(train: pd.Series, future: pd.DatetimeIndex) -> np.ndarray:
    origin = train.index[0]
    model = sm.GLM(train.to_numpy(dtype=float), _design(train.index, origin), family=sm.families.Poisson())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # perfect-separation / convergence chatter on sparse hours
        result = model.fit()
    return np.asarray(result.predict(_design(future, origin)))


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
        rows.append({"route": r, "hours tested": len(test), "MAE model": round(mae_model, 2),
                     "MAE seasonal naive": round(mae_naive, 2), "ratio": round(mae_model / mae_naive, 3)})
    return pd.DataFrame(rows)
