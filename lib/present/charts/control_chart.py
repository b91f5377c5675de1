"""The Making Data Count control chart, drawn as Vega-Lite: one measure, or many as small multiples.

What the chart shows is described in :mod:`lib.present.charts.spc` (colours, letters, words). Here it
is drawn from one tidy frame with a ``kind`` per row, so that one set of layers draws a single chart,
a live chart with a dropdown to pick the measure, and faceted small multiples for print:

- ``month``: a month's value, its mean and limits (lines broken by phase), its colour by what it
  signals, and the tooltip: month, value, n, limits, and the reading with the rule that flagged it;
- ``mark``: an intervention or a change whose cause is not recorded (a dashed vertical rule, numbered);
- ``icon``: the variation and assurance icons, a letter in a ring (H/L, P/F/?, an arrow);
- ``note``: why a measure has no chart.

The tooltip's rule is found with :func:`lib.stats.spc.special_cause_type`, the function that
classified the month, run on the same judged months of the same phase, so the words cannot disagree
with the colour; where they would (a month the facts judged otherwise) only the colour's words are given.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.present import NO_DATA, fmt_int, fmt_interval, fmt_target, fmt_value, label, missing
from lib.present.vega import WIDTH, Chart
from lib.stats.reading import TOO_FEW
from lib.stats.spc import special_cause_type

from . import layers
from .spc import (
    ASSURANCE_TEXT,
    COLOURS,
    GREY,
    PALE,
    POINT_TEXT,
    PROVISIONAL_NOTE,
    VARIATION_TEXT,
    get,
    icons,
    measure_frame,
    measure_marks,
    month_text,
    reading_row,
    row_of,
    too_few_text,
)

RED = "#DE1B1B"
RULE_TEXT = {
    "Above UCL": "above the upper process limit",
    "Below LCL": "below the lower process limit",
    "7 Point Trend (Increasing)": "part of 7 or more months rising in a row",
    "7 Point Trend (Decreasing)": "part of 7 or more months falling in a row",
    "2 in 3 Above CL": "two of three months close to the upper limit",
    "2 in 3 Below CL": "two of three months close to the lower limit",
    "7 Points Above CL": "part of 7 or more months in a row above the mean",
    "7 Points Below CL": "part of 7 or more months in a row below the mean",
}
SIGNALS = list(dict.fromkeys(POINT_TEXT[k] for k in COLOURS if k != "provisional"))
SIGNAL_COLOURS = [COLOURS[next(k for k in COLOURS if POINT_TEXT[k] == s)] for s in SIGNALS]
PANEL_WIDTH, PANEL_HEIGHT, FULL_HEIGHT = 180, 110, 230


def rule_words(frame: pd.DataFrame) -> list[str]:
    """Which rule flagged each month, in words ('' for a month no rule flags, or one not judged)."""
    words = [""] * len(frame)
    kinds = frame["point_type"].astype(str)
    judged = ~kinds.isin(["provisional", "not_judged"]) & frame["value"].notna() & frame["mean"].notna()
    if not {"nlpl", "nupl"} <= set(frame.columns):
        return words
    for g in pd.unique(frame.loc[judged, "group"]):
        at = np.flatnonzero(judged & (frame["group"] == g))
        part = frame.iloc[at]
        y = part["value"].to_numpy(dtype=float)
        outside = (y > part["upl"].to_numpy(dtype=float)) | (y < part["lpl"].to_numpy(dtype=float))
        rtm = np.sign(y - part["mean"].to_numpy(dtype=float))
        close = ~outside & ((y < part["nlpl"].to_numpy(dtype=float)) | (y > part["nupl"].to_numpy(dtype=float)))
        for i, name in zip(at, special_cause_type(y, rtm, close.astype(int), outside)):
            if kinds.iloc[i].startswith("special_cause"):
                words[i] = RULE_TEXT.get(name, "")
    return words


def _limits_text(mean, lpl, upl, kind: str, unit: str) -> str:
    if kind == "not_judged":
        return "not judged: too few months"
    if missing(mean):
        return NO_DATA
    if missing(lpl) or missing(upl):
        return f"mean {fmt_value(mean, unit)}; no limits: no variation"
    return f"mean {fmt_value(mean, unit)}; limits {fmt_interval(lpl, upl, unit)}"


def month_rows(frame: pd.DataFrame, unit: str, measure_id: str = "", measure: str = "") -> pd.DataFrame:
    """A measure's months as the chart draws them, with the tooltip's display strings.

    ``frame``: columns month, value, group, mean, lpl, upl, point_type (and n, nlpl, nupl, target when known)."""
    kinds = frame["point_type"].astype(str).reset_index(drop=True)
    frame = frame.reset_index(drop=True)
    rules = rule_words(frame)
    reading = [POINT_TEXT.get(k, k) + (f" ({r})" if r else "") for k, r in zip(kinds, rules)]
    late = kinds.eq("provisional")
    target = frame["target"] if "target" in frame else pd.Series(np.nan, index=frame.index)
    return pd.DataFrame({
        "kind": "month", "measure_id": measure_id, "measure": measure,
        "month": frame["month"].astype(str), "month_label": [month_text(m) for m in frame["month"]],
        "value": frame["value"].astype(float), "mean": frame["mean"].astype(float),
        "lpl": frame["lpl"].astype(float), "upl": frame["upl"].astype(float),
        "target": target.astype(float), "phase": frame["group"].astype(int),
        "lower": frame["lower"].astype(float) if "lower" in frame else np.nan,
        "upper": frame["upper"].astype(float) if "upper" in frame else np.nan,
        "point_type": kinds, "signal": kinds.map(POINT_TEXT).fillna(kinds),
        "provisional": late,
        # the provisional months' dashed line starts at the last judged month
        "tail": late | (late.shift(-1, fill_value=False) & ~late),
        "value_text": [fmt_value(v, unit) for v in frame["value"]],
        "n_text": [fmt_int(v) for v in frame["n"]] if "n" in frame else NO_DATA,
        "interval_text": [fmt_interval(lo, hi, unit) for lo, hi in zip(frame["lower"], frame["upper"])]
        if {"lower", "upper"} <= set(frame.columns) else NO_DATA,
        "limits_text": [_limits_text(m, lo, hi, k, unit) for m, lo, hi, k in
                        zip(frame["mean"], frame["lpl"], frame["upl"], kinds)],
        "target_text": [fmt_target(t, unit) for t in target],
        "reading": reading,
        "rule": rules,
    })


def icon_rows(row, measure_id: str = "") -> pd.DataFrame:
    """The chart's icons (letter, colour, words), one row each."""
    words = [VARIATION_TEXT[get(row, "variation")][0]] if get(row, "variation") in VARIATION_TEXT else []
    assurance = get(row, "assurance")
    words.append(ASSURANCE_TEXT[assurance][0] if assurance in ASSURANCE_TEXT else "")
    return pd.DataFrame([{"kind": "icon", "measure_id": measure_id, "letter": letter, "colour": colour,
                          "slot": i, "icon_text": words[i] or assurance} for i, (letter, colour) in enumerate(icons(row))])


