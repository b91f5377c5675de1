"""The control-room chapter: demand, call-handler staffing, the rota and the model check.

Facts ``fcr_*`` from :func:`lib.staffing.control_room.compute` (Erlang C or A, the free best fit, the rota of
whole people, scenarios, the forecast and the model check against the staff logged on), and presented here.

How it presents them follows the facts: tables (each a pair, what the page shows and the numbers behind it),
sentences and the model's words.
"""
from __future__ import annotations

from functools import partial

import pandas as pd

from lib.config.schema import Params
from lib.present import DAYS, fmt_int, fmt_money, fmt_number, fmt_percent, fmt_points, month_label, or_dash
from lib.present.columns import Column, lay_out
from lib.staffing import control_room
from lib.staffing.rota_rules import RotaParams

NEEDS = ("contacts",)
AFTER: tuple[str, ...] = ()


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.control_room.compute`)."""
    return control_room.compute(loaded, params)


HANDLING = (Column("route", "route"), Column("offered", "offered", fmt_int), Column("answered", "answered", fmt_int),
            Column("talk (s)", "talk_seconds", fmt_number), Column("wrap (s)", "wrap_seconds", fmt_number),
            Column("handling time (s)", "aht_seconds", fmt_number), Column("abandoned", "abandoned_pct", fmt_percent))


def handling(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts, handling time and abandonment by route this period."""
    h = facts["fcr_handling"]
    return lay_out(h, HANDLING), h


def contacts_by_month(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts per month (rows) and route (columns)."""
    t = facts["fcr_contacts_by_month"].pivot(index="month", columns="route", values="contacts")
    return t.map(fmt_int).reset_index(), facts["fcr_contacts_by_month"]


def aht_by_hour(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Handling time (s) by hour of day and route, as the Erlang model uses it."""
    t = facts["fcr_aht"].pivot(index="hour", columns="route", values="aht_seconds")
    return t.map(lambda v: fmt_number(v, 0)).rename(columns=lambda r: f"{r} (s)").reset_index(), facts["fcr_aht"]


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


GAPS = (Column("roster", "roster"), Column("hours under-covered", "hours_under", fmt_int),
        Column("staff-hours short", "staff_hours_short", fmt_int), Column("hours over-covered", "hours_over", fmt_int),
        Column("staff-hours spare", "staff_hours_spare", fmt_int))


def gaps(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hours of the week under- and over-covered by the current pattern and the best fit."""
    g = facts["fcr_gaps"]
    return lay_out(g, GAPS), g


def shifts(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best-fit roster: staff starting each shift."""
    s = facts["fcr_shifts"]
    return s.assign(hours=s["hours"].map(fmt_int), staff=s["staff"].map(fmt_int)), s


def _costs(frame: pd.DataFrame) -> list[Column]:
    """A column per cost part (``cost <part>``), then the annual cost."""
    return [Column(c.removeprefix("cost "), c, fmt_money) for c in frame.columns if c.startswith("cost ")] + \
        [Column("annual cost", "annual_cost", fmt_money)]


def scenarios(facts, routes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demand v cost: each staffing scenario's service level and annual cost."""
    s = facts["fcr_scenarios"]
    return lay_out(s, [Column("scenario", "scenario"), Column("paid hours a week", "paid_hours", fmt_int),
                     *(Column(f"{r} answered in target", f"sl_{r}", fmt_percent) for r in routes), *_costs(s)]), s


def assumptions(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best-fit roster re-fitted under other assumptions: paid hours and annual cost."""
    a = facts["fcr_assumptions"]
    return lay_out(a, [Column("assumption", "assumption"), Column("value", "value_pct", partial(fmt_percent, digits=0)),
                     Column("paid hours a week", "paid_hours", fmt_int), *_costs(a)]), a


BACKTEST = (Column("route", "route"), Column("hours tested", "hours_tested", fmt_int),
            Column("mean absolute error: model", "mae_model", partial(fmt_number, digits=2)),
            Column("mean absolute error: same hour last week", "mae_naive", partial(fmt_number, digits=2)),
            Column("ratio (below 1: model better)", "ratio", partial(fmt_number, digits=2)))


def backtest(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast accuracy on the last four weeks."""
    b = facts["fcr_backtest"]
    return lay_out(b, BACKTEST), b


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
        "fit_optimal": solver_words(fit["optimal"], fit.get("gap_pct")),
        "current_paid_hours": fmt_int(fit["current_paid_hours"]) if params.fcr.current_pattern else "no data",
        "current_hours_under": fmt_int(gap["hours_under"]), "current_short": fmt_int(gap["staff_hours_short"]),
        "current_sl_999": sl(current, "999"), "best_sl_999": sl(best, "999"),
        "current_cost": fmt_money(current["annual_cost"].iloc[0]) if len(current) else "no data",
    }


def solver_words(proved: bool, gap_pct: float | None) -> str:
    """How sure the solver is, never more than it proved: 'proved optimal', 'within 0.8% of the best possible', or
    'the best found in the time allowed' (gap unknown)."""
    if proved:
        return "proved optimal"
    if gap_pct is None or pd.isna(gap_pct):
        return "the best found in the time allowed; how far from the best possible is not known"
    return f"within {fmt_percent(max(float(gap_pct), 0.1))} of the best possible"


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    b = facts["fcr_backtest"]
    return {
        "period_label": month_label(params.period), **key_figures(facts, params),
        "forecast_ratio": ", ".join(f"{r} {fmt_number(v, 2)}" for r, v in zip(b["route"], b["ratio"])),
        "shrinkage": fmt_percent(100 * params.fcr.shrinkage, 0), "occupancy": fmt_percent(100 * params.fcr.max_occupancy, 0),
        "model": model_name(params),
        "check_sentence": check_sentence(facts, params),
        "rota_sentence": rota_sentence(facts, params),
        "answer_sentence": answer_sentence(facts, params),
    }


def model_name(params: Params) -> str:
    """'Erlang C', 'Erlang A' or, when only some routes have a caller patience, 'Erlang A for 101, Erlang C for 999'."""
    a = [r for r in params.fcr.routes if params.fcr.patience(r)]
    c = [r for r in params.fcr.routes if not params.fcr.patience(r)]
    if not a or not c:
        return "Erlang A, callers hang up after a mean patience of " + ", ".join(
            f"{fmt_int(params.fcr.patience(r))} s ({r})" for r in a) if a else "Erlang C, callers never hang up"
    return f"Erlang A for {', '.join(a)}, Erlang C for {', '.join(c)}"


def service_level_targets(params: Params) -> dict[str, float]:
    """Each staffed route's service-level target (999 its own, the others the 101 standard)."""
    return {r: params.calls.standard(r).share for r in params.fcr.routes}


MODEL_CHECK = (Column("route", "route"), Column("staff on duty from", "source"), Column("calls offered", "calls", fmt_int),
               Column("answered in target (achieved)", "achieved_pct", fmt_percent),
               Column("model's prediction", "predicted_pct", fmt_percent),
               Column("mean error an hour (points)", "mae_points", fmt_number),
               Column("bias (points)", "bias_points", fmt_points),
               Column("staff on the phones, mean", "staff_on_duty", fmt_number),
               Column("staff the model needed, mean", "staff_needed", fmt_number))


def model_check(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model against what happened: per route and staff source, achieved and predicted, error and bias."""
    c = facts["fcr_check"]
    return lay_out(c, MODEL_CHECK), c


def _hours_pattern_short(facts, route: str) -> int:
    """Hours of the week in which the rostered pattern puts at least one fewer on the route than were logged on."""
    h = facts["fcr_check_hours"]
    h = h[h["route"] == route]
    export = h[h["source"] == "telephony export"].set_index("how")["staff_on_duty"]
    pattern = h[h["source"] == "rostered pattern"].set_index("how")["staff_on_duty"]
    return int(((export - pattern) >= 1).sum())


def check_sentence(facts, params: Params) -> str:
    """The model check in words: achieved against predicted, whether the model holds, and the reason for a gap."""
    from lib.staffing.model_check import EXPORT, PATTERN

    c = facts.get("fcr_check")
    if c is None or c.empty:
        return ("The model could not be checked against what happened: there is neither a telephony staffing export "
                "(inputs.staffing) nor a current pattern (fcr.current_pattern).")
    routes = [r for r in params.fcr.routes if r in set(c["route"])]
    first = c.drop_duplicates("route").set_index("route").loc[routes]
    measured = facts["measure_period"].set_index("measure_id")

    def both(column, fmt=fmt_percent, frame=first):
        return " and ".join(f"{fmt(frame.loc[r, column])} ({r})" for r in routes)

    answered = []
    for r, mid in (("999", "calls_999_answered_in_time"), ("101", "calls_101_answered_in_time")):
        if r in routes and mid in measured.index and measured.loc[mid, "status"] != "not supplied":
            answered.append(f"{fmt_percent(measured.loc[mid, 'value'])} ({r})")
    text = (f"Of the calls offered in {month_label(params.period)}, {both('achieved_pct')} were answered within target"
            + (f" (the scorecard counts answered calls only: {' and '.join(answered)})" if answered else "") + ". ")
    source = first["source"].iloc[0]
    tolerance, error = params.fcr.check_tolerance_points, params.fcr.check_error_points
    unbiased = bool((first["bias_points"].abs() <= tolerance).all())
    close = bool((first["mae_points"] <= error).all())
    holds = unbiased and close
    given = "the staff logged on (telephony export)" if source == EXPORT else "the rostered pattern (no telephony export)"
    text += (f"Given {given}, the model predicts {both('predicted_pct')}: a mean error of "
             f"{both('mae_points', fmt_number)} points an hour of the week, with a bias of {both('bias_points', fmt_points)}. ")
    if holds:
        text += (f"Within {fmt_number(error)} points an hour and a bias within {fmt_number(tolerance)}, the model "
                 "reproduces what happened. ")
    elif not unbiased:
        text += (f"With a bias beyond {fmt_number(tolerance)} points the model does not reproduce what happened: it "
                 f"is {'optimistic' if first['bias_points'].mean() > 0 else 'pessimistic'}. ")
    else:
        text += (f"Right on average, it is more than {fmt_number(error)} points out an hour: the staff it was given "
                 "were not where the calls were, or the model misjudges some hours. ")
    if source == EXPORT and PATTERN in set(c["source"]):
        pattern = c[c["source"] == PATTERN].set_index("route").loc[routes]
        short = " and ".join(f"{_hours_pattern_short(facts, r)} ({r})" for r in routes)
        text += (f"The current pattern as set out in the report's settings would give {both('predicted_pct', frame=pattern)}: it "
                 f"puts fewer staff on the phones than were logged on in {short} of the week's 168 hours, so the "
                 "pattern description, not the model, explains the gap.")
    elif source == PATTERN and not holds:
        text += (f"To achieve what was observed the model needs {both('staff_needed', fmt_number)} staff on the phones "
                 f"in an average hour against the pattern's {both('staff_on_duty', fmt_number)}: either more staff were "
                 "on duty than the pattern describes, or the model misjudges demand or handling time. A telephony "
                 "staffing export (inputs.staffing) would tell which.")
    return text.strip()


def rota_lines(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rota's pattern lines: person k works line k in week 1, line k + 1 in week 2, and so on."""
    lines = facts["fcr_rota_lines"]
    return lines.assign(line=lines["line"].map(fmt_int)), lines


ROTA_COMPARE = (Column("roster", "roster"), Column("paid hours a week", "paid_hours", fmt_int),
                Column("people", "people", fmt_int), Column("hours of the week fully covered", "pct_hours_covered", fmt_percent),
                Column("staff-hours short", "staff_hours_short", fmt_int), Column("annual cost", "annual_cost", fmt_money))


def rota_compare(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rota beside the free best fit: paid hours, people, cover and cost."""
    c = facts["fcr_rota_compare"]
    return lay_out(c, ROTA_COMPARE), c


def weekend_words(rules) -> str:
    """The rota's weekend rules in words: in every K weeks in a row (when set), and in the cycle."""
    cycle = (f"{fmt_int(rules.weekends_off_per_cycle)} full weekend{'s' * (rules.weekends_off_per_cycle != 1)} off in "
             "the cycle")
    if rules.weekend_off_every_weeks is None:
        return cycle
    every = (f"a full weekend off in every {fmt_int(rules.weekend_off_every_weeks)} weeks in a row (every window of "
             "the cycle)")
    return every if rules.weekends_off_per_cycle <= 1 else f"{every}, {cycle}"


def rota_sentence(facts, params: Params) -> str:
    """The rota in words: its rules, people, cost against the free best fit, and how sure the solver is."""
    r = facts["fcr_rota"].iloc[0]
    rules = RotaParams.from_mapping(params.fcr.rota_rules(), where="fcr.rota")
    compare = facts["fcr_rota_compare"].set_index("roster")
    shifts = ", ".join(s.label for s in rules.shifts)
    text = (f"As a rota people can work: a {fmt_int(r['weeks'])}-week cycle for {fmt_int(r['people'])} call handlers "
            f"on {shifts} shifts, with at least {fmt_int(rules.min_rest_hours)} hours' rest between shifts, at most "
            f"{fmt_int(rules.max_consecutive_days)} days in a row, " + weekend_words(rules))
    if rules.max_average_weekly_hours:
        text += f" and {fmt_number(rules.max_average_weekly_hours, 0)} hours a week on average at most"
    premium = compare.loc["rota", "paid_hours_vs_best_fit_pct"]
    text += (f". It rosters {fmt_int(r['paid_hours'])} hours a week ({fmt_money(r['annual_cost'])} a year, each person paid "
             f"their {fmt_number(params.fcr.contracted_hours_per_week, 0)} contracted hours), "
             f"{fmt_percent(premium)} {'more' if premium >= 0 else 'less'} than the free best fit's "
             f"{fmt_int(compare.loc['free best fit', 'paid_hours'])}, and covers "
             f"{fmt_percent(r['pct_hours_covered'])} of the week's hours in full. ")
    if r["status"] == "OPTIMAL":
        text += "The solver proved that no rota meeting these rules needs fewer people or hours."
    else:
        text += (f"The solver stopped at its time limit: no rota meeting these rules needs fewer than "
                 f"{fmt_int(r['people_bound'])} people, and this one is {solver_words(False, r['gap_pct'])}.")
    return text


def _people(value: float) -> str:
    """Full-time equivalents: a whole number as such, a part-time share to one place."""
    return fmt_number(value, 1 if value % 1 else 0)


OPTIONS = (Column("option", "option"), Column("shift hours", "shift_hours"),
           Column("call handlers (full-time)", "people", _people), Column("paid hours a week", "paid_hours", fmt_int),
           Column("annual cost", "annual_cost", fmt_money),
           Column("hours of the week short on the phones", "hours_under", fmt_int),
           Column("staff-hours short on the phones", "staff_hours_short", fmt_int), Column("solver", "solver", or_dash),
           Column("answer", "action", or_dash))


def options(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Today's staffing and every workable rota, like for like: people, paid hours, cost, hours short, the answer."""
    o = facts.get("fcr_options")
    if o is None or o.empty:
        return None
    return lay_out(o, OPTIONS), o


def _signed_money(value: float) -> str:
    return ("+" if value >= 0 else "−") + fmt_money(abs(value))


def answer_sentence(facts, params: Params) -> str:
    """The control room's one answer in words: re-roster, recruit N, or both, with the cost and the reason."""
    o = facts.get("fcr_options")
    if o is None or o.empty or not (o["kind"] == "now").any():
        return ("No answer can be given: neither a telephony staffing export (inputs.staffing) nor a current pattern "
                "(fcr.current_pattern) says what staffing there is now.")
    now = o[o["kind"] == "now"].iloc[0]
    logged = now["option"].startswith("now: staff logged on")
    what = (f"The staff logged on in {month_label(params.period)} (telephony export) came to "
            f"{fmt_number(now['people'])} full-time call handlers ({fmt_int(now['paid_hours'])} paid hours a week at "
            f"{fmt_percent(100 * params.fcr.shrinkage, 0)} shrinkage, {fmt_money(now['annual_cost'])} a year)"
            if logged else
            f"The current pattern (settings; no telephony export) pays {fmt_int(now['paid_hours'])} hours a week "
            f"({fmt_number(now['people'])} full-time call handlers, {fmt_money(now['annual_cost'])} a year)")
    what += (f" and left {fmt_int(now['hours_under'])} hours of the week short on the phones "
             f"({fmt_int(now['staff_hours_short'])} staff-hours). ")
    chosen = o[o["recommended"]]
    if chosen.empty:
        return what + "No rota in the settings covers every hour under the working-time rules."
    best = chosen.iloc[0]
    if best["action"] == "no change":
        return what + "It already covers every hour at no more cost than any workable rota: no change is needed."
    rotas = o[(o["kind"] == "rota") & ~o["recommended"]]
    others = "; ".join(f"{r['option'].removeprefix('rota: ')} {fmt_int(r['people'])} ({fmt_money(r['annual_cost'])})"
                       for _, r in rotas.iterrows())
    name = best["option"].removeprefix("rota: ")
    head = {"re-roster": "Re-roster", "recruit": f"Recruit {fmt_int(best['recruit'])}",
            "re-roster and recruit": f"Re-roster and recruit {fmt_int(best['recruit'])}"}[best["action"]]
    text = (what + f"{head}: the cheapest rota that covers every hour under the working-time rules is on {name}, "
            f"{fmt_int(best['people'])} call handlers and {fmt_money(best['annual_cost'])} a year "
            f"({_signed_money(best['cost_vs_now'])} a year against now)")
    if best["recruit"]:
        text += f", {fmt_int(best['recruit'])} more people than now"
    text += "." + (f" Like for like, the other shift lengths need: {others}." if others else "")
    if logged and (o["option"] == "now: current pattern (settings)").any():
        text += (" The current pattern as set out in the settings is not what was worked, so it is listed for "
                 "reference only.")
    return text
