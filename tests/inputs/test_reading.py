"""The control chart's reading and its words (issue 21): a reading never contradicts the month beside it.

[MDC] Making Data Count, *Strengthening your decisions* (as summarised in shared/DOMAIN.md, "Assurance needs a
      stable process" and "Making Data Count, rebasing"): the assurance icon is read against the limits of the
      current stable phase; a process still showing special cause at its end is still changing ("assurance not
      yet", with the direction); limits are recalculated once a new phase has about 12 points (fewer: provisional).
[PTD-N] NHSRplotthedots vignette number-of-points-required.Rmd: limits are "trial" below 12 points, locked at 12,
      revised from the start of a long run.
Where no published example exists (the words, the provisional months, the property), the tests are hand-built
cases or invariants, each of which fails on the code before issue 21 (it read "will consistently miss" beside a met
target, judged provisional months, read 4 months, and said "a real change, not chance").
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.config.catalogue import Measure
from lib.measures.facts import measure_chart
from lib.present.charts import spc as spcchart
from lib.stats import phases, reading, spc

MONTHS = [str(m) for m in pd.period_range("2018-04", periods=48, freq="M")]
WIGGLE = [0.4, -0.3, 0.2, -0.5, 0.1, -0.2, 0.3, -0.1]


def _measure(direction="higher", desired=90.0):
    return Measure(id="m", name="M", short_name="M", unit="percent", direction=direction, desired=desired,
                   desired_source="test" if desired is not None else "", source="measure_values")


def _read(values, direction="higher", desired=90.0, provisional=(), interventions=None):
    """A measure's chart and reading, as the facts compute them, and the words the book prints."""
    s = pd.DataFrame({"month": MONTHS[:len(values)], "value": values})
    s["provisional"] = s["month"].isin([MONTHS[len(values) - 1 - k] for k in range(provisional)] if provisional else [])
    frame, result, row = measure_chart(s, _measure(direction, desired), interventions or {}, float(values[-1]))
    return frame, result, row, spcchart.describe(row), spcchart.icons({**row, "direction": direction})


# --- each case, with its icon and words -----------------------------------------------------------------------

def test_an_unrecorded_shift_starts_a_phase_marked_cause_not_recorded():
    # 14 months near 80, then 10 near 93 against a 90 target: the change has no listed cause.
    values = [80 + WIGGLE[i % 8] for i in range(14)] + [93 + WIGGLE[i % 8] for i in range(10)]
    frame, result, row, words, icons = _read(values)
    assert [(c.start, c.side, c.points, c.provisional) for c in result.changes] == [("2019-06", "above", 10, True)]
    assert (row["phase_start"], row["phase_cause"], row["assurance"]) == ("2019-06", "not recorded", "consistent_pass")
    assert words == ("change from Jun 2019, cause not recorded; latest month: ordinary variation (nothing unusual); "
                     "will consistently meet the target (provisional limits: 10 months)")
    assert icons == [("~", spcchart.GREY), ("P", spcchart.BLUE)]
    assert frame["group"].tolist() == [0] * 14 + [1] * 10
    # Marked on the chart and listed for the analyst (the facts' measure_changes, the compliance note).
    facts = {"measure_phases": pd.DataFrame(columns=["measure_id", "month", "intervention"]),
             "measure_changes": pd.DataFrame([{"measure_id": "m", "start": "2019-06"}])}
    assert spcchart.measure_marks(facts, "m") == [("2019-06", "change from Jun 2019, cause not recorded")]
    # Recording its cause (an intervention in the params) names it instead.
    _, named, row, words, _ = _read(values, interventions={"2019-06": "new triage desk"})
    assert named.changes == () and named.decisions[0].applied and row["phase_cause"] == "new triage desk"
    assert words.startswith("new limits from Jun 2019, after a listed change; latest month: ordinary variation")
    # Before issue 21, one set of limits across the change: "will consistently miss", beside months that meet it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)
        assert spc.assurance_icon(spc.xmr(values, target=90.0)) == "consistent_fail" and values[-1] > 90
        assert spc.variation_icon(spc.xmr(values, target=90.0)) == "improvement_high"


