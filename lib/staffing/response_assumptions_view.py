"""The response establishment's assumptions, presented from their facts (``irt_joint``, ``irt_reconcile``):
together, and the force's own figure reconciled (:mod:`lib.staffing.response_assumptions`)."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.present import fmt_int, fmt_number, fmt_percent


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
    shown = pd.DataFrame({"draws": j["draws"].map(fmt_int), "seed": j["seed"].map(fmt_int),
                          "requirement, 5th percentile": j["q05"].map(fmt_int), "median": j["q50"].map(fmt_int),
                          "95th percentile": j["q95"].map(fmt_int),
                          "chance the current is enough": j["current_enough_pct"].map(fmt_percent),
                          "chance the proposed is enough": j["proposed_enough_pct"].map(fmt_percent)})
    return shown, j


def _value(value: float, unit: str) -> str:
    return "none in the range searched" if pd.isna(value) else assumption_value(value, unit, 1)


def reconcile(facts) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The force's figure reconciled: per assumption, the value that reproduces it and what the data show."""
    r = facts.get("irt_reconcile")
    if r is None or r.empty:
        return None
    shown = pd.DataFrame({"assumption": r["what"],
                          "as stated": [assumption_value(v, u) for v, u in zip(r["base"], r["unit"])],
                          "value that gives the figure": [_value(v, u) for v, u in zip(r["value"], r["unit"])],
                          "requirement there": [fmt_int(v) if not pd.isna(v) else "–" for v in r["required_at_value"]],
                          "what the data show": [_value(v, u) if not pd.isna(v) else "not in the data"
                                                 for v, u in zip(r["data_value"], r["unit"])],
                          "from": r["data_what"],
                          "requirement at what the data show": [fmt_int(v) if not pd.isna(v) else "–"
                                                                for v in r["required_at_data"]]})
    return shown, r


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
