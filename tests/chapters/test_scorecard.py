"""The measure catalogue holds every measure of the strategic plan once; the scorecard agrees with the chapters.

The plan's list is copied from Cleveland Police's strategic plan (2023), "How will we measure success?"
(../shared/seeds/001_fabebb7b9ebad6e2.txt). It lists "% of domestic abuse incidents involving a repeat
victim" under two priorities; the catalogue holds it once with both.
"""
from __future__ import annotations

import pandas as pd
import pytest

from lib import ROOT
from lib.chapters import scorecard
from lib.errors import ParamsError
from lib.measures import derived as measures
from lib.measures.derived import catalogue as load_catalogue
from lib.present import fmt_score

PLAN = {
    "Protect People": [
        "% of crimes recorded within 24 hours of being reported",
        "% of immediate response incidents involving a vulnerable person attended in target",
        "% of domestic abuse incidents involving a repeat victim",
        "% of domestic abuse crimes leading to an arrest",
        "% of missing from home incidents involving a repeat person",
        "Number of safeguarding disclosures made using Sarah's and Clare's Law",
    ],
    "Protect Communities": [
        # The plan's "within 10 seconds" and "within 2 minutes": the time is the route's standard, stated once in
        # the params (calls.answer), so the name says "the standard time".
        "% of 999 calls answered within the standard time", "% of 999 calls abandoned",
        "% of non 999 calls answered within the standard time", "% of non 999 calls abandoned",
        "% of immediate response incidents attended in target time", "% of priority incidents attended in target time",
    ],
    "Tackle Criminals": [
        "Number of outstanding suspects",
        "Average number of days taken to charge an offender for a victim based crime",
        "% of crimes solved i.e. resulting in a positive outcome",
        "% of domestic abuse incidents involving a repeat victim",
        "% of victims satisfied with follow up/ how they are kept up to date",
        "Number of neighbourhood crimes recorded/ rate per 1,000 population",
        "Visibility measure", "% of stop searches resulting in a linked outcome",
    ],
    "Be the Best We Can Be": [
        "Number of concern for safety incidents attended", "Neighbourhood policing abstraction rate",
        "% of contractual hours lost due to sickness absence police officers/ staff",
        "% of victims satisfied with the way they are treated",
        "% of victims satisfied with the overall service received",
        "Proportion of expired vetting applications",
    ],
}
TO_BE_DEVELOPED = {"Visibility measure", "Neighbourhood policing abstraction rate"}


@pytest.fixture(scope="module")
def catalogue(default_params):
    return [m for m in load_catalogue(default_params.catalogue_path()) if m.in_scorecard]


def test_every_plan_measure_once_under_its_priorities(catalogue):
    names = [m.name for m in catalogue]
    assert len(names) == len(set(names))
    plan_names = {n for ns in PLAN.values() for n in ns}
    assert set(names) == plan_names
    for m in catalogue:
        assert set(m.priorities) == {p for p, ns in PLAN.items() if m.name in ns}, m.name
        assert m.to_be_developed == (m.name in TO_BE_DEVELOPED)


def test_lower_is_better_measures(catalogue):
    lower = {m.id for m in catalogue if m.direction == "lower"}
    assert {"calls_999_abandoned", "calls_101_abandoned", "da_repeat_victim", "missing_repeat_person",
            "days_to_charge", "outstanding_suspects", "expired_vetting", "sickness_hours_lost"} <= lower


def write(tmp_path, text):
    path = tmp_path / "measures.yml"
    path.write_text(text)
    return path


COMPLIANCE_ONLY = ("ppn_submitted_in_time", "ppn_all_children", "stop_search_grounds", "stop_search_supervised")
COMPLIANCE_MEASURES = COMPLIANCE_ONLY + ("da_arrest_rate",)  # the compliance chapter's (../shared/DOMAIN.md)
COMPLIANCE = "".join(f"  - {{id: {m}, name: {m}, short_name: {m}, unit: percent, direction: higher, desired: 90, "
                     f"desired_source: force, shown_in: [compliance], sentence: 'of {m}', source: 'derived:{m}', "
                     "owner: Head of Crime}\n"
                     for m in COMPLIANCE_MEASURES)
BASE = ('schema_version: 1\nmeasures:\n  - {id: a, name: A, short_name: A, priorities: [Protect People], unit: percent, '
        'direction: higher, desired: 90, desired_source: force, source: measure_values, owner: Head of Crime}\n' + COMPLIANCE)


