"""Property-based tests (hypothesis): no crash on any valid input, and the invariants hold."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.measures import impact
from lib.staffing import erlang
from lib.stats import proportions as compliance
from lib.stats import spc

calls = st.floats(0.01, 3000, allow_nan=False)
aht = st.floats(5, 3600, allow_nan=False)
target = st.floats(0, 600, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(calls, aht, target, st.integers(1, 400))
def test_service_level_rises_with_agents(c, h, t, n):
    a = erlang.service_level(n, c, h, t)
    b = erlang.service_level(n + 1, c, h, t)
    assert 0 <= a <= b <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(calls, aht, st.floats(1, 300), st.floats(0.05, 0.99), st.floats(0.5, 1.0))
def test_required_agents_meet_the_target_and_cap(c, h, t, sl, occ):
    n = erlang.required_agents(c, h, t, sl, max_occupancy=occ)
    assert erlang.service_level(n, c, h, t) >= sl
    assert erlang.occupancy(n, c, h) <= occ + 1e-9
    # minimal: one agent fewer breaks the target or the cap
    assert erlang.service_level(n - 1, c, h, t) < sl or erlang.occupancy(n - 1, c, h) > occ + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.floats(0, 0.99))
def test_rostered_staff_is_the_exact_ceiling(agents, shrinkage):
    r = erlang.rostered_staff(agents, shrinkage)
    assert r >= agents
    # lib.staffing.erlang treats a value within 1e-9 (relative) of a whole number as that number
    assert r * (1 - shrinkage) >= agents * (1 - 2e-9)
    assert r == 0 or (r - 1) * (1 - shrinkage) < agents * (1 + 2e-9)


def counts(max_n: int, min_n: int = 0):
    """(x, n) with 0 <= x <= n."""
    return st.integers(min_n, max_n).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=200, deadline=None)
@given(counts(5000), st.sampled_from(["wilson", "clopper_pearson", "jeffreys"]))
def test_interval_contains_the_estimate(xn, method):
    x, n = xn
    lo, hi = compliance.proportion_ci(x, n, method=method)
    if n == 0:
        assert math.isnan(lo) and math.isnan(hi)
    else:
        assert 0 <= lo <= x / n <= hi <= 1


@settings(max_examples=100, deadline=None)
@given(counts(300, 1), counts(300, 1))
def test_newcombe_interval_contains_the_difference(a, b):
    (x1, n1), (x2, n2) = a, b
    r = compliance.compare_proportions(x1, n1, x2, n2)
    assert -1 <= r.lower <= r.difference + 1e-12 and r.difference - 1e-12 <= r.upper <= 1
    assert 0 <= r.p_value <= 1


@settings(max_examples=100, deadline=None)
@given(st.floats(0.001, 1e6), st.sampled_from(["higher", "lower"]))
def test_score_is_one_at_target(desired, direction):
    assert impact.impact_score(desired, desired, direction) == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 1e4), st.floats(0.01, 1e4), st.floats(0.01, 1e4))
def test_better_performance_never_scores_lower(a, b, desired):
    lo, hi = sorted([a, b])
    assert impact.impact_score(hi, desired, "higher") >= impact.impact_score(lo, desired, "higher")
    assert impact.impact_score(lo, desired, "lower") >= impact.impact_score(hi, desired, "lower")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=12, max_size=60),
       st.sampled_from(["increase", "decrease", "neutral"]))
def test_xmr_never_crashes_and_limits_are_symmetric(values, improvement):
    frame = spc.xmr(values, improvement=improvement)
    assert len(frame) == len(values)
    assert set(frame["point_type"]) <= set(spc.POINT_TYPES)
    spread_up = frame["upl"] - frame["mean"]
    spread_down = frame["mean"] - frame["lpl"]
    assert np.allclose(spread_up, spread_down, equal_nan=True)
    assert spc.variation_icon(frame)
