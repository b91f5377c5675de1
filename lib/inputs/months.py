"""The calendar month of a time, as the book counts it (Europe/London)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def month_of(times: pd.Series) -> pd.Series:
    """Calendar month ('YYYY-MM') of timezone-aware times, in their own (Europe/London) time; NaN for NaT.

    (From integer year and month codes: ``dt.strftime`` takes a second per million rows.)
    """
    valid = times.notna().to_numpy()
    code = np.full(len(times), -1, dtype=np.int64)
    code[valid] = (times.dt.year.to_numpy()[valid] * 12 + times.dt.month.to_numpy()[valid] - 1).astype(np.int64)
    unique, inverse = np.unique(code, return_inverse=True)
    labels = np.array([np.nan if c < 0 else f"{c // 12:04d}-{c % 12 + 1:02d}" for c in unique], dtype=object)
    return pd.Series(labels[inverse], index=times.index, dtype=object)
