"""Force management: demand four years ahead, and the call handlers and officers it needs each year.

HMICFRS's Force Management Statement asks for the demand a force expects over the next four years and
the workforce it will need. This module forecasts monthly demand — contacts by route, incidents by
grade — and turns each year's forecast into call handlers and response officers.

**Model.** For each series, a Poisson generalised linear model of the monthly count on month of the
year (12 levels) and a linear trend in years, with the month's length as offset, fitted by statsmodels
(``GLM``, quasi-Poisson: the Pearson dispersion φ, at least 1, scales the covariance). Monthly data
hold a year's seasonality and a trend; with two or three years of history this small model is what
they can support (exponential smoothing with seasonality needs two full years before it can even
start, and an ARIMA would have more parameters than a short series has months).

**Intervals.** 95% prediction intervals for a month or a year's total: the forecast ± 1.96 standard
errors, the variance being the trend's and the levels' uncertainty (the delta method on the fitted
covariance: gᵀ Σ g with g = Σ μ_m x_m over the months summed) plus the quasi-Poisson variance of the
counts themselves (φ Σ μ_m). They widen with the horizon, because the trend is uncertain.

**Backtest.** The model is refitted without the last ``holdout`` months of history and forecasts them;
its mean absolute error is set against the seasonal-naive forecast's (the same month a year earlier),
and the ratio shown (below 1: the model is better). It needs 12 months before the held-out months.

**Requirement per year.** Each forecast year's demand over the last 12 months' is a growth factor.
Call handlers: the people of the control room's recommended workable rota (its options' answer,
:mod:`lib.staffing.control_room_options`; else the rota of :mod:`lib.staffing.rota`)
scaled by the growth of the period's hourly requirement (:func:`lib.staffing.control_room.weekly_requirement`)
when each route's calls are scaled by its factor.
Officers: the incident-response establishment (:func:`lib.staffing.incident_response.required`) with
officer jobs scaled by the attended grades' factor. Capacity: the control room's staffing now as its
options measure it (the staff logged on, with a telephony export), else the current call-handler pattern's
paid hours ÷ the contracted hours (the force staffs as now); and the projected response strength at
the year's end (with a workforce export) or the current establishment.

References
----------
McCullagh, P. & Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed., ch. 6 (quasi-likelihood).
Hyndman, R. J. & Athanasopoulos, G. (2021). *Forecasting: principles and practice*, 3rd ed., §5.2 (the
seasonal naive benchmark) and §5.8 (evaluating forecasts on held-out data).
HMICFRS (2023). *Force management statements: guidance*.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm

from lib.config.params import Params
from lib.inputs.loading import Loaded, month_of
from lib.vocabulary import ATTENDED_GRADES, GRADES

Z95 = 1.959963984540054
# Every month of the year once, and a quarter seen twice to tell the trend from the season; with fewer than
# three years the trend is uncertain, and the intervals widen to show it.
MIN_MONTHS = 15
ATTENDED = f"incidents attended ({', '.join(ATTENDED_GRADES[:-1])} and {ATTENDED_GRADES[-1]})"


def monthly_series(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Complete months of demand (rows, 'YYYY-MM') by series (columns 'contacts <route>', 'incidents <grade>'),
    from the history's first month to the period; only months every source covers."""
    frames = []
    months = pd.period_range(params.history_start, params.period, freq="M").astype(str)
    if "contacts" in loaded:
        c = loaded["contacts"].frame
        t = pd.crosstab(month_of(c["presented_at"]), c["route"]).reindex(months)
        covered = set(loaded["contacts"].coverage) or set(months)
        t.loc[~t.index.isin(covered)] = np.nan
        frames.append(t.add_prefix("contacts "))
    if "incidents" in loaded:
        i = loaded["incidents"].frame
        t = pd.crosstab(month_of(i["created_at"]), i["grade"]).reindex(index=months, columns=list(GRADES))
        covered = set(loaded["incidents"].coverage) or set(months)
        t.loc[~t.index.isin(covered)] = np.nan
        frames.append(t.add_prefix("incidents ").assign(**{ATTENDED: t[list(ATTENDED_GRADES)].sum(axis=1, min_count=1)}))
    if not frames:
        return pd.DataFrame(index=pd.Index(months, name="month"))
    out = pd.concat(frames, axis=1)
    out.index.name = "month"
    return out


def _design(months: pd.PeriodIndex, origin: pd.Period) -> tuple[np.ndarray, np.ndarray]:
    """(design: 12 month-of-year indicators and the trend in years since ``origin``; log days in the month)."""
    x = np.zeros((len(months), 13))
    x[np.arange(len(months)), months.month - 1] = 1.0
    x[:, 12] = (months - origin).map(lambda d: d.n).to_numpy(float) / 12
    return x, np.log(months.days_in_month.to_numpy(float))


