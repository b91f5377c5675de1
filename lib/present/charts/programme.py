"""Figures for the programme chapter: the key-milestones board and due dates against the period end."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lib.present import label

STATUS_COLOURS = {"complete": "#009E73", "on track": "#0072B2", "not started": "#999999", "overdue": "#D55E00"}
COLUMN_COLOURS = {"complete": "#009E73", "overdue": "#D55E00", "due later": "#D9D9D9"}
TEXT_ON = {"#D9D9D9": "black"}


def milestone_board(board: pd.DataFrame, due_soon_label: str):
    """The update's key-milestones chart: milestones in columns by status, boxes coloured by column."""
    columns = ["complete", "overdue", due_soon_label, "due later"]
    colours = {**COLUMN_COLOURS, due_soon_label: "#0072B2"}
    tallest = max([1] + [int((board["column"] == c).sum()) for c in columns])
    fig, ax = plt.subplots(figsize=(9, 0.42 * tallest + 1.0))
    ax.set_xlim(0, len(columns))
    ax.set_ylim(tallest + 0.8, -0.2)
    ax.axis("off")
    for i, col in enumerate(columns):
        names = board.loc[board["column"] == col, "milestone"].tolist()
        ax.text(i + 0.5, -0.05, f"{col} ({len(names)})", ha="center", va="bottom", fontweight="bold", fontsize=9)
        for j, name in enumerate(names):
            ax.add_patch(plt.Rectangle((i + 0.04, j + 0.1), 0.92, 0.8, facecolor=colours[col], alpha=0.9))
            ax.text(i + 0.5, j + 0.5, label(name, 22, lines=3), ha="center", va="center",
                    color=TEXT_ON.get(colours[col], "white"), fontsize=8)
    fig.tight_layout()
    return fig


def due_dates(items: pd.DataFrame, period_end):
    """Each open or completed item's due date by workstream, coloured by status, with the period end."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    streams = sorted(items["workstream"].unique())
    ypos = {w: i for i, w in enumerate(streams)}
    jitter = (items.groupby("workstream").cumcount() % 5 - 2) * 0.08
    for status, colour in STATUS_COLOURS.items():
        sub = items[items["status_at_end"] == status]
        if len(sub):
            ax.scatter(pd.to_datetime(sub["due_date"]), sub["workstream"].map(ypos) + jitter[sub.index],
                       color=colour, label=status, s=22, zorder=3)
    ax.axvline(pd.Timestamp(period_end), color="black", lw=1, ls="--")
    ax.text(pd.Timestamp(period_end), len(streams) - 0.4, " period end", fontsize=8)
    ax.set_yticks(np.arange(len(streams)), [label(w, 32, lines=2) for w in streams], fontsize=8)
    ax.set_xlabel("due date")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncols=4, frameon=False)
    fig.tight_layout()
    return fig
