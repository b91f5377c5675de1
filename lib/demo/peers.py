"""Synthetic data.police.uk archives: street-level files of many forces, for tests and benchmarks.

:func:`write_archive` writes ``YYYY-MM/YYYY-MM-<force>-street.csv`` with data.police.uk's header and
formats (64-hex crime ids, blank for anti-social behaviour; coordinates at six decimals on snap
points; "On or near …" locations; LSOA codes and names; outcome categories). The numbers are
invented, never a force's real figures:

- the category mix and outcome mix are those of Cleveland's October 2018 file
  (tests/data/police-uk/), seasonality peaks in July (anti-social behaviour, bicycle theft, violence)
  or winter (burglary), February is shorter, and a national trend of +2% a year runs from 2020-01;
- a share ``outlier_share`` of the forces have their own level and category mix, balanced so that
  the group's pooled rate is the typical one; the others are *typical* (see :func:`profiles`), so a
  funnel plot shows typical forces inside its limits and most outlying ones outside;
- monthly counts are Poisson around these expectations.

The same arguments write the same bytes, however many worker processes: each file is drawn from its
own random stream (seed, force, month). Which forces are outlying, and by how much, depends on the
whole group (the forces and their populations), so a force's files change when the group does.
"""
from __future__ import annotations

import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from lib.errors import ModelError
from lib.peers.archive import STREET_COLUMNS, check_months
from lib.peers.rates import check_populations
from lib.vocabulary import CRIME_TYPES

#: Rows (crimes and anti-social behaviour) per 1,000 population per month: about 20 M rows over
#: 36 months for England and Wales (~60 M people).
ROWS_PER_1000 = 9.3
#: Category counts of Cleveland's street file for October 2018 (tests/data/police-uk/), in CRIME_TYPES order.
MIX = np.array([2981, 98, 521, 920, 115, 174, 540, 47, 415, 46, 811, 57, 383, 2244], float)
#: Seasonal amplitude by category: the expected count is × (1 + a·cos(2π(month − 7)/12)).
SEASON = dict(zip(CRIME_TYPES, [.25, .35, -.06, .06, .0, .03, .05, .05, .08, .0, .0, -.04, -.04, .08]))
#: Last outcome categories of crimes in the same file (anti-social behaviour has none), with their rows.
OUTCOMES = {
    "Unable to prosecute suspect": 2891, "Investigation complete; no suspect identified": 2327,
    "Court result unavailable": 541, "Formal action is not in the public interest": 103,
    "Further investigation is not in the public interest": 85, "Offender sent to prison": 74,
    "Offender given a caution": 62, "Status update unavailable": 49, "Offender given community sentence": 49,
    "Defendant found not guilty": 36, "Local resolution": 34, "Offender given conditional discharge": 22,
    "Offender fined": 19, "Court case unable to proceed": 18, "Offender given suspended prison sentence": 14,
    "Offender given a drugs possession warning": 13, "Offender otherwise dealt with": 13,
    "Offender given penalty notice": 8, "Offender ordered to pay compensation": 4, "Awaiting court outcome": 3,
}
STREETS = ("High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Mill Lane", "School Lane",
           "The Green", "Queen Street", "King Street", "New Road", "Manor Road", "Parking Area", "Supermarket",
           "Petrol Station", "Shopping Area", "Sports/Recreation Area", "Nightclub", "Hospital",
           "Further/Higher Educational Building", "Conference/Exhibition Centre",
           "Theatre/Concert Hall", "Pedestrian Subway", "Bus/Coach Station")
NO_LOCATION = 0.012  # share of rows published without a location
SNAPS_PER_LSOA = 6
PEOPLE_PER_LSOA = 1600
WELSH = {"dyfed-powys", "gwent", "north-wales", "south-wales"}

