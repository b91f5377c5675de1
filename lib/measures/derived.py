"""Each measure's monthly series, from the inputs, so every chapter and the scorecard agree.

A series has one row per month from ``history_start`` to the period:

- ``value``: the measure in its unit (a percentage 0–100, a count, a rate per 1,000, days);
- ``x``, ``n``: for a proportion, the records meeting the standard and the records counted;
- ``lower``, ``upper``: the interval of a proportion in percent (the params' method), NaN otherwise.

``n = 0`` is "no data": ``value`` is NaN, never 0% or 100%; so is a month outside the source's
coverage (the months it holds), even for a count, which is never shown as zero there. Months are
calendar months in Europe/London time. :data:`DERIVED` maps each ``derived:<name>`` source of the
measure catalogue to the function that computes it, and :data:`NEEDS` to the inputs and columns it
needs: without them the measure is "not supplied" (:func:`missing`). Measures the inputs cannot give
come from the measure-values file. Anti-social behaviour is not a crime: every measure about
crimes leaves it out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.config.catalogue import load_catalogue
from lib.config.schema import Params
from lib.inputs import police_uk
from lib.inputs.loading import Loaded
from lib.inputs.months import month_of
from lib.stats.proportions import proportion_ci

COLUMNS = ["month", "value", "x", "n", "lower", "upper"]


def months(params: Params) -> list[str]:
    """Every month from history_start to the period, as YYYY-MM."""
    return list(pd.period_range(params.history_start, params.period_end, freq="M").astype(str))


def monthly_proportion(month: pd.Series, flag: pd.Series, all_months: list[str], method: str = "wilson",
                       covered=None) -> pd.DataFrame:
    """Per month: x flagged of n records, value = 100 x / n (NaN where n = 0) and its interval in percent;
    x, n and value NaN in a month outside ``covered`` (no data, not zero)."""
    frame = pd.DataFrame({"month": month.to_numpy(), "flag": flag.astype(bool).to_numpy()})
    grouped = frame.groupby("month", sort=True)["flag"].agg(["sum", "size"]).reindex(all_months, fill_value=0)
    x, n = grouped["sum"].astype(int).to_numpy(), grouped["size"].astype(int).to_numpy()
    bounds = np.array([proportion_ci(a, b, method=method) for a, b in zip(x, n)]).reshape(-1, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, 100 * x / np.where(n > 0, n, 1), np.nan)
    out = pd.DataFrame({"month": all_months, "value": value, "x": x.astype(float), "n": n.astype(float),
                        "lower": 100 * bounds[:, 0], "upper": 100 * bounds[:, 1]})
    return _uncovered(out, covered)


def _uncovered(out: pd.DataFrame, covered) -> pd.DataFrame:
    """No data (NaN) in the months a source does not cover."""
    if covered is not None:
        outside = ~out["month"].isin(list(covered))
        out.loc[outside, ["value", "x", "n", "lower", "upper"]] = np.nan
    return out


def per_month(params: Params, month: pd.Series, flag: pd.Series, covered=None) -> pd.DataFrame:
    """:func:`monthly_proportion` over the params' months, with the params' interval method."""
    return monthly_proportion(month, flag, months(params), params.compliance.interval_method, covered)


def counts(month: pd.Series, all_months: list[str], covered=None) -> pd.DataFrame:
    """Per month: the number of records (``value``; no x, n or interval); NaN outside ``covered``."""
    found = month.value_counts().reindex(all_months, fill_value=0)
    out = pd.DataFrame({"month": all_months, "value": found.astype(float).to_numpy(), "x": np.nan, "n": np.nan,
                        "lower": np.nan, "upper": np.nan})
    return _uncovered(out, covered)


def coverage(loaded: dict[str, Loaded], source: str) -> tuple[str, ...] | None:
    """The months a loaded source covers (None when not known: every month counts)."""
    return loaded[source].coverage or None


def crimes(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Recorded crimes, anti-social behaviour left out, each with its latest outcome across the street files
    and the outcomes files (:func:`lib.inputs.police_uk.latest_outcomes`: latest by month, the tie rule there)."""
    c = loaded["crimes"].frame
    c = c[c["Crime type"] != "Anti-social behaviour"]
    if "outcomes" in loaded:
        latest = police_uk.latest_outcomes(c, loaded["outcomes"].frame, params.period)
        c = c.assign(**{"Last outcome category": latest})
    return c


