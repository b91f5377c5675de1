"""Figures for the incident-response chapter, drawn from its facts as Vega-Lite (:mod:`lib.present.vega`)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.present import fmt_int, fmt_number, label, month_range_label
from lib.present.vega import PALETTE, WIDTH, Chart

from . import layers, week
from .control_room import hour_check_chart


def demand_heatmap(hour_day: pd.DataFrame) -> Chart:
    """Incidents per hour by hour of day × day of week (facts ``irt_hour_day``)."""
    return week.heatmap(hour_day, "incidents_per_hour", "incidents per hour")


def cover(requirement: pd.DataFrame, cover_long: pd.DataFrame) -> Chart:
    """Officers needed on duty by hour of the week against each pattern's cover."""
    covers = {label(name, 40): g.sort_values("how")["officers"].to_numpy()
              for name, g in cover_long.groupby("pattern", sort=False)}
    return week.cover_chart(requirement["officers_needed"], covers, "needed", "officers on duty")


def _number_rule(value, name: str, dash: list[int], row: int = 0):
    """A vertical rule at an establishment, labelled above the plot (``row`` 1 a line higher, so two close rules'
    labels do not run together), or nothing when it is not given."""
    if value is None or pd.isna(value):
        return []
    frame = pd.DataFrame({"x": [float(value)], "what": [f"{name} {fmt_int(value)}"]})
    base = alt.Chart(frame).encode(x="x:Q", tooltip=[layers.tip("what", "establishment")])
    return [base.mark_rule(color="#555555", strokeDash=dash, strokeWidth=1),
            base.mark_text(align="left", dx=3, y=-6 - 13 * row, fontSize=10, color="#333333").encode(text="what:N")]


def waterfall(establishment: pd.DataFrame, current) -> Chart:
    """Establishment per pattern built up from reactive demand, pattern fit and proactive time."""
    steps = [("reactive_demand", "reactive demand"), ("pattern_over_cover", "pattern over-cover"),
             ("protected_proactive_time", "protected proactive time beyond the over-cover")]
    e = establishment.reset_index(drop=True)
    frame = pd.concat([pd.DataFrame({"pattern": e["pattern"].map(label), "order": e.index, "step": name, "step_no": k,
                                     "officers": e[col].astype(float), "establishment": e["establishment"].astype(float)})
                       for k, (col, name) in enumerate(steps)], ignore_index=True)
    frame["officers_text"] = frame["officers"].map(lambda v: fmt_number(v, 1))
    frame["establishment_text"] = frame["establishment"].map(fmt_int)
    patterns = list(dict.fromkeys(frame["pattern"]))
    names = [name for _, name in steps]
    y = alt.Y("pattern:N", sort=patterns, title=None, axis=alt.Axis(labelLimit=230))
    tooltip = [layers.tip("pattern", "pattern"), layers.tip("step", "step"), layers.tip("officers_text", "officers"),
               layers.tip("establishment_text", "establishment")]
    bars = alt.Chart(layers.rounded(frame)).mark_bar(height=22).encode(
        x=alt.X("officers:Q", stack="zero", title="officers (establishment)"), y=y,
        color=alt.Color("step:N", sort=names, title=None, scale=alt.Scale(domain=names, range=PALETTE[:3]),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320)),
        order=alt.Order("step_no:Q"), tooltip=tooltip)
    totals = (alt.Chart(layers.rounded(frame)).transform_filter("datum.step_no == 0")
              .mark_text(align="left", dx=4, fontSize=11)
              .encode(x="establishment:Q", y=y, text="establishment_text:N", tooltip=tooltip))
    chart = alt.layer(bars, totals, *_number_rule(current, "current establishment", [5, 3])).properties(
        width=WIDTH - 280, height=40 * len(patterns) + 10)
    data = frame[["pattern", "step", "officers", "establishment"]]
    return Chart.of(chart, data=layers.rounded(data))


def response_times(histogram: pd.DataFrame) -> Chart:
    """Distribution of response times by grade, with the targets (facts ``irt_response_hist``)."""
    frame = histogram.copy()
    grades = list(dict.fromkeys(frame["grade"]))
    frame["minutes_text"] = [f"{fmt_number(a, 1)} to {fmt_number(b, 1)} minutes"
                             for a, b in zip(frame["from_minutes"], frame["to_minutes"])]
    frame["incidents_text"] = frame["incidents"].map(fmt_int)
    frame["target_text"] = frame["target_minutes"].map(lambda v: f"{v:g} minutes")
    colour = alt.Color("grade:N", sort=grades, legend=None, scale=alt.Scale(domain=grades, range=PALETTE[: len(grades)]))
    tooltip = [layers.tip("grade", "grade"), layers.tip("minutes_text", "first arrival"),
               layers.tip("incidents_text", "incidents"), layers.tip("target_text", "target")]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("from_minutes:Q", title="minutes to first arrival"), x2="to_minutes:Q",
        y=alt.Y("incidents:Q", title="incidents"), color=colour, tooltip=tooltip)
    target = alt.Chart().mark_rule(strokeDash=[5, 3], color="black").encode(
        x="mean(target_minutes):Q", tooltip=[layers.tip("grade", "grade"), layers.tip("target_text", "target")])
    width = (WIDTH - 40) // len(grades) - 60
    chart = alt.layer(bars, target).properties(width=width, height=180).facet(
        data=layers.rounded(frame),
        column=alt.Column("grade:N", sort=grades, title=None, header=alt.Header(labelFontSize=11, labelAnchor="start")),
    ).resolve_scale(x="independent", y="independent")
    data = frame[["grade", "from_minutes", "to_minutes", "incidents", "target_minutes"]]
    return Chart.of(chart, data=layers.rounded(data))


