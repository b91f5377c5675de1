"""Districts: the scorecard's measures broken down by district add up to the force's, and people are protected."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.inputs.loading import load_all
from lib.measures import derived
from lib.scorecard import districts
from lib.stats.disclosure import SUPPRESSED


@pytest.fixture(scope="module")
def setup(default_params):
    loaded = load_all(default_params)
    return loaded, districts.compute(loaded, default_params)


def test_local_authority_from_the_lsoa_name():
    names = pd.Series(["Middlesbrough 005A", "Redcar and Cleveland 021C", None, "Stockton-on-Tees 027A"])
    assert districts.local_authority(names).tolist()[:2] == ["Middlesbrough", "Redcar and Cleveland"]
    assert pd.isna(districts.local_authority(names).iloc[2])


def test_districts_group_local_authorities(default_params):
    params = default_params.model_copy(update={"districts": {"South": ["Middlesbrough", "Redcar and Cleveland"]}})
    got = districts.district_of(pd.Series(["Middlesbrough", "Redcar and Cleveland", "Hartlepool", None]), params)
    assert got.tolist() == ["South", "South", "Hartlepool", districts.NO_LOCATION]


def test_crime_by_district_adds_up_to_the_force(setup, default_params):
    loaded, facts = setup
    c = facts["district_crime"]
    by_month = c.groupby("month")["crimes"].sum()
    force = derived.crimes(loaded, default_params)["Month"].value_counts()
    for month, total in by_month.items():
        assert total == force[month]  # no crime dropped, whatever its location
    assert set(c["month"]) == set(districts.months(default_params))


def test_rates_by_district_add_up_to_the_scorecard_measure(setup, default_params):
    loaded, facts = setup
    r = facts["district_rates"]
    ppn = r[r["measure"] == "PPNs submitted in time"].groupby("month")[["x", "n"]].sum()
    measure = derived.ppn_submitted_in_time(loaded, default_params).set_index("month")
    for month, row in ppn.iterrows():
        assert (row["x"], row["n"]) == (measure.loc[month, "x"], measure.loc[month, "n"])


def test_counts_about_people_are_suppressed(default_params):
    """A district-month with 3 PPNs: its count and its rate are hidden, and another cell with it."""
    month = pd.Series(["2019-12"] * 3 + ["2019-12"] * 40 + ["2019-11"] * 50)
    district = pd.Series(["A"] * 3 + ["B"] * 40 + ["A"] * 20 + ["B"] * 30)
    flag = pd.Series([True] * 93)
    t = districts._rate_table(None, month, flag, district, default_params, "PPNs", True, ("2019-11", "2019-12"))
    small = t[(t["district"] == "A") & (t["month"] == "2019-12")].iloc[0]
    assert small["n_shown"] == SUPPRESSED and small["value_shown"] == SUPPRESSED
    assert (t["value_shown"] == SUPPRESSED).sum() >= 2  # secondary suppression: the total would give it away
    events = districts._rate_table(None, month, flag, district, default_params, "incidents", False, ("2019-11", "2019-12"))
    assert SUPPRESSED not in set(events["value_shown"])  # incidents are events, not people
