"""The peers chapter's facts: the force beside its most similar group, per 1,000 population.

From the data.police.uk archive named in the params (``peers.archive``; many forces' monthly street
files, read by DuckDB out of core, :mod:`lib.peers.archive`): crimes per 1,000 population by category
(anti-social behaviour left out: it is not crime) over the latest 12 months to the period, the force's
rank among its peers (1 = the lowest rate), each month's rate of all crime for the force and the
group, and a funnel plot of the latest 12 months (:mod:`lib.stats.funnel`: Spiegelhalter 2005, exact Poisson limits at 95%
and 99.8% around the group's rate, by population), widened for over-dispersion when the forces differ
more than chance allows (§5, multiplicative, from Winsorised z-scores).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config.params import Params
from lib.peers import ASB, TOTAL, monthly_counts, rank, rates
from lib.stats import funnel as funnel_mod


def months(params: Params) -> list[str]:
    """The months read from the archive: the window and the 12 before it (the monthly chart's two years)."""
    end = pd.Period(params.period, "M")
    return [str(m) for m in pd.period_range(end - 2 * params.peers.window_months + 1, end, freq="M")]


def compute(params: Params) -> dict[str, pd.DataFrame]:
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
    return {"peers_coverage": counts.coverage, "peers_latest": r.latest[r.latest["crime_type"] != ASB],
            "peers_rank": ranked[ranked["crime_type"] != ASB],
            "peers_monthly": monthly_out, "peers_funnel": units, "peers_funnel_limits": limits, "peers_key": key}
