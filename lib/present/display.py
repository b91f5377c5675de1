"""How numbers read on the page: one rule per kind of number, used by every chapter.

Rounding is half away from zero (2.5 → 3, as a reader expects), through :func:`round_half_up`, so
the same number prints the same way wherever it appears. A missing value prints as "no data".
"""
from __future__ import annotations

import decimal
import math
import unicodedata

import pandas as pd

NO_DATA = "no data"


def missing(value) -> bool:
    """True for None, NaN and pandas' NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def plain(value) -> str:
    """Text for one line of a page or figure: control characters (CR, tab, NUL…) become spaces, runs of
    spaces one. Used for every value from the inputs, wherever it is shown."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(value))
    return " ".join(text.split())


def round_half_up(value: float, digits: int = 0) -> float:
    """Round half away from zero (2.5 → 3); NaN stays NaN."""
    if missing(value):
        return float("nan")
    q = decimal.Decimal(1).scaleb(-digits)
    return float(decimal.Decimal(repr(float(value))).quantize(q, rounding=decimal.ROUND_HALF_UP))


def fmt_int(value) -> str:
    """A count with thousands separators; 'no data' for a missing value."""
    if missing(value):
        return NO_DATA
    return f"{int(round_half_up(value)):,}"


def fmt_pct(value, digits: int = 1) -> str:
    """A proportion in [0, 1] as a percentage; 'no data' for a missing value."""
    if missing(value):
        return NO_DATA
    return f"{round_half_up(100 * value, digits):.{digits}f}%"
