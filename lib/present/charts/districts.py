"""Figures for the districts chapter: small multiples, one panel per district or per measure."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lib.present import PALETTE, label


def crime(frame: pd.DataFrame):
    """Crimes a month, one panel per district, on one scale (facts ``district_crime``)."""
    names = list(dict.fromkeys(frame["district"]))
    cols = 2
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.2 * rows), squeeze=False, sharex=True, sharey=True)
    for ax, name in zip(axes.flat, names):
        d = frame[frame["district"] == name]
        x = pd.PeriodIndex(d["month"], freq="M").to_timestamp()
        ax.plot(x, d["crimes"], color=PALETTE[0], marker="o", ms=3, lw=1.2)
        ax.set_title(label(name, 40, lines=2), fontsize=9)
        ax.tick_params(labelsize=7)
    top = float(frame["crimes"].max()) if len(frame) else 1.0
    axes.flat[0].set_ylim(0, 1.08 * top)  # one scale for every panel (they share it), set once all are drawn
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].set_ylabel("crimes a month")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def rates(frame: pd.DataFrame):
    """Each measure's rate by month, one panel per measure, a line per district; suppressed cells left out."""
    measures = list(dict.fromkeys(frame["measure"]))
    fig, axes = plt.subplots(1, len(measures), figsize=(9, 3), squeeze=False, sharey=True)
    for ax, measure in zip(axes.flat, measures):
        m = frame[frame["measure"] == measure]
        for (name, d), colour in zip(m.groupby("district", sort=True), PALETTE):
            shown = d["value_shown"].str.endswith("%")
            x = pd.PeriodIndex(d["month"], freq="M").to_timestamp()
            ax.plot(x[shown.to_numpy()], d.loc[shown, "value"], color=colour, marker="o", ms=3, lw=1, label=label(name, 30))
        ax.set_title(label(measure, 34, lines=2), fontsize=9)
        ax.set_ylim(0, 100)
        ax.tick_params(labelsize=7)
    axes.flat[0].set_ylabel("%")
    axes.flat[0].legend(fontsize=7, frameon=False, loc="lower left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
