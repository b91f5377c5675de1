"""Disclosure control: primary and secondary suppression by hand, and no small count left visible.

Rule (ONS-style): counts 1-4 hidden as [c]; then, while a row or column (totals included) has exactly
one hidden cell, its smallest other non-zero cell is hidden too, so no hidden value can be recovered
by subtraction from the totals.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.disclosure import SUPPRESSED, is_safe, suppress
from lib.errors import ModelError


def hidden(out):
    return out == SUPPRESSED


def test_by_hand():
    t = pd.DataFrame({"A": [10, 3, 20], "B": [12, 15, 0], "C": [30, 40, 8]}, index=["x", "y", "z"])
    out = suppress(t)
    # y/A = 3 is primary; row y's next smallest non-zero (B = 15) and column A's (x = 10) follow,
    # then row x needs a second hidden cell (B = 12).
    assert out.loc["y", "A"] == SUPPRESSED
    assert out.loc["z", "B"] == "0"  # zeros are shown
    for line in list(out.itertuples(index=False)) + [tuple(out[c]) for c in out.columns]:
        assert sum(v == SUPPRESSED for v in line) != 1
    assert out.loc["Total", "Total"] == "138"
    assert is_safe(out)


def test_small_total_is_hidden():
    t = pd.DataFrame({"A": [2, 0], "B": [1, 30]}, index=["r1", "r2"])
    out = suppress(t)
    assert out.loc["r1", "Total"] == SUPPRESSED  # 3 people in the row


def test_nothing_to_hide():
    t = pd.DataFrame({"A": [10, 0], "B": [5, 30]}, index=["r1", "r2"])
    assert not hidden(suppress(t)).to_numpy().any()


def test_refusals():
    with pytest.raises(ModelError, match="whole, non-negative"):
        suppress(pd.DataFrame({"A": [1.5]}))
    with pytest.raises(ModelError, match="min_count = 0"):
        suppress(pd.DataFrame({"A": [1]}), min_count=0)


def recoverable(table: pd.DataFrame, out: pd.DataFrame) -> bool:
    """True when some hidden cell is the only hidden cell of a row or column (so it can be subtracted out)."""
    h = hidden(out).to_numpy()
    return bool((h.sum(axis=1) == 1).any() or (h.sum(axis=0) == 1).any())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=2, max_size=5).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_property_no_small_count_visible_and_none_recoverable(rows):
    t = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    out = suppress(t)
    assert is_safe(out)
    assert not recoverable(t, out)
