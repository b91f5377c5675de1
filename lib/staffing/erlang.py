"""Erlang C queueing: service level, speed of answer, occupancy and agents required.

Vectorised over numpy arrays and pandas Series (scalars work too); times are in seconds.

Erlang C models calls that overlap (several callers at once), wait in one queue in arrival order,
and never hang up (M/M/N). Offered load in Erlangs is ``A = calls * aht_seconds / interval_seconds``.
The probability of waiting is computed from the Erlang B recursion

    B(0) = 1,  B(n) = A B(n-1) / (n + A B(n-1)),    C(N, A) = N B(N) / (N - A (1 - B(N)))

which involves no factorials or powers, so it is exact and stable from 0.01 to thousands of
Erlangs (Cooper 1981, section 3.4). We write it ourselves because the libraries that offer it
loop in Python per interval (pyworkforce; the ``erlang`` package uses ``math.factorial`` or powers of
A, which overflow above ~170 agents); :func:`required_agents` computes a year of hourly intervals in
one pass of the recursion over all intervals at once.

Erlang A, which lets callers hang up, is :mod:`lib.staffing.erlang_a`; :mod:`lib.staffing.queue` is the one way
into both (the model chosen by the callers' patience).

References
----------
Garnett, O., Mandelbaum, A. & Reiman, M. (2002). Designing a call center with impatient customers.
*Manufacturing & Service Operations Management* 4(3), 208-227.
Cooper, R. B. (1981). *Introduction to Queueing Theory*, 2nd ed., North Holland, ch. 3.
Rényi, A. (1953). On the theory of order statistics. *Acta Mathematica Academiae Scientiarum Hungaricae* 4, 191-231.
Gans, N., Koole, G. & Mandelbaum, A. (2003). Telephone call centers: tutorial, review, and research
prospects. *Manufacturing & Service Operations Management* 5(2), 79-141.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.errors import ModelError

# A value within this relative distance of a whole number is taken to be that whole number before a
# ceiling, so that 21 / (1 - 0.3) = 30.000000000000004 gives 30, not 31.
WHOLE_TOLERANCE = 1e-9


def as_array(value, name: str, *, positive: bool = False, nonnegative: bool = False) -> np.ndarray:
    """A float array of ``value``, or a ModelError naming ``name`` when it holds NaN or breaks the sign asked for."""
    arr = np.asarray(value, dtype=float)
    if np.isnan(arr).any():
        raise ModelError(f"{name} contains NaN; give a number")
    if positive and (arr <= 0).any():
        raise ModelError(f"{name} = {arr[arr <= 0].flat[0]:g}: must be > 0")
    if nonnegative and (arr < 0).any():
        raise ModelError(f"{name} = {arr[arr < 0].flat[0]:g}: must be >= 0")
    return arr


def _shape(result: np.ndarray, *inputs):
    """Return a scalar for scalar inputs, else the array."""
    return float(result) if all(np.ndim(x) == 0 for x in inputs) else result


def offered_load(calls, aht_seconds, interval_seconds=3600):
    """Offered load in Erlangs: calls × AHT / interval length."""
    calls = as_array(calls, "calls", nonnegative=True)
    aht = as_array(aht_seconds, "aht_seconds", positive=True)
    interval = as_array(interval_seconds, "interval_seconds", positive=True)
    return calls * aht / interval


def erlang_b(agents, load):
    """Erlang B blocking probability for ``agents`` servers (whole numbers) and ``load`` Erlangs."""
    agents = as_array(agents, "agents", nonnegative=True)
    load = as_array(load, "load", nonnegative=True)
    agents, load = np.broadcast_arrays(np.floor(agents + WHOLE_TOLERANCE), load)
    b = np.ones(agents.shape)
    top = int(agents.max()) if agents.size else 0
    for n in range(1, top + 1):
        step = n <= agents
        ab = load * b
        b = np.where(step, ab / (n + ab), b)
    return b


def erlang_c(agents, load):
    """Erlang C probability that a call waits (1 when ``agents <= load``: the queue never empties)."""
    agents = np.floor(as_array(agents, "agents", nonnegative=True) + WHOLE_TOLERANCE)
    load = as_array(load, "load", nonnegative=True)
    b = erlang_b(agents, load)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = agents * b / (agents - load * (1 - b))
    c = np.where(agents > load, c, 1.0)
    return np.where(load == 0, 0.0, np.clip(c, 0.0, 1.0))


def service_level(agents, calls, aht_seconds, target_answer_seconds, interval_seconds=3600):
    """Probability a call is answered within ``target_answer_seconds`` (Erlang C).

    Parameters
    ----------
    agents : int or array
        Agents on the phones in the interval.
    calls : float or array
        Calls offered in the interval (>= 0).
    aht_seconds : float or array
        Average handling time, talk + wrap, seconds (> 0).
    target_answer_seconds : float or array
        Answer-time target, seconds (>= 0).
    interval_seconds : float, default 3600
        Interval length, seconds.

    Returns
    -------
    float or ndarray
        SL = 1 - C(N, A) exp(-(N - A) t / AHT); 0 when N <= A; 1 when there are no calls.

    Raises
    ------
    ModelError
        Negative calls or agents, AHT <= 0, negative target.
    """
    a = offered_load(calls, aht_seconds, interval_seconds)
    n = np.floor(as_array(agents, "agents", nonnegative=True) + WHOLE_TOLERANCE)
    t = as_array(target_answer_seconds, "target_answer_seconds", nonnegative=True)
    aht = as_array(aht_seconds, "aht_seconds", positive=True)
    c = erlang_c(n, a)
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / aht)
    sl = np.where(n > a, sl, 0.0)
    sl = np.where(a == 0, 1.0, sl)
    return _shape(np.clip(sl, 0.0, 1.0), agents, calls, aht_seconds, target_answer_seconds, interval_seconds)


def average_speed_of_answer(agents, calls, aht_seconds, interval_seconds=3600):
    """Average wait before answer over all calls, seconds: C(N, A) × AHT / (N − A); inf when N <= A."""
    a = offered_load(calls, aht_seconds, interval_seconds)
    n = np.floor(as_array(agents, "agents", nonnegative=True) + WHOLE_TOLERANCE)
    aht = as_array(aht_seconds, "aht_seconds", positive=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = erlang_c(n, a) * aht / (n - a)
    asa = np.where(n > a, asa, np.inf)
    asa = np.where(a == 0, 0.0, asa)
    return _shape(asa, agents, calls, aht_seconds, interval_seconds)


def occupancy(agents, calls, aht_seconds, interval_seconds=3600):
    """Share of agents' time spent handling calls: A / N, at most 1 (NaN with no agents)."""
    a = offered_load(calls, aht_seconds, interval_seconds)
    n = as_array(agents, "agents", nonnegative=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, np.minimum(a / n, 1.0), np.nan)
    return _shape(occ, agents, calls, aht_seconds, interval_seconds)


