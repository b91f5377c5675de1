"""Crime rates per 1,000 population of a force and its peers, and the force's rank among them.

Rates are monthly and over the latest ``window`` (12) complete months, by force and category. A
month is *complete* when every peer force has data for it; a force lacking a month of the window has
no 12-month rate (``<NA>``, not ranked) rather than a rate made up from fewer months.
Anti-social behaviour stays a category of its own; :data:`TOTAL` is the total of every other
category (the crime chapter, like the Home Office, does not count anti-social behaviour as crime).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.errors import ModelError, ParamsError
from lib.peers.archive import ASB, Counts, month_range

#: The category added by :func:`add_total`: every row but anti-social behaviour.
TOTAL = "All crime (excluding anti-social behaviour)"
TIES = ("min", "max", "average", "dense")


@dataclass(frozen=True)
class Rates:
    """Rates per ``per`` population.

    Attributes
    ----------
    monthly : DataFrame
        ``force``, ``month``, ``crime_type``, ``crimes`` (Int64), ``population``, ``rate`` (Float64,
        crimes per ``per`` people in the month; ``<NA>`` = no data).
    latest : DataFrame
        ``force``, ``crime_type``, ``crimes`` over the window (``<NA>`` unless the force has every month
        of it), ``months_with_data``, ``population``, ``rate`` (per ``per`` people over the window).
    window : tuple of str
        The months of ``latest``.
    per : int
        The population the rates are per.
    """

    monthly: pd.DataFrame
    latest: pd.DataFrame
    window: tuple[str, ...]
    per: int


def check_populations(populations: Mapping[str, float], forces) -> dict[str, float]:
    """Each force's population; ParamsError names a force missing or with a population that is not > 0."""
    out = {}
    for force in forces:
        if force not in populations:
            raise ParamsError(f"peers.forces: no population for {force!r}; give one for every peer force "
                              f"(populations given: {', '.join(map(str, populations)) or 'none'})")
        people = populations[force]
        ok = not isinstance(people, bool) and isinstance(people, int | float | np.integer | np.floating)
        if not ok or not math.isfinite(people) or people <= 0:
            raise ParamsError(f"peers.forces.{force} = {people!r}: a force's population must be a number of people > 0")
        out[force] = float(people)
    return out


