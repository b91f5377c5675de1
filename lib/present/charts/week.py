"""Charts over the 168 hours of a week: the hour's words, the day axis, cover against need, heatmaps."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.present import fmt_int, fmt_number, label
from lib.present.vega import PALETTE, WIDTH, Chart
from lib.vocabulary import DAYS, HOURS_PER_WEEK

from . import layers

NEEDED_GREY = "#BBBBBB"
COVER_COLOURS = [PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[5]]


def hour_text(hour: int) -> str:
    """'09:00–10:00'."""
    return f"{int(hour):02d}:00–{(int(hour) + 1) % 24:02d}:00"


def how_text(how: int) -> str:
    """An hour of the week (0 = Monday 00:00) in words: 'Mon 09:00–10:00'."""
    return f"{DAYS[int(how) // 24]} {hour_text(int(how) % 24)}"


def week_x(title: str | None = None) -> alt.X:
    """The hour of the week (field ``how``), labelled with the day at each midnight."""
    days = "[" + ", ".join(f"'{d}'" for d in DAYS) + "]"
    return alt.X("how:Q", title=title, scale=alt.Scale(domain=[0, HOURS_PER_WEEK], nice=False),
                 axis=alt.Axis(values=list(range(0, HOURS_PER_WEEK, 24)), labelExpr=f"{days}[floor(datum.value / 24)]",
                               labelAlign="left", grid=True))


def cover_chart(needed, covers: dict, needed_label: str, ylabel: str) -> Chart:
    """Step chart over the 168 hours of a week: what is needed (grey area) and each roster's cover (lines).

    ``needed``: 168 numbers; ``covers``: a name (plain text) and 168 numbers each."""
    how = range(HOURS_PER_WEEK)
    need = pd.DataFrame({"how": how, "series": needed_label, "value": pd.Series(needed, dtype=float).to_numpy()})
    lines = pd.concat([pd.DataFrame({"how": how, "series": label(name), "value": pd.Series(c, dtype=float).to_numpy()})
                       for name, c in covers.items()], ignore_index=True)
    frame = pd.concat([need, lines], ignore_index=True)
    frame["hour"] = frame["how"].map(how_text)
    frame["value_text"] = frame["value"].map(fmt_int)
    wide = frame.pivot(index="how", columns="series", values="value_text")
    frame["needed_text"] = frame["how"].map(wide[needed_label])
    names = [needed_label] + list(dict.fromkeys(lines["series"]))
    colour = layers.series_colour(names, palette=[NEEDED_GREY] + COVER_COLOURS)
    tooltip = [layers.tip("hour", "hour"), layers.tip("series", "series"), layers.tip("value_text", ylabel),
               layers.tip("needed_text", needed_label)]
    base = alt.Chart(layers.rounded(frame))
    area = (base.transform_filter(alt.FieldEqualPredicate(field="series", equal=needed_label))
            .mark_area(interpolate="step", opacity=0.6)
            .encode(x=week_x(), y=alt.Y("value:Q", title=ylabel), color=colour, tooltip=tooltip))
    step = (base.transform_filter(alt.FieldOneOfPredicate(field="series", oneOf=names[1:]))
            .mark_line(interpolate="step", strokeWidth=1.5)
            .encode(x=week_x(), y="value:Q", color=colour, tooltip=tooltip))
    points = (base.mark_point(opacity=0, size=30).encode(x=week_x(), y="value:Q", tooltip=tooltip))
    chart = alt.layer(area, step, points).properties(width=WIDTH - 40, height=220)
    data = frame[["how", "hour", "series", "value"]].rename(columns={"how": "hour_of_week", "hour": "hour_text"})
    return Chart.of(chart, data=layers.rounded(data))


def heatmap(frame: pd.DataFrame, value: str, title: str, facet: str | None = None, digits: int = 1) -> Chart:
    """Mean per hour by hour of day (rows) and day of week (columns), a panel per ``facet`` value if given.

    ``frame``: columns hour, day, ``value`` (and ``facet``)."""
    data = frame[[c for c in (facet, "day", "hour", value) if c]].copy()
    data["hour_text"] = data["hour"].map(hour_text)
    data["value_text"] = data[value].map(lambda v: fmt_number(v, digits))
    tooltip = ([layers.tip(facet, facet)] if facet else []) + [
        layers.tip("day", "day"), layers.tip("hour_text", "hour"), layers.tip("value_text", title)]
    panels = data[facet].nunique() if facet else 1
    width = (WIDTH - 90 - 90 * panels) // panels  # room for the hour axis and each panel's legend
    chart = alt.Chart(layers.rounded(data)).mark_rect(stroke="white", strokeWidth=0.3).encode(
        x=alt.X("day:O", sort=list(DAYS), title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("hour:O", title="hour of day", sort="ascending"),
        color=alt.Color(f"{value}:Q", title=title, scale=alt.Scale(scheme="blues", zero=True),
                        legend=alt.Legend(orient="right", gradientLength=160)),
        tooltip=tooltip,
    ).properties(width=width, height=300)
    if facet:
        order = list(dict.fromkeys(data[facet]))
        chart = chart.facet(column=alt.Column(f"{facet}:N", sort=order, title=None,
                                              header=alt.Header(labelFontSize=11, labelAnchor="start")))
    return Chart.of(chart, data=layers.rounded(data.drop(columns=["hour_text", "value_text"])))
