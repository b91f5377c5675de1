"""The control room's one answer: options measured like for like, and the decision rule, by hand and as invariants."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib.chapters.fcr import answer_sentence
from lib.staffing import control_room_options as opts


def _frame(rows):
    cols = ["option", "kind", "people", "annual_cost", "hours_under"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


@pytest.mark.parametrize("rows,chosen,action,recruit", [
    # now short; the cheapest full-cover rota needs fewer people: re-roster
    ([("now", "now", 50.0, 2.0e6, 10), ("rota: 8", "rota", 48, 1.9e6, 0), ("rota: 12", "rota", 52, 2.1e6, 0)],
     "rota: 8", "re-roster", 0),
    # ... more people (49.2 → 54: 4.8, rounded up to 5 whole people): re-roster and recruit 5
    ([("now", "now", 49.2, 2.0e6, 10), ("rota: 8", "rota", 54, 2.3e6, 0), ("rota: 12", "rota", 61, 2.6e6, 0)],
     "rota: 8", "re-roster and recruit", 5),
    # the cheapest is the current pattern's own shifts: recruit alone
    ([("now", "now", 49.0, 2.0e6, 10), ("rota: same", "rota", 52, 2.2e6, 0), ("rota: 8", "rota", 55, 2.4e6, 0)],
     "rota: same", "recruit", 3),
    # now covers every hour and costs no more than any rota: no change
    ([("now", "now", 50.0, 1.8e6, 0), ("rota: 8", "rota", 48, 1.9e6, 0)], "now", "no change", 0),
    # a rota that leaves hours short is never the answer, however cheap
    ([("now", "now", 50.0, 2.0e6, 10), ("rota: cheap", "rota", 40, 1.5e6, 3), ("rota: 8", "rota", 52, 2.1e6, 0)],
     "rota: 8", "re-roster and recruit", 2),
])
def test_decision_rule_by_hand(rows, chosen, action, recruit):
    out = opts._decide(_frame(rows), "rota: same")
    assert out["recommended"].sum() == 1
    row = out[out["recommended"]].iloc[0]
    assert (row["option"], row["action"], row["recruit"]) == (chosen, action, recruit)


def test_demo_options_are_like_for_like_and_the_answer_is_their_cheapest(facts, default_params):
    """Invariants on the demo: now is the staff logged on (the export is supplied), measured on the phones against the
    agents needed; every rota covers every hour; the recommended is the cheapest of those; recruit = ⌈people − now⌉."""
    o = facts["fcr_options"]
    now = o[o["kind"] == "now"].iloc[0]
    assert now["option"] == opts.NOW_LOGGED
    logged = opts.logged_on(facts["fcr_check_hours"])
    agents = facts["fcr_requirement"]["agents"].to_numpy(dtype=float)
    assert now["hours_under"] == int((logged < agents - 1e-9).sum())
    assert now["paid_hours"] == pytest.approx(logged.sum() / (1 - default_params.fcr.shrinkage))
    rotas = o[o["kind"] == "rota"]
    assert len(rotas) == 1 + len(default_params.fcr.rota_options) and (rotas["hours_under"] == 0).all()
    assert set(rotas["shift_hours"]) >= {"8", "10", "12"}
    best = o[o["recommended"]].iloc[0]
    assert best["annual_cost"] == rotas["annual_cost"].min()
    assert best["recruit"] == max(0, math.ceil(best["people"] - now["people"] - 1e-9))
    text = answer_sentence(facts, default_params)
    assert text.count("Re-roster") + text.count("Recruit") == 1 and f"{int(best['recruit'])} more people" in text


def test_without_an_export_now_is_the_settings_pattern(facts, default_params):
    hours = facts["fcr_check_hours"]
    assert opts.logged_on(hours[hours["source"] != "telephony export"]) is None
    assert opts.logged_on(None) is None
    assert (opts.on_phones(np.array([10, 7, 3]), default_params) == np.floor(np.array([10, 7, 3]) * 0.7 + 1e-9)).all()
