"""The peers chapter, presented from its facts (:func:`lib.peers.benchmark.compute`)."""
from __future__ import annotations

import pandas as pd

from lib.config.params import Params
from lib.peers import TOTAL
from lib.present import UNUSUAL, fmt_int, fmt_number, month_range_label, plain

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
    shown = pd.DataFrame({"crime type": r["crime_type"], "force": r["rate"].map(lambda v: fmt_number(v, 2)),
                          "group": r["group_rate"].map(lambda v: fmt_number(v, 2)),
                          "lowest in the group": r["lowest_rate"].map(lambda v: fmt_number(v, 2)),
                          "highest": r["highest_rate"].map(lambda v: fmt_number(v, 2)),
                          "rank (1 = lowest)": [("not ranked" if pd.isna(k) else f"{int(k)} of {int(n)}")
                                                for k, n in zip(r["rank"], r["of"])]})
    return shown, r


def funnel_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each force's crimes per 1,000 over the window and where it lies in the funnel."""
    u = facts["peers_funnel"].sort_values("rate")
    adjusted = bool(facts["peers_key"]["adjusted"].iloc[0])
    shown = pd.DataFrame({"force": u["name"].map(plain), "population": u["population"].map(fmt_int),
                          "crimes": u["observed"].map(fmt_int), "per 1,000": u["rate"].map(lambda v: fmt_number(v, 1)),
                          "in the funnel plot": [band_text(b, adjusted) for b in u["band"]]})
    return shown, u


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
                f"{fmt_number(k['group_rate'], 1)} across its group of {fmt_int(k['peers'])} forces, ranking "
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
    from lib.present import table

    return table(rank_display(facts), caption="Crimes per 1,000 people by type over the latest 12 months: the force, "
                                              "its group, and its rank") if "peers_rank" in facts else None


def funnel_figure(facts, params: Params):
    """The funnel plot (nothing without peers)."""
    from lib.present import shown
    from lib.present.charts import peers as charts

    if "peers_funnel" not in facts:
        return None
    return shown(charts.funnel(facts["peers_funnel"], facts["peers_funnel_limits"], params.peers.force,
                               facts["peers_key"]["group_rate"].iloc[0]))


def funnel_table(facts):
    """Each force in the funnel (nothing without peers)."""
    from lib.present import table

    return table(funnel_display(facts), caption="Each force's crimes per 1,000 over the latest 12 months, and where "
                                                "it lies in the funnel") if "peers_funnel" in facts else None


def monthly_figure(facts, params: Params):
    """The force's monthly rate against its group's (nothing without peers)."""
    from lib.present import shown
    from lib.present.charts import peers as charts

    if "peers_monthly" not in facts:
        return None
    units = facts["peers_funnel"].set_index("unit")
    name = units.loc[params.peers.force, "name"] if params.peers.force in units.index else params.peers.force
    return shown(charts.monthly(facts["peers_monthly"], name))


def monthly_download(facts):
    """The monthly rates as a download (nothing without peers)."""
    from lib.present import download

    return download(facts["peers_monthly"], "peers-monthly", "Crimes per 1,000 a month, the force and its group") \
        if "peers_monthly" in facts else None
