"""The control chart used throughout the book, in the Making Data Count style, and the words for its reading.

Grey line and dots for ordinary months; blue for improvement, orange for concern, purple for neutral
special causes (the NHS MDC colours, which stay distinguishable with colour-blindness because the
icons also carry a letter); each phase's mean solid and process limits dashed, broken where a new
phase starts; target dotted red; months marked provisional drawn hollow and pale, outside the
limits and signals; the variation and assurance icons drawn top right with a letter (H/L for
high/low, P/F/? for pass/fail/either, an arrow for a process still changing) so they read in
greyscale and in the PDF.

The words (:func:`describe`) are the reading's rules of :mod:`lib.stats.reading` in plain English,
written once here for every page that shows a reading: the scorecard, the compliance chapter and
the exceptions.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Circle

from lib.present import NO_DATA, NO_TARGET, UNUSUAL, fmt_int, fmt_number, label, missing, month_range_label, round_half_up
from lib.stats.phases import NOT_RECORDED
from lib.stats.reading import MIN_MONTHS, RULES, TOO_FEW, expected_false_signals

GREY, BLUE, ORANGE, PURPLE, PALE = "#7B7D7D", "#289DE0", "#FAB428", "#361475", "#C8C8C8"
COLOURS = {
    "common_cause": GREY,
    "special_cause_improvement": BLUE,
    "special_cause_concern": ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
    "not_judged": GREY,
    "provisional": PALE,
}
VARIATION_TEXT = {
    "common_cause": ("no unusual month (ordinary variation)", GREY, "~"),
    "improvement_high": (f"{UNUSUAL} (a rise, an improvement)", BLUE, "H"),
    "improvement_low": (f"{UNUSUAL} (a fall, an improvement)", BLUE, "L"),
    "concern_high": (f"{UNUSUAL} (a rise, a concern)", ORANGE, "H"),
    "concern_low": (f"{UNUSUAL} (a fall, a concern)", ORANGE, "L"),
    "neutral_high": (f"{UNUSUAL} (a rise)", PURPLE, "H"),
    "neutral_low": (f"{UNUSUAL} (a fall)", PURPLE, "L"),
}
POINT_TEXT = {
    "common_cause": "ordinary",
    "special_cause_improvement": "unusual month: improvement",
    "special_cause_concern": "unusual month: concern",
    "special_cause_neutral_high": "unusual month: high",
    "special_cause_neutral_low": "unusual month: low",
    "not_judged": "not judged: too few months",
    "provisional": "provisional: not judged",
}
ASSURANCE_TEXT = {
    "consistent_pass": ("will consistently meet the target", BLUE, "P"),
    "consistent_fail": ("will consistently miss the target", ORANGE, "F"),
    "inconsistent": ("the target may be met or missed by chance", GREY, "?"),
    "not_yet": ("assurance: not yet — still changing", GREY, "→"),
    "no_target": (NO_TARGET, PALE, "–"),
    "": ("", PALE, "–"),
}
ARROWS = {"improving": BLUE, "worsening": ORANGE, "rising": PURPLE, "falling": PURPLE}
PROVISIONAL_NOTE = "pale hollow points: provisional months (figures still arriving), left out of the limits and signals"


def _get(row, key, default=""):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if missing(value) else value


def _month(month) -> str:
    return month_range_label(str(month), str(month))


def too_few_text(months) -> str:
    """'too few months to judge (4 of the 12 needed)'."""
    return f"too few months to judge ({fmt_int(months)} of the {MIN_MONTHS} needed)"


def change_text(start, cause) -> str:
    """Where the current phase starts and why: 'change from Jun 2019, cause not recorded'; '' for the first phase."""
    if not cause:
        return ""
    if cause == NOT_RECORDED:
        return f"change from {_month(start)}, cause not recorded"
    return f"new limits from {_month(start)}, after a listed change"


def assurance_text(row) -> str:
    """The assurance reading in words ('' where there is none)."""
    assurance = _get(row, "assurance")
    if assurance not in ASSURANCE_TEXT:
        return NO_TARGET if assurance == "no target" else ""
    words = ASSURANCE_TEXT[assurance][0]
    if assurance == "not_yet":
        return f"{words} ({_get(row, 'changing')})"
    if assurance in ("consistent_pass", "consistent_fail", "inconsistent") and bool(_get(row, "provisional_limits", False)):
        words += f" (provisional limits: {fmt_int(_get(row, 'phase_points', 0))} months)"
    return words


def describe(row) -> str:
    """A measure's control-chart reading in one phrase, for a table or the narrative.

    ``row`` is a measure's period row (``measure_period``: variation, assurance, changing, months_judged,
    phase_start, phase_cause, phase_points, provisional_limits). 'no data' without a chart; 'too few months
    to judge (n of the 12 needed)'; else where the current phase starts (when it is not the first), the
    latest month's variation and the assurance, e.g. 'change from Jun 2019, cause not recorded; since then
    no unusual month (ordinary variation); will consistently miss the target (provisional limits: 7 months)'.
    """
    variation = _get(row, "variation")
    if variation == TOO_FEW:
        return too_few_text(_get(row, "months_judged", 0))
    if variation not in VARIATION_TEXT:
        return NO_DATA if variation in ("no data", "") else str(variation)
    change = change_text(_get(row, "phase_start"), _get(row, "phase_cause"))
    parts = [change, ("since then " if change else "") + VARIATION_TEXT[variation][0], assurance_text(row)]
    return "; ".join(p for p in parts if p)


def false_signals_sentence(rows: pd.DataFrame) -> str:
    """How many unusual readings chance alone would give among these measures' readings (one sentence; '' for none).

    Uses :func:`lib.stats.reading.expected_false_signals` on each judged chart's months."""
    judged = rows[rows["variation"].isin(list(VARIATION_TEXT))]
    if judged.empty:
        return ""
    expected = expected_false_signals(judged["months_judged"])
    return (f"Even if nothing had changed, about {fmt_number(expected, 1)} of these {fmt_int(len(judged))} readings "
            f"would show an unusual month by chance alone (each chart is read against {RULES} rules, and an unchanged "
            f"process trips one about {fmt_number(100 * expected / len(judged), 0)}% of the time), so an unusual month "
            "is a prompt to look, not proof of a change.")


