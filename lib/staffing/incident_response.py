"""Incident response: demand, officers needed on duty, shift patterns, establishment, attendance.

Model (assumptions stated in the chapter, each a param):

1. officer time per incident = officers assigned × (travel + time on scene); time on scene and
   officers come from the data (first arrival to clear), travel is ``irt.travel_minutes`` because
   command-and-control data has no dispatch time;
2. officers needed on duty per hour of the week: an Erlang C queue of *officer jobs* (an incident
   needing two officers is two jobs) from the mean arrivals of attended incidents over the
   ``irt.demand_weeks`` weeks to the period end (one month alone is too noisy per hour), staffed
   so that a job waits no longer than (immediate target − travel) with probability
   ``irt.attend_probability`` (:func:`lib.staffing.queue.required_agents`, the same maths as the control
   room: written once);
3. a shift pattern's cover is its daily shifts' weights, scaled until it fully covers
   ``irt.cover_share`` of the week's hours (the best fit, a free roster, covers them all), so a flat
   pattern staffs nearly every hour for the peak;
4. establishment = on-duty officer-hours a week ÷ (contracted hours a week × (1 − abstractions)), the
   on-duty hours being the pattern's plus whatever protected proactive time its spare hours (in the
   hours of the day proactive work can use) do not already give (:func:`establishment`);
5. the establishment the current pattern needs under other assumptions, the verdict and the force's own figure
   reconciled: :mod:`lib.staffing.response_assumptions`;
6. the model checked against what happened (:mod:`lib.staffing.response_check`): its prediction of
   immediate and priority incidents attended in target with the officers in post, against the attendance
   achieved, by hour of the week;
7. with a workforce export (``inputs.workforce``), strength projected month by month from planned
   intakes and the recent leaving rate, and the month it first meets the requirement.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.errors import ModelError
from lib.inputs.loading import Loaded, month_of
from lib.present.figures import DAYS
from lib.staffing import queue, response_check, rostering
from lib.vocabulary import ATTENDED_GRADES as ATTENDED
from lib.vocabulary import GRADES, TIMEZONE


def period_incidents(loaded: dict[str, Loaded], params: Params, weeks: float | None = None) -> pd.DataFrame:
    """Incidents created in the period (or in the ``weeks`` up to its end), with response and on-scene minutes."""
    i = loaded["incidents"].frame
    end = (pd.Timestamp(params.period_end) + pd.Timedelta(days=1)).tz_localize(TIMEZONE)
    start = pd.Timestamp(params.period_start).tz_localize(TIMEZONE) if weeks is None else end - pd.Timedelta(weeks=weeks)
    i = i[(i["created_at"] >= start) & (i["created_at"] < end)].copy()
    i["response_minutes"] = (i["first_arrived_at"] - i["created_at"]).dt.total_seconds() / 60
    i["scene_minutes"] = (i["cleared_at"] - i["first_arrived_at"]).dt.total_seconds() / 60
    return i


def demand_by_grade(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents per grade in the period, with mean officers and time on scene."""
    g = incidents.groupby("grade").agg(incidents=("incident_id", "size"), officers=("officers_assigned", "mean"),
                                       on_scene_minutes=("scene_minutes", "mean"))
    return g.reindex([x for x in GRADES if x in g.index]).reset_index()


