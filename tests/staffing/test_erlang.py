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
[EXPM] Erlang A as lib.staffing.erlang computed it before the closed form (kept below, verbatim): the
       birth-death distribution summed state by state in log space until the tail is below e^-32 of the
       largest term, and the tagged caller's absorbing chain solved by one scipy.linalg.expm.
[MZ]   Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the Palm/Erlang-A queue, with
       applications to call centers. In *Advances in Services Innovations*, Springer, 17-45: with
       J = integral_0^inf exp(lambda (1 - e^(-theta x)) / theta - n mu x) dx and
       eps = sum_{j<n} (n-1)!/j! (mu/lambda)^(n-1-j), P(Ab) = (1 + (lambda - n mu) J) / (eps + lambda J), and
       the offered wait has density lambda exp(lambda (1 - e^(-theta x)) / theta - n mu x) / (eps + lambda J)
       for x > 0. Integrated here by scipy.integrate.quad, not by incomplete gamma functions.
No published table of Erlang A values was found to copy; where no reference exists the tests check
labelled invariants (limits, monotonicity, vectorised = scalar, deduplicated = not).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats
from scipy.linalg import expm

from lib.errors import ModelError
from lib.staffing import erlang, erlang_a, queue


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


def test_required_agents_is_the_brute_force_minimum_on_a_random_grid():
    # Invariant: the fewest N >= 1 with service level >= target and occupancy A / N <= cap, found by
    # scanning N = 1, 2, ... with service_level (a different code path from the sweep).
    rng = np.random.default_rng(7)
    calls = np.round(rng.uniform(0, 400, 300), 1)
    aht = rng.choice([45.0, 180, 240, 380, 600], 300)
    target = rng.choice([0.0, 10, 20, 60, 300], 300)
    for sl, cap in [(0.8, 0.85), (0.95, 1.0), (0.3, 0.7)]:
        need = erlang.required_agents(calls, aht, target, sl, max_occupancy=cap)
        for c, h, t, n in zip(calls, aht, target, need):
            a = c * h / 3600
            k = 0 if c == 0 else next(k for k in range(1, 10_000) if k * cap >= a * (1 - 1e-12)
                                      and erlang.service_level(k, c, h, t) >= sl)
            assert n == k, (c, h, t, sl, cap)


def test_required_agents_where_pyworkforce_overstates():
    # pyworkforce 0.5.1 starts its search at round(A + 1) and takes ceil(A / cap) in floating point; both
    # cases are checked here against the exact factorial formula [FACT] in rational arithmetic.
    a = Fraction(96 * 60, 3600)  # 1.6 Erlangs: pyworkforce never tries 2 agents and answers 3
    sl2 = 1 - float(erlang_c_exact(2, a)) * math.exp(-float(2 - a) * 120 / 60)
    assert sl2 == pytest.approx(0.6804771810721979, abs=1e-12) and sl2 >= 0.5
    assert erlang.required_agents(96, 60, 120, 0.5) == 2
    a = Fraction(663 * 60, 3600)  # 11.05 Erlangs; 11.05 / 0.85 = 13 exactly, 13.000000000000002 in floats
    assert a / 13 == Fraction(85, 100)
    assert 1 - float(erlang_c_exact(13, a)) * math.exp(-float(13 - a) * 20 / 60) >= 0.3
    assert erlang.required_agents(663, 60, 20, 0.3, max_occupancy=0.85) == 13


def test_required_agents_repeated_intervals_match_one_by_one():
    # Invariant: each distinct interval is computed once; the answer must not depend on the company it keeps.
    calls = np.array([12.5, 40.0, 12.5, 0.0, 40.0, 300.0, 12.5])
    aht = np.array([240.0, 380.0, 240.0, 240.0, 60.0, 380.0, 380.0])
    vec = erlang.required_agents(calls, aht, 20, 0.8, max_occupancy=0.85)
    assert list(vec) == [erlang.required_agents(c, h, 20, 0.8, max_occupancy=0.85) for c, h in zip(calls, aht)]
    assert vec[0] == vec[2] and vec[1] != vec[4] and vec[3] == 0


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
    sl = erlang_a.erlang_a_service_level(agents, calls, aht, patience, target)
    ab = erlang_a.erlang_a_abandon_probability(agents, calls, aht, patience)
    # 200,000 calls: the simulation's standard error is under 0.2 points; allow 1 point.
    assert sl == pytest.approx(sim_sl, abs=0.01)
    assert ab == pytest.approx(sim_ab, abs=0.01)