def mark_rows(marks, months: list[str], measure_id: str = "") -> pd.DataFrame:
    """Each mark at the first month drawn on or after it, numbered."""
    rows = []
    for k, (month, words) in enumerate(marks, 1):
        at = next((m for m in months if m >= str(month)), None)
        if at is not None:
            rows.append({"kind": "mark", "measure_id": measure_id, "month_label": month_text(at), "mark_no": str(k),
                         "mark_text": f"{k}: {label(words)}"})
    return pd.DataFrame(rows)


def _colour(signals: list[str]) -> alt.Color:
    """Each judged month's colour by what it signals; the legend lists the signals drawn, in words."""
    shown = [s for s in SIGNALS if s in signals] or SIGNALS[:1]
    colours = [c for s, c in zip(SIGNALS, SIGNAL_COLOURS) if s in shown]
    return alt.Color("signal:N", title=None, sort=shown, scale=alt.Scale(domain=shown, range=colours),
                     legend=alt.Legend(orient="bottom", columns=2, symbolType="circle", labelLimit=300))


def _month_layers(x: dict, small: bool, signals: list[str], title: str | None) -> list:
    """The months: a grey line through judged months, a dashed pale one to provisional months, the points."""
    months = alt.Chart().transform_filter("datum.kind == 'month' && isValid(datum.value)")
    size = 22 if small else 45
    tooltip = [layers.tip("month_label", "month"), layers.tip("value_text", "value"), layers.tip("n_text", "n"),
               layers.tip("interval_text", "95% interval"), layers.tip("limits_text", "mean and limits"),
               layers.tip("reading", "reading")]
    y = alt.Y("value:Q", title=title, scale=alt.Scale(zero=False))
    return [
        months.transform_filter("!datum.provisional").mark_line(color=GREY, strokeWidth=1.2).encode(x=x, y=y),
        months.transform_filter("datum.tail").mark_line(color=PALE, strokeWidth=1.2, strokeDash=[4, 3]).encode(x=x, y=y),
        months.transform_filter("!datum.provisional").mark_point(filled=True, size=size, opacity=1, stroke="white",
                                                                 strokeWidth=0.5)
        .encode(x=x, y=y, color=_colour(signals), tooltip=tooltip),
        months.transform_filter("datum.provisional").mark_point(filled=False, size=size, color=GREY, opacity=0.6)
        .encode(x=x, y=y, tooltip=tooltip),
    ]


