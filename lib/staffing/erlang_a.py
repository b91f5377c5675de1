"""Erlang A (M/M/N+M): queues whose callers hang up; service level, abandonment and agents required.

Erlang A (M/M/N+M) adds callers who hang up after an exponentially distributed patience (mean 1/θ).
It is exact, not an approximation: an arriving caller sees the stationary birth-death distribution of
calls in the system (births λ; deaths min(k, N) μ + max(k − N, 0) θ), and a caller who joins the
queue at position i moves up at rate N μ + (i − 1) θ and hangs up at rate θ. Its time to reach an
agent, T_i, is a sum of exponentials at rates θ (a + j), j = 0 … i − 1, a = N μ / θ, so by Rényi's
representation of exponential order statistics e^(−θ T_i) is a Beta(a, i) variable and the chance of
reaching an agent within t before hanging up is a / (a + i) × (1 − I_(e^(−θ t))(a + 1, i)), I the
regularised incomplete beta function. Summed over positions with the birth-death weights, the service
level and the abandon probability need only Erlang B and two tail sums (incomplete gamma functions;
:func:`erlang_a_service_level`, Notes), computed for all intervals at once and once per distinct
parameter set: no truncated state space and no matrix exponential.

References
----------
Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center with impatient customers.
*Manufacturing & Service Operations Management* 4(3), 208-227.
Rényi, A. (1953). On the theory of order statistics. *Acta Mathematica Academiae Scientiarum Hungaricae* 4, 191-231.
Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in action: the Palm/Erlang-A queue, with applications
to call centers. In *Advances in Services Innovations*, Springer, 17-45.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from lib.errors import ModelError
from lib.staffing.erlang import WHOLE_TOLERANCE, as_array, erlang_b, erlang_c, unique_rows, whole_ceil

_SERIES_TOLERANCE = 1e-17  # stop a tail sum when what is left is below this share of the sum
_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _stirling_remainder(x):
    """log Γ(x) − ((x − ½) log x − x + ½ log 2π), for x >= 1, to about 1e-15 absolute."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        r = 1.0 / (x * x)
        series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x
        direct = gammaln(x) - ((x - 0.5) * np.log(x) - x + _HALF_LOG_2PI)
    return np.where(x >= 20, series, direct)


def _log_tail_sums(s, z):
    """log Σ_k t_k and log Σ_k (k + 1) t_k, t_k = z^k / (s (s + 1) … (s + k)), for s >= 1, z >= 0.

    Σ_k t_k = e^z z^(-s) γ(s, z) (lower incomplete gamma). The terms rise while s + k < z and then fall
    faster than geometrically, so the sums start at the largest term k0 = floor(z − s) and walk both
    ways until the rest is below 1e-17 of the sum; log t_k0 comes from Stirling's series written as
    differences, accurate to ~1e-15 where lgamma(s + k0) − lgamma(s) would lose ~1e-16 × lgamma.
    A walk takes up to ~9 sqrt(max(s, z)) terms: the usual intervals walk together, one term per array
    step, and drop out as they converge; the rare long ones (patience of days) go a block at a time.
    """
    k0 = np.floor(np.maximum(z - s, 0.0))
    x = s + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        peak = (-k0 * np.log1p((x + k0 - z) / z) + (k0 - (x - 0.5) * np.log1p(k0 / x))
                + _stirling_remainder(x) - _stirling_remainder(x + k0))
    peak = np.where(k0 > 0, peak, 0.0) - np.log(s)
    total, total1 = np.empty(s.shape), np.empty(s.shape)
    long_ = np.maximum(s, z) > 1e4
    total[~long_], total1[~long_] = _tail_lockstep(s[~long_], z[~long_], k0[~long_])
    for i in np.flatnonzero(long_):
        total[i], total1[i] = _tail_blocks(float(s[i]), float(z[i]), float(k0[i]))
    return peak + np.log(total), peak + np.log(total1)


