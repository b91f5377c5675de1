"""The control-room chapter, presented from its facts (:func:`lib.staffing.control_room.compute`).

Every function here reads facts and returns what the page shows — (display table, numbers for the
CSV) or texts — formatted by the display rules of :mod:`lib.present.display`. Nothing is computed
twice: the summary quotes the same facts through the same functions.
"""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import DAYS, fmt_int, fmt_money, fmt_number, fmt_percent, month_label


def handling(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts, handling time and abandonment by route this period."""
    h = facts["fcr_handling"]
    shown = pd.DataFrame({"route": h["route"], "offered": [fmt_int(v) for v in h["offered"]],
                          "answered": [fmt_int(v) for v in h["answered"]],
                          "talk (s)": [fmt_number(v) for v in h["talk_seconds"]],
                          "wrap (s)": [fmt_number(v) for v in h["wrap_seconds"]],
                          "handling time (s)": [fmt_number(v) for v in h["aht_seconds"]],
                          "abandoned": [fmt_percent(v) for v in h["abandoned_pct"]]})
    return shown, h


def contacts_by_month(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts per month (rows) and route (columns)."""
    t = facts["fcr_contacts_by_month"].pivot(index="month", columns="route", values="contacts")
    return t.map(fmt_int).reset_index(), facts["fcr_contacts_by_month"]


def aht_by_hour(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Handling time (s) by hour of day and route, as the Erlang model uses it."""
    t = facts["fcr_aht"].pivot(index="hour", columns="route", values="aht_seconds")
    shown = t.map(lambda v: fmt_number(v, 0)).rename(columns=lambda r: f"{r} (s)").reset_index()
    return shown, facts["fcr_aht"]


def requirement_by_day(facts, routes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hour-by-hour requirement summarised per day: the full 168 hours are a CSV download."""
    r = facts["fcr_requirement"]
    rows = []
    for day in DAYS:
        d = r[r["day"] == day]
        short = (d["rostered"] - d["current_cover"]).clip(lower=0)
        row = {"day": day, "calls": fmt_int(sum(d[f"calls_{x}"].sum() for x in routes)),
               "peak need (rostered)": fmt_int(d["rostered"].max()), "lowest need": fmt_int(d["rostered"].min()),
               "hours under-covered now": fmt_int((short > 0).sum()), "staff-hours short now": fmt_int(short.sum())}
        for x in routes:
            row[f"lowest {x} answered in target now"] = fmt_percent(d[f"sl_now_{x}"].min())
        rows.append(row)
    return pd.DataFrame(rows), r


def gaps(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hours of the week under- and over-covered by the current pattern and the best fit."""
    g = facts["fcr_gaps"]
    shown = pd.DataFrame({"roster": g["roster"], "hours under-covered": g["hours_under"].map(fmt_int),
                          "staff-hours short": g["staff_hours_short"].map(fmt_int),
                          "hours over-covered": g["hours_over"].map(fmt_int),
                          "staff-hours spare": g["staff_hours_spare"].map(fmt_int)})
    return shown, g


def shifts(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best-fit roster: staff starting each shift."""
    s = facts["fcr_shifts"]
    return s.assign(hours=s["hours"].map(fmt_int), staff=s["staff"].map(fmt_int)), s


def _cost_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("cost ")] + ["annual_cost"]


def scenarios(facts, routes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demand v cost: each staffing scenario's service level and annual cost."""
    s = facts["fcr_scenarios"]
    shown = pd.DataFrame({"scenario": s["scenario"], "paid hours a week": s["paid_hours"].map(fmt_int)})
    for r in routes:
        shown[f"{r} answered in target"] = s[f"sl_{r}"].map(fmt_percent)
    for c in _cost_columns(s):
        shown[c.replace("cost ", "").replace("annual_cost", "annual cost")] = s[c].map(fmt_money)
    return shown, s


def assumptions(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best-fit roster re-fitted under other assumptions: paid hours and annual cost."""
    a = facts["fcr_assumptions"]
    shown = pd.DataFrame({"assumption": a["assumption"], "value": a["value_pct"].map(lambda v: fmt_percent(v, 0)),
                          "paid hours a week": a["paid_hours"].map(fmt_int)})
    for c in _cost_columns(a):
        shown[c.replace("cost ", "").replace("annual_cost", "annual cost")] = a[c].map(fmt_money)
    return shown, a


def backtest(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast accuracy on the last four weeks."""
    b = facts["fcr_backtest"]
    shown = pd.DataFrame({"route": b["route"], "hours tested": b["hours_tested"].map(fmt_int),
                          "mean absolute error: model": b["mae_model"].map(lambda v: fmt_number(v, 2)),
                          "mean absolute error: same hour last week": b["mae_naive"].map(lambda v: fmt_number(v, 2)),
                          "ratio (below 1: model better)": b["ratio"].map(lambda v: fmt_number(v, 2))})
    return shown, b


def key_figures(facts, params: Params) -> dict[str, str]:
    """The chapter's headline figures as text (the summary quotes the same ones)."""
    r, fit, s = facts["fcr_requirement"], facts["fcr_fit"].iloc[0], facts["fcr_scenarios"]
    current = s[s["scenario"] == "current pattern"]
    best = s[s["scenario"] == "best fit × 100%"]
    gap = facts["fcr_gaps"].set_index("roster").loc["current pattern"]

    def sl(frame, route):
        return fmt_percent(frame[f"sl_{route}"].iloc[0]) if len(frame) and f"sl_{route}" in frame else "no data"

    return {
        "peak_rostered": fmt_int(r["rostered"].max()), "min_rostered": fmt_int(r["rostered"].min()),
        "fit_paid_hours": fmt_int(fit["paid_hours"]),
        "fit_optimal": "proved optimal" if fit["optimal"] else "the best found within the time limit",
        "current_paid_hours": fmt_int(fit["current_paid_hours"]) if params.fcr.current_pattern else "no data",
        "current_hours_under": fmt_int(gap["hours_under"]), "current_short": fmt_int(gap["staff_hours_short"]),
        "current_sl_999": sl(current, "999"), "best_sl_999": sl(best, "999"),
    }


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    b = facts["fcr_backtest"]
    return {
        "period_label": month_label(params.period), **key_figures(facts, params),
        "forecast_ratio": ", ".join(f"{r} {fmt_number(v, 2)}" for r, v in zip(b["route"], b["ratio"])),
        "shrinkage": fmt_percent(100 * params.fcr.shrinkage, 0), "occupancy": fmt_percent(100 * params.fcr.max_occupancy, 0),
        "model": "Erlang A" if params.fcr.patience_seconds else "Erlang C",
    }


def service_level_targets(params: Params) -> dict[str, float]:
    """Each staffed route's service-level target (999 its own, the others the 101 standard)."""
    return {r: params.fcr.service_level_999 if r == "999" else params.fcr.service_level_101 for r in params.fcr.routes}
