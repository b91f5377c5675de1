"""The control chart used throughout the book, in the Making Data Count style, and the words for its reading.

Grey line and dots for ordinary months; blue for improvement, orange for concern, purple for neutral
special causes (the NHS MDC colours, which stay distinguishable with colour-blindness because the
icons also carry a letter); each phase's mean solid and process limits dashed, broken where a new
phase starts; target dotted red; months marked provisional drawn hollow and pale, outside the
limits and signals; the variation and assurance icons drawn top right with a letter (H/L for
high/low, P/F/? for pass/fail/either, an arrow for a process still changing) so they read in
greyscale and in the PDF.

It is drawn by :mod:`lib.present.charts.control_chart`; the colours, letters and words are here.
The words (:func:`describe`) are the reading's rules of :mod:`lib.stats.reading` in plain English,
written once here for every page that shows a reading: the scorecard, the compliance chapter and
the exceptions.
"""
from __future__ import annotations

import pandas as pd

from lib.present import NO_DATA, NO_TARGET, UNUSUAL, fmt_int, fmt_number, missing, month_range_label, round_half_up
from lib.stats.phases import NOT_RECORDED
from lib.stats.reading import MIN_MONTHS, RULES, TOO_FEW, expected_false_signals

GREY, BLUE, ORANGE, PURPLE, PALE = "#7B7D7D", "#289DE0", "#FAB428", "#361475", "#C8C8C8"
COLOURS = {
    "common_cause": GREY,
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
    "not_judged": GREY,
    "provisional": PALE,
}
VARIATION_TEXT = {
    "common_cause": ("ordinary variation (nothing unusual)", GREY, "~"),
    "improvement_high": (f"{UNUSUAL} (a rise, an improvement)", BLUE, "H"),
    "improvement_low": (f"{UNUSUAL} (a fall, an improvement)", BLUE, "L"),
    "concern_high": (f"{UNUSUAL} (a rise, a concern)", ORANGE, "H"),
    "concern_low": (f"{UNUSUAL} (a fall, a concern)", ORANGE, "L"),
    "neutral_high": (f"{UNUSUAL} (a rise)", PURPLE, "H"),
    "neutral_low": (f"{UNUSUAL} (a fall)", PURPLE, "L"),
}
POINT_TEXT = {
    "common_cause": "ordinary",
    "special_cause_improvement": "unusual month: improvement",
    "special_cause_concern": "unusual month: concern",
    "special_cause_neutral_high": "unusual month: high",
    "special_cause_neutral_low": "unusual month: low",
    "not_judged": "not judged: too few months",
    "provisional": "provisional: not judged",
}
ASSURANCE_TEXT = {
    "consistent_pass": ("will consistently meet the target", BLUE, "P"),
    "consistent_fail": ("will consistently miss the target", ORANGE, "F"),
    "inconsistent": ("the target may be met or missed by chance", GREY, "?"),
    "not_yet": ("assurance: not yet — still changing", GREY, "→"),
    "no_target": (NO_TARGET, PALE, "–"),
    "": ("", PALE, "–"),
}
ARROWS = {"improving": BLUE, "worsening": ORANGE, "rising": PURPLE, "falling": PURPLE}
PROVISIONAL_NOTE = "pale hollow points: provisional months (figures still arriving), left out of the limits and signals"


def get(row, key, default=""):
    """A field of a row (a Series, dict or named tuple); ``default`` when it is absent or missing."""
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if missing(value) else value


def month_text(month) -> str:
    """'2019-06' → 'Jun 2019'."""
    return month_range_label(str(month), str(month))


def too_few_text(months) -> str:
    """'too few months to judge (4 of the 12 needed)'."""
    return f"too few months to judge ({fmt_int(months)} of the {MIN_MONTHS} needed)"


def change_text(start, cause) -> str:
    """Where the current phase starts and why: 'change from Jun 2019, cause not recorded'; '' for the first phase."""
    if not cause:
        return ""
    if cause == NOT_RECORDED:
        return f"change from {month_text(start)}, cause not recorded"
    return f"new limits from {month_text(start)}, after a listed change"