def _limit_layers(x: dict, title: str | None) -> list:
    """Each phase's mean (solid) and limits (dashed), broken where a new phase starts, and the target (dotted)."""
    months = alt.Chart().transform_filter("datum.kind == 'month'")
    tooltip = [layers.tip("month_label", "month"), layers.tip("limits_text", "mean and limits")]
    out = [months.mark_line(color="#231F20", strokeWidth=1, strokeDash=dash, interpolate="step")
           .encode(x=x, y=alt.Y(f"{col}:Q", title=title), detail="phase:N", tooltip=tooltip)
           for col, dash in (("mean", [1, 0]), ("lpl", [5, 3]), ("upl", [5, 3]))]
    out.append(months.transform_filter("isValid(datum.target)").mark_rule(color=RED, strokeWidth=1.2, strokeDash=[2, 2])
               .encode(y=alt.Y("mean(target):Q", title=title), tooltip=[layers.tip("target_text", "target")]))
    return out


def _mark_layers(x: dict, small: bool) -> list:
    marks = alt.Chart().transform_filter("datum.kind == 'mark'")
    tooltip = [layers.tip("month_label", "from"), layers.tip("mark_text", "change")]
    out = [marks.mark_rule(color=layers.RULE_BLUE, strokeDash=[2, 2], strokeWidth=1).encode(x=x, tooltip=tooltip)]
    if not small:
        out.append(marks.mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=11, color=layers.RULE_BLUE)
                   .encode(x=x, y=alt.value(0), text="mark_no:N", tooltip=tooltip))
    return out


def _icon_layers(width: int, small: bool) -> list:
    """The icons, right of the plot on a full chart, above its right corner on a small one."""
    step, size = (22, 14) if small else (32, 20)
    y = alt.value(-14 if small else 12)
    tooltip = [layers.tip("icon_text", "reading")]
    out = []
    for slot in (0, 1):
        x = alt.value(width - 8 - step * (1 - slot) if small else width + 22 + step * slot)
        icon = alt.Chart().transform_filter(f"datum.kind == 'icon' && datum.slot == {slot}")
        out += [icon.mark_point(shape="circle", filled=True, fill="white", size=(size * 1.6) ** 2,
                                strokeWidth=2 if small else 2.5)
                .encode(x=x, y=y, stroke=alt.Stroke("colour:N", scale=None), tooltip=tooltip),
                icon.mark_text(fontSize=size * 0.7, fontWeight="bold")
                .encode(x=x, y=y, text="letter:N", color=alt.Color("colour:N", scale=None), tooltip=tooltip)]
    return out


