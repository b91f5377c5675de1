"""Figures for the data chapter."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns


def rows_per_month(monthly: pd.DataFrame):
    """Rows used per month, as a share of each source's busiest month (facts ``data_monthly_rows``)."""
    wide = monthly.pivot(index="source", columns="month", values="rows").reindex(list(dict.fromkeys(monthly["source"])))
    share = wide.div(wide.max(axis=1).where(wide.max(axis=1) > 0, 1), axis=0)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    sns.heatmap(share, cmap="Blues", cbar=False, ax=ax, linewidths=0.3, linecolor="white", vmin=0, vmax=1)
    ax.set_xlabel("month")
    ax.set_ylabel("")
    ax.set_title("Rows per month, as a share of each source's busiest month")
    fig.tight_layout()
    return fig