def _icon(ax, x: float, letter: str, colour: str, size: float = 12) -> None:
    ax.add_patch(Circle((x, 0.5), 0.42, transform=ax.transAxes, facecolor="white", edgecolor=colour,
                        lw=3 * size / 12, clip_on=False))
    ax.text(x, 0.5, letter, transform=ax.transAxes, ha="center", va="center", fontsize=size, fontweight="bold",
            color=colour)


def icons(row) -> list[tuple[str, str]]:
    """The (letter, colour) of the variation and assurance icons ([] when the chart gives no reading); a process
    still changing gets an arrow the way it is moving, blue when improving, orange when worsening."""
    variation, assurance = _get(row, "variation"), _get(row, "assurance")
    if variation not in VARIATION_TEXT:
        return []
    _, colour, letter = VARIATION_TEXT[variation]
    if assurance == "not_yet":
        changing = _get(row, "changing")
        if changing in ("improving", "worsening"):
            rising = (_get(row, "direction", "higher") == "higher") == (changing == "improving")
        else:
            rising = changing == "rising"
        return [(letter, colour), ("↑" if rising else "↓", ARROWS.get(changing, GREY))]
    _, second_colour, second = ASSURANCE_TEXT.get(assurance, ASSURANCE_TEXT[""])
    return [(letter, colour), (second, second_colour)]


def _segments(values: np.ndarray, groups: np.ndarray):
    """(positions, values) of each phase, so lines break where a new phase starts."""
    for g in pd.unique(groups):
        at = np.flatnonzero(groups == g)
        yield at, values[at]


def _points(ax, x: np.ndarray, y: np.ndarray, types: np.ndarray, small: bool) -> None:
    """The line and its points: judged months coloured by what they signal, provisional ones hollow and dashed."""
    late = types == "provisional"
    judged = ~late
    ax.plot(x[judged], y[judged], color=GREY, lw=1.2 if not small else 0.9, zorder=2)
    if late.any():
        edge = np.flatnonzero(late)
        join = np.r_[edge[0] - 1, edge] if edge[0] > 0 else edge
        ax.plot(x[join], y[join], color=PALE, lw=1.2 if not small else 0.9, ls="--", zorder=2)
        ax.scatter(x[late], y[late], s=28 if not small else 10, facecolors="white", edgecolors=GREY, linewidths=0.8,
                   zorder=3)
    ax.scatter(x[judged], y[judged], c=[COLOURS.get(t, GREY) for t in types[judged]], s=28 if not small else 10,
               zorder=3, edgecolors="white", linewidths=0.5)


def _limits(ax, frame: pd.DataFrame, small: bool) -> None:
    """The mean and process limits, phase by phase, and the target."""
    groups = frame["group"].to_numpy()
    for col, style in (("mean", "-"), ("lpl", "--"), ("upl", "--")):
        values = frame[col].to_numpy(dtype=float)
        for at, v in _segments(values, groups):
            ax.step(at, v, where="mid", color="#231F20", lw=1 if not small else 0.7, ls=style, zorder=1)
    target = float(frame["target"].iloc[-1]) if len(frame) and "target" in frame else np.nan
    if not np.isnan(target):
        ax.axhline(target, color="#DE1B1B", lw=1.2 if not small else 0.9, ls=":", zorder=1)


