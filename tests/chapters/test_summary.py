"""The decision sheet's facts (page one), each read from the facts before it, checked against hand-made facts."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.chapters import summary
from lib.stats import trajectory

NEVER = trajectory.NOT_AT_RATE


def _facts():
    months = ["2019-11", "2019-12"]
    return {
        "catalogue": pd.DataFrame({"measure_id": ["a", "b", "c"], "short_name": ["A", "B", "C"],
                                   "priorities": ["Protect People", "Protect People", ""], "unit": ["percent"] * 3,
                                   "target": [90.0, 90.0, 90.0]}),
        "priority_summary": pd.DataFrame({"priority": ["Protect People", "Tackle Criminals"], "measures": [2, 0],
                                          "scored": [2, 0], "met": [1, 0]}),
        "measure_period": pd.DataFrame({"measure_id": ["a", "b", "c"], "status": ["met", "not met", "not met"],
                                        "variation": ["common_cause", "concern_low", "too_few"],
                                        "assurance": ["consistent_pass", "not_yet", ""]}),
        "measure_months": pd.DataFrame({"measure_id": ["a", "a", "b", "b", "c", "c"], "month": months * 3,
                                        "value": [80.0, 95.0, 92.0, 70.0, 50.0, 60.0],
                                        "score": [80 / 90, 95 / 90, 92 / 90, 70 / 90, 50 / 90, 60 / 90]}),
        "measure_spc": pd.DataFrame({"measure_id": ["a", "a", "b", "b"], "month": months * 2,
                                     "point_type": ["common_cause", "common_cause", "common_cause",
                                                    "special_cause_concern"]}),
        "exceptions_measures": pd.DataFrame({"measure_id": ["b", "c"], "owner_role": ["Head of B", "Head of C"],
                                             "value": [70.0, 60.0], "target": [90.0, 90.0],
                                             "revised_date": ["2020-03-31", None],
                                             "commentary": ["Recovering.", None],
                                             "trajectory_month": [None, "2020-06"],
                                             "trajectory": [NEVER, "2020-06"]}),
        "programme_changes": pd.DataFrame({"change": ["completed", "re-dated", "newly overdue"],
                                           "item_id": ["X", "Y", "Z"], "type": ["recommendation"] * 3,
                                           "detail": ["completed 2019-12-01", "due 2019-12-01 → 2020-03-01",
                                                      "due 2019-12-15"]}),
        "programme_findings": pd.DataFrame({"item_id": ["C-1", "C-2"], "cause": ["One", "Two"], "overdue": [2, 0],
                                            "times_redated": [2, 0], "redated_since": ["2019-07", "2019-07"],
                                            "decision_sheet": [True, False]}),
        "fcr_options": pd.DataFrame(),
    }


def test_decision_sheet_facts(default_params):
    f = summary.facts({}, default_params, _facts())
    p = f["decision_priorities"].set_index("priority")["status"]
    assert p["Protect People"] == "1 of 2 scored measures off track" and p["Tackle Criminals"] == "no measure scored"
    m = f["decision_matrix"].set_index("measure_id")
    assert (m.loc["a", "variation"], m.loc["a", "assurance"]) == ("ordinary variation", "will consistently meet the target")
    assert (m.loc["b", "variation"], m.loc["b", "assurance"]) == ("unusual: concern", "not yet: still changing")
    assert (m.loc["c", "variation"], m.loc["c", "assurance"]) == ("too few months to judge", "no reading")
    assert list(m["scorecard"]) == [True, True, False]
    o = f["decision_off_track"].set_index("measure_id")
    assert o.loc["b", "revised_date"] == "2020-03-31 (the current trend does not reach the target by then)"
    assert o.loc["c", "revised_date"] == "no commentary from Head of C"
    assert o.loc["b", "trajectory"] == NEVER and o.loc["c", "trajectory"] == "2020-06"
    c = f["decision_changes"]
    assert c[["kind", "id"]].values.tolist() == [["status changed", "a"], ["status changed", "b"], ["new signal", "b"],
                                                 ["programme item re-dated", "Y"],
                                                 ["programme item newly overdue", "Z"],
                                                 ["red cause of concern", "C-1"]]
    assert c.iloc[0]["detail"] == "not met → met" and c.iloc[2]["detail"] == "unusual: concern"
    assert c.iloc[-1]["detail"] == "rated red: 2 items overdue; its items re-dated twice since July 2019"
    assert f["decision_asks"]["decision"].tolist() == list(default_params.board.decisions)  # 2019-12's two
    s = f["decision_staffing"].set_index("fact")["held"]
    assert bool(s["fcr_options"]) and not bool(s["irt_options"])
    shown = summary.matrix_display({"decision_matrix": f["decision_matrix"]})
    assert shown.set_index("variation").loc["unusual: concern", "not yet: still changing"] == "B"


def test_decisions_asked_of_the_board_come_from_the_params_or_none_this_month(params_in):
    from lib.config.params import load_params
    from lib.errors import ParamsError

    assert summary.asks(load_params(params_in(board={"decisions": []})))["decision"].tolist() == ["none this month"]
    assert len(load_params(params_in(board={"decisions": ["Approve the re-roster."]})).board.decisions) == 1
    with pytest.raises(ParamsError, match=r"board.decisions\[0\]"):
        load_params(params_in(board={"decisions": [""]}))


def test_a_programme_item_that_changed_is_named_by_what_it_is(default_params):
    items = pd.DataFrame({"item_id": ["Y", "Z"], "description": ["Skills audit (milestone)", "Prevention strategy"]})
    c = summary.facts({}, default_params, {**_facts(), "programme_items": items})["decision_changes"].set_index("id")
    assert c.loc["Y", "name"] == "Skills audit (milestone)" and c.loc["Z", "name"] == "Prevention strategy"


def test_a_revised_date_says_whether_the_owner_said_anything():
    assert summary.revised_date_text("2020-03-31", "Recovering.", "Head of B") == "2020-03-31"
    assert summary.revised_date_text(None, "Recovering.", "Head of B") == "no revised date given"
    assert summary.revised_date_text(None, None, "Head of B") == "no commentary from Head of B"
    assert summary.revised_date_text(None, " ", "Head of B") == "no commentary from Head of B"
