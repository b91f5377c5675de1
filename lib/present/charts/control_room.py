"""Figures for the control-room chapter, drawn from its facts."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from lib.present import PALETTE, week_cover_chart
from lib.vocabulary import DAYS, HOURS_PER_WEEK


def demand_heatmaps(profile: pd.DataFrame, routes: list[str]):
    """Mean contacts per hour by hour of day × day of week, one panel per route (facts ``fcr_profile``)."""
    fig, axes = plt.subplots(1, len(routes), figsize=(9, 4.2), squeeze=False)
    for ax, route in zip(axes.flat, routes):
        table = profile[profile["route"] == route].pivot(index="hour", columns="day", values="contacts_per_hour")
        sns.heatmap(table.reindex(columns=DAYS), cmap="Blues", ax=ax, cbar=True, cbar_kws={"shrink": 0.6},
                    linewidths=0.2)
        ax.set_title(f"{route}: mean contacts per hour", fontsize=9)
        ax.set_ylabel("hour of day")
        ax.set_xlabel("")
    fig.tight_layout()
    return fig


def cover_against_requirement(requirement: pd.DataFrame):
    """Rostered staff needed by hour of the week, and the current pattern's and the best fit's cover."""
    return week_cover_chart(requirement["rostered"], {"current pattern": requirement["current_cover"],
                                                      "best fit": requirement["best_fit_cover"]},
                            "needed (rostered)", "call handlers")


def service_level_by_hour(requirement: pd.DataFrame, routes: list[str], targets: dict[str, float]):
    """Service level the model gives the current pattern by hour of the week, against each route's target."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for route, colour in zip(routes, PALETTE):
        ax.step(requirement["how"], requirement[f"sl_now_{route}"], where="mid", color=colour, lw=1.2,
                label=f"{route} modelled, current pattern")
        ax.axhline(100 * targets[route], color=colour, lw=1, ls="--", label=f"{route} target")
    ax.set_xticks(np.arange(0, HOURS_PER_WEEK, 24), DAYS)
    ax.set_ylabel("% answered in target")
    ax.set_ylim(0, 101)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig


def model_check(hours: pd.DataFrame, routes: list[str]):
    """Achieved against predicted service level by hour of the week, one panel per route (facts ``fcr_check_hours``)."""
    fig, axes = plt.subplots(len(routes), 1, figsize=(9, 2.6 * len(routes)), squeeze=False, sharex=True)
    styles = {"telephony export": ("-", "model, staff logged on"), "rostered pattern": (":", "model, rostered pattern")}
    for ax, route in zip(axes.flat, routes):
        h = hours[hours["route"] == route]
        first = h[h["source"] == h["source"].iloc[0]]
        ax.step(first["how"], first["achieved_pct"], where="mid", color="black", lw=1.4, label="achieved")
        for (source, part), colour in zip(h.groupby("source", sort=False), PALETTE):
            ls, label = styles[source]
            ax.step(part["how"], part["predicted_pct"], where="mid", color=colour, lw=1.2, ls=ls, label=label)
        ax.set_ylabel(f"{route}: % in target")
        ax.set_ylim(0, 101)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.flat[-1].set_xticks(np.arange(0, HOURS_PER_WEEK, 24), DAYS)
    fig.tight_layout()
    return fig


def cost_curve(scenarios: pd.DataFrame, routes: list[str]):
    """Demand v cost: annual cost against the service level each scenario achieves."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    best = scenarios[scenarios["scenario"].str.startswith("best fit")]
    others = scenarios[~scenarios["scenario"].str.startswith("best fit")]
    for route, colour, marker in zip(routes, PALETTE, ["o", "s", "^", "D"]):
        ax.plot(best["annual_cost"] / 1e6, best[f"sl_{route}"], marker=marker, color=colour, label=f"{route}, best fit scaled")
        ax.scatter(others["annual_cost"] / 1e6, others[f"sl_{route}"], marker=marker, facecolors="white",
                   edgecolors=colour, s=50, zorder=3, label=f"{route}, current pattern" if len(others) else None)
    for _, row in scenarios.iterrows():
        ax.annotate(row["scenario"].replace("best fit × ", ""), (row["annual_cost"] / 1e6, row[f"sl_{routes[0]}"]),
                    fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("annual cost (£ million)")
    ax.set_ylabel("% answered in target")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def forecast_plot(daily: pd.DataFrame, routes: list[str]):
    """Daily contacts: the last 8 weeks of history and the next month's forecast (facts ``fcr_daily``)."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for route, colour in zip(routes, PALETTE):
        for kind, style in (("actual", "-"), ("forecast", "--")):
            d = daily[(daily["route"] == route) & (daily["kind"] == kind)]
            ax.plot(pd.to_datetime(d["date"]), d["contacts"], color=colour, lw=1.2, ls=style, label=f"{route} {kind}")
    ax.set_ylabel("contacts per day")
    ax.legend(fontsize=8, ncols=4, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
