"""Figures for the incident-response chapter."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from lib.present import PALETTE, label, week_cover_chart


def demand_heatmap(table: pd.DataFrame):
    """Incidents per hour by hour of day × day of week."""
    fig, ax = plt.subplots(figsize=(6, 4.2))
    sns.heatmap(table, cmap="Blues", ax=ax, linewidths=0.2, cbar_kws={"label": "incidents per hour"})
    ax.set_ylabel("hour of day")
    fig.tight_layout()
    return fig


def cover(req: pd.DataFrame, covers: dict[str, np.ndarray]):
    """Officers needed on duty by hour of the week against each pattern's cover."""
    return week_cover_chart(req["officers needed"], covers, "needed", "officers on duty")


def waterfall(est: pd.DataFrame, current: int | None):
    """Establishment per pattern built up from reactive demand, pattern fit and proactive time."""
    steps = ["reactive demand", "pattern over-cover", "protected proactive time"]
    fig, ax = plt.subplots(figsize=(9, 3.2))
    y = np.arange(len(est))
    left = np.zeros(len(est))
    for step, colour in zip(steps, [PALETTE[0], PALETTE[1], PALETTE[2]]):
        ax.barh(y, est[step], left=left, color=colour, label=step)
        left += est[step].to_numpy()
    for yi, total in zip(y, est["establishment"]):
        ax.text(total + 3, yi, f"{total}", va="center", fontsize=9)
    if current:
        ax.axvline(current, color="black", ls="--", lw=1)
        ax.text(current, len(est) - 0.45, f" current establishment {current}", fontsize=8)
    ax.set_yticks(y, [label(p, 40) for p in est["pattern"]], fontsize=8)
    ax.set_xlabel("officers (establishment)")
    ax.legend(fontsize=8, ncols=3, loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def response_times(incidents: pd.DataFrame, targets: dict[str, float]):
    """Distribution of response times by grade, with the targets."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3))
    for ax, (grade, target), colour in zip(axes, targets.items(), PALETTE):
        minutes = incidents.loc[incidents["grade"] == grade, "response_minutes"].dropna()
        ax.hist(minutes.clip(upper=4 * target), bins=40, color=colour)
        ax.axvline(target, color="black", ls="--", lw=1)
        ax.set_title(f"{grade}: target {target:g} min", fontsize=9)
        ax.set_xlabel("minutes to first arrival")
    fig.tight_layout()
    return fig
