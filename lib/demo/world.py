"""Seeded demo data for a Cleveland-sized force, April 2018 – March 2020.

Every input source of :mod:`lib.inputs.contracts` is written, calibrated to tell the story of the seed
update (Cleveland Police, January 2020): PPN submission compliance ~50% in March 2019 rising to
~99% by December 2019; PPNs with all children ~50% → 82%; domestic-abuse arrest rate ~22% → 39%;
~244 stop searches in November 2019 with grounds recorded ~98% (~95% over 12 months); ~100k 999
calls and ~220k 101 calls a year with 999 answered in 10 s around 85–90%; the programme's 6 causes
of concern with 30 recommendations and its other items.

Contacts: hourly Poisson arrivals with hour-of-day × day-of-week × month seasonality per route and
bank-holiday effects; lognormal (skewed) talk and wrap times; the calls are served first come,
first served, call by call, by the handlers rostered for the *expected* demand (so busy hours answer
slower), and a caller hangs up when their exponential patience runs out first (an M/M/N+M queue).
Incidents: arrivals follow the 999 profile; attendance times are lognormal and stretch with the
hour's load. Staffing: the call handlers the queues were simulated with, as a telephony interval
export. Workforce: response officers' strength, joiners and leavers a month, then planned intakes
to March 2024. Commentary: owners' notes on some measures from October 2019, and on most overdue
tracker items. Peers: a data.police.uk archive of the force's most similar group, synthetic for the
peers and the force's own demo crimes for the force.

Same seed → byte-identical Parquet files (numpy's PCG64 stream, sorted rows, fixed schema).
"""
from __future__ import annotations

import argparse
import hashlib
import heapq
import os
import shutil
import sys
import tempfile
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from lib import ROOT
from lib.config.yamlfile import read_yaml
from lib.demo.peers import write_archive
from lib.inputs.contracts import CONTRACTS, TIMEZONE
from lib.peers.archive import STREET_COLUMNS
from lib.staffing.erlang import required_agents

SEED = 20200131
# What the params already state about the demo force, read from the one place they are stated.
STATED = read_yaml(ROOT / "params" / "defaults.yml", "defaults file")
START, END = STATED["history_start"], "2020-04-01"  # END exclusive
OUT = ROOT / "data" / "demo"
FORCE = STATED["force"]["name"]

# Hour-of-day shapes (00-23), normalised later.
HOD = {
    "999": [.62, .52, .42, .35, .30, .29, .34, .50, .75, .90, 1.0, 1.07, 1.12, 1.14, 1.18, 1.27,
            1.36, 1.42, 1.44, 1.42, 1.38, 1.28, 1.10, .85],
    "101": [.30, .20, .15, .12, .10, .12, .25, .60, 1.20, 1.50, 1.55, 1.50, 1.45, 1.45, 1.45, 1.45,
            1.40, 1.35, 1.30, 1.25, 1.10, .95, .75, .50],
    "switchboard": [.02, .02, .02, .02, .02, .02, .10, .60, 2.0, 2.6, 2.6, 2.4, 2.2, 2.3, 2.4, 2.3,
                    2.0, 1.2, .40, .20, .10, .06, .04, .03],
    "online": [.45, .35, .25, .20, .18, .20, .35, .60, .90, 1.10, 1.25, 1.30, 1.30, 1.30, 1.30, 1.30,
               1.30, 1.35, 1.40, 1.45, 1.45, 1.35, 1.10, .75],
}
DOW = {  # Monday..Sunday
    "999": [.95, .93, .95, .98, 1.08, 1.13, 1.0], "101": [1.12, 1.05, 1.02, 1.0, 1.0, .92, .89],
    "switchboard": [1.30, 1.25, 1.20, 1.20, 1.15, .45, .45], "online": [1.10, 1.05, 1.0, 1.0, .95, .95, .95],
}
MOY = {  # January..December
    "999": [.92, .88, .95, .98, 1.03, 1.07, 1.12, 1.08, 1.0, 1.0, .97, .99],
    "101": [.95, .93, .98, .99, 1.02, 1.04, 1.08, 1.06, 1.01, 1.0, .97, .97],
    "switchboard": [1.0, 1.0, 1.0, .98, 1.0, 1.0, .95, .92, 1.02, 1.05, 1.05, .95],
    "online": [.80, .82, .88, .92, .98, 1.0, 1.05, 1.05, 1.08, 1.10, 1.12, 1.15],
}
BANK_HOLIDAY = {"999": 1.10, "101": 0.80, "switchboard": 0.30, "online": 0.90}
ANNUAL = {"999": 100_000, "101": 220_000, "switchboard": 60_000, "online": 30_000}
# Lognormal medians (seconds) and shape of talk and wrap; patience mean (s); the roster is planned
# with Erlang C on the *expected* load for (service level, answer seconds); online never abandons.
TALK = {"999": (150, .55), "101": (230, .60), "switchboard": (45, .50), "online": (420, .45)}
WRAP = {"999": (60, .50), "101": (90, .55), "switchboard": (8, .40), "online": (120, .50)}
# Callers' mean patience (s): the params' for the routes they model, the demo's own for the others.
PATIENCE = {**{r: float(s) for r, s in STATED["fcr"]["patience_seconds"].items()}, "switchboard": 120.0,
            "online": np.inf}
PLAN = {"999": (0.72, 10), "101": (0.40, 120), "switchboard": (0.85, 30), "online": (0.80, 3600)}

DISTRICTS = list(STATED["districts"])  # each district is the local authority of its name
DISTRICT_P = [.16, .30, .22, .32]


def _ramp(months: pd.PeriodIndex | pd.Series, start: float, end: float, first="2019-03", last="2019-12"):
    """Piecewise-linear change: ``start`` up to ``first``, ``end`` from ``last`` on, linear between."""
    m = pd.PeriodIndex(months, freq="M") if not isinstance(months, pd.PeriodIndex) else months
    pos = (m - pd.Period(first, "M")).map(lambda d: d.n).to_numpy(float)
    span = (pd.Period(last, "M") - pd.Period(first, "M")).n
    return start + (end - start) * np.clip(pos / span, 0, 1)


