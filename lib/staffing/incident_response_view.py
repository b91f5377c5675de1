"""The incident-response chapter, presented from its facts (:func:`lib.staffing.incident_response.compute`)."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import DAYS, fmt_int, fmt_interval, fmt_number, fmt_percent, month_label


def demand_by_grade(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents this period by grade, with officers assigned and minutes on scene."""
    d = facts["irt_demand_by_grade"]
    shown = pd.DataFrame({"grade": d["grade"], "incidents": d["incidents"].map(fmt_int),
                          "officers (mean)": d["officers"].map(lambda v: fmt_number(v, 2)),
                          "minutes on scene (mean)": d["on_scene_minutes"].map(fmt_number)})
    return shown, d


def by_month_grade(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents per month (rows) and grade (columns), with the total."""
    d = facts["irt_by_month_grade"]
    t = d.pivot(index="month", columns="grade", values="incidents")[list(dict.fromkeys(d["grade"]))]
    t["total"] = t.sum(axis=1)
    return t.map(fmt_int).reset_index(), d


def gaps(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hours of the week under- and over-covered by each pattern."""
    g = facts["irt_gaps"]
    shown = pd.DataFrame({"pattern": g["pattern"], "hours under-covered": g["hours_under"].map(fmt_int),
                          "officer-hours short": g["staff_hours_short"].map(fmt_int),
                          "hours over-covered": g["hours_over"].map(fmt_int),
                          "officer-hours spare": g["staff_hours_spare"].map(fmt_int)})
    return shown, g


def cover_by_day(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Officers needed and on duty, summarised per day (the 168 hours are a CSV download)."""
    req, cover = facts["irt_requirement"], facts["irt_cover"]
    wide = cover.pivot(index="how", columns="pattern", values="officers")[list(dict.fromkeys(cover["pattern"]))]
    rows = []
    for d, day in enumerate(DAYS):
        hours = range(24 * d, 24 * d + 24)
        need = req.set_index("how").loc[list(hours), "officers_needed"]
        row = {"day": day, "peak need": fmt_int(need.max()), "lowest need": fmt_int(need.min())}
        for name in wide.columns:
            short = (need - wide.loc[list(hours), name]).clip(lower=0)
            row[f"{name}: hours short"] = fmt_int((short > 0).sum())
        rows.append(row)
    full = req[["how", "day", "hour", "officer_jobs_per_hour", "officers_needed"]].merge(
        wide.rename(columns=lambda c: f"on duty: {c}").reset_index(), on="how")
    return pd.DataFrame(rows), full


def establishment(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Establishment by pattern, built up from reactive demand, pattern over-cover and proactive time."""
    e = facts["irt_establishment"]
    shown = pd.DataFrame({"pattern": e["pattern"], "reactive demand": e["reactive_demand"].map(fmt_number),
                          "pattern over-cover": e["pattern_over_cover"].map(fmt_number),
                          "protected proactive time": e["protected_proactive_time"].map(fmt_number),
                          "establishment": e["establishment"].map(fmt_int),
                          "for calls alone": e["reactive_only"].map(fmt_int)})
    return shown, e


def attendance(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attended within target, with n and the interval."""
    a = facts["irt_attendance"]
    shown = pd.DataFrame({"incidents": a["incidents"], "target (min)": a["target_minutes"].map(lambda v: fmt_number(v, 0)),
                          "n": a["n"].map(fmt_int), "in target": a["value"].map(fmt_percent),
                          "95% CI": [fmt_interval(lo, hi) for lo, hi in zip(a["lower"], a["upper"])],
                          "median response (min)": a["median_minutes"].map(fmt_number),
                          "90th percentile (min)": a["p90_minutes"].map(fmt_number)})
    return shown, a


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    req, key = facts["irt_requirement"], facts["irt_key"].iloc[0]
    est = facts["irt_establishment"].set_index("pattern")
    current = key["current_pattern"]
    return {
        "period_label": month_label(params.period),
        "peak_needed": fmt_int(req["officers_needed"].max()), "low_needed": fmt_int(req["officers_needed"].min()),
        "job_minutes": fmt_number(key["job_minutes"], 0), "current_name": current,
        "current_reactive": fmt_int(est.loc[current, "reactive_only"]), "current_est": fmt_int(est.loc[current, "establishment"]),
        "fit_est": fmt_int(est.loc["best fit to demand", "establishment"]),
        "fit_reactive": fmt_int(est.loc["best fit to demand", "reactive_only"]),
        "proactive": fmt_percent(params.irt.proactive_pct, 0),
        "immediate_in_target": fmt_percent(facts["irt_attendance"].set_index("incidents").loc["immediate", "value"]),
        "available_hours": fmt_number(key["available_hours"]),
        "current_establishment": fmt_int(key["current_establishment"]),
    }