def assurance_text(row) -> str:
    """The assurance reading in words ('' where there is none)."""
    assurance = get(row, "assurance")
    if assurance not in ASSURANCE_TEXT:
        return NO_TARGET if assurance == "no target" else ""
    words = ASSURANCE_TEXT[assurance][0]
    if assurance == "not_yet":
        return f"{words} ({get(row, 'changing')})"
    if assurance in ("consistent_pass", "consistent_fail", "inconsistent") and bool(get(row, "provisional_limits", False)):
        words += f" (provisional limits: {fmt_int(get(row, 'phase_points', 0))} months)"
    return words


def describe(row) -> str:
    """A measure's control-chart reading in one phrase, for a table or the narrative.

    ``row`` is a measure's period row (``measure_period``: variation, assurance, changing, months_judged,
    phase_start, phase_cause, phase_points, provisional_limits). 'no data' without a chart; 'too few months
    to judge (n of the 12 needed)'; else where the current phase starts (when it is not the first), the
    latest month's variation (the latest month only: earlier months of the phase may be unusual) and the
    assurance, e.g. 'change from Jun 2019, cause not recorded; latest month: ordinary variation (nothing unusual);
    will consistently miss the target (provisional limits: 7 months)'.
    """
    variation = get(row, "variation")
    if variation == TOO_FEW:
        return too_few_text(get(row, "months_judged", 0))
    if variation not in VARIATION_TEXT:
        return NO_DATA if variation in ("no data", "") else str(variation)
    change = change_text(get(row, "phase_start"), get(row, "phase_cause"))
    # a provisional month is drawn but not judged: the reading is of the latest month the chart judges
    latest = "latest judged month" if bool(get(row, "provisional", False)) else "latest month"
    parts = [change, f"{latest}: {VARIATION_TEXT[variation][0]}", assurance_text(row)]
    return "; ".join(p for p in parts if p)


def false_signals_sentence(rows: pd.DataFrame) -> str:
    """How many unusual readings chance alone would give among these measures' readings (one sentence; '' for none).

    Uses :func:`lib.stats.reading.expected_false_signals` on each judged chart's months."""
    judged = rows[rows["variation"].isin(list(VARIATION_TEXT))]
    if judged.empty:
        return ""
    expected = expected_false_signals(judged["months_judged"])
    return (f"Even if nothing had changed, about {fmt_number(expected, 1)} of these {fmt_int(len(judged))} readings "
            f"would show an unusual month by chance alone (each chart is read against {RULES} rules, and an unchanged "
            f"process trips one about {fmt_number(100 * expected / len(judged), 0)}% of the time), so an unusual month "
            "is a prompt to look, not proof of a change.")


def icons(row) -> list[tuple[str, str]]:
    """The (letter, colour) of the variation and assurance icons ([] when the chart gives no reading); a process
    still changing gets an arrow the way it is moving, blue when improving, orange when worsening."""
    variation, assurance = get(row, "variation"), get(row, "assurance")
    if variation not in VARIATION_TEXT:
        return []
    _, colour, letter = VARIATION_TEXT[variation]
    if assurance == "not_yet":
        changing = get(row, "changing")
        if changing in ("improving", "worsening"):
            rising = (get(row, "direction", "higher") == "higher") == (changing == "improving")
        else:
            rising = changing == "rising"
        return [(letter, colour), ("↑" if rising else "↓", ARROWS.get(changing, GREY))]
    _, second_colour, second = ASSURANCE_TEXT.get(assurance, ASSURANCE_TEXT[""])
    return [(letter, colour), (second, second_colour)]