def _tail_lockstep(s, z, k0):
    """(Σ t_k, Σ (k + 1) t_k) / t_k0 for many series at once, one term each per step."""
    total, total1 = np.empty(s.shape), np.empty(s.shape)
    idx = np.arange(s.size)
    kf, kb = k0.copy(), k0.copy()
    tf, tb, tot, tot1 = np.ones(s.size), np.ones(s.size), np.ones(s.size), k0 + 1
    fdone, bdone = np.zeros(s.size, dtype=bool), k0 == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        while idx.size:
            kf += 1
            tf = np.where(fdone, 0.0, tf * z / (s + kf))
            tot += tf
            tot1 += (kf + 1) * tf
            r = z / (s + kf + 1)  # every later ratio is smaller
            g = r / (1 - r)
            fdone |= (tf * g <= _SERIES_TOLERANCE * tot) & (tf * ((kf + 2) * g + g / (1 - r)) <= _SERIES_TOLERANCE * tot1)
            tb = np.where(bdone, 0.0, tb * (s + kb) / z)
            kb = np.where(bdone, kb, kb - 1)
            tot += tb
            tot1 += (kb + 1) * tb
            r = (s + kb) / z
            rest = tb * np.minimum(r / (1 - r), kb)
            bdone |= (kb <= 0) | ((rest <= _SERIES_TOLERANCE * tot) & (kb * rest <= _SERIES_TOLERANCE * tot1))
            done = fdone & bdone
            if done.any():
                total[idx[done]], total1[idx[done]] = tot[done], tot1[done]
                keep = ~done
                idx, s, z, kf, kb, tf, tb, tot, tot1, fdone, bdone = (
                    v[keep] for v in (idx, s, z, kf, kb, tf, tb, tot, tot1, fdone, bdone))
    return total, total1


def _tail_blocks(s: float, z: float, k0: float, block: int = 4096):
    """(Σ t_k, Σ (k + 1) t_k) / t_k0 for one long series, ``block`` terms per array step."""
    tot, tot1 = [1.0], [k0 + 1]
    log_t, k = 0.0, k0
    while True:  # up from the largest term
        j = k + 1 + np.arange(block)
        log_tj = log_t + np.cumsum(np.log(z / (s + j)))
        tj = np.exp(log_tj)
        tot.append(tj.sum())
        tot1.append(((j + 1) * tj).sum())
        log_t, k = log_tj[-1], j[-1]
        r = z / (s + k + 1)
        if tj[-1] * ((k + 2) * r / (1 - r) + r / (1 - r) ** 2) <= _SERIES_TOLERANCE * math.fsum(tot):
            break
    log_t, k = 0.0, k0
    while k > 0:  # down from it: t_(j-1) = t_j (s + j) / z
        j = k - np.arange(min(block, int(k)))
        log_tj = log_t + np.cumsum(np.log((s + j) / z))
        tj = np.exp(log_tj)
        tot.append(tj.sum())
        tot1.append((j * tj).sum())
        log_t, k = log_tj[-1], j[-1] - 1
        if tj[-1] * k * max(k, 1.0) <= _SERIES_TOLERANCE * math.fsum(tot):
            break
    return math.fsum(tot), math.fsum(tot1)


def _erlang_a_core(n, calls, aht, patience, target, interval):
    """(service level, abandon probability) for flat, validated float arrays of equal length."""
    sl, ab = np.ones(n.shape), np.zeros(n.shape)
    busy = calls > 0
    sl[busy & (n == 0)], ab[busy & (n == 0)] = 0.0, 1.0
    load = calls * aht / interval
    never = busy & (n > 0) & np.isinf(patience)  # callers never hang up: Erlang C
    if never.any():
        c = erlang_c(n[never], load[never])
        with np.errstate(over="ignore", invalid="ignore"):
            sl_c = 1.0 - c * np.exp(-(n[never] - load[never]) * target[never] / aht[never])
        sl[never] = np.where(n[never] > load[never], np.clip(sl_c, 0.0, 1.0), 0.0)
    m = busy & (n > 0) & np.isfinite(patience)
    if not m.any():
        return sl, ab
    n, calls, aht, patience, target, interval, load = (v[m] for v in (n, calls, aht, patience, target, interval, load))
    a = n * patience / aht             # N μ / θ
    y = calls * patience / interval    # λ / θ
    s = a + 1
    log_s, log_s1 = _log_tail_sums(s, y)
    x = target / patience              # θ t
    log_su = log_s.copy()
    later = x > 0
    if later.any():
        log_su[later] = _log_tail_sums(s[later], y[later] * np.exp(-x[later]))[0]
    b = erlang_b(n, load)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_b = np.log(b)
        log_d = np.logaddexp(0.0, log_b + np.log(y) + log_s)
        log_r = np.minimum(-s * x - y * np.expm1(-x) + log_su - log_s, 0.0)
        log_r = np.where(later, log_r, 0.0)
        queue = np.exp(log_b + np.log(a) + log_s - log_d) * -np.expm1(log_r)
    sl[m] = np.clip(np.exp(np.log1p(-b) - log_d) + queue, 0.0, 1.0)
    ab[m] = np.clip(np.exp(log_b + log_s1 - log_d), 0.0, 1.0)
    return sl, ab


