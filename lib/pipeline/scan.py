"""The publication scan: run on every build, before anything is published, and fail it on a hit.

It reads what a reader would get — every HTML page, the search index, the CSV downloads, the
provenance record and the PDF's text — and looks for:

- **machine paths**: the repository's folder, the home and temporary folders, the build's own
  staging folder, and the absolute path of every input file;
- **record ids**: any id from the inputs' id columns (contacts, incidents, PPNs, audited records,
  crimes), matched as whole tokens;
- **crime locations**: the inputs' ``Location`` texts (data.police.uk's "On or near ..." points);
- **fine coordinates**: a number equal to an input latitude or longitude at more decimal places than
  ``disclosure.coordinate_decimals``.

Each hit names the published file and the value, so the input (or the page) can be fixed.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lib import ROOT
from lib.config.params import Params

ID_COLUMNS = {"contacts": "contact_id", "incidents": "incident_id", "ppn": "ppn_id", "audits": "record_id",
              "crimes": "Crime ID"}
COORDINATE_COLUMNS = {"crimes": ("Latitude", "Longitude"), "stop_search": ("Latitude", "Longitude")}
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{4,}")
NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d+)(?![\d.])")
LOCATION = re.compile(r"On or near [^<>\n\"|,;]{2,80}")
MAX_HITS = 10


def published_texts(folder: Path, pdf: bool = True) -> dict[str, str]:
    """Every text a reader can get from a built version, by its path in the version folder (the PDF's too
    unless ``pdf`` is False)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".js", ".csv", ".json", ".txt", ".ipynb", ".md"}:
            if "_static" in path.parts and path.name != "searchindex.js":
                continue  # the theme's own files
            out[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    for path in folder.glob("*.pdf") if pdf else []:
        out[path.name] = pdf_text(path)
    return out


def pdf_text(path: Path) -> str:
    """The text of a PDF, page by page."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _machine_paths(params: Params, extra: list[Path]) -> list[str]:
    """Folders and files of this machine, longest first, each ending in '/' where it is a folder."""
    folders = {str(ROOT), str(Path.home()), tempfile.gettempdir(), *(str(p) for p in extra)}
    paths = {f.rstrip("/") + "/" for f in folders if f.strip("/")}
    for source in type(params.inputs).model_fields:
        for path in params.input_paths(source):
            paths.add(str(path))
    return sorted(paths, key=len, reverse=True)


def _ids_among(tokens: set[str], loaded: dict) -> set[str]:
    """The tokens that are record ids of the inputs (looked up column by column: no copy of millions of ids)."""
    out: set[str] = set()
    for source, column in ID_COLUMNS.items():
        if tokens and source in loaded and column in loaded[source].frame:
            values = loaded[source].frame[column]
            out |= set(values[values.isin(tokens)].astype(str))
    return out


def _coordinates(loaded: dict, decimals: int) -> set[tuple[int, int]]:
    """(decimals, value scaled to an integer) for every coordinate, at each finer precision than allowed."""
    out: set[tuple[int, int]] = set()
    for source, columns in COORDINATE_COLUMNS.items():
        if source not in loaded:
            continue
        for column in columns:
            values = pd.to_numeric(loaded[source].frame[column], errors="coerce").dropna().unique()
            for d in range(decimals + 1, 7):
                out |= {(d, int(v)) for v in np.round(values * 10**d)}
    return out


def scan(folder: Path, params: Params, loaded: dict, extra_paths: list[Path] = (), texts: dict | None = None) -> list[str]:
    """Problems found in a built version folder (or in ``texts``, name → text); an empty list means it may
    be published."""
    texts = published_texts(folder) if texts is None else texts
    paths = _machine_paths(params, list(extra_paths))
    tokens = {name: set(TOKEN.findall(text)) for name, text in texts.items()}
    ids = _ids_among(set().union(*tokens.values()), loaded)
    locations = set()
    for source in ("crimes",):
        if source in loaded and "Location" in loaded[source].frame:
            locations |= {str(v).strip() for v in loaded[source].frame["Location"].dropna().unique()}
    decimals = params.disclosure.coordinate_decimals
    coordinates = _coordinates(loaded, decimals)
    hits: list[str] = []
    for name, text in texts.items():
        for path in paths:
            if path in text:
                hits.append(f"{name}: a path of this machine ({path})")
                break
        found = sorted(tokens[name] & ids)
        if found:
            hits.append(f"{name}: record id(s) from the inputs: {', '.join(found[:3])}")
        near = sorted({m.strip() for m in LOCATION.findall(text)} & locations)
        if near:
            hits.append(f"{name}: crime location(s): {', '.join(near[:3])}")
        if coordinates:
            for m in NUMBER.finditer(text):
                d = len(m.group(1))
                if decimals < d <= 6 and (d, int(round(float(m.group(0)) * 10**d))) in coordinates:
                    hits.append(f"{name}: a coordinate finer than {decimals} decimal places ({m.group(0)})")
                    break
        if len(hits) >= MAX_HITS:
            break
    return hits


def describe(hits: list[str]) -> str:
    """The scan's findings as a message."""
    more = "" if len(hits) < MAX_HITS else f"\n  (stopped after {MAX_HITS} findings)"
    return "the publication scan found what must not be published:\n  " + "\n  ".join(hits) + more + \
        "\nNothing was published. Remove these from the inputs (or the page) and build again."