# --- Compliance --------------------------------------------------------------------------------------

def ppn_in_time_rows(loaded: dict[str, Loaded], params: Params) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(PPNs, their month, submitted in time): the rows of :func:`ppn_submitted_in_time`, for any breakdown."""
    ppn = loaded["ppn"].frame
    return ppn, month_of(ppn["submitted_at"]), ppn["submitted_in_time"]


def ppn_submitted_in_time(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """PPNs submitted within the time limit, of all PPNs submitted in the month."""
    _, month, flag = ppn_in_time_rows(loaded, params)
    return per_month(params, month, flag, coverage(loaded, "ppn"))


def ppn_all_children(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """PPNs with every child added, of PPNs where children were present."""
    ppn = loaded["ppn"].frame
    ppn = ppn[ppn["children_present"].fillna(False).astype(bool)]
    return per_month(params, month_of(ppn["submitted_at"]), ppn["all_children_added"].fillna(False),
                     coverage(loaded, "ppn"))


def stop_search_grounds(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Stop and search records whose grounds were recorded, of all searches."""
    s = loaded["stop_search"].frame
    return per_month(params, month_of(s["Date"]), s["grounds_recorded"], coverage(loaded, "stop_search"))


def stop_search_supervised(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Stop and search records reviewed by a supervisor, of all searches."""
    s = loaded["stop_search"].frame
    return per_month(params, month_of(s["Date"]), s["supervisor_reviewed"], coverage(loaded, "stop_search"))


def stop_search_linked_outcome(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Searches whose outcome was linked to the object of search, of all searches."""
    s = loaded["stop_search"].frame
    return per_month(params, month_of(s["Date"]), s["Outcome linked to object of search"].fillna(False),
                     coverage(loaded, "stop_search"))


def da_arrest_rows(loaded: dict[str, Loaded], params: Params) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(domestic-abuse crimes, their month, an arrest made): the rows of :func:`da_arrest_rate`."""
    c = crimes(loaded, params)
    c = c[c["domestic_abuse"].fillna(False).astype(bool)]
    return c, c["Month"], c["arrest_made"].fillna(False)


def da_arrest_rate(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Domestic-abuse crimes with an arrest, of domestic-abuse crimes reported in the month."""
    _, month, flag = da_arrest_rows(loaded, params)
    return per_month(params, month, flag, coverage(loaded, "crimes"))


def audits(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Audit results per audit and month: x passed of n checked, value in percent, with the interval."""
    a = loaded["audits"].frame
    frames = []
    for name in sorted(a["audit"].unique()):
        sub = a[a["audit"] == name]
        series = per_month(params, sub["month"], sub["passed"], coverage(loaded, "audits"))
        series.insert(0, "audit", name)
        frames.append(series)
    return pd.concat(frames, ignore_index=True)


def pooled(series: pd.DataFrame, first: str, last: str) -> tuple[int, int]:
    """(x, n) summed over the months first..last inclusive."""
    window = series[(series["month"] >= first) & (series["month"] <= last)]
    return int(window["x"].sum()), int(window["n"].sum())


def quarter(month: str) -> str:
    """Financial quarter label of a month, e.g. '2019-12' -> '2019/20 Q3'."""
    year, m = int(month[:4]), int(month[5:])
    fy = year if m >= 4 else year - 1
    return f"{fy}/{(fy + 1) % 100:02d} Q{((m - 4) % 12) // 3 + 1}"


# --- Scorecard measures derived from the raw inputs ------------------------------------------------

def answered_in_time(loaded: dict[str, Loaded], params: Params, route: str) -> pd.DataFrame:
    """Answered calls of a route answered within its standard's seconds (``calls.answer``), of all answered."""
    c = loaded["contacts"].frame
    c = c[(c["route"] == route) & ~c["abandoned"].astype(bool)]
    wait = (c["answered_at"] - c["presented_at"]).dt.total_seconds()
    return per_month(params, month_of(c["presented_at"]), wait <= params.calls.standard(route).seconds,
                     coverage(loaded, "contacts"))


def _abandoned(loaded: dict[str, Loaded], params: Params, route: str) -> pd.DataFrame:
    c = loaded["contacts"].frame
    c = c[c["route"] == route]
    if params.calls.abandon_rate_denominator == "queued":
        waited = (c["answered_at"] - c["presented_at"]).dt.total_seconds() > 0
        c = c[c["abandoned"].astype(bool) | waited.fillna(False)]
    return per_month(params, month_of(c["presented_at"]), c["abandoned"], coverage(loaded, "contacts"))


def attended_rows(loaded: dict[str, Loaded], params: Params, grade: str,
                  vulnerable_only: bool = False) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(incidents of a grade, their month, attended within the grade's target, ``response.attend_within_minutes``):
    the rows of :func:`attended_within`."""
    minutes = params.response.within(grade)
    i = loaded["incidents"].frame
    i = i[i["grade"] == grade]
    if vulnerable_only:
        i = i[i["vulnerable_person"].astype(bool)]
    mins = (i["first_arrived_at"] - i["created_at"]).dt.total_seconds() / 60
    return i, month_of(i["created_at"]), (mins <= minutes).fillna(False)


def attended_within(loaded: dict[str, Loaded], params: Params, grade: str, vulnerable_only: bool = False) -> pd.DataFrame:
    """Incidents of a grade attended within its target of creation, of all incidents of that grade."""
    _, month, flag = attended_rows(loaded, params, grade, vulnerable_only)
    return per_month(params, month, flag, coverage(loaded, "incidents"))


def _crimes_recorded_24h(loaded, params):
    c = crimes(loaded, params)
    hours = (c["recorded_at"] - c["reported_at"]).dt.total_seconds() / 3600
    return per_month(params, c["Month"], (hours <= 24).fillna(False), coverage(loaded, "crimes"))


def positive(categories: pd.Series, params: Params) -> pd.Series:
    """True for an outcome category in a positive ("solved") outcome group (``outcomes.positive``)."""
    solved = [c for g in params.outcomes.positive for c in params.outcomes.groups[g]]
    return categories.isin(solved).fillna(False)


def _crimes_solved(loaded, params):
    c = crimes(loaded, params)
    return per_month(params, c["Month"], positive(c["Last outcome category"], params), coverage(loaded, "crimes"))


def _neighbourhood_crime_rate(loaded, params):
    c = crimes(loaded, params)
    out = counts(c.loc[c["Crime type"].isin(params.scorecard.neighbourhood_crime_types), "Month"], months(params),
                 coverage(loaded, "crimes"))
    out["x"] = out["value"]
    out["value"] = out["value"] / params.scorecard.population * 1000
    return out


def _concern_for_safety_attended(loaded, params):
    i = loaded["incidents"].frame
    i = i[(i["category"] == "Concern for safety") & i["first_arrived_at"].notna()]
    return counts(month_of(i["created_at"]), months(params), coverage(loaded, "incidents"))


@dataclass(frozen=True)
class Derived:
    """A measure the book computes from an input: how (``compute(loaded, params)`` → the monthly series) and what
    it needs (input -> the columns it reads that a force's file may not carry)."""

    compute: Callable[[dict, Params], pd.DataFrame]
    needs: dict[str, tuple[str, ...]]

    def __call__(self, loaded, params) -> pd.DataFrame:
        return self.compute(loaded, params)


# The one registry of derived measures: each ``derived:<name>`` source of the catalogue, and what it needs.
DERIVED: dict[str, Derived] = {
    "ppn_submitted_in_time": Derived(ppn_submitted_in_time, {"ppn": ()}),
    "ppn_all_children": Derived(ppn_all_children, {"ppn": ()}),
    "stop_search_grounds": Derived(stop_search_grounds, {"stop_search": ("grounds_recorded",)}),
    "stop_search_supervised": Derived(stop_search_supervised, {"stop_search": ("supervisor_reviewed",)}),
    "stop_search_linked_outcome": Derived(stop_search_linked_outcome, {"stop_search": ()}),
    "da_arrest_rate": Derived(da_arrest_rate, {"crimes": ("domestic_abuse", "arrest_made")}),
    "crimes_recorded_24h": Derived(_crimes_recorded_24h, {"crimes": ("reported_at", "recorded_at")}),
    "vulnerable_immediate_in_target": Derived(lambda ld, p: attended_within(ld, p, "immediate", vulnerable_only=True),
                                              {"incidents": ()}),
    "calls_999_answered_in_time": Derived(lambda ld, p: answered_in_time(ld, p, "999"), {"contacts": ()}),
    "calls_999_abandoned": Derived(lambda ld, p: _abandoned(ld, p, "999"), {"contacts": ()}),
    "calls_101_answered_in_time": Derived(lambda ld, p: answered_in_time(ld, p, "101"), {"contacts": ()}),
    "calls_101_abandoned": Derived(lambda ld, p: _abandoned(ld, p, "101"), {"contacts": ()}),
    "immediate_in_target": Derived(lambda ld, p: attended_within(ld, p, "immediate"), {"incidents": ()}),
    "priority_in_target": Derived(lambda ld, p: attended_within(ld, p, "priority"), {"incidents": ()}),
    "crimes_solved": Derived(_crimes_solved, {"crimes": ()}),
    "neighbourhood_crime_rate": Derived(_neighbourhood_crime_rate, {"crimes": ()}),
    "concern_for_safety_attended": Derived(_concern_for_safety_attended, {"incidents": ()}),
}


def catalogue(path) -> list:
    """The measure catalogue at ``path`` (:func:`lib.config.catalogue.load_catalogue`), each ``derived:`` source
    checked against :data:`DERIVED`."""
    return load_catalogue(path, derived=DERIVED)


def with_standards(measures: list, params: Params) -> list:
    """The measures, each with a ``standard`` given its target from there: the route's call-answer share (as a
    percentage) and whose standard it is (``calls.answer``); no target set where the standard sets no share."""
    out = []
    for m in measures:
        if m.standard is not None:
            answer = params.calls.standard(m.standard.split(".", 1)[1])
            share = None if answer.share is None else 100 * answer.share
            m = m.model_copy(update={"desired": share, "desired_source": answer.source if share is not None else ""})
        out.append(m)
    return out


def missing(measure, loaded: dict[str, Loaded]) -> str:
    """Why a measure is not supplied ('' when the inputs give it): the input or the columns it lacks."""
    needs = DERIVED[measure.source[8:]].needs if measure.source.startswith("derived:") else {"measure_values": ()}
    for source, columns in needs.items():
        if source not in loaded:
            return f"needs inputs.{source}"
        absent = [c for c in columns if not loaded[source].supplies(c)]
        if absent:
            return f"the {source} input does not carry {' or '.join(absent)}"
    if measure.source == "measure_values" and not (loaded["measure_values"].frame["measure_id"] == measure.id).any():
        return "no row in the measure-values file"
    return ""


def from_values_file(loaded: dict[str, Loaded], params: Params, measure_id: str, unit: str) -> pd.DataFrame:
    """A measure's monthly values from the measure-values file (NaN where a month is missing).

    A percentage with a numerator and denominator gets the interval of the params' method.
    """
    v = loaded["measure_values"].frame
    v = v[v["measure_id"] == measure_id].set_index("month")  # one row a month: the contract's key
    all_months = months(params)
    out = pd.DataFrame({"month": all_months})
    out["value"] = v["value"].reindex(all_months).to_numpy(dtype=float)
    out["x"] = v["numerator"].reindex(all_months).to_numpy(dtype=float)
    out["n"] = v["denominator"].reindex(all_months).to_numpy(dtype=float)
    out["lower"], out["upper"] = np.nan, np.nan
    if unit == "percent":
        whole = out["x"].notna() & out["n"].notna() & (out["n"] > 0) & (out["x"] <= out["n"]) \
            & (out["x"] % 1 == 0) & (out["n"] % 1 == 0)
        for i in np.flatnonzero(whole.to_numpy()):
            lo, hi = proportion_ci(int(out.at[i, "x"]), int(out.at[i, "n"]), params.compliance.interval_method)
            out.at[i, "lower"], out.at[i, "upper"] = 100 * lo, 100 * hi
    return out


def series(measure, loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """The monthly series of a catalogue measure (see the module docstring for the columns)."""
    if measure.source.startswith("derived:"):
        out = DERIVED[measure.source[8:]](loaded, params)
    else:
        out = from_values_file(loaded, params, measure.id, measure.unit)
    return out[COLUMNS].reset_index(drop=True)
