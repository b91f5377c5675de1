"""Districts: crime, response and compliance by district and month, the last 12 months to the period.

A district is a group of local authorities (``districts`` in the params: district → the local
authorities it covers; empty: each local authority is a district). A crime's local authority is its
data.police.uk LSOA name without the LSOA's code ("Middlesbrough 005A" → "Middlesbrough"); a crime with
no location is counted as "no location", never dropped. Incidents carry their district; a PPN takes its
incident's.

The measures are the scorecard's own, broken down (the same rows and flags, from
:mod:`lib.measures.derived`): immediate incidents attended in target, PPNs submitted in time, and
domestic-abuse crimes with an arrest. Crimes and incidents are events, published unsuppressed as
data.police.uk does; PPNs and domestic-abuse arrests are about people, so their counts go through the
book's disclosure control (:func:`lib.stats.disclosure.suppress`): each month is one table of district ×
{met, not met} with its totals, so neither a count, its district's total nor the complement (n − x, e.g.
the PPNs submitted late) can be worked out; a rate is shown only where both its counts are. The fact
table holds only what is published: a hidden count is blank there too, never the raw count beside ``[c]``.

Districts differ in size, so crime is compared by **rate per 1,000 residents** (``district_crime_rates``): the
crimes of the months held in the twelve to the period over the district's population (``inputs.populations``),
with the exact Poisson (Garwood) 95% interval (:func:`lib.stats.rates.poisson_rate`). A district the file
gives no population has no rate ("no population supplied"); crimes with no location have no area, so no rate.
"""
from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from lib.config.paths import display_path
from lib.config.schema import Params
from lib.errors import ParamsError
from lib.inputs import populations as people
from lib.inputs.loading import Loaded
from lib.measures import derived
from lib.present import counted, fmt_int, label, month_label, month_range_label, needs, not_supplied, table
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import PALETTE, WIDTH, Chart
from lib.stats.disclosure import SUPPRESSED, suppress
from lib.stats.rates import poisson_rate
from lib.vocabulary import ALL_DISTRICTS, DISTRICT_LABELS, NO_DISTRICT, NO_LOCATION

NEEDS: tuple[str, ...] = ()  # each table says itself what it lacks
AFTER: tuple[str, ...] = ()

_LSOA_CODE = re.compile(r"\s+\d{3}[A-Z]$")


def months(params: Params) -> list[str]:
    """The 12 months to the period."""
    return [str(m) for m in pd.period_range(pd.Period(params.period, "M") - 11, params.period, freq="M")]


def local_authority(lsoa_name: pd.Series) -> pd.Series:
    """The local authority of an LSOA name ('Middlesbrough 005A' → 'Middlesbrough'); NaN without one."""
    return lsoa_name.astype("string").str.replace(_LSOA_CODE, "", regex=True)


def district_of(authority: pd.Series, params: Params) -> pd.Series:
    """The district of each local authority (params ``districts``; an authority in none: itself).

    Raises
    ------
    ParamsError
        An authority in no district bears the name of a district (its crimes would be counted as that
        district's), or the name of a row the chapter adds (``no location``, ``all districts``).
    """
    lookup = {a: d for d, authorities in params.districts.items() for a in authorities}
    unlisted = set(authority.dropna().unique()) - set(lookup)
    clash = sorted(a for a in unlisted if a in params.districts or str(a).strip().lower() in DISTRICT_LABELS)
    if clash:
        what = "a district" if clash[0] in params.districts else "a row the chapter adds"
        raise ParamsError(f"{display_path(params.source_file)}: districts: the local authority {clash[0]!r} is in no "
                          f"district but has the name of {what}; list it under the district it belongs to")
    return authority.map(lambda a: NO_LOCATION if pd.isna(a) else lookup.get(a, a))


