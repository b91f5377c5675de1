"""How numbers read on the page: one rule per kind of number, used by every page.

- rounding is half away from zero (2.5 → 3), through :func:`round_half_up`, except IMPACT scores,
  which are rounded *down* so that "1.00" always means the desired level is met;
- a percentage has one decimal place; a count has thousands separators; money is whole pounds;
- a missing value reads "no data"; a figure the inputs do not carry reads "not supplied (<why>)";
  a target nobody set reads "no target set"; an interval reads "97.8% to 99.3%"; a change names its sign;
- a control-chart signal or a significance test that finds a difference reads ``UNUSUAL``
  ("unusual — unlikely to be chance alone"), never "a real change": with many measures and several
  rules some signals are chance, and the pages that list readings say how many to expect.

A figure that appears on two pages is formatted by the same function from the same fact, so it
reads the same on both.
"""
from __future__ import annotations

import decimal
import math
import unicodedata

import numpy as np
import pandas as pd

from lib.vocabulary import NO_TARGET

NO_DATA = "no data"
NOT_SUPPLIED = "not supplied"
UNUSUAL = "unusual — unlikely to be chance alone"
UNIT_SUFFIX = {"percent": "%", "count": "", "rate_per_1000": " per 1,000", "days": " days"}
UNIT_DIGITS = {"percent": 1, "count": 0, "rate_per_1000": 2, "days": 1}


def missing(value) -> bool:
    """True for None, NaN and pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value))


DASH = "–"  # a table cell with nothing to say (no solver for a pattern, no requirement at a value)


def or_dash(value):
    """The value, or :data:`DASH` where there is none (missing, or an empty text)."""
    return DASH if missing(value) or (isinstance(value, str) and not value) else value


def needs(sources) -> str:
    """The inputs something needs (any one of them): 'needs inputs.contacts or inputs.incidents'."""
    return "needs " + " or ".join(f"inputs.{s}" for s in ([sources] if isinstance(sources, str) else sources))


def not_supplied(why: str) -> str:
    """How a figure the inputs do not carry reads, on every page: 'not supplied (<why>)'."""
    return f"{NOT_SUPPLIED} ({why})"


def plain(value) -> str:
    """Text for one line of a page or figure: control characters (CR, tab, NUL…) become spaces, runs of
    spaces one. Used for every value from the inputs, wherever it is shown."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(value))
    return " ".join(text.split())


def counted(n: int, singular: str, plural: str | None = None, none: str = "no") -> str:
    """A count and its noun, agreeing: '1 measure', '3 measures', 'no measures' (``none`` for 0)."""
    n = int(n)
    noun = singular if n == 1 else (plural or singular + "s")
    return f"{none} {noun}" if n == 0 else f"{n:,} {noun}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with a count: ``one`` for 1, ``many`` otherwise ('is' / 'are', 'has' / 'have')."""
    return one if int(n) == 1 else many


def round_half_up(value: float, digits: int = 0) -> float:
    """Round half away from zero (2.5 → 3); NaN stays NaN."""
    if missing(value):
        return float("nan")
    if not math.isfinite(value):
        return float(value)
    q = decimal.Decimal(1).scaleb(-digits)
    return float(decimal.Decimal(repr(float(value))).quantize(q, rounding=decimal.ROUND_HALF_UP))


def fmt_int(value) -> str:
    """A count with thousands separators; 'no data' for a missing value."""
    if missing(value):
        return NO_DATA
    return f"{int(round_half_up(value)):,}"


def fmt_number(value, digits: int = 1) -> str:
    """A plain number with ``digits`` decimals and thousands separators."""
    if missing(value):
        return NO_DATA
    return f"{round_half_up(value, digits):,.{digits}f}"


def fmt_percent(value, digits: int = 1) -> str:
    """A percentage given in percent (0–100): '98.8%'."""
    if missing(value):
        return NO_DATA
    return f"{round_half_up(value, digits):.{digits}f}%"


def seconds_text(seconds: float) -> str:
    """A time standard in words: '10 seconds', '2 minutes', '90 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    return f"{fmt_number(seconds, 0 if seconds == int(seconds) else 1)} second{'' if seconds == 1 else 's'}"


def fmt_value(value, unit: str) -> str:
    """A measure's value in its unit: '98.8%', '1,234', '1.23 per 1,000', '35.0 days'."""
    if missing(value):
        return NO_DATA
    digits = UNIT_DIGITS[unit]
    return f"{round_half_up(value, digits):,.{digits}f}{UNIT_SUFFIX[unit]}"


def fmt_target(value, unit: str) -> str:
    """A measure's target in its unit (:func:`fmt_value`); 'no target set' when none is set, never a number."""
    return NO_TARGET if missing(value) else fmt_value(value, unit)


def fmt_interval(lower, upper, unit: str = "percent") -> str:
    """An interval in a unit: '97.8% to 99.3%'; 'no data' when either end is missing."""
    if missing(lower) or missing(upper):
        return NO_DATA
    return f"{fmt_value(lower, unit)} to {fmt_value(upper, unit)}"


def fmt_points(value, digits: int = 1) -> str:
    """A change in percentage points, signed: '+46.4' or '−3.7' (a true minus sign)."""
    if missing(value):
        return NO_DATA
    rounded = round_half_up(value, digits)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
    return f"{sign}{abs(rounded):.{digits}f}"


def score_shown(value) -> float:
    """An IMPACT score as the page shows it: rounded *down* to 2 decimals, so that 1.00 always means met."""
    return math.floor(value * 100 + 1e-9) / 100


def fmt_score(value) -> str:
    """An IMPACT score to 2 decimals, rounded *down* so that '1.00' always means met; '≥ 10' above 10."""
    if missing(value):
        return NO_DATA
    if value >= 10:
        return "≥ 10"
    return f"{score_shown(value):.2f}"


def fmt_money(value) -> str:
    """Pounds, whole: '£1,234,000'."""
    if missing(value):
        return NO_DATA
    return f"£{int(round_half_up(value)):,}"


def fmt_p(p) -> str:
    """A p-value: 'p < 0.001' or 'p = 0.042'."""
    if missing(p):
        return NO_DATA
    return "p < 0.001" if p < 0.001 else f"p = {round_half_up(p, 3):.3f}"


def month_label(month: str) -> str:
    """'2019-03' → 'March 2019'."""
    return pd.Period(month, "M").strftime("%B %Y")


def month_range_label(first: str, last: str) -> str:
    """'2019-01', '2019-11' → 'Jan–Nov 2019'; across years 'Dec 2018–Nov 2019'."""
    a, b = pd.Period(first, "M"), pd.Period(last, "M")
    if a == b:
        return a.strftime("%b %Y")
    if a.year == b.year:
        return f"{a.strftime('%b')}–{b.strftime('%b %Y')}"
    return f"{a.strftime('%b %Y')}–{b.strftime('%b %Y')}"
