"""Workable response rotas, costed: protected time by hand, whole officers, and the options table's invariants."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.staffing import response_rotas, rota

RULES = {"shifts": [{"name": "Early", "start_hour": 6, "length_hours": 8}, {"name": "Late", "start_hour": 14,
                                                                             "length_hours": 8},
                    {"name": "Night", "start_hour": 22, "length_hours": 8}],
         "max_lines": 60, "time_limit_seconds": 5, "max_average_weekly_hours": 40}


def test_flat_need_by_hand(default_params):
    """Need 6 on duty every hour, abstractions 27%: the rota covers 6 / 0.73 = 8.2 → 9 rostered every hour. On duty
    9 × 0.73 = 6.57 an hour; spare 0.57 × 98 usable hours (08-22) = 55.86 h; protected time 20% of 1,103.76 h =
    220.75 h; added (220.75 − 55.86) / 0.8 = 206.1 h → 206.1 / 29.2 = 7.06 → 8 whole officers. The rota's own
    officers are checked against an independent solve of the same requirement."""
    from lib.staffing.rota_rules import RotaParams

    rules = RotaParams.from_mapping(RULES)
    row = response_rotas.workable(np.full(168, 6.0), "flat", rules, default_params)
    alone = rota.solve(np.full(168, 6.0) / 0.73, rules)
    assert (alone.cover >= 9).all()
    assert row["for_calls"] == alone.people and row["for_protected_time"] == 8
    assert row["officers"] == alone.people + 8
    assert row["annual_cost"] == row["officers"] * default_params.irt.officer_cost_gbp


def test_demo_options_side_by_side(facts, default_params):
    """Invariants on the demo: a row per rota in irt.rotas, the required and both establishments; officers = for calls
    + for protected time; the cheapest is the rota of least cost; each row's difference is against it."""
    o = facts["irt_options"]
    rotas = o[o["kind"] == "rota"]
    assert list(rotas["option"]) == [r.name for r in default_params.irt.rotas]
    assert (rotas["officers"] == rotas["for_calls"] + rotas["for_protected_time"]).all()
    best = o[o["cheapest"]]
    assert len(best) == 1 and best["annual_cost"].iloc[0] == rotas["annual_cost"].min()
    assert (o["vs_cheapest"] == o["officers"] - best["officers"].iloc[0]).all()
    est = o[o["kind"] == "establishment"].set_index("option")["officers"]
    assert list(est) == [315, 350]
    assert (o["annual_cost"] == o["officers"] * default_params.irt.officer_cost_gbp).all()
    assert pd.isna(o.loc[o["kind"] == "establishment", "for_calls"]).all()  # not applicable: never zero


def test_a_rota_rule_error_names_the_key(default_params):
    from lib.errors import ModelError
    from lib.staffing.rota_rules import RotaParams

    rules = {**default_params.irt.rota_rules(default_params.irt.rotas[0]), "max_consecutive_days": 50}
    with pytest.raises(ModelError, match=r"irt.rotas\[0\].rules.max_consecutive_days = 50"):
        RotaParams.from_mapping(rules, where="irt.rotas[0].rules")
