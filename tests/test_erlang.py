"""Erlang C against a published worked example and two independent formulations.

References
----------
[CCH] Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example":
      100 calls in 30 minutes, AHT 180 s, 80% answered in 20 s -> 10 Erlangs; 14 agents;
      probability of waiting 17.4%, service level 88.8%, ASA 7.8 s; 13 agents give 79.6%.
[FACT] The textbook formula with factorials, in exact rational arithmetic (fractions), for small N:
       C = (A^N / N!) (N / (N - A)) / (sum_{k<N} A^k / k! + (A^N / N!) (N / (N - A))).
[POIS] Erlang B as a ratio of Poisson probabilities, B = pmf(N; A) / cdf(N; A) (scipy.stats), which
       stays finite at 1,000+ Erlangs; C = N B / (N - A (1 - B)).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lib.errors import ModelError
from lib.staffing import erlang


def test_worked_example_cch():
    assert erlang.offered_load(100, 180, 1800) == pytest.approx(10.0)
    assert erlang.erlang_c(14, 10.0) == pytest.approx(0.174, abs=0.0005)
    assert erlang.service_level(14, 100, 180, 20, 1800) == pytest.approx(0.888, abs=0.0005)
    assert erlang.service_level(13, 100, 180, 20, 1800) == pytest.approx(0.796, abs=0.0005)
    assert erlang.average_speed_of_answer(14, 100, 180, 1800) == pytest.approx(7.8, abs=0.05)
    assert erlang.required_agents(100, 180, 20, 0.8, 1800) == 14
    assert erlang.occupancy(14, 100, 180, 1800) == pytest.approx(10 / 14)


def erlang_c_exact(n: int, a: Fraction) -> Fraction:
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize("n,a", [(1, Fraction(1, 2)), (2, Fraction(3, 2)), (5, Fraction(7, 2)), (14, Fraction(10)),
                                 (30, Fraction(251, 10)), (60, Fraction(5799, 100))])
def test_erlang_c_against_exact_factorial_formula(n, a):
    assert erlang.erlang_c(n, float(a)) == pytest.approx(float(erlang_c_exact(n, a)), rel=1e-12)


@pytest.mark.parametrize("n,a", [(1100, 1000.0), (1030, 1000.0), (2600, 2500.0), (12, 0.01)])
def test_erlang_c_stable_at_large_and_small_loads(n, a):
    b = stats.poisson.pmf(n, a) / stats.poisson.cdf(n, a)
    reference = n * b / (n - a * (1 - b))
    assert erlang.erlang_c(n, a) == pytest.approx(reference, rel=1e-9)
    assert np.isfinite(erlang.service_level(n, a * 3600 / 300, 300, 20))


def test_unstable_queue_and_no_calls():
    assert erlang.erlang_c(10, 10.0) == 1.0
    assert erlang.service_level(10, 120, 300, 20) == 0.0   # A = 10 = N: the queue grows without bound
    assert erlang.average_speed_of_answer(9, 120, 300) == np.inf
    assert erlang.service_level(0, 0, 300, 20) == 1.0
    assert erlang.required_agents(0, 300, 20, 0.9) == 0


def test_required_agents_is_the_minimum():
    calls = np.array([1, 5, 17, 80, 250, 900, 4000])
    need = erlang.required_agents(calls, 240, 10, 0.9)
    assert (erlang.service_level(need, calls, 240, 10) >= 0.9).all()
    below = erlang.service_level(need - 1, calls, 240, 10)
    assert (below < 0.9).all()


def test_required_agents_occupancy_cap():
    # 10 Erlangs: 11 agents answer 39% in 20 s, enough for a 30% target; an 85% occupancy cap
    # needs ceil(10 / 0.85) = 12.
    assert erlang.service_level(11, 100, 180, 20, 1800) == pytest.approx(0.39, abs=0.01)
    assert erlang.required_agents(100, 180, 20, 0.3, 1800, max_occupancy=1.0) == 11
    assert erlang.required_agents(100, 180, 20, 0.3, 1800, max_occupancy=0.85) == 12


def test_vectorised_matches_scalar_and_accepts_series():
    calls = pd.Series([10.0, 55.0, 300.0])
    vec = erlang.required_agents(calls, 200, 20, 0.8)
    assert list(vec) == [erlang.required_agents(float(c), 200, 20, 0.8) for c in calls]
    sl = erlang.service_level(np.array([5, 6, 7]), 60, 200, 20)
    assert sl.shape == (3,) and np.all(np.diff(sl) > 0)


def test_rostered_staff_ceiling_ignores_float_noise():
    assert 21 / (1 - 0.3) > 30  # 30.000000000000004 in floating point
    assert erlang.rostered_staff(21, 0.3) == 30
    assert erlang.rostered_staff(20, 0.2) == 25
    assert erlang.rostered_staff(10, 0.35) == 16  # 15.38 -> 16
    assert list(erlang.rostered_staff(np.array([0, 7]), 0.0)) == [0, 7]


@pytest.mark.parametrize("call,match", [
    (lambda: erlang.service_level(5, -1, 180, 20), "calls = -1: must be >= 0"),
    (lambda: erlang.service_level(5, 10, 0, 20), "aht_seconds = 0: must be > 0"),
    (lambda: erlang.required_agents(10, 180, 20, 1.0), r"service_level = 1.0: must be in \(0, 1\)"),
    (lambda: erlang.required_agents(10, 180, 20, 0.8, max_occupancy=0), r"max_occupancy = 0: must be in \(0, 1\]"),
    (lambda: erlang.rostered_staff(10, 1.0), r"shrinkage = 1.0: must be in \[0, 1\)"),
    (lambda: erlang.rostered_staff(10, -0.1), r"shrinkage = -0.1: must be in \[0, 1\)"),
])
def test_invalid_input_is_refused(call, match):
    with pytest.raises(ModelError, match=match):
        call()


# --- Erlang A -------------------------------------------------------------------------------------

def simulate_erlang_a(agents, calls_per_hour, aht, patience, target, n_calls=200_000, seed=1):
    """Independent check: FCFS M/M/N+M by the virtual-waiting-time recursion (heap of agent free times).

    In FCFS order a caller's wait depends only on earlier callers who were served; a caller whose
    patience runs out before an agent is free leaves without taking one.
    """
    import heapq
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(3600 / calls_per_hour, n_calls))
    service = rng.exponential(aht, n_calls)
    patience_draw = rng.exponential(patience, n_calls)
    free = [0.0] * agents
    within = abandoned = 0
    for t, s, p in zip(arrivals, service, patience_draw):
        wait = max(0.0, free[0] - t)
        if wait > p:
            abandoned += 1
            continue
        within += wait <= target
        heapq.heapreplace(free, t + wait + s)
    warm = 0  # long run: start-up bias is negligible at 200,000 calls
    return within / (n_calls - warm), abandoned / (n_calls - warm)


@pytest.mark.parametrize("agents,calls,aht,patience,target", [
    (8, 200, 180, 60, 20),     # overloaded: A = 10 Erlangs on 8 agents, abandonment keeps it stable
    (14, 200, 180, 120, 20),
    (3, 30, 300, 300, 60),
])
def test_erlang_a_against_simulation(agents, calls, aht, patience, target):
    sim_sl, sim_ab = simulate_erlang_a(agents, calls, aht, patience, target)
    sl = erlang.erlang_a_service_level(agents, calls, aht, patience, target)
    ab = erlang.erlang_a_abandon_probability(agents, calls, aht, patience)
    # 200,000 calls: the simulation's standard error is under 0.2 points; allow 1 point.
    assert sl == pytest.approx(sim_sl, abs=0.01)
    assert ab == pytest.approx(sim_ab, abs=0.01)


def test_erlang_a_tends_to_erlang_c():
    for agents in (11, 14, 20):
        c = erlang.service_level(agents, 100, 180, 20, 1800)
        a = erlang.erlang_a_service_level(agents, 100, 180, 1e8, 20, 1800)
        assert a == pytest.approx(c, abs=1e-5)
    assert erlang.erlang_a_abandon_probability(14, 100, 180, 1e8, 1800) < 1e-5


def test_erlang_a_required_agents_minimal_and_monotone():
    n = erlang.required_agents(100, 180, 20, 0.8, 1800, patience_seconds=120)
    assert erlang.erlang_a_service_level(n, 100, 180, 120, 20, 1800) >= 0.8
    assert erlang.erlang_a_service_level(n - 1, 100, 180, 120, 20, 1800) < 0.8
    sls = [erlang.erlang_a_service_level(k, 100, 180, 120, 20, 1800) for k in range(5, 20)]
    assert all(b >= a for a, b in zip(sls, sls[1:]))
    with pytest.raises(ModelError, match="patience_seconds = 0"):
        erlang.required_agents(100, 180, 20, 0.8, 1800, patience_seconds=0)


# --- Modified offered load -------------------------------------------------------------------------

def test_mol_keeps_total_work_and_spills_forward():
    x = np.array([0, 0, 10, 0, 0, 0.0])
    mol = erlang.modified_offered_load(x, 600, 3600)
    assert mol.sum() == pytest.approx(10)
    # By hand, r = 3600/600 = 6: w0 = 1 - (1 - e^-6)/6, w1 = (1 - e^-6)^2 / 6
    r = 6.0
    assert mol[2] == pytest.approx(10 * (1 - (1 - np.exp(-r)) / r))
    assert mol[3] == pytest.approx(10 * (1 - np.exp(-r)) ** 2 / r)
    assert mol[:2].sum() == 0


def test_mol_of_constant_demand_is_unchanged():
    c = np.full(168, 7.0)
    assert np.allclose(erlang.modified_offered_load(c, 5400, 3600, circular=True), 7.0)


def test_mol_smooths_a_peak_when_calls_are_long():
    x = np.array([5, 5, 20, 5, 5, 5.0])
    short, long_ = erlang.modified_offered_load(x, 60, 3600), erlang.modified_offered_load(x, 7200, 3600)
    assert long_[2] < short[2] and long_[3] > short[3]
