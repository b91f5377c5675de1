"""Figures for the incident-response chapter, drawn from its facts."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from lib.present import DAYS, PALETTE, label, week_cover_chart


def demand_heatmap(hour_day: pd.DataFrame):
    """Incidents per hour by hour of day × day of week (facts ``irt_hour_day``)."""
    table = hour_day.pivot(index="hour", columns="day", values="incidents_per_hour").reindex(columns=DAYS)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    sns.heatmap(table, cmap="Blues", ax=ax, linewidths=0.2, cbar_kws={"label": "incidents per hour"})
    ax.set_ylabel("hour of day")
    ax.set_xlabel("")
    fig.tight_layout()
    return fig


def cover(requirement: pd.DataFrame, cover_long: pd.DataFrame):
    """Officers needed on duty by hour of the week against each pattern's cover."""
    covers = {label(name, 40, lines=2): g.sort_values("how")["officers"].to_numpy()
              for name, g in cover_long.groupby("pattern", sort=False)}
    return week_cover_chart(requirement["officers_needed"], covers, "needed", "officers on duty")


def waterfall(establishment: pd.DataFrame, current):
    """Establishment per pattern built up from reactive demand, pattern fit and proactive time."""
    steps = [("reactive_demand", "reactive demand"), ("pattern_over_cover", "pattern over-cover"),
             ("protected_proactive_time", "protected proactive time beyond the over-cover")]
    fig, ax = plt.subplots(figsize=(9, 3.2))
    y = np.arange(len(establishment))
    left = np.zeros(len(establishment))
    for (col, name), colour in zip(steps, [PALETTE[0], PALETTE[1], PALETTE[2]]):
        ax.barh(y, establishment[col], left=left, color=colour, label=name)
        left += establishment[col].to_numpy()
    for yi, total in zip(y, establishment["establishment"]):
        ax.text(total + 3, yi, f"{int(total)}", va="center", fontsize=9)
    if current and not pd.isna(current):
        ax.axvline(current, color="black", ls="--", lw=1)
        ax.text(current, len(establishment) - 0.45, f" current establishment {int(current)}", fontsize=8)
    ax.set_yticks(y, [label(p, 34, lines=2) for p in establishment["pattern"]], fontsize=8)
    ax.set_xlabel("officers (establishment)")
    ax.legend(fontsize=8, ncols=3, loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def response_times(histogram: pd.DataFrame):
    """Distribution of response times by grade, with the targets (facts ``irt_response_hist``)."""
    grades = list(dict.fromkeys(histogram["grade"]))
    fig, axes = plt.subplots(1, len(grades), figsize=(9, 3), squeeze=False)
    for ax, grade, colour in zip(axes.flat, grades, PALETTE):
        h = histogram[histogram["grade"] == grade]
        ax.bar(h["from_minutes"], h["incidents"], width=h["to_minutes"] - h["from_minutes"], align="edge", color=colour)
        target = h["target_minutes"].iloc[0]
        ax.axvline(target, color="black", ls="--", lw=1)
        ax.set_title(f"{grade}: target {target:g} min", fontsize=9)
        ax.set_xlabel("minutes to first arrival")
    fig.tight_layout()
    return fig


def sensitivity(sens: pd.DataFrame, required: float, current=None, proposed=None):
    """Tornado chart: the required establishment with each assumption at its low and high value (facts
    ``irt_sensitivity``), the stated requirement and the current and proposed establishments as lines."""
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(sens) + 1.4))
    y = np.arange(len(sens))[::-1]
    for yi, (_, r) in zip(y, sens.iterrows()):
        for end, colour in (("low", PALETTE[0]), ("high", PALETTE[1])):
            ax.barh(yi, r[f"at_{end}"] - required, left=required, color=colour, height=0.6,
                    label=f"assumption at its {end} value" if yi == y[0] else None)
            ax.text(r[f"at_{end}"], yi, f" {int(r[f'at_{end}'])} ", va="center", fontsize=8,
                    ha="left" if r[f"at_{end}"] >= required else "right")
    ax.axvline(required, color="black", lw=1)
    for value, name, ls in ((current, "current", "--"), (proposed, "proposed", ":")):
        if value is not None and not pd.isna(value):
            ax.axvline(value, color="grey", lw=1, ls=ls)
            ax.text(value, len(sens) - 0.4, f" {name} {int(value)}", fontsize=8, color="dimgrey")
    ax.set_yticks(y, [label(w, 40, lines=2) for w in sens["what"]], fontsize=8)
    ax.set_xlabel(f"establishment required (officers; as stated: {int(required)})")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2, frameon=False)
    fig.tight_layout()
    return fig


def workforce(months: pd.DataFrame):
    """Strength recorded and projected against the requirement (facts ``irt_workforce``)."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = pd.PeriodIndex(months["month"], freq="M").to_timestamp()
    for kind, ls, colour in (("recorded", "-", PALETTE[0]), ("projected", "--", PALETTE[0])):
        part = months["kind"] == kind
        if kind == "projected" and part.any():  # join the projection to the last recorded month
            part = part | (months["kind"].shift(-1).eq("projected") & months["kind"].eq("recorded"))
        ax.plot(x[part], months.loc[part, "strength"], ls=ls, color=colour, label=f"strength, {kind}")
    ax.step(x, months["required"], where="post", color="black", lw=1, label="required")
    ax.set_ylabel("officers")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    fig.tight_layout()
    return fig


def model_check(hours: pd.DataFrame):
    """Attended in target, achieved against the model's prediction, by hour of the week (facts ``irt_check_hours``)."""
    grades = list(dict.fromkeys(hours["grade"]))
    fig, axes = plt.subplots(len(grades), 1, figsize=(9, 2.6 * len(grades)), squeeze=False, sharex=True)
    for ax, grade in zip(axes.flat, grades):
        h = hours[hours["grade"] == grade]
        ax.step(h["how"], h["achieved_pct"], where="mid", color="black", lw=1.4, label="achieved")
        ax.step(h["how"], h["predicted_pct"], where="mid", color=PALETTE[0], lw=1.2, label="model, officers in post")
        ax.set_ylabel(f"{grade}: % in target")
        ax.set_ylim(0, 101)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.flat[-1].set_xticks(np.arange(0, 168, 24), DAYS)
    fig.tight_layout()
    return fig
