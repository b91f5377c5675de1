"""Disclosure control: suppression must survive the interval attack, and the attack must be exact.

The defence is only as good as `attack`, so `attack` is checked against brute-force enumeration (no
integer programming, no shared code) and shown to break the old rule; then `suppress` is checked
against `attack` on hand-worked tables, the attacker's own row, and random tables.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.errors import ModelError
from lib.stats.disclosure import RULE_TEXT, SUPPRESSED, attack, is_safe, rule_text, suppress

AGES = ["10-17", "18-24", "25-34", "over 34"]
ETHNICITY = ["Asian", "Black", "Mixed", "Other", "White"]
# Stop searches by age and ethnicity; the first row is the one the attacker published:
# 10-17: 5, [c], [c], [c], 72, total 80 -> the three hidden cells share 3 and each is >= 1.
ATTACKED = pd.DataFrame([[5, 1, 1, 1, 72], [9, 2, 3, 4, 89], [6, 11, 7, 8, 62], [12, 5, 0, 0, 56]],
                        index=AGES, columns=ETHNICITY)


def totals(values) -> np.ndarray:
    """The integer table with a total column and a total row (test-side, independent of lib)."""
    v = np.asarray(values, dtype=np.int64)
    with_col = np.column_stack([v, v.sum(axis=1)])
    return np.vstack([with_col, with_col.sum(axis=0)])


def publish(full: np.ndarray, hidden: np.ndarray) -> pd.DataFrame:
    """A table with totals written as `suppress` writes it, hiding the cells in ``hidden``."""
    rows, cols = full.shape
    text = [[SUPPRESSED if hidden[i, j] else f"{full[i, j]:,}" for j in range(cols)] for i in range(rows)]
    return pd.DataFrame(text, index=[f"r{i}" for i in range(rows - 1)] + ["Total"],
                        columns=[f"c{j}" for j in range(cols - 1)] + ["Total"])


def old_rule(values, min_count: int = 5) -> pd.DataFrame:
    """The rule before this fix: hide 1..min_count-1, then while a line (totals included) has exactly one
    hidden cell, hide its smallest other non-zero cell."""
    full = totals(values)
    hidden = (full > 0) & (full < min_count)
    changed = True
    while changed:
        changed = False
        for line in [np.s_[i, :] for i in range(full.shape[0])] + [np.s_[:, j] for j in range(full.shape[1])]:
            free = np.flatnonzero(~hidden[line] & (full[line] > 0))
            if hidden[line].sum() == 1 and len(free):
                hidden[line][free[np.argmin(full[line][free])]] = True
                changed = True
    return publish(full, hidden)


def ranges(published: pd.DataFrame) -> dict:
    """attack() as {(row position, column position): (lo, hi)}."""
    row = {label: k for k, label in enumerate(published.index)}
    col = {label: k for k, label in enumerate(published.columns)}
    return {(row[r], col[c]): (lo, hi) for r, c, lo, hi in attack(published).itertuples(index=False)}


def brute_force(published: pd.DataFrame) -> dict:
    """Min and max of every hidden cell over ALL whole-number tables consistent with what is published,
    by enumerating the hidden interior cells (floor 1, or 0 if only the grand total is shown)."""
    text = published.to_numpy()
    hidden = text == SUPPRESSED
    known = np.where(hidden, 0, np.vectorize(lambda s: int(s.replace(",", "")) if s != SUPPRESSED else 0)(text))
    grand = known[-1, -1]
    floor = 0 if hidden.sum() == hidden.size - 1 else 1
    inner = [tuple(p) for p in np.argwhere(hidden[:-1, :-1])]
    grid = np.array(list(itertools.product(range(floor, grand + 1), repeat=len(inner))), dtype=np.int64)
    grid = grid.reshape(len(grid), len(inner))
    tables = np.broadcast_to(known[:-1, :-1], (len(grid),) + known[:-1, :-1].shape).copy()
    for k, (i, j) in enumerate(inner):
        tables[:, i, j] = grid[:, k]
    full = np.concatenate([tables, tables.sum(axis=2, keepdims=True)], axis=2)
    full = np.concatenate([full, full.sum(axis=1, keepdims=True)], axis=1)
    fits = (full[:, ~hidden] == known[~hidden]).all(axis=1)
    assert fits.any(), "the true table must be among the solutions"
    found = full[fits]
    return {tuple(p): (int(found[:, p[0], p[1]].min()), int(found[:, p[0], p[1]].max())) for p in np.argwhere(hidden)}


def widths_ok(published: pd.DataFrame, min_count: int) -> bool:
    """Every hidden cell's attacker range is at least min_count wide (or the whole 0..grand total when withheld)."""
    grand = int(published.iat[-1, -1].replace(",", ""))
    a = attack(published)
    return bool(((a.hi - a.lo) >= min(min_count, grand)).all())


