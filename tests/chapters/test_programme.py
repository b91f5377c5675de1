"""Programme status rules and the change log (an item completed, one slipped, one added, one newly overdue)."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.chapters import programme
from lib.errors import DataError


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


def _loaded(frame, name):
    from lib import ROOT
    from lib.inputs.loading import Loaded

    return Loaded(name, ROOT / "data" / f"{name}.csv", frame, len(frame), pd.DataFrame(), 0, 0)


def test_times_re_dated_are_counted_over_every_export_held(default_params):
    """By hand: C-1.R2 is due 2019-12-20 in Oct, 2020-01-31 in Nov, 2020-03-31 in Dec (this tracker): twice.
    C-1.R3 moved and moved back (Oct 12-10, Nov 12-31, Dec 12-10): twice. N-1 first appears in December: none."""
    history = pd.DataFrame({"item_id": ["C-1.R2", "C-1.R2", "C-1.R3", "C-1.R3", "C-1", "C-1"],
                            "snapshot": ["2019-10", "2019-11", "2019-10", "2019-11", "2019-10", "2019-11"],
                            "due_date": ["2019-12-20", "2020-01-31", "2019-12-10", "2019-12-31", "2020-06-30",
                                         "2020-06-30"]})
    loaded = {"tracker": _loaded(CURRENT, "tracker"), "programme_history": _loaded(history, "programme_history")}
    r = programme.redating(programme.snapshots(loaded, default_params)).set_index("item_id")
    assert r.loc["C-1.R2", "times_redated"] == 2 and r.loc["C-1.R3", "times_redated"] == 2
    assert r.loc["C-1", "times_redated"] == 0 and r.loc["C-1", "redated_since"] == "2019-10"
    assert (r.loc["N-1", "times_redated"], r.loc["N-1", "redated_since"]) == (0, "2019-12")
    # Without the history: only the previous export and this one (C-1.R2 moved once between them).
    two = {"tracker": _loaded(CURRENT, "tracker"), "tracker_previous": _loaded(PREVIOUS, "tracker_previous")}
    r2 = programme.redating(programme.snapshots(two, default_params)).set_index("item_id")
    assert r2.loc["C-1.R2", "times_redated"] == 1 and r2.loc["C-1.R2", "redated_since"] == "2019-11"


def test_causes_of_concern_are_tied_to_the_inspection_and_missing_words_stay_blank(default_params):
    current = CURRENT.assign(inspection_text=None, success_criteria=None, evidence_measures=None)
    current.loc[0, ["inspection_text", "evidence_measures"]] = ["The force does not understand demand.",
                                                                "immediate_in_target; da_arrest_rate"]
    current.loc[3, "inspection_text"] = "The force should record every crime within 24 hours."
    facts = programme.compute({"tracker": _loaded(current, "tracker")}, default_params)
    f = facts["programme_findings"].set_index("item_id")
    assert f.loc["C-1", "inspection_text"] == "The force does not understand demand."
    assert f.loc["C-1", "success_criteria"] is None  # not supplied, never invented
    assert f.loc["C-1", "evidence_measures"] == "immediate_in_target; da_arrest_rate"
    # C-1's open items: itself, R2 on track, R3 overdue: one of three overdue (33%) is red by defaults.yml's 33%.
    assert (f.loc["C-1", "recommendations"], f.loc["C-1", "complete"], f.loc["C-1", "overdue"]) == (3, 1, 1)
    assert f.loc["C-1", "rating"] == "red" and bool(f.loc["C-1", "decision_sheet"])
    recs = facts["programme_recommendations"].set_index("item_id")
    assert recs.loc["C-1.R3", "inspection_text"] == "The force should record every crime within 24 hours."
    assert recs.loc["C-1.R1", "inspection_text"] is None  # "Finish" is the tracker's description, not the text
    bad = current.assign(evidence_measures=["nope", None, None, None, None, None])
    with pytest.raises(DataError, match=r"inputs.tracker \(data/tracker.csv\): column 'evidence_measures': 'nope' is "
                                        r"not a measure of the catalogue"):
        programme.compute({"tracker": _loaded(bad, "tracker")}, default_params)


def test_demo_re_datings_match_a_count_over_the_raw_exports(default_params):
    """Independent count: read every demo export file from July to December 2019 and count, per item, the months
    whose due date differs from the month before."""
    from lib import ROOT
    from lib.inputs.loading import load_source

    loaded = {n: load_source(default_params, n) for n in ("tracker", "programme_history")}
    got = programme.redating(programme.snapshots(loaded, default_params)).set_index("item_id")["times_redated"]
    files = sorted((ROOT / "data" / "demo" / "tracker").glob("2019-*.parquet"))
    raw = {f.stem: pd.read_parquet(f).set_index("item_id")["due_date"].astype(str) for f in files}
    months = [m for m in sorted(raw) if m <= default_params.period]
    expected = {}
    for item in got.index:
        dues = [raw[m][item] for m in months if item in raw[m].index]
        expected[item] = sum(a != b for a, b in zip(dues, dues[1:]))
    assert got.to_dict() == expected and max(expected.values()) >= 2


def test_findings_display_says_not_supplied_and_how_often_re_dated(default_params):
    # A tracker without the optional columns: the loader gives them blank.
    blank = CURRENT.assign(inspection_text=None, success_criteria=None, evidence_measures=None)
    facts = programme.compute({"tracker": _loaded(blank, "tracker")}, default_params)
    shown, _ = programme.findings_display(facts)
    assert shown.loc[0, "the inspection's words"] == "not supplied" and shown.loc[0, "success criteria"] == "not supplied"
    assert shown.loc[0, "re-dated"] == "not re-dated since December 2019"
    assert programme.redated_text(2, "2019-07") == "re-dated twice since July 2019"
    assert programme.redated_text(3, "2019-07") == "re-dated 3 times since July 2019"
    rec, _ = programme.recommendations_display(facts)
    assert list(rec["the inspection's text"]) == ["not supplied"] * 3
