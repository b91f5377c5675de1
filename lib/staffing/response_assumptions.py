"""How sure is the response establishment? Its assumptions one at a time, together, and the force's own figure.

The requirement (:func:`lib.staffing.incident_response.required`) rests on five assumptions: abstractions,
protected proactive time, travel to scene, growth in demand and the share of officer jobs reached in time.
Each has a stated value and a documented low-high range (``irt.sensitivity``; the ranges a force sets
from its HR data and travel-time analysis). This module reads the requirement three ways:

1. **one at a time** (:func:`sensitivity`): each assumption at its low and high value, the others as stated;
2. **together** (:func:`joint`): a seeded Monte Carlo. Each draw takes every assumption at once from a
   triangular distribution over its range, peaked at the stated value (the range's ends are the least
   likely; a stated value outside its range falls back to uniform), independently; the share of draws whose
   requirement a given establishment meets is the chance it is enough, with its Monte Carlo standard error
   √(p (1 − p) / n). Deterministic: ``irt.joint_seed``, ``irt.joint_draws``;
3. **the force's own figure reconciled** (:func:`reconcile`): for each assumption alone, the value that
   brings the requirement down (or up) to the figure (``irt.proposed_establishment``: the force's 350),
   found by bisection within :data:`SEARCH` (the requirement never falls as an assumption rises), set
   beside what the data show for it — median immediate response time for travel (travel is part of it),
   the share of immediate incidents attended in target for the share reached in time, the change in
   attended incidents on the same weeks a year before for growth — or "not in the data" for abstractions
   (HR data) and protected time (a policy choice); and the officer workload the model counts (a factor on
   its jobs) beside the factor that calibrates the model to what happened (:func:`calibrate`: its prediction
   for the officers in post equals the attendance achieved), with the requirement at that factor.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*, Wiley, ch. 1 (one-at-a-time ranges miss
what assumptions do together; sample them jointly).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.inputs.loading import Loaded
from lib.staffing import incident_response, response_check
from lib.vocabulary import ATTENDED_GRADES

# The assumptions the establishment is most sensitive to: (key in irt.sensitivity, what it is, unit).
SENSITIVITY = (
    ("abstraction_pct", "abstractions (leave, training, sickness)", "% of contracted time"),
    ("proactive_pct", "protected proactive time", "% of time on duty"),
    ("travel_minutes", "travel to scene", "minutes"),
    ("demand_growth_pct", "growth in incident demand", "%"),
    ("attend_probability", "officer jobs reached in time", "share"),
)
# Where the reconciliation looks for a value that reproduces the force's figure (each assumption alone).
SEARCH = {"abstraction_pct": (0.0, 60.0), "proactive_pct": (0.0, 60.0), "travel_minutes": (0.0, 14.9),
          "demand_growth_pct": (-60.0, 60.0), "attend_probability": (0.5, 0.99)}
_BISECT_STEPS = 24
# Where an assumption the data do not hold would come from.
NOT_IN_DATA = {"abstraction_pct": "HR records (not an input of the report)", "proactive_pct": "a policy choice",
               "travel_minutes": "no incidents of the grade", "attend_probability": "no incidents of the grade",
               "demand_growth_pct": "history shorter than a year and a quarter"}


def abstraction(params: Params) -> float:
    """Leave + training + sickness, % of contracted time."""
    p = params.irt
    return p.annual_leave_pct + p.training_pct + p.sickness_pct


def variant(params: Params, values: dict[str, float]) -> tuple[Params, float]:
    """(params with the assumptions in ``values`` set, demand factor); abstractions keep their split."""
    p = params.irt
    change, factor = {}, 1.0
    for key, value in values.items():
        if key == "demand_growth_pct":
            factor = 1 + value / 100
        elif key == "abstraction_pct":
            scale = value / abstraction(params)
            change.update(annual_leave_pct=p.annual_leave_pct * scale, training_pct=p.training_pct * scale,
                          sickness_pct=p.sickness_pct * scale)
        else:
            change[key] = value
    return (params.model_copy(update={"irt": p.model_copy(update=change)}) if change else params), factor


def base_value(params: Params, key: str) -> float:
    """An assumption's value in the params (demand growth: 0)."""
    if key == "abstraction_pct":
        return abstraction(params)
    if key == "demand_growth_pct":
        return 0.0
    return float(getattr(params.irt, key))


def required_at(incidents: pd.DataFrame, params: Params, values: dict[str, float]) -> int:
    """The establishment the current pattern needs with the assumptions in ``values``, the others as stated."""
    changed, factor = variant(params, values)
    return incident_response.required(incidents, changed, factor)


