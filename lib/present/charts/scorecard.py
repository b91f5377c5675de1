"""Scorecard figures: the scores heatmap (measures × months) and 12-month small multiples."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm


def heatmap(matrix: pd.DataFrame, labels: dict[str, str]):
    """IMPACT score by measure and month; blue at or above 1 (met), orange below (colour-blind safe)."""
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(matrix) + 1.2))
    values = np.clip(matrix.to_numpy(dtype=float), 0.5, 1.5)
    image = ax.imshow(values, cmap="PuOr", norm=TwoSlopeNorm(vmin=0.5, vcenter=1.0, vmax=1.5), aspect="auto")
    ax.set_xticks(np.arange(matrix.shape[1]), matrix.columns, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(np.arange(len(matrix)), [labels[i] for i in matrix.index], fontsize=7)
    for (r, c), v in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(v):
            ax.text(c, r, "≥10" if v >= 10 else f"{np.floor(v * 100 + 1e-9) / 100:.2f}", ha="center",
                    va="center", fontsize=6, color="black")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("IMPACT score (1 = desired level)", fontsize=8)
    fig.tight_layout()
    return fig


def small_multiples(all_series: dict[str, pd.DataFrame], desired: dict[str, float], labels: dict[str, str],
                    period: str, months_back: int = 12):
    """One small line chart per measure: the last 12 months' values, desired level dashed."""
    ids = list(all_series)
    cols = 4
    rows = int(np.ceil(len(ids) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 1.45 * rows), squeeze=False)
    for ax, mid in zip(axes.flat, ids):
        s = all_series[mid]
        s = s[s["month"] <= period].tail(months_back)
        ax.plot(np.arange(len(s)), s["value"].to_numpy(dtype=float), color="#0072B2", lw=1.2)
        ax.axhline(desired[mid], color="#D55E00", lw=0.9, ls="--")
        ax.set_title(labels[mid], fontsize=6.5, loc="left")
        ax.tick_params(labelsize=6)
        ax.set_xticks([])
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    fig.tight_layout()
    return fig