def whole_ceil(value):
    """Ceiling that treats values within 1e-9 (relative) of a whole number as that number."""
    value = np.asarray(value, dtype=float)
    nearest = np.round(value)
    close = np.abs(value - nearest) <= WHOLE_TOLERANCE * np.maximum(1.0, np.abs(nearest))
    return np.where(close, nearest, np.ceil(value))


def required_agents(calls, aht_seconds, target_answer_seconds, service_level, interval_seconds=3600,
                    max_occupancy=1.0):
    """Fewest agents on the phones meeting the service level and the occupancy cap (Erlang C).

    Callers who hang up (Erlang A) are :func:`lib.staffing.queue.required_agents`, which chooses the model.

    Parameters
    ----------
    calls, aht_seconds, target_answer_seconds, interval_seconds
        As in :func:`service_level`.
    service_level : float
        Required probability of answer within target, in (0, 1).
    max_occupancy : float, default 1.0
        Occupancy cap in (0, 1]: at least ``ceil(A / max_occupancy)`` agents.

    Returns
    -------
    int or ndarray of int
        0 where there are no calls.

    Notes
    -----
    Erlang C: the search starts at ``max(floor(A) + 1, ceil(A / max_occupancy))``, which no stable
    queue can beat, and adds one agent at a time only where the target is not yet met, so it never
    starts above the true minimum. Erlang B is carried along by its recursion (one step per agent
    added), all intervals at once, so a year costs about (largest answer) array steps.
    """
    sl_target = float(service_level)
    if not 0 < sl_target < 1:
        raise ModelError(f"service_level = {service_level!r}: must be in (0, 1)")
    if not 0 < float(max_occupancy) <= 1:
        raise ModelError(f"max_occupancy = {max_occupancy!r}: must be in (0, 1]")
    a0 = offered_load(calls, aht_seconds, interval_seconds)
    aht0 = as_array(aht_seconds, "aht_seconds", positive=True)
    t0 = as_array(target_answer_seconds, "target_answer_seconds", nonnegative=True)
    shape = np.broadcast(a0, aht0, t0).shape
    a, aht, t = (np.array(x, dtype=float).ravel() for x in np.broadcast_arrays(a0, aht0, t0))
    (a, aht, t), inverse = unique_rows(a, aht, t)  # each distinct interval once
    start = np.maximum(np.floor(a + WHOLE_TOLERANCE) + 1, whole_ceil(a / max_occupancy))
    n = _erlang_c_sweep(a, aht, t, sl_target, start)[inverse]
    out = n.reshape(shape).astype(int)
    return int(out) if all(np.ndim(x) == 0 for x in (calls, aht_seconds, target_answer_seconds)) else out