def crime(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Crimes (anti-social behaviour left out) by district and month (long: district, month, crimes); a month
    outside the data's coverage is absent (no data), never zero."""
    c = derived.crimes(loaded, params)
    c = c[c["Month"].isin(months(params))]
    district = district_of(local_authority(c["LSOA name"]), params)
    out = pd.crosstab(district, c["Month"]).reindex(columns=[m for m in months(params)
                                                            if m in set(loaded["crimes"].coverage)], fill_value=0)
    return out.rename_axis(index="district", columns="month").stack().rename("crimes").reset_index()


RATE_COLUMNS = ["measure", "district", "month", "x", "n", "value", "x_shown", "n_shown", "value_shown"]


def _shown_count(text: str):
    """A published count back as a number (``<NA>`` where it is suppressed)."""
    return pd.NA if text == SUPPRESSED else int(text.replace(",", ""))


def _month_table(met: pd.Series, n: pd.Series, people: bool, min_count: int) -> pd.DataFrame:
    """One month's counts by district as published: ``x_shown`` (met), ``n_shown`` (all) as text.

    About people, the month is one table of district × {met, not met} with its totals (the district's n
    and the force's x and n - x, which the scorecard publishes) suppressed together, so that neither x, n
    nor the complement n - x of a district can be worked out to fewer than ``min_count + 1`` values.
    """
    if not people:
        return pd.DataFrame({"x_shown": met.map(lambda v: f"{v:,}"), "n_shown": n.map(lambda v: f"{v:,}")})
    published = suppress(pd.DataFrame({"met": met, "not met": n - met}), min_count).iloc[:-1]
    return pd.DataFrame({"x_shown": published["met"], "n_shown": published["Total"]}, index=met.index)


def _rate_table(frame: pd.DataFrame, month: pd.Series, flag: pd.Series, district: pd.Series,
                params: Params, measure: str, people: bool, covered) -> pd.DataFrame:
    """x of n by district and month for one measure (long), as published: about people, a count that is
    suppressed is ``<NA>`` in ``x`` and ``n`` (and its rate in ``value``) as well as ``[c]`` in the
    ``*_shown`` texts, so the table a reader downloads holds nothing the page hides."""
    keep = month.isin(months(params)).to_numpy()
    d = pd.DataFrame({"district": district.to_numpy()[keep], "month": month.to_numpy()[keep],
                      "flag": np.asarray(flag, dtype=bool)[keep]})
    cols = [m for m in months(params) if m in covered]
    names = sorted(d["district"].unique())
    if not names or not cols:
        return pd.DataFrame(columns=RATE_COLUMNS)
    k = params.disclosure.min_count
    frames = []
    for m in cols:
        this = d[d["month"] == m].groupby("district")["flag"]
        met = this.sum().reindex(names, fill_value=0).astype(int)
        n = this.size().reindex(names, fill_value=0).astype(int)
        shown = _month_table(met, n, people, k)
        x_pub, n_pub = shown["x_shown"].map(_shown_count), shown["n_shown"].map(_shown_count)
        hidden = shown["x_shown"].eq(SUPPRESSED) | shown["n_shown"].eq(SUPPRESSED)
        value = (100 * met / n.where(n > 0)).where(~hidden)
        frames.append(pd.DataFrame({
            "measure": measure, "district": names, "month": m,
            "x": x_pub.astype("Int64").to_numpy(), "n": n_pub.astype("Int64").to_numpy(), "value": value.to_numpy(),
            "x_shown": shown["x_shown"].to_numpy(), "n_shown": shown["n_shown"].to_numpy(),
            "value_shown": np.where(hidden, SUPPRESSED, np.where(n > 0, value.map(lambda v: f"{v:.1f}%"), "no data"))}))
    out = pd.concat(frames, ignore_index=True).astype({"x": "Int64", "n": "Int64"})
    order = {name: i for i, name in enumerate(names)}
    return out.sort_values(["district", "month"], key=lambda s: s.map(order) if s.name == "district" else s,
                           kind="stable").reset_index(drop=True)


CRIME_RATE_COLUMNS = ["district", "months", "crimes", "population", "rate", "lower", "upper", "population_source"]


def crime_rates(crime_frame: pd.DataFrame, pops: pd.DataFrame) -> pd.DataFrame:
    """Crimes per 1,000 residents by district over the months held, with the exact Poisson 95% interval (module
    docstring); population, rate and interval blank where the populations give none."""
    totals = crime_frame.groupby("district", sort=True)["crimes"].sum()
    held = crime_frame.groupby("district", sort=True)["month"].nunique()
    rows = []
    for district, crimes in totals.items():
        has = district in pops.index
        population = float(pops.loc[district, "population"]) if has else np.nan
        rate, lower, upper = poisson_rate(int(crimes), population)
        rows.append({"district": district, "months": int(held[district]), "crimes": int(crimes),
                     "population": population, "rate": rate, "lower": lower, "upper": upper,
                     "population_source": pops.loc[district, "source"] if has else None})
    return pd.DataFrame(rows, columns=CRIME_RATE_COLUMNS)


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """``district_crime``, ``district_crime_rates`` (with populations) and ``district_rates`` (immediate in target,
    PPNs in time, DA arrests)."""
    out: dict[str, pd.DataFrame] = {}
    if "crimes" in loaded:
        out["district_crime"] = crime(loaded, params)
        if "populations" in loaded:
            out["district_crime_rates"] = crime_rates(out["district_crime"], people.by_district(loaded, params))
    rates = []
    if "incidents" in loaded:
        frame, month, flag = derived.attended_rows(loaded, params, "immediate")
        rates.append(_rate_table(frame, month, flag, frame["district"].fillna(NO_DISTRICT), params,
                                 "immediate incidents attended in target", False, loaded["incidents"].coverage))
        if "ppn" in loaded:
            frame, month, flag = derived.ppn_in_time_rows(loaded, params)
            district = frame["incident_id"].map(loaded["incidents"].frame.set_index("incident_id")["district"])
            rates.append(_rate_table(frame, month, flag, district.fillna(NO_DISTRICT), params,
                                     "PPNs submitted in time", True, loaded["ppn"].coverage))
    if "crimes" in loaded and all(loaded["crimes"].supplies(c) for c in derived.DERIVED["da_arrest_rate"].needs["crimes"]):
        frame, month, flag = derived.da_arrest_rows(loaded, params)
        rates.append(_rate_table(frame, month, flag, district_of(local_authority(frame["LSOA name"]), params), params,
                                 "domestic-abuse crimes with an arrest", True, loaded["crimes"].coverage))
    if rates:
        out["district_rates"] = pd.concat(rates, ignore_index=True)
    return out


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(loaded, params)


def crime_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes by district (rows) and month (columns), with totals."""

    c = facts["district_crime"]
    t = c.pivot(index="district", columns="month", values="crimes")
    t.loc[ALL_DISTRICTS] = t.sum()
    shown = t.map(fmt_int).rename(columns=lambda m: pd.Period(m, "M").strftime("%b %y")).reset_index()
    shown.columns.name = None
    shown.attrs["caption_months"] = month_label(t.columns[0]) if len(t.columns) else ""
    return shown, c


def rate_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each measure's rate by district (rows) and month (columns), small counts of people suppressed."""
    r = facts["district_rates"]
    shown = r.pivot(index=["measure", "district"], columns="month", values="value_shown")
    shown = shown.reindex(pd.MultiIndex.from_frame(r[["measure", "district"]].drop_duplicates()))
    shown = shown.rename(columns=lambda m: pd.Period(m, "M").strftime("%b %y")).reset_index()
    shown.columns.name = None
    data = r[["measure", "district", "month", "x_shown", "n_shown", "value_shown"]].rename(
        columns={"x_shown": "x", "n_shown": "n", "value_shown": "value"})
    return shown, data


def crime_rates_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes per 1,000 residents by district with the 95% interval; "no population supplied" where none."""
    from lib.present import fmt_interval, fmt_value

    r = facts["district_crime_rates"]

    def rate(population: float, value: float) -> str:
        return people.NO_POPULATION if pd.isna(population) else \
            fmt_value(value, "rate_per_1000").removesuffix(" per 1,000")

    def interval(population: float, lower: float, upper: float) -> str:
        return people.NO_POPULATION if pd.isna(population) else \
            fmt_interval(lower, upper, "rate_per_1000").replace(" per 1,000", "")

    return lay_out(r, [Column("district", "district"), Column("months", "months", fmt_int),
                     Column("crimes", "crimes", fmt_int),
                     Column("residents", "population", lambda p: people.NO_POPULATION if pd.isna(p) else fmt_int(p)),
                     Column("crimes per 1,000 residents", ("population", "rate"), rate),
                     Column("95% interval (exact Poisson)", ("population", "lower", "upper"), interval)]), r


def crime_figure(facts):
    """Crimes a month by district (nothing without crimes)."""
    return crime_chart(facts["district_crime"]) if "district_crime" in facts else None


def crime_table(facts):
    """Crimes by district and month (nothing without crimes)."""

    return table(crime_display(facts), caption="Crimes by district and month (anti-social behaviour left out)") \
        if "district_crime" in facts else None


def rates_figure(facts):
    """Response and compliance by district and month (nothing without them)."""
    return rates_chart(facts["district_rates"]) if "district_rates" in facts else None


def rates_table(facts):
    """Response and compliance rates by district and month (nothing without them)."""

    return table(rate_display(facts), caption="Response and compliance by district and month ([c]: suppressed)") \
        if "district_rates" in facts else None


def measures(facts) -> list[str]:
    """The district measures there are facts for, in order."""
    return list(dict.fromkeys(facts["district_rates"]["measure"])) if "district_rates" in facts else []


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    from lib.stats.disclosure import rule_text

    held = sorted(set(facts["district_crime"]["month"]) if "district_crime" in facts else set()) + \
        sorted(set(facts["district_rates"]["month"]) if "district_rates" in facts else set())
    texts = {"period_label": month_label(params.period),
             # the first month the data hold in the chapter's twelve, not the first of the twelve
             "first_month": month_label(min(held) if held else months(params)[0]),
             "disclosure_rule": rule_text(params.disclosure.min_count)}
    if "district_crime" in facts:
        texts["crime_sentence"] = crime_sentence(facts["district_crime"], params)
    else:
        texts["crime_sentence"] = f"Crime by district: {not_supplied(needs('crimes'))}."
    return texts


def crime_sentence(crime: pd.DataFrame, params: Params) -> str:
    """Which district recorded the most crimes in the period, and — among the districts the params list — the
    fewest; an area the params do not list (a neighbouring council's LSOA near the border) is never singled out."""

    month = month_label(params.period)
    last = crime[crime["month"] == params.period].set_index("district")["crimes"]
    if last.empty:
        return f"The crime data hold no file for {month}: no data by district."
    named = last.drop(labels=[NO_LOCATION], errors="ignore")
    listed = named[named.index.isin(list(params.districts))] if params.districts else named.iloc[0:0]
    nowhere = int(last.get(NO_LOCATION, 0))
    text = f"In {month} {named.idxmax()} recorded the most crimes ({fmt_int(named.max())})" if len(named) and \
        named.max() > 0 else f"No crimes are dated {month}"
    if len(listed) > 1:
        text += f" and {listed.idxmin()} the fewest of the districts ({fmt_int(listed.min())})"
    return text + (f"; {counted(nowhere, 'crime')} had no location." if nowhere else ".")


# --- Figures -----------------------------------------------------------------------------------------
def _months(frame: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Each row's month label and every label in time order."""
    months = sorted(set(frame["month"].astype(str)))
    return frame["month"].astype(str).map(lambda m: month_range_label(m, m)), [month_range_label(m, m) for m in months]


def crime_chart(frame: pd.DataFrame) -> Chart:
    """Crimes a month by district on one scale (facts ``district_crime``): live, the district picked from a
    dropdown; in print, a panel per district."""
    f = frame.sort_values(["district", "month"]).reset_index(drop=True)
    f["district"] = f["district"].map(label)
    f["month_label"], labels = _months(f)
    f["crimes_text"] = f["crimes"].map(fmt_int)
    names = list(dict.fromkeys(frame["district"].map(label)))
    top = 1.08 * float(f["crimes"].max()) if len(f) else 1.0
    tooltip = [layers.tip("district", "district"), layers.tip("month_label", "month"), layers.tip("crimes_text", "crimes")]
    width = WIDTH - 80

    def line(w: int, h: int):
        x = alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), w)))
        return (alt.Chart().mark_line(point=True, color=PALETTE[0], strokeWidth=1.3)
                .encode(x=x, y=alt.Y("crimes:Q", title="crimes a month", scale=alt.Scale(domain=[0, top])),
                        tooltip=tooltip).properties(width=w, height=h))

    choose = layers.pick("district_pick", names, names, "district: ")
    live = (line(width, 200).properties(data=layers.rounded(f))
            .transform_filter("datum.district == district_pick").add_params(choose))
    panel = (WIDTH - 40) // 2 - 60
    static = alt.FacetChart(data=layers.rounded(f), spec=line(panel, 110), columns=2, spacing={"row": 16, "column": 24},
                            facet=alt.Facet("district:N", sort=names, title=None,
                                            header=alt.Header(labelFontSize=11, labelAnchor="start")))
    return Chart.of(live, data=f[["district", "month", "crimes"]], static=static)


