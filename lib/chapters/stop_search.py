"""The stop-and-search chapter: searches by month, what was searched for, what followed, and who.

Built from data.police.uk's stop-and-search files as downloaded. Counts of searches are counts of
people, so every table of them goes through disclosure control (:mod:`lib.stats.disclosure`). The
chapter's month is the period, or the latest month the data hold when they stop short of it.

Facts: ``searches_by_month`` (months the data cover), ``searches_by_object``, ``searches_by_outcome``
and ``stop_search_people`` (by age range and officer-defined ethnicity) for the chapter's month, as
published after suppression (never the raw counts), and ``search_key``.

With resident populations by ethnicity (``inputs.populations``, the force area's), ``stop_search_ethnicity``:
searches per 1,000 residents of each officer-defined ethnicity over the 12 months to the chapter's month (the
months the data hold of them), with the exact Poisson (Garwood) 95% interval, and the **disproportionality
ratio** — the group's rate over White people's rate — with Katz's log 95% interval
(:mod:`lib.stats.rates`). The counts are published as the one-way table of searches by ethnicity after
disclosure control: a suppressed count has no rate and no ratio (blank in the fact, ``[c]`` on the page), and
searches whose ethnicity was not recorded are counted in the total but have no population, so no rate.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.chapters.crime import chapter_month, month_lead
from lib.config.schema import Params
from lib.inputs import populations as residents
from lib.inputs.loading import Loaded
from lib.inputs.months import month_of
from lib.measures import derived
from lib.present import fmt_int, month_label, month_range_label, table, text
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import PALETTE, WIDTH, Chart
from lib.stats.disclosure import SUPPRESSED, suppress
from lib.stats.rates import poisson_rate, rate_ratio
from lib.vocabulary import AGE_RANGES, OFFICER_ETHNICITIES

NEEDS = ("stop_search",)
AFTER: tuple[str, ...] = ()


def _published(counts: pd.Series, label: str, min_count: int) -> pd.DataFrame:
    """A one-way count of searches as published: small counts suppressed, with the total."""
    frame = counts.rename("searches").to_frame()
    return suppress(frame, min_count).drop(columns="Total").rename_axis(label).reset_index().astype(str)


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The chapter's facts (module docstring)."""
    s = loaded["stop_search"].frame
    month_col = month_of(s["Date"])
    covered = loaded["stop_search"].coverage or tuple(sorted(month_col.dropna().unique()))
    months = [m for m in derived.months(params) if m in covered]
    by_month = month_col.value_counts().reindex(months, fill_value=0)
    month = chapter_month(tuple(months), params)
    now = s[month_col == month]
    out = {"searches_by_month": pd.DataFrame({"month": months, "searches": by_month.to_numpy()}),
           "search_key": pd.DataFrame([{"month": month, "is_period": month == params.period, "searches": len(now),
                                        "first_month": months[0] if months else "",
                                        "last_month": months[-1] if months else ""}])}
    if len(now):
        k = params.disclosure.min_count
        out["searches_by_object"] = _published(now["Object of search"].fillna("not recorded").value_counts().sort_index(),
                                               "object of search", k)
        out["searches_by_outcome"] = _published(now["Outcome"].fillna("not recorded").value_counts().sort_index(),
                                                "outcome", k)
        people = pd.crosstab(now["Age range"].fillna("not recorded"), now["Officer-defined ethnicity"].fillna("not recorded"))
        order = [a for a in (*AGE_RANGES, "not recorded") if a in people.index]
        out["stop_search_people"] = suppress(people.reindex(order).rename_axis(index="age range", columns=None),
                                             k).reset_index(names="age range").astype(str)
    if "populations" in loaded and month:
        window = [m for m in months if m <= month][-12:]
        year = s[month_col.isin(window)]
        counts = year["Officer-defined ethnicity"].fillna("not recorded").value_counts().sort_index()
        table_ = by_ethnicity(counts, residents.by_ethnicity(loaded, params), params.disclosure.min_count)
        out["stop_search_ethnicity"] = table_.assign(first_month=window[0], last_month=window[-1])
    return out


ETHNICITY_COLUMNS = ["ethnicity", "searches_shown", "searches", "population", "rate", "lower", "upper", "ratio",
                     "ratio_lower", "ratio_upper", "population_source"]
REFERENCE = "White"
TOTAL = "Total"