def _marks(ax, months: list[str], marks, small: bool) -> None:
    """Each mark as a dotted vertical line before its month, numbered on a full-size chart."""
    for k, (month, _) in enumerate(marks, 1):
        at = next((i for i, m in enumerate(months) if m >= str(month)), None)
        if at is not None:
            ax.axvline(at - 0.5, color="#005EB8", lw=1 if not small else 0.7, ls=(0, (2, 2)), zorder=1)
            if not small:
                ax.text(at - 0.4, 1.0, f"{k}", transform=ax.get_xaxis_transform(), va="top", fontsize=8,
                        color="#005EB8")


def _titles(ax, x: np.ndarray, months: list[str], types: np.ndarray, title: str, ylabel: str, marks, small: bool):
    """Axis labels and title; on a full-size chart, the marks and what the hollow and unjudged points mean."""
    if small:
        ax.set_xticks([])
        ax.tick_params(labelsize=6)
        ax.set_title(label(title, 34), fontsize=6.5, loc="left")
        if (types == "not_judged").any():
            ax.text(0.5, 0.05, "too few months to judge", transform=ax.transAxes, ha="center", fontsize=5.5, color=GREY)
        return
    notes = [f"{k}: {label(w, 110, lines=2)}" for k, (_, w) in enumerate(marks, 1)]
    if (types == "provisional").any():
        notes.append(PROVISIONAL_NOTE)
    if (types == "not_judged").any():
        notes.append(too_few_text((types == "not_judged").sum()) + ": no limits or signals")
    if notes:
        ax.text(0, -0.32, "\n".join(notes), transform=ax.transAxes, fontsize=7, color="#005EB8", va="top")
    step = max(1, len(months) // 12)
    ax.set_xticks(x[::step], months[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(label(title, 70), loc="left")


def plot(frame: pd.DataFrame, title: str, ylabel: str, row, ax=None, marks: list[tuple[str, str]] = (),
         small: bool = False):
    """Draw a control chart.

    ``frame``: columns month, value, group, mean, lpl, upl, point_type, provisional, target (in the measure's
    unit); ``row``: the measure's period row, for the icons (:func:`icons`); ``marks``: (month, what to say)
    drawn as dotted vertical lines with a number, listed under the chart; ``small``: a panel of small multiples
    (no axis label, marks unlisted, icons in the title's corner).
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 3.4))
    else:
        fig = ax.figure
    x = np.arange(len(frame))
    types = frame["point_type"].astype(str).to_numpy()
    months = [str(v) for v in frame["month"]]
    _points(ax, x, frame["value"].to_numpy(dtype=float), types, small)
    _limits(ax, frame, small)
    _marks(ax, months, marks, small)
    _titles(ax, x, months, types, title, ylabel, marks, small)
    for i, (letter, colour) in enumerate(icons(row)):
        box = [1.01 + 0.07 * i, 0.86, 0.06, 0.14] if not small else [0.70 + 0.16 * i, 1.02, 0.14, 0.28]
        inset = ax.inset_axes(box)
        inset.axis("off")
        _icon(inset, 0.5, letter, colour, size=12 if not small else 6)
    if not small:
        fig.tight_layout()
    return fig


def numbers(frame: pd.DataFrame, digits: int = 1) -> pd.DataFrame:
    """The chart's numbers as a table (nbval skips images; the table carries the checked numbers)."""
    def r(v):
        return NO_DATA if pd.isna(v) else f"{round_half_up(v, digits):.{digits}f}"

    def limit(v, mean, kind):
        if kind == "not_judged":
            return "not judged"
        # A phase without variation has no limits (every moving range is 0): say so rather than "no data".
        return "none: no variation" if pd.isna(v) and not pd.isna(mean) else r(v)

    kinds = frame["point_type"].astype(str)
    out = pd.DataFrame({
        "month": frame["month"].astype(str),
        "value": [r(v) for v in frame["value"]],
        "mean": [limit(v, v, k) for v, k in zip(frame["mean"], kinds)],
        "lower limit": [limit(v, m, k) for v, m, k in zip(frame["lpl"], frame["mean"], kinds)],
        "upper limit": [limit(v, m, k) for v, m, k in zip(frame["upl"], frame["mean"], kinds)],
        "signal": kinds.map(POINT_TEXT),
    })
    if "n" in frame:
        out.insert(1, "n", [fmt_int(v) for v in frame["n"]])
    return out


# --- A measure's chart, from the period's facts (the scorecard, the compliance chapter, the exceptions) -------

def _row(table: pd.DataFrame, mid: str) -> pd.Series:
    return table[table["measure_id"] == mid].iloc[0]


def measure_frame(facts, mid: str) -> pd.DataFrame:
    """A measure's chart as drawn (``measure_spc``), with n (where the measure has one) and its target."""
    frame = facts["measure_spc"][facts["measure_spc"]["measure_id"] == mid].reset_index(drop=True)
    months = facts["measure_months"]
    n = months[months["measure_id"] == mid].set_index("month")["n"]
    return frame.assign(n=frame["month"].map(n).to_numpy(), target=float(_row(facts["catalogue"], mid)["target"]))


def measure_marks(facts, mid: str) -> list[tuple[str, str]]:
    """The chart's marks: each listed intervention (what changed), then each change whose cause is not recorded."""
    marks = []
    phases = facts.get("measure_phases")
    if phases is not None:
        marks += [(r["month"], f"{r['intervention']} ({_month(r['month'])})")
                  for _, r in phases[phases["measure_id"] == mid].iterrows()]
    changes = facts.get("measure_changes")
    if changes is not None:
        marks += [(r["start"], change_text(r["start"], NOT_RECORDED))
                  for _, r in changes[changes["measure_id"] == mid].iterrows()]
    return sorted(marks, key=lambda m: str(m[0]))


def _reading_row(facts, mid: str) -> pd.Series:
    row = _row(facts["measure_period"], mid)
    return pd.concat([row, pd.Series({"direction": _row(facts["catalogue"], mid)["direction"]})])


def measure_figure(facts, mid: str, ylabel: str | None = None):
    """One measure's control chart with its icons and marks (None when it has fewer than two months to draw)."""
    frame = measure_frame(facts, mid)
    if frame["value"].notna().sum() < 2:
        return None
    m = _row(facts["catalogue"], mid)
    fig = plot(frame, m["short_name"], ylabel or {"percent": "% of records"}.get(m["unit"], m["unit"].replace("_", " ")),
               _reading_row(facts, mid), marks=measure_marks(facts, mid))
    plt.close(fig)  # shown once, as the cell's result
    return fig


def small_multiples(facts, ids: list[str], cols: int = 4):
    """A small control chart per measure (limits, target line, icons), ``cols`` to a row; None for no measure.

    A measure with no chart (not supplied, to be developed, fewer than two months) gets a panel saying so."""
    if not ids:
        return None
    rows = int(np.ceil(len(ids) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 1.75 * rows), squeeze=False)
    cat = facts["catalogue"].set_index("measure_id")
    period = facts["measure_period"].set_index("measure_id")
    for ax, mid in zip(axes.flat, ids):
        frame = measure_frame(facts, mid)
        if frame["value"].notna().sum() < 2:
            ax.axis("off")
            ax.set_title(label(cat.at[mid, "short_name"], 34), fontsize=6.5, loc="left")
            row = period.loc[mid] if mid in period.index else pd.Series({"status": NO_DATA})
            why = row["status"] if row["status"] in ("not supplied", "to be developed") else \
                too_few_text(row["months_judged"]) if _get(row, "variation") == TOO_FEW else NO_DATA
            ax.text(0.5, 0.5, label(f"no chart: {why}", 30, lines=2), transform=ax.transAxes, ha="center",
                    va="center", fontsize=6, color=GREY)
            continue
        plot(frame, cat.at[mid, "short_name"], "", _reading_row(facts, mid), ax=ax, marks=measure_marks(facts, mid),
             small=True)
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    fig.tight_layout(h_pad=1.4)
    plt.close(fig)
    return fig


def limits_display(facts, ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each measure's current phase as the small multiples draw it: from, mean, limits, target, reading; the same
    as numbers), the numbers beside the figure."""
    from lib.present import fmt_target, fmt_value

    cat = facts["catalogue"].set_index("measure_id")
    shown, data = [], []
    for mid in ids:
        frame = measure_frame(facts, mid)
        row = _row(facts["measure_period"], mid)
        unit = cat.at[mid, "unit"]
        judged = frame[~frame["point_type"].isin(["provisional", "not_judged"])]
        last = judged.iloc[-1] if len(judged) else None
        shown.append({"measure": cat.at[mid, "short_name"],
                      "limits from": _month(row["phase_start"]) if last is not None and not missing(row["phase_start"])
                      else "",
                      "mean": fmt_value(last["mean"], unit) if last is not None else "",
                      "lower limit": fmt_value(last["lpl"], unit) if last is not None else "",
                      "upper limit": fmt_value(last["upl"], unit) if last is not None else "",
                      "target": fmt_target(cat.at[mid, "target"], unit),
                      "reading": describe(row) if row["status"] not in ("not supplied", "to be developed")
                      else row["status"]})
        data.append({"measure_id": mid, "phase_start": row["phase_start"],
                     **({k: last[k] for k in ("mean", "lpl", "upl")} if last is not None else {}),
                     "target": cat.at[mid, "target"], "variation": row["variation"], "assurance": row["assurance"]})
    return pd.DataFrame(shown), pd.DataFrame(data)
