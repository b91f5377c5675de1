"""The control-room chapter: call handlers needed per hour, rostered cover, best-fit shifts, cost.

Method (assumptions stated in the chapter):

1. demand: mean contacts per interval (``fcr.interval_minutes``: 15, 30 or 60) of the week (day ×
   time of day) over the period, per route;
2. handling time: the period's mean talk + wrap by route and hour of day;
3. agents on the phones per interval: Erlang C (Erlang A if ``fcr.patience_seconds`` is set), the
   fewest meeting the route's service level and the occupancy cap (:func:`lib.staffing.queue.required_agents`);
   routes are staffed separately, then added (call handlers pooled across 999 and 101 would need fewer);
   with ``fcr.modified_offered_load`` each interval's load includes the work still in hand from
   earlier intervals (:func:`lib.staffing.erlang.modified_offered_load`, over the week as a cycle);
4. rostered staff per hour: the hour's busiest interval, ÷ (1 − shrinkage), rounded up;
5. a best-fit roster (:mod:`lib.staffing.rostering`) and the current pattern compared against it; service
   level achieved with a given cover splits the agents on the phones between routes in proportion
   to their requirement;
6. the best fit as a rota of whole people meeting the working-time rules in ``fcr.rota``
   (:mod:`lib.staffing.rota`, CP-SAT), beside the free best fit;
7. the model checked against what happened (:mod:`lib.staffing.model_check`): its prediction for the staff
   on duty (the telephony export, else the rostered pattern) against the service level achieved;
8. one answer (:mod:`lib.staffing.control_room_options`): today's staffing (the staff logged on when the
   export is supplied) and rotas of 8-, 10- and 12-hour shifts compared like for like: re-roster, recruit
   or both, with the cost.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.inputs.loading import Loaded
from lib.staffing import control_room_options, demand, erlang, model_check, queue, rostering, rota
from lib.staffing.queue import route_service_level, route_target
from lib.staffing.rota_rules import RotaParams

WEEKS_PER_YEAR = 365.25 / 7


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
        sl, seconds = route_target(params, route)
        hour = mean.index.get_level_values("how") % 24
        handle = aht[route].reindex(hour).to_numpy()
        load = mean[route].to_numpy()
        if params.fcr.modified_offered_load:
            load = erlang.modified_offered_load(load, float(np.mean(handle)), interval, circular=True)
        agents[route] = queue.required_agents(load, handle, seconds, sl, interval,
                                              params.fcr.max_occupancy, params.fcr.patience(route))
    per_hour_agents = agents.groupby(level="how").max()
    per_hour_calls = mean.groupby(level="how").sum()
    offered = frame.groupby("how")[params.fcr.routes].sum()
    out = pd.DataFrame({"how": range(168)})
    out["day"] = [demand.DAYS[h // 24] for h in out["how"]]
    out["hour"] = out["how"] % 24
    for route in params.fcr.routes:
        out[f"calls {route}"] = per_hour_calls[route].reindex(range(168)).to_numpy()
        out[f"offered {route}"] = offered[route].reindex(range(168), fill_value=0).to_numpy()
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
        _, seconds = route_target(params, route)
        agents = np.floor(on_phones * share[:, i] + 1e-9)
        handle = aht[route].reindex(requirement["hour"]).to_numpy()
        out[f"SL {route}"] = route_service_level(params, route, agents, requirement[f"calls {route}"].to_numpy(), handle,
                                                 seconds)
    return out


def weighted_sl(requirement: pd.DataFrame, sl: pd.DataFrame, route: str) -> float:
    """Service level over the period for a route: each hour of the week's level weighted by the calls offered in
    it over the period (as the model check weights it: the share of the period's calls)."""
    calls = requirement[f"offered {route}"].to_numpy(dtype=float)
    return float(np.sum(calls * sl[f"SL {route}"].to_numpy()) / np.sum(calls))


def annual_cost(handler_hours_per_week: float, params: Params) -> dict[str, int]:
    """Annual cost by grade (each grade rostered in its ratio to call handlers) and in total, £ to the 1,000."""
    out = {}
    for g in params.fcr.grades:
        out[f"cost {g.name}"] = int(round(handler_hours_per_week * g.per_call_handler * WEEKS_PER_YEAR * g.cost_per_hour_gbp, -3))
    out["annual_cost"] = sum(out.values())
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


def assumption_scenarios(counts: pd.DataFrame, aht: dict[str, pd.Series], params: Params) -> pd.DataFrame:
    """The best-fit roster re-fitted under other shrinkage and 999 targets: paid hours and annual cost."""
    rows = []
    options = [("shrinkage", v, {"shrinkage": v}) for v in params.fcr.scenarios_shrinkage]
    options += [("999 service level", v, {"calls": params.calls.with_share("999", v)})
                for v in params.fcr.scenarios_service_level_999]
    for what, value, change in options:
        variant = params.model_copy(update=change if "calls" in change else {"fcr": params.fcr.model_copy(update=change)})
        plan = fit(weekly_requirement(counts, aht, variant, 60), variant)
        rows.append({"assumption": what, "value_pct": 100 * value, "paid_hours": int(plan.paid_hours),
                     **annual_cost(plan.paid_hours, params)})
    return pd.DataFrame(rows)


def people_hours(rostered_hours: float, people: float, params: Params) -> float:
    """Hours a week paid for a roster of whole people: each is paid their contracted hours, so people × contracted
    hours (at least the hours rostered); the rostered hours when there are no whole people (NaN)."""
    if pd.isna(people):
        return float(rostered_hours)
    return max(float(rostered_hours), float(people) * params.fcr.contracted_hours_per_week)


def rota_tables(result: rota.Rota, plan: rostering.Plan, params: Params) -> dict[str, pd.DataFrame]:
    """The rota's facts: its pattern lines, its figures (people, paid hours, cost, cover, optimality gap) and
    the comparison with the free best fit."""
    lines = result.lines.rename_axis("line").reset_index()
    compare = rota.compare_with_best_fit(result, plan)
    compare["annual_cost"] = [annual_cost(people_hours(h, n, params), params)["annual_cost"]
                              for h, n in zip(compare["paid_hours"], compare["people"])]
    summary = pd.DataFrame([{"weeks": result.weeks, "people": result.people, "people_bound": result.people_bound,
                             "paid_hours": result.paid_hours, "status": result.status, "gap_pct": 100 * result.gap,
                             "pct_hours_covered": result.pct_hours_covered,
                             "under_staff_hours": result.under_staff_hours,
                             "annual_cost": annual_cost(people_hours(result.paid_hours, result.people, params),
                                                        params)["annual_cost"]}])
    return {"fcr_rota_lines": lines, "fcr_rota": summary, "fcr_rota_compare": compare}


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The control room's facts for the period: every table the chapter and the summary show."""
    routes = params.fcr.routes
    counts = demand.hourly_counts(loaded, params)
    minutes = params.fcr.interval_minutes
    fine = counts if minutes == 60 else demand.hourly_counts(loaded, params, minutes)
    in_period = demand.period_rows(counts, params)
    aht = {r: demand.aht_by_hour(loaded, params, r) for r in routes}
    requirement = weekly_requirement(demand.period_rows(fine, params), aht, params, minutes)
    plan = fit(requirement, params)
    current = current_cover(params)
    future = demand.forecast(counts, params, routes)
    need = requirement["rostered"].to_numpy()
    req = requirement.rename(columns=lambda c: c.replace(" ", "_"))
    req["current_cover"] = current.astype(int)
    req["best_fit_cover"] = plan.cover.astype(int)
    req["forecast_rostered"] = weekly_requirement(future, aht, params)["rostered"].to_numpy()
    sl_now, sl_best = achieved(requirement, current, aht, params), achieved(requirement, plan.cover, aht, params)
    for r in routes:
        req[f"sl_now_{r}"] = 100 * sl_now[f"SL {r}"].to_numpy()
        req[f"sl_best_{r}"] = 100 * sl_best[f"SL {r}"].to_numpy()
    profile = pd.concat([demand.hour_day_profile(in_period[r]).rename_axis("hour").reset_index()
                         .melt(id_vars="hour", var_name="day", value_name="contacts_per_hour").assign(route=r)
                         for r in routes], ignore_index=True)
    by_month = demand.month_profile(counts).reset_index().melt(id_vars="month", var_name="route", value_name="contacts")
    history = counts[routes].tail(8 * 7 * 24)
    daily = pd.concat(
        [frame[r].groupby(frame.index.date).sum().rename_axis("date").reset_index(name="contacts").assign(route=r, kind=kind)
         for kind, frame in (("actual", history), ("forecast", future)) for r in routes], ignore_index=True)
    daily["date"] = daily["date"].astype(str)
    scen = scenarios(requirement, plan, aht, params).rename(
        columns=lambda c: {"paid hours a week": "paid_hours"}.get(c, c.replace("SL ", "sl_").replace(" %", "")))
    rota_result = rota.solve(need, RotaParams.from_mapping(params.fcr.rota_rules(), where="fcr.rota"))
    rota_facts = rota_tables(rota_result, plan, params)
    check_hours, check = model_check.compute(loaded, params, requirement, current if params.fcr.current_pattern else None,
                                             aht)
    options = control_room_options.compute(requirement, check_hours, rota_result,
                                           current if params.fcr.current_pattern else None, params,
                                           lambda hours: annual_cost(hours, params)["annual_cost"])
    gaps = pd.DataFrame([{"roster": "current pattern", **rostering.cover_gaps(current, need)},
                         {"roster": "best fit", **rostering.cover_gaps(plan.cover, need)}])
    return {
        "fcr_handling": demand.handling(loaded, params).rename(columns={"abandoned %": "abandoned_pct"}),
        "fcr_aht": pd.concat([aht[r].rename_axis("hour").reset_index(name="aht_seconds").assign(route=r)
                              for r in routes], ignore_index=True),
        "fcr_contacts_by_month": by_month,
        "fcr_profile": profile,
        "fcr_requirement": req,
        "fcr_gaps": gaps.rename(columns=lambda c: c.replace(" ", "_").replace("-", "_")),
        "fcr_shifts": shift_table(plan),
        "fcr_fit": pd.DataFrame([{"paid_hours": plan.paid_hours, "optimal": bool(plan.optimal), "gap_pct": 100 * plan.gap,
                                  "current_paid_hours": float(current.sum())}]),
        "fcr_scenarios": scen,
        "fcr_assumptions": assumption_scenarios(demand.period_rows(counts, params), aht, params),
        "fcr_backtest": demand.backtest(counts, params, routes),
        "fcr_daily": daily,
        **rota_facts,
        "fcr_check": check,
        "fcr_check_hours": check_hours,
        "fcr_options": options,
    }