def test_erlang_a_tends_to_erlang_c():
    for agents in (11, 14, 20):
        c = erlang.service_level(agents, 100, 180, 20, 1800)
        a = erlang_a.erlang_a_service_level(agents, 100, 180, 1e8, 20, 1800)
        assert a == pytest.approx(c, abs=1e-5)
    assert erlang_a.erlang_a_abandon_probability(14, 100, 180, 1e8, 1800) < 1e-5


def test_erlang_a_required_agents_minimal_and_monotone():
    n = queue.required_agents(100, 180, 20, 0.8, 1800, patience_seconds=120)
    assert erlang_a.erlang_a_service_level(n, 100, 180, 120, 20, 1800) >= 0.8
    assert erlang_a.erlang_a_service_level(n - 1, 100, 180, 120, 20, 1800) < 0.8
    sls = [erlang_a.erlang_a_service_level(k, 100, 180, 120, 20, 1800) for k in range(5, 20)]
    assert all(b >= a for a, b in zip(sls, sls[1:]))
    with pytest.raises(ModelError, match="patience_seconds = 0"):
        queue.required_agents(100, 180, 20, 0.8, 1800, patience_seconds=0)


def erlang_a_expm_reference(agents: int, calls: float, aht: float, patience: float, target: float, interval: float):
    """[EXPM] (service level over offered, abandon probability) of one interval, as lib computed it before."""
    if calls == 0:
        return 1.0, 0.0
    lam, mu, theta = calls / interval, 1.0 / aht, 1.0 / patience
    if agents == 0:
        return 0.0, 1.0
    logp = [0.0]
    k = 0
    while True:
        k += 1
        death = min(k, agents) * mu + max(k - agents, 0) * theta
        logp.append(logp[-1] + np.log(lam / death))
        if k > agents and logp[-1] < max(logp) - 32 and lam < death:
            break
    p = np.exp(np.array(logp) - max(logp))
    p /= p.sum()
    states = np.arange(len(p))
    queue = np.maximum(states - agents, 0)
    abandon = theta * float((queue * p).sum()) / lam
    positions = len(p) - agents
    q = np.zeros((positions + 1, positions + 1))
    for i in range(1, positions + 1):
        front = agents * mu + (i - 1) * theta
        q[i - 1, i - 1] = -(front + theta)
        if i > 1:
            q[i - 1, i - 2] = front
        else:
            q[0, positions] = front
    reach = expm(q * target)[:positions, positions] if target > 0 else np.zeros(positions)
    sl = float(p[:agents].sum() + (p[agents:] * reach).sum())
    return min(max(sl, 0.0), 1.0), min(max(abandon, 0.0), 1.0)


def erlang_a_grid(size: int, seed: int):
    """Random intervals: light to overloaded (up to 2.5 A per agent), patience 1 s to 1 h, target 0 to 10 min."""
    rng = np.random.default_rng(seed)
    agents = rng.integers(1, 40, size).astype(float)
    aht = rng.choice([45.0, 180, 240, 380, 600], size)
    calls = agents * rng.uniform(0.05, 2.5, size) * 3600 / aht
    patience = rng.choice([1.0, 30, 120, 180, 300, 600, 3600], size)
    target = rng.choice([0.0, 5, 10, 20, 60, 120, 600], size)
    return agents, calls, aht, patience, target


def test_erlang_a_agrees_with_the_previous_matrix_exponential_implementation():
    # [EXPM]: the closed form replaced this computation and must give the same answers (tolerance 1e-10).
    # The reference needs a matrix as large as the queue gets, so it is kept to lambda / theta <= 300 calls.
    grid = erlang_a_grid(150, seed=11)
    agents, calls, aht, patience, target = (x[grid[1] * grid[3] / 3600 <= 300][:60] for x in grid)
    assert len(agents) == 60 and (calls * aht / 3600 > agents).sum() >= 15  # a quarter overloaded
    sl = erlang_a.erlang_a_service_level(agents, calls, aht, patience, target)
    ab = erlang_a.erlang_a_abandon_probability(agents, calls, aht, patience)
    for i in range(len(agents)):
        ref_sl, ref_ab = erlang_a_expm_reference(int(agents[i]), calls[i], aht[i], patience[i], target[i], 3600.0)
        assert sl[i] == pytest.approx(ref_sl, abs=1e-10)
        assert ab[i] == pytest.approx(ref_ab, abs=1e-10)