class Fit:
    """A fitted quasi-Poisson GLM of one monthly series, able to forecast any months with intervals."""

    def __init__(self, counts: pd.Series):
        months = pd.PeriodIndex(counts.index, freq="M")
        self.origin = months[0]
        x, offset = _design(months, self.origin)
        self.used = x.sum(axis=0) > 0
        self.used[12] = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a perfect fit of a short series warns; the estimates stand
            model = sm.GLM(counts.to_numpy(float), x[:, self.used], family=sm.families.Poisson(), offset=offset)
            first = model.fit()
            self.phi = max(1.0, float(first.pearson_chi2 / first.df_resid)) if first.df_resid > 0 else 1.0
            self.result = model.fit(scale=self.phi)
        self.beta = np.asarray(self.result.params)
        self.cov = np.asarray(self.result.cov_params())

    def predict(self, months: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray]:
        """(expected counts per month, their design rows)."""
        x, offset = _design(months, self.origin)
        missing = (x[:, :12].sum(axis=1) > 0) & ~(x[:, :12][:, self.used[:12]].sum(axis=1) > 0)
        if missing.any():
            raise ValueError(f"no history for month-of-year of {months[missing][0]}")
        x = x[:, self.used]
        return np.exp(x @ self.beta + offset), x

    def total(self, months: pd.PeriodIndex) -> tuple[float, float, float]:
        """(forecast, lower, upper) of the total over ``months``, 95% prediction interval."""
        mu, x = self.predict(months)
        g = mu @ x
        se = float(np.sqrt(g @ self.cov @ g + self.phi * mu.sum()))
        return float(mu.sum()), max(0.0, float(mu.sum()) - Z95 * se), float(mu.sum()) + Z95 * se


def forecast(series: pd.DataFrame, params: Params, years: int = 4) -> pd.DataFrame:
    """Monthly forecasts with 95% intervals for ``years`` after the period, each series (long: series, month,
    kind 'recorded' or 'forecast', value, lower, upper)."""
    future = pd.period_range(pd.Period(params.period, "M") + 1, periods=12 * years, freq="M")
    rows = []
    for name in series.columns:
        y = series[name].dropna()
        for month, v in y.items():
            rows.append({"series": name, "month": month, "kind": "recorded", "value": float(v), "lower": np.nan,
                         "upper": np.nan})
        if len(y) < MIN_MONTHS:
            continue
        fit = Fit(y)
        for m in future:
            f, lo, hi = fit.total(pd.PeriodIndex([m]))
            rows.append({"series": name, "month": str(m), "kind": "forecast", "value": f, "lower": lo, "upper": hi})
    return pd.DataFrame(rows, columns=["series", "month", "kind", "value", "lower", "upper"])


def yearly(series: pd.DataFrame, params: Params, years: int = 4) -> pd.DataFrame:
    """Each series' last 12 months and each forecast year's total with its 95% interval (long: series, year,
    first_month, last_month, value, lower, upper, factor, factor_lower, factor_upper)."""
    end = pd.Period(params.period, "M")
    rows = []
    for name in series.columns:
        y = series[name].dropna()
        if len(y) < MIN_MONTHS:
            continue
        fit = Fit(y)
        last = float(y.iloc[-12:].sum())
        rows.append({"series": name, "year": 0, "first_month": str(end - 11), "last_month": str(end), "value": last,
                     "lower": last, "upper": last})
        for k in range(1, years + 1):
            months = pd.period_range(end + 12 * (k - 1) + 1, periods=12, freq="M")
            f, lo, hi = fit.total(months)
            rows.append({"series": name, "year": k, "first_month": str(months[0]), "last_month": str(months[-1]),
                         "value": f, "lower": lo, "upper": hi})
    out = pd.DataFrame(rows, columns=["series", "year", "first_month", "last_month", "value", "lower", "upper"])
    base = out[out["year"] == 0].set_index("series")["value"]
    for col, src in (("factor", "value"), ("factor_lower", "lower"), ("factor_upper", "upper")):
        out[col] = out[src] / out["series"].map(base)
    return out