def add_total(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts with a :data:`TOTAL` category per force and month: every category but anti-social
    behaviour (``<NA>`` where the force has no data for the month)."""
    crime = counts[counts["crime_type"] != ASB]
    total = (crime.groupby(["force", "month"], sort=False)["crimes"].sum(min_count=1).astype("Int64")
             .reset_index().assign(crime_type=TOTAL))
    # A month with data has every category (zeros included), so min_count=1 leaves <NA> only where all are <NA>.
    return pd.concat([counts, total[counts.columns]], ignore_index=True)


def _frame(counts: Counts | pd.DataFrame) -> pd.DataFrame:
    frame = counts.counts if isinstance(counts, Counts) else counts
    missing = {"force", "month", "crime_type", "crimes"} - set(frame.columns)
    if missing:
        raise ModelError(f"counts: columns {', '.join(sorted(missing))} missing; expected monthly_counts' force, month, "
                         "crime_type, crimes")
    return frame[["force", "month", "crime_type", "crimes"]].copy()


def rates(counts: Counts | pd.DataFrame, populations: Mapping[str, float], per: int = 1000, *, window: int = 12,
          end: str | None = None, total: bool = True) -> Rates:
    """Crimes per ``per`` population by force, category and month, and over the latest complete months.

    Parameters
    ----------
    counts : Counts or DataFrame
        :func:`lib.peers.archive.monthly_counts`' result (or its ``counts`` frame).
    populations : mapping of str to number
        Force slug → population (people); forces not in ``counts`` are ignored.
    per : int
        Rates are per this many people (1,000).
    window : int
        Months in the latest period (12).
    end : str, optional
        The window's last month ('YYYY-MM'). Default: the latest month in which every force has data.
    total : bool
        Add the :data:`TOTAL` category (all crime excluding anti-social behaviour) to both frames.

    Returns
    -------
    Rates
        ``monthly`` and ``latest`` frames; see :class:`Rates`.

    Raises
    ------
    ParamsError
        A force has no population, or a population is not > 0 (the message names the force and value).
    ModelError
        ``per`` or ``window`` is not a positive whole number; no month has data for every force; ``end``
        is not a month of the counts; the window reaches before the counts' first month.

    Notes
    -----
    rate = crimes / population × per, for a month or summed over the window's months. The population
    is the same in every month. A 12-month rate needs all 12 months: with fewer it is ``<NA>`` and
    ``months_with_data`` says how many there are.
    """
    frame = _frame(counts)
    for name, value in (("per", per), ("window", window)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
            raise ModelError(f"{name} = {value!r}: must be a whole number > 0")
    forces = list(dict.fromkeys(frame["force"]))
    people = check_populations(populations, forces)
    if total:
        frame = add_total(frame)
    frame["population"] = frame["force"].map(people)
    frame["rate"] = (frame["crimes"].astype("Float64") / frame["population"] * per).astype("Float64")
    months = sorted(frame["month"].unique())
    has = frame.assign(data=frame["crimes"].notna()).groupby(["month", "force"])["data"].any().unstack()
    complete = [m for m in months if has.loc[m].all()]
    if end is None:
        if not complete:
            raise ModelError(f"no month in which all of {', '.join(forces)} have data ({months[0]} to {months[-1]}); "
                             "give the window's end month")
        end = complete[-1]
    if end not in months:
        raise ModelError(f"end = {end!r}: not a month of the counts ({months[0]} to {months[-1]})")
    first = str(pd.Period(end, "M") - (window - 1))
    if first < months[0]:
        raise ModelError(f"the {window} months to {end} start in {first}, before the counts' first month {months[0]}; "
                         f"count from {first} or give a later end")
    span = month_range(first, end)
    inside = frame[frame["month"].isin(span)]
    latest = (inside.groupby(["force", "crime_type"], sort=False)
              .agg(crimes=("crimes", "sum"), months_with_data=("crimes", "count"), population=("population", "first"))
              .reset_index())
    latest["months_with_data"] = latest["months_with_data"].astype(int)
    latest["crimes"] = latest["crimes"].astype("Int64").where(latest["months_with_data"] == window)
    latest["rate"] = (latest["crimes"].astype("Float64") / latest["population"] * per).astype("Float64")
    return Rates(frame.reset_index(drop=True), latest, tuple(span), per)


def league(rates_: Rates, month: str | None = None, ties: str = "min") -> pd.DataFrame:
    """Every force ranked per category, 1 = the lowest rate.

    Parameters
    ----------
    rates_ : Rates
        :func:`rates`' result.
    month : str, optional
        Rank this month's rates; default the latest window's.
    ties : {'min', 'max', 'average', 'dense'}
        Rank given to forces with equal rates: 'min' (1, 2, 2, 4: each gets the best of the ranks
        they share), 'max' (1, 3, 3, 4), 'average' (1, 2.5, 2.5, 4) or 'dense' (1, 2, 2, 3).

    Returns
    -------
    DataFrame
        ``crime_type``, ``force``, ``crimes``, ``population``, ``rate``, ``rank`` (``<NA>`` for a force
        without data: not ranked), ``of`` (forces ranked), ``tied_with`` (the other forces with the
        same rate, '; '-joined, '' if none). Sorted by category, then rank, then force.

    Notes
    -----
    Equal rates are equal fractions crimes / population: each is computed as one correctly rounded
    division, so equal fractions give equal floating-point rates and tie exactly.
    """
    if ties not in TIES:
        raise ModelError(f"ties = {ties!r}: allowed: {', '.join(TIES)}")
    if month is None:
        frame = rates_.latest
    else:
        frame = rates_.monthly[rates_.monthly["month"] == month]
        if frame.empty:
            raise ModelError(f"month = {month!r}: not a month of the rates")
    frame = frame[["crime_type", "force", "crimes", "population", "rate"]].copy()
    order = {c: i for i, c in enumerate(dict.fromkeys(frame["crime_type"]))}
    frame["rank"] = frame.groupby("crime_type", sort=False)["rate"].rank(method=ties, ascending=True)
    frame["rank"] = frame["rank"].astype("Float64" if ties == "average" else "Int64")
    frame["of"] = frame.groupby("crime_type", sort=False)["rate"].transform("count").astype(int)
    same = frame.dropna(subset=["rate"]).groupby(["crime_type", "rate"], sort=False)["force"].agg(list)
    frame["tied_with"] = [
        "; ".join(f for f in same.get((c, r), []) if f != force) if pd.notna(r) else ""
        for c, r, force in zip(frame["crime_type"], frame["rate"], frame["force"])]
    frame["_order"] = frame["crime_type"].map(order)
    frame = frame.sort_values(["_order", "rank", "force"], na_position="last", kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def rank(rates_: Rates, force: str, month: str | None = None, ties: str = "min") -> pd.DataFrame:
    """The force's rank among its peers per category (1 = the lowest rate), with the group's figures.

    Parameters
    ----------
    rates_ : Rates
        :func:`rates`' result.
    force : str
        The force's slug (one of the peers).
    month, ties
        As in :func:`league`.

    Returns
    -------
    DataFrame
        One row per category: ``crime_type``, ``force``, ``crimes``, ``rate``, ``rank`` (``<NA>`` when the
        force has no data), ``of`` (forces ranked), ``tied_with``, ``group_rate`` (all ranked forces'
        crimes / their population × per: the funnel plot's centre line), ``lowest_rate``,
        ``highest_rate``, ``not_ranked`` (peers without data, '; '-joined).

    Raises
    ------
    ParamsError
        The force is not one of the peers.
    ModelError
        As in :func:`league`.
    """
    table = league(rates_, month, ties)
    peers = list(dict.fromkeys(rates_.latest["force"]))
    if force not in peers:
        raise ParamsError(f"peers.force = {force!r}: not one of the peer forces ({', '.join(peers)})")
    rows = []
    for category, group in table.groupby("crime_type", sort=False):
        ranked = group.dropna(subset=["rate"])
        me = group[group["force"] == force].iloc[0]
        pooled = ranked["crimes"].sum() / ranked["population"].sum() * rates_.per if len(ranked) else pd.NA
        rows.append({"crime_type": category, "force": force, "crimes": me["crimes"], "rate": me["rate"],
                     "rank": me["rank"], "of": int(me["of"]), "tied_with": me["tied_with"], "group_rate": pooled,
                     "lowest_rate": ranked["rate"].min() if len(ranked) else pd.NA,
                     "highest_rate": ranked["rate"].max() if len(ranked) else pd.NA,
                     "not_ranked": "; ".join(group[group["rate"].isna()]["force"])})
    out = pd.DataFrame(rows)
    for column in ("rate", "group_rate", "lowest_rate", "highest_rate"):
        out[column] = out[column].astype("Float64")
    out["crimes"] = out["crimes"].astype("Int64")
    out["rank"] = out["rank"].astype(table["rank"].dtype)
    return out
