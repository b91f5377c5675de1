"""Figures for the peers chapter: the funnel plot and the force's monthly rate against its group's."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from lib.present import PALETTE, label


def funnel(units: pd.DataFrame, limits: pd.DataFrame, force: str, group_rate: float):
    """Crimes per 1,000 against population, with the 95% and 99.8% limits around the group's rate."""
    fig, ax = plt.subplots(figsize=(8.5, 4))
    x = limits["population"] / 1e6
    ax.plot(x, limits["upper_998"], color="#231F20", ls="--", lw=1, label="99.8% limits")
    ax.plot(x, limits["lower_998"], color="#231F20", ls="--", lw=1)
    ax.plot(x, limits["upper_95"], color="grey", ls=":", lw=1, label="95% limits")
    ax.plot(x, limits["lower_95"], color="grey", ls=":", lw=1)
    ax.axhline(group_rate, color="black", lw=1, label="group rate")
    others = units[units["unit"] != force]
    ax.scatter(others["population"] / 1e6, others["rate"], color=PALETTE[0], zorder=3, label="peer forces")
    own = units[units["unit"] == force]
    ax.scatter(own["population"] / 1e6, own["rate"], color=PALETTE[3], marker="D", s=50, zorder=4,
               label=label(own["name"].iloc[0] if len(own) else force, 30))
    for k, (_, u) in enumerate(units.sort_values("population").iterrows()):
        ax.annotate(label(u["name"], 24), (u["population"] / 1e6, u["rate"]), fontsize=7,
                    xytext=(4, 3 if k % 2 else -9), textcoords="offset points")
    ax.set_xlabel("population (millions)")
    ax.set_ylabel("crimes per 1,000 people")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def monthly(frame: pd.DataFrame, force: str):
    """The force's crimes per 1,000 a month against its group's (facts ``peers_monthly``)."""
    fig, ax = plt.subplots(figsize=(8.5, 3))
    x = pd.PeriodIndex(frame["month"], freq="M").to_timestamp()
    ax.plot(x, frame["force_rate"], color=PALETTE[3], marker="o", ms=3, label=label(force, 30))
    ax.plot(x, frame["group_rate"], color=PALETTE[0], marker="o", ms=3, label="most similar group")
    ax.set_ylabel("crimes per 1,000 a month")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
