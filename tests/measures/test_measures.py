"""Derived monthly measures: counts by hand, 'no data' months, and agreement with the raw files."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib.measures import derived as measures


def test_monthly_proportion_by_hand():
    month = pd.Series(["2019-01", "2019-01", "2019-01", "2019-03"])
    flag = pd.Series([True, False, True, False])
    out = measures.monthly_proportion(month, flag, ["2019-01", "2019-02", "2019-03"])
    assert out["x"].tolist() == [2, 0, 0] and out["n"].tolist() == [3, 0, 1]
    assert out["value"].iloc[0] == pytest.approx(200 / 3) and math.isnan(out["value"].iloc[1]) and out["value"].iloc[2] == 0
    assert math.isnan(out["lower"].iloc[1])  # no data -> no interval, never 0% or 100%
    assert out["lower"].iloc[0] < 200 / 3 < out["upper"].iloc[0]


def test_quarter_and_pooling():
    assert measures.quarter("2019-04") == "2019/20 Q1"
    assert measures.quarter("2019-12") == "2019/20 Q3"
    assert measures.quarter("2020-03") == "2019/20 Q4"
    s = pd.DataFrame({"month": ["2019-10", "2019-11", "2019-12"], "x": [1, 2, 3], "n": [10, 10, 10]})
    assert measures.pooled(s, "2019-11", "2019-12") == (5, 20)


def test_da_arrest_rate_matches_raw_file(loaded, default_params):
    raw = pd.read_parquet(default_params.input_path("crimes"))
    dec = raw[(raw["Month"] == "2019-12") & raw["domestic_abuse"]]
    row = measures.da_arrest_rate(loaded, default_params).set_index("month").loc["2019-12"]
    assert (row["x"], row["n"]) == (dec["arrest_made"].sum(), len(dec))


def test_ppn_months_use_london_time(loaded, default_params):
    raw = pd.read_parquet(default_params.input_path("ppn"))
    local = raw["submitted_at"].dt.tz_convert("Europe/London").dt.strftime("%Y-%m")
    row = measures.ppn_submitted_in_time(loaded, default_params).set_index("month").loc["2019-07"]
    assert row["n"] == (local == "2019-07").sum()


# --- Control charts that follow change (params interventions) -----------------------------------------------

def _chart(values, interventions):
    from lib.measures.facts import control_chart

    months = [str(m) for m in pd.period_range("2018-01", periods=len(values), freq="M")]
    return control_chart(pd.DataFrame({"month": months, "value": values}), "higher", 95.0, interventions)


def test_a_measure_met_every_month_since_a_change_never_reads_will_miss():
    """12 months near 60%, then an intervention and 100% every month (the issue's supervisor review): rebased,
    the current phase is judged alone, and it cannot read 'will consistently miss'."""
    values = [60, 62, 58, 61, 59, 60, 63, 57, 60, 61, 62, 59] + [100.0] * 9
    result = _chart(values, {"2019-01": "supervisor checks"})
    d = result.decisions[0]
    assert d.applied and d.start == "2019-01" and d.run == 9 and d.side == "above"
    current = result.chart[result.chart["group"] == result.chart["group"].max()]
    assert len(current) == 9 and (current["mean"] == 100).all()
    from lib.stats import spc
    assert spc.assurance_icon(result.chart) != "consistent_fail"
    # Without the intervention the same shift starts a phase whose cause is not recorded: the reading is the same.
    unrecorded = _chart(values, None)
    assert [c.start for c in unrecorded.changes] == ["2019-01"] and unrecorded.decisions == ()
    assert spc.assurance_icon(unrecorded.chart) == spc.assurance_icon(result.chart) == "consistent_pass"


def test_an_intervention_in_a_month_without_data_takes_effect_at_the_next_month():
    values = [60.0] * 6 + [np.nan, 90, 91, 92, 90, 93, 91, 92]
    result = _chart(values, {"2018-07": "new process"})
    assert result.decisions[0].at == "2018-08" and result.decisions[0].applied


def test_interventions_apply_to_the_measures_they_name(default_params):
    from lib.measures.facts import interventions_for

    item = default_params.interventions[0]
    assert interventions_for(default_params, item.measures[0]) == {item.month: item.label}
    assert interventions_for(default_params, "calls_999_answered_in_time") == {}


# --- Readings on the demo's three periods (issue 21) and targets only where set (issue 20.5) -----------------------

@pytest.mark.parametrize("period", ["2019-10", "2019-11", "2019-12"])
def test_no_reading_on_a_demo_period_contradicts_its_row_and_every_scored_measure_has_a_chart(period):
    """Read page by page as a board would: no "will consistently miss" beside a met target, no "consistently meet"
    beside a missed one, and every measure with values has a control chart (issue 21, "Done when")."""
    from lib.pipeline.notebooks import open_period
    from lib.present.charts.spc import describe

    _, facts = open_period(f"params/{period}.yml", period)
    p = facts["measure_period"]
    for row in p.itertuples():
        words = describe(row._asdict())
        if row.status == "met":
            assert row.assurance != "consistent_fail" and "consistently miss" not in words, (period, row.measure_id)
        if row.status == "not met":
            assert row.assurance != "consistent_pass" and "consistently meet" not in words, (period, row.measure_id)
    supplied = p.loc[~p["status"].isin(["to be developed", "not supplied"]), "measure_id"]
    charted = facts["measure_spc"].groupby("measure_id").size()
    assert (charted.reindex(supplied).fillna(0) >= 12).all()


def test_without_targets_in_the_catalogue_no_measure_is_scored_read_against_a_target_or_an_exception(default_params,
                                                                                                    loaded):
    """Issue 20.5: the public catalogue (params/measures.yml) sets only the 999 national standard. Built on it, every
    other measure reads "no target set": no score, no assurance reading, no exception."""
    from lib import ROOT
    from lib.chapters import exceptions, scorecard
    from lib.measures import facts as measure_facts
    from lib.measures.derived import catalogue as load_catalogue

    public = default_params.model_copy(update={"calls": default_params.calls.with_share("101", None)})  # as the
    # public example states it: 101's share is the demo's invented target
    facts = measure_facts.compute(load_catalogue(ROOT / "params" / "measures.yml"), loaded, public)
    p = facts["measure_period"].set_index("measure_id")
    untargeted = p[p["target"].isna() & ~p["status"].isin(["to be developed", "not supplied"])]
    assert len(untargeted) == 26 and (untargeted["status"] == "no target set").all()
    assert untargeted["score"].isna().all() and (untargeted["assurance"] == "no_target").all()
    calls = p.loc["calls_999_answered_in_time"]
    assert calls["target"] == 90 and calls["status"] in ("met", "not met")  # the national standard, from the params
    missed = exceptions.measures(facts, {}, default_params)
    assert set(missed["measure_id"]) <= {"calls_999_answered_in_time"}
    facts.update(scorecard.compute(facts, default_params))
    shown, _ = scorecard.display(facts, default_params)
    full = shown["measure"].map(lambda v: getattr(v, "words", v))  # the full name, keyed under a short one
    crimes = shown[full.str.startswith("% of crimes solved")].iloc[0]
    assert (crimes["target"], crimes["score"], crimes["status"]) == ("no target set", "", "no target set")
    assert crimes["control chart"][-1] == "no target set"  # the reading's last part, in full words
    assert scorecard.counts(facts)["no_target"] == 22 and scorecard.counts(facts)["scored"] == 1
