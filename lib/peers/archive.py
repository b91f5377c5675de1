"""Monthly crime counts of peer forces, read with DuckDB from data.police.uk archives as downloaded.

An archive is a folder as data.police.uk's download unpacks: one folder per month holding each
force's street-level file, ``YYYY-MM/YYYY-MM-<force>-street.csv`` (the force's slug, such as
``cleveland`` or ``avon-and-somerset``, is in the file name; the file's ``Reported by`` column names
the force). A national archive (43 forces × 36 months, about 20 M rows) is read out of core: DuckDB
scans the CSV files and groups them, and only the aggregated rows (file × month × crime type) come
back to pandas.

A month a force has no file for, or whose file holds no row, is *no data* (``<NA>``), never zero;
a crime type with no row in a month the force did report is a true zero. Anti-social behaviour is
one of the categories, as in the street files: it is kept, never dropped (totals that exclude it are
made by :func:`lib.peers.rates.add_total`).
"""
from __future__ import annotations

import csv
import difflib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib.config.paths import display_path
from lib.errors import DataError, ModelError
from lib.vocabulary import CRIME_TYPES

#: The header of a data.police.uk street-level file, in order (as in tests/data/police-uk/).
STREET_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
ASB = "Anti-social behaviour"
#: The category given to rows whose crime type is blank (kept, never dropped).
BLANK_TYPE = "(blank)"
LAYOUT = "YYYY-MM/YYYY-MM-<force>-street.csv"
MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
STREET_NAME = re.compile(r"(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>.+)-street\.csv")


@dataclass(frozen=True)
class Counts:
    """Monthly counts of the peer forces and what the archive covered.

    Attributes
    ----------
    counts : DataFrame
        One row per force × month × crime type (every month of ``months``, every category):
        ``force`` (slug), ``month`` ('YYYY-MM'), ``crime_type``, ``crimes`` (Int64; ``<NA>`` when the
        force has no data for the month). Sorted by force (as given), month, crime type (data.police.uk
        order, then any other type found).
    coverage : DataFrame
        One row per force: ``force``, ``reported_by`` (the names in its files' ``Reported by``),
        ``files``, ``empty_files`` (header only: no data), ``rows``, ``first_month`` and ``last_month``
        with data ('' when none), ``months_with_data``, ``months_missing``, ``missing`` (the months
        without data, as spans: '2019-07 to 2020-03, 2021-01').
    months : tuple of str
        The months counted, in order.
    archive : Path
        The folder read.
    """

    counts: pd.DataFrame
    coverage: pd.DataFrame
    months: tuple[str, ...]
    archive: Path


def check_months(months: Iterable[str], name: str = "months") -> list[str]:
    """Months as given ('YYYY-MM'), sorted and unique; ModelError names the first that is not one."""
    months = list(months)
    for m in months:
        if not isinstance(m, str) or not MONTH.fullmatch(m):
            raise ModelError(f"{name}: {m!r} is not a month; a month is written YYYY-MM, as data.police.uk does ('2019-01')")
    if not months:
        raise ModelError(f"{name}: no month given")
    return sorted(set(months))


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as 'YYYY-MM'."""
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def spans(months: list[str]) -> str:
    """Months as runs of consecutive months: '2019-07 to 2019-09, 2020-01' ('' when none)."""
    if not months:
        return ""
    runs, start, prev = [], months[0], pd.Period(months[0], "M")
    for m in months[1:] + [None]:
        p = pd.Period(m, "M") if m else None
        if p is None or p != prev + 1:
            runs.append(start if start == str(prev) else f"{start} to {prev}")
            start = m
        prev = p
    return ", ".join(runs)


def street_files(archive: str | Path) -> pd.DataFrame:
    """Every street-level file of an archive: ``force``, ``month``, ``path`` (sorted by force, month).

    Files are found in the archive's month folders (``YYYY-MM/``) and, for a single month's folder
    given as the archive, in the folder itself.

    Raises
    ------
    DataError
        The folder is missing, holds no street file, holds a file in another month's folder, or two
        files for one force and month.
    """
    archive = Path(archive)
    if not archive.is_dir():
        what = "is a file, not a folder" if archive.exists() else "folder not found"
        raise DataError(f"{display_path(archive)}: {what}; a data.police.uk archive is a folder laid out {LAYOUT}")
    found, others = [], []
    for entry in sorted(os.scandir(archive), key=lambda e: e.name):
        in_month = entry.is_dir() and MONTH.fullmatch(entry.name)
        inner = sorted(os.scandir(entry.path), key=lambda e: e.name) if in_month else [entry]
        for f in inner:
            match = STREET_NAME.fullmatch(f.name) if f.is_file() else None
            if not match:
                others.append(f.name)
                continue
            folder = Path(f.path).parent
            if folder != archive and folder.name != match["month"]:
                raise DataError(f"{display_path(Path(f.path))}: a file for {match['month']} in the folder of {folder.name}; "
                                f"data.police.uk lays archives out {LAYOUT}")
            found.append((match["force"], match["month"], Path(f.path)))
    if not found:
        held = "it is empty"
        if others:
            listed = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
            held = f"it holds {len(others)} other entr{'y' if len(others) == 1 else 'ies'} ({listed})"
        raise DataError(f"{display_path(archive)}: no data.police.uk street-level file ({LAYOUT}) in this folder; {held}")
    files = pd.DataFrame(found, columns=["force", "month", "path"]).sort_values(["force", "month"], kind="stable")
    twice = files[files.duplicated(["force", "month"], keep=False)]
    if len(twice):
        first = twice.iloc[0]
        paths = twice[(twice["force"] == first["force"]) & (twice["month"] == first["month"])]["path"]
        raise DataError(f"{display_path(archive)}: two street files for {first['force']} in {first['month']}: "
                        f"{', '.join(display_path(p) for p in paths)}; keep one")
    return files.reset_index(drop=True)


def header_of(path: Path) -> list[str]:
    """A CSV file's column names, from its first line (a UTF-8 byte-order mark skipped)."""
    with open(path, "rb") as fh:
        line = fh.readline(1 << 16).decode("utf-8-sig", errors="replace")
    return next(csv.reader([line]), []) if line.strip() else []


