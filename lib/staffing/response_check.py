"""Is the response model right? Its prediction for the officers the force had against the attendance achieved.

The response requirement (:mod:`lib.staffing.incident_response`) treats officer commitments as a
queue (Erlang C through :mod:`lib.staffing.queue`): officer jobs arrive at the mean rate of their hour
of the week, each holds an officer for the mean job time (travel + time on scene), and an incident is
reached in target when its job waits no longer than (target − travel). The check runs that model on
the officers the force actually had and compares what it predicts with what happened, as the control
room's check (:mod:`lib.staffing.model_check`) does for call handlers:

* officers in post: the workforce export's strength in the period (``inputs.workforce``), else the
  current establishment (``irt.current_establishment``), and the chapter says which;
* officers on duty for calls in each hour of the week: in post × hours available a week (after
  abstractions) × (1 − protected proactive share), spread over the week as the current pattern
  (the first of ``irt.patterns``) spreads its shifts. Command-and-control data holds no duty
  states, so this is the model's own view of who was on duty; fractional officers are interpolated
  linearly between the whole numbers either side;
* predicted share in target per hour of the week and grade (immediate, priority): the Erlang C
  probability that a job waits at most (grade target − travel) with those officers, at that hour's
  jobs per hour (the requirement's, over ``irt.demand_weeks`` weeks);
* achieved: the period's incidents of the grade created in that hour of the week, attended within
  the grade's target, of all of them (not attended counts as not in target, as the scorecard measure).

The error is predicted minus achieved, in percentage points, per hour of the week; its mean absolute
value and mean (the bias: above 0 the model is optimistic, below 0 pessimistic) are weighted by the
hour's incidents, so the bias equals predicted minus achieved over the period. With ten or so
incidents an hour of the week, sampling alone makes the hourly error large, so the mean absolute
error chance alone would give (a perfect model: √(2/π) × √(p (1 − p) / n) an hour, p the prediction)
is given beside it, and the model is judged on its bias.

The officers the model says were on duty to achieve what was observed, per hour of the week, are the
fewest whole officers whose predicted share is at least the achieved one (an achieved 100% is taken as
99.9%).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.staffing import queue

HIGHEST = 0.999
CHECKED = ("immediate", "priority")
WORKFORCE, ESTABLISHMENT = "the workforce export's strength", "the current establishment: no workforce export"


def officers_in_post(workforce: pd.DataFrame | None, params: Params) -> tuple[float | None, str | None]:
    """(officers, source): the export's strength in the period's month, else the current establishment, else (None, None)."""
    if workforce is not None:
        row = workforce[(workforce["month"] == params.period) & workforce["strength"].notna()]
        if len(row):
            return float(row["strength"].iloc[0]), WORKFORCE
    if params.irt.current_establishment is not None:
        return float(params.irt.current_establishment), ESTABLISHMENT
    return None, None


def on_duty_for_calls(in_post: float, shape: np.ndarray, available_hours: float, params: Params) -> np.ndarray:
    """Officers on duty for calls per hour of the week: in post × available hours × (1 − proactive share), spread as
    ``shape`` (the pattern's relative cover per hour of the week)."""
    shape = np.asarray(shape, dtype=float)
    weekly = in_post * available_hours * (1 - params.irt.proactive_pct / 100)
    return weekly * shape / shape.sum()


def predicted(on_duty, jobs, job_seconds: float, wait_seconds: float) -> np.ndarray:
    """Share of jobs reached within ``wait_seconds``: Erlang C, linear between the whole officers either side."""
    on_duty = np.asarray(on_duty, dtype=float)
    low = np.floor(on_duty + 1e-9)
    frac = np.clip(on_duty - low, 0, 1)
    sl_low = queue.service_level(low, jobs, job_seconds, wait_seconds)
    sl_high = queue.service_level(low + 1, jobs, job_seconds, wait_seconds)
    return sl_low + frac * (sl_high - sl_low)


def _achieved(incidents: pd.DataFrame, grade: str, target_minutes: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(incidents, attended within target, the share's clustered standard error) per hour of the week, for one grade.

    Incidents in one hour share its queue, so they are not independent: the standard error of an hour of the
    week's share treats each week's hour as one cluster (the ratio estimator's variance over weeks,
    W / (W − 1) Σ_w (x_w − p n_w)² / N²; NaN with fewer than two weeks).
    """
    sub = incidents[incidents["grade"] == grade]
    how = (sub["created_at"].dt.day_of_week * 24 + sub["created_at"].dt.hour).to_numpy()
    within = (sub["response_minutes"] <= target_minutes).fillna(False).to_numpy(dtype=float)
    week = ((sub["created_at"].dt.tz_localize(None) - pd.Timestamp("1970-01-05")).dt.days // 7).to_numpy()
    cells = pd.DataFrame({"how": how, "week": week, "within": within}).groupby(["how", "week"])["within"].agg(["size", "sum"])
    per_hour = cells.groupby(level="how").sum()
    share = (per_hour["sum"] / per_hour["size"]).reindex(cells.index.get_level_values("how")).to_numpy()
    resid = (cells["sum"].to_numpy() - share * cells["size"].to_numpy()) ** 2
    weeks = cells.groupby(level="how").size()
    ss = pd.Series(resid, index=cells.index).groupby(level="how").sum()
    var = (weeks / (weeks - 1)).where(weeks > 1) * ss / per_hour["size"] ** 2
    n = np.bincount(how, minlength=168).astype(float)
    return n, np.bincount(how, weights=within, minlength=168), np.sqrt(var.reindex(range(168)).to_numpy(dtype=float))


def _one_grade(grade: str, target: float, incidents: pd.DataFrame, jobs: np.ndarray, job_seconds: float,
               on_duty: np.ndarray, params: Params) -> tuple[pd.DataFrame, dict]:
    wait = max(target - params.irt.travel_minutes, 0) * 60
    n, within, se = _achieved(incidents, grade, target)
    model = predicted(on_duty, jobs, job_seconds, wait)
    has = n > 0
    achieved = np.divide(within, n, out=np.full(168, np.nan), where=has)
    levels = np.clip(np.nan_to_num(achieved, nan=0.0), 1e-6, HIGHEST)
    needed = np.full(168, np.nan)
    needed[has] = queue.required_agents(jobs[has], job_seconds, wait, levels[has])
    hours = pd.DataFrame({"how": range(168), "grade": grade, "incidents": n, "achieved_pct": 100 * achieved,
                          "predicted_pct": 100 * np.where(has, model, np.nan), "officers_on_duty": on_duty,
                          "officers_needed": needed})
    err, w = 100 * (model - achieved)[has], n[has]
    chance = 100 * np.sqrt(2 / np.pi) * se[has]  # E|error| of a perfect model: √(2/π) × standard error
    known = ~np.isnan(chance)
    total = n.sum()
    row = {"grade": grade, "target_minutes": target, "incidents": int(total),
           "achieved_pct": 100 * within.sum() / total if total else np.nan,
           "predicted_pct": 100 * float((model * n).sum() / total) if total else np.nan,
           "mae_points": float(np.average(np.abs(err), weights=w)) if total else np.nan,
           "bias_points": float(np.average(err, weights=w)) if total else np.nan,
           "chance_mae_points": float(np.average(chance[known], weights=w[known])) if known.any() else np.nan,
           "officers_on_duty": float(on_duty.mean()), "officers_needed": float(np.mean(needed[has])) if total else np.nan}
    return hours, row


COLUMNS = ["grade", "target_minutes", "incidents", "achieved_pct", "predicted_pct", "mae_points", "bias_points",
           "chance_mae_points", "officers_on_duty", "officers_needed", "officers_in_post", "source"]


def compute(incidents: pd.DataFrame, requirement: pd.DataFrame, job_minutes: float, shape: np.ndarray,
            available_hours: float, workforce: pd.DataFrame | None, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The check for immediate and priority incidents.

    Parameters
    ----------
    incidents : DataFrame
        The period's incidents with ``response_minutes`` (:func:`lib.staffing.incident_response.period_incidents`).
    requirement : DataFrame
        The requirement's 168 rows (``officer jobs per hour``).
    job_minutes : float
        Mean officer time per job (travel + on scene), minutes.
    shape : array of 168
        The current pattern's relative cover per hour of the week.
    available_hours : float
        Hours a week an officer is available after abstractions.
    workforce : DataFrame or None
        The workforce export (month, strength, ...), if supplied.

    Returns
    -------
    hours : DataFrame
        Per hour of the week and grade: incidents, achieved_pct, predicted_pct, officers_on_duty, officers_needed.
    summary : DataFrame
        Per grade: the period's incidents, achieved and predicted %, mean error, bias and the mean error chance
        alone would give (points), officers on duty and needed (means over the week), officers in post and their
        source. Empty when neither a workforce export nor a current establishment says how many officers there were.
    """
    in_post, source = officers_in_post(workforce, params)
    if in_post is None:
        return pd.DataFrame(), pd.DataFrame(columns=COLUMNS)
    on_duty = on_duty_for_calls(in_post, shape, available_hours, params)
    jobs = requirement["officer jobs per hour"].to_numpy(dtype=float)
    targets = params.response.attend_within_minutes
    hours, rows = [], []
    for grade in CHECKED:
        h, row = _one_grade(grade, targets[grade], incidents, jobs, job_minutes * 60, on_duty, params)
        hours.append(h)
        rows.append({**row, "officers_in_post": in_post, "source": source})
    return pd.concat(hours, ignore_index=True), pd.DataFrame(rows, columns=COLUMNS)