@pytest.mark.parametrize("agents,calls,aht,patience,target", [
    (8, 200, 180, 60, 20), (14, 200, 180, 120, 20), (3, 30, 300, 300, 60), (25, 700, 120, 45, 10), (40, 500, 240, 900, 30),
])
def test_erlang_a_against_mandelbaum_zeltyn_by_quadrature(agents, calls, aht, patience, target):
    # [MZ], integrated numerically (quad, ~1e-13 relative): tolerance 1e-9.
    lam, mu, theta = calls / 3600, 1 / aht, 1 / patience

    def g(x):
        return np.exp(lam * (1 - np.exp(-theta * x)) / theta - agents * mu * x)

    j = integrate.quad(g, 0, np.inf, epsabs=0, epsrel=1e-13, limit=200)[0]
    j_t = integrate.quad(lambda x: np.exp(-theta * x) * g(x), 0, target, epsabs=0, epsrel=1e-13)[0]
    eps = math.fsum(math.factorial(agents - 1) / math.factorial(k) * (mu / lam) ** (agents - 1 - k) for k in range(agents))
    assert erlang_a.erlang_a_abandon_probability(agents, calls, aht, patience) == pytest.approx(
        (1 + (lam - agents * mu) * j) / (eps + lam * j), abs=1e-9)
    # answered within t = answered at once, or offered wait V <= t and patience > V (probability e^(-theta V))
    assert erlang_a.erlang_a_service_level(agents, calls, aht, patience, target) == pytest.approx(
        (eps + lam * j_t) / (eps + lam * j), abs=1e-9)