#: England and Wales's 43 territorial forces: slug → (name as in "Reported by", illustrative population).
#: Populations are rounded and of the right order only: for synthetic archives and benchmarks, never a source.
NATIONAL = {
    "avon-and-somerset": ("Avon and Somerset Constabulary", 1_750_000), "bedfordshire": ("Bedfordshire Police", 700_000),
    "cambridgeshire": ("Cambridgeshire Constabulary", 870_000), "cheshire": ("Cheshire Constabulary", 1_080_000),
    "city-of-london": ("City of London Police", 10_000), "cleveland": ("Cleveland Police", 567_000),
    "cumbria": ("Cumbria Constabulary", 500_000), "derbyshire": ("Derbyshire Constabulary", 1_060_000),
    "devon-and-cornwall": ("Devon & Cornwall Police", 1_800_000), "dorset": ("Dorset Police", 780_000),
    "durham": ("Durham Constabulary", 640_000), "dyfed-powys": ("Dyfed-Powys Police", 520_000),
    "essex": ("Essex Police", 1_870_000), "gloucestershire": ("Gloucestershire Constabulary", 645_000),
    "greater-manchester": ("Greater Manchester Police", 2_870_000), "gwent": ("Gwent Police", 600_000),
    "hampshire": ("Hampshire Constabulary", 2_000_000), "hertfordshire": ("Hertfordshire Constabulary", 1_200_000),
    "humberside": ("Humberside Police", 935_000), "kent": ("Kent Police", 1_860_000),
    "lancashire": ("Lancashire Constabulary", 1_530_000), "leicestershire": ("Leicestershire Police", 1_100_000),
    "lincolnshire": ("Lincolnshire Police", 770_000), "merseyside": ("Merseyside Police", 1_430_000),
    "metropolitan": ("Metropolitan Police Service", 8_800_000), "norfolk": ("Norfolk Constabulary", 920_000),
    "north-wales": ("North Wales Police", 690_000), "north-yorkshire": ("North Yorkshire Police", 830_000),
    "northamptonshire": ("Northamptonshire Police", 790_000), "northumbria": ("Northumbria Police", 1_480_000),
    "nottinghamshire": ("Nottinghamshire Police", 1_160_000), "south-wales": ("South Wales Police", 1_340_000),
    "south-yorkshire": ("South Yorkshire Police", 1_410_000), "staffordshire": ("Staffordshire Police", 1_140_000),
    "suffolk": ("Suffolk Constabulary", 760_000), "surrey": ("Surrey Police", 1_210_000),
    "sussex": ("Sussex Police", 1_700_000), "thames-valley": ("Thames Valley Police", 2_450_000),
    "warwickshire": ("Warwickshire Police", 600_000), "west-mercia": ("West Mercia Police", 1_310_000),
    "west-midlands": ("West Midlands Police", 2_950_000), "west-yorkshire": ("West Yorkshire Police", 2_350_000),
    "wiltshire": ("Wiltshire Police", 730_000),
}


def national_populations() -> dict[str, int]:
    """The 43 forces' illustrative populations (slug → people), for the national benchmark."""
    return {slug: people for slug, (_, people) in NATIONAL.items()}


def force_name(slug: str) -> str:
    """The force's name as data.police.uk writes it in "Reported by" ('cleveland' → 'Cleveland Police')."""
    return NATIONAL[slug][0] if slug in NATIONAL else slug.replace("-", " ").title() + " Police"


def _key(text: str) -> int:
    """A stable number for a name (Python's hash() changes between runs)."""
    return zlib.crc32(text.encode("utf-8"))


def profiles(forces: dict[str, int], seed: int, outlier_share: float = 0.5, spread: float = 0.25) -> pd.DataFrame:
    """Each force's rate multiplier per category (1 for a typical force): ``force``, ``typical``, then one
    column per crime type.

    ``round(outlier_share × forces)`` forces, chosen by the seed, are outlying: each draws a level
    (log-normal, sd ``spread``) times a category mix (log-normal, sd 0.25), and the outlying forces'
    multipliers are then scaled per category so that their population-weighted mean is 1. The group's
    pooled rate is thus the typical rate: typical forces fall inside a funnel plot's limits (bar
    chance) and outlying ones mostly outside. With fewer than two outlying forces nobody differs.
    """
    names = sorted(forces)
    outlying = set(np.random.default_rng([seed, 0]).permutation(names)[:round(outlier_share * len(names))])
    g = np.ones((len(names), len(CRIME_TYPES)))
    for i, force in enumerate(names):
        if force in outlying:
            rng = np.random.default_rng([seed, _key(force), 0])
            g[i] = np.exp(rng.normal(0, spread)) * np.exp(rng.normal(0, 0.25, len(CRIME_TYPES)))
    rows = np.array([f in outlying for f in names])
    if rows.sum() >= 2:
        people = np.array([forces[f] for f in names], float)[rows, None]
        g[rows] *= people.sum() / (people * g[rows]).sum(axis=0)
    else:
        rows[:], g[:] = False, 1.0
    out = pd.DataFrame(g, columns=list(CRIME_TYPES))
    out.insert(0, "typical", ~rows)
    out.insert(0, "force", names)
    return out.set_index("force").loc[list(forces)].reset_index()


