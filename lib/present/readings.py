"""A control chart's reading, short, for a table cell: a few words per part, each with its full words.

:func:`lib.present.charts.spc.describe` says a reading in one sentence ("change from Jun 2019, cause not
recorded; latest month: ordinary variation (nothing unusual); will consistently miss the target (provisional
limits: 7 months)"), which makes a table row ten lines tall. :func:`short_reading` says the same in parts —
where the current limits start, the latest month, the assurance — each a
:class:`lib.present.tables.Short` whose label is a word or two ("change Jun 2019", "ordinary", "will miss",
"7-month limits") and whose words are the sentence's own (written once, in :mod:`lib.present.charts.spc`).
The table prints the labels; its key, the cell's tooltip and the CSV carry the words.
"""
from __future__ import annotations

from lib.present import NO_DATA, fmt_int, missing
from lib.present.charts.spc import ASSURANCE_TEXT, VARIATION_TEXT, change_text, too_few_text
from lib.present.tables import Short
from lib.stats.phases import NOT_RECORDED
from lib.stats.reading import MIN_MONTHS, TOO_FEW

VARIATION_LABEL = {
    "common_cause": "ordinary",
    "improvement_high": "high (better)",
    "improvement_low": "low (better)",
    "concern_high": "high (worse)",
    "concern_low": "low (worse)",
    "neutral_high": "high",
    "neutral_low": "low",
}
ASSURANCE_LABEL = {"consistent_pass": "will meet", "consistent_fail": "will miss", "inconsistent": "hit or miss"}


def _get(row, key, default=""):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if missing(value) else value


def _change(row) -> Short | str:
    """Where the current limits start, when it is not the first phase."""
    cause = _get(row, "phase_cause")
    words = change_text(_get(row, "phase_start"), cause)
    if not words:
        return ""
    month = words.split(" from ", 1)[1].split(",", 1)[0]
    return Short(f"change {month}" if cause == NOT_RECORDED else f"listed change {month}", words)


def _assurance(row) -> list[Short | str]:
    """The assurance and, for a settled reading on fewer than 12 months, how many months its limits have."""
    assurance = _get(row, "assurance")
    if assurance == "not_yet":
        changing = _get(row, "changing")
        return [Short(changing or "changing", f"{ASSURANCE_TEXT['not_yet'][0]} ({changing})")]
    if assurance not in ASSURANCE_LABEL:
        return [ASSURANCE_TEXT[assurance][0] if assurance in ASSURANCE_TEXT else ""]
    parts: list[Short | str] = [Short(ASSURANCE_LABEL[assurance], ASSURANCE_TEXT[assurance][0])]
    if bool(_get(row, "provisional_limits", False)):
        months = fmt_int(_get(row, "phase_points", 0))
        parts.append(Short(f"{months}-month limits", f"provisional limits: {months} months"))
    return parts


def short_reading(row) -> tuple:
    """A measure's control-chart reading as a table cell (see the module docstring): the same reading as
    :func:`lib.present.charts.spc.describe` of ``row`` (a ``measure_period`` row), in short labels."""
    variation = _get(row, "variation")
    if variation == TOO_FEW:
        months = _get(row, "months_judged", 0)
        return (Short(f"{fmt_int(months)} of {MIN_MONTHS} months", too_few_text(months)),)
    if variation not in VARIATION_TEXT:
        return (NO_DATA if variation in ("no data", "") else str(variation),)
    return (_change(row), Short(VARIATION_LABEL[variation], VARIATION_TEXT[variation][0]), *_assurance(row))


def reading_column(facts, ids: list[str]) -> list[tuple]:
    """:func:`short_reading` of each measure of ``ids``, or its status where it has no chart ('not supplied', 'to be
    developed'): the reading column beside :func:`lib.present.charts.spc.limits_display`."""
    period = facts["measure_period"].set_index("measure_id")
    return [(period.at[i, "status"],) if period.at[i, "status"] in ("not supplied", "to be developed")
            else short_reading(period.loc[i]) for i in ids]
