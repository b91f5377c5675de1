"""The peers chapter's facts: the force beside its most similar group, per 1,000 population.

From the data.police.uk archive named in the params (``peers.archive``; many forces' monthly street
files, read by DuckDB out of core, :mod:`lib.peers.archive`): crimes per 1,000 population by category
(anti-social behaviour left out: it is not crime) over the latest 12 months to the period, the force's
rank among its peers (1 = the lowest rate), each month's rate of all crime for the force and the
group, and a funnel plot of the latest 12 months (:mod:`lib.stats.funnel`: Spiegelhalter 2005, exact Poisson limits at 95%
and 99.8% around the group's rate, by population), widened for over-dispersion when the forces differ
more than chance allows (§5, multiplicative, from Winsorised z-scores). The group's rate there is the whole
group's, **the force included** (its crimes over its population), and every sentence says so.

``peers_measures``: each IMPACT measure whose target is the "most similar force average" (the catalogue's
``desired_source``), beside that average where the peers' data hold it — the mean of the other forces' rates
in the period month, each force counting once, **the force not included** — or "not published for other
forces" (a measure from a force's own records), or "not in the peers' data read" (published data the archive
read does not count, such as outcomes). Held today: neighbourhood crimes per 1,000 (the categories of
``scorecard.neighbourhood_crime_types``, from the peers' street files).
"""
from __future__ import annotations

from functools import partial

import altair as alt
import numpy as np
import pandas as pd

from lib.config.schema import Params
from lib.measures.derived import DERIVED
from lib.peers import ASB, TOTAL, monthly_counts, rank, rates
from lib.present import UNUSUAL, download, fmt_int, fmt_number, label, month_range_label, plain, table
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import PALETTE, WIDTH, Chart
from lib.stats import funnel as funnel_mod

NEEDS: tuple[str, ...] = ()  # a data.police.uk archive named in the params (peers:), not an input
AFTER = ("measures",)
MSG_TARGET = "most similar force average"
NOT_PUBLISHED = "not published for other forces"
NOT_READ = "not in the peers' data read"
PUBLISHED = {"crimes", "stop_search", "outcomes"}  # inputs data.police.uk publishes for every force
PEER_MEASURE_COLUMNS = ["measure_id", "target", "target_source", "month", "force_value", "peer_average", "peers",
                        "includes_force", "peer_text"]


def months(params: Params) -> list[str]:
    """The months read from the archive: the window and the 12 before it (the monthly chart's two years)."""
    end = pd.Period(params.period, "M")
    return [str(m) for m in pd.period_range(end - 2 * params.peers.window_months + 1, end, freq="M")]


def neighbourhood_rates(monthly: pd.DataFrame, types, month: str) -> pd.Series:
    """Each force's neighbourhood crimes per 1,000 in ``month`` (the categories ``types``); NaN where it has no data."""
    m = monthly[(monthly["month"] == month) & monthly["crime_type"].isin(list(types))]
    crimes = m.groupby("force", sort=True)["crimes"].sum(min_count=1)
    population = m.groupby("force", sort=True)["population"].first()
    return (1000 * crimes.astype(float) / population).astype(float)


