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
    unrebased = _chart(values, None)
    assert spc.assurance_icon(unrebased.chart) == "consistent_fail"  # what the book used to say
    assert [s.start for s in unrebased.suggestions] == ["2019-01"]  # ... and now suggests instead


def test_an_intervention_in_a_month_without_data_takes_effect_at_the_next_month():
    values = [60.0] * 6 + [np.nan, 90, 91, 92, 90, 93, 91, 92]
    result = _chart(values, {"2018-07": "new process"})
    assert result.decisions[0].at == "2018-08" and result.decisions[0].applied


def test_interventions_apply_to_the_measures_they_name(default_params):
    from lib.measures.facts import interventions_for

    item = default_params.interventions[0]
    assert interventions_for(default_params, item.measures[0]) == {item.month: item.label}
    assert interventions_for(default_params, "calls_999_in_10s") == {}