def hour_day(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents per hour (mean over the period's weeks) by hour of day and day of week."""
    weeks = (incidents["created_at"].max() - incidents["created_at"].min()).days / 7
    t = pd.crosstab(incidents["created_at"].dt.hour, incidents["created_at"].dt.day_of_week) / max(weeks, 1)
    return t.reindex(index=range(24), columns=range(7), fill_value=0).set_axis(DAYS, axis=1)


def requirement(incidents: pd.DataFrame, params: Params, demand_factor: float = 1.0) -> pd.DataFrame:
    """Officers needed on duty per hour of the week (168 rows); ``demand_factor`` scales the officer jobs."""
    att = incidents[incidents["grade"].isin(ATTENDED) & incidents["first_arrived_at"].notna()]
    weeks = (incidents["created_at"].max() - incidents["created_at"].min()).total_seconds() / (7 * 86400)
    how = att["created_at"].dt.day_of_week * 24 + att["created_at"].dt.hour
    jobs = demand_factor * att["officers_assigned"].groupby(how).sum().reindex(range(168), fill_value=0) / weeks
    minutes = params.irt.travel_minutes + att["scene_minutes"].clip(lower=0)
    aht = float((minutes * att["officers_assigned"]).sum() / att["officers_assigned"].sum()) * 60
    wait = max(params.response.within("immediate") - params.irt.travel_minutes, 0) * 60
    need = queue.required_agents(jobs.to_numpy(), aht, wait, params.irt.attend_probability)
    out = pd.DataFrame({"how": range(168), "day": [DAYS[h // 24] for h in range(168)], "hour": np.arange(168) % 24,
                        "officer jobs per hour": jobs.to_numpy(), "officers needed": need})
    out.attrs["job_minutes"] = aht / 60
    return out


def pattern_cover(shifts: list, needed: np.ndarray, cover_share: float = 1.0) -> np.ndarray:
    """On-duty officers per hour when a pattern's team is scaled to fully cover ``cover_share`` of the week's hours.

    The pattern repeats every day, so its cover is its shifts' weights scaled by one factor: the
    ``cover_share`` quantile (nearest rank, upwards) of need ÷ weight over the hours it covers.
    """
    unit = rostering.pattern_cover([(s.start_hour, s.length_hours, s.weight) for s in shifts])
    if (needed[unit == 0] > 0).any():
        raise ModelError("a pattern leaves hours with no shift while officers are needed: add a shift")
    ratio = np.sort(np.divide(needed, unit, out=np.zeros(168), where=unit > 0, dtype=float))
    k = int(np.ceil(cover_share * len(ratio) - 1e-9)) - 1
    return np.ceil(unit * ratio[max(k, 0)] - 1e-9)


def patterns(req: pd.DataFrame, params: Params) -> dict[str, np.ndarray]:
    """Cover by hour of the week for each pattern in params, plus the best fit to demand."""
    needed = req["officers needed"].to_numpy()
    covers = {p.name: pattern_cover(p.shifts, needed, params.irt.cover_share) for p in params.irt.patterns}
    plan = rostering.best_fit(needed, params.irt.fit_start_hours, params.irt.fit_lengths_hours,
                              params.fcr.fit_time_limit_seconds, params.fcr.fit_mip_gap)
    covers["best fit to demand"] = plan.cover
    return covers


def available_hours(params: Params) -> float:
    """Hours a week an officer is available: contracted hours × (1 − abstractions)."""
    p = params.irt
    return p.contracted_hours_per_week * (1 - (p.annual_leave_pct + p.training_pct + p.sickness_pct) / 100)


def spare_for_proactive(cover: np.ndarray, needed: np.ndarray, params: Params) -> float:
    """Officer-hours a week on duty beyond the need in the hours of the day protected time can use
    (``irt.proactive_hours_of_day``): the pattern's over-cover that already pays for proactive work."""
    start, end = params.irt.proactive_hours_of_day
    hour = np.arange(168) % 24
    usable = (hour >= start) & (hour < end)
    return float(np.clip(np.asarray(cover, dtype=float) - needed, 0, None)[usable].sum())


def establishment(req: pd.DataFrame, covers: dict[str, np.ndarray], params: Params) -> pd.DataFrame:
    """Waterfall per pattern: reactive need, pattern over-cover, protected proactive time beyond the over-cover
    → establishment.

    Protected time is ``irt.proactive_pct`` of on-duty time, T: p × T officer-hours a week. It comes first
    from the pattern's spare on-duty hours S (:func:`spare_for_proactive`), so only what S leaves is added,
    in the pattern's own shape (so all of it spare): E = max(0, (p C − S) / (1 − p)) for a pattern with
    C on-duty officer-hours, T = C + E, establishment = ⌈T ÷ available hours⌉. With no spare hours this is
    the earlier C ÷ (1 − p); spare hours are never paid for twice.
    """
    share = params.irt.proactive_pct / 100
    available = available_hours(params)
    needed = req["officers needed"].to_numpy()
    reactive = needed.sum()
    rows = []
    for name, cover in covers.items():
        total = float(cover.sum())
        spare = spare_for_proactive(cover, needed, params)
        extra = max(0.0, (share * total - spare) / (1 - share))
        steps = {"reactive demand": reactive / available, "pattern over-cover": (total - reactive) / available,
                 "protected proactive time": extra / available}
        rows.append({"pattern": name, **steps,
                     "proactive from over-cover": min(share * (total + extra), spare) / available,
                     "establishment": int(np.ceil((total + extra) / available - 1e-9)),
                     "reactive only": int(np.ceil(total / available - 1e-9))})
    out = pd.DataFrame(rows)
    out.attrs["available_hours"] = available
    return out


def required(incidents: pd.DataFrame, params: Params, demand_factor: float = 1.0) -> int:
    """The establishment the current pattern (the first in ``irt.patterns``; without one, the best fit to demand)
    needs under the params' assumptions, with officer jobs scaled by ``demand_factor``."""
    req = requirement(incidents, params, demand_factor)
    needed = req["officers needed"].to_numpy()
    if params.irt.patterns:
        p = params.irt.patterns[0]
        covers = {p.name: pattern_cover(p.shifts, needed, params.irt.cover_share)}
    else:
        covers = {"best fit to demand": rostering.best_fit(needed, params.irt.fit_start_hours, params.irt.fit_lengths_hours,
                                                           params.fcr.fit_time_limit_seconds, params.fcr.fit_mip_gap).cover}
    return int(establishment(req, covers, params)["establishment"].iloc[0])


def workforce_projection(workforce: pd.DataFrame, params: Params, required_now: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strength month by month: as recorded up to the period, then projected to the last planned month.

    Each projected month: strength = last month's strength + planned intake − leavers, leavers being the
    last month's strength × the mean monthly leaving rate (leavers ÷ strength at the start of the month) of
    the 12 months to the period (fewer if the export is shorter). Returns (months: month, kind, strength,
    joiners, leavers, planned_intake, required; key: leaving_rate_pct, strength_now, meets_month).
    """
    w = workforce.sort_values("month").reset_index(drop=True)
    past = w[w["month"] <= params.period].copy()
    start = past["strength"].shift(1)
    rates = (past["leavers"] / start).iloc[1:].tail(12)
    rate = float(rates.mean()) if len(rates) else 0.0
    out = past.assign(kind="recorded")
    strength = float(past["strength"].iloc[-1])
    rows = []
    for _, r in w[w["month"] > params.period].iterrows():
        intake = 0.0 if pd.isna(r["planned_intake"]) else float(r["planned_intake"])
        leavers = strength * rate
        strength = strength + intake - leavers
        rows.append({"month": r["month"], "kind": "projected", "strength": strength, "joiners": intake,
                     "leavers": leavers, "planned_intake": intake})
    months = pd.concat([out, pd.DataFrame(rows)], ignore_index=True) if rows else out
    months["required"] = float(required_now)
    ahead = months[(months["month"] > params.period) & (months["strength"] >= required_now - 1e-9)]
    now = float(past["strength"].iloc[-1])
    meets = params.period if now >= required_now else (ahead["month"].iloc[0] if len(ahead) else None)
    key = pd.DataFrame([{"leaving_rate_pct": 100 * rate, "strength_now": now, "meets_month": meets,
                         "last_month": months["month"].iloc[-1], "strength_last": float(months["strength"].iloc[-1])}])
    return months[["month", "kind", "strength", "joiners", "leavers", "planned_intake", "required"]], key


ATTENDANCE_MEASURES = (("immediate", "immediate", False, "immediate_in_target"),
                       ("priority", "priority", False, "priority_in_target"),
                       ("immediate, vulnerable person", "immediate", True, "vulnerable_immediate_in_target"))


def attendance(incidents: pd.DataFrame, measure_period: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Attended within target by grade (and the vulnerable subset): the scorecard measures' x of n, value
    and interval (one fact, read from the measure facts), with the median and 90th percentile minutes."""
    targets = params.response.attend_within_minutes
    facts = measure_period.set_index("measure_id")
    rows = []
    for label, grade, vulnerable, measure_id in ATTENDANCE_MEASURES:
        sub = incidents[incidents["grade"] == grade]
        if vulnerable:
            sub = sub[sub["vulnerable_person"].astype(bool)]
        m = facts.loc[measure_id]
        rows.append({"incidents": label, "measure_id": measure_id, "target_minutes": targets[grade], "x": m["x"],
                     "n": m["n"], "value": m["value"], "lower": m["lower"], "upper": m["upper"],
                     "median_minutes": float(sub["response_minutes"].median()) if len(sub) else np.nan,
                     "p90_minutes": float(sub["response_minutes"].quantile(0.9)) if len(sub) else np.nan})
    return pd.DataFrame(rows)


def gaps(req: pd.DataFrame, covers: dict[str, np.ndarray]) -> pd.DataFrame:
    """Hours under- and over-covered for each pattern."""
    needed = req["officers needed"].to_numpy()
    out = pd.DataFrame([{"pattern": name, **rostering.cover_gaps(c, needed)} for name, c in covers.items()])
    return out.rename(columns=lambda c: c.replace(" ", "_").replace("-", "_"))


def by_month_grade(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Incidents per month and grade, history to the period (long: month, grade, incidents)."""
    i = loaded["incidents"].frame
    table = pd.crosstab(month_of(i["created_at"]), i["grade"]).reindex(columns=list(GRADES), fill_value=0)
    return table.rename_axis("month").reset_index().melt(id_vars="month", var_name="grade", value_name="incidents")


def response_histogram(incidents: pd.DataFrame, params: Params, bins: int = 40) -> pd.DataFrame:
    """Response times of the period's immediate and priority incidents, binned up to 4 × the target."""
    rows = []
    for grade, target in params.response.attend_within_minutes.items():
        minutes = incidents.loc[incidents["grade"] == grade, "response_minutes"].dropna().clip(upper=4 * target)
        counts, edges = np.histogram(minutes, bins=bins, range=(0, 4 * target))
        rows += [{"grade": grade, "target_minutes": target, "from_minutes": a, "to_minutes": b, "incidents": int(c)}
                 for a, b, c in zip(edges[:-1], edges[1:], counts)]
    return pd.DataFrame(rows)


def current_shape(req: pd.DataFrame, params: Params) -> np.ndarray:
    """The current pattern's relative cover per hour of the week (its shifts' weights; without a pattern, the best
    fit to ``req``)."""
    if params.irt.patterns:
        return rostering.pattern_cover([(s.start_hour, s.length_hours, s.weight) for s in params.irt.patterns[0].shifts])
    return rostering.best_fit(req["officers needed"].to_numpy(), params.irt.fit_start_hours, params.irt.fit_lengths_hours,
                              params.fcr.fit_time_limit_seconds, params.fcr.fit_mip_gap).cover


def model_check(loaded: dict[str, Loaded], params: Params, quarter: pd.DataFrame, month: pd.DataFrame,
                demand_factor: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model checked against what happened (:func:`lib.staffing.response_check.compute`), officer jobs scaled
    by ``demand_factor`` (1: the model as stated; other values calibrate it)."""
    req = requirement(quarter, params, demand_factor)
    return response_check.compute(month, req, req.attrs["job_minutes"], current_shape(requirement(quarter, params), params),
                                  available_hours(params), loaded["workforce"].frame if "workforce" in loaded else None,
                                  params)


def compute(loaded: dict[str, Loaded], params: Params, measure_period: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The incident-response facts for the period: every table the chapter and the summary show."""
    month = period_incidents(loaded, params)
    quarter = period_incidents(loaded, params, params.irt.demand_weeks)
    req = requirement(quarter, params)
    covers = patterns(req, params)
    est = establishment(req, covers, params)
    cover = pd.concat([pd.DataFrame({"how": range(168), "pattern": name, "officers": c.astype(int)})
                       for name, c in covers.items()], ignore_index=True)
    key = pd.DataFrame([{"job_minutes": req.attrs["job_minutes"], "available_hours": est.attrs["available_hours"],
                         "current_pattern": params.irt.patterns[0].name if params.irt.patterns else "best fit to demand",
                         "current_establishment": np.nan if params.irt.current_establishment is None
                         else float(params.irt.current_establishment)}])
    required_now = required(quarter, params)
    extra = {}
    extra["irt_check_hours"], extra["irt_check"] = model_check(loaded, params, quarter, month)
    if "workforce" in loaded:
        extra["irt_workforce"], extra["irt_workforce_key"] = workforce_projection(loaded["workforce"].frame, params,
                                                                                  required_now)
    hd = hour_day(quarter).rename_axis("hour").reset_index().melt(id_vars="hour", var_name="day",
                                                                 value_name="incidents_per_hour")
    return {
        "irt_requirement": req.rename(columns=lambda c: c.replace(" ", "_")),
        "irt_cover": cover,
        "irt_gaps": gaps(req, covers),
        "irt_establishment": est.rename(columns=lambda c: c.replace(" ", "_").replace("-", "_")),
        "irt_attendance": attendance(month, measure_period, params),
        "irt_demand_by_grade": demand_by_grade(month),
        "irt_by_month_grade": by_month_grade(loaded, params),
        "irt_hour_day": hd,
        "irt_response_hist": response_histogram(month, params),
        "irt_key": key,
        **extra,
    }