def rates_chart(frame: pd.DataFrame) -> Chart:
    """Each measure's rate by month, a panel per measure; suppressed cells left out. Live, the district picked
    from a dropdown is drawn in colour over the others in grey; in print, a line per district."""
    f = frame[frame["value_shown"].astype(str).str.endswith("%")].sort_values(["measure", "district", "month"])
    f = f.reset_index(drop=True)
    f["district"] = f["district"].map(label)
    f["month_label"], labels = _months(f)
    measures = list(dict.fromkeys(frame["measure"]))
    names = sorted(set(f["district"]))
    tooltip = [layers.tip("measure", "measure"), layers.tip("district", "district"), layers.tip("month_label", "month"),
               layers.tip("value_shown", "rate"), layers.tip("n_shown", "n")]
    width = (WIDTH - 20) // max(len(measures), 1) - 60
    f["panel"] = f["measure"].map(lambda m: layers.wrapped(m, width))
    panels = [layers.wrapped(m, width) for m in measures]
    x = alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), width)))
    y = alt.Y("value:Q", title="%", scale=alt.Scale(domain=[0, 100]))
    facet = alt.Facet("panel:N", sort=panels, title=None, header=layers.header(width + 40))
    choose = layers.pick("district_pick", names, names, "district: ")
    picked = "datum.district == district_pick"
    live_layer = alt.layer(
        alt.Chart().transform_filter(f"!({picked})").mark_line(color="#CCCCCC", strokeWidth=1)
        .encode(x=x, y=y, detail="district:N", tooltip=tooltip),
        alt.Chart().transform_filter(picked).mark_line(point=True, color=PALETTE[0], strokeWidth=1.6)
        .encode(x=x, y=y, tooltip=tooltip),
    ).properties(width=width, height=170)
    live = alt.FacetChart(data=layers.rounded(f), spec=live_layer, facet=facet, columns=len(measures)).add_params(choose)
    colour = layers.series_colour(names)
    static_layer = (alt.Chart().transform_calculate(series="datum.district")
                    .mark_line(point=alt.OverlayMarkDef(size=12), strokeWidth=1.1)
                    .encode(x=x, y=y, color=colour, tooltip=tooltip).properties(width=width, height=170))
    static = alt.FacetChart(data=layers.rounded(f), spec=static_layer, facet=facet, columns=len(measures))
    data = f[["measure", "district", "month", "value", "n_shown", "value_shown"]].rename(columns={"n_shown": "n"})
    return Chart.of(live, data=layers.rounded(data, 4), static=static)
