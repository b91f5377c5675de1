"""Derived monthly measures: counts by hand, 'no data' months, and agreement with the raw files."""
from __future__ import annotations

import math

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