def _hours() -> pd.DatetimeIndex:
    return pd.date_range(START, END, freq="h", tz=TIMEZONE, inclusive="left")


def _bank_holidays(hours: pd.DatetimeIndex) -> np.ndarray:
    days = holidays.UK(subdiv="ENG", years=[2018, 2019, 2020])
    return np.isin(hours.tz_localize(None).normalize().date, list(days.keys()))


def hourly_rate(route: str, hours: pd.DatetimeIndex) -> np.ndarray:
    """Expected contacts per hour for a route (seasonality × bank holidays, scaled to the annual volume)."""
    hod = np.array(HOD[route]) / np.mean(HOD[route])
    dow = np.array(DOW[route]) / np.mean(DOW[route])
    moy = np.array(MOY[route]) / np.mean(MOY[route])
    shape = hod[hours.hour] * dow[hours.day_of_week] * moy[hours.month - 1]
    shape = shape * np.where(_bank_holidays(hours), BANK_HOLIDAY[route], 1.0)
    return ANNUAL[route] / 8766 * shape / shape.mean()


def _ids(prefix: str, n: int, width: int = 7) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _times(hours: pd.DatetimeIndex, counts: np.ndarray, rng) -> pd.Series:
    """Uniform arrival instants within each hour, whole seconds, in order."""
    start = np.repeat(hours.as_unit("s").asi8, counts)
    offsets = rng.integers(0, 3600, size=start.size)
    secs = np.sort(start + offsets)
    return pd.Series(pd.to_datetime(secs, unit="s", utc=True).tz_convert(TIMEZONE))


def _queue(arrival: np.ndarray, hour: np.ndarray, handle: np.ndarray, patience: np.ndarray,
           agents: np.ndarray) -> np.ndarray:
    """Waits (s) of calls served first come, first served by ``agents[h]`` call handlers in hour h; NaN when the
    caller hangs up first (after ``patience``).

    Each caller's wait is the time until the first handler is free of the callers ahead who stayed
    (the virtual waiting time of an M/M/N+M queue). When an hour has fewer handlers than the last,
    the first to come free log off; when it has more, the new ones log on at the hour's start.
    """
    free: list[float] = []  # when each handler on duty is next free (a heap)
    wait = np.full(len(arrival), np.nan)
    current = -1
    for i in range(len(arrival)):
        h = hour[i]
        while current < h:
            current += 1
            while len(free) < agents[current]:
                heapq.heappush(free, current * 3600.0)
            while len(free) > agents[current]:
                heapq.heappop(free)
        t = arrival[i]
        ready = heapq.heappop(free)
        w = max(ready - t, 0.0)
        if w > patience[i]:
            heapq.heappush(free, ready)
        else:
            wait[i] = w
            heapq.heappush(free, t + w + handle[i])
    return wait


def contacts(rng) -> pd.DataFrame:
    """FCR contacts, one row per contact."""
    hours = _hours()
    frames = []
    for route in ("999", "101", "switchboard", "online"):
        lam = hourly_rate(route, hours)
        counts = rng.poisson(lam)
        when = _times(hours, counts, rng)
        hour_idx = np.repeat(np.arange(len(hours)), counts)
        n = len(when)
        talk = np.round(TALK[route][0] * rng.lognormal(0, TALK[route][1], n))
        wrap = np.round(WRAP[route][0] * rng.lognormal(0, WRAP[route][1], n))
        patience = rng.exponential(PATIENCE[route], n) if np.isfinite(PATIENCE[route]) else np.full(n, np.inf)
        # Handlers are rostered for the expected load (the staffing export), so actual surges queue longer.
        arrival = (when.dt.tz_convert("UTC") - hours[0].tz_convert("UTC")).dt.total_seconds().to_numpy()
        wait = np.round(_queue(arrival, hour_idx, talk + wrap, patience, _agents(route, lam)))
        abandoned = np.isnan(wait)
        answered = when + pd.to_timedelta(np.where(abandoned, 0, wait), unit="s")
        frames.append(pd.DataFrame({
            "route": route,
            "presented_at": when,
            "answered_at": answered.where(~abandoned),
            "abandoned": abandoned,
            "talk_seconds": np.where(abandoned, 0.0, talk),
            "wrap_seconds": np.where(abandoned, 0.0, wrap),
        }))
    out = pd.concat(frames, ignore_index=True).sort_values(["presented_at", "route"], kind="stable")
    out.insert(0, "contact_id", _ids("C", len(out), 8))
    return out.reset_index(drop=True)


def _agents(route: str, lam: np.ndarray) -> np.ndarray:
    """Call handlers on the phones per hour: Erlang C for the expected calls and mean handling time."""
    aht = TALK[route][0] * np.exp(TALK[route][1] ** 2 / 2) + WRAP[route][0] * np.exp(WRAP[route][1] ** 2 / 2)
    return required_agents(lam, aht, PLAN[route][1], PLAN[route][0])


def staffing() -> pd.DataFrame:
    """Call handlers logged on per hour and route, as a telephony interval report: the staff the demo's
    queues were simulated with (:func:`contacts`), so the control-room model can be checked against them."""
    hours = _hours()
    frames = []
    for route in ("999", "101", "switchboard", "online"):
        frames.append(pd.DataFrame({"interval_start": hours, "interval_minutes": 60, "route": route,
                                    "staff_logged_on": _agents(route, hourly_rate(route, hours)).astype(float)}))
    return pd.concat(frames, ignore_index=True).sort_values(["interval_start", "route"], kind="stable",
                                                            ignore_index=True)


# Response officers (HR): strength at the start, mean leavers a month, intake cohorts by month of year, and
# the intakes planned after the data ends (a growing programme, as in the seed's uplift).
WORKFORCE_START = 296
LEAVERS_PER_MONTH = 2.4
INTAKE = {9: 14, 1: 10, 5: 8}
PLANNED_INTAKE = {9: 20, 1: 16, 5: 12}
PLAN_UNTIL = "2024-03"


