"""The response model check, presented from its facts (``irt_check``, ``irt_check_hours``; the calibration in
``irt_reconcile``): :mod:`lib.staffing.response_check`, :func:`lib.staffing.response_assumptions.calibrate`."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import fmt_int, fmt_number, fmt_percent, fmt_points, month_label
from lib.staffing.response_assumptions_view import assumption_value


def model_check(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The response model against what happened: per grade, achieved and predicted, error, bias and officers."""
    c = facts.get("irt_check")
    if c is None or c.empty:
        return None
    shown = pd.DataFrame({"incidents": c["grade"], "target (min)": c["target_minutes"].map(lambda v: fmt_number(v, 0)),
                          "n": c["incidents"].map(fmt_int),
                          "attended in target (achieved)": c["achieved_pct"].map(fmt_percent),
                          "model's prediction": c["predicted_pct"].map(fmt_percent),
                          "bias (points)": c["bias_points"].map(fmt_points),
                          "mean error an hour (points)": c["mae_points"].map(fmt_number),
                          "from chance alone (points)": c["chance_mae_points"].map(fmt_number),
                          "officers on duty for calls, mean": c["officers_on_duty"].map(fmt_number),
                          "officers the model needed, mean": c["officers_needed"].map(fmt_number)})
    return shown, c


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
