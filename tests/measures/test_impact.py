"""IMPACT scores against hand-computed cases, including lower-is-better, NaN and the edge cases."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib.errors import ModelError
from lib.measures.impact import impact_score, status


@pytest.mark.parametrize("current,desired,direction,expected", [
    (90.0, 90.0, "higher", 1.0),     # at the desired level: exactly 1
    (45.0, 90.0, "higher", 0.5),
    (99.0, 90.0, "higher", 1.1),
    (1.5, 1.5, "lower", 1.0),
    (3.0, 1.5, "lower", 0.5),        # twice the desired abandon rate: half way
    (1.0, 1.5, "lower", 1.5),
    (0.0, 90.0, "higher", 0.0),
    (0.0, 5.0, "lower", math.inf),   # nothing where less is better: met by any margin
])
def test_hand_computed(current, desired, direction, expected):
    assert impact_score(current, desired, direction) == pytest.approx(expected)


def test_nan_in_nan_out_and_vectorised():
    got = impact_score(np.array([80.0, np.nan, 2.0]), np.array([90.0, 90.0, 1.0]),
                       np.array(["higher", "higher", "lower"], dtype=object))
    assert got[0] == pytest.approx(80 / 90) and math.isnan(got[1]) and got[2] == pytest.approx(0.5)
    assert math.isnan(impact_score(50.0, np.nan, "higher"))
    series = impact_score(pd.Series([10.0, 20.0]), 20.0, "lower")
    assert list(series) == [2.0, 1.0]


@pytest.mark.parametrize("args,match", [
    ((1.0, 1.0, "up"), "direction = 'up': must be 'higher' or 'lower'"),
    ((1.0, 1.0, "Higher"), "direction = 'Higher'"),
    ((1.0, 0.0, "higher"), "desired = 0"),
    ((-1.0, 1.0, "lower"), "must be >= 0"),
])
def test_refusals(args, match):
    with pytest.raises(ModelError, match=match):
        impact_score(*args)


def test_status():
    assert status(1.0) == "met" and status(0.999) == "not met" and status(np.nan) == "no data"
    assert status(math.inf) == "met"


def test_priority_summary_counts_and_medians():
    """Counted by hand: priority A has 3 measures (one to be developed), 2 scored (1.2 met, 0.8 not), median 1.0;
    B's median of (0.5, +inf) is +inf (scores are not averaged, so the +inf is not averaged away)."""
    from lib.chapters.scorecard import priority_summary
    from lib.vocabulary import PRIORITIES

    a, b = PRIORITIES[0], PRIORITIES[1]
    catalogue = pd.DataFrame({"measure_id": ["m1", "m2", "m3", "m4", "m5"],
                              "priorities": [a, a, a, b, b],
                              "to_be_developed": [False, False, True, False, False]})
    period = pd.DataFrame({"measure_id": ["m1", "m2", "m3", "m4", "m5"], "score": [1.2, 0.8, np.nan, math.inf, 0.5],
                           "status": ["met", "not met", "to be developed", "met", "not met"]})
    s = priority_summary(period, catalogue).set_index("priority")
    assert (s.loc[a, "measures"], s.loc[a, "scored"], s.loc[a, "met"], s.loc[a, "to_be_developed"]) == (3, 2, 1, 1)
    assert s.loc[a, "median_score"] == pytest.approx(1.0)
    assert s.loc[b, "median_score"] == math.inf
    assert set(s.index) == set(PRIORITIES)  # every priority has its row, with or without measures
