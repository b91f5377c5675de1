"""Programme status rules and the change log (an item completed, one slipped, one added, one newly overdue)."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.chapters import programme


def tracker(rows):
    cols = ["item_id", "type", "parent_id", "workstream", "owner_role", "due_date", "status", "completed_date",
            "milestone", "description"]
    return pd.DataFrame(rows, columns=cols)


PREVIOUS = tracker([
    ("C-1", "cause of concern", None, "W1", "Head of Crime", "2020-06-30", "in progress", None, False, "Cause one"),
    ("C-1.R1", "recommendation", "C-1", "W1", "Head of Crime", "2019-12-15", "in progress", None, True, "Finish"),
    ("C-1.R2", "recommendation", "C-1", "W1", "Head of Crime", "2019-12-20", "in progress", None, False, "Slip"),
    ("C-1.R3", "recommendation", "C-1", "W2", "Head of Crime", "2019-12-10", "in progress", None, False, "Late"),
    ("A-1", "area for improvement", None, "W2", "Director of People", "2019-11-15", "not started", None, False, "Old"),
])
CURRENT = tracker([
    ("C-1", "cause of concern", None, "W1", "Head of Crime", "2020-06-30", "in progress", None, False, "Cause one"),
    ("C-1.R1", "recommendation", "C-1", "W1", "Head of Crime", "2019-12-15", "complete", "2019-12-12", True, "Finish"),
    ("C-1.R2", "recommendation", "C-1", "W1", "Head of Crime", "2020-03-31", "in progress", None, False, "Slip"),
    ("C-1.R3", "recommendation", "C-1", "W2", "Head of Crime", "2019-12-10", "in progress", None, False, "Late"),
    ("A-1", "area for improvement", None, "W2", "Director of People", "2019-11-15", "not started", None, False, "Old"),
    ("N-1", "national recommendation", None, "W2", "Head of Crime", "2020-09-30", "not started", None, False, "New"),
])


def test_status_rules(default_params):
    items = programme.with_status(CURRENT, default_params)  # period end 2019-12-31
    status = dict(zip(items["item_id"], items["status_at_end"]))
    assert status == {"C-1": "on track", "C-1.R1": "complete", "C-1.R2": "on track", "C-1.R3": "overdue",
                      "A-1": "overdue", "N-1": "not started"}
    assert dict(zip(items["item_id"], items["group"]))["C-1.R2"] == "Cause one"


def test_rag_thresholds(default_params):
    # red at >= 34% of open items overdue, amber from 20%, complete when nothing is open
    assert programme.rag(pd.Series({"complete": 1, "on track": 1, "overdue": 1}), default_params) == "red"
    assert programme.rag(pd.Series({"complete": 1, "on track": 3, "overdue": 1}), default_params) == "amber"
    assert programme.rag(pd.Series({"on track": 9, "overdue": 1}), default_params) == "green"
    assert programme.rag(pd.Series({"on track": 9, "overdue": 0}), default_params) == "green"
    assert programme.rag(pd.Series({"complete": 4, "overdue": 0}), default_params) == "complete"


def test_change_log(default_params):
    items = programme.with_status(CURRENT, default_params)
    log = programme.changes(items, PREVIOUS, default_params)
    got = sorted(zip(log["change"], log["item_id"]))
    assert got == sorted([("completed", "C-1.R1"), ("added", "N-1"), ("re-dated", "C-1.R2"),
                          ("newly overdue", "C-1.R3")])
    assert "2019-12-20 → 2020-03-31" in log.set_index("item_id").loc["C-1.R2", "detail"]
    # A-1 was already overdue at the end of November: not "newly" overdue.
    assert "A-1" not in set(log["item_id"])
    assert programme.change_counts(log) == {"completed": 1, "added": 1, "re-dated": 1, "newly overdue": 1,
                                            "removed": 0}


def test_first_period_has_no_changes(default_params):
    items = programme.with_status(CURRENT, default_params)
    assert programme.changes(items, None, default_params).empty


def test_milestone_columns_and_owner_roles_only(default_params):
    items = programme.with_status(CURRENT, default_params)
    board = programme.milestones(items, default_params)
    assert board["column"].tolist() == ["complete"]
    assert "owner_role" in programme.overdue(items).columns


def test_counts_against_inspection(default_params):
    items = programme.with_status(CURRENT, default_params)
    table = programme.against_inspection(items, default_params).set_index("type")
    assert table.loc["recommendation", "in the tracker"] == 3
    assert table.loc["recommendation", "matches"].startswith("no")


def test_rag_thresholds_must_be_ordered(params_in):
    from lib.config.params import load_params
    from lib.errors import ParamsError
    with pytest.raises(ParamsError, match="rag_amber_overdue_pct = 30 must not exceed rag_red_overdue_pct = 20"):
        load_params(params_in(programme__rag_amber_overdue_pct=30, programme__rag_red_overdue_pct=20))