def sensitivity(sens: pd.DataFrame, required: float, current=None, proposed=None) -> Chart:
    """Tornado chart: the required establishment with each assumption at its low and high value (facts
    ``irt_sensitivity``), the stated requirement and the current and proposed establishments as lines."""
    s = sens.reset_index(drop=True)
    frame = pd.concat([pd.DataFrame({"what": s["what"].map(label), "end": f"assumption at its {end} value",
                                     "setting": [f"{fmt_number(v, 1)} {u}" for v, u in zip(s[end], s["unit"])],
                                     "at": s[f"at_{end}"].astype(float), "required": float(required)})
                       for end in ("low", "high")], ignore_index=True)
    frame["at_text"] = frame["at"].map(fmt_int)
    frame["required_text"] = fmt_int(required)
    assumptions = list(dict.fromkeys(frame["what"]))
    ends = ["assumption at its low value", "assumption at its high value"]
    y = alt.Y("what:N", sort=assumptions, title=None, axis=alt.Axis(labelLimit=250))
    tooltip = [layers.tip("what", "assumption"), layers.tip("setting", "set at"),
               layers.tip("at_text", "establishment required"), layers.tip("required_text", "as stated")]
    base = alt.Chart(layers.rounded(frame))
    bars = base.mark_bar(height=16).encode(
        x=alt.X("required:Q", title=f"establishment required (officers; as stated: {fmt_int(required)})",
                scale=alt.Scale(zero=False)),
        x2="at:Q", y=y, yOffset=alt.YOffset("end:N", sort=ends),
        color=alt.Color("end:N", title=None, sort=ends, scale=alt.Scale(domain=ends, range=PALETTE[:2]),
                        legend=alt.Legend(orient="bottom")), tooltip=tooltip)
    labels_ = base.mark_text(fontSize=10, align="left", dx=3).encode(
        x="at:Q", y=y, yOffset=alt.YOffset("end:N", sort=ends), text="at_text:N", tooltip=tooltip)
    stated = alt.Chart(pd.DataFrame({"x": [float(required)]})).mark_rule(color="black").encode(x="x:Q")
    chart = alt.layer(bars, labels_, stated, *_number_rule(current, "current", [5, 3]),
                      *_number_rule(proposed, "proposed", [2, 2], row=1)).properties(width=WIDTH - 300,
                                                                              height=44 * len(assumptions))
    data = frame[["what", "end", "setting", "at", "required"]].rename(columns={"at": "establishment_required",
                                                                              "required": "as_stated"})
    return Chart.of(chart, data=layers.rounded(data))


def workforce(months: pd.DataFrame) -> Chart:
    """Strength recorded and projected against the requirement (facts ``irt_workforce``)."""
    m = months.reset_index(drop=True).copy()
    m["month_label"] = [month_range_label(v, v) for v in m["month"].astype(str)]
    m["strength_text"] = m["strength"].map(fmt_int)
    m["required_text"] = m["required"].map(fmt_int)
    m["change_text"] = [f"+{fmt_int(j)} joined, −{fmt_int(v)} left" for j, v in zip(m["joiners"], m["leavers"])]
    projected = m["kind"].eq("projected")
    m["projected_line"] = projected | (projected.shift(-1, fill_value=False) & ~projected)
    labels = list(m["month_label"])
    x = alt.X("month_label:O", title=None, **layers.month_axis(labels, 6))
    tooltip = [layers.tip("month_label", "month"), layers.tip("kind", "strength"), layers.tip("strength_text", "officers"),
               layers.tip("change_text", "joiners and leavers"), layers.tip("required_text", "required")]
    base = alt.Chart(layers.rounded(m)).encode(x=x, tooltip=tooltip)
    y = alt.Y("strength:Q", title="officers", scale=alt.Scale(zero=False))
    chart = alt.layer(
        base.transform_filter("datum.kind == 'recorded'").mark_line(color=PALETTE[0], strokeWidth=1.5).encode(y=y),
        base.transform_filter("datum.projected_line").mark_line(color=PALETTE[0], strokeWidth=1.5, strokeDash=[5, 3])
        .encode(y=y),
        base.mark_line(color="black", strokeWidth=1, interpolate="step-after").encode(y="required:Q"),
        base.mark_point(opacity=0, size=40).encode(y=y),
    ).properties(width=WIDTH - 60, height=220,
                 title=alt.TitleParams("", subtitle="blue: strength, recorded (solid) and projected (dashed); black: "
                                                    "the requirement", subtitleFontSize=11))
    data = m[["month", "kind", "strength", "joiners", "leavers", "required"]]
    return Chart.of(chart, data=layers.rounded(data))


def model_check(hours: pd.DataFrame) -> Chart:
    """Attended in target, achieved against the model's prediction, by hour of the week (facts ``irt_check_hours``)."""
    frame = pd.concat([pd.DataFrame({"grade": hours["grade"], "how": hours["how"], "series": series,
                                     "pct": hours[col], "n": hours["incidents"]})
                       for series, col in (("achieved", "achieved_pct"), ("model, officers in post", "predicted_pct"))],
                      ignore_index=True)
    grades = list(dict.fromkeys(hours["grade"]))
    frame["order"] = frame["grade"].map({g: i for i, g in enumerate(grades)})
    frame = frame.sort_values(["order", "series", "how"], kind="stable").drop(columns="order")
    return hour_check_chart(frame, "grade", "incidents")