def expected(population: int, month: str, multiplier: np.ndarray, rows_per_1000: float = ROWS_PER_1000) -> np.ndarray:
    """Expected rows of each category (CRIME_TYPES order) in a force's month file, given its multipliers."""
    p = pd.Period(month, "M")
    season = 1 + np.array([SEASON[c] for c in CRIME_TYPES]) * np.cos(2 * np.pi * (p.month - 7) / 12)
    trend = 1.02 ** ((p - pd.Period("2020-01", "M")).n / 12)
    return population / 1000 * rows_per_1000 * MIX / MIX.sum() * multiplier * season * p.days_in_month / 30.44 * trend


def _geography(seed: int, force: str, population: int) -> dict[str, pa.Array]:
    """A force's snap points: coordinates, location, LSOA code and name, and how often each is used."""
    rng = np.random.default_rng([seed, _key(force), 1])
    lsoas = max(1, round(population / PEOPLE_PER_LSOA))
    n = lsoas * SNAPS_PER_LSOA
    centre = np.array([-4.5 + 5.5 * rng.random(), 50.6 + 4.4 * rng.random()])
    lsoa_xy = centre + rng.normal(0, 0.12, (lsoas, 2))
    xy = np.repeat(lsoa_xy, SNAPS_PER_LSOA, axis=0) + rng.normal(0, 0.004, (n, 2))
    lsoa = np.repeat(np.arange(lsoas), SNAPS_PER_LSOA)
    area = force_name(force).removesuffix(" Police Service").removesuffix(" Police").removesuffix(" Constabulary")
    prefix, base = ("W01" if force in WELSH else "E01"), _key(force) % 900_000
    codes = [f"{prefix}{base + i:06d}" for i in range(lsoas)]
    names = [f"{area} {i // 4 + 1:03d}{'ABCD'[i % 4]}" for i in range(lsoas)]
    streets = rng.integers(0, len(STREETS), n)
    weights = rng.gamma(0.7, 1.0, n)
    return {"lon": pa.array([f"{v:.6f}" for v in xy[:, 0]]), "lat": pa.array([f"{v:.6f}" for v in xy[:, 1]]),
            "location": pa.array([f"On or near {STREETS[s]}" for s in streets] + ["No Location"]),
            "code": pa.array(codes).take(pa.array(lsoa)), "name": pa.array(names).take(pa.array(lsoa)),
            "cdf": np.cumsum(weights) / weights.sum()}


