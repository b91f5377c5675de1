"""Stop and search per 1,000 residents by ethnicity and the disproportionality ratio, against independent counts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.rates import confint_poisson

from lib.chapters import stop_search
from lib.inputs.loading import load_source
from lib.inputs.months import month_of

POPS = pd.DataFrame({"population": [19_900.0, 2_800.0, 538_200.0], "source": ["demo"] * 3},
                    index=["Asian", "Black", "White"])


def test_rates_and_ratio_by_hand_with_small_counts_suppressed():
    """Asian 60 searches of 19,900 residents: 3.015 per 1,000; White 900 of 538,200: 1.672; ratio 1.803 (by hand).
    Black's 3 searches are under the threshold of 5: [c], no rate, no ratio; Mixed has no population."""
    counts = pd.Series({"Asian": 60, "Black": 3, "Mixed": 40, "White": 900})
    e = stop_search.by_ethnicity(counts, POPS, 5).set_index("ethnicity")
    assert e.loc["Asian", "rate"] == pytest.approx(3.015, abs=5e-4)
    assert e.loc["White", "rate"] == pytest.approx(1.672, abs=5e-4)
    assert e.loc["Asian", "ratio"] == pytest.approx(1.803, abs=5e-4) and e.loc["White", "ratio"] == pytest.approx(1.0)
    ref = Table2x2(np.array([[60, 19_900 - 60], [900, 538_200 - 900]])).riskratio_confint()
    assert (e.loc["Asian", "ratio_lower"], e.loc["Asian", "ratio_upper"]) == (pytest.approx(ref[0], rel=1e-9),
                                                                              pytest.approx(ref[1], rel=1e-9))
    lo, hi = confint_poisson(60, 19_900, method="exact-c")
    assert e.loc["Asian", "lower"] == pytest.approx(1000 * lo, rel=1e-9)
    assert e.loc["Asian", "upper"] == pytest.approx(1000 * hi, rel=1e-9)
    assert e.loc["Black", "searches_shown"] == "[c]" and pd.isna(e.loc["Black", "searches"])
    assert pd.isna(e.loc["Black", "rate"]) and pd.isna(e.loc["Black", "ratio"])
    # Mixed is hidden too (secondary suppression: with the total published, Black's 3 would follow from it) and has
    # no population: no rate either way.
    assert e.loc["Mixed", "searches_shown"] == "[c]" and pd.isna(e.loc["Mixed", "rate"])
    shown, _ = stop_search.ethnicity_display({"stop_search_ethnicity": e.reset_index()})
    row = shown.set_index("officer-defined ethnicity")
    assert row.loc["Black", "per 1,000 residents"] == "[c]" and row.loc["Mixed", "residents"] == "no population supplied"
    assert row.loc["White", "ratio to White"] == "1.00" and row.loc["Asian", "per 1,000 residents"] == "3.02"
    assert row.loc["White", "95% interval (Katz)"] == "reference group"
    assert row.loc["Total", "ratio to White"] == "not applicable"


def test_demo_rates_match_a_count_of_the_raw_file(default_params):
    """Independent count: the demo stop-search file's rows of the 12 months to the period, by officer-defined
    ethnicity, over the populations file's figures."""
    loaded = {n: load_source(default_params, n) for n in ("stop_search", "populations")}
    got = stop_search.compute(loaded, default_params)["stop_search_ethnicity"].set_index("ethnicity")
    raw = pd.read_parquet(default_params.input_paths("stop_search")[0])
    months = month_of(pd.to_datetime(raw["Date"], utc=True).dt.tz_convert("Europe/London"))
    window = [str(m) for m in pd.period_range(pd.Period(default_params.period, "M") - 11, default_params.period, freq="M")]
    year = raw[months.isin(window)]
    pops = pd.read_parquet(default_params.input_paths("populations")[0])
    pops = pops[pops["area"] == "force area"].set_index("ethnicity")["population"]
    white = (year["Officer-defined ethnicity"] == "White").sum()
    for group, n in year["Officer-defined ethnicity"].value_counts().items():
        if n >= default_params.disclosure.min_count:
            assert got.loc[group, "searches"] == n
            assert got.loc[group, "rate"] == pytest.approx(1000 * n / pops[group], rel=1e-12)
            assert got.loc[group, "ratio"] == pytest.approx((n / pops[group]) / (white / pops["White"]), rel=1e-12)
    assert got["first_month"].iloc[0] == window[0] and got["last_month"].iloc[0] == window[-1]