def workforce(seed: int) -> pd.DataFrame:
    """Monthly strength, joiners and leavers to the end of the data, then planned intakes to ``PLAN_UNTIL``.

    Its own random stream (``seed``, 2), so adding it left every other demo file as it was."""
    rng = np.random.default_rng([seed, 2])
    months = pd.period_range(START, pd.Period(END, "M") - 1, freq="M")
    strength, rows = float(WORKFORCE_START), []
    for m in months:
        joiners = float(INTAKE.get(m.month, 0))
        leavers = float(rng.poisson(LEAVERS_PER_MONTH))
        strength += joiners - leavers
        rows.append({"month": str(m), "strength": strength, "joiners": joiners, "leavers": leavers,
                     "planned_intake": np.nan})
    for m in pd.period_range(months[-1] + 1, PLAN_UNTIL, freq="M"):
        rows.append({"month": str(m), "strength": np.nan, "joiners": np.nan, "leavers": np.nan,
                     "planned_intake": float(PLANNED_INTAKE.get(m.month, 0))})
    return pd.DataFrame(rows)


GRADE_P = {"immediate": .13, "priority": .37, "scheduled": .20, "resolved without deployment": .30}
# Median attendance minutes at average load, lognormal shape.
ATTEND = {"immediate": (8.5, .55), "priority": (34.0, .75), "scheduled": (20 * 60.0, .60)}
ON_SCENE = {"immediate": (95.0, .6), "priority": (80.0, .6), "scheduled": (55.0, .5)}
CATEGORIES = ["Domestic", "Concern for safety", "Crime", "Anti-social behaviour", "Road traffic",
              "Missing person", "Suspicious circumstances", "Public safety"]
CATEGORY_P = [.17, .14, .25, .15, .08, .05, .10, .06]


def incidents(rng) -> pd.DataFrame:
    """Command-and-control incidents, ~170k a year, with load-dependent attendance."""
    hours = _hours()
    lam = hourly_rate("999", hours) * 170_000 / ANNUAL["999"]
    counts = rng.poisson(lam)
    created = _times(hours, counts, rng)
    n = len(created)
    load = np.repeat(counts / lam.mean(), counts)
    grade = rng.choice(list(GRADE_P), n, p=list(GRADE_P.values()))
    arrive_min = np.full(n, np.nan)
    scene_min = np.full(n, np.nan)
    officers = np.zeros(n, dtype=int)
    for g, (median, sigma) in ATTEND.items():
        m = grade == g
        stretch = load[m] ** 0.6 if g != "scheduled" else 1.0
        arrive_min[m] = median * stretch * rng.lognormal(0, sigma, m.sum())
        scene_min[m] = ON_SCENE[g][0] * rng.lognormal(0, ON_SCENE[g][1], m.sum())
        officers[m] = {"immediate": 2, "priority": 1, "scheduled": 1}[g] + rng.binomial(1, .35, m.sum())
    category = rng.choice(CATEGORIES, n, p=CATEGORY_P)
    vulnerable = rng.random(n) < np.where(np.isin(category, ["Domestic", "Concern for safety", "Missing person"]), .6, .12)
    arrived = created + pd.to_timedelta(np.round(arrive_min * 60), unit="s")
    cleared = arrived + pd.to_timedelta(np.round(scene_min * 60), unit="s")
    out = pd.DataFrame({
        "incident_id": _ids("INC", n, 7),
        "created_at": created,
        "grade": grade,
        "first_arrived_at": arrived,
        "cleared_at": cleared,
        "district": rng.choice(DISTRICTS, n, p=DISTRICT_P),
        "vulnerable_person": vulnerable,
        "category": category,
        "officers_assigned": officers.astype("int64"),
    })
    return out


def _months() -> pd.PeriodIndex:
    return pd.period_range(START, pd.Timestamp(END) - pd.Timedelta(days=1), freq="M")


def _month_times(months: np.ndarray, rng) -> pd.Series:
    """A uniformly random instant within each given month (Europe/London), whole seconds."""
    p = pd.PeriodIndex(months, freq="M")
    start = p.start_time.tz_localize(TIMEZONE).as_unit("s").asi8
    end = (p + 1).start_time.tz_localize(TIMEZONE).as_unit("s").asi8
    secs = start + np.floor(rng.random(len(p)) * (end - start)).astype(np.int64)
    return pd.Series(pd.to_datetime(secs, unit="s", utc=True).tz_convert(TIMEZONE))


LEGISLATION = [
    ("Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", .58),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods", .20),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons", .12),
    ("Police and Criminal Evidence Act 1984 (section 1)", "Article for use in theft", .07),
    ("Criminal Justice and Public Order Act 1994 (section 60)", "Offensive weapons", .03),
]
OUTCOMES = [("A no further action disposal", .69), ("Arrest", .14), ("Community resolution", .08),
            ("Summons / charged by post", .04), ("Penalty Notice for Disorder", .02),
            ("Khat or Cannabis warning", .03)]


def stop_search(rng) -> pd.DataFrame:
    """Stop and search records in the data.police.uk layout plus the two compliance flags."""
    months = _months()
    mean = _ramp(months, 150, 235, "2018-04", "2019-10")
    mean[months == pd.Period("2019-11", "M")] = 244
    counts = rng.poisson(mean)
    month_of = np.repeat(months.astype(str).to_numpy(), counts)
    n = len(month_of)
    when = _month_times(month_of, rng)
    order = np.argsort(when.to_numpy(), kind="stable")
    when, month_of = when.iloc[order].reset_index(drop=True), month_of[order]
    leg_idx = rng.choice(len(LEGISLATION), n, p=[x[2] for x in LEGISLATION])
    outcome = rng.choice([o for o, _ in OUTCOMES], n, p=[p for _, p in OUTCOMES])
    nfa = outcome == "A no further action disposal"
    grounds_p = _ramp(pd.PeriodIndex(month_of, freq="M"), .90, .98, "2018-12", "2019-10")
    reviewed_p = _ramp(pd.PeriodIndex(month_of, freq="M"), .88, 1.0, "2018-10", "2019-04")
    ethnic = rng.choice(["White", "Asian", "Black", "Mixed", "Other"], n, p=[.88, .06, .02, .03, .01])
    self_defined = np.char.add(ethnic.astype(str), " - ").astype(object)
    self_defined = np.where(ethnic == "White", "White - English/Welsh/Scottish/Northern Irish/British",
                            np.char.add(ethnic.astype(str), " - Any other background"))
    removal = rng.random(n) < .03
    op = rng.random(n) < .06
    return pd.DataFrame({
        "Type": rng.choice(["Person search", "Vehicle search", "Person and Vehicle search"], n, p=[.82, .05, .13]),
        "Date": when,
        "Part of a policing operation": op,
        "Policing operation": np.where(op, "Operation Phoenix", None),
        "Latitude": np.round(54.56 + rng.normal(0, .04, n), 6),
        "Longitude": np.round(-1.24 + rng.normal(0, .10, n), 6),
        "Gender": rng.choice(["Male", "Female"], n, p=[.89, .11]),
        "Age range": rng.choice(["10-17", "18-24", "25-34", "over 34"], n, p=[.17, .33, .28, .22]),
        "Self-defined ethnicity": self_defined,
        "Officer-defined ethnicity": ethnic,
        "Legislation": np.array([x[0] for x in LEGISLATION])[leg_idx],
        "Object of search": np.array([x[1] for x in LEGISLATION])[leg_idx],
        "Outcome": outcome,
        "Outcome linked to object of search": np.where(nfa, False, rng.random(n) < .7),
        "Removal of more than just outer clothing": removal,
        "grounds_recorded": rng.random(n) < grounds_p,
        "supervisor_reviewed": rng.random(n) < reviewed_p,
    })


