"""The one way into the queueing models: Erlang C when callers never hang up, Erlang A when they do.

Every staffing calculation (the control room's requirement, its model check, the response model)
asks this module, and the model is chosen here and nowhere else: a mean patience (seconds before a
caller hangs up) gives Erlang A (:mod:`lib.staffing.erlang_a`, M/M/N+M), none gives Erlang C
(:mod:`lib.staffing.erlang`, M/M/N). With Erlang A the service level is the share of *all* calls
offered answered within the target (a caller who hangs up counts as not answered in time). For the
control room the patience is the route's (``fcr.patience_seconds``): :func:`route_service_level`.
"""
from __future__ import annotations

import numpy as np

from lib.config.paths import display_path
from lib.config.schema import Params
from lib.errors import ModelError, ParamsError
from lib.staffing import erlang, erlang_a


def _patience(patience_seconds) -> float | None:
    if patience_seconds is None:
        return None
    value = float(patience_seconds)
    if not value > 0:
        raise ModelError(f"patience_seconds = {patience_seconds!r}: must be > 0")
    return value


def model_name(patience_seconds) -> str:
    """'Erlang A' with a patience, 'Erlang C' without."""
    return "Erlang C" if _patience(patience_seconds) is None else "Erlang A"


def service_level(agents, calls, aht_seconds, target_answer_seconds, interval_seconds=3600, patience_seconds=None):
    """Share of calls answered within ``target_answer_seconds`` by whole ``agents``.

    Erlang A (:func:`lib.staffing.erlang_a.erlang_a_service_level`) when ``patience_seconds`` is given,
    else Erlang C (:func:`lib.staffing.erlang.service_level`); arguments as there, times in seconds.

    Raises
    ------
    ModelError
        A patience that is not > 0, or an argument the model refuses.
    """
    patience = _patience(patience_seconds)
    if patience is None:
        return np.asarray(erlang.service_level(agents, calls, aht_seconds, target_answer_seconds, interval_seconds),
                          dtype=float)
    return np.asarray(erlang_a.erlang_a_service_level(agents, calls, aht_seconds, patience, target_answer_seconds,
                                                      interval_seconds), dtype=float)


def required_agents(calls, aht_seconds, target_answer_seconds, service_level, interval_seconds=3600,
                    max_occupancy=1.0, patience_seconds=None):
    """Fewest agents meeting ``service_level`` and the occupancy cap, by the model the patience chooses.

    Parameters
    ----------
    calls, aht_seconds, target_answer_seconds, interval_seconds
        As in :func:`lib.staffing.erlang.service_level` (broadcast together).
    service_level : float or array-like
        Required share answered within target, in (0, 1); one per interval or one for all.
    max_occupancy : float, default 1.0
        Occupancy cap in (0, 1]: at least ``ceil(A / max_occupancy)`` agents where there is load A.
    patience_seconds : float, optional
        Mean caller patience: Erlang A when given, Erlang C when None.

    Returns
    -------
    int or ndarray of int
        0 where there are no calls.

    Raises
    ------
    ModelError
        As the chosen model's inverse (a level outside (0, 1), a bad patience or occupancy cap).
    """
    patience = _patience(patience_seconds)
    if not 0 < float(max_occupancy) <= 1:
        raise ModelError(f"max_occupancy = {max_occupancy!r}: must be in (0, 1]")
    scalar = all(np.ndim(x) == 0 for x in (calls, aht_seconds, target_answer_seconds, service_level))
    calls_, aht, target, level, interval = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (calls, aht_seconds, target_answer_seconds, service_level,
                                               interval_seconds)))
    shape = calls_.shape
    calls_, aht, target, level, interval = (x.ravel() for x in (calls_, aht, target, level, interval))
    if patience is None:
        need = np.zeros(calls_.size)
        for value in np.unique(level):  # Erlang C's inverse takes one level at a time
            at = level == value
            need[at] = erlang.required_agents(calls_[at], aht[at], target[at], value, interval[at], max_occupancy)
    else:
        load = erlang.offered_load(calls_, aht, interval)
        need = np.asarray(erlang_a.erlang_a_required_agents(calls_, aht, patience, target, level, interval), dtype=float)
        need = np.where(load > 0, np.maximum(need, erlang.whole_ceil(load / max_occupancy)), 0.0)
    out = need.reshape(shape).astype(int)
    return int(out) if scalar else out


def route_target(params: Params, route: str) -> tuple[float, float]:
    """(service level, answer seconds) of a control-room route: its call-answer standard (``calls.answer``).

    Raises
    ------
    ParamsError
        The standard sets no share: the control room cannot be planned to it.
    """
    standard = params.calls.standard(route)
    if standard.share is None:
        raise ParamsError(f"{display_path(params.source_file)}: calls.answer: route {route} has no share set (no target), "
                          "so the control room cannot be planned to it; set its share, or leave the route out of "
                          "fcr.routes")
    return standard.share, standard.seconds


def route_service_level(params: Params, route: str, agents, calls, aht, seconds, interval=3600) -> np.ndarray:
    """:func:`service_level` of a control-room route, with the route's patience (``fcr.patience_seconds``)."""
    return service_level(agents, calls, aht, seconds, interval, params.fcr.patience(route))
