"""The incident-response chapter: demand, officers on duty, the establishment and the workforce.

Facts ``irt_*`` from :func:`lib.staffing.incident_response.compute` (with
:mod:`lib.staffing.response_assumptions` and :mod:`lib.staffing.response_rotas`), and presented here.

How it presents them follows the facts: demand, cover and the establishment; the verdict in words; the
assumptions one at a time and together, and the force's own figure reconciled; the model check; the workable
rotas, costed; the workforce projected.
"""
from __future__ import annotations

from functools import partial

import pandas as pd

from lib.config.schema import Params
from lib.present import (
    DASH,
    DAYS,
    fmt_int,
    fmt_interval,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    missing,
    month_label,
    or_dash,
)
from lib.present.columns import Column, lay_out
from lib.staffing import incident_response, response_assumptions, response_rotas

NEEDS = ("incidents",)
AFTER = ("measures",)  # attendance in target, as the scorecard measures it


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.incident_response.compute`, the assumptions' reading:
    :func:`lib.staffing.response_assumptions.compute`, and workable rotas costed:
    :func:`lib.staffing.response_rotas.compute`)."""
    facts = {**incident_response.compute(loaded, params, earlier["measure_period"]),
             **response_assumptions.compute(loaded, params)}
    need = facts["irt_requirement"].rename(columns={"officers_needed": "officers needed"})
    required = int(facts["irt_verdict"]["required"].iloc[0])
    return {**facts, "irt_options": response_rotas.compute(need, params, required)}


NOT_APPLICABLE = "not applicable"


def _on_scene(officers: float, minutes: float) -> str:
    """Minutes on scene, or "not applicable" for a grade no officer attends."""
    return NOT_APPLICABLE if officers == 0 else fmt_number(minutes)


DEMAND_BY_GRADE = (Column("grade", "grade"), Column("incidents", "incidents", fmt_int),
                   Column("officers (mean)", "officers", partial(fmt_number, digits=2)),
                   Column("minutes on scene (mean)", ("officers", "on_scene_minutes"), _on_scene))


def demand_by_grade(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents this period by grade, with officers assigned and minutes on scene: "not applicable" for a grade no
    officer attends (resolved without deployment: there is no time on scene to have data for), "no data" only
    where officers attended and no time was recorded."""
    d = facts["irt_demand_by_grade"]
    return lay_out(d, DEMAND_BY_GRADE), d


def by_month_grade(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents per month (rows) and grade (columns), with the total."""
    d = facts["irt_by_month_grade"]
    t = d.pivot(index="month", columns="grade", values="incidents")[list(dict.fromkeys(d["grade"]))]
    t["total"] = t.sum(axis=1)
    return t.map(fmt_int).reset_index(), d


GAPS = (Column("pattern", "pattern"), Column("hours under-covered", "hours_under", fmt_int),
        Column("officer-hours short", "staff_hours_short", fmt_int), Column("hours over-covered", "hours_over", fmt_int),
        Column("officer-hours spare", "staff_hours_spare", fmt_int))


def gaps(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hours of the week under- and over-covered by each pattern."""
    g = facts["irt_gaps"]
    return lay_out(g, GAPS), g


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


ESTABLISHMENT = (Column("pattern", "pattern"), Column("reactive demand", "reactive_demand", fmt_number),
                 Column("pattern over-cover", "pattern_over_cover", fmt_number),
                 Column("of which protected time", "proactive_from_over_cover", fmt_number),
                 Column("protected time beyond the over-cover", "protected_proactive_time", fmt_number),
                 Column("establishment", "establishment", fmt_int), Column("for calls alone", "reactive_only", fmt_int))


def establishment(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Establishment by pattern, built up from reactive demand, pattern over-cover and the protected proactive time
    the over-cover does not already give (the part it gives shown beside)."""
    e = facts["irt_establishment"]
    return lay_out(e, ESTABLISHMENT), e


ATTENDANCE = (Column("incidents", "incidents"), Column("target (min)", "target_minutes", partial(fmt_number, digits=0)),
              Column("n", "n", fmt_int), Column("in target", "value", fmt_percent),
              Column("95% CI", ("lower", "upper"), fmt_interval),
              Column("median response (min)", "median_minutes", fmt_number),
              Column("90th percentile (min)", "p90_minutes", fmt_number))


def attendance(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attended within target, with n and the interval."""
    a = facts["irt_attendance"]
    return lay_out(a, ATTENDANCE), a


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
        "check_sentence": check_sentence(facts, params),
        "reconcile_sentence": reconcile_sentence(facts, params),
        "options_sentence": options_sentence(facts, params),
        "workforce_sentence": workforce_sentence(facts, params),
    }


def sensitivity(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The required establishment with each assumption at its low and high value, widest swing first."""
    s = facts["irt_sensitivity"]
    return lay_out(s, [Column("assumption", "what"), Column("as stated", ("base", "unit"), assumption_value),
                     Column("low", ("low", "unit"), assumption_value), Column("establishment at low", "at_low", fmt_int),
                     Column("high", ("high", "unit"), assumption_value),
                     Column("establishment at high", "at_high", fmt_int)]), s


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
    reading = check_reading(facts, params)
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
    joint = joint_sentence(facts, params)
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
    return lay_out(pick, [Column("month", "month", month_label), Column("recorded or projected", "kind"),
                        Column("strength", "strength", fmt_int), Column("required", "required", fmt_int),
                        Column("gap", ("strength", "required"), lambda have, need: gap_text(have - need))]), w


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


def assumption_value(value: float, unit: str, digits: int = 0) -> str:
    """An assumption's value in its unit: '90%', '10 min', '+5%' (growth signed), '× 0.85' (a factor)."""
    if unit == "×":
        return f"× {fmt_number(value, 2)}"
    if unit == "share":
        return fmt_percent(100 * value, digits)
    if unit == "minutes":
        return f"{fmt_number(value, digits)} min"
    if unit == "%" and round(value, digits) != 0:
        return f"{'+' if value > 0 else '−'}{fmt_number(abs(value), digits)}%"
    return fmt_percent(abs(value) if round(value, digits) == 0 else value, digits)


def _chance(pct: float, draws: int) -> str:
    """A Monte Carlo share in words; none of n draws is 'a chance below 3/n' (the rule of three, 95%)."""
    if pct == 0:
        return f"in none of the {fmt_int(draws)} draws (a chance below {fmt_percent(300 / draws)})"
    if pct == 100:
        return f"in all {fmt_int(draws)} draws (a chance above {fmt_percent(100 - 300 / draws)})"
    return f"in {fmt_percent(pct)} of the draws"


def joint_sentence(facts, params: Params) -> str:
    """The joint sensitivity in words: the requirement's middle 90% and the chance each establishment is enough."""
    j = facts.get("irt_joint")
    if j is None or j.empty:
        return ""
    j = j.iloc[0]
    draws = int(j["draws"])
    text = (f"With all {len(facts['irt_sensitivity'])} assumptions varied together over their ranges ({fmt_int(draws)} "
            f"seeded draws, each value most likely near the stated one) the requirement's middle 90% runs from "
            f"{fmt_int(j['q05'])} to {fmt_int(j['q95'])} (median {fmt_int(j['q50'])})")
    parts = [f"{fmt_int(value)} is enough {_chance(j[f'{name}_enough_pct'], draws)}"
             for name, value in (("current", params.irt.current_establishment),
                                 ("proposed", params.irt.proposed_establishment)) if value is not None]
    return text + (": " + "; ".join(parts) if parts else "") + "."


def joint_table(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The joint sensitivity's summary: draws, the requirement's percentiles and each establishment's chance."""
    j = facts.get("irt_joint")
    if j is None or j.empty:
        return None
    return lay_out(j, [Column("draws", "draws", fmt_int), Column("seed", "seed", fmt_int),
                     Column("requirement, 5th percentile", "q05", fmt_int), Column("median", "q50", fmt_int),
                     Column("95th percentile", "q95", fmt_int),
                     Column("chance the current is enough", "current_enough_pct", fmt_percent),
                     Column("chance the proposed is enough", "proposed_enough_pct", fmt_percent)]), j


def _value(value: float, unit: str) -> str:
    return "none in the range searched" if pd.isna(value) else assumption_value(value, unit, 1)


def _whole_or_dash(value: float) -> str:
    """Officers, or a dash where the search found no value."""
    return or_dash(value if missing(value) else fmt_int(value))


def _data_value(value: float, unit: str) -> str:
    """What the data show for an assumption, or that they do not show it."""
    return "not in the data" if pd.isna(value) else _value(value, unit)


def reconcile(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The force's figure reconciled: per assumption, the value that reproduces it and what the data show."""
    r = facts.get("irt_reconcile")
    if r is None or r.empty:
        return None
    return lay_out(r, [Column("assumption", "what"), Column("as stated", ("base", "unit"), assumption_value),
                     Column("value that gives the figure", ("value", "unit"), _value),
                     Column("requirement there", "required_at_value", _whole_or_dash),
                     Column("what the data show", ("data_value", "unit"), _data_value), Column("from", "data_what"),
                     Column("requirement at what the data show", "required_at_data", _whole_or_dash)]), r


def reconcile_sentence(facts, params: Params) -> str:
    """Which assumption values reproduce the force's own figure, and how far each is from what the data show."""
    r = facts.get("irt_reconcile")
    if r is None or r.empty:
        return ("No establishment under consideration is set (irt.proposed_establishment), so there is no figure of "
                "the force's to reconcile.")
    target = fmt_int(r["target"].iloc[0])
    found = r[r["value"].notna()]
    none = r[r["value"].isna()]
    if found.empty:
        text = f"No single assumption, within the ranges searched, brings the requirement down to the force's {target}"
    else:
        parts = []
        for _, row in found.iterrows():
            part = (f"{row['what']} at {assumption_value(row['value'], row['unit'], 1)} (stated "
                    f"{assumption_value(row['base'], row['unit'])}; ")
            part += ("not in the data" if pd.isna(row["data_value"]) else
                     f"the data show {assumption_value(row['data_value'], row['unit'], 1)}, {row['data_what']}") + ")"
            parts.append(part)
        text = (f"With the other assumptions as stated, the force's figure of {target} is reproduced only by "
                + " or by ".join(parts))
    if len(none):
        text += ("; no value of " + ", ".join(none["what"]) + " within the ranges searched reproduces it")
    est = facts["irt_establishment"]
    fits = est[(est["pattern"] != facts["irt_key"]["current_pattern"].iloc[0]) & (est["establishment"] <= r["target"].iloc[0])]
    if len(fits):
        text += ("; a different pattern, scaled freely, would: " + "; ".join(
            f"{'a roster fitted to demand' if p == 'best fit to demand' else p} needs {fmt_int(e)}"
            for p, e in zip(fits["pattern"], fits["establishment"])))
    return text + "."


def reconcile_table(facts):
    """The reconciliation's table (nothing without a proposed establishment)."""
    from lib.present import table

    got = reconcile(facts)
    if got is None:
        return None
    target = fmt_int(got[1]["target"].iloc[0])
    return table(got, caption=f"The force's figure of {target}: the value of each assumption alone that gives it, and "
                              "what the data show")


def model_check(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The response model against what happened: per grade, achieved and predicted, error, bias and officers."""
    c = facts.get("irt_check")
    if c is None or c.empty:
        return None
    return lay_out(c, [Column("incidents", "grade"), Column("target (min)", "target_minutes", partial(fmt_number, digits=0)),
                     Column("n", "incidents", fmt_int), Column("attended in target (achieved)", "achieved_pct", fmt_percent),
                     Column("model's prediction", "predicted_pct", fmt_percent),
                     Column("bias (points)", "bias_points", fmt_points),
                     Column("mean error an hour (points)", "mae_points", fmt_number),
                     Column("from chance alone (points)", "chance_mae_points", fmt_number),
                     Column("officers on duty for calls, mean", "officers_on_duty", fmt_number),
                     Column("officers the model needed, mean", "officers_needed", fmt_number)]), c


def _check_rows(facts):
    c = facts.get("irt_check")
    return None if c is None or c.empty else c.set_index("grade")


def check_reading(facts, params: Params) -> str:
    """One sentence for the verdict: whether the model behind the requirement reproduces what happened, and by how much
    it misses ('' when it could not be checked)."""
    c = _check_rows(facts)
    if c is None:
        return ""
    imm = c.loc["immediate"]
    if abs(imm["bias_points"]) <= params.irt.check_tolerance_points:
        return (f"The model behind it reproduces what happened: for the officers in post it predicts "
                f"{fmt_percent(imm['predicted_pct'])} of immediate incidents attended in target against "
                f"{fmt_percent(imm['achieved_pct'])} achieved.")
    way, reads = ("pessimistic", "too high") if imm["bias_points"] < 0 else ("optimistic", "too low")
    text = (f"The model behind it does not reproduce what happened: for the officers in post it predicts "
            f"{fmt_percent(imm['predicted_pct'])} of immediate incidents attended in target against "
            f"{fmt_percent(imm['achieved_pct'])} achieved, {way} by {fmt_number(abs(imm['bias_points']))} points, so "
            f"this requirement is likely {reads}.")
    calibrated = calibrated_row(facts)
    if calibrated is None:
        return text + " No workload factor within the range searched calibrates it."
    return text + (f" Calibrated so that it reproduces what was achieved (the officer workload it counts "
                   f"{assumption_value(calibrated['data_value'], '×')}), it needs {fmt_int(calibrated['required_at_data'])}.")


def calibrated_row(facts):
    """The reconciliation's calibration of the model to what happened, or None."""
    r = facts.get("irt_reconcile")
    if r is None or r.empty:
        return None
    row = r.set_index("assumption").loc["workload_factor"] if (r["assumption"] == "workload_factor").any() else None
    return None if row is None or pd.isna(row["data_value"]) else row


def check_sentence(facts, params: Params) -> str:
    """The response model check in words: officers, predicted against achieved, bias, and what a miss means."""
    c = _check_rows(facts)
    if c is None:
        return ("The model could not be checked against what happened: neither a workforce export (inputs.workforce) "
                "nor a current establishment (irt.current_establishment) says how many officers there were.")
    key = facts["irt_key"].iloc[0]
    imm, pri = c.loc["immediate"], c.loc["priority"]
    text = (f"With the {fmt_int(imm['officers_in_post'])} officers in post ({imm['source']}) on {key['current_pattern']}, "
            f"about {fmt_number(imm['officers_on_duty'])} are on duty for calls in an average hour once abstractions "
            f"and {fmt_percent(params.irt.proactive_pct, 0)} protected proactive time are taken out. For them the model "
            f"predicts {fmt_percent(imm['predicted_pct'])} of immediate and {fmt_percent(pri['predicted_pct'])} of "
            f"priority incidents attended in target in {month_label(params.period)}; {fmt_percent(imm['achieved_pct'])} "
            f"and {fmt_percent(pri['achieved_pct'])} were. The bias is {fmt_points(imm['bias_points'])} and "
            f"{fmt_points(pri['bias_points'])} points; the mean error an hour of the week is "
            f"{fmt_number(imm['mae_points'])} and {fmt_number(pri['mae_points'])} points, against "
            f"{fmt_number(imm['chance_mae_points'])} and {fmt_number(pri['chance_mae_points'])} that chance alone "
            "would give. ")
    tolerance = params.irt.check_tolerance_points
    if abs(imm["bias_points"]) <= tolerance and abs(pri["bias_points"]) <= tolerance:
        return text + f"With a bias within {fmt_number(tolerance)} points the model reproduces what happened."
    more = 100 * (imm["officers_needed"] / imm["officers_on_duty"] - 1)
    if imm["bias_points"] < 0:
        return text + (f"The model is pessimistic: to reproduce what was achieved it needs "
                       f"{fmt_number(imm['officers_needed'])} officers on duty for calls in an average hour, not "
                       f"{fmt_number(imm['officers_on_duty'])} ({fmt_percent(more, 0)} more). More officers answer "
                       "calls than it counts (other teams, officers on protected time, supervisors), immediate "
                       "incidents are served ahead of others rather than in turn, or jobs hold officers for less time "
                       "than time on scene suggests; close to its limit an Erlang queue turns a few officers into "
                       "many points. Until it is calibrated, read the requirement as an upper figure.")
    return text + (f"The model is optimistic: it expects better attendance than was achieved, so the requirement it "
                   f"gives is likely too low (to reproduce what was achieved it needs {fmt_number(imm['officers_needed'])} "
                   f"officers on duty for calls in an average hour against {fmt_number(imm['officers_on_duty'])}).")


def model_check_figure(facts):
    """Predicted against achieved by hour of the week (nothing when the model could not be checked)."""
    from lib.present.charts import incident_response as charts

    return charts.model_check(facts["irt_check_hours"]) if _check_rows(facts) is not None else None


def model_check_table(facts):
    """The check's table (nothing when the model could not be checked)."""
    from lib.present import table

    got = model_check(facts)
    return table(got, caption="The response model against what happened: the period's incidents attended in target, "
                              "achieved and predicted for the officers in post") if got else None


def model_check_download(facts):
    """Every hour of the week of the check, as a CSV (nothing when the model could not be checked)."""
    from lib.present import download

    if _check_rows(facts) is None:
        return None
    return download(facts["irt_check_hours"], "irt-model-check", "Every hour of the week: incidents, achieved and "
                    "predicted share in target, officers on duty for calls and officers the model needed")


def options(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Workable rotas of whole officers and the current and proposed establishments, side by side, with the cost."""
    o = facts.get("irt_options")
    if o is None or o.empty:
        return None
    return lay_out(o, [Column("option", "option"), Column("shifts", "shifts", or_dash), Column("officers", "officers", fmt_int),
                     Column("for calls", "for_calls", _whole_or_dash),
                     Column("for protected time", "for_protected_time", _whole_or_dash),
                     Column("cycle (weeks)", "weeks", _whole_or_dash), Column("annual cost", "annual_cost", fmt_money),
                     Column("against the cheapest rota", ("kind", "cheapest", "vs_cheapest"), _against),
                     Column("solver", "solver", or_dash)]), o


def options_sentence(facts, params: Params) -> str:
    """The response options in words: each workable rota's officers and cost, and where 315 and 350 stand."""
    o = facts.get("irt_options")
    if o is None or o.empty or not (o["kind"] == "rota").any():
        return "No response pattern is set as a rota (irt.rotas), so no workable rota is costed."
    rotas = o[o["kind"] == "rota"]
    parts = [f"{r['option']} needs {fmt_int(r['officers'])} officers ({fmt_int(r['for_calls'])} for calls, "
             f"{fmt_int(r['for_protected_time'])} for protected time; {fmt_money(r['annual_cost'])} a year)"
             for _, r in rotas.iterrows()]
    best = o[o["cheapest"]].iloc[0]
    text = ("As rotas officers can work (whole officers in teams under the working-time rules), " + "; ".join(parts)
            + f". The cheapest is {best['option']}.")
    for _, r in o[o["kind"] == "establishment"].iterrows():
        gap = r["vs_cheapest"]
        # "than the cheapest rota needs (394)": the rota's need, which differs from the modelled requirement
        # (verdict_sentence) by whole officers and teams; the board sees which is meant.
        need = f"the cheapest rota needs ({fmt_int(best['officers'])})"
        against = (f"as many officers as {need}" if gap == 0 else
                   f"{fmt_int(abs(gap))} {'fewer' if gap < 0 else 'more'} officers than {need}")
        text += (f" The {r['option']} of {fmt_int(r['officers'])} costs {fmt_money(r['annual_cost'])} a year: {against}; "
                 f"{_signed_cost(r['annual_cost'] - best['annual_cost'])}.")
    return text


def _against(kind: str, cheapest: bool, value: float) -> str:
    """A rota needs more officers than the cheapest; an establishment has officers to spare or is short."""
    if cheapest:
        return DASH
    if kind == "rota" or value >= 0:
        return f"{fmt_int(value)} more officers"
    return f"{fmt_int(-value)} fewer officers"


def _signed_cost(value: float) -> str:
    return f"{fmt_money(abs(value))} a year {'more' if value >= 0 else 'less'}"
