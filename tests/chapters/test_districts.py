"""Districts: the scorecard's measures broken down by district add up to the force's, and people are protected."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.chapters import districts
from lib.inputs.loading import load_all
from lib.measures import derived
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
    frame, month, flag = derived.ppn_in_time_rows(loaded, default_params)
    district = frame["incident_id"].map(loaded["incidents"].frame.set_index("incident_id")["district"])
    # Counted as events (nothing suppressed), the districts' counts add up to the scorecard's.
    r = districts._rate_table(frame, month, flag, district.fillna(districts.NO_DISTRICT), default_params, "PPNs",
                              False, loaded["ppn"].coverage)
    ppn = r.groupby("month")[["x", "n"]].sum()
    measure = derived.ppn_submitted_in_time(loaded, default_params).set_index("month")
    for month, row in ppn.iterrows():
        assert (row["x"], row["n"]) == (measure.loc[month, "x"], measure.loc[month, "n"])


def _what_a_reader_can_work_out(month_rows: pd.DataFrame, force_x: int, force_n: int, k: int):
    """Attack one month of a published district table (Hundepool et al. 2012, ch. 4): the reader knows each
    district's x and n where shown, the force's x and n (the scorecard), that n = x + (n - x), and the rule.
    Returns the ranges of every hidden count (x, n and n - x) and the complements a reader can compute."""
    from lib.stats.disclosure import attack

    table, computed = [], []
    for row in month_rows.itertuples():
        late = SUPPRESSED if SUPPRESSED in (row.x_shown, row.n_shown) else \
            f"{int(row.n_shown.replace(',', '')) - int(row.x_shown.replace(',', ''))}"
        if late != SUPPRESSED:
            computed.append(int(late))
        table.append([row.x_shown, late, row.n_shown])
    table.append([f"{force_x}", f"{force_n - force_x}", f"{force_n}"])
    published = pd.DataFrame(table, columns=["met", "not met", "Total"])
    return attack(published), computed


def test_no_count_or_complement_of_people_can_be_worked_out(default_params):
    """A district with 30 PPNs of which 1 was late: its x (29) and n (30) may not both be shown, or n - x = 1
    gives the late one away. Every hidden count keeps a range of at least min_count, every complement a reader
    can compute is 0 or at least min_count (issue: 133 of 134 cells gave 1-2 late PPNs exactly)."""
    k = default_params.disclosure.min_count
    sizes = {"A": (30, 29), "B": (40, 38), "C": (25, 25), "D": (3, 3), "E": (60, 52)}
    district, flag = [], []
    for name, (n, x) in sizes.items():
        district += [name] * n
        flag += [True] * x + [False] * (n - x)
    month = pd.Series(["2019-12"] * len(flag))
    t = districts._rate_table(None, month, pd.Series(flag), pd.Series(district), default_params, "PPNs", True,
                              ("2019-12",))
    ranges, computed = _what_a_reader_can_work_out(t, sum(x for _, x in sizes.values()),
                                                   sum(n for n, _ in sizes.values()), k)
    assert ((ranges["hi"] - ranges["lo"]) >= k).all(), ranges
    assert all(v == 0 or v >= k for v in computed), computed
    # The fact table carries nothing the page hides: where [c] is shown, the count and the rate are blank.
    for shown, raw in (("x_shown", "x"), ("n_shown", "n")):
        assert t.loc[t[shown] == SUPPRESSED, raw].isna().all()
    assert t.loc[t["value_shown"] == SUPPRESSED, "value"].isna().all()


def test_demo_district_tables_hold_up_to_attack(setup, default_params):
    loaded, facts = setup
    k = default_params.disclosure.min_count
    r = facts["district_rates"]
    measure = derived.ppn_submitted_in_time(loaded, default_params).set_index("month")
    people = r[r["measure"] == "PPNs submitted in time"]
    assert (people["value_shown"] == SUPPRESSED).any()  # the demo has small cells to protect
    for month, rows in people.groupby("month"):
        ranges, computed = _what_a_reader_can_work_out(rows, int(measure.loc[month, "x"]), int(measure.loc[month, "n"]), k)
        assert ((ranges["hi"] - ranges["lo"]) >= k).all(), (month, ranges)
        assert all(v == 0 or v >= k for v in computed), (month, computed)


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


def test_district_crime_rates_per_1000_with_exact_poisson_intervals(default_params):
    """Rates by hand: 1,200 crimes among 93,700 residents = 12.807 per 1,000; the exact 95% limits are
    statsmodels' exact-c interval (independent reference) times 1,000. A district without a population, and
    crimes with no location, have no rate."""
    from statsmodels.stats.rates import confint_poisson

    crime = pd.DataFrame({"district": ["Hartlepool", "Hartlepool", "Elsewhere", "no location"],
                          "month": ["2019-11", "2019-12", "2019-12", "2019-12"], "crimes": [600, 600, 50, 7]})
    pops = pd.DataFrame({"population": [93_700.0], "source": ["ONS"]}, index=["Hartlepool"])
    r = districts.crime_rates(crime, pops).set_index("district")
    assert r.loc["Hartlepool", "months"] == 2 and r.loc["Hartlepool", "crimes"] == 1200
    assert r.loc["Hartlepool", "rate"] == pytest.approx(12.807, abs=5e-4)
    lo, hi = confint_poisson(1200, 93_700, method="exact-c")
    assert (r.loc["Hartlepool", "lower"], r.loc["Hartlepool", "upper"]) == (pytest.approx(1000 * lo, rel=1e-9),
                                                                            pytest.approx(1000 * hi, rel=1e-9))
    assert pd.isna(r.loc["Elsewhere", "rate"]) and pd.isna(r.loc["no location", "population"])
    shown, _ = districts.crime_rates_display({"district_crime_rates": r.reset_index()})
    assert list(shown["crimes per 1,000 residents"]) == ["no population supplied", "12.81", "no population supplied"]
