"""Scorecard figures: the scores heatmap (measures × months); every measure's control chart is :mod:`lib.present.charts.spc`."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm

from lib.present import fmt_score, label


def heatmap(matrix: pd.DataFrame, names: dict[str, str]):
    """IMPACT score by measure and month; blue at or above 1 (met), orange below (colour-blind safe)."""
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(matrix) + 1.2))
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(np.clip(values, 0.5, 1.5), cmap="PuOr", norm=TwoSlopeNorm(vmin=0.5, vcenter=1.0, vmax=1.5),
                      aspect="auto")
    ax.set_xticks(np.arange(matrix.shape[1]), matrix.columns, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(matrix)), [label(names[i]) for i in matrix.index], fontsize=7)
    for (r, c), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(c, r, fmt_score(v), ha="center", va="center", fontsize=6, color="black")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("IMPACT score (1 = target met)", fontsize=8)
    fig.tight_layout()
    return fig
