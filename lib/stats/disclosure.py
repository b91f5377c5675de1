"""Statistical disclosure control for published tables about people: cell suppression that survives attack.

Rule. *Primary suppression* hides every count from 1 to ``min_count - 1``, interior cells and totals
alike; zeros are shown ("nobody" discloses no one). *Secondary suppression* then hides more counts
until `attack` leaves every hidden count, primary or secondary, a range ``lo..hi`` with
``hi - lo >= min_count``: none can be pinned to fewer than ``min_count + 1`` values (a protection
interval, as in tau-Argus). The grand total is always shown (the book publishes that record count
elsewhere). A table that cannot be protected so (too few people, e.g. a grand total below
``min_count``, or few people over many cells) is *withheld*: all ``[c]`` but the grand total, zeros
included, so it says no more than the grand total. ``[c]`` is the ONS mark for "confidential".

Attacker. Knows every shown cell and total, the grand total, that lines add up to their totals, that
counts are whole, and the published rule: a hidden interior cell is >= 1, except in a withheld table,
where ``[c]`` may be zero. `attack` minimises and maximises each hidden cell with
``scipy.optimize.milp`` (HiGHS): the interval attack, or audit, of Hundepool et al. (2012). Out of
scope: an attacker who reverse-engineers the algorithm, and linked tables (the same people cut
another way), which would have to be protected together.

Secondary cells are chosen greedily, re-auditing after each (see `_next_secondary`); tables here
are at most about 8 x 10, which takes a second or two.

Why our own code: tau-Argus and sdcMicro are Java and R programs. On PyPI ("sdc", "argus",
"suppress", "disclosure"), aisdc, sacroml, pymasq, pram, suda and metasyn-disclosure treat
microdata, synthetic data or ML models, and ssbkonf wraps R. pytauargus (0.x, 2025-26) wraps the
tau-Argus engine with HiGHS, but is young, ships a native engine with process-global state and would
still need an independent audit; for tables this small, integer programming on scipy (already a
dependency) is easier to review. It is a candidate cross-check.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley. Ch. 4 (cell suppression,
protection intervals, auditing a suppression pattern) and ch. 5 (frequency tables).
Office for National Statistics / GSS. *Disclosure control guidance for tables produced from
administrative sources* and *... from surveys* (threshold rules, secondary suppression, ``[c]``).
Cox, L. H. (1980). Suppression methodology and statistical disclosure control. *JASA* 75, 377-385.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from lib.errors import ModelError

SUPPRESSED = "[c]"

RULE_TEXT = (
    "Counts of people from 1 to {largest_hidden} are not shown: they appear as [c], the Office for National "
    "Statistics' mark for confidential. Zeros are shown. Some larger counts and totals are also shown as [c] "
    "(secondary suppression), so that no hidden count can be worked out from the table and its totals to "
    "fewer than {values} possible values. The grand total is always shown. A table that cannot be protected "
    "this way shows only its grand total, and there [c] may also stand for zero."
)


def rule_text(min_count: int = 5) -> str:
    """`RULE_TEXT` with the numbers for threshold ``min_count`` filled in (so no page types them)."""
    _check_min_count(min_count)
    return RULE_TEXT.format(largest_hidden=min_count - 1, values=min_count + 1)


def _check_min_count(min_count) -> None:
    """Refuse a threshold that is not a whole number >= 2."""
    if isinstance(min_count, bool) or not isinstance(min_count, int | np.integer) or min_count < 2:
        raise ModelError(f"disclosure.min_count = {min_count!r}: must be a whole number >= 2 "
                         "(counts 1 to min_count - 1 are hidden, so 1 would hide nothing)")


def _with_totals(table: pd.DataFrame) -> np.ndarray:
    """The counts as integers with a total column and a total row; refuses anything but whole counts >= 0."""
    if table.shape[0] == 0 or table.shape[1] == 0:
        raise ModelError(f"a table to suppress needs at least one row and one column, got shape {table.shape}")
    try:
        values = table.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"a table to suppress must hold numbers: {exc}") from None
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ModelError(f"column {table.columns[j]!r}, row {table.index[i]!r} = {table.iat[i, j]}: "
                         "counts to suppress must be whole numbers >= 0")
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=np.int64)
    full[:-1, :-1] = values
    full[:-1, -1] = full[:-1, :-1].sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    return full


def _audit(full: np.ndarray, hidden: np.ndarray, floor: int, integral: bool = True):
    """The attacker's program: hidden cells in position order, and a function giving the k-th's exact range.

    Each variable sits in exactly two line equations, so the matrix is totally unimodular (rows and the
    total column's equation on one side, columns and the total row's on the other): the linear
    relaxation (``integral=False``, about 6 times faster) has the same integer optimum as the MILP.
    """
    last_row, last_col = full.shape[0] - 1, full.shape[1] - 1
    cells = [tuple(p) for p in np.argwhere(hidden)]
    column = {p: k for k, p in enumerate(cells)}
    # One equation per line of the table with totals: its interior cells minus its total is zero.
    lines = [[(i, j) for j in range(last_col + 1)] for i in range(last_row + 1)]
    lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_col + 1)]
    a, b = np.zeros((len(lines), len(cells))), np.zeros(len(lines))
    for n, line in enumerate(lines):
        for p, sign in zip(line, [1.0] * (len(line) - 1) + [-1.0]):
            if p in column:
                a[n, column[p]] = sign
            else:
                b[n] -= sign * full[p]
    low = [0 if p[0] == last_row or p[1] == last_col else floor for p in cells]
    constraint, bounds = LinearConstraint(csr_array(a), b, b), Bounds(low, full[last_row, last_col])
    integrality = np.full(len(cells), int(integral))
    # mip_rel_gap 0: the default relative gap could stop short of the exact optimum on large totals.
    options = {"mip_rel_gap": 0.0} if integral else {}

    def bound(k: int) -> tuple[int, int]:
        ends = []
        for sense in (1.0, -1.0):
            c = np.zeros(len(cells))
            c[k] = sense
            res = milp(c, constraints=constraint, integrality=integrality, bounds=bounds, options=options)
            if res.status != 0:
                raise ModelError(f"the published table is inconsistent (its cells do not add up to its totals, "
                                 f"or a [c] cannot be >= {floor}): {res.message}")
            ends.append(int(round(sense * res.fun)))
        return ends[0], ends[1]

    return cells, bound


def attack(published: pd.DataFrame) -> pd.DataFrame:
    """The attacker's exact integer range of every hidden cell of a table as published by `suppress`.

    Parameters
    ----------
    published : DataFrame of str
        A table as returned by `suppress`: last row and last column are the totals, hidden cells
        ``[c]``, counts written with or without thousands separators.

    Returns
    -------
    DataFrame
        One row per hidden cell, row by row: ``row`` and ``column`` (labels), ``lo`` and ``hi`` (the
        smallest and largest whole value consistent with everything published).

    Raises
    ------
    ModelError
        The grand total is hidden, or the table cannot be filled in consistently.

    Notes
    -----
    For each hidden cell ``x`` solve min ``x`` and max ``x`` subject to: every row and column of the
    table with totals adds up to its total; shown cells at their values; hidden cells whole numbers;
    hidden interior cells ``>= 1`` (zeros are shown) unless the table is withheld (only the grand
    total shown), then ``>= 0``. A cell is protected when ``hi - lo >= min_count``.

    References
    ----------
    Hundepool et al. (2012), *Statistical Disclosure Control*, ch. 4 (auditing a suppression pattern).
    """
    text = published.astype(str).to_numpy()
    hidden = text == SUPPRESSED
    if hidden[-1, -1]:
        raise ModelError("the grand total of a published table is always shown; here it is [c]")
    full = np.vectorize(lambda v: 0 if v == SUPPRESSED else int(v.replace(",", "")), otypes=[np.int64])(text)
    withheld = hidden.sum() == hidden.size - 1
    cells, bound = _audit(full, hidden, floor=0 if withheld else 1)
    rows = [(published.index[i], published.columns[j], *bound(k)) for k, (i, j) in enumerate(cells)]
    return pd.DataFrame(rows, columns=["row", "column", "lo", "hi"])


def _first_weak(full: np.ndarray, hidden: np.ndarray, min_count: int, safe: set):
    """The first hidden cell (row by row) whose range is narrower than min_count, or None; adds those checked to safe.

    Hiding one more cell only adds tables consistent with the publication (the true one among them), so
    ranges never shrink as suppression proceeds: a cell once protected need not be audited again.
    """
    cells, bound = _audit(full, hidden, floor=1, integral=False)
    for k, p in enumerate(cells):
        if p not in safe:
            lo, hi = bound(k)
            if hi - lo < min_count:
                return p, hi - lo
            safe.add(p)
    return None


def _next_secondary(full: np.ndarray, hidden: np.ndarray, target: tuple, width: int):
    """The next cell to hide for under-protected ``target``, or None when no shown count is left to hide.

    The first shown non-zero cell on a line with a hidden cell that widens the target's range, trying
    the target's own row and column, interior cells and small counts first, ties by position.
    """
    last_row, last_col = full.shape[0] - 1, full.shape[1] - 1
    rows, cols = set(np.nonzero(hidden)[0]), set(np.nonzero(hidden)[1])
    shown = [tuple(p) for p in np.argwhere(~hidden & (full > 0)) if tuple(p) != (last_row, last_col)]
    near = [p for p in shown if p[0] in rows or p[1] in cols] or shown
    # Cheapest first: the target's own row or column, then interior cells (a hidden total loses more), then small.
    near.sort(key=lambda p: (p[0] != target[0] and p[1] != target[1], p[0] == last_row or p[1] == last_col,
                             full[p], p))
    for p in near:
        trial = hidden.copy()
        trial[p] = True
        cells, bound = _audit(full, trial, floor=1, integral=False)
        lo, hi = bound(cells.index(target))
        if hi - lo > width:
            return p
    # No single cell widens the target (e.g. the third corner of a rectangle): take the cheapest.
    return near[0] if near else None


def suppress(table: pd.DataFrame, min_count: int = 5, total_label: str = "Total") -> pd.DataFrame:
    """Suppress a two-way table of counts of people, adding row and column totals.

    Parameters
    ----------
    table : DataFrame
        Whole counts ``>= 0`` (people); the index labels the rows.
    min_count : int, default 5
        Threshold, ``>= 2``: counts from 1 to ``min_count - 1`` are hidden, and every hidden count is
        left a range of at least ``min_count`` (``min_count + 1`` possible values) by `attack`.
    total_label : str, default "Total"
        Label of the added total row and column.

    Returns
    -------
    DataFrame of str
        The table with totals, counts written with thousands separators ("1,234"), hidden cells ``[c]``.
        The grand total is always shown. A table that cannot be protected is withheld (all ``[c]``
        but the grand total); `attack` then gives every hidden cell the range 0 to the grand total.

    Raises
    ------
    ModelError
        Negative, fractional, missing or non-numeric counts; an empty table; ``min_count`` not a whole
        number ``>= 2``.

    Notes
    -----
    Primary, then greedy secondary suppression re-audited after each cell (module docstring).
    Deterministic: the same table gives the same output.
    """
    _check_min_count(min_count)
    full = _with_totals(table)
    hidden = (full > 0) & (full < min_count)
    hidden[-1, -1] = False
    safe: set = set()
    while (weak := _first_weak(full, hidden, min_count, safe)) is not None:
        cell = _next_secondary(full, hidden, *weak)
        if cell is None:
            hidden[:] = True
            hidden[-1, -1] = False
            break
        hidden[cell] = True
    out = pd.DataFrame(full, index=list(table.index) + [total_label], columns=list(table.columns) + [total_label])
    text = out.map(lambda v: f"{int(v):,}")
    return text.mask(pd.DataFrame(hidden, index=out.index, columns=out.columns), SUPPRESSED)


def is_safe(published: pd.DataFrame, min_count: int = 5) -> bool:
    """True when no shown cell of a `suppress` output holds a count from 1 to ``min_count - 1``.

    The grand total (last row, last column) is exempt: it is always shown, being published elsewhere.
    """
    values = published.to_numpy().ravel()[:-1]
    return not any(v != SUPPRESSED and 0 < int(str(v).replace(",", "")) < min_count for v in values)