def test_a_ramp_reads_assurance_not_yet_still_changing_never_will_miss():
    # The PPN: flat near 50%, a listed change, then rising every month to 98.5% against a 95% target (met).
    values = [50 + WIGGLE[i % 8] for i in range(12)] + [56.0, 59, 67, 71, 78.5, 84, 89, 93, 98.5]
    frame, result, row, words, icons = _read(values, desired=95.0, interventions={"2019-04": "new PPN process"})
    assert result.decisions[0].applied and row["phase_cause"] == "new PPN process"
    assert (row["variation"], row["assurance"], row["changing"]) == ("improvement_high", "not_yet", "improving")
    assert words == ("new limits from Apr 2019, after a listed change; latest month: unusual — unlikely to be chance "
                     "alone (a rise, an improvement); assurance: not yet — still changing (improving)")
    assert "consistently" not in words
    assert icons == [("H", spcchart.BLUE), ("↑", spcchart.BLUE)]
    # Lower is better and falling: improving, the arrow points down; rising: worsening, orange.
    down = _read([100 - v for v in values], direction="lower", desired=5.0,
                 interventions={"2019-04": "new process"})
    assert (down[2]["changing"], down[4][1]) == ("improving", ("↓", spcchart.BLUE))
    worse = _read([100 - v for v in values], desired=95.0, interventions={"2019-04": "new process"})
    assert (worse[2]["changing"], worse[4][1]) == ("worsening", ("↓", spcchart.ORANGE))
    # Before issue 21: the limits drawn on the ramp put the 95% target above them, "will consistently miss".
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)
        old = spc.xmr(values, target=95.0, rebase_at=[12])
    assert spc.assurance_icon(old) == "consistent_fail" and values[-1] >= 95


def test_a_short_phase_has_provisional_limits_and_says_so():
    # 20 months near 60, a listed change, then 8 months near 85 against an 80 target.
    values = [60 + WIGGLE[i % 8] for i in range(20)] + [85 + WIGGLE[i % 8] for i in range(8)]
    _, _, row, words, _ = _read(values, desired=80.0, interventions={"2019-12": "new checks"})
    assert (row["phase_points"], row["provisional_limits"], row["assurance"]) == (8, True, "consistent_pass")
    assert words.endswith("will consistently meet the target (provisional limits: 8 months)")
    # 12 months or more: the limits are locked, nothing said.
    values = values + [85 + WIGGLE[i % 8] for i in range(4)]
    _, _, row, words, _ = _read(values, desired=80.0, interventions={"2019-12": "new checks"})
    assert (row["phase_points"], row["provisional_limits"]) == (12, False) and "provisional" not in words


def test_provisional_months_are_drawn_but_never_read():
    # 20 steady months of a solved rate, then 3 months still waiting for outcomes, far lower. Judged, the last months
    # would be an unusual fall (a concern); marked provisional they are drawn pale and left out.
    values = [15 + WIGGLE[i % 8] / 2 for i in range(20)] + [12.0, 10.0, 7.0]
    frame, _, row, words, icons = _read(values, desired=20.0, provisional=3)
    assert frame["point_type"].tolist()[-3:] == ["provisional"] * 3 and frame["provisional"].tolist()[-3:] == [True] * 3
    assert (frame["mean"].iloc[-3:] == frame["mean"].iloc[-4]).all()  # the limits carried on, not recomputed
    assert (row["variation"], row["months_judged"]) == ("common_cause", 20)
    assert words.startswith("latest month: ordinary variation") and icons[0] == ("~", spcchart.GREY)
    judged = _read(values, desired=20.0)[2]
    assert judged["variation"] == "concern_low"  # the same months read as real, before issue 21
    numbers = spcchart.numbers(frame)
    assert numbers["signal"].tolist()[-3:] == ["provisional: not judged"] * 3


def test_fewer_than_12_months_are_too_few_to_judge():
    # Issue 20.6: a public edition read "will consistently miss" from 4 months.
    frame, result, row, words, icons = _read([4.0, 4.2, 3.9, 4.1], desired=20.0)
    assert result is None and row["variation"] == "too_few" and row["assurance"] == ""
    assert words == "too few months to judge (4 of the 12 needed)" and icons == []
    assert set(frame["point_type"]) == {"not_judged"} and "lpl" not in frame
    assert _read([4.0] * 11 + [4.1], desired=20.0)[2]["variation"] != "too_few"  # 12 are enough
    # Provisional months do not count towards the 12.
    assert _read([4.0 + k / 10 for k in range(13)], desired=20.0, provisional=3)[2]["variation"] == "too_few"


def test_no_target_set_gives_no_assurance_and_says_so():
    _, _, row, words, icons = _read([80 + WIGGLE[i % 8] for i in range(15)], desired=None)
    assert row["assurance"] == "no_target" and words.endswith("; no target set") and icons[1][0] == "–"


def test_a_provisional_month_beside_the_reading_is_not_contradicted():
    # [Rule 4] The limits of 20 judged months say "will consistently miss" a 90 target; the period's own month, still
    # provisional, is 91 (met): the reading beside it is "may be met or missed", never "will consistently miss".
    values = [80 + WIGGLE[i % 8] for i in range(20)] + [91.0]
    s = pd.DataFrame({"month": MONTHS[:21], "value": values, "provisional": [False] * 20 + [True]})
    _, _, row = measure_chart(s, _measure(), {}, 91.0)
    assert row["assurance"] == "inconsistent"
    assert measure_chart(s, _measure(), {}, 85.0)[2]["assurance"] == "consistent_fail"


# --- the property: no reading contradicts its month -----------------------------------------------------------