def numbers(frame: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """The chart's numbers as a table (nbval skips images; the table carries the checked numbers)."""
    def r(v):
        return NO_DATA if pd.isna(v) else f"{round_half_up(v, digits):.{digits}f}"

    def limit(v, mean, kind):
        if kind == "not_judged":
            return "not judged"
        # A phase without variation has no limits (every moving range is 0): say so rather than "no data".
        return "none: no variation" if pd.isna(v) and not pd.isna(mean) else r(v)

    kinds = frame["point_type"].astype(str)
    out = pd.DataFrame({
        "month": frame["month"].astype(str),
        "value": [r(v) for v in frame["value"]],
        "mean": [limit(v, v, k) for v, k in zip(frame["mean"], kinds)],
        "lower limit": [limit(v, m, k) for v, m, k in zip(frame["lpl"], frame["mean"], kinds)],
        "upper limit": [limit(v, m, k) for v, m, k in zip(frame["upl"], frame["mean"], kinds)],
        "signal": kinds.map(POINT_TEXT),
    })
    if "n" in frame:
        out.insert(1, "n", [fmt_int(v) for v in frame["n"]])
    return out


# --- A measure's chart, from the period's facts (the scorecard, the compliance chapter, the exceptions) -------

def row_of(table: pd.DataFrame, mid: str) -> pd.Series:
    """A measure's row of a facts table."""
    return table[table["measure_id"] == mid].iloc[0]


def measure_frame(facts, mid: str) -> pd.DataFrame:
    """A measure's chart as drawn (``measure_spc``), with n and the value's 95% interval (where the measure has
    them) and its target."""
    frame = facts["measure_spc"][facts["measure_spc"]["measure_id"] == mid].reset_index(drop=True)
    months = facts["measure_months"]
    own = months[months["measure_id"] == mid].set_index("month")
    return frame.assign(**{col: frame["month"].map(own[col]).to_numpy() for col in ("n", "lower", "upper")},
                        target=float(row_of(facts["catalogue"], mid)["target"]))


def measure_marks(facts, mid: str) -> list[tuple[str, str]]:
    """The chart's marks: each listed intervention (what changed), then each change whose cause is not recorded."""
    marks = []
    phases = facts.get("measure_phases")
    if phases is not None:
        marks += [(r["month"], f"{r['intervention']} ({month_text(r['month'])})")
                  for _, r in phases[phases["measure_id"] == mid].iterrows()]
    changes = facts.get("measure_changes")
    if changes is not None:
        marks += [(r["start"], change_text(r["start"], NOT_RECORDED))
                  for _, r in changes[changes["measure_id"] == mid].iterrows()]
    return sorted(marks, key=lambda m: str(m[0]))


def reading_row(facts, mid: str) -> pd.Series:
    """A measure's period row with its direction, as :func:`icons` reads it."""
    row = row_of(facts["measure_period"], mid)
    return pd.concat([row, pd.Series({"direction": row_of(facts["catalogue"], mid)["direction"]})])


def limits_display(facts, ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each measure's current phase as the small multiples draw it: from, mean, limits, target, reading; the same
    as numbers), the numbers beside the figure."""
    from lib.present import fmt_target, fmt_value

    cat = facts["catalogue"].set_index("measure_id")
    shown, data = [], []
    for mid in ids:
        frame = measure_frame(facts, mid)
        row = row_of(facts["measure_period"], mid)
        unit = cat.at[mid, "unit"]
        judged = frame[~frame["point_type"].isin(["provisional", "not_judged"])]
        last = judged.iloc[-1] if len(judged) else None
        shown.append({"measure": cat.at[mid, "short_name"],
                      "limits from": month_text(row["phase_start"]) if last is not None and not missing(row["phase_start"])
                      else "",
                      "mean": fmt_value(last["mean"], unit) if last is not None else "",
                      "lower limit": fmt_value(last["lpl"], unit) if last is not None else "",
                      "upper limit": fmt_value(last["upl"], unit) if last is not None else "",
                      "target": fmt_target(cat.at[mid, "target"], unit),
                      "reading": describe(row) if row["status"] not in ("not supplied", "to be developed")
                      else row["status"]})
        data.append({"measure_id": mid, "phase_start": row["phase_start"],
                     **({k: last[k] for k in ("mean", "lpl", "upl")} if last is not None else {}),
                     "target": cat.at[mid, "target"], "variation": row["variation"], "assurance": row["assurance"]})
    return pd.DataFrame(shown), pd.DataFrame(data)
