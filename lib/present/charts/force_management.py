"""Figures for the force-management chapter, drawn from its facts."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lib.present import PALETTE, label, month_range_label


def forecasts(forecast: pd.DataFrame, prefix: str, ylabel: str):
    """Recorded and forecast months with the 95% interval, one panel per series starting with ``prefix``."""
    names = [n for n in dict.fromkeys(forecast["series"]) if n.startswith(prefix)]
    cols = 2
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.4 * rows), squeeze=False, sharex=True)
    for ax, name in zip(axes.flat, names):
        f = forecast[forecast["series"] == name]
        x = pd.PeriodIndex(f["month"], freq="M").to_timestamp()
        rec, fut = (f["kind"] == "recorded").to_numpy(), (f["kind"] == "forecast").to_numpy()
        ax.plot(x[rec], f["value"][rec], color=PALETTE[0], lw=1.2, label="recorded")
        ax.plot(x[fut], f["value"][fut], color=PALETTE[1], lw=1.2, label="forecast")
        ax.fill_between(x[fut], f["lower"][fut], f["upper"][fut], color=PALETTE[1], alpha=0.25, lw=0,
                        label="95% prediction interval")
        ax.set_title(label(name.removeprefix(prefix).strip(), 45, lines=2), fontsize=9)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].set_ylabel(ylabel)
    axes.flat[0].legend(fontsize=7, frameon=False, loc="lower left")
    fig.tight_layout()
    return fig


def requirement(req: pd.DataFrame, years: pd.DataFrame):
    """Staff required per forecast year (with the range) against capacity, one panel per role."""
    roles = list(dict.fromkeys(req["role"]))
    fig, axes = plt.subplots(1, len(roles), figsize=(9, 3), squeeze=False)
    labels = years.drop_duplicates("year").set_index("year")
    for ax, role in zip(axes.flat, roles):
        r = req[req["role"] == role]
        x = np.arange(len(r))
        ax.bar(x, r["required"], color=PALETTE[0], width=0.6, label="required")
        ax.errorbar(x, r["required"], yerr=[r["required"] - r["lower"], r["upper"] - r["required"]], fmt="none",
                    ecolor="black", capsize=3, lw=1)
        ax.plot(x, r["capacity"], color=PALETTE[1], marker="o", lw=1.5, label="capacity")
        ax.set_xticks(x, [month_range_label(labels.loc[k, "first_month"], labels.loc[k, "last_month"]) for k in r["year"]],
                      fontsize=7)
        ax.set_title(role, fontsize=9)
        ax.set_ylim(bottom=0)
    axes.flat[0].legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2)
    fig.tight_layout()
    return fig
