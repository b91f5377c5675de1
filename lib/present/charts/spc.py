"""The SPC chart used throughout the book, in the Making Data Count style.

Grey line and dots for common cause; blue for improvement, orange for concern, purple for neutral
special causes (the NHS MDC colours, which stay distinguishable with colour-blindness because the
icons also carry a letter); mean solid, process limits dashed, target dotted red; the variation
and assurance icons drawn top right with a letter (H/L for high/low, P/F/? for pass/fail/either)
so they read in greyscale and in the PDF.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Circle

from lib.present import NO_DATA, fmt_int, label, round_half_up

COLOURS = {
    "common_cause": "#7B7D7D",
    "special_cause_improvement": "#289DE0",
    "special_cause_concern": "#FAB428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
}
VARIATION_TEXT = {
    "common_cause": ("no unusual change: ordinary month-to-month variation", "#7B7D7D", "~"),
    "improvement_high": ("an unusual rise, an improvement (a real change, not chance)", "#289DE0", "H"),
    "improvement_low": ("an unusual fall, an improvement (a real change, not chance)", "#289DE0", "L"),
    "concern_high": ("an unusual rise, a concern (a real change, not chance)", "#FAB428", "H"),
    "concern_low": ("an unusual fall, a concern (a real change, not chance)", "#FAB428", "L"),
    "neutral_high": ("an unusual rise (a real change, not chance)", "#361475", "H"),
    "neutral_low": ("an unusual fall (a real change, not chance)", "#361475", "L"),
}
POINT_TEXT = {
    "common_cause": "ordinary",
    "special_cause_improvement": "unusual month: improvement",
    "special_cause_concern": "unusual month: concern",
    "special_cause_neutral_high": "unusual month: high",
    "special_cause_neutral_low": "unusual month: low",
}
ASSURANCE_TEXT = {
    "consistent_pass": ("will consistently meet the target", "#289DE0", "P"),
    "consistent_fail": ("will consistently miss the target", "#FAB428", "F"),
    "inconsistent": ("the target is within ordinary variation: it may be met or missed by chance", "#7B7D7D", "?"),
    None: ("no target", "#BBBBBB", "–"),
    "no target": ("no target", "#BBBBBB", "–"),
}


def _icon(ax, x: float, letter: str, colour: str) -> None:
    ax.add_patch(Circle((x, 0.5), 0.42, transform=ax.transAxes, facecolor="white", edgecolor=colour, lw=3,
                        clip_on=False))
    ax.text(x, 0.5, letter, transform=ax.transAxes, ha="center", va="center", fontsize=12, fontweight="bold",
            color=colour)


def describe(variation: str, assurance: str | None) -> str:
    """One phrase for the two icons, for a table or the narrative ('no data' with too few months)."""
    if variation not in VARIATION_TEXT:
        return NO_DATA if variation in ("no data", "", None) else str(variation)
    return f"{VARIATION_TEXT[variation][0]}; {ASSURANCE_TEXT[assurance or None][0]}"


def plot(frame: pd.DataFrame, title: str, ylabel: str, variation: str, assurance: str | None, ax=None,
         marks: list[tuple[str, str]] = ()):
    """Draw a control chart (columns month, value, mean, lpl, upl, point_type, target, in the measure's unit);
    ``marks``: (month, what changed) drawn as dotted vertical lines with a number, the changes listed under it."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 3.4))
    else:
        fig = ax.figure
    x = np.arange(len(frame))
    y = frame["value"].to_numpy(dtype=float)
    ax.plot(x, y, color=COLOURS["common_cause"], lw=1.2, zorder=2)
    ax.scatter(x, y, c=[COLOURS[t] for t in frame["point_type"]], s=28, zorder=3, edgecolors="white", linewidths=0.5)
    for col, style in (("mean", "-"), ("lpl", "--"), ("upl", "--")):
        ax.step(x, frame[col].to_numpy(dtype=float), where="mid", color="#231F20", lw=1, ls=style, zorder=1)
    target = float(frame["target"].iloc[-1]) if len(frame) else np.nan
    if not np.isnan(target):
        ax.axhline(target, color="#DE1B1B", lw=1.2, ls=":", zorder=1)
    months = [str(v) for v in frame["month"]]
    for k, (month, _) in enumerate(marks, 1):
        at = next((i for i, m in enumerate(months) if m >= str(month)), None)
        if at is not None:
            ax.axvline(at - 0.5, color="#005EB8", lw=1, ls=(0, (2, 2)), zorder=1)
            ax.text(at - 0.4, 1.0, f"{k}", transform=ax.get_xaxis_transform(), va="top", fontsize=8, color="#005EB8")
    if marks:
        ax.text(0, -0.32, "\n".join(f"{k}: {label(w, 110, lines=2)} ({m})" for k, (m, w) in enumerate(marks, 1)),
                transform=ax.transAxes, fontsize=7, color="#005EB8", va="top")
    labels = months
    step = max(1, len(labels) // 12)
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(label(title, 70), loc="left")
    if variation in VARIATION_TEXT:
        for i, (colour, letter) in enumerate((VARIATION_TEXT[variation][1:], ASSURANCE_TEXT[assurance or None][1:])):
            inset = ax.inset_axes([1.01 + 0.07 * i, 0.86, 0.06, 0.14])
            inset.axis("off")
            _icon(inset, 0.5, letter, colour)
    fig.tight_layout()
    return fig


def numbers(frame: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """The chart's numbers as a table (nbval skips images; the table carries the checked numbers)."""
    def r(v):
        return NO_DATA if pd.isna(v) else f"{round_half_up(v, digits):.{digits}f}"

    def limit(v, mean):
        # A phase without variation has no limits (every moving range is 0): say so rather than "no data".
        return "none: no variation" if pd.isna(v) and not pd.isna(mean) else r(v)

    out = pd.DataFrame({
        "month": frame["month"].astype(str),
        "value": [r(v) for v in frame["value"]],
        "mean": [r(v) for v in frame["mean"]],
        "lower limit": [limit(v, m) for v, m in zip(frame["lpl"], frame["mean"])],
        "upper limit": [limit(v, m) for v, m in zip(frame["upl"], frame["mean"])],
        "signal": frame["point_type"].map(POINT_TEXT),
    })
    if "n" in frame:
        out.insert(1, "n", [fmt_int(v) for v in frame["n"]])
    return out