def test_catalogue_refusals(tmp_path):
    assert len(load_catalogue(write(tmp_path, BASE))) == 1 + len(COMPLIANCE_MEASURES)
    with pytest.raises(ParamsError, match=r"measures\[0\]\.direction.*'higher' or 'lower'"):
        load_catalogue(write(tmp_path, BASE.replace("direction: higher", "direction: up", 1)))
    with pytest.raises(ParamsError, match=r"measures\[0\]\.colour: Extra inputs"):
        load_catalogue(write(tmp_path, BASE.replace(" source:", " colour: red, source:", 1)))
    with pytest.raises(ParamsError, match="duplicate id"):
        load_catalogue(write(tmp_path, BASE + BASE.split("measures:\n")[1]))
    with pytest.raises(ParamsError, match="no such derived measure"):
        load_catalogue(write(tmp_path, BASE.replace("measure_values", "'derived:nope'")))
    with pytest.raises(ParamsError, match="a target says where it comes from"):
        load_catalogue(write(tmp_path, BASE.replace("desired_source: force, ", "", 1)))
    with pytest.raises(ParamsError, match="needs a source"):
        load_catalogue(write(tmp_path, BASE.replace("measure_values", "none", 1)))
    with pytest.raises(ParamsError, match=r"no measure is shown in the compliance chapter \(shown_in: \[compliance\]\)"):
        load_catalogue(write(tmp_path, BASE.replace("shown_in: [compliance], ", "")))
    with pytest.raises(ParamsError, match=r"shown_in\[0\]"):
        load_catalogue(write(tmp_path, BASE.replace("shown_in: [compliance]", "shown_in: [summary]", 1)))
    with pytest.raises(ParamsError, match="a percentage is at most 100"):
        load_catalogue(write(tmp_path, BASE.replace("desired: 90", "desired: 150", 1)))


def test_every_measure_has_an_owner(tmp_path):
    """The board pack: an owner (a role) for every measure, required; a force's catalogue may name its own."""
    path = write(tmp_path, BASE.replace(", owner: Head of Crime}", "}", 1))
    with pytest.raises(ParamsError, match=r"measures.yml: measures\[0\] \(a\): owner: missing; give the role "
                                          r"accountable for the measure, 1 to 80 characters \(e.g. 'Head of Crime'"):
        load_catalogue(path)
    with pytest.raises(ParamsError, match=r"measures\[0\]\.owner: String should have at least 1 character"):
        load_catalogue(write(tmp_path, BASE.replace("owner: Head of Crime}", "owner: ''}", 1)))
    write(tmp_path, BASE)
    ext = tmp_path / "force.yml"
    ext.write_text("extends: measures.yml\nschema_version: 1\nowners:\n  a: Chief Superintendent, Response\n")
    assert {m.id: m.owner for m in load_catalogue(ext)}["a"] == "Chief Superintendent, Response"
    ext.write_text("extends: measures.yml\nschema_version: 1\nowners:\n  zz: Head of X\n")
    with pytest.raises(ParamsError, match="owners: 'zz' is not a measure of"):
        load_catalogue(ext)
    ext.write_text("extends: measures.yml\nschema_version: 1\nowners:\n  a: ' '\n")
    with pytest.raises(ParamsError, match=r"owners: 'a': an owner is a role of 1 to 80 characters"):
        load_catalogue(ext)


def test_the_shipped_catalogues_name_an_owner_for_every_measure():
    for name in ("measures.yml", "measures-demo.yml"):
        assert all(m.owner for m in load_catalogue(ROOT / "params" / name)), name


def test_targets_come_only_from_a_catalogue_that_sets_them(tmp_path):
    """Issue 20.5: a measure has a target only where a catalogue sets one (with its source); a catalogue that
    extends another adds targets and nothing else."""
    base = write(tmp_path, BASE.replace("desired: 90, desired_source: force, ", ""))
    assert all(m.desired is None for m in load_catalogue(base))
    ext = tmp_path / "force.yml"

    def extended(text):
        ext.write_text("extends: measures.yml\nschema_version: 1\n" + text)
        return load_catalogue(ext)

    got = {m.id: m for m in extended("targets:\n  a: {desired: 80, desired_source: board}\n")}
    assert (got["a"].desired, got["a"].desired_source) == (80, "board") and got["ppn_all_children"].desired is None
    with pytest.raises(ParamsError, match="targets: 'zz' is not a measure of"):
        extended("targets:\n  zz: {desired: 80, desired_source: board}\n")
    with pytest.raises(ParamsError, match=r"targets\.a\.desired_source"):
        extended("targets:\n  a: {desired: 80}\n")
    with pytest.raises(ParamsError, match="a percentage is at most 100"):
        extended("targets:\n  a: {desired: 180, desired_source: board}\n")
    with pytest.raises(ParamsError, match="adds targets only"):
        extended("measures:\n" + BASE.split("measures:\n")[1])
    with pytest.raises(ParamsError, match="only a catalogue that extends another adds targets"):
        load_catalogue(write(tmp_path, BASE + "targets:\n  a: {desired: 80, desired_source: board}\n"))


