"""The response model check: against an independent simulation of attendance, and its invariants."""
from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
import pytest

from lib.staffing import erlang
from lib.staffing import response_check as check
from lib.vocabulary import TIMEZONE


def simulate_attendance(officers: int, jobs_per_hour: float, job_minutes: float, travel_minutes: float, weeks: int,
                        seed: int) -> pd.DataFrame:
    """Independent check: a discrete-event simulation of officers answering jobs in turn (FIFO, M/M/c), each job one
    incident whose response is its wait for a free officer plus travel. Written here from the queue's definition, not
    from Erlang's formula."""
    rng = np.random.default_rng(seed)
    hours = weeks * 168
    n = rng.poisson(jobs_per_hour * hours)
    arrivals = np.sort(rng.uniform(0, hours * 60, n))  # minutes from Monday 00:00
    service = rng.exponential(job_minutes, n)
    free = [0.0] * officers  # when each officer is next free
    waits = np.empty(n)
    for k, (t, s) in enumerate(zip(arrivals, service)):
        soonest = heapq.heappop(free)
        start = max(t, soonest)
        waits[k] = start - t
        heapq.heappush(free, start + s)
    created = pd.Timestamp("2019-01-07", tz=TIMEZONE) + pd.to_timedelta(arrivals, unit="min")
    return pd.DataFrame({"created_at": created, "grade": "immediate", "response_minutes": waits + travel_minutes})


def _on_duty_params(default_params, officers: int):
    """Available hours that put exactly ``officers`` on duty for calls in every hour, with the params' establishment."""
    p = default_params.irt
    return officers * 168 / (p.current_establishment * (1 - p.proactive_pct / 100))


def test_the_model_check_reproduces_a_simulated_force(default_params):
    """A force that works as the model says (Poisson jobs, exponential job times, officers in turn) is reproduced:
    predicted within 1.5 points of the simulation's achieved share, bias near 0, hourly error near chance's."""
    officers, rate, minutes = 6, 4.5, 60.0
    travel = default_params.irt.travel_minutes
    incidents = simulate_attendance(officers, rate, minutes, travel, weeks=26, seed=7)
    req = pd.DataFrame({"officer jobs per hour": np.full(168, rate)})
    hours, summary = check.compute(incidents, req, minutes, np.ones(168), _on_duty_params(default_params, officers),
                                   None, default_params)
    imm = summary.set_index("grade").loc["immediate"]
    wait = (default_params.response.within("immediate") - travel) * 60
    assert imm["predicted_pct"] == pytest.approx(100 * erlang.service_level(officers, rate, minutes * 60, wait), abs=1e-9)
    assert imm["achieved_pct"] == pytest.approx(imm["predicted_pct"], abs=1.5)
    assert abs(imm["bias_points"]) < 1.5
    assert imm["mae_points"] < 2 * imm["chance_mae_points"]
    assert imm["officers_on_duty"] == pytest.approx(officers)
    assert imm["source"] == check.ESTABLISHMENT
    # no priority incidents: no data, never 0%
    pri = summary.set_index("grade").loc["priority"]
    assert pri["incidents"] == 0 and np.isnan(pri["achieved_pct"]) and np.isnan(pri["bias_points"])
    assert hours[hours["grade"] == "priority"]["achieved_pct"].isna().all()


def test_a_force_with_more_officers_than_the_model_counts_reads_pessimistic(default_params):
    """The simulation runs 7 officers; the model is told 6: it must read pessimistic, and the officers it needs to
    reproduce what happened must be more than the 6 it was given."""
    incidents = simulate_attendance(7, 4.5, 60.0, default_params.irt.travel_minutes, weeks=26, seed=11)
    req = pd.DataFrame({"officer jobs per hour": np.full(168, 4.5)})
    _, summary = check.compute(incidents, req, 60.0, np.ones(168), _on_duty_params(default_params, 6), None,
                               default_params)
    imm = summary.set_index("grade").loc["immediate"]
    assert imm["bias_points"] < -5
    assert imm["officers_needed"] > 6


def test_invariants(default_params):
    """Invariants: prediction rises with officers; the bias is predicted − achieved over the period; officers in post
    come from the export when it has the period's month, else the establishment, else there is no check."""
    sl = check.predicted(np.linspace(4, 12, 17), 4.5, 3600, 300)
    assert (np.diff(sl) >= 0).all()
    assert check.predicted(6.5, 4.5, 3600, 300) == pytest.approx(
        (erlang.service_level(6, 4.5, 3600, 300) + erlang.service_level(7, 4.5, 3600, 300)) / 2)
    incidents = simulate_attendance(6, 4.5, 60.0, 10, weeks=4, seed=3)
    req = pd.DataFrame({"officer jobs per hour": np.full(168, 4.5)})
    _, summary = check.compute(incidents, req, 60.0, np.ones(168), _on_duty_params(default_params, 6), None,
                               default_params)
    row = summary.iloc[0]
    assert row["bias_points"] == pytest.approx(row["predicted_pct"] - row["achieved_pct"], abs=1e-9)
    workforce = pd.DataFrame({"month": [default_params.period], "strength": [280.0]})
    assert check.officers_in_post(workforce, default_params) == (280.0, check.WORKFORCE)
    assert check.officers_in_post(None, default_params) == (float(default_params.irt.current_establishment),
                                                            check.ESTABLISHMENT)
    none = default_params.model_copy(update={"irt": default_params.irt.model_copy(update={"current_establishment": None})})
    hours, summary = check.compute(incidents, req, 60.0, np.ones(168), 30.0, None, none)
    assert hours.empty and summary.empty
