"""The publication scan: run on every build, before anything is published, and fail it on a hit.

It reads what a reader would get — every HTML page, the search index, the CSV and Parquet downloads
and facts, the provenance record and the PDF's text — and looks for what the inputs held, every row of
them (the rows used, the rows set aside as defects and the rows outside the reporting window):

- **machine paths**: the repository's folder, the home and temporary folders, the build's own
  staging folder, and the absolute path of every input file;
- **record ids**: every value of the columns the input contracts mark as identifying a record
  (contacts, incidents, PPNs, audited records, crimes and outcomes), as whole tokens, and — for ids of
  ``FRAGMENT`` characters or more, which a page may cut short — any fragment of ``FRAGMENT`` or more;
- **crime locations**: the inputs' ``Location`` texts (data.police.uk's "On or near ..." points);
- **fine coordinates**: a number equal to an input latitude or longitude at more decimal places than
  ``disclosure.coordinate_decimals`` (to 10 places).

Each hit names the published file and the value, so the input (or the page) can be fixed.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lib import ROOT
from lib.config.schema import Params

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{4,}")
NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d+)(?![\d.])")
LOCATION = re.compile(r"On or near [^<>\n\"|,;]{2,80}")
MAX_HITS = 10
MAX_PLACES = 10  # coordinates are compared to this many decimal places
FRAGMENT = 16  # ids this long or longer are also found by any fragment this long (a page may cut an id short)
_GRAM = 8  # fragments are found through the ids' 8-character pieces at every 8th position (see _IdIndex)


def published_texts(folder: Path, pdf: bool = True) -> dict[str, str]:
    """Every text a reader can get from a built version, by its path in the version folder: pages, search index,
    downloads and facts (a Parquet table as its CSV text), and the PDF's text unless ``pdf`` is False."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".js", ".csv", ".json", ".txt", ".ipynb", ".md", ".parquet"}:
            if "_static" in path.parts and path.name != "searchindex.js":
                continue  # the theme's own files
            out[path.relative_to(folder).as_posix()] = parquet_text(path) if path.suffix == ".parquet" else \
                path.read_text(encoding="utf-8", errors="replace")
    for path in folder.glob("*.pdf") if pdf else []:
        out[path.name] = pdf_text(path)
    return out


