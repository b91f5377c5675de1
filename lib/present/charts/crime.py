"""Figures for the recorded-crime and stop-and-search chapters."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lib.present import PALETTE


def crimes_by_month(by_month: pd.DataFrame, asb: pd.DataFrame):
    """Crimes (anti-social behaviour apart) per month the data cover."""
    total = by_month.groupby("month", sort=True)["crimes"].sum(min_count=1)  # a month without a file: no bar
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = np.arange(len(total))
    ax.bar(x - 0.2, total.to_numpy(), width=0.4, color=PALETTE[0], label="crimes")
    ax.bar(x + 0.2, asb.set_index("month")["incidents"].reindex(total.index).to_numpy(), width=0.4,
           color=PALETTE[1], label="anti-social behaviour (not a crime)")
    step = max(1, len(total) // 12)
    ax.set_xticks(x[::step], list(total.index)[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("per month")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def searches_by_month(by_month: pd.DataFrame):
    """Searches per month the data cover."""
    fig, ax = plt.subplots(figsize=(9, 3.0))
    x = np.arange(len(by_month))
    ax.bar(x, by_month["searches"].to_numpy(), color=PALETTE[0])
    step = max(1, len(by_month) // 12)
    ax.set_xticks(x[::step], list(by_month["month"])[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("searches per month")
    fig.tight_layout()
    plt.close(fig)
    return fig