def backtest(series: pd.DataFrame, holdout: int) -> pd.DataFrame:
    """Per series: the model refitted without the last ``holdout`` months against the seasonal-naive forecast."""
    rows = []
    for name in series.columns:
        y = series[name].dropna()
        # The seasonal-naive forecast needs the 12 months before the held-out ones (and the model 15 to fit).
        if len(y) < MIN_MONTHS or len(y) - holdout < 12:
            rows.append({"series": name, "months_tested": 0, "mae_model": np.nan, "mae_naive": np.nan,
                         "ratio": np.nan, "months_of_history": len(y)})
            continue
        train, test = y.iloc[:-holdout], y.iloc[-holdout:]
        fit = Fit(train)
        model, _ = fit.predict(pd.PeriodIndex(test.index, freq="M"))
        naive = y.shift(12).iloc[-holdout:].to_numpy(float)
        actual = test.to_numpy(float)
        mae_model, mae_naive = float(np.mean(np.abs(actual - model))), float(np.mean(np.abs(actual - naive)))
        rows.append({"series": name, "months_tested": holdout, "mae_model": mae_model, "mae_naive": mae_naive,
                     "ratio": mae_model / mae_naive if mae_naive > 0 else np.nan, "months_of_history": len(y)})
    return pd.DataFrame(rows, columns=["series", "months_tested", "mae_model", "mae_naive", "ratio", "months_of_history"])


def _factor(years: pd.DataFrame, name: str, year: int, column: str) -> float:
    """A series' growth factor for a forecast year: ``column`` is 'factor', 'factor_lower' or 'factor_upper'."""
    row = years[(years["series"] == name) & (years["year"] == year)]
    return float(row[column].iloc[0]) if len(row) else np.nan


def requirement(loaded: dict[str, Loaded], params: Params, years: pd.DataFrame, workforce: pd.DataFrame | None,
                horizon: int = 4, rota_people: float | None = None, handlers_now: float | None = None) -> pd.DataFrame:
    """Per forecast year: call handlers and response officers required — forecast, lower, upper — against
    capacity. Rows for what the inputs cannot give are left out (the chapter says which)."""
    from lib.staffing import control_room, demand, incident_response

    rows = []
    if "contacts" in loaded and years["series"].str.startswith("contacts").any():
        aht = {r: demand.aht_by_hour(loaded, params, r) for r in params.fcr.routes}
        base = demand.period_rows(demand.hourly_counts(loaded, params), params)
        hours = params.fcr.contracted_hours_per_week
        capacity = handlers_now if handlers_now is not None else (
            control_room.current_cover(params).sum() / hours if params.fcr.current_pattern else np.nan)
        now = float(control_room.weekly_requirement(base, aht, params)["rostered"].sum())
        # Today's workable rota (the control-room chapter's) scaled by the growth of the hourly requirement;
        # without one, the rostered hours themselves as full-time equivalents.
        per_hour = rota_people / now if rota_people else 1 / hours
        for k in range(1, horizon + 1):
            row = {"role": "call handlers", "year": k, "capacity": capacity}
            for col, out in (("factor", "required"), ("factor_lower", "lower"), ("factor_upper", "upper")):
                scaled = base.copy()
                for r in params.fcr.routes:
                    scaled[r] = scaled[r] * _factor(years, f"contacts {r}", k, col)
                req = control_room.weekly_requirement(scaled, aht, params)
                row[out] = float(req["rostered"].sum()) * per_hour
            rows.append(row)
    if "incidents" in loaded and (years["series"] == ATTENDED).any():
        quarter = incident_response.period_incidents(loaded, params, params.irt.demand_weeks)
        for k in range(1, horizon + 1):
            last = str(pd.Period(params.period, "M") + 12 * k)
            if workforce is not None and (workforce["month"] <= last).any():
                capacity = float(workforce[workforce["month"] <= last]["strength"].iloc[-1])
            else:
                capacity = np.nan if params.irt.current_establishment is None else float(params.irt.current_establishment)
            row = {"role": "response officers", "year": k, "capacity": capacity}
            for col, out in (("factor", "required"), ("factor_lower", "lower"), ("factor_upper", "upper")):
                row[out] = float(incident_response.required(quarter, params, _factor(years, ATTENDED, k, col)))
            rows.append(row)
    return pd.DataFrame(rows, columns=["role", "year", "required", "lower", "upper", "capacity"])


def compute(loaded: dict[str, Loaded], params: Params, workforce: pd.DataFrame | None = None,
            rota_people: float | None = None, handlers_now: float | None = None) -> dict[str, pd.DataFrame]:
    """The force-management facts: monthly forecasts, yearly totals, backtest and the requirement per year."""
    series = monthly_series(loaded, params)
    years = yearly(series, params, params.force_management.years)
    return {
        "fm_forecast": forecast(series, params, params.force_management.years),
        "fm_years": years,
        "fm_backtest": backtest(series, params.force_management.holdout_months),
        "fm_requirement": requirement(loaded, params, years, workforce, params.force_management.years, rota_people,
                                      handlers_now),
    }