def sensitivity(incidents: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The required establishment with each assumption at its low and at its high value (``irt.sensitivity``),
    the others as stated: one row per assumption, widest swing first."""
    rows = []
    for key, what, unit in SENSITIVITY:
        low, high = getattr(params.irt.sensitivity, key)
        rows.append({"assumption": key, "what": what, "unit": unit, "base": base_value(params, key), "low": low,
                     "high": high, "at_low": required_at(incidents, params, {key: low}),
                     "at_high": required_at(incidents, params, {key: high})})
    out = pd.DataFrame(rows)
    swing = (out["at_high"] - out["at_low"]).abs()
    return out.iloc[np.argsort(-swing.to_numpy(), kind="stable")].reset_index(drop=True)


def verdict(required_now: int, sens: pd.DataFrame, params: Params) -> pd.DataFrame:
    """One row: the requirement, the current and proposed establishments, the sensitivity's range, and in how many
    of the sensitivity's cases each establishment is enough."""
    cases = np.concatenate([sens["at_low"].to_numpy(), sens["at_high"].to_numpy()])
    row = {"required": required_now, "lowest": int(cases.min()) if cases.size else required_now,
           "highest": int(cases.max()) if cases.size else required_now, "cases": int(cases.size)}
    for name, value in (("current", params.irt.current_establishment), ("proposed", params.irt.proposed_establishment)):
        row[name] = np.nan if value is None else float(value)
        row[f"{name}_enough_cases"] = np.nan if value is None else int((cases <= value).sum())
    return pd.DataFrame([row])


def _draw(rng: np.random.Generator, low: float, mode: float, high: float, n: int) -> np.ndarray:
    if high <= low:
        return np.full(n, low)
    if not low <= mode <= high:
        return rng.uniform(low, high, n)
    return rng.triangular(low, mode, high, n)


def joint(incidents: pd.DataFrame, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every assumption varied at once over its range (module notes): (draws: one row a draw with each assumption's
    value and the requirement; summary: one row with the chance the current and proposed establishments are
    enough, their Monte Carlo standard errors and the requirement's 5th, 50th and 95th percentiles)."""
    p = params.irt
    rng = np.random.default_rng(p.joint_seed)
    n = p.joint_draws
    values = {}
    for key, _, _ in SENSITIVITY:  # one stream, in a fixed order: the same draws every run
        low, high = getattr(p.sensitivity, key)
        values[key] = _draw(rng, low, base_value(params, key), high, n)
    draws = pd.DataFrame(values)
    draws["required"] = [required_at(incidents, params, row) for row in draws.to_dict("records")]
    need = draws["required"].to_numpy(dtype=float)
    row = {"draws": n, "seed": p.joint_seed, "q05": float(np.quantile(need, 0.05)), "q50": float(np.median(need)),
           "q95": float(np.quantile(need, 0.95))}
    for name, value in (("current", p.current_establishment), ("proposed", p.proposed_establishment)):
        chance = np.nan if value is None else float((need <= value).mean())
        row[f"{name}_enough_pct"] = 100 * chance
        row[f"{name}_se_pct"] = 100 * np.sqrt(chance * (1 - chance) / n) if value is not None else np.nan
    return draws, pd.DataFrame([row])


def _boundary(incidents: pd.DataFrame, params: Params, key: str, target: int) -> tuple[float | None, int | None]:
    """(value, requirement there): the value of ``key`` nearest the stated one at which the requirement is at most
    ``target``, by bisection within SEARCH[key]; (None, None) if none there does."""
    lo, hi = SEARCH[key]
    base = min(max(base_value(params, key), lo), hi)
    if required_at(incidents, params, {key: base}) <= target:
        ok, bad = base, hi  # meets it already: how far the assumption can rise and still be met
        if required_at(incidents, params, {key: hi}) <= target:
            return hi, required_at(incidents, params, {key: hi})
    else:
        ok, bad = lo, base
        if required_at(incidents, params, {key: lo}) > target:
            return None, None
    for _ in range(_BISECT_STEPS):
        mid = (ok + bad) / 2
        if required_at(incidents, params, {key: mid}) <= target:
            ok = mid
        else:
            bad = mid
    return ok, required_at(incidents, params, {key: ok})


def data_values(incidents: pd.DataFrame, loaded: dict[str, Loaded], params: Params) -> dict[str, tuple[float, str]]:
    """What the data show for each assumption that the data hold: (value, what it is)."""
    out = {}
    imm = incidents[incidents["grade"] == "immediate"]
    if len(imm):
        out["travel_minutes"] = (float(imm["response_minutes"].median()),
                                 "median immediate response (travel is part of it)")
        within = (imm["response_minutes"] <= params.response.within("immediate")).mean()
        out["attend_probability"] = (float(within), "immediate incidents attended in target")
    i = loaded["incidents"].frame
    end = incidents["created_at"].max()
    weeks = pd.Timedelta(weeks=params.irt.demand_weeks)
    year = pd.Timedelta(weeks=52)
    attended = i["grade"].isin(ATTENDED_GRADES)
    before = attended & (i["created_at"] > end - year - weeks) & (i["created_at"] <= end - year)
    now = attended & (i["created_at"] > end - weeks) & (i["created_at"] <= end)
    if i["created_at"].min() <= end - year - weeks and before.sum():
        out["demand_growth_pct"] = (100 * (now.sum() / before.sum() - 1),
                                    "attended incidents against the same weeks a year earlier")
    return out


CALIBRATE = (0.2, 2.0)  # officer workload factors searched for the one that reproduces the attendance achieved


def calibrate(loaded: dict[str, Loaded], params: Params, quarter: pd.DataFrame) -> float | None:
    """The factor on officer workload (jobs per hour) at which the model's prediction of immediate incidents attended
    in target, for the officers in post, equals the share achieved (:mod:`lib.staffing.response_check`); bisection
    within CALIBRATE, the prediction falling as the workload rises. None when the check cannot run or no factor there
    reproduces it."""
    month = incident_response.period_incidents(loaded, params)
    shape = incident_response.current_shape(incident_response.requirement(quarter, params), params)
    workforce = loaded["workforce"].frame if "workforce" in loaded else None
    available = incident_response.available_hours(params)

    def bias(factor: float) -> float:
        req = incident_response.requirement(quarter, params, factor)
        _, summary = response_check.compute(month, req, req.attrs["job_minutes"], shape, available, workforce, params)
        return np.nan if summary.empty else float(summary.set_index("grade").loc["immediate", "bias_points"])

    lo, hi = CALIBRATE
    if not (bias(lo) >= 0 >= bias(hi)):  # NaN (no check) fails too
        return None
    for _ in range(_BISECT_STEPS):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if bias(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def reconcile(incidents: pd.DataFrame, loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """For each assumption alone, the value that reproduces the force's figure (``irt.proposed_establishment``)
    beside what the data show (module notes); empty without a proposed establishment."""
    target = params.irt.proposed_establishment
    columns = ["assumption", "what", "unit", "target", "base", "value", "required_at_value", "data_value", "data_what",
               "from_data", "required_at_data"]
    if target is None:
        return pd.DataFrame(columns=columns)
    data = data_values(incidents, loaded, params)
    rows = []
    for key, what, unit in SENSITIVITY:
        value, at = _boundary(incidents, params, key, target)
        seen, seen_what = data.get(key, (np.nan, NOT_IN_DATA[key]))
        rows.append({"assumption": key, "what": what, "unit": unit, "target": target, "base": base_value(params, key),
                     "value": np.nan if value is None else value, "required_at_value": np.nan if at is None else at,
                     "data_value": seen, "data_what": seen_what,
                     "from_data": np.nan if value is None or pd.isna(seen) else value - seen,
                     "required_at_data": np.nan if pd.isna(seen) else required_at(incidents, params, {key: seen})})
    rows.append(_workload_row(rows, incidents, loaded, params, target))
    return pd.DataFrame(rows, columns=columns)


def _workload_row(rows: list[dict], incidents: pd.DataFrame, loaded: dict[str, Loaded], params: Params,
                  target: int) -> dict:
    """The officer workload the model counts: the factor that gives the figure (from the demand row's value) beside
    the factor that calibrates the model to the attendance achieved, and the requirement at that factor."""
    growth = next(r for r in rows if r["assumption"] == "demand_growth_pct")["value"]
    value = np.nan if pd.isna(growth) else 1 + growth / 100
    calibrated = calibrate(loaded, params, incidents)
    return {"assumption": "workload_factor", "what": "officer workload the model counts", "unit": "×", "target": target,
            "base": 1.0, "value": value,
            "required_at_value": np.nan if pd.isna(value) else incident_response.required(incidents, params, value),
            "data_value": np.nan if calibrated is None else calibrated,
            "data_what": "the model calibrated to the attendance achieved with the officers in post" if calibrated
            is not None else "the model could not be calibrated (no check, or no factor reproduces the attendance)",
            "from_data": np.nan if pd.isna(value) or calibrated is None else value - calibrated,
            "required_at_data": np.nan if calibrated is None else incident_response.required(incidents, params, calibrated)}


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The facts: one at a time (``irt_sensitivity``), the verdict (``irt_verdict``), together (``irt_joint``,
    ``irt_joint_draws``) and the force's figure reconciled (``irt_reconcile``)."""
    quarter = incident_response.period_incidents(loaded, params, params.irt.demand_weeks)
    sens = sensitivity(quarter, params)
    draws, summary = joint(quarter, params)
    return {"irt_sensitivity": sens, "irt_verdict": verdict(incident_response.required(quarter, params), sens, params),
            "irt_joint": summary, "irt_joint_draws": draws, "irt_reconcile": reconcile(quarter, loaded, params)}
