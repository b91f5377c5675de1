"""Response rotas officers can work, costed: whole officers under working-time rules, beside 315 and 350.

The establishment waterfall (:func:`lib.staffing.incident_response.establishment`) scales a daily pattern
freely; nobody has to be able to work it. Here each pattern in ``irt.rotas`` becomes a rota of whole
officers (:mod:`lib.staffing.rota`, CP-SAT, as the control room's): teams of ``team_size`` officers working
pattern lines in turn, under its rules (rest between shifts, days in a row, weekends off in every K weeks,
average weekly hours).

* The rota covers, every hour of the week, the officers needed on duty for calls ÷ (1 − abstractions):
  officers rostered so that, after leave, training and sickness, enough are on duty. Its officers are the
  establishment for calls alone.
* Protected proactive time (``irt.proactive_pct`` of on-duty time) comes first from the rota's spare
  on-duty hours in ``irt.proactive_hours_of_day`` (on duty = cover × (1 − abstractions)), as in the
  waterfall; what they leave is added as whole officers at the hours an officer is available a week.
* Cost: officers × ``irt.officer_cost_gbp`` (a year, on-costs included), for each rota's requirement and
  for the current and proposed establishments, side by side (``irt_options``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.staffing import incident_response, rota
from lib.staffing.rota_rules import RotaParams


def abstraction_share(params: Params) -> float:
    """Leave + training + sickness as a share of contracted time."""
    p = params.irt
    return (p.annual_leave_pct + p.training_pct + p.sickness_pct) / 100


def workable(need: np.ndarray, name: str, rules, params: Params) -> dict:
    """One pattern as a rota of whole officers, with protected time: its row of ``irt_options``."""
    a = abstraction_share(params)
    r = rota.solve(np.asarray(need, dtype=float) / (1 - a), rules)
    on_duty = r.cover * (1 - a)
    share = params.irt.proactive_pct / 100
    spare = incident_response.spare_for_proactive(on_duty, need, params)
    extra_hours = max(0.0, (share * on_duty.sum() - spare) / (1 - share))
    extra = math.ceil(extra_hours / incident_response.available_hours(params) - 1e-9)
    officers = r.people + extra
    return {"option": name, "kind": "rota", "officers": officers, "for_calls": r.people, "for_protected_time": extra,
            "weeks": r.weeks, "team_size": rules.team_size, "shifts": ", ".join(s.label for s in rules.shifts),
            "paid_hours": r.paid_hours, "solver": "proved optimal" if r.status == "OPTIMAL" else "time limit",
            "gap_pct": 100 * r.gap, "annual_cost": officers * params.irt.officer_cost_gbp}


def compute(requirement: pd.DataFrame, params: Params, required_free: int | None = None) -> pd.DataFrame:
    """``irt_options``: each workable rota's officers and cost, then the required establishment of the free pattern
    (``required_free``, the waterfall's) and the current and proposed establishments' cost, each against the cheapest
    rota (officers more, to spare, or short: negative)."""
    need = requirement["officers needed"].to_numpy(dtype=float)
    rows = [workable(need, r.name, RotaParams.from_mapping(params.irt.rota_rules(r), where=f"irt.rotas[{i}].rules"), params)
            for i, r in enumerate(params.irt.rotas)]
    cheapest = min(rows, key=lambda row: (row["annual_cost"], row["officers"])) if rows else None
    if required_free is not None:
        rows.append({"option": "required, current pattern scaled freely (the waterfall)", "kind": "requirement",
                     "officers": required_free, "annual_cost": required_free * params.irt.officer_cost_gbp})
    for label, value in (("current establishment", params.irt.current_establishment),
                         ("proposed establishment", params.irt.proposed_establishment)):
        if value is not None:
            rows.append({"option": label, "kind": "establishment", "officers": value,
                         "annual_cost": value * params.irt.officer_cost_gbp})
    out = pd.DataFrame(rows, columns=["option", "kind", "officers", "for_calls", "for_protected_time", "weeks",
                                      "team_size", "shifts", "paid_hours", "solver", "gap_pct", "annual_cost"])
    out["cheapest"] = out["option"] == (cheapest["option"] if cheapest else None)
    out["vs_cheapest"] = out["officers"] - cheapest["officers"] if cheapest else np.nan
    return out