CRIME_MIX = {
    "Violence and sexual offences": .36, "Criminal damage and arson": .12, "Public order": .10,
    "Shoplifting": .09, "Other theft": .09, "Burglary": .07, "Vehicle crime": .07, "Drugs": .03,
    "Other crime": .02, "Bicycle theft": .015, "Possession of weapons": .01, "Robbery": .01,
    "Theft from the person": .005,
}
DA_SHARE = {"Violence and sexual offences": .38, "Criminal damage and arson": .12, "Public order": .10}
OUTCOME_TEXT = ["Investigation complete; no suspect identified", "Unable to prosecute suspect",
                "Offender given a caution", "Local resolution", "Awaiting court outcome",
                "Status update unavailable"]
OUTCOME_P = [.45, .25, .06, .05, .04, .15]  # about 15% positive outcomes (caution, local resolution, court)
STREETS = ["High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Albert Road",
           "Marton Road", "Linthorpe Road", "York Road", "Yarm Lane", "Stockton Road", "Redcar Lane"]


def crimes(rng) -> pd.DataFrame:
    """Recorded crimes (no anti-social behaviour), ~60k rising to ~70k a year."""
    months = _months()
    counts = rng.poisson(_ramp(months, 5000, 5900, "2018-04", "2020-03"))
    month_of = np.repeat(months.astype(str).to_numpy(), counts)
    n = len(month_of)
    reported = _month_times(month_of, rng)
    order = np.argsort(reported.to_numpy(), kind="stable")
    reported, month_of = reported.iloc[order].reset_index(drop=True), month_of[order]
    ctype = rng.choice(list(CRIME_MIX), n, p=np.array(list(CRIME_MIX.values())) / sum(CRIME_MIX.values()))
    da = rng.random(n) < pd.Series(ctype).map(DA_SHARE).fillna(0.02).to_numpy()
    pmonth = pd.PeriodIndex(month_of, freq="M")
    arrest_p = np.where(da, _ramp(pmonth, .22, .39), .14)
    arrest = rng.random(n) < arrest_p
    in_24h = rng.random(n) < _ramp(pmonth, .86, .93)
    delay = np.where(in_24h, rng.uniform(0.1, 23.9, n), rng.uniform(24.5, 240, n))
    recorded = reported + pd.to_timedelta(np.round(delay * 3600), unit="s")
    outcome_at = reported + pd.to_timedelta(np.round(rng.exponential(25 * 24 * 3600, n)), unit="s")
    export = pd.Timestamp(END, tz=TIMEZONE)
    has_outcome = outcome_at < export
    lsoa = rng.integers(1, 60, n)
    district = np.array(DISTRICTS)[lsoa % 4]
    return pd.DataFrame({
        "Crime ID": [hashlib.sha256(f"{SEED}-crime-{i}".encode()).hexdigest() for i in range(n)],
        "Month": month_of,
        "Reported by": FORCE,
        "Falls within": FORCE,
        "Longitude": np.round(-1.24 + rng.normal(0, .10, n), 6),
        "Latitude": np.round(54.56 + rng.normal(0, .04, n), 6),
        "Location": np.char.add("On or near ", rng.choice(STREETS, n)),
        "LSOA code": np.char.add("E0101", np.char.zfill((2000 + lsoa).astype(str), 4)),
        "LSOA name": np.char.add(np.char.add(district, " "), np.char.add(np.char.zfill(lsoa.astype(str), 3), "A")),
        "Crime type": ctype,
        "Last outcome category": np.where(has_outcome, rng.choice(OUTCOME_TEXT, n, p=OUTCOME_P), "Under investigation"),
        "Context": None,
        "reported_at": reported,
        "recorded_at": recorded,
        "domestic_abuse": da,
        "arrest_made": arrest,
        "outcome_at": outcome_at.where(has_outcome),
    })


ASB_PER_MONTH = 2500  # anti-social behaviour incidents a month (Cleveland publishes about 30,000 a year)


def anti_social_behaviour(seed: int) -> pd.DataFrame:
    """Anti-social behaviour rows of the street-level file, as data.police.uk publishes them: no crime id and no
    outcome; not crimes, so every crime measure leaves them out. Their own random stream (``seed``, 3)."""
    rng = np.random.default_rng([seed, 3])
    months = _months()
    month_of = np.repeat(months.astype(str).to_numpy(), rng.poisson(ASB_PER_MONTH * _ramp(months, 1.0, 0.9), len(months)))
    n = len(month_of)
    reported = _month_times(month_of, rng)
    lsoa = rng.integers(1, 60, n)
    district = np.array(DISTRICTS)[lsoa % 4]
    return pd.DataFrame({
        "Crime ID": None, "Month": month_of, "Reported by": FORCE, "Falls within": FORCE,
        "Longitude": np.round(-1.24 + rng.normal(0, .10, n), 6), "Latitude": np.round(54.56 + rng.normal(0, .04, n), 6),
        "Location": np.char.add("On or near ", rng.choice(STREETS, n)),
        "LSOA code": np.char.add("E0101", np.char.zfill((2000 + lsoa).astype(str), 4)),
        "LSOA name": np.char.add(np.char.add(district, " "), np.char.add(np.char.zfill(lsoa.astype(str), 3), "A")),
        "Crime type": "Anti-social behaviour", "Last outcome category": None, "Context": None,
        "reported_at": reported, "recorded_at": reported, "domestic_abuse": False, "arrest_made": False,
        "outcome_at": pd.Series(pd.NaT, index=range(n), dtype=reported.dtype),
    })


