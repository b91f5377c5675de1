"""The recorded-crime chapter: crime by type and month, outcomes by Home Office group, the solved rate.

Built from data.police.uk's street-level files as downloaded (or a force's export with the same
columns), and its outcomes files when given. Anti-social behaviour is shown apart: it is not a
crime. The chapter's month is the period, or, when the crime data stop short of it (an extract),
the latest month they hold, and the page says which. Outcomes arrive for months after a crime, so
the latest ``outcomes.lag_months`` months of the solved rate are provisional.

Facts: ``crime_by_month`` (month, crime type, crimes; months the data cover), ``asb_by_month``,
``crime_outcomes`` (the chapter's month: outcome group and category, crimes, share, positive) and
``crime_key`` (the chapter's month, and its totals).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.config.schema import Params
from lib.inputs.loading import Loaded
from lib.measures import derived
from lib.present import NO_DATA, fmt_int, fmt_percent, month_label, month_range_label, table, text
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import WIDTH, Chart

NEEDS = ("crimes",)
AFTER = ("measures",)  # the solved rate, quoted from the measures' facts


def chapter_month(covered: tuple[str, ...], params: Params) -> str:
    """The period when the data cover it, else the latest month they hold before it ('' if none)."""
    before = [m for m in covered if m <= params.period]
    return params.period if params.period in covered else (max(before) if before else "")


def month_lead(key: pd.Series, what: str) -> str:
    """How a chapter opens on its month (``key``: month, is_period, first_month, last_month): "In Dec 2019";
    when the data stop short of the period, where they run and "In <month>, the latest month they hold,"; a
    whole sentence when they hold no month up to the period."""
    if not key["month"]:
        return f"The {what} data hold no month up to the period."
    if key["is_period"]:
        return f"In {month_label(key['month'])}"
    return (f"The {what} data stop short of the period: they run from {month_label(key['first_month'])} to "
            f"{month_label(key['last_month'])}. In {month_label(key['month'])}, the latest month they hold,")


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The chapter's facts (module docstring)."""
    all_crimes = loaded["crimes"].frame
    covered = loaded["crimes"].coverage or tuple(sorted(all_crimes["Month"].dropna().unique()))
    held = [m for m in derived.months(params) if m in covered]
    # Every month from the first the data hold to the last, a month without a file among them: "no data".
    span = [m for m in derived.months(params) if held and held[0] <= m <= held[-1]]
    c = derived.crimes(loaded, params)
    by_type = pd.crosstab(c["Month"], c["Crime type"]).reindex(span, fill_value=0).astype(float)
    by_type.loc[~by_type.index.isin(held)] = float("nan")
    by_month = by_type.rename_axis("month").reset_index().melt(id_vars="month", var_name="crime_type",
                                                                value_name="crimes")
    asb = all_crimes[all_crimes["Crime type"] == "Anti-social behaviour"]["Month"].value_counts()
    asb_by_month = pd.DataFrame({"month": span, "incidents": [float(asb.get(m, 0)) if m in held else float("nan")
                                                              for m in span]})
    months = held
    month = chapter_month(tuple(months), params)
    now = c[c["Month"] == month]
    groups = now["Last outcome category"].map(params.outcomes.group_of)
    table_ = (pd.DataFrame({"group": groups.replace("", "no outcome recorded"),
                            "category": now["Last outcome category"].fillna("(blank)")})
              .value_counts().rename("crimes").reset_index())
    table_["share"] = 100 * table_["crimes"] / max(len(now), 1)
    table_["positive"] = table_["group"].isin(params.outcomes.positive)
    order = {g: i for i, g in enumerate(list(params.outcomes.groups) + ["not in the mapping", "no outcome recorded"])}
    table_ = table_.sort_values(["group", "crimes", "category"], key=lambda s: s.map(order) if s.name == "group" else
                                (-s if s.name == "crimes" else s), kind="stable").reset_index(drop=True)
    key = pd.DataFrame([{"month": month, "is_period": month == params.period, "crimes": len(now),
                         "asb": int(asb.get(month, 0)), "first_month": months[0] if months else "",
                         "last_month": months[-1] if months else ""}])
    return {"crime_by_month": by_month, "asb_by_month": asb_by_month, "crime_outcomes": table_, "crime_key": key}


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(loaded, params)