def test_the_public_catalogue_sets_no_invented_target():
    """params/measures.yml (a public edition's catalogue) sets only published standards; every demo target is
    labelled a demo assumption and lives in measures-demo.yml, which the demo's defaults name and the public
    example does not."""
    from lib import ROOT
    from lib.config.params import load_params
    from lib.measures.derived import with_standards

    public_params = load_params(ROOT / "params" / "public-example.yml")
    public = with_standards(load_catalogue(public_params.catalogue_path()), public_params)
    assert {m.id: (m.desired, m.desired_source) for m in public if m.desired is not None} == {
        "calls_999_answered_in_time": (90, "national standard")}  # its target is the params' standard
    demo_params = load_params(ROOT / "params" / "2019-12.yml")
    demo = with_standards(load_catalogue(demo_params.catalogue_path()), demo_params)
    invented = [m for m in demo if m.desired is not None and m.id != "calls_999_answered_in_time"]
    assert invented and all("demo assumption" in m.desired_source for m in invented)
    assert "calls_101_answered_in_time" in {m.id for m in invented}  # the demo's 101 standard sets a share
    assert [m.id for m in demo] == [m.id for m in public]  # the measures are defined once
    assert public_params.catalogue_path().name == "measures.yml"
    assert demo_params.catalogue_path().name == "measures-demo.yml"


def test_a_measure_with_a_standard_takes_no_target_of_its_own(tmp_path):
    """One fact, one place: the 999 standard's share is stated in the params, never copied into a catalogue."""
    from lib import ROOT

    base = (ROOT / "params" / "measures.yml").read_text()
    copied = base.replace('standard: "calls.999"', 'standard: "calls.999", desired: 90, desired_source: national')
    with pytest.raises(ParamsError, match="the target of a measure with a standard is the standard's share"):
        load_catalogue(write(tmp_path, copied))
    with pytest.raises(ParamsError, match="standard = 'calls.radio': give calls.<route>"):
        load_catalogue(write(tmp_path, base.replace('standard: "calls.999"', 'standard: "calls.radio"')))


def test_scorecard_agrees_with_compliance_chapter(facts, default_params, loaded):
    shown, data = scorecard.display(facts, default_params)
    da = measures.da_arrest_rate(loaded, default_params).set_index("month").loc["2019-12"]
    assert data.set_index("measure_id").loc["da_arrest_rate", "value"] == pytest.approx(da["value"])
    tbd = data[data["status"] == "to be developed"]
    assert set(tbd["name"]) == TO_BE_DEVELOPED and tbd["score"].isna().all()
    assert len(shown) == 26  # 25 measures, one under two priorities
    assert not set(COMPLIANCE_ONLY) & set(data["measure_id"])  # compliance-only measures are not scored


def test_fmt_score_rounds_down():
    assert fmt_score(0.9999) == "0.99" and fmt_score(1.0) == "1.00"
    assert fmt_score(float("inf")) == "≥ 10" and fmt_score(float("nan")) == "no data"


def test_neighbourhood_rate_per_1000(default_params, loaded):
    s = measures.DERIVED["neighbourhood_crime_rate"](loaded, default_params).set_index("month").loc["2019-12"]
    raw = pd.read_parquet(default_params.input_path("crimes"))
    count = raw[(raw["Month"] == "2019-12") & raw["Crime type"].isin(
        ["Burglary", "Robbery", "Theft from the person", "Vehicle crime"])].shape[0]
    assert s["value"] == pytest.approx(count / 570_000 * 1000)