def ppn(rng, incident_frame: pd.DataFrame) -> pd.DataFrame:
    """PPNs raised at about a third of domestic incidents, compliance improving through 2019."""
    dom = incident_frame[incident_frame["category"] == "Domestic"]
    dom = dom[rng.random(len(dom)) < .35]
    n = len(dom)
    submitted = dom["created_at"].reset_index(drop=True) + pd.to_timedelta(
        np.round(rng.lognormal(np.log(8 * 3600), .8, n)), unit="s")
    month = pd.PeriodIndex(dom["created_at"].dt.strftime("%Y-%m").to_numpy(), freq="M")
    children = rng.random(n) < .42
    all_added = rng.random(n) < _ramp(month, .50, .82)
    out = pd.DataFrame({
        "ppn_id": _ids("PPN", n, 6),
        "incident_id": dom["incident_id"].to_numpy(),
        "submitted_at": submitted,
        "submitted_in_time": rng.random(n) < _ramp(month, .50, .99),
        "children_present": children,
        "all_children_added": pd.array(np.where(children, all_added, False), dtype="boolean"),
    })
    out.loc[~children, "all_children_added"] = pd.NA
    return out


AUDIT_NAMES = ["Body-worn video", "Case file quality", "Crime recording", "Custody records",
               "DA risk assessment", "Missing person risk", "PPN quality", "Stop search grounds",
               "Use of force", "Victim contact"]


# What a failed record lacked, by theme (the same few themes across audits, as a board would group them).
AUDIT_THEMES = ["Risk assessment not completed", "Supervisor review missing", "Victim not updated",
                "Rationale not recorded", "Safeguarding referral not made"]


def audits(rng) -> pd.DataFrame:
    """Ten records a month for each of the Chief's Top 10 audits; a failed record's theme is drawn from
    :data:`AUDIT_THEMES` by its place (not from the random stream, so every other demo file stays as it was),
    weighted towards the first themes."""
    months = _months()
    rows = []
    for i, m in enumerate(months):
        p = float(_ramp(pd.PeriodIndex([m]), .62, .86)[0])
        for j, name in enumerate(AUDIT_NAMES):
            passed = rng.random(10) < p
            for k in range(10):
                theme = None if passed[k] else AUDIT_THEMES[min((i + 3 * j + k) % 9, 4 + (i + j + k) % 2) % 5]
                rows.append((str(m), name, f"REC-{rng.integers(10**6, 10**7)}", bool(passed[k]), theme))
    return pd.DataFrame(rows, columns=["month", "audit", "record_id", "passed", "failure_theme"])


# measure id → (kind, level at start, level at end, denominator per month or None)
MEASURES = {
    "sarahs_clares_law_disclosures": ("count", 18, 32, None),
    "victim_satisfaction_follow_up": ("pct", 62, 70, 220),
    "victim_satisfaction_treatment": ("pct", 80, 84, 220),
    "victim_satisfaction_overall": ("pct", 70, 76, 220),
    "sickness_hours_lost": ("pct", 5.0, 4.3, None),
    "da_repeat_victim": ("pct", 38.0, 33.0, 900),
    "missing_repeat_person": ("pct", 34.0, 29.0, 260),
    "expired_vetting": ("pct", 14.0, 6.0, 2400),
    "outstanding_suspects": ("count", 1450, 1100, None),
    "days_to_charge": ("count", 48, 41, None),
}


def measure_values(rng) -> pd.DataFrame:
    """Monthly values of the scorecard measures not derivable from the other sources."""
    rows = []
    months = _months()
    for mid, (kind, a, b, denom) in MEASURES.items():
        level = _ramp(months, a, b, "2018-10", "2020-03")
        for m, lv in zip(months, level):
            if denom:
                d = int(rng.poisson(denom))
                x = int(rng.binomial(d, lv / 100))
                rows.append((mid, str(m), float(x), float(d), round(100 * x / d, 2)))
            elif kind == "pct":
                rows.append((mid, str(m), None, None, round(float(lv + rng.normal(0, .25)), 2)))
            else:
                rows.append((mid, str(m), None, None, float(rng.poisson(lv))))
    return pd.DataFrame(rows, columns=["measure_id", "month", "numerator", "denominator", "value"])


WORKSTREAMS = ["Understanding demand", "Our communities", "Vulnerability", "Crime and anti-social behaviour",
               "Our people", "Planning and governance"]