def _erlang_a_inputs(agents, calls, aht_seconds, patience_seconds, target_answer_seconds, interval_seconds):
    n = np.floor(as_array(agents, "agents", nonnegative=True) + WHOLE_TOLERANCE)
    c = as_array(calls, "calls", nonnegative=True)
    h = as_array(aht_seconds, "aht_seconds", positive=True)
    pt = as_array(patience_seconds, "patience_seconds", positive=True)
    t = as_array(target_answer_seconds, "target_answer_seconds", nonnegative=True)
    iv = as_array(interval_seconds, "interval_seconds", positive=True)
    return np.broadcast_arrays(n, c, h, pt, t, iv)


def _erlang_a_vector(index: int, agents, calls, aht_seconds, patience_seconds, target_answer_seconds,
                     interval_seconds, dedupe: bool = True):
    """Service level (index 0) or abandon probability (1), each distinct parameter set computed once."""
    arrays = _erlang_a_inputs(agents, calls, aht_seconds, patience_seconds, target_answer_seconds, interval_seconds)
    flat = [x.ravel() for x in arrays]
    if dedupe and flat[0].size > 1:
        distinct, inverse = unique_rows(*flat)
        out = _erlang_a_core(*distinct)[index][inverse]
    else:
        out = _erlang_a_core(*flat)[index]
    out = out.reshape(arrays[0].shape)
    scalar = all(np.ndim(x) == 0 for x in (agents, calls, aht_seconds, patience_seconds, target_answer_seconds))
    return float(out) if scalar else out


def erlang_a_service_level(agents, calls, aht_seconds, patience_seconds, target_answer_seconds,
                           interval_seconds=3600):
    """Erlang A: probability an offered call is answered within ``target_answer_seconds``.

    Callers who hang up before being answered count as not answered (the denominator is every
    offered call). As ``patience_seconds`` grows this tends to Erlang C's :func:`service_level`;
    ``patience_seconds=inf`` gives Erlang C.

    Parameters
    ----------
    agents : int or array
        Agents on the phones (whole numbers, >= 0).
    calls, aht_seconds, target_answer_seconds, interval_seconds
        As in :func:`service_level`.
    patience_seconds : float or array
        Mean time a caller waits before hanging up, seconds (> 0; exponentially distributed).

    Returns
    -------
    float or ndarray
        1 with no calls; 0 with calls and no agents.

    Raises
    ------
    ModelError
        Negative calls or agents; AHT, patience or interval <= 0; negative target.

    Notes
    -----
    With λ = calls / interval, μ = 1 / AHT, θ = 1 / patience, a = N μ / θ, y = λ / θ and B Erlang B,

        SL = [1 − B + B a (S(y) − e^{−(N μ + θ) t + y (1 − e^{−θ t})} S(y e^{−θ t}))] / [1 + B y S(y)],

    S(z) = Σ_k z^k / ((a + 1) … (a + 1 + k)) = e^z z^{−(a+1)} γ(a + 1, z). It is the birth-death
    distribution summed with each queue position's chance of reaching an agent within t before
    hanging up (see the module docstring). Identical parameter sets are computed once. Absolute
    accuracy is about 1e-13 (checked against 60-digit arithmetic); a service level far below that,
    such as 1e-150 in deep overload, comes out as noise of that size.

    References
    ----------
    Garnett, Mandelbaum & Reiman (2002); Mandelbaum, A. & Zeltyn, S. (2007). Service engineering in
    action: the Palm/Erlang-A queue, with applications to call centers. In *Advances in Services
    Innovations*, Springer, 17-45.
    """
    return _erlang_a_vector(0, agents, calls, aht_seconds, patience_seconds, target_answer_seconds,
                            interval_seconds)


def erlang_a_abandon_probability(agents, calls, aht_seconds, patience_seconds, interval_seconds=3600):
    """Erlang A: probability an offered call is abandoned, θ E[queue] / λ.

    Arguments and errors as in :func:`erlang_a_service_level`; 0 with no calls, 1 with calls and no
    agents. In its notation, P(Ab) = B Σ_k (k + 1) t_k / (1 + B y S(y)), t_k the terms of S(y).
    """
    return _erlang_a_vector(1, agents, calls, aht_seconds, patience_seconds, 0.0, interval_seconds)


