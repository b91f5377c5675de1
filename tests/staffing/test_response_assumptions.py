"""The response establishment's assumptions together (seeded Monte Carlo) and the force's figure reconciled."""
from __future__ import annotations

import numpy as np
import pytest

from lib.inputs.loading import load_all
from lib.staffing import incident_response as irt
from lib.staffing import response_assumptions as ra


@pytest.fixture(scope="module")
def loaded(default_params):
    return load_all(default_params)


@pytest.fixture(scope="module")
def quarter(default_params, loaded):
    return irt.period_incidents(loaded, default_params, default_params.irt.demand_weeks)


def _with(params, **irt_changes):
    return params.model_copy(update={"irt": params.irt.model_copy(update=irt_changes)})


def test_joint_is_seeded_within_its_ranges_and_counts_what_it_says(quarter, default_params):
    """Invariants: the same seed gives the same draws; every draw is inside its range; the chance an establishment is
    enough is the share of draws whose requirement it meets; the percentiles are those of the draws."""
    p = _with(default_params, joint_draws=60)
    draws, summary = ra.joint(quarter, p)
    again, _ = ra.joint(quarter, p)
    assert draws.equals(again)
    for key, _, _ in ra.SENSITIVITY:
        low, high = getattr(p.irt.sensitivity, key)
        assert draws[key].between(low, high).all()
    row = summary.iloc[0]
    assert row["proposed_enough_pct"] == pytest.approx(100 * (draws["required"] <= 350).mean())
    assert row["current_enough_pct"] <= row["proposed_enough_pct"]  # 315 never enough more often than 350
    assert row["q50"] == pytest.approx(np.median(draws["required"]))
    other, _ = ra.joint(quarter, _with(p, joint_seed=p.irt.joint_seed + 1))
    assert not other.equals(draws)


def test_joint_with_every_range_closed_is_the_stated_requirement(quarter, default_params):
    """Invariant: with each range [stated, stated], every draw is the stated requirement, and 315 / 350 are enough in
    every draw or in none as the stated verdict says."""
    base = {k: ra.base_value(default_params, k) for k, _, _ in ra.SENSITIVITY}
    closed = default_params.irt.sensitivity.model_copy(update={k: [v, v] for k, v in base.items()})
    p = _with(default_params, sensitivity=closed, joint_draws=12)
    draws, summary = ra.joint(quarter, p)
    stated = irt.required(quarter, default_params)
    assert (draws["required"] == stated).all()
    assert summary.iloc[0]["proposed_enough_pct"] == (100.0 if stated <= 350 else 0.0)


def test_reconcile_matches_a_grid_scan(quarter, loaded, default_params):
    """Independent check of the bisection: a plain scan of abstractions in 0.1-point steps finds the same boundary
    (the highest value at which the requirement is at most 350) to within one step; at the value found the
    requirement is at most the figure, just beyond it above."""
    r = ra.reconcile(quarter, loaded, default_params).set_index("assumption")
    found = r.loc["abstraction_pct", "value"]
    grid = np.arange(0.0, 27.05, 0.1)
    meets = [v for v in grid if ra.required_at(quarter, default_params, {"abstraction_pct": v}) <= 350]
    assert found == pytest.approx(max(meets), abs=0.11)
    assert ra.required_at(quarter, default_params, {"abstraction_pct": found}) <= 350
    assert ra.required_at(quarter, default_params, {"abstraction_pct": found + 0.11}) > 350
    # what the data show: travel is at most the median immediate response; attended share as measured
    imm = quarter[quarter["grade"] == "immediate"]
    assert r.loc["travel_minutes", "data_value"] == pytest.approx(imm["response_minutes"].median())
    assert np.isnan(r.loc["proactive_pct", "data_value"]) and r.loc["proactive_pct", "data_what"] == "a policy choice"
    # a value none reproduces is no data, never zero
    for key in r.index[r["value"].isna()]:
        assert np.isnan(r.loc[key, "required_at_value"])


def test_reconcile_without_a_figure_is_empty(quarter, loaded, default_params):
    assert ra.reconcile(quarter, loaded, _with(default_params, proposed_establishment=None)).empty


def test_calibration_makes_the_model_reproduce_what_happened(quarter, loaded, default_params):
    """Invariant: at the calibrated workload factor the model check's bias for immediate incidents is nil (the
    prediction for the officers in post equals the share achieved); the requirement there is the one reported."""
    factor = ra.calibrate(loaded, default_params, quarter)
    assert factor is not None and ra.CALIBRATE[0] < factor < ra.CALIBRATE[1]
    month = irt.period_incidents(loaded, default_params)
    _, check = irt.model_check(loaded, default_params, quarter, month, factor)
    assert abs(check.set_index("grade").loc["immediate", "bias_points"]) < 0.05
    r = ra.reconcile(quarter, loaded, default_params).set_index("assumption")
    assert r.loc["workload_factor", "data_value"] == pytest.approx(factor)
    assert r.loc["workload_factor", "required_at_data"] == irt.required(quarter, default_params, factor)
    # the factor that gives the figure is the demand row's, as a factor
    assert r.loc["workload_factor", "value"] == pytest.approx(1 + r.loc["demand_growth_pct", "value"] / 100)