def by_ethnicity(counts: pd.Series, pops: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """Searches per 1,000 residents by ethnicity and the ratio to White people's rate, from published counts
    (module docstring): ``searches_shown`` as published, ``searches`` the number behind it (blank where
    suppressed)."""
    published = _published(counts, "ethnicity", min_count).set_index("ethnicity")["searches"]
    shown = published.map(lambda v: None if v == SUPPRESSED else int(v.replace(",", "")))
    white = shown.get(REFERENCE)
    white_pop = float(pops.loc[REFERENCE, "population"]) if REFERENCE in pops.index else np.nan
    pops = pops.copy()
    if set(OFFICER_ETHNICITIES) <= set(pops.index):  # the total's rate: over every group's residents
        pops.loc[TOTAL] = [float(pops.loc[list(OFFICER_ETHNICITIES), "population"].sum()), "sum of the groups"]
    rows = []
    for group, x in shown.items():
        pop = float(pops.loc[group, "population"]) if group in pops.index else np.nan
        rate, lower, upper = poisson_rate(x, pop) if x is not None else (np.nan,) * 3
        ratio = rate_ratio(x, pop, white, white_pop) if x is not None and white is not None else (np.nan,) * 3
        if group == REFERENCE:  # the reference group against itself: 1, with no interval
            ratio = (1.0, np.nan, np.nan)
        elif group == TOTAL:
            ratio = (np.nan,) * 3
        rows.append({"ethnicity": group, "searches_shown": published[group], "searches": x, "population": pop,
                     "rate": rate, "lower": lower, "upper": upper, "ratio": ratio[0], "ratio_lower": ratio[1],
                     "ratio_upper": ratio[2], "population_source": pops.loc[group, "source"] if group in pops.index
                     else None})
    out = pd.DataFrame(rows, columns=ETHNICITY_COLUMNS)
    return out.astype({"searches": "Int64"})


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(loaded, params)


# --- Presenting the facts ------------------------------------------------------------------------------

def by_month(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Searches per month the data cover."""
    m = facts["searches_by_month"]
    return m.assign(searches=m["searches"].map(fmt_int)), m


def one_way(facts, name: str, caption: str):
    """A published one-way table of the chapter's month, or why there is none."""
    key = facts["search_key"].iloc[0]
    if name not in facts:
        return text(f"{caption}: no searches in {month_label(key['month']) if key['month'] else 'the period'}.")
    return table(facts[name], caption=f"{caption}, {month_label(key['month'])} (small counts suppressed)")


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    from lib.stats.disclosure import rule_text

    key = facts["search_key"].iloc[0]
    which = month_lead(key, "stop-and-search")
    if key["month"]:
        which += f" there were {fmt_int(key['searches'])} searches."
    return {"which_month": which, "disclosure_rule": rule_text(params.disclosure.min_count)}


def ethnicity_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Searches per 1,000 residents by ethnicity, with the ratio to White people's rate, as published."""
    from lib.present import fmt_number

    e = facts["stop_search_ethnicity"]

    def cell(value, hidden, none):
        return SUPPRESSED if hidden else (none if pd.isna(value) else fmt_number(value, 2))

    def span(lo, hi, hidden, none):
        return SUPPRESSED if hidden else (none if pd.isna(lo) else f"{fmt_number(lo, 2)} to {fmt_number(hi, 2)}")

    # Why a cell has no number: "[c]" where the count is suppressed, else the reason beside the rate's (no
    # population) and the ratio's (the reference group itself, or the total).
    hidden = e["searches_shown"].eq(SUPPRESSED)
    nopop = ["not applicable" if g == "not recorded" or not pd.isna(p) else residents.NO_POPULATION
             for g, p in zip(e["ethnicity"], e["population"])]
    ratio_none = ["reference group" if g == REFERENCE else "not applicable" if g == TOTAL else n
                  for g, n in zip(e["ethnicity"], nopop)]
    why = e.assign(hidden=hidden, nopop=nopop, ratio_none=ratio_none)
    shown = lay_out(why, [
        Column("officer-defined ethnicity", "ethnicity"), Column("searches", "searches_shown"),
        Column("residents", ("nopop", "population"), lambda n, p: n if pd.isna(p) else fmt_int(p)),
        Column("per 1,000 residents", ("rate", "hidden", "nopop"), cell),
        Column("95% interval (exact Poisson)", ("lower", "upper", "hidden", "nopop"), span),
        Column("ratio to White", ("ratio", "hidden", "ratio_none"), cell),
        Column("95% interval (Katz)", ("ratio_lower", "ratio_upper", "hidden", "ratio_none"), span)])
    return shown, e


def people(facts):
    """Searches of the chapter's month by age range and ethnicity, as published, or why there is none."""
    return one_way(facts, "stop_search_people", "Stop searches by age range and officer-defined ethnicity")


# --- Figures -----------------------------------------------------------------------------------------
def searches_by_month(by_month: pd.DataFrame) -> Chart:
    """Searches per month the data cover."""
    f = by_month.copy()
    f["month"] = f["month"].astype(str)
    f["month_label"] = [month_range_label(m, m) for m in f["month"]]
    f["searches_text"] = f["searches"].map(fmt_int)
    labels = list(f.sort_values("month")["month_label"])
    chart = alt.Chart(layers.rounded(f.sort_values("month"))).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), WIDTH - 60))),
        y=alt.Y("searches:Q", title="searches per month"),
        tooltip=[layers.tip("month_label", "month"), layers.tip("searches_text", "searches")],
    ).properties(width=WIDTH - 60, height=200)
    return Chart.of(chart, data=f[["month", "searches"]])