def test_movers_rose_or_fell_as_shown_never_both():
    """An improvement is a measure whose score rose, a concern one whose score fell (the unrounded change, rounded
    once); with few measures the two tables do not repeat each other, and a change rounding to ±0.00 is in neither."""
    from lib.present import table
    from lib.present.texts import Text

    catalogue = pd.DataFrame({"measure_id": ["up", "down", "same"], "name": ["Up", "Down", "Same"]})
    movers = pd.DataFrame({"measure_id": ["up", "same", "down"], "score": [1.2, 0.955, 0.5],
                           "score_last_year": [0.9, 0.951, 0.8]})
    movers["change"] = movers["score"] - movers["score_last_year"]
    rose, fell = scorecard.movers_display({"movers": movers, "catalogue": catalogue})
    assert rose["measure"].tolist() == ["Up"] and rose["change"].tolist() == ["+0.30"]
    assert fell["measure"].tolist() == ["Down"] and fell["change"].tolist() == ["−0.30"]
    # The case: shown scores (rounded down) 1.24 and 1.00, but the change is 0.233: +0.23, rounded once.
    once = pd.DataFrame({"measure_id": ["up"], "score": [1.240], "score_last_year": [1.007]})
    once["change"] = once["score"] - once["score_last_year"]
    rose, _ = scorecard.movers_display({"movers": once, "catalogue": catalogue})
    assert rose["score now"].tolist() == ["1.24"] and rose["change"].tolist() == ["+0.23"]
    none = table(rose.iloc[:0], caption="Largest improvements", empty="no measure's score rose")
    assert isinstance(none, Text) and none.text == "Largest improvements: no measure's score rose."


def test_changes_whose_cause_is_not_recorded_are_listed_for_the_analyst(facts):
    """Issue 21: demo crimes recorded within 24 hours rose from mid-2019 with no listed intervention; the scorecard
    lists the change (the compliance measures' are described under their own charts)."""
    shown, data = scorecard.changes_display(facts)
    row = shown.set_index("measure").loc["Crimes recorded within 24 h"]
    assert row["change from"] == "June 2019"
    assert row["what"] == "7 months in a row above the old average of 86.2%"
    assert row["months since"] == "7 (limits provisional)"
    assert not set(data["measure_id"]) & set(COMPLIANCE_MEASURES)
    assert set(data["measure_id"]) == set(facts["measure_changes"]["measure_id"])  # the demo's are all scored


# --- Sentences built from counts read right at 0, 1 and many (issue 20.9) --------------------------------

@pytest.mark.parametrize(("n", "expected"), [(0, "no measures"), (1, "1 measure"), (2, "2 measures"),
                                             (1234, "1,234 measures")])
def test_counted_agrees_with_its_number(n, expected):
    from lib.present import counted

    assert counted(n, "measure") == expected


@pytest.mark.parametrize(("c", "expected"), [
    ({"total": 25, "tbd": 2, "not_supplied": 20, "no_target": 0, "no_data": 0, "scored": 3, "met": 1},
     "The plan lists 25 measures. 2 are still to be developed; 20 are not supplied by these inputs: listed, not "
     "scored. In December 2019, 1 of the 3 scored measures met their desired level."),
    ({"total": 1, "tbd": 1, "not_supplied": 0, "no_target": 0, "no_data": 0, "scored": 0, "met": 0},
     "The plan lists 1 measure. 1 is still to be developed: listed, not scored. In December 2019, no measure could "
     "be scored."),
    ({"total": 5, "tbd": 0, "not_supplied": 1, "no_target": 1, "no_data": 1, "scored": 3, "met": 0},
     "The plan lists 5 measures. 1 is not supplied by these inputs; 1 has no target set: listed, not scored. In "
     "December 2019, 0 of the 3 scored measures met their desired level; 1 had no data for the month."),
    ({"total": 2, "tbd": 0, "not_supplied": 0, "no_target": 0, "no_data": 0, "scored": 1, "met": 1},
     "The plan lists 2 measures. In December 2019, 1 of the 1 scored measure met its desired level."),
])
def test_the_counts_sentence_reads_right_at_0_1_and_many(c, expected):
    """Issue: '25 measures; 2; 20 are not supplied … are still to be developed', '1 measures'."""
    assert scorecard.counts_sentence(c, "2019-12") == expected


def test_every_count_the_sentence_quotes_is_the_count_in_its_table(facts):
    c = scorecard.counts(facts)
    p = facts["measure_period"].set_index("measure_id")
    ids = facts["catalogue"].loc[facts["catalogue"]["priorities"] != "", "measure_id"]
    assert c["total"] == len(ids) and c["met"] == int((p.loc[ids, "status"] == "met").sum())
    assert f"{c['met']:,} of the {c['scored']:,} scored" in scorecard.counts_sentence(c, "2019-12") or not c["scored"]


def test_movers_say_why_they_are_empty(facts):
    none = dict(facts)
    none["movers"] = facts["movers"].assign(score_last_year=float("nan"))
    assert scorecard.movers_empty(none, "rose").startswith("no measure has a score for both this month and")
    assert scorecard.movers_empty(facts, "fell") == "no measure's score fell"
