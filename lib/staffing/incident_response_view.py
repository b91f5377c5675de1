"""The incident-response chapter, presented from its facts (:func:`lib.staffing.incident_response.compute`)."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import DAYS, fmt_int, fmt_interval, fmt_number, fmt_percent, month_label
from lib.staffing import response_assumptions_view, response_check_view, response_rotas_view
from lib.staffing.response_assumptions_view import assumption_value

NOT_APPLICABLE = "not applicable"


def demand_by_grade(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents this period by grade, with officers assigned and minutes on scene: "not applicable" for a grade no
    officer attends (resolved without deployment: there is no time on scene to have data for), "no data" only
    where officers attended and no time was recorded."""
    d = facts["irt_demand_by_grade"]
    on_scene = [NOT_APPLICABLE if officers == 0 else fmt_number(minutes)
                for officers, minutes in zip(d["officers"], d["on_scene_minutes"])]
    shown = pd.DataFrame({"grade": d["grade"], "incidents": d["incidents"].map(fmt_int),
                          "officers (mean)": d["officers"].map(lambda v: fmt_number(v, 2)),
                          "minutes on scene (mean)": on_scene})
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
    """Establishment by pattern, built up from reactive demand, pattern over-cover and the protected proactive time
    the over-cover does not already give (the part it gives shown beside)."""
    e = facts["irt_establishment"]
    shown = pd.DataFrame({"pattern": e["pattern"], "reactive demand": e["reactive_demand"].map(fmt_number),
                          "pattern over-cover": e["pattern_over_cover"].map(fmt_number),
                          "of which protected time": e["proactive_from_over_cover"].map(fmt_number),
                          "protected time beyond the over-cover": e["protected_proactive_time"].map(fmt_number),
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
        "current_from_spare": fmt_number(est.loc[current, "proactive_from_over_cover"], 0),
        "current_beyond_spare": fmt_number(est.loc[current, "protected_proactive_time"], 0),
        "proactive_hours": "{:02d}:00 and {:02d}:00".format(*params.irt.proactive_hours_of_day),
        "immediate_in_target": fmt_percent(facts["irt_attendance"].set_index("incidents").loc["immediate", "value"]),
        "available_hours": fmt_number(key["available_hours"]),
        "current_establishment": fmt_int(key["current_establishment"]),
        "verdict_sentence": verdict_sentence(facts, params),
        "check_sentence": response_check_view.check_sentence(facts, params),
        "reconcile_sentence": response_assumptions_view.reconcile_sentence(facts, params),
        "options_sentence": response_rotas_view.options_sentence(facts, params),
        "workforce_sentence": workforce_sentence(facts, params),
    }


def sensitivity(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The required establishment with each assumption at its low and high value, widest swing first."""
    s = facts["irt_sensitivity"]
    shown = pd.DataFrame({"assumption": s["what"],
                          "as stated": [assumption_value(v, u) for v, u in zip(s["base"], s["unit"])],
                          "low": [assumption_value(v, u) for v, u in zip(s["low"], s["unit"])],
                          "establishment at low": s["at_low"].map(fmt_int),
                          "high": [assumption_value(v, u) for v, u in zip(s["high"], s["unit"])],
                          "establishment at high": s["at_high"].map(fmt_int)})
    return shown, s


def _enough(value: float, required: int) -> str:
    gap = value - required
    if gap >= 0:
        return f"enough, with {fmt_int(gap)} to spare"
    return f"{fmt_int(-gap)} short ({fmt_percent(100 * -gap / required, 0)} of the requirement)"


def verdict_sentence(facts, params: Params) -> str:
    """The plain verdict on the current (and proposed) establishment under the stated assumptions."""
    v = facts["irt_verdict"].iloc[0]
    key = facts["irt_key"].iloc[0]
    s = facts["irt_sensitivity"]
    text = (f"Under the stated assumptions, {key['current_pattern']} needs an establishment of "
            f"{fmt_int(v['required'])} officers.")
    reading = response_check_view.check_reading(facts, params)
    if reading:
        text += " " + reading
    for name, label in (("current", "The current establishment"), ("proposed", "The proposed establishment")):
        if pd.notna(v[name]):
            text += f" {label} of {fmt_int(v[name])} is {_enough(v[name], v['required'])}."
    text += (f" With each assumption in turn at its low or high value the requirement runs from {fmt_int(v['lowest'])} "
             f"to {fmt_int(v['highest'])}")
    counts = [f"{fmt_int(v[name])} is enough in {fmt_int(v[f'{name}_enough_cases'])} of those {fmt_int(v['cases'])} cases"
              for name in ("current", "proposed") if pd.notna(v[name])]
    text += (": " + "; ".join(counts) + "." if counts else ".")
    est = facts["irt_establishment"]
    others = est[est["pattern"] != key["current_pattern"]]
    if len(others):
        parts = []
        for _, row in others.iterrows():
            enough = [f"{fmt_int(v[n])} would be enough" for n in ("current", "proposed")
                      if pd.notna(v[n]) and v[n] >= row["establishment"]]
            name = "a roster fitted to demand" if row["pattern"] == "best fit to demand" else row["pattern"]
            parts.append(f"{name} {fmt_int(row['establishment'])}" + (f" ({'; '.join(enough)})" if enough else ""))
        text += (" Other patterns, scaled freely (nobody has to be able to work them; the rotas officers can work are "
                 "costed below), need: " + "; ".join(parts) + ".")
    if len(s):
        top = s.iloc[0]
        text += (f" It moves most with {top['what']} ({fmt_int(top['at_low'])} to {fmt_int(top['at_high'])} officers "
                 f"between {assumption_value(top['low'], top['unit'])} and {assumption_value(top['high'], top['unit'])}).")
    joint = response_assumptions_view.joint_sentence(facts, params)
    return text + (" " + joint if joint else "")


def gap_text(value: float) -> str:
    """Officers short or to spare, in words and whole officers ('151 short', '20 to spare')."""
    if pd.isna(value):
        return "no data"
    return f"{fmt_int(-value)} short" if round(value) < 0 else f"{fmt_int(value)} to spare"


def workforce(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Strength recorded and projected, one row a year (each March and the last month), the months as a download."""
    if "irt_workforce" not in facts:
        return None
    w = facts["irt_workforce"]
    pick = w[(w["month"].str.endswith("-03")) | (w.index == w.index[-1]) | (w["kind"].ne(w["kind"].shift(-1)))]
    shown = pd.DataFrame({"month": pick["month"].map(month_label), "recorded or projected": pick["kind"],
                          "strength": pick["strength"].map(fmt_int),
                          "required": pick["required"].map(fmt_int),
                          "gap": (pick["strength"] - pick["required"]).map(gap_text)})
    return shown, w


def workforce_sentence(facts, params: Params) -> str:
    """When strength meets the requirement, from the workforce export and planned intakes."""
    if "irt_workforce_key" not in facts:
        return ("No workforce export was supplied (inputs.workforce: strength, joiners, leavers and planned intakes a "
                "month), so the book cannot say when strength would meet the requirement.")
    k = facts["irt_workforce_key"].iloc[0]
    v = facts["irt_verdict"].iloc[0]
    text = (f"Strength in {month_label(params.period)} was {fmt_int(k['strength_now'])} officers against the "
            f"{fmt_int(v['required'])} required")
    meets = None if pd.isna(k["meets_month"]) else str(k["meets_month"])
    if meets == params.period:
        return text + ": strength already meets the requirement."
    text += (f". With the planned intakes and {fmt_percent(k['leaving_rate_pct'], 2)} of officers leaving a month (the "
             "mean of the last 12 months), ")
    if meets:
        return text + f"strength first meets the requirement in {month_label(meets)}."
    return text + (f"strength does not meet it within the plan, which runs to {month_label(k['last_month'])}: it reaches "
                   f"{fmt_int(k['strength_last'])}, {gap_text(k['strength_last'] - v['required'])} of today's requirement "
                   "(the force-management chapter sets each year's strength against the requirement of that year's "
                   "forecast demand instead).")


def workforce_figure(facts):
    """Strength recorded and projected against the requirement (nothing without a workforce export)."""
    from lib.present.charts import incident_response as charts

    return charts.workforce(facts["irt_workforce"]) if "irt_workforce" in facts else None


def workforce_table(facts):
    """The projection's table (nothing without a workforce export)."""
    from lib.present import table

    return table(workforce(facts), caption="Strength recorded and projected against the requirement (each March, "
                                           "and the plan's last month)") if "irt_workforce" in facts else None
