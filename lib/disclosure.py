"""Statistical disclosure control for published tables about people.

Primary suppression hides every count from 1 to ``min_count - 1`` (zeros are shown: "nobody" in a
cell discloses no one). Secondary suppression then hides more cells so no hidden count can be
worked out from the totals: while any row or column (totals included) has exactly one hidden
cell, the smallest other non-zero cell of that row or column is hidden too. A total below the
threshold is hidden as well. Hidden cells print as ``[c]`` (the Office for National Statistics'
symbol for "confidential").

We write this ourselves: the general-purpose SDC tools (sdcMicro, tau-Argus) are R or Java
programs, and the tables here are small two-way tables where this rule is the standard one.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ModelError

SUPPRESSED = "[c]"


def suppress(table: pd.DataFrame, min_count: int = 5, total_label: str = "Total") -> pd.DataFrame:
    """Suppress a two-way table of counts (rows × columns), adding row and column totals.

    Parameters
    ----------
    table : DataFrame
        Non-negative whole counts; the index labels the rows.
    min_count : int, default 5
        Counts from 1 to ``min_count - 1`` are hidden.
    total_label : str
        Label of the added total row and column.

    Returns
    -------
    DataFrame of str
        The table with totals, counts formatted with thousands separators, hidden cells ``[c]``.

    Raises
    ------
    ModelError
        Negative, fractional or missing counts, or min_count < 1.
    """
    if min_count < 1:
        raise ModelError(f"min_count = {min_count}: must be >= 1")
    values = table.to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ModelError("a table to suppress must hold whole, non-negative counts")
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    full[:-1, :-1] = values
    full[:-1, -1] = values.sum(axis=1)
    full[-1, :-1] = values.sum(axis=0)
    full[-1, -1] = values.sum()
    hidden = (full > 0) & (full < min_count)
    changed = True
    while changed:
        changed = False
        lines = [(i, slice(None)) for i in range(full.shape[0])] + [(slice(None), j) for j in range(full.shape[1])]
        for line in lines:
            mask = hidden[line]
            if mask.sum() == 1:
                cells = full[line]
                candidates = np.flatnonzero(~mask & (cells > 0))
                if len(candidates) == 0:
                    continue
                pick = candidates[np.argmin(cells[candidates])]
                row_view = hidden[line]
                row_view[pick] = True
                hidden[line] = row_view
                changed = True
    out = pd.DataFrame(full, index=list(table.index) + [total_label], columns=list(table.columns) + [total_label])
    text = out.map(lambda v: f"{int(v):,}")
    return text.mask(pd.DataFrame(hidden, index=out.index, columns=out.columns), SUPPRESSED)


def is_safe(published: pd.DataFrame, min_count: int = 5) -> bool:
    """True when no shown cell holds a count from 1 to ``min_count - 1``."""
    for value in published.to_numpy().ravel():
        if value != SUPPRESSED and 0 < int(str(value).replace(",", "")) < min_count:
            return False
    return True