def peer_measures(earlier, monthly: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The "most similar force average" measures beside the peers' average (module docstring)."""
    cat = earlier["catalogue"]
    period = earlier["measure_period"].set_index("measure_id")
    msg = cat[cat["target_source"].str.lower().str.contains(MSG_TARGET, regex=False)]
    rates = neighbourhood_rates(monthly, params.scorecard.neighbourhood_crime_types, params.period)
    others = rates.drop(labels=[params.peers.force], errors="ignore")
    rows = []
    for _, m in msg.iterrows():
        row = {"measure_id": m["measure_id"], "target": m["target"], "target_source": m["target_source"],
               "month": params.period, "force_value": period.loc[m["measure_id"], "value"],
               "peer_average": np.nan, "peers": 0, "includes_force": False}
        if m["measure_id"] == "neighbourhood_crime_rate":
            held = others.notna().all() and len(others)
            row.update(peer_average=float(others.mean()) if held else np.nan, peers=int(len(others)),
                       peer_text="" if held else "no data")
        else:
            derived = m["source"].removeprefix("derived:")
            needs = DERIVED[derived].needs if derived in DERIVED else {"a force's records": ("",)}
            published = set(needs) <= PUBLISHED and not any(needs.values())  # no force-only column
            row["peer_text"] = NOT_READ if published else NOT_PUBLISHED
        rows.append(row)
    return pd.DataFrame(rows, columns=PEER_MEASURE_COLUMNS)


def compute(params: Params, earlier=None) -> dict[str, pd.DataFrame]:
    """``peers_coverage``, ``peers_latest``, ``peers_rank``, ``peers_monthly``, ``peers_funnel``,
    ``peers_funnel_limits`` and ``peers_key``."""
    p = params.peers
    populations = params.peer_populations()
    counts = monthly_counts(params.peers_archive(), populations, months(params))
    r = rates(counts, populations, 1000, window=p.window_months, end=params.period)
    ranked = rank(r, p.force)
    total = r.latest[r.latest["crime_type"] == TOTAL].dropna(subset=["crimes"])
    reference = float(total["crimes"].sum() / total["population"].sum())  # crimes a person, the group's
    f = funnel_mod.funnel(total["crimes"].to_numpy(float), total["population"].to_numpy(float) * reference,
                          target=1.0, kind="ratio", overdispersion="multiplicative", labels=total["force"].tolist())
    # Forces by the name their files give ("Reported by"), else the slug.
    names = counts.coverage.set_index("force")["reported_by"].fillna("").to_dict()
    units = f.units.assign(population=total["population"].to_numpy(float),
                           rate=lambda u: 1000 * reference * u["value"],
                           name=lambda u: [names.get(x) or x for x in u["unit"]])
    limits = f.limits.assign(population=lambda x: x["precision"] / reference)
    for col in [c for c in limits.columns if c.startswith(("lower", "upper"))]:
        limits[col] = 1000 * reference * limits[col]
    monthly = r.monthly[r.monthly["crime_type"] == TOTAL]
    group = monthly.groupby("month").apply(lambda g: 1000 * g["crimes"].sum() / g["population"].sum()
                                           if g["crimes"].notna().all() else np.nan, include_groups=False)
    force_monthly = monthly[monthly["force"] == p.force].set_index("month")["rate"]
    monthly_out = pd.DataFrame({"month": group.index, "force_rate": force_monthly.reindex(group.index).to_numpy(float),
                                "group_rate": group.to_numpy(float)})
    key = pd.DataFrame([{"force": p.force, "peers": len(populations), "window_first": r.window[0],
                         "window_last": r.window[-1], "group_rate": 1000 * reference,
                         "phi": np.nan if f.dispersion is None else f.dispersion.phi,
                         "adjusted": f.adjustment is not None}])
    # Anti-social behaviour is not crime: left out here as in every crime figure of the book.
    extra = {"peers_measures": peer_measures(earlier, r.monthly, params)} if earlier and "catalogue" in earlier else {}
    return {**extra,"peers_coverage": counts.coverage, "peers_latest": r.latest[r.latest["crime_type"] != ASB],
            "peers_rank": ranked[ranked["crime_type"] != ASB],
            "peers_monthly": monthly_out, "peers_funnel": units, "peers_funnel_limits": limits, "peers_key": key}


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`; none without ``peers`` in the params)."""
    return compute(params, earlier) if params.peers is not None else {}


# --- Presenting the facts ----------------------------------------------------------------------------
def measures_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The "most similar force average" measures: the force, its target and the peers' average this month."""
    from lib.present import fmt_value

    p = facts["peers_measures"]
    named = p.join(facts["catalogue"].set_index("measure_id")[["short_name", "unit"]], on="measure_id")

    def average(text, value: float, unit: str, forces: int) -> str:
        return text if not pd.isna(text) and text else f"{fmt_value(value, unit)} ({fmt_int(forces)} forces)"

    return lay_out(named, [Column("measure", "short_name", plain), Column("the force", ("force_value", "unit"), fmt_value),
                           Column("target", ("target", "unit"), fmt_value), Column("target source", "target_source", plain),
                           Column("most similar forces' average (the force not included)",
                                  ("peer_text", "peer_average", "unit", "peers"), average)]), p



# Where the funnel lies, in words. When the forces differ more than chance alone would make them, the limits are
# widened to the usual spread between forces (Spiegelhalter 2005), and a force inside them is within that spread, not
# "no different from the group": it may well differ, as forces usually do. Without over-dispersion the limits are
# chance's alone.
SPREAD_TEXT = {
    "within": "within the usual spread between forces",
    "above 95%": "above the usual spread between forces (outside the 95% limit)",
    "above 99.8%": "well above the usual spread between forces (outside the 99.8% limit)",
    "below 95%": "below the usual spread between forces (outside the 95% limit)",
    "below 99.8%": "well below the usual spread between forces (outside the 99.8% limit)",
}
CHANCE_TEXT = {
    "within": "within what chance alone gives a force of its size",
    "above 95%": "above the 95% limit: possibly higher than chance alone gives",
    "above 99.8%": f"above the 99.8% limit: higher than the group, {UNUSUAL}",
    "below 95%": "below the 95% limit: possibly lower than chance alone gives",
    "below 99.8%": f"below the 99.8% limit: lower than the group, {UNUSUAL}",
}


def band_text(band: str, adjusted: bool) -> str:
    """Where a force lies in the funnel, in words: against the usual spread between forces when the limits were
    widened for over-dispersion (``adjusted``), else against chance alone."""
    return (SPREAD_TEXT if adjusted else CHANCE_TEXT)[band]


def rank_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The force's rate per 1,000 by crime type against the group's, and its rank (1 = the lowest rate)."""
    r = facts["peers_rank"]
    rate = partial(fmt_number, digits=2)
    return lay_out(r, [Column("crime type", "crime_type"), Column("force", "rate", rate), Column("group", "group_rate", rate),
                       Column("lowest in the group", "lowest_rate", rate), Column("highest", "highest_rate", rate),
                       Column("rank (1 = lowest)", ("rank", "of"),
                              lambda k, n: "not ranked" if pd.isna(k) else f"{int(k)} of {int(n)}")]), r


def funnel_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each force's crimes per 1,000 over the window and where it lies in the funnel."""
    u = facts["peers_funnel"].sort_values("rate")
    adjusted = bool(facts["peers_key"]["adjusted"].iloc[0])
    return lay_out(u, [Column("force", "name", plain), Column("population", "population", fmt_int),
                       Column("crimes", "observed", fmt_int), Column("per 1,000", "rate", partial(fmt_number, digits=1)),
                       Column("in the funnel plot", "band", partial(band_text, adjusted=adjusted))]), u


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    if "peers_key" not in facts:
        return {"peers_sentence": "Peer comparison: not supplied. It needs `peers` in the params: a data.police.uk "
                                  "archive folder, the force and its most similar forces with their populations.",
                "window": "", "funnel_sentence": ""}
    k = facts["peers_key"].iloc[0]
    r = facts["peers_rank"].set_index("crime_type")
    u = facts["peers_funnel"].set_index("unit")
    window = month_range_label(k["window_first"], k["window_last"])
    total = r.loc[TOTAL]
    sentence = (f"Over {window} the force recorded {fmt_number(total['rate'], 1)} crimes per 1,000 people against "
                f"{fmt_number(k['group_rate'], 1)} across its most similar group of {fmt_int(k['peers'])} forces (the "
                f"force itself included), ranking "
                f"{fmt_int(total['rank'])} of {fmt_int(total['of'])} (1 = the lowest rate).")
    highest = r[(r["rank"] == r["of"]) & (r.index != TOTAL)].index.tolist()
    if highest:
        sentence += f" It has the group's highest rate of {', '.join(t.lower() for t in highest)}."
    spread = ("The forces differ far more than chance alone would make them: the spread of their rates is about "
              f"{fmt_number(k['phi'] ** 0.5, 0)} times what chance gives (an over-dispersion of "
              f"{fmt_number(k['phi'], 0)}), because forces differ in their areas, policing and recording. The "
              "limits are widened by that spread, as Spiegelhalter (2005, 'Funnel plots for comparing institutional "
              "performance', Statistics in Medicine 24) recommends; a force outside them differs from its group by "
              "more than forces usually do." if k["adjusted"] else
              "The forces differ no more than chance would make them, so the limits are chance's alone.")
    return {"peers_sentence": sentence, "window": window,
            "funnel_sentence": f"In the funnel plot the force lies {band_text(u.loc[k['force'], 'band'], k['adjusted'])}. "
                               f"{spread}"}


def rank_table(facts):
    """The rank table (nothing without peers)."""

    return table(rank_display(facts), caption="Crimes per 1,000 people by type over the latest 12 months: the force, "
                                              "its group, and its rank") if "peers_rank" in facts else None


def funnel_figure(facts, params: Params):
    """The funnel plot (nothing without peers)."""
    if "peers_funnel" not in facts:
        return None
    return funnel_chart(facts["peers_funnel"], facts["peers_funnel_limits"], params.peers.force,
                        facts["peers_key"]["group_rate"].iloc[0])


def funnel_table(facts):
    """Each force in the funnel (nothing without peers)."""

    return table(funnel_display(facts), caption="Each force's crimes per 1,000 over the latest 12 months, and where "
                                                "it lies in the funnel") if "peers_funnel" in facts else None


def monthly_figure(facts, params: Params):
    """The force's monthly rate against its group's (nothing without peers)."""
    if "peers_monthly" not in facts:
        return None
    units = facts["peers_funnel"].set_index("unit")
    name = units.loc[params.peers.force, "name"] if params.peers.force in units.index else params.peers.force
    return monthly_chart(facts["peers_monthly"], name)


def monthly_download(facts):
    """The monthly rates as a download (nothing without peers)."""

    return download(facts["peers_monthly"], "peers-monthly", "Crimes per 1,000 a month, the force and its group") \
        if "peers_monthly" in facts else None


# --- Figures -----------------------------------------------------------------------------------------
def funnel_chart(units: pd.DataFrame, limits: pd.DataFrame, force: str, group_rate: float) -> Chart:
    """Crimes per 1,000 against population, with the 95% and 99.8% limits around the group's rate."""
    names = ["99.8% limits", "95% limits"]
    lim = pd.concat([pd.DataFrame({"population": limits["population"].astype(float) / 1e6, "limits": name, "side": side,
                                   "rate": limits[f"{side}_{level}"].astype(float)})
                     for name, level in zip(names, ("998", "95")) for side in ("lower", "upper")], ignore_index=True)
    lim["line"] = lim["limits"] + " " + lim["side"]
    u = units.sort_values("population").reset_index(drop=True).copy()
    u["name"] = u["name"].map(lambda v: label(v, 24))
    u["who"] = u["unit"].eq(force).map({True: "the force", False: "peer forces"})
    u["population_m"] = u["population"].astype(float) / 1e6
    u["population_text"] = u["population"].map(fmt_int)
    u["rate_text"] = u["rate"].map(lambda v: fmt_number(v, 1))
    u["band_text"] = u["band"].astype(str)
    u["above"] = [bool(k % 2) for k in range(len(u))]  # labels of neighbours by population alternate above and below
    x = alt.X("population:Q", title="population (millions)", scale=alt.Scale(zero=False))
    y = alt.Y("rate:Q", title="crimes per 1,000 people", scale=alt.Scale(zero=False))
    limit_lines = alt.Chart(layers.rounded(lim)).mark_line(strokeWidth=1, color="#231F20").encode(
        x=x, y=y, detail="line:N",
        strokeDash=alt.StrokeDash("limits:N", title=None, sort=names, scale=alt.Scale(domain=names, range=[[5, 3], [2, 2]]),
                                  legend=alt.Legend(orient="bottom")))
    group = alt.Chart(pd.DataFrame({"rate": [float(group_rate)], "text": [f"group rate {fmt_number(group_rate, 1)}"]})) \
        .mark_rule(color="black", strokeWidth=1).encode(y="rate:Q", tooltip=[layers.tip("text", "most similar group")])
    who = ["peer forces", "the force"]
    tooltip = [layers.tip("name", "force"), layers.tip("population_text", "population"),
               layers.tip("rate_text", "crimes per 1,000"), layers.tip("band_text", "in the funnel")]
    px = alt.X("population_m:Q", title="population (millions)")
    dots = alt.Chart(layers.rounded(u)).mark_point(filled=True, size=60).encode(
        x=px, y=y,
        color=alt.Color("who:N", title=None, sort=who, scale=alt.Scale(domain=who, range=[PALETTE[0], PALETTE[3]]),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("who:N", title=None, sort=who, scale=alt.Scale(domain=who, range=["circle", "diamond"])),
        tooltip=tooltip)
    names_ = [alt.Chart(layers.rounded(u)).transform_filter(test).mark_text(align="left", dx=5, dy=dy, fontSize=10)
              .encode(x=px, y=y, text="name:N", tooltip=tooltip)
              for test, dy in (("datum.above", -8), ("!datum.above", 10))]
    chart = alt.layer(limit_lines, group, dots, *names_).properties(width=WIDTH - 150, height=280)
    data = u[["unit", "name", "population", "rate", "band"]]
    return Chart.of(chart, data=layers.rounded(data, 4))


def monthly_chart(frame: pd.DataFrame, force: str) -> Chart:
    """The force's crimes per 1,000 a month against its group's (facts ``peers_monthly``)."""
    force_name = label(force, 30)
    names = [force_name, "most similar group"]
    f = pd.concat([pd.DataFrame({"month": frame["month"].astype(str), "series": name, "rate": frame[col].astype(float)})
                   for name, col in zip(names, ("force_rate", "group_rate"))], ignore_index=True)
    f["month_label"] = [month_range_label(m, m) for m in f["month"]]
    f["rate_text"] = f["rate"].map(lambda v: fmt_number(v, 2))
    labels = [month_range_label(m, m) for m in sorted(set(f["month"]))]
    chart = alt.Chart(layers.rounded(f)).transform_filter("isValid(datum.rate)").mark_line(point=True).encode(
        x=alt.X("month_label:O", title=None, **layers.month_axis(labels, layers.every_for(len(labels), WIDTH - 60))),
        y=alt.Y("rate:Q", title="crimes per 1,000 a month", scale=alt.Scale(zero=True)),
        color=layers.series_colour(names, palette=[PALETTE[3], PALETTE[0]]),
        tooltip=[layers.tip("month_label", "month"), layers.tip("series", "who"), layers.tip("rate_text", "crimes per 1,000")],
    ).properties(width=WIDTH - 60, height=200)
    return Chart.of(chart, data=layers.rounded(f[["month", "series", "rate"]], 4))
