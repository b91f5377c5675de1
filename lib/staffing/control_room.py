"""The control-room chapter: call handlers needed per hour, rostered cover, best-fit shifts, cost.

Method (assumptions stated in the chapter):

1. demand: mean contacts per interval (``fcr.interval_minutes``: 15, 30 or 60) of the week (day ×
   time of day) over the period, per route;
2. handling time: the period's mean talk + wrap by route and hour of day;
3. agents on the phones per interval: Erlang C (Erlang A if ``fcr.patience_seconds`` is set), the
   fewest meeting the route's service level and the occupancy cap (:func:`lib.staffing.erlang.required_agents`);
   routes are staffed separately, then added (call handlers pooled across 999 and 101 would need fewer);
   with ``fcr.modified_offered_load`` each interval's load includes the work still in hand from
   earlier intervals (:func:`lib.staffing.erlang.modified_offered_load`, over the week as a cycle);
4. rostered staff per hour: the hour's busiest interval, ÷ (1 − shrinkage), rounded up;
5. a best-fit roster (:mod:`lib.staffing.rostering`) and the current pattern compared against it; service
   level achieved with a given cover splits the agents on the phones between routes in proportion
   to their requirement.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.staffing import demand
from lib.staffing import erlang
from lib.staffing import rostering
from lib.inputs.loading import Loaded
from lib.config.params import Params

WEEKS_PER_YEAR = 365.25 / 7


def _target(params: Params, route: str) -> tuple[float, float]:
    """(service level, answer seconds) for a route; 999 has its own, others use the 101 standard."""
    if route == "999":
        return params.fcr.service_level_999, params.calls.answer_999_target_seconds
    return params.fcr.service_level_101, params.calls.answer_101_target_seconds


def weekly_requirement(counts: pd.DataFrame, aht: dict[str, pd.Series], params: Params,
                       interval_minutes: int = 60) -> pd.DataFrame:
    """Per hour of the week (168 rows): mean calls, agents needed per route, and rostered staff."""
    frame = counts.copy()
    frame["how"] = frame.index.day_of_week * 24 + frame.index.hour
    frame["slot"] = frame.index.minute // interval_minutes
    mean = frame.groupby(["how", "slot"])[params.fcr.routes].mean()
    interval = interval_minutes * 60
    agents = pd.DataFrame(index=mean.index)
    for route in params.fcr.routes:
        sl, seconds = _target(params, route)
        hour = mean.index.get_level_values("how") % 24
        handle = aht[route].reindex(hour).to_numpy()
        load = mean[route].to_numpy()
        if params.fcr.modified_offered_load:
            load = erlang.modified_offered_load(load, float(np.mean(handle)), interval, circular=True)
        agents[route] = erlang.required_agents(load, handle, seconds, sl, interval,
                                               params.fcr.max_occupancy, params.fcr.patience_seconds)
    per_hour_agents = agents.groupby(level="how").max()
    per_hour_calls = mean.groupby(level="how").sum()
    out = pd.DataFrame({"how": range(168)})
    out["day"] = [demand.DAYS[h // 24] for h in out["how"]]
    out["hour"] = out["how"] % 24
    for route in params.fcr.routes:
        out[f"calls {route}"] = per_hour_calls[route].reindex(range(168)).to_numpy()
        out[f"agents {route}"] = per_hour_agents[route].reindex(range(168)).to_numpy().astype(int)
    out["agents"] = out[[f"agents {r}" for r in params.fcr.routes]].sum(axis=1)
    out["rostered"] = erlang.rostered_staff(out["agents"].to_numpy(), params.fcr.shrinkage)
    return out


def achieved(requirement: pd.DataFrame, cover: np.ndarray, aht: dict[str, pd.Series], params: Params) -> pd.DataFrame:
    """Service level achieved per hour of the week and route when ``cover`` staff are rostered."""
    on_phones = np.floor(np.asarray(cover, dtype=float) * (1 - params.fcr.shrinkage) + 1e-9)
    need = requirement[[f"agents {r}" for r in params.fcr.routes]].to_numpy(dtype=float)
    share = np.divide(need, need.sum(axis=1, keepdims=True), out=np.full_like(need, 1 / need.shape[1]),
                      where=need.sum(axis=1, keepdims=True) > 0)
    out = pd.DataFrame({"how": requirement["how"], "on phones": on_phones.astype(int)})
    for i, route in enumerate(params.fcr.routes):
        _, seconds = _target(params, route)
        agents = np.floor(on_phones * share[:, i] + 1e-9)
        handle = aht[route].reindex(requirement["hour"]).to_numpy()
        out[f"SL {route}"] = erlang.service_level(agents, requirement[f"calls {route}"].to_numpy(), handle, seconds)
    return out


def weighted_sl(requirement: pd.DataFrame, sl: pd.DataFrame, route: str) -> float:
    """Call-weighted service level over the week for a route."""
    calls = requirement[f"calls {route}"].to_numpy()
    return float(np.sum(calls * sl[f"SL {route}"].to_numpy()) / np.sum(calls))


def annual_cost(handler_hours_per_week: float, params: Params) -> dict[str, int]:
    """Annual cost by grade (each grade rostered in its ratio to call handlers) and in total, £ to the 1,000."""
    out = {}
    for g in params.fcr.grades:
        out[f"{g.name} £"] = int(round(handler_hours_per_week * g.per_call_handler * WEEKS_PER_YEAR * g.cost_per_hour_gbp, -3))
    out["annual cost £"] = sum(out.values())
    return out


def current_cover(params: Params) -> np.ndarray:
    """Cover per hour of the week of the force's current pattern (params ``fcr.current_pattern``)."""
    return rostering.pattern_cover([(s.start_hour, s.length_hours, s.staff) for s in params.fcr.current_pattern])