def test_erlang_a_queue_positions_by_the_beta_function():
    # The module docstring's step, checked on its own: e^(-theta T_i) ~ Beta(a, i), so position i reaches an
    # agent within t before hanging up with probability a / (a + i) (1 - I_u(a + 1, i)), u = e^(-theta t);
    # summed over the explicit birth-death distribution (truncated where terms < 1e-300): tolerance 1e-12.
    agents, calls, aht, patience, target = 12, 300.0, 180.0, 150.0, 20.0
    lam, mu, theta = calls / 3600, 1 / aht, 1 / patience
    p = [1.0]
    while len(p) <= agents or p[-1] > 1e-300:
        k = len(p)
        p.append(p[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
    p = np.array(p) / math.fsum(p)
    a, i = agents * mu / theta, np.arange(1, len(p) - agents + 1)
    reach = a / (a + i) * (1 - special.betainc(a + 1, i, np.exp(-theta * target)))
    expected = p[:agents].sum() + (p[agents:] * reach).sum()
    assert erlang_a.erlang_a_service_level(agents, calls, aht, patience, target) == pytest.approx(expected, abs=1e-12)


def test_erlang_a_limits():
    # Invariants with exact limits. Patience -> infinity: Erlang C (inf is Erlang C exactly; 1e9 s within 1e-6,
    # closer than 1e6 s). Patience -> 0: a caller who finds every agent busy leaves at once, Erlang B's loss
    # system: SL = 1 - B, P(Ab) = B. Target -> infinity: every caller who does not hang up is answered.
    c = erlang.service_level(14, 100, 180, 20, 1800)
    assert erlang_a.erlang_a_service_level(14, 100, 180, np.inf, 20, 1800) == pytest.approx(c, rel=1e-14)
    assert erlang_a.erlang_a_abandon_probability(14, 100, 180, np.inf, 1800) == 0.0
    far, near = (abs(erlang_a.erlang_a_service_level(14, 100, 180, p, 20, 1800) - c) for p in (1e6, 1e9))
    assert near < 1e-6 and near < far
    b = erlang.erlang_b(14, 10.0)
    assert erlang_a.erlang_a_service_level(14, 100, 180, 1e-6, 20, 1800) == pytest.approx(1 - b, abs=1e-6)
    assert erlang_a.erlang_a_abandon_probability(14, 100, 180, 1e-6, 1800) == pytest.approx(b, abs=1e-6)
    for n in (5, 10, 14):  # overloaded, critical and comfortable
        assert erlang_a.erlang_a_service_level(n, 100, 180, 120, np.inf, 1800) == pytest.approx(
            1 - erlang_a.erlang_a_abandon_probability(n, 100, 180, 120, 1800), abs=1e-13)


def test_erlang_a_edge_cases():
    assert erlang_a.erlang_a_service_level(5, 0, 180, 120, 20) == 1.0
    assert erlang_a.erlang_a_abandon_probability(5, 0, 180, 120) == 0.0
    assert erlang_a.erlang_a_service_level(0, 50, 180, 120, 20) == 0.0
    assert erlang_a.erlang_a_abandon_probability(0, 50, 180, 120) == 1.0
    # target 0: only callers who find an agent free, P(no wait) = 1 - (wait share); same as [EXPM]
    assert erlang_a.erlang_a_service_level(9, 200, 180, 120, 0, 1800) == pytest.approx(
        erlang_a_expm_reference(9, 200, 180, 120, 0, 1800)[0], abs=1e-12)
    # 2,000 Erlangs on 1,900 agents with 10 min patience: finite, in range, and about the overload share
    ab = erlang_a.erlang_a_abandon_probability(1900, 2000 * 3600 / 300, 300, 600)
    assert 0.05 - 0.01 < ab < 0.05 + 0.01  # fluid limit: (2000 - 1900) / 2000 abandon
    with pytest.raises(ModelError, match="patience_seconds = 0: must be > 0"):
        erlang_a.erlang_a_service_level(5, 50, 180, 0, 20)


def test_erlang_a_vectorised_equals_scalar_and_deduplicated_equals_not():
    # Invariants of the plumbing: one array call = one call per interval; repeated parameter sets computed
    # once give the same numbers as computed every time (tolerance 1e-14: numpy's vector exp/log may differ
    # from the scalar ones in the last bit).
    agents, calls, aht, patience, target = erlang_a_grid(40, seed=3)
    rows = np.random.default_rng(4).integers(0, 40, 100)  # 100 intervals, many repeated
    args = [x[rows] for x in (agents, calls, aht, patience, target)]
    vec = erlang_a.erlang_a_service_level(*args)
    one = [erlang_a.erlang_a_service_level(*(float(x[i]) for x in args)) for i in range(len(rows))]
    assert vec == pytest.approx(one, rel=1e-14, abs=1e-15)
    plain = erlang_a._erlang_a_vector(0, *args, 3600, dedupe=False)
    assert vec == pytest.approx(plain, rel=1e-14, abs=1e-15)
    ab = erlang_a._erlang_a_vector(1, *args[:4], 0.0, 3600)
    assert ab == pytest.approx(erlang_a._erlang_a_vector(1, *args[:4], 0.0, 3600, dedupe=False), rel=1e-14, abs=1e-15)
    grid = erlang_a.erlang_a_service_level(agents[:, None], calls[:, None], aht[:, None], 120, np.array([10.0, 20.0]))
    assert grid.shape == (40, 2)
    distinct, inverse = erlang.unique_rows(*(x.astype(float) for x in args))
    assert len(distinct[0]) == len(set(zip(*(x.tolist() for x in args))))
    assert all((d[inverse] == x).all() for d, x in zip(distinct, args))


def test_erlang_a_service_level_rises_with_agents():
    # Invariant the inverse relies on: more agents never answer fewer calls within target. Tolerance 1e-12:
    # the closed form's absolute accuracy (a service level of 1e-150 in deep overload comes out as ~1e-13).
    agents, calls, aht, patience, target = erlang_a_grid(50, seed=5)
    n = np.arange(0, 60)[:, None]
    sl = erlang_a.erlang_a_service_level(n, calls, aht, patience, target)
    assert (np.diff(sl, axis=0) >= -1e-12).all()
    assert (np.diff(sl, axis=0) > 1e-3).sum() > 500  # and it does rise


def test_erlang_a_required_agents_is_the_minimum():
    agents, calls, aht, patience, target = erlang_a_grid(80, seed=9)
    level = np.random.default_rng(10).uniform(0.05, 0.99, 80)
    need = erlang_a.erlang_a_required_agents(calls, aht, patience, target, level)
    assert (erlang_a.erlang_a_service_level(need, calls, aht, patience, target) >= level).all()
    assert (erlang_a.erlang_a_service_level(need - 1, calls, aht, patience, target) < level).all()
    assert list(need[:5]) == [erlang_a.erlang_a_required_agents(*(float(x[i]) for x in (calls, aht, patience, target, level)))
                              for i in range(5)]


def test_erlang_a_required_agents_gives_back_the_staffing():
    # "The model says N staff were needed to achieve what was observed": feed in the level N agents give.
    # Levels that round to 1 (light load) or sit at the ~1e-13 noise floor (deep overload) say nothing
    # about N and are left out.
    agents, calls, aht, patience, target = erlang_a_grid(120, seed=12)
    achieved = erlang_a.erlang_a_service_level(agents, calls, aht, patience, target)
    keep = (achieved > 1e-6) & (achieved < 1)
    assert keep.sum() > 80
    need = erlang_a.erlang_a_required_agents(calls[keep], aht[keep], patience[keep], target[keep], achieved[keep])
    assert (need == agents[keep]).all()


def test_erlang_a_required_agents_edges_and_errors():
    assert erlang_a.erlang_a_required_agents(0, 180, 120, 20, 0.9) == 0
    assert erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.0) == 0
    assert erlang_a.erlang_a_required_agents(0, 180, 120, 20, 1.0) == 0
    # infinite patience is Erlang C's answer (no occupancy cap)
    calls = np.array([5.0, 60.0, 400.0])
    c_answer = list(erlang.required_agents(calls, 240, 20, 0.8))
    assert list(erlang_a.erlang_a_required_agents(calls, 240, np.inf, 20, 0.8)) == c_answer
    # required_agents with patience = the inverse, then the occupancy cap (at least ceil(A / cap), A = 10)
    n = erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.3, 1800)
    assert n == 8 and erlang_a.erlang_a_service_level(7, 100, 180, 120, 20, 1800) < 0.3
    assert queue.required_agents(100, 180, 20, 0.3, 1800, patience_seconds=120) == 10
    assert queue.required_agents(100, 180, 20, 0.3, 1800, max_occupancy=0.5, patience_seconds=120) == 20
    assert queue.required_agents(100, 180, 20, 0.95, 1800, patience_seconds=120) == \
        erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.95, 1800) > 10
    assert erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.8, 1800, max_agents=30) == \
        erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.8, 1800)
    with pytest.raises(ModelError, match=r"service_level = 0.8 with calls = 100 \(interval 1\): not reached with max_agents = 5"):
        erlang_a.erlang_a_required_agents([0, 100], 180, 120, 20, 0.8, 1800, max_agents=5)
    with pytest.raises(ModelError, match="service_level = 1 with calls = 100 .*no number of agents"):
        erlang_a.erlang_a_required_agents(100, 180, 120, 20, 1.0, 1800)
    with pytest.raises(ModelError, match=r"service_level = 1.5: must be in \[0, 1\)"):
        erlang_a.erlang_a_required_agents(100, 180, 120, 20, 1.5)
    with pytest.raises(ModelError, match="max_agents = -1: must be a whole number >= 0"):
        erlang_a.erlang_a_required_agents(100, 180, 120, 20, 0.8, max_agents=-1)


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


def test_queue_chooses_the_model_by_patience_in_one_place():
    """Invariant: lib.staffing.queue is Erlang C without a patience and Erlang A with one, both ways round."""
    calls, aht = np.array([5.0, 60.0, 400.0]), 240
    assert queue.model_name(None) == "Erlang C" and queue.model_name(120) == "Erlang A"
    assert list(queue.required_agents(calls, aht, 20, 0.8)) == list(erlang.required_agents(calls, aht, 20, 0.8))
    assert queue.service_level(14, 100, 180, 20, 1800) == pytest.approx(erlang.service_level(14, 100, 180, 20, 1800))
    assert queue.service_level(14, 100, 180, 20, 1800, 120) == pytest.approx(
        erlang_a.erlang_a_service_level(14, 100, 180, 120, 20, 1800))
    # one level per interval: the same as asking level by level
    levels = np.array([0.5, 0.8, 0.95])
    assert list(queue.required_agents(calls, aht, 20, levels)) == [
        erlang.required_agents(c, aht, 20, lv) for c, lv in zip(calls, levels)]
    with pytest.raises(ModelError, match="max_occupancy = 0"):
        queue.required_agents(calls, aht, 20, 0.8, max_occupancy=0)