CAUSES = [  # (title, workstream, recommendations)
    ("Understanding demand and strategic planning", "Understanding demand", 6),
    ("Public engagement, communication and scrutiny", "Our communities", 5),
    ("Protecting vulnerable people", "Vulnerability", 6),
    ("Prevention", "Crime and anti-social behaviour", 4),
    ("Workforce engagement and treating the workforce fairly", "Our people", 5),
    ("Ethical behaviour and culture", "Our people", 4),
]
# The inspection's wording of each cause of concern, its success criteria and the measures that evidence it, and
# the text of its recommendations (invented for the demo in the style of an HMICFRS PEEL report).
CAUSE_TEXT = [
    ("The force does not understand the demand it faces well enough to plan and deploy its resources to meet it.",
     "A demand profile refreshed each quarter sets the force management statement and the control-room and "
     "response establishment; 999 calls are answered and immediate incidents attended within target.",
     "calls_999_answered_in_time;calls_999_abandoned;immediate_in_target;priority_in_target"),
    ("The force does not engage well enough with the public it serves, nor explain its decisions to them.",
     "Every district holds a quarterly public meeting whose priorities are published; victim satisfaction with "
     "follow-up rises to the force target.",
     "victim_satisfaction_follow_up;victim_satisfaction_overall"),
    ("The force does not do enough to protect vulnerable people, including victims of domestic abuse.",
     "Every domestic abuse incident has a risk assessment and a PPN in time; the arrest rate for domestic abuse "
     "crimes reaches the force target; repeat victimisation falls.",
     "da_arrest_rate;da_repeat_victim;vulnerable_immediate_in_target;ppn_submitted_in_time;ppn_all_children"),
    ("The force does not prioritise preventing crime and anti-social behaviour.",
     "A prevention strategy is in place with problem-solving plans in every neighbourhood; neighbourhood crime "
     "per 1,000 population falls.",
     "neighbourhood_crime_rate;concern_for_safety_attended"),
    ("The force does not treat its workforce fairly, nor listen to it.",
     "A staff survey each year with an action plan; sickness absence falls to the force target; every officer and "
     "member of staff has a personal development review.",
     "sickness_hours_lost"),
    ("The force has not yet established an ethical culture in which its workforce behaves lawfully and ethically.",
     "An ethics committee meets quarterly; vetting is current for the whole workforce; stop and search grounds are "
     "recorded and supervised.",
     "expired_vetting;stop_search_grounds;stop_search_supervised"),
]
RECOMMENDATION_TEXT = [
    "Within six months, the force should {}.",
    "By the end of the programme, the force should {}.",
]
RECOMMENDATIONS = [
    ["carry out a thorough analysis of current and likely future demand", "match its resources to the demand "
     "it has analysed", "review its control-room operating model against that demand", "introduce a shift pattern "
     "for response officers that matches demand by hour and day", "set out its plans in a force management statement",
     "use the demand analysis to inform its financial plans"],
    ["consult the public on its neighbourhood priorities", "publish how it has responded to what the public say",
     "establish independent scrutiny of its use of force and stop and search", "improve how it keeps victims "
     "informed", "publish a communications plan"],
    ["make sure every domestic abuse incident has a completed risk assessment", "make sure PPNs are submitted in "
     "time and record every child present", "improve its arrest rate for domestic abuse", "review how it manages "
     "missing people who go missing repeatedly", "adopt the Philomena protocol with its partners",
     "make sure immediate incidents involving a vulnerable person are attended in time"],
    ["adopt a prevention strategy", "train neighbourhood officers in problem solving",
     "protect neighbourhood officers from abstraction", "evaluate what works in preventing crime"],
    ["run a staff survey and act on it", "establish a staff equality forum", "make sure every officer and member "
     "of staff has a personal development review", "manage sickness absence consistently", "carry out a skills "
     "audit of its workforce"],
    ["establish an ethics committee", "make sure the whole workforce holds current vetting", "review its policies "
     "and procedures for lawfulness and fairness", "make sure supervisors review every stop and search"],
]
CDI_TEXT = ("The force does not record crime accurately: too many reported crimes are not recorded, or not within "
            "24 hours.", "Crimes are recorded within 24 hours of report; the Force Crime Registrar's audits find "
            "recording at the national standard.", "crimes_recorded_24h")
CDI_RECOMMENDATIONS = ["record every reported crime within 24 hours", "train control-room staff in the crime "
                       "recording rules", "audit crime recording each month and act on what it finds"]
MILESTONES = ["Understanding demand", "Community consultation", "Neighbourhood policing strategy",
              "Corporate Comms plan", "New chief officer team", "Force operating model", "Single Online Home",
              "FCR operating model", "Performance framework", "Service Improvement Team",
              "Planning and governance", "Philomena protocol", "Missing from Home Team",
              "Neighbourhood policing model", "Problem solving approach", "Prevention strategy", "Staff survey",
              "Staff Equality Forum", "Ethics committee", "Skills audit", "PDR", "Policy and procedures",
              "iPatrol", "Investigative standards"]
# The recommendation each milestone is (RECOMMENDATIONS: cause k's j-th is COC-k.Rj); the others are areas for
# improvement of their own.
MILESTONE_ITEMS = {"Understanding demand": "COC-1.R1", "Force operating model": "COC-1.R2",
                   "FCR operating model": "COC-1.R3", "Planning and governance": "COC-1.R6",
                   "Community consultation": "COC-2.R1", "Corporate Comms plan": "COC-2.R5",
                   "Missing from Home Team": "COC-3.R4", "Philomena protocol": "COC-3.R5",
                   "Prevention strategy": "COC-4.R1", "Problem solving approach": "COC-4.R2",
                   "Neighbourhood policing model": "COC-4.R3", "Staff survey": "COC-5.R1",
                   "Staff Equality Forum": "COC-5.R2", "PDR": "COC-5.R3", "Skills audit": "COC-5.R5",
                   "Ethics committee": "COC-6.R1", "Policy and procedures": "COC-6.R3"}
OWNERS = ["Assistant Chief Constable", "Head of Force Control Room", "Head of Public Protection",
          "Head of Neighbourhood Policing", "Director of People", "Head of Corporate Services", "Head of Crime",
          "Force Crime Registrar"]
SNAPSHOTS = pd.period_range("2019-07", "2020-03", freq="M")