@st.composite
def processes(draw):
    """Series of 12 to 40 months: a level, an optional step and ramp, and noise; a target and a direction."""
    n = draw(st.integers(12, 40))
    level = draw(st.floats(10, 90))
    step_at, step = draw(st.integers(1, n - 1)), draw(st.sampled_from([0.0, 0.0, 5.0, -5.0, 20.0, -20.0]))
    ramp_at, slope = draw(st.integers(1, n - 1)), draw(st.sampled_from([0.0, 0.0, 1.0, -1.0, 3.0]))
    noise = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=n, max_size=n))
    t = np.arange(n)
    values = level + step * (t >= step_at) + slope * np.clip(t - ramp_at, 0, None) + np.array(noise)
    direction = draw(st.sampled_from(["higher", "lower"]))
    target = draw(st.floats(5, 95))
    return [float(v) for v in values], direction, target


@settings(max_examples=400, deadline=None)
@given(processes())
def test_no_series_reads_consistently_miss_while_its_latest_month_and_phase_meet_the_target(case):
    values, direction, target = case
    _, result, row, words, _ = _read(values, direction=direction, desired=target)
    phase = spc.current_phase(result.chart)
    meets = (lambda v: v >= target) if direction == "higher" else (lambda v: v <= target)
    if meets(values[-1]) and meets(phase["value"].mean()):
        assert row["assurance"] != "consistent_fail" and "consistently miss" not in words
    if not meets(values[-1]) and not meets(phase["value"].mean()):
        assert row["assurance"] != "consistent_pass" and "consistently meet" not in words
    # An assurance reading is given only on a stable phase, and "not yet" only on one still changing.
    last = phase["point_type"].iloc[-1]
    assert (row["assurance"] == "not_yet") == (last != "common_cause")


@settings(max_examples=150, deadline=None)
@given(processes(), st.floats(0, 100))
def test_the_period_month_beside_the_reading_is_never_contradicted(case, latest):
    """The month beside the reading may be a provisional one the chart leaves out: whatever it is, a reading
    never says "consistently miss" beside a month that meets the target, nor "consistently meet" beside one
    that misses."""
    values, direction, target = case
    s = pd.DataFrame({"month": MONTHS[:len(values) + 1], "value": values + [latest],
                      "provisional": [False] * len(values) + [True]})
    row = measure_chart(s, _measure(direction, target), {}, latest)[2]
    met = latest >= target if direction == "higher" else latest <= target
    assert row["assurance"] != ("consistent_fail" if met else "consistent_pass")


# --- false signals: how many unusual readings chance alone gives ------------------------------------------------

def test_false_signal_rate_is_the_charts_own_rules_on_unchanged_processes():
    """The vectorised rate flags exactly the series whose last point spc.xmr (limits fixed after 12) flags."""
    sims, points = 300, 21
    y = np.random.default_rng(20240601).normal(size=(sims, points))
    flagged = [spc.xmr(row, fix_after_n=12)["point_type"].iloc[-1] != "common_cause" for row in y]
    assert reading.false_signal_rate(points, sims=sims) == pytest.approx(np.mean(flagged), abs=1e-12)
    # With 12 months (limits from all of them) the rate is near the known-parameter sum of the four rules, 2.0%
    # (0.27% + 1.56% + 0.04% + 0.09%); estimated limits on longer series flag about three times as often.
    assert reading.false_signal_rate(12) == pytest.approx(0.0196, abs=0.006)
    assert 0.04 < reading.false_signal_rate(36) < 0.09
    assert reading.expected_false_signals([21, 21, 5]) == pytest.approx(2 * reading.false_signal_rate(21))


def test_the_false_signals_sentence_counts_the_readings_it_sits_beside():
    rows = pd.DataFrame({"variation": ["common_cause", "improvement_high", "too_few", ""],
                         "months_judged": [21, 21, 4, np.nan]})
    sentence = spcchart.false_signals_sentence(rows)
    expected = 2 * reading.false_signal_rate(21)
    assert sentence.startswith(f"Even if nothing had changed, about {expected:.1f} of these 2 readings would show "
                               "an unusual month by chance alone (each chart is read against 4 rules")
    assert spcchart.false_signals_sentence(rows.iloc[2:]) == ""


def test_signals_and_tests_share_one_wording():
    from lib.present import UNUSUAL

    assert UNUSUAL == "unusual — unlikely to be chance alone"
    assert all(UNUSUAL in text for key, (text, _, _) in spcchart.VARIATION_TEXT.items() if key != "common_cause")
    assert not any("real change" in text for text, _, _ in spcchart.VARIATION_TEXT.values())


def test_phases_of_the_property_cases_are_well_formed():
    # Invariant: every phase start is a point, phases run forward, and each recorded or unrecorded change is one.
    y = pd.Series([80 + WIGGLE[i % 8] for i in range(14)] + [93 + WIGGLE[i % 8] for i in range(10)], index=MONTHS[:24])
    ph = phases.phases(y, target=90.0)
    assert list(ph.rebase_at) == sorted(ph.rebase_at) and set(ph.rebase_at) == {c.start for c in ph.changes}