def parquet_text(path: Path) -> str:
    """A Parquet table as the text a reader would see in it: its column names and every value (as CSV)."""
    return pd.read_parquet(path).to_csv(index=False)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (PDFium's, in reading order: 0.3 s for the book where pypdf took 7 s)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        # PDFium marks a hyphen where a line breaks after it (U+FFFE, sometimes U+0002): it is the text's hyphen.
        return [pdf[i].get_textpage().get_text_range().replace("\ufffe", "-").replace("\x02", "-")
                for i in range(len(pdf))]
    finally:
        pdf.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF, page by page."""
    return "\n".join(pdf_pages(path))


def _machine_paths(params: Params, extra: list[Path]) -> list[str]:
    """Folders and files of this machine, longest first, each ending in '/' where it is a folder."""
    folders = {str(ROOT), str(Path.home()), tempfile.gettempdir(), *(str(p) for p in extra)}
    paths = {f.rstrip("/") + "/" for f in folders if f.strip("/")}
    for source in type(params.inputs).model_fields:
        for path in params.input_paths(source):
            paths.add(str(path))
    return sorted(paths, key=len, reverse=True)


def _values(loaded: dict, what: str) -> pd.Series:
    """Every value (distinct within a column), as text, of the input columns that identify ``what`` (contracts'
    ``identifies``), in the rows used and the rows withheld (set aside or outside the window)."""
    from lib.inputs.contracts import CONTRACTS

    parts = []
    for source, item in loaded.items():
        contract = CONTRACTS["tracker" if source.startswith("tracker") else source]
        for column in contract.identifying(what):
            for frame in (item.frame, item.withheld):
                if column in frame:
                    parts.append(pd.Series(frame[column].dropna().unique()).astype(str))
    return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype=str)


class _IdIndex:
    """Record ids, found in published text whole or by any fragment of ``FRAGMENT`` characters or more.

    A fragment of 15 or more characters of an id holds at least one of the id's 8-character pieces that start at
    a multiple of 8; those pieces are kept as 64-bit integers (about 8 per 64-character id), and a token with one
    of them among its 8-character windows is confirmed by a plain substring search.
    """

    def __init__(self, ids: pd.Series):
        self.ids = ids
        long = ids[ids.str.len() >= FRAGMENT]
        self.long = long[long.map(str.isascii).astype(bool)].reset_index(drop=True)
        pieces = [np.array([], dtype=np.uint64)]
        for length, same in self.long.groupby(self.long.str.len()):  # ids of one length: one array, no loop
            raw = np.frombuffer("".join(same).encode("ascii"), dtype=np.uint8).reshape(len(same), length)
            for k in range(0, length - _GRAM + 1, _GRAM):
                pieces.append(self._packed(raw[:, k:k + _GRAM]))
        self.pieces = np.unique(np.concatenate(pieces))
        self._joined: str | None = None

    @staticmethod
    def _packed(chars: np.ndarray) -> np.ndarray:
        """Rows of 8 bytes as 64-bit integers."""
        return np.ascontiguousarray(chars).view(">u8").ravel().astype(np.uint64)

    def found(self, tokens: set[str]) -> list[str]:
        """The tokens that are an id, or hold a fragment of one at least ``FRAGMENT`` long, sorted."""
        hits = set(self.ids[self.ids.isin(tokens)]) if tokens else set()
        if not len(self.pieces):
            return sorted(hits)
        for token in tokens - hits:
            if len(token) < FRAGMENT or not token.isascii():
                continue
            raw = np.frombuffer(token.encode("ascii"), dtype=np.uint8)
            windows = self._packed(np.lib.stride_tricks.sliding_window_view(raw, _GRAM))
            at = np.searchsorted(self.pieces, windows).clip(max=len(self.pieces) - 1)
            if (self.pieces[at] == windows).any() and self._holds_fragment(token):
                hits.add(token)
        return sorted(hits)

    def _holds_fragment(self, token: str) -> bool:
        """True when some ``FRAGMENT`` characters of the token are part of an id (one search in all long ids)."""
        if self._joined is None:
            self._joined = "\n".join(self.long)
        return any(token[j:j + FRAGMENT] in self._joined for j in range(len(token) - FRAGMENT + 1))


def _coordinates(loaded: dict, decimals: int) -> set[tuple[int, int]]:
    """(decimals, value scaled to an integer) for every coordinate, at each finer precision than allowed."""
    values = pd.to_numeric(_values(loaded, "coordinate").str.replace(",", ".", regex=False), errors="coerce")
    values = values[np.isfinite(values)].unique()
    out: set[tuple[int, int]] = set()
    for d in range(decimals + 1, MAX_PLACES + 1):
        out |= {(d, int(v)) for v in np.round(values * 10**d)}
    return out


class Scanner:
    """What the inputs held, indexed once per build; calling it scans a built folder (or ``texts``, name → text)
    and returns the problems found (an empty list means it may be published)."""

    def __init__(self, params: Params, loaded: dict, extra_paths: list[Path] = ()):
        self.paths = _machine_paths(params, list(extra_paths))
        self.ids = _IdIndex(_values(loaded, "record"))
        self.locations = {v.strip() for v in _values(loaded, "place")}
        self.decimals = params.disclosure.coordinate_decimals
        self.coordinates = _coordinates(loaded, self.decimals)

    def __call__(self, folder: Path | None = None, texts: dict | None = None) -> list[str]:
        texts = published_texts(folder) if texts is None else texts
        tokens = {name: set(TOKEN.findall(text)) for name, text in texts.items()}
        ids = set(self.ids.found(set().union(*tokens.values()))) if tokens else set()  # one look-up for all texts
        hits: list[str] = []
        for name, text in texts.items():
            hits += self._one(name, text, sorted(tokens[name] & ids))
            if len(hits) >= MAX_HITS:
                break
        return hits

    def _one(self, name: str, text: str, found: list[str]) -> list[str]:
        hits = []
        path = next((p for p in self.paths if p in text), None)
        if path:
            hits.append(f"{name}: a path of this machine ({path})")
        if found:
            hits.append(f"{name}: record id(s) from the inputs, or part of one: {', '.join(found[:3])}")
        near = sorted({m.strip() for m in LOCATION.findall(text)} & self.locations)
        if near:
            hits.append(f"{name}: crime location(s): {', '.join(near[:3])}")
        for m in NUMBER.finditer(text) if self.coordinates else ():
            d = len(m.group(1))
            if self.decimals < d <= MAX_PLACES and (d, int(round(float(m.group(0)) * 10**d))) in self.coordinates:
                hits.append(f"{name}: a coordinate finer than {self.decimals} decimal places ({m.group(0)})")
                break
        return hits


def scan(folder: Path, params: Params, loaded: dict, extra_paths: list[Path] = (), texts: dict | None = None) -> list[str]:
    """Problems found in a built version folder (or in ``texts``, name → text); an empty list means it may
    be published (:class:`Scanner`, for one folder)."""
    return Scanner(params, loaded, extra_paths)(folder, texts)


def describe(hits: list[str]) -> str:
    """The scan's findings as a message."""
    more = "" if len(hits) < MAX_HITS else f"\n  (stopped after {MAX_HITS} findings)"
    return "the publication scan found what must not be published:\n  " + "\n  ".join(hits) + more + \
        "\nNothing was published. Remove these from the inputs (or the page) and build again."

