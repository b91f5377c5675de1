"""Finding and reading input files as they come: a file, a folder, a glob, data.police.uk's archive.

A source's path may name one file, a folder (searched with its subfolders, as data.police.uk's
archive has a folder per month, ``YYYY-MM/YYYY-MM-<force>-street.csv``), or a glob. In a folder or
glob, a file belongs to the source when its columns are the source's (its contract's columns, the
force-only ones optional): a street-level file goes to ``crimes``, a stop-and-search file to
``stop_search`` and an outcomes file to ``outcomes``, whatever they are called.

CSV text is read as UTF-8 (a byte-order mark is skipped); a file that is not UTF-8 is read as
Windows-1252, as a spreadsheet saves it, and the data chapter says so. A semicolon-separated
export (a European-locale spreadsheet) is read with its decimal commas. Column names are matched
as people save them — ignoring case, spaces, underscores and punctuation (``crime_id`` is
``Crime ID``); extra columns are ignored and listed; a column the contract allows blank may be
absent (read as blank). A file whose columns still do not fit is refused with the columns found,
the columns expected and the likely cause. A CSV whose last row is cut short (a download that
stopped) is refused.
"""
from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib.config.paths import ambiguity, display_path, public_path, read_as
from lib.errors import DataError
from lib.inputs.contracts import CONTRACTS, Contract

MONTH_IN_NAME = re.compile(r"(?<!\d)(\d{4}-(?:0[1-9]|1[0-2]))(?!\d)")
SUFFIXES = {".csv", ".parquet"}


@dataclass
class Read:
    """A file as read: its rows (CSV cells as text) and how it was read."""

    path: Path
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    decimal_comma: bool = False


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file is written."""

    encoding: str
    sep: str
    note: str = ""


def csv_format(path: Path) -> CsvFormat:
    """The encoding and separator of a CSV file, from its first 64 kB."""
    head = path.read_bytes()[:65536]
    if head.startswith(codecs.BOM_UTF8):
        encoding, note = "utf-8-sig", ""
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding, note = "utf-8", ""
        except UnicodeDecodeError:
            encoding, note = "cp1252", "not UTF-8: read as Windows-1252 (a spreadsheet's default)"
    first = head.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="replace").splitlines()
    line = first[0] if first else ""
    counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=lambda k: (counts[k], k == ","))
    if sep != ",":
        note = "; ".join(x for x in (note, f"columns separated by {'tabs' if sep == chr(9) else repr(sep)}") if x)
    return CsvFormat(encoding, sep, note)


def cut_short(path: Path, fmt: CsvFormat) -> str:
    """'' unless a CSV file ends in the middle of a row (no line end, and fewer fields than its header: a
    download cut short); then the message naming the file."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        header = handle.readline(1 << 20)
        handle.seek(max(0, size - (1 << 16)))
        tail = handle.read()
    if not tail or tail.endswith((b"\n", b"\r")):
        return ""
    encoding = "utf-8-sig" if fmt.encoding == "utf-8-sig" else fmt.encoding
    width = len(next(csv.reader([header.decode(encoding, errors="replace")], delimiter=fmt.sep), []))
    last = tail.rsplit(b"\n", 1)[-1].decode(fmt.encoding.replace("-sig", ""), errors="replace")
    fields = len(next(csv.reader([last], delimiter=fmt.sep), []))
    if fields >= width:
        return ""
    return (f"{display_path(path)}: the file ends in the middle of a row (its last row has {fields} of its {width} "
            "columns): the download was cut short; download it again")


def columns_of(path: Path) -> list[str]:
    """A file's column names, without reading its rows."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    fmt = csv_format(path)
    try:
        return list(pd.read_csv(path, nrows=0, sep=fmt.sep, encoding=fmt.encoding).columns)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return []


def normalised(name: str) -> str:
    """A column name as compared: lower case, without spaces, underscores or punctuation."""
    return re.sub(r"[\W_]+", "", str(name).lower())


def matching(columns: list[str], contract: Contract) -> dict[str, str]:
    """The file's columns that are the contract's (found name → the contract's name), compared by
    :func:`normalised`."""
    wanted = {normalised(c): c for c in contract.column_names}
    return {c: wanted[normalised(c)] for c in columns if normalised(c) in wanted}


def _needed(contract: Contract) -> list[str]:
    """The columns a file of the source must have: not force-only or optional, and not allowed blank."""
    return [c.name for c in contract.columns if not c.may_be_absent and not c.nullable]


def belongs(columns: list[str], contract: Contract) -> bool:
    """True when a file with these columns is a file of this source (every needed column, matched by
    :func:`normalised`; other columns may be there too)."""
    have = set(matching(columns, contract).values())
    return bool(columns) and set(_needed(contract)) <= have


def conform(frame: pd.DataFrame, contract: Contract) -> tuple[pd.DataFrame, list[str]]:
    """The frame with its columns named as the contract names them, extra columns dropped and blank-allowed
    columns it lacks added as blank; and notes saying what was done."""
    found = matching(list(frame.columns), contract)
    notes = []
    extra = [str(c) for c in frame.columns if c not in found]
    renamed = {c: n for c, n in found.items() if c != n}
    out = frame[list(found)].rename(columns=found) if extra or renamed else frame
    missing = [c.name for c in contract.columns if c.name not in out and c.nullable and not c.may_be_absent]
    for name in missing:
        out[name] = pd.Series(pd.NA, index=out.index, dtype="object")
    if renamed:
        notes.append("columns named as saved (" + ", ".join(f"{a!r} read as {b!r}" for a, b in list(renamed.items())[:4])
                     + (", …" if len(renamed) > 4 else "") + ")")
    if extra:
        notes.append(f"extra column(s) ignored: {', '.join(map(repr, extra[:6]))}" + (", …" if len(extra) > 6 else ""))
    if missing:
        notes.append(f"column(s) absent, read as blank (the contract allows it): {', '.join(map(repr, missing))}")
    return out, notes


def read(path: Path) -> Read:
    """Read a Parquet or CSV file as it is (CSV cells as text).

    Raises
    ------
    DataError
        The file is missing, has another extension, or cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{display_path(path)}: unsupported file type {suffix!r}; allowed: .parquet, .csv")
    try:
        if suffix == ".parquet":
            return Read(path, pd.read_parquet(path))
        fmt = csv_format(path)
        cut = cut_short(path, fmt)
        if cut:
            raise DataError(cut)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], sep=fmt.sep,
                                encoding=fmt.encoding)
            notes = [fmt.note] if fmt.note else []
        except UnicodeDecodeError:  # UTF-8 at the start, not further on
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], sep=fmt.sep, encoding="cp1252")
            notes = ["not UTF-8: read as Windows-1252 (a spreadsheet's default)"]
        return Read(path, frame, notes, decimal_comma=fmt.sep == ";")
    except FileNotFoundError:
        raise DataError(f"{display_path(path)}: file not found") from None
    except DataError:
        raise
    except Exception as exc:  # pyarrow and the csv parser raise many kinds; all mean "unreadable"
        raise DataError(f"{display_path(path)}: cannot be read as {suffix[1:]}: {type(exc).__name__}: {exc}") from None


