"""The control room's one answer: re-roster, recruit, or both, from options compared like for like.

Every option is measured the same way, in call handlers on the phones per hour of the week against the
agents the Erlang model needs (all routes), and costed by the same rule (the control room's annual cost
of paid hours):

* **now**: with a telephony export (``inputs.staffing``), the staff actually logged on, summed over
  routes and averaged per hour of the week over the period, so under-cover is what happened, not what
  the settings' pattern says; their paid hours are the logged-on hours ÷ (1 − shrinkage). Without it, the current
  pattern (``fcr.current_pattern``), and the chapter says so. The settings' pattern is listed beside
  the export for reference. People now = paid hours ÷ contracted hours (full-time equivalents);
* **rotas**: the rota of whole people under the working-time rules (:mod:`lib.staffing.rota`) on the
  rota's own shifts and on each of ``fcr.rota_options`` (8-, 10-, 12-hour shifts, the current
  pattern's own shifts), each covering every hour. Rostered cover is on the phones as
  ⌊cover × (1 − shrinkage)⌋. Each of a rota's people is paid their contracted hours
  (``fcr.contracted_hours_per_week``), so a rota costs people × contracted hours, even where its lines
  average fewer hours than that (whole people, not hours, are recruited).

The answer: the cheapest rota that covers every hour (fewer people on a tie). If it needs no more
people than now, **re-roster**; if it needs more, **re-roster and recruit** the difference (whole
people, rounded up) — or **recruit** alone when the cheapest is the current pattern's own shifts; if
today's staffing already covers every hour at no more cost, **no change**.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.staffing import rota
from lib.staffing.model_check import EXPORT
from lib.staffing.rota_rules import RotaParams

NOW_LOGGED, NOW_PATTERN = "now: staff logged on (telephony export)", "now: current pattern (settings)"
COLUMNS = ["option", "kind", "shift_hours", "people", "paid_hours", "annual_cost", "hours_under", "staff_hours_short",
           "solver", "gap_pct", "people_vs_now", "cost_vs_now", "recommended", "action", "recruit"]


def logged_on(check_hours: pd.DataFrame) -> np.ndarray | None:
    """Staff logged on per hour of the week (all routes, the period's mean), or None without the export."""
    if check_hours is None or check_hours.empty or EXPORT not in set(check_hours["source"]):
        return None
    h = check_hours[check_hours["source"] == EXPORT]
    return h.groupby("how")["staff_on_duty"].sum().reindex(range(168), fill_value=0.0).to_numpy(dtype=float)


def on_phones(cover, params: Params) -> np.ndarray:
    """Rostered cover on the phones: ⌊cover × (1 − shrinkage)⌋, as the service level is worked out."""
    return np.floor(np.asarray(cover, dtype=float) * (1 - params.fcr.shrinkage) + 1e-9)


def _lengths(shifts) -> str:
    return "/".join(str(n) for n in sorted({s.length_hours for s in shifts}))


def _row(option: str, kind: str, hours: str, phones: np.ndarray, need: np.ndarray, paid: float, people: float,
         cost: float, solver: str = "", gap_pct: float = np.nan) -> dict:
    """One option: ``phones`` on the phones per hour of the week against ``need`` agents."""
    short = np.clip(need - np.asarray(phones, dtype=float), 0, None)
    return {"option": option, "kind": kind, "shift_hours": hours, "people": people, "paid_hours": paid,
            "annual_cost": cost, "hours_under": int((short > 1e-9).sum()), "staff_hours_short": float(short.sum()),
            "solver": solver, "gap_pct": gap_pct}


def rotas(need: np.ndarray, base: rota.Rota, params: Params) -> list[tuple[str, rota.Rota]]:
    """The rota on ``fcr.rota``'s shifts (already solved: ``base``) and on each of ``fcr.rota_options``."""
    out = [(f"rota: {_lengths(base.params.shifts)}-hour shifts", base)]
    for i, option in enumerate(params.fcr.rota_options):
        rules = RotaParams.from_mapping(params.fcr.rota_rules(option), where=f"fcr.rota_options[{i}]")
        out.append((f"rota: {option.name}", rota.solve(need, rules)))
    return out


def _decide(frame: pd.DataFrame, current_shifts: str) -> pd.DataFrame:
    """Mark the recommended option and the action on it (module notes)."""
    now = frame[frame["kind"] == "now"].iloc[0]
    full = frame[(frame["kind"] == "rota") & (frame["hours_under"] == 0)]
    frame["recommended"] = False
    frame["action"] = ""
    frame["recruit"] = 0
    if now["hours_under"] == 0 and (full.empty or now["annual_cost"] <= full["annual_cost"].min()):
        frame.loc[now.name, ["recommended", "action"]] = [True, "no change"]
        return frame
    if full.empty:
        return frame
    best = full.sort_values(["annual_cost", "people"], kind="stable").iloc[0]
    recruit = max(0, math.ceil(best["people"] - now["people"] - 1e-9))
    if recruit == 0:
        action = "re-roster"
    else:
        action = "recruit" if best["option"] == current_shifts else "re-roster and recruit"
    frame.loc[best.name, ["recommended", "action", "recruit"]] = [True, action, recruit]
    return frame


def compute(requirement: pd.DataFrame, check_hours: pd.DataFrame | None, base: rota.Rota, pattern: np.ndarray | None,
            params: Params, annual_cost) -> pd.DataFrame:
    """The options table (``fcr_options``): now (logged on, and the settings' pattern, whose cover per hour of the
    week is ``pattern``), and each rota, with people, paid hours, annual cost (``annual_cost``: paid hours a week →
    £ a year), under-cover, and the one recommended with its action (re-roster / recruit / both)."""
    need = requirement["agents"].to_numpy(dtype=float)
    hours_week = params.fcr.contracted_hours_per_week
    rows = []
    logged = logged_on(check_hours)
    if logged is not None:
        paid = float(logged.sum()) / (1 - params.fcr.shrinkage)
        rows.append(_row(NOW_LOGGED, "now", "as worked", logged, need, paid, paid / hours_week, annual_cost(paid)))
    if pattern is not None:
        paid = float(np.sum(pattern))
        hours = _lengths(params.fcr.current_pattern)
        rows.append(_row(NOW_PATTERN, "now" if logged is None else "reference", hours, on_phones(pattern, params), need,
                         paid, paid / hours_week, annual_cost(paid)))
    for name, r in rotas(requirement["rostered"].to_numpy(dtype=float), base, params):
        rows.append(_row(name, "rota", _lengths(r.params.shifts), on_phones(r.cover, params), need, float(r.paid_hours),
                         float(r.people), annual_cost(max(float(r.paid_hours), r.people * hours_week)),
                         "proved optimal" if r.status == "OPTIMAL" else "time limit", 100 * r.gap))
    frame = pd.DataFrame(rows)
    if not (frame["kind"] == "now").any():
        frame["people_vs_now"] = np.nan
        frame["cost_vs_now"] = np.nan
        frame["recommended"], frame["action"], frame["recruit"] = False, "", 0
        return frame[COLUMNS]
    now = frame[frame["kind"] == "now"].iloc[0]
    frame["people_vs_now"] = frame["people"] - now["people"]
    frame["cost_vs_now"] = frame["annual_cost"] - now["annual_cost"]
    current_shifts = next((f"rota: {o.name}" for o in params.fcr.rota_options
                           if sorted((s.start_hour, s.length_hours) for s in o.shifts)
                           == sorted((s.start_hour, s.length_hours) for s in params.fcr.current_pattern)), None)
    return _decide(frame, current_shifts)[COLUMNS]