# --- Presenting the facts ------------------------------------------------------------------------------

def by_type(facts, last: int = 13) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes by type (rows) in the last months the data cover (columns), with anti-social behaviour apart."""
    long = facts["crime_by_month"]
    wide = long.pivot(index="crime_type", columns="month", values="crimes").iloc[:, -last:]
    wide.loc["all crimes"] = wide.sum(min_count=1)  # a month without a file stays "no data"
    asb = facts["asb_by_month"].set_index("month")["incidents"]
    wide.loc["anti-social behaviour (not a crime)"] = [asb.get(m, float("nan")) for m in wide.columns]
    # months as "Dec 18", as on the districts page: a year of months fits the page
    counts = wide.map(fmt_int).rename(columns=lambda m: pd.Period(m, "M").strftime("%b %y"))
    return counts.rename_axis(index="type", columns=None).reset_index(), long


def outcomes(facts, params: Params):
    """The chapter month's crimes by outcome group and category (a table), or why there is none."""
    key = facts["crime_key"].iloc[0]
    if not key["month"]:
        return text("Outcomes: no crime data up to the period.")
    o = facts["crime_outcomes"]
    shown = lay_out(o, [Column("outcome group", "group"), Column("category", "category"),
                         Column("crimes", "crimes", fmt_int), Column("share", "share", fmt_percent),
                         Column("solved?", "positive", lambda v: "yes" if v else "")])
    return table((shown, o), caption=f"Crimes of {month_label(key['month'])} by their latest outcome, in the Home "
                                      "Office's outcome groups")


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    key = facts["crime_key"].iloc[0]
    p = facts["measure_period"].set_index("measure_id")
    months = facts["measure_months"]
    solved = months[(months["measure_id"] == "crimes_solved") & (months["month"] == key["month"])]
    s = solved.iloc[0] if len(solved) else None
    solved_text = NO_DATA if s is None or pd.isna(s["value"]) else \
        f"{fmt_percent(s['value'])} of them (n = {fmt_int(s['n'])})" + (" so far (provisional)" if s["provisional"] else "")
    which = month_lead(key, "crime")
    positive = ", ".join(params.outcomes.positive)
    return {"which_month": which, "crimes": fmt_int(key["crimes"]), "asb": fmt_int(key["asb"]),
            "solved": solved_text, "positive_groups": positive, "lag": fmt_int(params.outcomes.lag_months),
            "solved_status": p.at["crimes_solved", "status"] if "crimes_solved" in p.index else "not in the catalogue"}


# --- Figures -----------------------------------------------------------------------------------------
def crimes_by_month(by_month: pd.DataFrame, asb: pd.DataFrame) -> Chart:
    """Crimes (anti-social behaviour apart) per month the data cover."""
    total = by_month.groupby("month", sort=True)["crimes"].sum(min_count=1)  # a month without a file: no bar
    months = [str(m) for m in total.index]
    asb_ = asb.assign(month=asb["month"].astype(str)).set_index("month")["incidents"].reindex(months)
    names = ["crimes", "anti-social behaviour (not a crime)"]
    frame = pd.concat([pd.DataFrame({"month": months, "series": names[0], "count": total.to_numpy(dtype=float)}),
                       pd.DataFrame({"month": months, "series": names[1], "count": asb_.to_numpy(dtype=float)})],
                      ignore_index=True)
    frame["month_label"] = [month_range_label(m, m) for m in frame["month"]]
    frame["count_text"] = frame["count"].map(fmt_int)
    labels = [month_range_label(m, m) for m in months]
    x = alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), WIDTH - 60)))
    chart = alt.Chart(layers.rounded(frame)).transform_filter("isValid(datum.count)").mark_bar().encode(
        x=x, xOffset=alt.XOffset("series:N", sort=names),
        y=alt.Y("count:Q", title="per month"),
        color=layers.series_colour(names),
        tooltip=[layers.tip("month_label", "month"), layers.tip("series", "what"), layers.tip("count_text", "count")],
    ).properties(width=WIDTH - 60, height=220)
    return Chart.of(chart, data=frame[["month", "series", "count"]])