# --- The attack: exact (against brute force) and able to fail (breaks the old rule) ---------------------

def _tiny_cases():
    """Tiny published tables with random hiding patterns (rng seed 0), plus suppress() outputs with min_count 3."""
    rng = np.random.default_rng(0)
    cases = []
    while len(cases) < 40:
        values = rng.choice([0, 0, 1, 2, 3, 4], size=(int(rng.integers(2, 4)), int(rng.integers(2, 4))))
        full = totals(values)
        hidden = (rng.random(full.shape) < 0.45) & (full > 0)
        hidden[-1, -1] = False
        if hidden.any() and (full[-1, -1] + 1) ** hidden[:-1, :-1].sum() <= 300_000:
            cases.append(publish(full, hidden))
    for values in ([[1, 2], [0, 4]], [[2, 0, 1], [3, 3, 0]], [[1, 1], [1, 1]], [[0, 2], [0, 1]]):
        cases.append(suppress(pd.DataFrame(values), min_count=3))
    return cases


@pytest.mark.parametrize("published", _tiny_cases(), ids=lambda p: "|".join(",".join(r) for r in p.to_numpy()))
def test_attack_equals_brute_force(published):
    # Reference: exhaustive enumeration of every consistent table (no LP, no code shared with lib).
    assert ranges(published) == brute_force(published)


def test_attack_recovers_the_attackers_row_under_the_old_rule():
    # The reported attack: under the old rule the row prints 5,[c],[c],[c],72,80 and 80-5-72 = 3 over three
    # cells each >= 1 makes every one of them exactly 1. If attack() could not see this it would test nothing.
    out = old_rule(ATTACKED)
    assert list(out.iloc[0]) == ["5", SUPPRESSED, SUPPRESSED, SUPPRESSED, "72", "80"]
    got = ranges(out)
    assert [got[(0, j)] for j in (1, 2, 3)] == [(1, 1)] * 3
    assert not widths_ok(out, 5)


def test_attack_refuses_a_hidden_grand_total():
    out = publish(totals([[1, 2], [3, 4]]), np.ones((3, 3), dtype=bool))
    with pytest.raises(ModelError, match="grand total"):
        attack(out)


# --- The defence ---------------------------------------------------------------------------------------

def test_attackers_row_is_protected():
    # Same table as the attack: now every hidden cell, the three 1s included, keeps a range >= 5.
    out = suppress(ATTACKED)
    assert is_safe(out) and widths_ok(out, 5)
    assert list(out.index) == AGES + ["Total"] and list(out.columns) == ETHNICITY + ["Total"]
    assert out.loc["Total", "Total"] == "354"


def test_two_by_two_needs_the_full_rectangle():
    # By hand: 3 is primary; any hidden set short of all four interior cells leaves it pinned by a total.
    # With all four hidden and totals 13, 32 / 15, 30 shown: cells are 3+t, 10-t, 12-t, 20+t with each >= 1,
    # so t in [-2, 9]: ranges 1..12, 1..12, 3..14, 18..29 (all 11 wide).
    out = suppress(pd.DataFrame([[3, 10], [12, 20]], index=["a", "b"], columns=["x", "y"]))
    assert out.to_numpy().tolist() == [["[c]", "[c]", "13"], ["[c]", "[c]", "32"], ["15", "30", "45"]]
    assert ranges(out) == {(0, 0): (1, 12), (0, 1): (1, 12), (1, 0): (3, 14), (1, 1): (18, 29)}


def test_nothing_to_hide():
    # No count from 1 to 4 anywhere: the table is published whole, zeros and thousands separators included.
    out = suppress(pd.DataFrame({"A": [10, 0], "B": [5, 3000]}, index=["r1", "r2"]))
    assert out.to_numpy().tolist() == [["10", "5", "15"], ["0", "3,000", "3,000"], ["10", "3,005", "3,015"]]


def test_small_total_is_hidden():
    # By hand: r1 = 2 + 1 = 3 is a small total. With the grand total 33 known, r2's total (30) would give
    # r1 = 33 - 30, and r2/B = 30 would give r2's total, so both are hidden too; the zero stays shown.
    # Then r1/A = a, r1/B = b, r2/B = 33 - a - b: each cell ranges over 1..31.
    out = suppress(pd.DataFrame({"A": [2, 0], "B": [1, 30]}, index=["r1", "r2"]))
    assert out.loc["r1", "Total"] == SUPPRESSED and out.loc["r2", "Total"] == SUPPRESSED
    assert out.loc["r2", "A"] == "0" and out.loc["Total", "Total"] == "33"
    assert ranges(out)[(0, 0)] == (1, 31) and widths_ok(out, 5)