def fit(requirement: pd.DataFrame, params: Params) -> rostering.Plan:
    """The best-fit roster for the rostered requirement."""
    return rostering.best_fit(requirement["rostered"].to_numpy(), params.fcr.shift_start_hours,
                              params.fcr.shift_lengths_hours, params.fcr.fit_time_limit_seconds,
                              params.fcr.fit_mip_gap)


def scenarios(requirement: pd.DataFrame, plan: rostering.Plan, aht: dict[str, pd.Series],
              params: Params) -> pd.DataFrame:
    """Demand v cost: the best-fit roster scaled, and the current pattern: service level and annual cost."""
    rows = []
    options = [(f"best fit × {pct:g}%", np.round(plan.cover * pct / 100)) for pct in params.fcr.scenarios_staff_pct]
    if params.fcr.current_pattern:
        options.append(("current pattern", current_cover(params)))
    for label, cover in options:
        sl = achieved(requirement, cover, aht, params)
        row = {"scenario": label, "paid hours a week": int(cover.sum())}
        for route in params.fcr.routes:
            row[f"SL {route} %"] = round(100 * weighted_sl(requirement, sl, route), 1)
        row.update(annual_cost(cover.sum(), params))
        rows.append(row)
    return pd.DataFrame(rows)


def shift_table(plan: rostering.Plan) -> pd.DataFrame:
    """The best-fit plan as a readable table: day, start, end, length, staff."""
    t = plan.shifts.copy()
    t["day"] = [demand.DAYS[d] for d in t["day"]]
    t["start"] = [f"{h:02d}:00" for h in t["start_hour"]]
    t["end"] = [f"{(h + n) % 24:02d}:00" for h, n in zip(t["start_hour"], t["length_hours"])]
    return t[["day", "start", "end", "length_hours", "staff"]].rename(columns={"length_hours": "hours"})


def narrative(m: "Model", params: Params) -> dict[str, str]:
    """Texts glued into the chapter (and the executive summary's staffing gap)."""
    requirement, plan, gaps_current, table, backtest = m.requirement, m.plan, m.gaps_current, m.scenarios, m.backtest
    current = table[table["scenario"] == "current pattern"]
    best = table[table["scenario"] == "best fit × 100%"].iloc[0]
    sl999 = f"{current['SL 999 %'].iloc[0]:.1f}%" if len(current) and "SL 999 %" in current else "no data"
    return {
        "period_label": params.period_end.strftime("%B %Y"),
        "peak_rostered": f"{int(requirement['rostered'].max())}",
        "min_rostered": f"{int(requirement['rostered'].min())}",
        "fit_paid_hours": f"{int(plan.paid_hours):,}",
        "fit_optimal": "proved optimal" if plan.optimal else "the best found within the time limit",
        "current_paid_hours": f"{int(current['paid hours a week'].iloc[0]):,}" if len(current) else "no data",
        "current_hours_under": f"{gaps_current['hours under']}",
        "current_short": f"{gaps_current['staff-hours short']:,.0f}",
        "current_sl_999": sl999,
        "best_sl_999": f"{best['SL 999 %']:.1f}%" if "SL 999 %" in best else "no data",
        "forecast_ratio": ", ".join(f"{r.route} {r.ratio:.2f}" for r in backtest.itertuples()),
        "shrinkage": f"{100 * params.fcr.shrinkage:g}%",
        "occupancy": f"{100 * params.fcr.max_occupancy:g}%",
        "model": "Erlang A" if params.fcr.patience_seconds else "Erlang C",
    }