def _month_file(folder: Path, force: str, month: str, counts: np.ndarray, geo: dict, seed: int) -> None:
    """Write one street file: the rows of ``counts`` (per category), sorted by snap point as published."""
    rng = np.random.default_rng([seed, _key(force), 2, *map(int, month.split("-"))])
    n = int(counts.sum())
    category = np.repeat(np.arange(len(CRIME_TYPES)), counts)
    point = np.minimum(np.searchsorted(geo["cdf"], rng.random(n)), len(geo["cdf"]) - 1)
    nowhere = rng.random(n) < NO_LOCATION
    outcome_p = np.cumsum(list(OUTCOMES.values())) / sum(OUTCOMES.values())
    outcome = np.minimum(np.searchsorted(outcome_p, rng.random(n)), len(OUTCOMES) - 1)
    order = np.lexsort((category, np.where(nowhere, len(geo["cdf"]), point)))
    category, point, nowhere, outcome = category[order], point[order], nowhere[order], outcome[order]
    asb = category == 0
    crimes = int((~asb).sum())
    hexes = rng.bytes(32 * crimes).hex().encode("ascii")
    ids = pa.Array.from_buffers(pa.string(), crimes, [None, pa.py_buffer(np.arange(0, 64 * crimes + 1, 64, dtype=np.int32)),
                                                       pa.py_buffer(hexes)])
    rank = np.cumsum(~asb) - 1
    where = pa.array(point, mask=nowhere)
    const = pa.array(np.zeros(n, dtype=np.int32))
    name = pa.array([force_name(force)])
    table = pa.table([ids.take(pa.array(rank, mask=asb)), pa.array([month]).take(const), name.take(const),
                      name.take(const), geo["lon"].take(where), geo["lat"].take(where),
                      geo["location"].take(pa.array(np.where(nowhere, len(geo["cdf"]), point))),
                      geo["code"].take(where), geo["name"].take(where),
                      pa.array(list(CRIME_TYPES)).take(pa.array(category)),
                      pa.array(list(OUTCOMES)).take(pa.array(outcome, mask=asb)), pa.nulls(n, pa.string())],
                     names=list(STREET_COLUMNS))
    path = folder / month / f"{month}-{force}-street.csv"
    with open(path, "wb") as fh:
        fh.write((",".join(STREET_COLUMNS) + "\n").encode("utf-8"))
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def _write_force(folder: Path, force: str, population: int, months: list[str], seed: int, rows_per_1000: float,
                 multiplier: np.ndarray) -> list[tuple[str, str, str, int]]:
    """Write a force's files; its counts as (force, month, crime type, rows)."""
    geo = _geography(seed, force, population)
    out = []
    for month in months:
        rng = np.random.default_rng([seed, _key(force), 3, *map(int, month.split("-"))])
        counts = rng.poisson(expected(population, month, multiplier, rows_per_1000))
        _month_file(folder, force, month, counts, geo, seed)
        out += [(force, month, c, int(k)) for c, k in zip(CRIME_TYPES, counts)]
    return out


def write_archive(folder: str | Path, forces: dict[str, int], months: list[str], seed: int,
                  rows_per_1000: float = ROWS_PER_1000, *, outlier_share: float = 0.5, spread: float = 0.25,
                  workers: int = 1) -> pd.DataFrame:
    """Write a synthetic data.police.uk archive of street-level files.

    Parameters
    ----------
    folder : str or Path
        The archive folder (created); month folders and files are written into it, replacing files of
        the same name and leaving any other file alone.
    forces : dict of str to int
        Force slug (as in the file names) → population (people, > 0).
    months : list of str
        Months to write ('YYYY-MM').
    seed : int
        The same seed writes the same bytes.
    rows_per_1000 : float
        Expected rows (crimes and anti-social behaviour) per 1,000 population per month of a typical
        force, before seasonality and trend; 9.3 gives about 20 M rows for 43 forces × 36 months.
    outlier_share : float
        Share of the forces with their own level and category mix (0: every force typical); see
        :func:`profiles`.
    spread : float
        Standard deviation of the log level of an outlying force.
    workers : int
        Processes writing forces in parallel (the bytes do not depend on it).

    Returns
    -------
    DataFrame
        The rows written: ``force``, ``month``, ``crime_type``, ``crimes`` (every category, zeros included).

    Raises
    ------
    ParamsError
        A population is not a number > 0.
    ModelError
        A month is not 'YYYY-MM', or ``rows_per_1000`` is not > 0.
    """
    folder = Path(folder)
    months = check_months(months)
    check_populations(forces, forces)
    if not rows_per_1000 > 0:
        raise ModelError(f"rows_per_1000 = {rows_per_1000!r}: must be > 0")
    for month in months:
        (folder / month).mkdir(parents=True, exist_ok=True)
    multipliers = profiles(forces, seed, outlier_share, spread).set_index("force")[list(CRIME_TYPES)]
    jobs = [(folder, f, int(p), months, seed, rows_per_1000, multipliers.loc[f].to_numpy()) for f, p in forces.items()]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_write_force, *zip(*jobs)))
    else:
        parts = [_write_force(*job) for job in jobs]
    return pd.DataFrame([row for part in parts for row in part], columns=["force", "month", "crime_type", "crimes"])