def test_grand_total_below_threshold_is_withheld():
    # 3 people: every count is below 5, so nothing can be protected; only the grand total is shown and
    # [c] may be zero, so each cell ranges over 0..3 - no more than the grand total itself says.
    out = suppress(pd.DataFrame([[1, 0], [2, 0]], index=["r1", "r2"], columns=["A", "B"]))
    assert (out == SUPPRESSED).sum().sum() == 8 and out.loc["Total", "Total"] == "3"
    assert set(ranges(out).values()) == {(0, 3)} and is_safe(out)


def test_too_few_people_over_too_many_cells_is_withheld():
    # 8 people in four non-zero cells: with zeros shown each cell is 1..5 at best (width 4 < 5), so the
    # table is withheld and each cell then ranges over 0..8.
    out = suppress(pd.DataFrame([[1, 1], [1, 5]]))
    assert out.iat[-1, -1] == "8" and (out == SUPPRESSED).sum().sum() == 8
    assert widths_ok(out, 5)


def test_largest_table_in_the_book():
    # 8 x 10 with many small counts (rng seed 3): the size the book publishes at most.
    rng = np.random.default_rng(3)
    values = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40, 120], size=(8, 10))
    out = suppress(pd.DataFrame(values))
    assert is_safe(out) and widths_ok(out, 5)


def test_is_safe_sees_a_small_count_but_not_the_grand_total():
    # A shown 3 breaks primary suppression; a shown grand total of 3 does not (it is published elsewhere).
    assert not is_safe(publish(totals([[3, 10], [12, 20]]), np.zeros((3, 3), dtype=bool)))
    assert is_safe(publish(totals([[1, 2]]), np.array([[1, 1, 1], [1, 1, 0]], dtype=bool)))


def test_rule_text_fills_in_the_threshold():
    assert "from 1 to 4" in rule_text(5) and "fewer than 6 possible values" in rule_text(5)
    assert "{" not in rule_text(10) and "{largest_hidden}" in RULE_TEXT


# --- Refusals --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1.5, -1, np.nan, np.inf])
def test_refuses_counts_that_are_not_whole_and_non_negative(value):
    with pytest.raises(ModelError, match=r"column 'B', row 'y' = .*whole numbers >= 0"):
        suppress(pd.DataFrame({"A": [1, 2], "B": [3, value]}, index=["x", "y"]))


@pytest.mark.parametrize("min_count", [1, 0, -5, 2.5, True, "5"])
def test_refuses_a_threshold_below_two(min_count):
    with pytest.raises(ModelError, match=rf"min_count = {min_count!r}: must be a whole number >= 2"):
        suppress(pd.DataFrame({"A": [1]}), min_count=min_count)


def test_refuses_an_empty_table():
    with pytest.raises(ModelError, match="at least one row and one column"):
        suppress(pd.DataFrame())


# --- Properties on random tables -------------------------------------------------------------------------

def _tables(shape_and_top):
    """Tables of the given shape whose counts are drawn half from 0-4 and half from 0 to ``top``."""
    (rows, cols), top = shape_and_top
    counts = st.integers(0, min(top, 4)) | st.integers(0, top)
    return st.lists(counts, min_size=rows * cols, max_size=rows * cols).map(
        lambda v: np.array(v, dtype=np.int64).reshape(rows, cols))


# 2-6 x 2-6 tables with counts up to 40, 12 or 1 (the last: few people over many cells, so some tables are
# withheld), biased to small counts. Under the derandomised profile of conftest.py the 50 examples include
# about 34 at min_count 5 (the book's), 10 withheld tables and 4 with nothing to hide (measured).
TABLES = st.tuples(st.tuples(st.integers(2, 6), st.integers(2, 6)), st.sampled_from([40, 1, 12])).flatmap(_tables)


@settings(max_examples=50, deadline=None)
@given(TABLES, st.sampled_from([3, 10, 5]))
def test_property_suppression_survives_the_attack(values, min_count):
    table = pd.DataFrame(values)
    out = suppress(table, min_count)
    full = totals(values)
    shown = (out != SUPPRESSED).to_numpy()
    assert is_safe(out, min_count)
    assert shown[-1, -1]
    # Shown cells and totals are the true counts (so shown totals equal the sums of their lines).
    assert all(int(out.iat[i, j].replace(",", "")) == full[i, j] for i, j in np.argwhere(shown))
    # Every hidden cell keeps a range >= min_count (whole 0..grand total when withheld), and contains the truth.
    for (i, j), (lo, hi) in ranges(out).items():
        assert hi - lo >= min(min_count, full[-1, -1]) and lo <= full[i, j] <= hi
    # Zeros are hidden only in a withheld table, as the rule says.
    if shown.sum() > 1:
        assert shown[full == 0].all()
    assert suppress(table, min_count).equals(out)  # deterministic
