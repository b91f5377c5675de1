"""The compliance chapter: disjoint comparisons that name their reference, audit pooling, and its sentences."""
from __future__ import annotations

import math

import pandas as pd

from lib.chapters import compliance as cr
from lib.present.tables import full_text
from lib.stats.proportions import compare_proportions

# The compliance chapter's measures (../shared/DOMAIN.md): the catalogue sends them there (shown_in: [compliance]).
COMPLIANCE_MEASURES = ("da_arrest_rate", "ppn_submitted_in_time", "ppn_all_children", "stop_search_grounds",
                       "stop_search_supervised")


def test_significance_sentence_names_its_reference():
    # Newcombe's hybrid score interval and the chi-square test for 56/70 v 48/80, as in
    # tests/stats/test_proportions.py (Newcombe 1998, table II, example (b) scaled): +20.0 points (5.2 to 33.4).
    r = compare_proportions(56, 70, 48, 80)
    row = pd.Series({"difference": 100 * r.difference, "lower": 100 * r.lower, "upper": 100 * r.upper,
                     "p_value": r.p_value, "significant": r.p_value < 0.05, "reference": "March 2019 (baseline)"})
    assert cr.significance(row) == ("is up 20.0 points on March 2019 (baseline) (95% CI +5.2 to +33.4), "
                                    "unusual — unlikely to be chance alone (p = 0.008)")
    row2 = row.copy()
    row2["significant"], row2["p_value"] = False, 0.5
    assert "could be chance (p = 0.500)" in cr.significance(row2)
    # the board's words: the same change, no interval or p-value
    assert cr.significance(row, board=True) == ("is up 20.0 points on March 2019 (baseline), more than chance alone "
                                                "would explain")
    assert cr.significance(row2, board=True).endswith("which could be chance")
    empty = row.copy()
    empty["difference"] = math.nan
    assert "cannot be tested" in cr.significance(empty)


def test_comparisons_are_disjoint_and_named(facts, default_params):
    c = facts["comparisons"]
    assert set(c["measure_id"]) == set(COMPLIANCE_MEASURES)
    before = c[(c["measure_id"] == "stop_search_grounds") & (c["comparison"] == "months before")].iloc[0]
    assert (before["first"], before["last"], before["reference"]) == ("2019-01", "2019-11", "Jan–Nov 2019")
    months = facts["measure_months"]
    s = months[months["measure_id"] == "stop_search_grounds"].set_index("month")
    assert before["n2"] == s.loc["2019-01":"2019-11", "n"].sum() and before["n1"] == s.loc["2019-12", "n"]
    base = c[(c["measure_id"] == "ppn_submitted_in_time") & (c["comparison"] == "baseline")].iloc[0]
    assert base["reference"] == "March 2019 (baseline)" and base["first"] == base["last"] == "2019-03"


def test_summary_reads_targets_from_the_catalogue(facts, default_params):
    shown, data = cr.summary_table(facts, default_params)
    cat = facts["catalogue"].set_index("measure_id")
    assert list(data["measure_id"]) == list(COMPLIANCE_MEASURES) == cr.measure_ids(facts["catalogue"])
    assert (data["target"].to_numpy() == cat.loc[list(COMPLIANCE_MEASURES), "target"].to_numpy()).all()
    assert shown["95% CI"].str.contains(" to ").all() and shown.loc[0, "unlikely to be chance alone?"].startswith("yes")
    assert "March 2019 (baseline)" in shown.columns  # the comparison names its reference
    da = shown.set_index("measure").loc[cat.at["da_arrest_rate", "short_name"]]
    assert da["target"] == "45%"  # one target for the arrest rate, the catalogue's, in both chapters


def test_audits_pool_the_quarter(facts):
    a = facts["audit_period"]
    assert len(a) == 10 and (a["n"] == 10).all()
    assert (a["quarter"] == "2019/20 Q3").all() and (a["n_quarter"] == 30).all()  # October to December
    shown, _ = cr.audit_display(facts)
    assert shown["passed"].str.endswith("of 10").all() and shown["2019/20 Q3 to date"].str.endswith("of 30").all()


def test_people_table_is_published_suppressed(facts):
    people = facts["stop_search_people"]
    assert "[c]" in set(people.to_numpy().ravel())
    assert all(isinstance(v, str) for v in people.to_numpy().ravel())  # no raw counts kept in the facts


def test_a_rate_still_improving_reads_not_yet_never_will_miss(facts, default_params):
    """Demo 2019-12 (issue 21): PPNs in time at 98.5% against a 95% target, met, and still rising through the limits
    set from April 2019. Limits over a ramp describe nothing: the reading is "assurance: not yet — still changing
    (improving)", said under the chart, never "will consistently miss" (the reading before this issue)."""
    p = facts["measure_period"].set_index("measure_id")
    assert p.at["ppn_submitted_in_time", "status"] == "met"
    assert (p.at["ppn_submitted_in_time", "assurance"], p.at["ppn_submitted_in_time", "changing"]) == ("not_yet", "improving")
    shown, _ = cr.summary_table(facts, default_params)
    reading = full_text(shown.set_index("measure").at["PPNs submitted in time", "control chart"])
    assert reading.endswith("assurance: not yet — still changing (improving)") and "miss" not in reading
    assert any("no assurance reading yet" in s for s in cr.phase_sentences(facts, "ppn_submitted_in_time"))
    assert not any("no assurance reading yet" in s for s in cr.phase_sentences(facts, "stop_search_supervised"))


def test_months_at_the_start_of_new_limits_that_read_as_concerns_are_explained(facts):
    """Demo: PPNs in time jumped in April 2019 but not yet to the new limits, so April and May read as unusual
    lows against them (NHSRplotthedots' reading, kept); the note says the change was still building."""
    note = " ".join(cr.phase_sentences(facts, "ppn_submitted_in_time"))
    assert "Apr–May 2019 read as unusual (a concern) against the new limits only because the change was still " \
           "building: they were already above the old average." in note


def test_audit_failures_by_theme_counted_by_hand(default_params):
    """Hand count: in December 2019 two failures lacked a risk assessment and one had no theme; in November one more
    lacked a risk assessment and one a supervisor review; a failure of November 2018 is outside the 12 months, and
    passed records are not failures."""
    rows = [("2019-12", False, "Risk assessment not completed"), ("2019-12", False, "Risk assessment not completed"),
            ("2019-12", False, None), ("2019-12", True, None), ("2019-11", False, "Risk assessment not completed"),
            ("2019-11", False, "Supervisor review missing"), ("2018-11", False, "Supervisor review missing")]
    audits = pd.DataFrame(rows, columns=["month", "passed", "failure_theme"])
    t = cr.audit_themes(audits, default_params)
    assert t.values.tolist() == [["Risk assessment not completed", 2, 3, 60.0], ["Supervisor review missing", 0, 1, 20.0],
                                 ["theme not recorded", 1, 1, 20.0]]
    shown, _ = cr.audit_themes_display({"audit_themes": t})
    assert shown.iloc[0].tolist() == ["Risk assessment not completed", "2", "3", "60.0%"]