def _erlang_c_sweep(a, aht, t, sl_target, start):
    """Fewest n >= ``start`` with Erlang C service level >= ``sl_target``, per interval (0 with no load)."""
    out = np.zeros(a.shape)
    idx = np.flatnonzero(a > 0)
    a, aht, t, n = a[idx], aht[idx], t[idx], start[idx]
    b = np.ones(idx.size)
    for k in range(1, int(n.max()) + 1 if n.size else 0):  # Erlang B at the starting n
        ab = a * b
        b = np.where(k <= n, ab / (k + ab), b)
    while idx.size:
        with np.errstate(over="ignore"):
            c = np.clip(n * b / (n - a * (1 - b)), 0.0, 1.0)  # n > a: the start is a stable queue
            done = 1.0 - c * np.exp(-(n - a) * t / aht) >= sl_target
        out[idx[done]] = n[done]
        keep = ~done
        idx, a, aht, t, n, b = idx[keep], a[keep], aht[keep], t[keep], n[keep] + 1, b[keep]
        ab = a * b
        b = ab / (n + ab)
    return out


def modified_offered_load(calls, aht_seconds, interval_seconds=3600, circular=False):
    """Calls per interval adjusted for time-varying load: the modified offered load (MOL).

    When handling times are long against the interval, the calls arriving in one interval are still
    being handled in the next ones, so a busy interval's load spills over. The MOL is the mean number
    of calls in service in an infinite-server queue fed by the interval rates: with exponential
    handling, interval i carries ``sum_k calls[i-k] * w_k`` where ``w_k`` is the share of a call's
    work done k intervals after the one it arrived in, w_0 = 1 - (1 - e^(-r)) / r and
    w_k = (1 - e^(-r))^2 e^(-(k-1) r) / r for k >= 1, with r = interval / AHT (the weights sum to 1,
    so total work is kept). The result is in calls per interval, ready for the Erlang functions.

    Parameters
    ----------
    calls : array
        Calls offered per interval, in time order.
    aht_seconds : float
        Mean handling time.
    circular : bool, default False
        Treat the series as a repeating cycle (e.g. a typical week), so the first intervals receive
        the spill-over from the last ones.

    References
    ----------
    Jennings, O. B., Mandelbaum, A., Massey, W. A. & Whitt, W. (1996). Server staffing to meet
    time-varying demand. *Management Science* 42(10), 1383-1394.
    """
    lam = as_array(calls, "calls", nonnegative=True).ravel()
    aht = float(as_array(aht_seconds, "aht_seconds", positive=True))
    r = float(as_array(interval_seconds, "interval_seconds", positive=True)) / aht
    lags = max(1, int(np.ceil(40 / r)))  # until e^(-k r) < e^-40
    w = np.empty(lags + 1)
    w[0] = 1 - (1 - np.exp(-r)) / r
    w[1:] = (1 - np.exp(-r)) ** 2 * np.exp(-(np.arange(1, lags + 1) - 1) * r) / r
    out = np.zeros_like(lam)
    for k, wk in enumerate(w):
        if circular:
            out += wk * np.roll(lam, k)
        elif k < len(lam):
            out[k:] += wk * lam[: len(lam) - k]
    return out


def rostered_staff(agents, shrinkage):
    """Staff to roster so that ``agents`` remain after shrinkage: ceil(agents / (1 − shrinkage)).

    Raises
    ------
    ModelError
        Shrinkage outside [0, 1) or negative agents.
    """
    s = np.asarray(shrinkage, dtype=float)
    if np.isnan(s).any() or (s < 0).any() or (s >= 1).any():
        raise ModelError(f"shrinkage = {shrinkage!r}: must be in [0, 1)")
    agents_arr = as_array(agents, "agents", nonnegative=True)
    out = whole_ceil(agents_arr / (1.0 - s)).astype(int)
    return int(out) if np.ndim(agents) == 0 and np.ndim(shrinkage) == 0 else out


def _group_values(col, codes, groups):
    """Each group's value of a column that is constant within groups (any member's will do)."""
    out = np.empty(groups, dtype=col.dtype)
    out[codes] = col
    return out


def _constant_within(col, codes, groups) -> bool:
    """Whether ``col`` takes one value within each group (then it splits no group further)."""
    return groups > 1 and bool((_group_values(col, codes, groups)[codes] == col).all())


def unique_rows(*columns):
    """Distinct rows of equal-length 1-d columns, by hashing: (distinct columns, inverse index)."""
    codes, groups = np.zeros(columns[0].size, dtype=np.intp), 1
    for col in columns:
        if col.size and col.min() != col.max() and not _constant_within(col, codes, groups):
            c, distinct = pd.factorize(np.ascontiguousarray(col, dtype=float).view(np.int64))  # hash the bits
            codes, uniques = pd.factorize(codes * len(distinct) + c) if groups > 1 else (c, distinct)
            groups = len(uniques)
    return tuple(_group_values(col, codes, groups) for col in columns), codes
