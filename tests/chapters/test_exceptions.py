"""The exception report: every measure not met and every overdue item, with the owners' commentary or its absence."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import ROOT
from lib.chapters import exceptions
from lib.config.params import load_params
from lib.errors import DataError
from lib.inputs.loading import Loaded, load_source


def _spc():
    """Measure a's chart: 12 months at 40 to 51 (1 a month) then a phase of 6 months 44, 46, ..., 54; limits of the
    current phase mean 49, upper 59.64 (mean moving range 4). The others have no chart."""
    months = [str(m) for m in pd.period_range("2018-07", "2019-12", freq="M")]
    values = [40.0 + i for i in range(12)] + [44.0, 46.0, 48.0, 50.0, 52.0, 54.0]
    return pd.DataFrame({"measure_id": "a", "month": months, "value": values, "group": [0] * 12 + [1] * 6,
                         "mean": [45.5] * 12 + [49.0] * 6, "upl": [50.0] * 12 + [59.64] * 6,
                         "point_type": "common_cause"})


def _facts():
    return {
        "measure_spc": _spc(),
        "measure_period": pd.DataFrame({"measure_id": ["a", "b", "c", "d"], "value": [54.0, 99.0, 70.0, 10.0],
                                        "previous": [52.0, 98.0, 80.0, None],
                                        "target": [90.0, 95.0, 80.0, 90.0],
                                        "status": ["not met", "met", "not met", "not met"],
                                        "variation": ["common_cause"] * 4, "assurance": ["consistent_fail"] * 4,
                                        "changing": [""] * 4, "months_judged": [21] * 4, "phase_start": ["2018-04"] * 4,
                                        "phase_cause": [""] * 4, "phase_points": [21] * 4,
                                        "provisional_limits": [False] * 4, "provisional": [False] * 4}),
        "catalogue": pd.DataFrame({"measure_id": ["a", "b", "c", "d"], "short_name": ["A", "B", "C", "D"],
                                   "unit": ["percent"] * 4, "priorities": ["P1", "P1", "P2", ""],
                                   "direction": ["higher"] * 4,
                                   "owner": ["Head of A", "Head of B", "Head of Crime", "Head of D"]}),
    }


def _commentary(rows):
    frame = pd.DataFrame(rows, columns=["measure_id", "month", "owner_role", "commentary", "recovery_action",
                                        "revised_date"])
    return {"commentary": Loaded("commentary", ROOT / "data" / "commentary.csv", frame, len(frame), pd.DataFrame(), 0, 0)}


def test_every_measure_not_met_is_listed_with_its_commentary_or_none(default_params):
    loaded = _commentary([["a", default_params.period, "Head of X", "Recovering.", "Extra staff", "2020-03-31"],
                          ["a", "2019-11", "Head of X", "Old note.", None, None],
                          ["c", "2019-11", "Head of X", "Old note.", "Extra patrols", None],
                          ["b", default_params.period, "Head of Y", "On target.", None, None]])
    m = exceptions.measures(_facts(), loaded, default_params)
    assert list(m["measure_id"]) == ["a", "c", "d"]  # b met its target; d (no priority) is an exception too
    assert list(m["scored"]) == [True, True, False]
    assert m.loc[0, "commentary"] == "Recovering." and m.loc[0, "revised_date"] == "2020-03-31"
    # a's trend: the current phase only (Jul-Dec 2019, 2 a month, 54 in December): 90 in 18 months, June 2021
    # (by hand); its change from November, +2, is within 3.267 × 4 = 13.07 (by hand); last month's action: none.
    assert (m.loc[0, "trajectory_month"], m.loc[0, "trend_months"], m.loc[0, "trend_from"]) == ("2021-06", 6, "2019-07")
    assert m.loc[0, "moved"] == "not beyond ordinary variation" and m.loc[0, "last_action"] is None
    assert m.loc[1, "trajectory"] == "too few months in the current phase" and m.loc[1, "moved"] == "no limits to judge against"
    assert m.loc[2, "moved"] == "no data"
    facts = {**_facts(), "exceptions_measures": m}
    shown, _ = exceptions.measures_display(facts)
    # The owner is the catalogue's (one place), never the commentary file's author; silence names the owner.
    assert shown.loc[1, "commentary"] == "no commentary from Head of Crime" and shown.loc[1, "owner"] == "Head of Crime"
    assert shown.loc[0, "owner"] == "Head of A" and shown.loc[0, "meets target at the current trend"] == "June 2021"
    assert shown.loc[1, "last month's action"] == "Extra patrols" and shown.loc[0, "last month's action"] == "none given"
    assert exceptions.commented_sentence(facts) == ("Owners commented on 1 of the 3 measures off track; the other 2 read "
                                                    "\"no commentary from\" their owner below.")


def test_without_a_commentary_file_every_exception_says_none_supplied(default_params):
    m = exceptions.measures(_facts(), {}, default_params)
    shown, _ = exceptions.measures_display({**_facts(), "exceptions_measures": m})
    assert list(shown["commentary"]) == ["no commentary from Head of A", "no commentary from Head of Crime",
                                         "no commentary from Head of D"]


def test_a_commentary_for_an_unknown_measure_is_refused(default_params):
    loaded = _commentary([["zz", default_params.period, "Head of X", "x", None, None]])
    with pytest.raises(DataError, match=r"inputs.commentary \(data/commentary.csv\): column 'measure_id': 'zz' is not "
                                        r"a measure of params/measures-demo.yml \(ids: a, b, c, d\)"):
        exceptions.measures(_facts(), loaded, default_params)


def test_overdue_items_carry_the_trackers_commentary(default_params):
    loaded = {"tracker": load_source(default_params, "tracker")}
    from lib.chapters import programme as tracker

    facts = tracker.compute({**loaded}, default_params)
    o = exceptions.items(facts, default_params)
    raw = loaded["tracker"].frame.set_index("item_id")
    assert len(o) == (facts["programme_items"]["status_at_end"] == "overdue").sum() > 0
    assert (o["days_overdue"] > 0).all() and o["due_date"].is_monotonic_increasing
    for _, r in o.iterrows():  # each note is the tracker's own, or none
        note = raw.loc[r["item_id"], "commentary"]
        assert r["commentary"] == (None if pd.isna(note) else note)
    assert o["commentary"].isna().any() and o["commentary"].notna().any()  # the demo has both


def test_the_programme_rag_rule_discriminates_on_the_demo(default_params):
    from lib.chapters import programme as tracker

    facts = tracker.compute({"tracker": load_source(default_params, "tracker")}, default_params)
    rag = facts["programme_by_group"]["RAG"].value_counts()
    assert rag.get("red", 0) < len(facts["programme_by_group"]) / 2  # red is not the normal state
    assert rag.get("green", 0) > 0 and rag.get("amber", 0) > 0


def test_commentary_file_is_a_contract(tmp_path, params_in):
    path = tmp_path / "commentary.csv"
    pd.DataFrame({"measure_id": ["da_arrest_rate"], "month": ["2019-12"], "owner_role": ["Head of PP"],
                  "commentary": ["=HYPERLINK(\"x\")"], "recovery_action": [""], "revised_date": ["2020-13-01"]}
                 ).to_csv(path, index=False)
    loaded = load_source(load_params(params_in(inputs__commentary=str(path))), "commentary")
    assert loaded.rows_defective == 1 and loaded.defects.iloc[0]["column"] == "revised_date"


def test_each_measure_off_track_has_a_page_with_its_owner_words_and_chart(facts):
    """One page a measure off track (issue "The board pack", point 3), every line from the measure's own row."""
    pages = exceptions.measure_pages(facts).blocks
    m = facts["exceptions_measures"]
    names = facts["catalogue"].set_index("measure_id")
    assert [p.title for p in pages] == [names.loc[i, "short_name"] for i in m["measure_id"]] and len(pages) > 0
    for page, (_, row) in zip(pages, m.iterrows()):
        said = dict(page.lead + page.lines)
        assert said["owner"] == row["owner_role"] and said["measure"] == names.loc[row["measure_id"], "name"]
        assert said["commentary"] == (f"no commentary from {row['owner_role']}" if pd.isna(row["commentary"])
                                      else row["commentary"])
        assert said["change from last month"] == exceptions.MOVED_WORDS.get(row["moved"], row["moved"])
        assert said["meets its target at the current trend"] == exceptions.trajectory_text(row)
        # its own chart: the measure's months only, with the target line's value
        assert page.chart is not None and set(page.chart.data["measure"]) == {names.loc[row["measure_id"], "short_name"]}
        assert page.chart.data["target"].dropna().iloc[-1] == pytest.approx(row["target"])
        assert row["measure_id"] not in page.alt and page.alt.startswith("Control chart of ")
    assert exceptions.measure_pages({**facts, "exceptions_measures": m.iloc[:0]}).blocks == []