def _candidates(entry: Path, source: str) -> list[Path]:
    """The files a path stands for: itself, a folder's files (with its subfolders), or a pattern's matches
    (:func:`lib.config.params.read_as`: an existing path is never read as a pattern)."""
    kind, found = read_as(entry)
    if kind == "ambiguous":
        raise DataError(f"inputs.{source}: {ambiguity(entry, found)}")
    if kind == "path" and entry.is_dir():
        found = list(entry.rglob("*"))
    elif kind == "path":
        return [entry]
    return sorted(p for p in found if p.is_file() and p.suffix.lower() in SUFFIXES)


def expand(paths: list[Path], contract: Contract, source: str) -> list[Path]:
    """The files of a source: each named file, and each file of a folder or glob whose columns are the
    source's.

    Raises
    ------
    DataError
        A folder or glob holds no file of this source; the message says what it does hold.
    """
    files: list[Path] = []
    for entry in paths:
        candidates = _candidates(entry, source)
        if candidates == [entry]:
            files.append(entry)
            continue
        mine = [p for p in candidates if belongs(columns_of(p), contract)]
        if not mine:
            kinds = sorted({kind for p in candidates[:50] if (kind := kind_of(columns_of(p)))})
            held = f"it holds {', '.join(kinds)} files" if kinds else f"it holds {len(candidates)} other file(s)"
            raise DataError(f"{display_path(entry)}: inputs.{source}: no {contract.title.lower()} file here ({held}); "
                            f"a {source} file has the columns {', '.join(contract.required_names)}")
        files += mine
    return list(dict.fromkeys(files))


def kind_of(columns: list[str]) -> str:
    """Which source a file with these columns is for ('' when none): of the sources it could be, the one
    whose columns it holds most of."""
    fits = [(len(matching(columns, contract)), name) for name, contract in CONTRACTS.items() if belongs(columns, contract)]
    return max(fits, key=lambda f: f[0])[1] if fits else ""


def misfit(path: Path, columns: list[str], contract: Contract, source: str) -> str:
    """The message for a file whose columns are not the source's: what was found and the likely cause."""
    have = set(matching(columns, contract).values())
    missing = [c for c in _needed(contract) if c not in have]
    unknown = [c for c in columns if c not in matching(columns, contract)]
    cause = ""
    if len(columns) == 1 and any(sep in columns[0] for sep in (";", "\t", "|")):
        cause = "the columns are separated by another character than a comma"
    elif any(c.startswith(("ï»¿", "\ufeff")) for c in columns):
        cause = "the file starts with a byte-order mark read in the wrong encoding"
    elif any("Ã" in c or "\ufffd" in c for c in columns):
        cause = "the file's text encoding is not UTF-8 or Windows-1252"
    elif (kind := kind_of(columns)) and kind != source:
        cause = f"this is a {CONTRACTS[kind].title.lower()} file: give it as inputs.{kind}"
    elif missing and len(missing) == len(_needed(contract)):
        cause = f"this is not a {contract.title.lower()} file"
    parts = [f"{public_path(path)}: columns found: {', '.join(map(repr, columns)) or 'none'}"]
    if missing:
        parts.append(f"missing for inputs.{source}: {', '.join(map(repr, missing))}")
    parts.append(f"expected: {', '.join(map(repr, _needed(contract)))}, and optionally "
                 f"{', '.join(repr(c) for c in contract.column_names if c not in _needed(contract))}"
                 if len(_needed(contract)) < len(contract.column_names) else
                 f"expected: {', '.join(map(repr, contract.column_names))}")
    if unknown and missing:
        parts.append(f"not in the {contract.name} contract: {', '.join(map(repr, unknown))}")
    if cause:
        parts.append(f"likely cause: {cause}")
    return "; ".join(parts)


def months_in_name(path: Path) -> str | None:
    """The month a file of data.police.uk's archive is for, from its name or folder ('2019-01'), or None."""
    for part in (path.name, path.parent.name):
        found = MONTH_IN_NAME.search(part)
        if found:
            return found.group(1)
    return None