def _note_layer(width: int, height: int):
    return (alt.Chart().transform_filter("datum.kind == 'note'")
            .mark_text(fontSize=11, color=GREY, lineBreak="\n")
            .encode(x=alt.value(width / 2), y=alt.value(height / 2), text="note:N"))


def control_layers(months: list[str], width: int, height: int, small: bool, signals: list[str],
                   title: str | None = None) -> alt.LayerChart:
    """Every layer of a control chart over the month labels ``months`` (in time order), without data;
    ``signals``: the words of the signals drawn, for the legend; ``title``: the y axis's."""
    every = 6 if small else layers.every_for(len(months), width)
    x = alt.X("month_label:O", title=None, scale=alt.Scale(domain=list(months)),
              **layers.month_axis(months, every))
    parts = (_limit_layers(x, title) + _mark_layers(x, small) + _month_layers(x, small, signals, title)
             + _icon_layers(width, small) + [_note_layer(width, height)])
    return alt.layer(*parts).properties(width=width, height=height)


# --- From the period's facts -------------------------------------------------------------------------------------

def measure_rows(facts, mid: str) -> pd.DataFrame:
    """Every row a measure's chart draws: months, marks, icons, or one note saying why there is no chart."""
    cat = row_of(facts["catalogue"], mid)
    frame = measure_frame(facts, mid)
    if frame["value"].notna().sum() < 2:
        return pd.DataFrame([{"kind": "note", "measure_id": mid, "measure": cat["short_name"],
                              "note": label(f"no chart: {no_chart_reason(facts, mid)}", 30, lines=2)}])
    months = month_rows(frame, cat["unit"], mid, cat["short_name"])
    parts = [months, mark_rows(measure_marks(facts, mid), list(frame["month"].astype(str)), mid),
             icon_rows(reading_row(facts, mid), mid)]
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    out["measure"] = cat["short_name"]
    return out


def no_chart_reason(facts, mid: str) -> str:
    """Why a measure has no chart: not supplied, to be developed, too few months, or no data."""
    period = facts["measure_period"].set_index("measure_id")
    row = period.loc[mid] if mid in period.index else pd.Series({"status": NO_DATA})
    if row["status"] in ("not supplied", "to be developed"):
        return row["status"]
    return too_few_text(row["months_judged"]) if get(row, "variation") == TOO_FEW else NO_DATA


def numbers_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind a chart, for its CSV: the months only, the columns a reader can check."""
    cols = ["measure", "month", "value", "n_text", "lower", "upper", "mean", "lpl", "upl", "target", "reading"]
    months = rows[rows["kind"] == "month"]
    out = months[[c for c in cols if c in months]].rename(
        columns={"n_text": "n", "lower": "95% interval from", "upper": "95% interval to", "lpl": "lower limit",
                 "upl": "upper limit", "reading": "signal"})
    return layers.rounded(out)


UNDRAWN = ["month", "rule", "point_type", "measure", "lower", "upper"]  # in the CSV or the tests, not read by any layer


def drawn(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as the spec carries them: only the fields a layer reads (a page holds up to 30 of these charts)."""
    return layers.rounded(rows.drop(columns=[c for c in UNDRAWN if c in rows]))


def _signals(rows: pd.DataFrame) -> list[str]:
    return list(rows.loc[(rows["kind"] == "month") & ~rows["provisional"].fillna(False).astype(bool), "signal"])


def _ylabel(unit: str) -> str:
    return {"percent": "% of records"}.get(unit, unit.replace("_", " "))


def _notes(rows: pd.DataFrame) -> list[str]:
    notes = list(rows.loc[rows["kind"] == "mark", "mark_text"]) if "mark_text" in rows else []
    kinds = rows.loc[rows["kind"] == "month", "point_type"]
    if (kinds == "provisional").any():
        notes.append(PROVISIONAL_NOTE)
    if (kinds == "not_judged").any():
        notes.append(too_few_text((kinds == "not_judged").sum()) + ": no limits or signals")
    return [label(n, 110) for n in notes]