def test_a_commentary_file_without_its_authors_role_is_read_the_same(default_params):
    """``owner_role`` in the commentary file is optional: the owner named is the catalogue's either way."""
    from lib.inputs.contracts import CONTRACTS

    assert next(c for c in CONTRACTS["commentary"].columns if c.name == "owner_role").optional
    rows = [["a", default_params.period, "Head of X", "Recovering.", "Extra staff", "2020-03-31"]]
    with_role = exceptions.measures(_facts(), _commentary(rows), default_params)
    c = _commentary(rows)["commentary"]
    loaded = {"commentary": Loaded("commentary", c.path, c.frame.drop(columns=["owner_role"]), 1, pd.DataFrame(), 0, 0)}
    without = exceptions.measures(_facts(), loaded, default_params)
    pd.testing.assert_frame_equal(with_role, without)
    assert without.loc[0, "owner_role"] == "Head of A"


def test_a_revised_date_the_trend_does_not_support_says_so():
    """Rule: a reading never contradicts its row. An owner's date of March 2020 beside a trend that meets the target
    in June 2021, or never, is said to disagree; a date the trend supports, or no date, or too few months, is not."""
    from lib.stats import trajectory as tr

    assert exceptions.date_against_trend("2020-03-31", "2021-06", "2021-06") == (
        "the current trend reaches the target only in June 2021")
    assert exceptions.date_against_trend("2020-03-31", None, tr.NOT_AT_RATE) == (
        "the current trend does not reach the target by then")
    assert exceptions.date_against_trend("2020-03-31", None, tr.beyond(24)) != ""
    assert exceptions.date_against_trend("2021-06-30", "2021-06", "2021-06") == ""  # the same month: agrees
    assert exceptions.date_against_trend("2020-03-31", None, tr.TOO_FEW) == ""
    assert exceptions.date_against_trend(None, "2021-06", "2021-06") == ""


def test_a_provisional_month_is_not_read_as_moving(default_params):
    facts = _facts()
    facts["measure_period"] = facts["measure_period"].assign(provisional=[True, False, False, False])
    m = exceptions.measures(facts, {}, default_params)
    assert m.loc[0, "moved"] == exceptions.PROVISIONAL_MOVE and m.loc[0, "change"] == pytest.approx(2.0)
    # the page's reading names the month it reads (the measure's row carries whether its month is provisional)
    from lib.present.charts.spc import describe

    assert describe(m.loc[0]).startswith("latest judged month:") and bool(m.loc[0, "provisional"])
    assert exceptions.measures(_facts(), {}, default_params).loc[0, "moved"] == "not beyond ordinary variation"
