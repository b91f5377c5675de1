"""Figures for the control-room chapter, drawn from its facts as Vega-Lite (:mod:`lib.present.vega`)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.present import fmt_int, fmt_money, fmt_percent, label
from lib.present.vega import PALETTE, WIDTH, Chart

from . import layers, week


def demand_heatmaps(profile: pd.DataFrame, routes: list[str]) -> Chart:
    """Mean contacts per hour by hour of day × day of week, one panel per route (facts ``fcr_profile``)."""
    frame = profile[profile["route"].isin(routes)].sort_values(["route", "day", "hour"], key=_route_order(routes))
    return week.heatmap(frame, "contacts_per_hour", "mean contacts per hour", facet="route")


def _route_order(routes: list[str]):
    def key(col: pd.Series) -> pd.Series:
        return col.map({r: i for i, r in enumerate(routes)}) if col.name == "route" else col
    return key


def cover_against_requirement(requirement: pd.DataFrame) -> Chart:
    """Rostered staff needed by hour of the week, and the current pattern's and the best fit's cover."""
    return week.cover_chart(requirement["rostered"], {"current pattern": requirement["current_cover"],
                                                      "best fit": requirement["best_fit_cover"]},
                            "needed (rostered)", "call handlers")


def service_level_by_hour(requirement: pd.DataFrame, routes: list[str], targets: dict[str, float]) -> Chart:
    """Service level the model gives the current pattern by hour of the week, against each route's target."""
    frame = pd.concat([pd.DataFrame({"how": requirement["how"], "route": route,
                                     "service_level": requirement[f"sl_now_{route}"].astype(float),
                                     "target": 100 * float(targets[route])}) for route in routes], ignore_index=True)
    frame["hour"] = frame["how"].map(week.how_text)
    frame["sl_text"] = frame["service_level"].map(fmt_percent)
    frame["target_text"] = frame["target"].map(lambda v: fmt_percent(v, 0))
    colour = alt.Color("route:N", title="route", sort=list(routes),
                       scale=alt.Scale(domain=list(routes), range=PALETTE[: len(routes)]))
    tooltip = [layers.tip("hour", "hour"), layers.tip("route", "route"),
               layers.tip("sl_text", "modelled, current pattern"), layers.tip("target_text", "target")]
    base = alt.Chart(layers.rounded(frame))
    lines = base.mark_line(interpolate="step", strokeWidth=1.3).encode(
        x=week.week_x(), y=alt.Y("service_level:Q", title="% answered in target", scale=alt.Scale(domain=[0, 100])),
        color=colour, tooltip=tooltip)
    points = base.mark_point(opacity=0, size=30).encode(x=week.week_x(), y="service_level:Q", tooltip=tooltip)
    rules = base.mark_rule(strokeDash=[5, 3], strokeWidth=1).encode(
        y="mean(target):Q", color=colour, tooltip=[layers.tip("route", "route"), layers.tip("target_text", "target")])
    chart = alt.layer(lines, points, rules).properties(width=WIDTH - 40, height=220)
    data = frame[["route", "how", "hour", "service_level", "target"]].rename(columns={"how": "hour_of_week",
                                                                                     "hour": "hour_text"})
    return Chart.of(chart, data=layers.rounded(data))


def hour_check_chart(frame: pd.DataFrame, by: str, n_title: str) -> Chart:
    """Achieved against predicted % in target by hour of the week, a row of panels per ``by`` (route or grade).

    ``frame``: columns ``by``, how, series (achieved first), pct, n."""
    frame = frame.copy()
    frame["hour"] = frame["how"].map(week.how_text)
    frame["pct_text"] = frame["pct"].map(fmt_percent)
    frame["n_text"] = frame["n"].map(fmt_int)
    names = list(dict.fromkeys(frame["series"]))
    colour = alt.Color("series:N", title=None, sort=names, scale=alt.Scale(domain=names, range=["#000000"] + PALETTE),
                       legend=alt.Legend(orient="bottom", labelLimit=300))
    dash = alt.StrokeDash("series:N", sort=names, legend=None,
                          scale=alt.Scale(domain=names, range=[[1, 0], [1, 0], [2, 2]][: len(names)]))
    tooltip = [layers.tip(by, by), layers.tip("hour", "hour"), layers.tip("series", "series"),
               layers.tip("pct_text", "% in target"), layers.tip("n_text", n_title)]
    base = alt.Chart().encode(x=week.week_x(), y=alt.Y("pct:Q", title="% in target", scale=alt.Scale(domain=[0, 100])),
                              tooltip=tooltip)
    layer = alt.layer(base.mark_line(interpolate="step", strokeWidth=1.2).encode(color=colour, strokeDash=dash),
                      base.mark_point(opacity=0, size=30)).properties(width=WIDTH - 60, height=150)
    order = list(dict.fromkeys(frame[by]))
    chart = alt.FacetChart(data=layers.rounded(frame), spec=layer,
                           facet=alt.Facet(f"{by}:N", sort=order, title=None,
                                           header=alt.Header(labelFontSize=11, labelAnchor="start",
                                                             labelOrient="top")),
                           columns=1, spacing=16)
    data = frame[[by, "how", "hour", "series", "pct", "n"]].rename(columns={"how": "hour_of_week", "hour": "hour_text"})
    return Chart.of(chart, data=layers.rounded(data))


