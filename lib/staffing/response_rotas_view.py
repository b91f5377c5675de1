"""Workable response rotas, costed, presented from their facts (``irt_options``: :mod:`lib.staffing.response_rotas`)."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import fmt_int, fmt_money


def options(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Workable rotas of whole officers and the current and proposed establishments, side by side, with the cost."""
    o = facts.get("irt_options")
    if o is None or o.empty:
        return None

    def whole(v):
        return "–" if pd.isna(v) else fmt_int(v)

    shown = pd.DataFrame({"option": o["option"], "shifts": o["shifts"].fillna("–"), "officers": o["officers"].map(fmt_int),
                          "for calls": o["for_calls"].map(whole), "for protected time": o["for_protected_time"].map(whole),
                          "cycle (weeks)": o["weeks"].map(whole), "annual cost": o["annual_cost"].map(fmt_money),
                          "against the cheapest rota": [_against(k, c, v) for k, c, v in
                                                        zip(o["kind"], o["cheapest"], o["vs_cheapest"])],
                          "solver": o["solver"].fillna("–")})
    return shown, o


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
        # (incident_response_view.verdict_sentence) by whole officers and teams; the board sees which is meant.
        need = f"the cheapest rota needs ({fmt_int(best['officers'])})"
        against = (f"as many officers as {need}" if gap == 0 else
                   f"{fmt_int(abs(gap))} {'fewer' if gap < 0 else 'more'} officers than {need}")
        text += (f" The {r['option']} of {fmt_int(r['officers'])} costs {fmt_money(r['annual_cost'])} a year: {against}; "
                 f"{_signed_cost(r['annual_cost'] - best['annual_cost'])}.")
    return text


def _against(kind: str, cheapest: bool, value: float) -> str:
    """A rota needs more officers than the cheapest; an establishment has officers to spare or is short."""
    if cheapest:
        return "–"
    if kind == "rota" or value >= 0:
        return f"{fmt_int(value)} more officers"
    return f"{fmt_int(-value)} fewer officers"


def _signed_cost(value: float) -> str:
    return f"{fmt_money(abs(value))} a year {'more' if value >= 0 else 'less'}"
