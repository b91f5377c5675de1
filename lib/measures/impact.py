"""The IMPACT score: current performance against desired performance, so that >= 1 means "met".

The force's strategic plan defines the IMPACT score as current ÷ desired, where a score of one or
above means the desired level is met. For a measure where lower is better (abandoned calls,
repeat victims, days to charge) that ratio runs the wrong way, so the score is desired ÷ current.

Edge cases, defined here once:

- NaN current or desired → NaN (no data: the measure is shown as "no data", never scored);
- desired = 0 → error: "met" would mean nothing for a higher-is-better measure, and a
  lower-is-better target of zero cannot be expressed as a ratio (use a count of zero as "met");
- current = 0 where lower is better → +inf: the measure is met by any margin (shown as "met",
  and summaries use medians and counts, which +inf does not distort);
- current = 0 where higher is better → 0;
- negative values → error: every IMPACT measure is a count, rate or percentage.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.errors import ModelError
from lib.vocabulary import NO_TARGET

DIRECTIONS = ("higher", "lower")


def impact_score(current, desired, direction):
    """IMPACT score, vectorised over arrays or Series (scalars give a float).

    Parameters
    ----------
    current : float or array
        Current performance in the measure's unit (>= 0; NaN for no data).
    desired : float or array
        Desired performance in the same unit (> 0; NaN for none set).
    direction : {"higher", "lower"} or array of them
        Which way is better, matched exactly.

    Returns
    -------
    float or ndarray
        current / desired where higher is better; desired / current where lower is better;
        >= 1 means the desired level is met. See the module docstring for NaN, 0 and inf.

    Raises
    ------
    ModelError
        Unknown direction, desired = 0, or a negative value.
    """
    cur = np.asarray(current, dtype=float)
    des = np.asarray(desired, dtype=float)
    dirs = np.asarray(direction, dtype=object)
    bad = ~np.isin(dirs, DIRECTIONS)
    if bad.any():
        raise ModelError(f"direction = {dirs[bad].flat[0]!r}: must be 'higher' or 'lower'")
    if (des == 0).any():
        raise ModelError("desired = 0: an IMPACT score needs a desired level above zero")
    if (cur < 0).any() or (des < 0).any():
        raise ModelError("current and desired must be >= 0 (counts, rates or percentages)")
    cur, des, dirs = np.broadcast_arrays(cur, des, dirs)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(dirs == "higher", cur / des, des / cur)
    score = np.where(np.isnan(cur) | np.isnan(des), np.nan, score)
    scalar = all(np.ndim(x) == 0 for x in (current, desired, direction))
    return float(score) if scalar else score


def status(score, has_target: bool = True) -> str:
    """'met' (score >= 1), 'not met', 'no data' for NaN, or 'no target set' (``NO_TARGET``) without a target."""
    if not has_target:
        return NO_TARGET
    if score is None or pd.isna(score):
        return "no data"
    return "met" if score >= 1 else "not met"