def erlang_a_required_agents(calls, aht_seconds, patience_seconds, target_answer_seconds, service_level,
                             interval_seconds=3600, max_agents=None):
    """Fewest agents whose Erlang A service level is at least ``service_level``.

    The inverse of :func:`erlang_a_service_level` in the number of agents: given the calls and an
    achieved (or wanted) share answered within target, the staff on the phones the model says that
    takes. Vectorised over every argument but ``max_agents``.

    Parameters
    ----------
    calls, aht_seconds, patience_seconds, target_answer_seconds, interval_seconds
        As in :func:`erlang_a_service_level`.
    service_level : float or array
        Share of *offered* calls answered within target (abandoned calls count as not answered),
        in [0, 1); exactly 1 only where there are no calls.
    max_agents : int, optional
        Search no further than this many agents.

    Returns
    -------
    int or ndarray of int
        0 where there are no calls or the level is 0.

    Raises
    ------
    ModelError
        Invalid arguments as in :func:`erlang_a_service_level`; ``service_level`` outside [0, 1];
        a level of 1 with calls (no finite staffing answers every call within target); a level that
        ``max_agents`` agents do not reach (the message names the first such interval).

    Notes
    -----
    The service level rises with the number of agents, and it is at most N / A (A offered Erlangs):
    answered calls are at most N μ per unit time. The search therefore starts at ``ceil(level × A)``,
    doubles its step until the level is met, then halves the bracket (about 2 log2(answer − start)
    evaluations per interval, all intervals at once, each distinct parameter set once).
    """
    c = as_array(calls, "calls", nonnegative=True)
    level = as_array(service_level, "service_level")
    if ((level < 0) | (level > 1)).any():
        raise ModelError(f"service_level = {level[(level < 0) | (level > 1)].flat[0]:g}: must be in [0, 1)")
    if max_agents is not None and not (math.isfinite(float(max_agents)) and float(max_agents) >= 0
                                       and float(max_agents).is_integer()):
        raise ModelError(f"max_agents = {max_agents!r}: must be a whole number >= 0")
    arrays = _erlang_a_inputs(0, c, aht_seconds, patience_seconds, target_answer_seconds, interval_seconds)
    shape = np.broadcast(arrays[0], level).shape
    _, c, h, pt, t, iv, lv = (np.broadcast_to(x, shape).ravel() for x in (*arrays, level))
    (c, h, pt, t, iv, lv), inverse = unique_rows(c, h, pt, t, iv, lv)
    load = c * h / iv
    todo = (c > 0) & (lv > 0)
    cap = np.inf if max_agents is None else float(max_agents)

    def refuse(k, why):
        interval = int(np.flatnonzero(inverse == k)[0])  # position in the flattened, broadcast input
        raise ModelError(f"service_level = {lv[k]:g} with calls = {c[k]:g} (interval {interval}): {why}")

    if (todo & (lv >= 1)).any():
        refuse(np.flatnonzero(todo & (lv >= 1))[0], "no number of agents answers every call within target; "
               "cap the level below 1")
    bad = np.where(todo, np.maximum(whole_ceil(lv * load), 1.0) - 1, 0.0)  # most agents known to fall short
    bad = np.where(todo & np.isinf(pt), np.maximum(bad, np.floor(load)), bad)  # Erlang C: SL = 0 while N <= A
    good = np.where(todo, np.inf, 0.0)                                      # fewest agents known to suffice
    step = np.ones(c.shape)
    if (todo & (bad >= cap)).any():
        refuse(np.flatnonzero(todo & (bad >= cap))[0], f"not reached with max_agents = {max_agents} agents")
    while np.isinf(good).any():
        i = np.flatnonzero(np.isinf(good))
        probe = np.minimum(bad[i] + step[i], cap)
        ok = _erlang_a_core(probe, c[i], h[i], pt[i], t[i], iv[i])[0] >= lv[i]
        if (~ok & (probe >= cap)).any():
            refuse(i[~ok & (probe >= cap)][0], f"not reached with max_agents = {max_agents} agents")
        good[i[ok]] = probe[ok]
        bad[i[~ok]] = probe[~ok]
        step[i] *= 2
    while (good - bad > 1).any():
        i = np.flatnonzero(good - bad > 1)
        mid = np.floor((bad[i] + good[i]) / 2)
        ok = _erlang_a_core(mid, c[i], h[i], pt[i], t[i], iv[i])[0] >= lv[i]
        good[i[ok]] = mid[ok]
        bad[i[~ok]] = mid[~ok]
    out = good[inverse].reshape(shape).astype(int)
    scalar = all(np.ndim(x) == 0 for x in (calls, aht_seconds, patience_seconds, target_answer_seconds, service_level))
    return int(out) if scalar else out
