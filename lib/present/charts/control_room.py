"""Figures for the control-room chapter."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from lib.present import PALETTE, week_cover_chart


def demand_heatmaps(profiles: dict[str, pd.DataFrame]):
    """Mean contacts per hour by hour of day × day of week, one panel per route."""
    fig, axes = plt.subplots(1, len(profiles), figsize=(9, 4.2), squeeze=False)
    for ax, (route, table) in zip(axes.flat, profiles.items()):
        sns.heatmap(table, cmap="Blues", ax=ax, cbar=True, cbar_kws={"shrink": 0.6}, linewidths=0.2)
        ax.set_title(f"{route}: mean contacts per hour", fontsize=9)
        ax.set_ylabel("hour of day")
        ax.set_xlabel("")
    fig.tight_layout()
    return fig


def cover_against_requirement(requirement: pd.DataFrame, covers: dict[str, np.ndarray]):
    """Rostered staff needed by hour of the week, and each roster's cover."""
    return week_cover_chart(requirement["rostered"], covers, "needed (rostered)", "call handlers")


def service_level_by_hour(sl: pd.DataFrame, routes: list[str], targets: dict[str, float]):
    """Service level achieved by hour of the week against each route's target."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for route, colour in zip(routes, PALETTE):
        ax.step(sl["how"], 100 * sl[f"SL {route}"], where="mid", color=colour, lw=1.2, label=f"{route} achieved")
        ax.axhline(100 * targets[route], color=colour, lw=1, ls="--", label=f"{route} target")
    ax.set_xticks(np.arange(0, 168, 24), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    ax.set_ylabel("% answered in target")
    ax.set_ylim(0, 101)
    ax.legend(fontsize=8, ncols=4, loc="lower left", frameon=False)
    fig.tight_layout()
    return fig


def cost_curve(table: pd.DataFrame, routes: list[str]):
    """Demand v cost: annual cost against the service level each scenario achieves."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    for route, colour, marker in zip(routes, PALETTE, ["o", "s", "^", "D"]):
        ax.plot(table["annual cost £"] / 1e6, table[f"SL {route} %"], marker=marker, color=colour, label=route)
    for _, row in table.iterrows():
        ax.annotate(row["scenario"].replace("best fit × ", ""), (row["annual cost £"] / 1e6, row[f"SL {routes[0]} %"]),
                    fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("annual cost (£ million)")
    ax.set_ylabel("% answered in target")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def forecast_plot(counts: pd.DataFrame, forecast: pd.DataFrame, routes: list[str]):
    """Daily contacts: the last 8 weeks of history and the next month's forecast."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    history = counts[routes].tail(8 * 7 * 24)
    for route, colour in zip(routes, PALETTE):
        h = history[route].groupby(history.index.date).sum()
        f = forecast[route].groupby(forecast.index.date).sum()
        ax.plot(pd.to_datetime(h.index), h.to_numpy(), color=colour, lw=1.2, label=f"{route} actual")
        ax.plot(pd.to_datetime(f.index), f.to_numpy(), color=colour, lw=1.2, ls="--", label=f"{route} forecast")
    ax.set_ylabel("contacts per day")
    ax.legend(fontsize=8, ncols=4, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