@dataclass
class Model:
    """Everything the chapter shows, computed once."""

    counts: pd.DataFrame
    aht: dict
    handling: pd.DataFrame
    profiles: dict
    requirement: pd.DataFrame
    plan: rostering.Plan
    current: np.ndarray
    gaps_current: dict
    gaps_best: dict
    scenarios: pd.DataFrame
    sl_current: pd.DataFrame
    sl_best: pd.DataFrame
    forecast: pd.DataFrame
    forecast_requirement: pd.DataFrame
    backtest: pd.DataFrame


def model(loaded: dict[str, Loaded], params: Params) -> Model:
    """Run the whole control-room model for the period."""
    counts = demand.hourly_counts(loaded, params)
    minutes = params.fcr.interval_minutes
    fine = counts if minutes == 60 else demand.hourly_counts(loaded, params, minutes)
    in_period = demand.period_rows(counts, params)
    aht = {r: demand.aht_by_hour(loaded, params, r) for r in params.fcr.routes}
    requirement = weekly_requirement(demand.period_rows(fine, params), aht, params, minutes)
    plan = fit(requirement, params)
    current = current_cover(params)
    future = demand.forecast(counts, params, params.fcr.routes)
    return Model(
        counts=counts, aht=aht, handling=demand.handling(loaded, params),
        profiles={r: demand.hour_day_profile(in_period[r]) for r in params.fcr.routes},
        requirement=requirement, plan=plan, current=current,
        gaps_current=rostering.cover_gaps(current, requirement["rostered"].to_numpy()),
        gaps_best=rostering.cover_gaps(plan.cover, requirement["rostered"].to_numpy()),
        scenarios=scenarios(requirement, plan, aht, params),
        sl_current=achieved(requirement, current, aht, params),
        sl_best=achieved(requirement, plan.cover, aht, params),
        forecast=future, forecast_requirement=weekly_requirement(future, aht, params),
        backtest=demand.backtest(counts, params, params.fcr.routes),
    )


def requirement_table(m: Model, params: Params) -> pd.DataFrame:
    """Needed and rostered cover by hour of the week (the numbers behind the cover figure)."""
    t = m.requirement[["day", "hour"] + [c for c in m.requirement if c.startswith(("calls", "agents"))] + ["rostered"]].copy()
    for c in t.columns:
        if c.startswith("calls"):
            t[c] = t[c].round(1)
    t["current cover"] = m.current.astype(int)
    t["best-fit cover"] = m.plan.cover.astype(int)
    t["forecast rostered"] = m.forecast_requirement["rostered"].to_numpy()
    for route in params.fcr.routes:
        t[f"SL {route} now %"] = (100 * m.sl_current[f"SL {route}"]).round(1)
    return t


def gap_table(m: Model) -> pd.DataFrame:
    """Under- and over-cover of the current pattern and the best fit."""
    return pd.DataFrame([{"roster": "current pattern", **m.gaps_current}, {"roster": "best fit", **m.gaps_best}])


def assumption_scenarios(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """The best-fit roster re-fitted under other shrinkage and 999 targets: paid hours and annual cost."""
    counts = demand.period_rows(demand.hourly_counts(loaded, params), params)
    aht = {r: demand.aht_by_hour(loaded, params, r) for r in params.fcr.routes}
    rows = []
    options = [("shrinkage", v, {"shrinkage": v}) for v in params.fcr.scenarios_shrinkage]
    options += [("999 service level", v, {"service_level_999": v}) for v in params.fcr.scenarios_service_level_999]
    for what, value, change in options:
        variant = params.model_copy(update={"fcr": params.fcr.model_copy(update=change)})
        plan = fit(weekly_requirement(counts, aht, variant, 60), variant)
        rows.append({"assumption": what, "value": f"{100 * value:g}%", "paid hours a week": int(plan.paid_hours),
                     **annual_cost(plan.paid_hours, params)})
    return pd.DataFrame(rows)


def aht_table(m: Model) -> pd.DataFrame:
    """Mean handling time (talk + wrap, seconds) by hour of day and route."""
    return pd.DataFrame({f"AHT {r} (s)": m.aht[r].round(0).astype(int) for r in m.aht}).rename_axis("hour").reset_index()