def model_check(hours: pd.DataFrame, routes: list[str]) -> Chart:
    """Achieved against predicted service level by hour of the week, one panel per route (facts ``fcr_check_hours``)."""
    styles = {"telephony export": "model, staff logged on", "rostered pattern": "model, rostered pattern"}
    parts = []
    for route in routes:
        h = hours[hours["route"] == route]
        first = h[h["source"] == h["source"].iloc[0]]
        parts.append(pd.DataFrame({"route": route, "how": first["how"], "series": "achieved",
                                   "pct": first["achieved_pct"], "n": first["calls"]}))
        parts += [pd.DataFrame({"route": route, "how": part["how"], "series": styles.get(source, label(source)),
                                "pct": part["predicted_pct"], "n": part["calls"]})
                  for source, part in h.groupby("source", sort=False)]
    return hour_check_chart(pd.concat(parts, ignore_index=True), "route", "calls")


def cost_curve(scenarios: pd.DataFrame, routes: list[str]) -> Chart:
    """Demand v cost: annual cost against the service level each scenario achieves."""
    frame = pd.concat([pd.DataFrame({"scenario": scenarios["scenario"].map(label), "route": route,
                                     "cost_million": scenarios["annual_cost"].astype(float) / 1e6,
                                     "annual_cost": scenarios["annual_cost"].astype(float),
                                     "service_level": scenarios[f"sl_{route}"].astype(float),
                                     "best_fit": scenarios["scenario"].str.startswith("best fit").to_numpy()})
                       for route in routes], ignore_index=True)
    frame["cost_text"] = frame["annual_cost"].map(fmt_money)
    frame["sl_text"] = frame["service_level"].map(fmt_percent)
    frame["series"] = frame["route"] + ", " + frame["best_fit"].map({True: "best fit scaled", False: "current pattern"})
    frame["short"] = frame["scenario"].str.replace("best fit × ", "", regex=False)
    colour = alt.Color("route:N", title="route", sort=list(routes),
                       scale=alt.Scale(domain=list(routes), range=PALETTE[: len(routes)]))
    shape = alt.Shape("route:N", title="route", sort=list(routes),
                      scale=alt.Scale(domain=list(routes), range=["circle", "square", "triangle-up", "diamond"][: len(routes)]))
    tooltip = [layers.tip("scenario", "scenario"), layers.tip("route", "route"), layers.tip("cost_text", "annual cost"),
               layers.tip("sl_text", "answered in target")]
    x = alt.X("cost_million:Q", title="annual cost (£ million)", scale=alt.Scale(zero=False))
    y = alt.Y("service_level:Q", title="% answered in target", scale=alt.Scale(zero=False))
    base = alt.Chart(layers.rounded(frame)).encode(x=x, y=y, tooltip=tooltip)
    best = base.transform_filter("datum.best_fit")
    chart = alt.layer(
        best.mark_line(strokeWidth=1.3).encode(color=colour, detail="route:N", order="cost_million:Q"),
        best.mark_point(filled=True, size=50).encode(color=colour, shape=shape),
        base.transform_filter("!datum.best_fit").mark_point(filled=False, size=70, strokeWidth=1.5)
        .encode(color=colour, shape=shape),
        base.transform_filter(alt.FieldEqualPredicate(field="route", equal=routes[0]))
        .mark_text(align="left", dx=5, dy=-6, fontSize=10).encode(text="short:N"),
    ).properties(width=WIDTH - 60, height=240,
                 title=alt.TitleParams("", subtitle="filled, joined: the best fit scaled; hollow: the current pattern",
                                       subtitleFontSize=11))
    data = frame[["scenario", "route", "annual_cost", "service_level"]]
    return Chart.of(chart, data=layers.rounded(data))


def forecast_plot(daily: pd.DataFrame, routes: list[str]) -> Chart:
    """Daily contacts: the last 8 weeks of history and the next month's forecast (facts ``fcr_daily``)."""
    frame = daily[daily["route"].isin(routes)].copy()
    frame["date"] = frame["date"].astype(str)
    frame["day_text"] = pd.to_datetime(frame["date"]).dt.strftime("%a %-d %b %Y")
    frame["contacts_text"] = frame["contacts"].map(fmt_int)
    frame["series"] = frame["route"].astype(str) + " " + frame["kind"].astype(str)
    frame = frame.sort_values(["route", "kind", "date"], key=_route_order(routes))
    colour = alt.Color("route:N", title="route", sort=list(routes),
                       scale=alt.Scale(domain=list(routes), range=PALETTE[: len(routes)]))
    dash = alt.StrokeDash("kind:N", title=None, sort=["actual", "forecast"],
                          scale=alt.Scale(domain=["actual", "forecast"], range=[[1, 0], [5, 3]]))
    tooltip = [layers.tip("day_text", "day"), layers.tip("route", "route"), layers.tip("kind", "kind"),
               layers.tip("contacts_text", "contacts")]
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%-d %b", formatType="utc"))
    base = alt.Chart(layers.rounded(frame)).encode(x=x, y=alt.Y("contacts:Q", title="contacts per day"), tooltip=tooltip)
    chart = alt.layer(base.mark_line(strokeWidth=1.3).encode(color=colour, strokeDash=dash, detail="series:N"),
                      base.mark_point(opacity=0, size=30)).properties(width=WIDTH - 60, height=220)
    return Chart.of(chart, data=frame[["route", "kind", "date", "contacts"]])
