"""Figures for the force-management chapter, drawn from its facts as Vega-Lite (:mod:`lib.present.vega`)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.present import fmt_int, fmt_interval, fmt_number, month_range_label
from lib.present.vega import PALETTE, WIDTH, Chart

from . import layers


def forecasts(forecast: pd.DataFrame, prefix: str, ylabel: str) -> Chart:
    """Recorded and forecast months with the 95% interval, one panel per series starting with ``prefix``."""
    names = [n for n in dict.fromkeys(forecast["series"]) if n.startswith(prefix)]
    f = forecast[forecast["series"].isin(names)].copy()
    width = (WIDTH - 40) // 2 - 70
    f["panel"] = f["series"].map(lambda n: layers.wrapped(n.removeprefix(prefix).strip(), width))
    f["order"] = f["series"].map({n: i for i, n in enumerate(names)})
    f["month"] = f["month"].astype(str)
    f["month_label"] = [month_range_label(m, m) for m in f["month"]]
    f["value_text"] = f["value"].map(fmt_int)
    f["interval_text"] = [fmt_interval(lo, hi, "count") if k == "forecast" else "" for lo, hi, k in
                          zip(f["lower"], f["upper"], f["kind"])]
    f = f.sort_values(["order", "month"])
    months = sorted(set(f["month"]))
    labels = [month_range_label(m, m) for m in months]
    x = alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), width)))
    tooltip = [layers.tip("panel", "series"), layers.tip("month_label", "month"), layers.tip("kind", "kind"),
               layers.tip("value_text", ylabel), layers.tip("interval_text", "95% prediction interval")]
    kinds = ["recorded", "forecast"]
    colour = alt.Color("kind:N", title=None, sort=kinds, scale=alt.Scale(domain=kinds, range=PALETTE[:2]),
                       legend=alt.Legend(orient="bottom"))
    base = alt.Chart().encode(x=x, tooltip=tooltip)
    layer = alt.layer(
        base.transform_filter("datum.kind == 'forecast'").mark_area(opacity=0.25, color=PALETTE[1])
        .encode(y=alt.Y("lower:Q", title=ylabel), y2="upper:Q"),
        base.mark_line(strokeWidth=1.3).encode(y=alt.Y("value:Q", title=ylabel, scale=alt.Scale(zero=True)),
                                               color=colour),
        base.mark_point(opacity=0, size=40).encode(y="value:Q"),
    ).properties(width=width, height=140)
    chart = alt.FacetChart(
        data=layers.rounded(f), spec=layer, columns=2, spacing={"row": 20, "column": 30},
        facet=alt.Facet("panel:N", sort=alt.EncodingSortField("order"), title=None,
                        header=layers.header(width)),
    ).resolve_scale(y="independent").properties(
        title=alt.TitleParams("", subtitle="shaded: the 95% prediction interval", subtitleFontSize=11))
    data = f[["series", "month", "kind", "value", "lower", "upper"]]
    return Chart.of(chart, data=layers.rounded(data))


def requirement(req: pd.DataFrame, years: pd.DataFrame) -> Chart:
    """Staff required per forecast year (with the range) against capacity, one panel per role."""
    labels = years.drop_duplicates("year").set_index("year")
    r = req.copy()
    roles = list(dict.fromkeys(r["role"]))
    r["years"] = [month_range_label(labels.loc[k, "first_month"], labels.loc[k, "last_month"]) for k in r["year"]]
    r["required_text"] = r["required"].map(lambda v: fmt_number(v, 1))
    r["range_text"] = [f"{fmt_number(a, 1)} to {fmt_number(b, 1)}" for a, b in zip(r["lower"], r["upper"])]
    r["capacity_text"] = r["capacity"].map(lambda v: fmt_number(v, 1))
    order = list(dict.fromkeys(r["years"]))
    # "Jan–Dec 2021" on two lines: four years' labels side by side ran into one another
    x = alt.X("years:N", sort=order, title=None,
              axis=alt.Axis(labelAngle=0, labelFontSize=10, labelExpr="split(datum.label, ' ')"))
    tooltip = [layers.tip("role", "role"), layers.tip("years", "year"), layers.tip("required_text", "required"),
               layers.tip("range_text", "range"), layers.tip("capacity_text", "capacity")]
    series = ["required", "capacity"]
    colour = alt.Color("what:N", title=None, sort=series, scale=alt.Scale(domain=series, range=PALETTE[:2]),
                       legend=alt.Legend(orient="bottom"))
    base = alt.Chart().encode(x=x, tooltip=tooltip)
    layer = alt.layer(
        base.transform_calculate(what="'required'").mark_bar(width={"band": 0.6})
        .encode(y=alt.Y("required:Q", title="staff", scale=alt.Scale(zero=True)), color=colour),
        base.mark_rule(color="black").encode(y="lower:Q", y2="upper:Q"),
        base.transform_calculate(what="'capacity'").mark_line(point=True, strokeWidth=1.5)
        .encode(y="capacity:Q", color=colour),
    ).properties(width=(WIDTH - 40) // max(len(roles), 1) - 70, height=170)
    chart = alt.FacetChart(
        data=layers.rounded(r), spec=layer, columns=len(roles),
        facet=alt.Facet("role:N", sort=roles, title=None, header=alt.Header(labelFontSize=11, labelAnchor="start")),
    ).resolve_scale(y="independent")
    data = r[["role", "year", "years", "required", "lower", "upper", "capacity"]]
    return Chart.of(chart, data=layers.rounded(data))