def _tracker_items(rng) -> pd.DataFrame:
    items = []  # id, type, parent, workstream, description, added
    for i, (title, ws, recs) in enumerate(CAUSES, 1):
        items.append((f"COC-{i}", "cause of concern", None, ws, title, "2019-07"))
        items += [(f"COC-{i}.R{j}", "recommendation", f"COC-{i}", ws, f"{title}: recommendation {j}", "2019-07")
                  for j in range(1, recs + 1)]
    items += [(f"AFI-N{j}", "area for improvement", None, WORKSTREAMS[j % 6], f"New area for improvement {j}", "2019-07")
              for j in range(1, 8)]
    items += [(f"AFI-O{j}", "area for improvement", None, WORKSTREAMS[(j + 2) % 6],
               f"Outstanding area for improvement {j}", "2019-07") for j in range(1, 11)]
    items += [(f"NAT-{j}", "national recommendation", None, WORKSTREAMS[(j + 1) % 6],
               f"National PEEL recommendation {j}", "2019-07") for j in range(1, 10)]
    items += [(f"NCPI-{j}", "NCPI recommendation", None, "Crime and anti-social behaviour",
               f"NCPI recommendation {j}", "2019-10") for j in range(1, 8)]
    items.append(("CDI-1", "crime data integrity", None, "Planning and governance", "Crime data integrity", "2019-11"))
    items += [(f"CDI-1.R{j}", "recommendation", "CDI-1", "Planning and governance",
               f"Crime data integrity: recommendation {j}", "2019-11") for j in range(1, 4)]
    frame = pd.DataFrame(items, columns=["item_id", "type", "parent_id", "workstream", "description", "added"])
    _inspection_texts(frame)
    n = len(frame)
    frame["owner_role"] = rng.choice(OWNERS, n)
    due = pd.Timestamp("2019-09-30") + pd.to_timedelta(rng.integers(0, 15, n) * 30, unit="D")
    frame["due_date"] = due.normalize()
    start = pd.Timestamp("2019-07-15") + pd.to_timedelta(rng.integers(0, 150, n), unit="D")
    frame["start"] = start
    duration = pd.to_timedelta(rng.integers(30, 330, n), unit="D")
    frame["completed"] = (start + duration).where(rng.random(n) < .85)
    # Some items slip: their due date moves 2-4 months later in a given snapshot, and some of those again later.
    frame["slip_at"] = np.where(rng.random(n) < .2, rng.choice(SNAPSHOTS.astype(str), n), None)
    frame["slip_days"] = rng.integers(2, 5, n) * 30
    frame["slip_again_at"] = [str(pd.Period(at, "M") + 2) if at is not None and k % 3 == 0 else None
                              for k, at in enumerate(frame["slip_at"])]
    frame["milestone"] = False
    # Drawn as before, so every later draw of the seeded demo is unchanged; the milestones are no longer placed by
    # it: a milestone is the item it names (MILESTONE_ITEMS), so a milestone and the recommendation it stands for
    # cannot read "complete" and "overdue" at once.
    rng.choice(np.flatnonzero(frame["type"].isin(["recommendation", "area for improvement"])), len(MILESTONES),
               replace=False)
    spare = iter(frame.loc[frame["type"] == "area for improvement", "item_id"])
    ids = [MILESTONE_ITEMS.get(m) or next(spare) for m in MILESTONES]
    at = frame["item_id"].map({item: k for k, item in enumerate(ids)})
    frame.loc[at.notna(), "milestone"] = True
    frame.loc[at.notna(), "description"] = [f"{MILESTONES[int(k)]} (milestone)" for k in at.dropna()]
    return frame


def _inspection_texts(frame: pd.DataFrame) -> None:
    """The inspection's words, success criteria and evidencing measures of the causes of concern and their
    recommendations (:data:`CAUSE_TEXT`, :data:`RECOMMENDATIONS`); other items carry none (not supplied)."""
    texts, criteria, evidence = {}, {}, {}
    for i, (text, success, measures) in enumerate([*CAUSE_TEXT, CDI_TEXT], 1):
        cause = f"COC-{i}" if i <= len(CAUSE_TEXT) else "CDI-1"
        texts[cause], criteria[cause], evidence[cause] = text, success, measures
        recs = RECOMMENDATIONS[i - 1] if i <= len(CAUSE_TEXT) else CDI_RECOMMENDATIONS
        for j, rec in enumerate(recs, 1):
            texts[f"{cause}.R{j}"] = RECOMMENDATION_TEXT[j % 2].format(rec)
    frame["inspection_text"] = frame["item_id"].map(texts)
    frame["success_criteria"] = frame["item_id"].map(criteria)
    frame["evidence_measures"] = frame["item_id"].map(evidence)


def programme_history(items: pd.DataFrame) -> pd.DataFrame:
    """The due date each monthly tracker export gave each item (:data:`SNAPSHOTS`), stacked."""
    frames = [tracker_snapshot(items, month)[["item_id", "due_date"]].assign(snapshot=str(month))
              for month in SNAPSHOTS]
    return pd.concat(frames, ignore_index=True)[["item_id", "snapshot", "due_date"]]