def measure_chart(facts, mid: str, ylabel: str | None = None, height: int = FULL_HEIGHT,
                  named: bool = True) -> Chart | None:
    """One measure's control chart with its icons and marks, ``height`` pixels tall, titled with the measure's name
    unless ``named`` is false (under a heading that names it) (None when it has fewer than two months to draw)."""
    rows = measure_rows(facts, mid)
    if (rows["kind"] == "month").sum() < 2:
        return None
    cat = row_of(facts["catalogue"], mid)
    months = list(rows.loc[rows["kind"] == "month", "month_label"])
    chart = control_layers(months, WIDTH - 120, height, False, _signals(rows), ylabel or _ylabel(cat["unit"]))
    notes = _notes(rows)
    if named:
        title = alt.TitleParams(text=label(cat["short_name"], 70), subtitle=notes or alt.Undefined,
                                subtitleColor=layers.RULE_BLUE, subtitleFontSize=11)
    else:  # the notes alone, as the subtitle would show them
        title = alt.TitleParams(text=notes, color=layers.RULE_BLUE, fontSize=11) if notes else alt.Undefined
    spec = alt.LayerChart(data=drawn(rows), layer=chart.layer, width=chart.width, height=chart.height,
                          title=title)
    return Chart.of(spec, data=numbers_frame(rows))


PRINT_PANELS = 9  # three rows of three: about two thirds of an A4 page


def small_multiples(facts, ids: list[str], cols: int = 3) -> Chart | None:
    """Every listed measure's control chart: live, one at a time, picked from a dropdown; in print, all of them
    as small multiples ``cols`` to a row (a measure with no chart gets a panel saying why). None for no measure, or
    when none has months to draw."""
    if not ids:
        return None
    rows = pd.concat([measure_rows(facts, mid) for mid in ids], ignore_index=True)
    if "month" not in rows or not (rows["kind"] == "month").any():
        return None  # no measure has months to draw: the table beside says why for each
    rows["order"] = rows["measure_id"].map({m: i for i, m in enumerate(ids)})
    width = (WIDTH - 20 * (cols - 1)) // cols - 40  # room for each panel's y axis
    # titles wrap short of the icons over the panel's right corner
    rows["panel"] = rows["measure"].map(lambda m: layers.wrapped(m, width - 40))
    data = drawn(rows)
    months = sorted(set(rows.loc[rows["kind"] == "month", "month"]))
    labels = [month_text(m) for m in months]
    names = [row_of(facts["catalogue"], m)["short_name"] for m in ids]
    choose = layers.pick("measure_pick", list(ids), [label(n) for n in names], "measure: ")
    live = control_layers(labels, WIDTH - 120, FULL_HEIGHT, False, _signals(rows))
    live = (alt.LayerChart(data=data, layer=live.layer, width=live.width, height=live.height)
            .transform_filter("datum.measure_id == measure_pick").add_params(choose))
    panel = control_layers(labels, width, PANEL_HEIGHT, True, _signals(rows))
    # In print, a page at a time: PRINT_PANELS measures to a figure part, so no part outgrows an A4 page.
    parts = []
    for start in range(0, len(ids), PRINT_PANELS):
        part = data[data["measure_id"].isin(ids[start:start + PRINT_PANELS])]
        parts.append(alt.FacetChart(
            data=part, spec=alt.LayerChart(layer=panel.layer, width=width, height=PANEL_HEIGHT),
            facet=alt.Facet("panel:N", title=None, sort=alt.EncodingSortField("order"), header=layers.header(width - 40)),
            columns=cols, spacing={"row": 40, "column": 20},
        ).resolve_scale(y="independent"))
    static = parts[0] if len(parts) == 1 else parts
    return Chart.of(live, data=numbers_frame(rows), static=static)