def check_header(path: Path) -> list[str]:
    """A street-level file's columns; DataError when its header is not a street-level file's, naming the
    file and the columns found."""
    columns = header_of(path)
    missing = [c for c in STREET_COLUMNS if c not in columns]
    if missing:
        found = ", ".join(map(repr, columns)) if columns else "none (the file is empty)"
        raise DataError(f"{display_path(path)}: not a data.police.uk street-level crime file: columns found: {found}; "
                        f"missing: {', '.join(map(repr, missing))}; a street file has the columns "
                        f"{', '.join(STREET_COLUMNS)}")
    return columns


def _forces(forces: Iterable[str]) -> list[str]:
    forces = list(dict.fromkeys(forces))
    bad = [f for f in forces if not isinstance(f, str) or not f]
    if bad or not forces:
        raise ModelError(f"forces: {bad[0]!r} is not a force slug (such as 'cleveland')" if bad else "forces: no force given")
    return forces


def _select(archive: Path, files: pd.DataFrame, forces: list[str], months: list[str] | None) -> pd.DataFrame:
    """The files of the peer forces (in the months asked for); DataError for a force with no file at all."""
    have = sorted(files["force"].unique())
    for force in forces:
        if force not in have:
            close = difflib.get_close_matches(force, have, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise DataError(f"{display_path(archive)}: no street files for peer force {force!r} "
                            f"(looked for {LAYOUT.replace('<force>', force)}){hint} Forces in this archive: {', '.join(have)}")
    chosen = files[files["force"].isin(forces)]
    return chosen[chosen["month"].isin(months)] if months is not None else chosen


def literal_glob(path: Path | str) -> str:
    """A path DuckDB reads as itself: DuckDB reads every file name as a glob, so ``[``, ``]``, ``*`` and ``?`` are
    written in brackets (``peers [2019]`` would otherwise read ``peers 2``)."""
    return re.sub(r"([\[\]*?])", r"[\1]", str(path))


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read(headers: dict[Path, list[str]], threads: int | None, memory_limit: str) -> pd.DataFrame:
    """Rows per file × month × force name × crime type, grouped by DuckDB from the CSV files.

    Files are read in groups of one header each, with that header's columns as text and DuckDB's
    sniffing off (``union_by_name`` would sniff every file: on a national archive it takes 2.3 times
    the CPU and 3 times the memory), and the groups joined by name.
    """
    import duckdb

    groups: dict[tuple[str, ...], list[str]] = {}
    for path, header in headers.items():
        groups.setdefault(tuple(header), []).append(literal_glob(path))
    parts = []
    for i, header in enumerate(groups):
        columns = "{" + ", ".join(f"{_sql_text(c)}: 'VARCHAR'" for c in header) + "}"
        parts.append(f"""
            SELECT filename AS path, "Month" AS month, "Reported by" AS reported_by, "Crime type" AS crime_type,
                   count(*) AS crimes
            FROM read_csv($files{i}, header = true, auto_detect = false, filename = true, delim = ',', quote = '"',
                          escape = '"', columns = {columns})
            GROUP BY ALL""")
    config = {"memory_limit": memory_limit, "preserve_insertion_order": False,
              "temp_directory": os.path.join(tempfile.gettempdir(), "forcebook-duckdb")}
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    try:
        return con.execute(" UNION ALL ".join(parts), {f"files{i}": files for i, files in enumerate(groups.values())}).df()
    except duckdb.Error as exc:
        raise DataError(_unreadable(str(exc))) from None
    finally:
        con.close()


def _unreadable(message: str) -> str:
    """DuckDB's CSV error as one message naming the file (without its advice on options we do not use)."""
    file = re.search(r"^\s*file = (.+)$", message, re.M)
    text = message.split("Possible fixes")[0].replace("Invalid Input Error: ", "")
    text = "; ".join(line.strip() for line in text.splitlines() if line.strip())
    where = display_path(Path(file.group(1).strip())) if file else "a data.police.uk street file"
    return f"{where}: cannot be read as a street-level CSV file: {text}"


def monthly_counts(archive: str | Path, forces: Iterable[str], months: Iterable[str] | None = None, *,
                   threads: int | None = None, memory_limit: str = "1GB") -> Counts:
    """Street-level rows by force, month and crime type, counted by DuckDB from a data.police.uk archive.

    Parameters
    ----------
    archive : str or Path
        The folder holding the month folders (``YYYY-MM/YYYY-MM-<force>-street.csv``).
    forces : iterable of str
        The peer forces' slugs as in data.police.uk's file names (``cleveland``, ``durham``); a dict of
        populations gives its keys.
    months : iterable of str, optional
        The months to count ('YYYY-MM'); only their files are read. Default: every month from the
        first to the last that any of the forces has a file for.
    threads : int, optional
        DuckDB's worker threads (default: one per core).
    memory_limit : str
        DuckDB's memory limit ('1GB'); beyond it DuckDB spills to a temporary folder.

    Returns
    -------
    Counts
        ``counts`` (force, month, crime_type, crimes) and ``coverage`` (per force); see :class:`Counts`.
        Every category of the files is kept, anti-social behaviour included: a total of crimes
        excluding it is :func:`lib.peers.rates.add_total`.

    Raises
    ------
    DataError
        The archive folder is missing or holds no street file; a peer force has no file in it (the
        message names the slug and the folder and lists the forces found); a file's header is not a
        street-level header (the message names the file and the columns found); a file's ``Month``
        column is not the month of its name; DuckDB cannot parse a file.
    ModelError
        No force, or a month that is not 'YYYY-MM'.

    Notes
    -----
    A month is *with data* for a force when its file holds at least one row. A missing month, or a
    header-only file (counted in ``coverage.empty_files``), is no data: ``crimes`` is ``<NA>`` for
    every category, never 0. Rows are counted by their ``Crime type`` as written; a blank type is
    counted as ``'(blank)'`` and a type outside data.police.uk's 14 as itself.
    """
    archive = Path(archive)
    forces = _forces(forces)
    wanted = check_months(months) if months is not None else None
    chosen = _select(archive, street_files(archive), forces, wanted)
    headers = {path: check_header(path) for path in chosen["path"]}
    grouped = _read(headers, threads, memory_limit) if headers else \
        pd.DataFrame(columns=["path", "month", "reported_by", "crime_type", "crimes"])
    by_path = chosen.assign(path=chosen["path"].map(str)).set_index("path")
    grouped["file_force"] = grouped["path"].map(by_path["force"])
    grouped["file_month"] = grouped["path"].map(by_path["month"])
    grouped["month"] = grouped["month"].fillna("")
    wrong = grouped[grouped["month"] != grouped["file_month"]]
    if len(wrong):
        w = wrong.iloc[0]
        n = int(wrong[wrong["path"] == w["path"]]["crimes"].sum())
        raise DataError(f"{display_path(Path(w['path']))}: column Month holds {w['month']!r} in {n:,} row(s); "
                        f"a file named for {w['file_month']} holds that month only")
    grouped["crime_type"] = grouped["crime_type"].fillna(BLANK_TYPE)
    # Without months asked for, every force has a file (else _select refused it), so chosen is not empty.
    all_months = wanted or month_range(chosen["month"].min(), chosen["month"].max())
    extra = sorted(set(grouped["crime_type"]) - set(CRIME_TYPES))
    categories = list(CRIME_TYPES) + extra
    cells = grouped.groupby(["file_force", "file_month", "crime_type"])["crimes"].sum()
    grid = pd.MultiIndex.from_product([forces, all_months, categories], names=["force", "month", "crime_type"])
    counts = cells.rename_axis(["force", "month", "crime_type"]).reindex(grid, fill_value=0).astype("Int64")
    present = set(zip(grouped["file_force"], grouped["file_month"]))
    has_data = [(f, m) in present for f, m, _ in grid]
    counts = counts.where(pd.Series(has_data, index=grid)).reset_index()
    return Counts(counts, _coverage(forces, all_months, chosen, grouped, present), tuple(all_months), archive)


def _coverage(forces: list[str], months: list[str], chosen: pd.DataFrame, grouped: pd.DataFrame,
              present: set[tuple[str, str]]) -> pd.DataFrame:
    """One row per force: its files, rows and the months with and without data."""
    rows = []
    for force in forces:
        mine = grouped[grouped["file_force"] == force]
        with_data = [m for m in months if (force, m) in present]
        missing = [m for m in months if (force, m) not in present]
        files = chosen[chosen["force"] == force]
        rows.append({"force": force, "reported_by": "; ".join(sorted(mine["reported_by"].dropna().unique())),
                     "files": len(files), "empty_files": int((~files["month"].isin(with_data)).sum()),
                     "rows": int(mine["crimes"].sum()), "first_month": with_data[0] if with_data else "",
                     "last_month": with_data[-1] if with_data else "", "months_with_data": len(with_data),
                     "months_missing": len(missing), "missing": spans(missing)})
    return pd.DataFrame(rows)