def tracker_snapshot(items: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """The tracker export as it stood at the end of ``month``."""
    end = month.end_time.normalize()
    live = items[pd.PeriodIndex(items["added"], freq="M") <= month].copy()
    slipped = live["slip_at"].notna() & (live["slip_at"].fillna("9999-99") <= str(month))
    again = live["slip_again_at"].notna() & (live["slip_again_at"].fillna("9999-99") <= str(month))
    live["due_date"] = live["due_date"] + pd.to_timedelta(np.where(slipped, live["slip_days"], 0)
                                                          + np.where(again, 60, 0), unit="D")
    done = live["completed"].notna() & (live["completed"] <= end)
    started = live["start"] <= end
    live["status"] = np.where(done, "complete", np.where(started, "in progress", "not started"))
    live["completed_date"] = live["completed"].where(done)
    # Owners comment on most overdue items (not all: the exception report says where none was supplied).
    k = np.arange(len(live))
    overdue = (~done & (live["due_date"] < end)).to_numpy()
    has = overdue & (k % 4 != 3)
    live["commentary"] = np.where(has, np.array(TRACKER_COMMENTS, dtype=object)[k % len(TRACKER_COMMENTS)], None)
    live["recovery_action"] = np.where(has, np.array(RECOVERY, dtype=object)[k % len(RECOVERY)], None)
    live["revised_date"] = (end + pd.to_timedelta(60 + 30 * (k % 3), unit="D")).where(has)
    cols = CONTRACTS["tracker"].column_names
    out = live[cols].reset_index(drop=True)
    for col in ("due_date", "completed_date", "revised_date"):
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


TRACKER_COMMENTS = ["Delayed by the force operating model review; dependencies now agreed.",
                    "Awaiting ICT change; supplier date confirmed.",
                    "Training rolled out to two of four districts.",
                    "Evidence gathered; awaiting sign-off at the improvement board."]
RECOVERY = ["Weekly progress review by the workstream lead.", "Escalated to the chief officer group.",
            "Extra analyst support from the Service Improvement Team."]
# Commentary the demo's measure owners give each month from October 2019 (others: none supplied).
MEASURE_COMMENTARY = {
    "calls_999_answered_in_time": ("Head of Contact Management", "Sickness in the control room in the evenings; two recruits "
                         "start in February.", "Overtime at the evening peak; rota review with the best-fit pattern."),
    "immediate_in_target": ("Chief Superintendent, Response", "Response cover short on Friday and Saturday nights.",
                            "Shift pattern review (4 on 4 off against the evening-peak pattern)."),
    "priority_in_target": ("Chief Superintendent, Response", "Priority demand up on last year; deployments held for immediate "
                           "incidents.", "Dedicated priority car at the evening peak."),
    "crimes_solved": ("Head of Crime", "Outcomes of recent months are still arriving.",
                      "Investigation standards audit in every district."),
    "ppn_all_children": ("Head of Public Protection", "Children are recorded on the PPN but not always linked.",
                         "Form change: every child is a mandatory field."),
}


def commentary() -> pd.DataFrame:
    """The measure owners' monthly commentary (:data:`MEASURE_COMMENTARY`), October 2019 to March 2020."""
    rows = []
    for month in pd.period_range("2019-10", "2020-03", freq="M"):
        for i, (mid, (owner, text, action)) in enumerate(MEASURE_COMMENTARY.items()):
            revised = (month + 3 + i % 2).end_time.strftime("%Y-%m-%d")
            rows.append({"measure_id": mid, "month": str(month), "owner_role": owner, "commentary": text,
                         "recovery_action": action, "revised_date": revised})
    return pd.DataFrame(rows)


# Resident populations (inputs.populations): ONS mid-2019 estimates of the four local authorities, rounded to the
# hundred, and the force area by officer-defined ethnicity in rounded 2011 Census proportions (a demo assumption).
DISTRICT_POPULATIONS = {"Hartlepool": 93_700, "Middlesbrough": 141_000, "Redcar and Cleveland": 137_200,
                        "Stockton-on-Tees": 197_300}
ETHNIC_POPULATIONS = {"Asian": 19_900, "Black": 2_800, "Mixed": 5_700, "Other": 2_600, "White": 538_200}


def populations() -> pd.DataFrame:
    """The demo's resident populations (:data:`DISTRICT_POPULATIONS`, :data:`ETHNIC_POPULATIONS`)."""
    rows = [(d, "all", float(p), "ONS mid-2019 estimate, rounded") for d, p in DISTRICT_POPULATIONS.items()]
    rows += [("force area", e, float(p), "2011 Census proportions applied to the mid-2019 estimate (demo assumption)")
             for e, p in ETHNIC_POPULATIONS.items()]
    return pd.DataFrame(rows, columns=["area", "ethnicity", "population", "source"])


PEER_POPULATIONS = STATED["peers"]["populations"]
PEER_MONTHS = [str(m) for m in pd.period_range(START[:7], "2020-03", freq="M")]


def peers_archive(folder: Path, crimes: pd.DataFrame, seed: int) -> None:
    """A data.police.uk archive of the force's most similar group: synthetic street files for the peers
    (:func:`lib.demo.peers.write_archive`) and the force's own demo crimes as its street files, so the
    peers chapter counts the same crimes as the crime chapter."""
    write_archive(folder, PEER_POPULATIONS, PEER_MONTHS, seed)
    street = crimes[list(STREET_COLUMNS)]
    for month, rows in street.groupby("Month", sort=True):
        (folder / month).mkdir(parents=True, exist_ok=True)
        rows.to_csv(folder / month / f"{month}-{STATED['peers']['force']}-street.csv", index=False, lineterminator="\n")


def generate(out_dir: Path = OUT, seed: int = SEED, progress=print) -> dict[str, Path]:
    """Write every demo file to ``out_dir`` (atomically: a failed run leaves the old files).

    Returns
    -------
    dict
        Source name → path written.
    """
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".demo-", dir=out_dir.parent))
    tmp.chmod(0o755)
    written = {}
    try:
        steps = [("contacts", contacts), ("incidents", incidents), ("stop_search", stop_search),
                 ("crimes", crimes), ("audits", audits), ("measure_values", measure_values)]
        frames = {}
        for i, (name, make) in enumerate(steps, 1):
            progress(f"demo-data [{i}/{len(steps) + 2}] {name}")
            frames[name] = make(rng)
        progress(f"demo-data [{len(steps) + 1}/{len(steps) + 2}] ppn")
        frames["ppn"] = ppn(rng, frames["incidents"])
        frames["crimes"] = pd.concat([frames["crimes"], anti_social_behaviour(seed)], ignore_index=True)
        frames["staffing"] = staffing()
        frames["workforce"] = workforce(seed)
        frames["commentary"] = commentary()
        frames["populations"] = populations()
        for name, frame in frames.items():
            path = tmp / f"{name}.parquet"
            frame.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
            written[name] = out_dir / path.name
        progress(f"demo-data [{len(steps) + 2}/{len(steps) + 2}] tracker snapshots, peers' archive")
        peers_archive(tmp / "peers", frames["crimes"], seed)
        items = _tracker_items(rng)
        (tmp / "tracker").mkdir()
        for month in SNAPSHOTS:
            tracker_snapshot(items, month).to_parquet(tmp / "tracker" / f"{month}.parquet", index=False)
        programme_history(items).to_parquet(tmp / "programme_history.parquet", index=False)
        written["programme_history"] = out_dir / "programme_history.parquet"
        (tmp / ".complete").write_text(f"seed {seed}\n")
        if out_dir.exists():
            old = out_dir.with_name(out_dir.name + f".old-{os.getpid()}")
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old)
        else:
            tmp.rename(out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m lib demo-data``."""
    parser = argparse.ArgumentParser(prog="python -m lib demo-data",
                                     description="Write the seeded demo data (April 2018 - March 2020).")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: data/demo)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    args = parser.parse_args(argv)
    generate(args.out, args.seed, progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"demo data written to {args.out}", file=sys.stderr)
    return 0
