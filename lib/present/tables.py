"""Tables for the book, rendered from data: no cell is ever parsed as markup.

A :class:`Table` shows in a notebook as a bundle of two forms:

- ``application/vnd.forcebook.table+json``: the caption, column names and cell texts as JSON. The
  book's renderer (:mod:`lib.present.mime`) turns it into docutils table nodes whose cells are
  plain text, so Sphinx escapes them for HTML and LaTeX itself: a cell holding ``<script>``,
  ``{download}`...``` or ``\\input{...}`` prints as those characters, never runs;
- ``text/plain``: the same table as monospaced text, for nbval and the console.

A cell may hold a :class:`Short` (or a tuple of texts and Shorts): a short label that keeps a table narrow,
whose full words are in the table's legend (printed under it, in both media), in the cell's tooltip (an
``<abbr title>`` Sphinx writes and escapes) and in the CSV. So a long reading ("will consistently miss the
target") can be two words in the cell without anything being lost.

Captioned tables are also offered as CSV downloads in the web book. The CSV is written only during
a build (the build names the folder in ``FORCEBOOK_TABLES_DIR``), so running a notebook by hand
leaves nothing behind. CSV cells that a spreadsheet would run as a formula are neutralised
(OWASP, "CSV Injection"): text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe; numbers stay numbers.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .display import missing, plain
from .mimetypes import DOWNLOAD as DOWNLOAD_MIME
from .mimetypes import LINKS as LINKS_MIME
from .mimetypes import TABLE as MIME

TABLES_ENV = "FORCEBOOK_TABLES_DIR"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "  # between the parts of a cell that holds several


class Short(NamedTuple):
    """A cell's short label and the full words it stands for (legend, tooltip and CSV)."""

    label: str
    words: str


def _parts(value) -> list:
    """A cell as its parts: a tuple's items, else the value alone; empty parts dropped, Shorts' texts made
    one line (:func:`plain`: they may come from the inputs)."""
    parts = list(value) if isinstance(value, tuple) and not isinstance(value, Short) else [value]
    parts = [Short(plain(p.label), plain(p.words)) if isinstance(p, Short) else p for p in parts]
    return [p for p in parts if not (isinstance(p, str) and not p) and not (isinstance(p, Short) and not p.label)]


def has_short(value) -> bool:
    """Whether a cell holds a :class:`Short`."""
    return isinstance(value, tuple) and any(isinstance(p, Short) for p in _parts(value))


def full_text(value):
    """What a cell says in full (its Shorts' words): what the CSV holds."""
    if not isinstance(value, tuple):
        return value
    return JOIN.join(p.words if isinstance(p, Short) else cell_text(p) for p in _parts(value))


def cell_text(value) -> str:
    """The text a table cell shows: counts with thousands separators, blank for a missing value."""
    if isinstance(value, tuple):
        return JOIN.join(p.label if isinstance(p, Short) else cell_text(p) for p in _parts(value))
    if missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.2f}" if math.isfinite(value) else ("∞" if value > 0 else "−∞")
    return plain(value)


def spreadsheet_safe(value):
    """A CSV value a spreadsheet will show, never evaluate: text that could start a formula is prefixed '."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or value.lstrip().startswith(FORMULA_START)):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as a spreadsheet-safe CSV (UTF-8 with a byte-order mark, so Excel reads £ and é)."""
    safe = frame.copy()
    safe.columns = [spreadsheet_safe(str(c)) for c in safe.columns]
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]) or pd.api.types.is_bool_dtype(safe[col]):
            safe[col] = safe[col].map(spreadsheet_safe)
    tmp = path.with_name(f".{path.name}.tmp")
    safe.to_csv(tmp, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    os.replace(tmp, path)


def legend(frame: pd.DataFrame) -> list[list[str]]:
    """Every Short of ``frame`` as [label, words], in the order they first appear (by column, then row); a label
    that stands for two different texts is an error, since the legend could not say which."""
    seen: dict[str, str] = {}
    for col in frame.columns:
        for value in frame[col]:
            for part in _parts(value) if has_short(value) else []:
                if isinstance(part, Short) and seen.setdefault(part.label, part.words) != part.words:
                    raise ValueError(f"table column {col!r}: the label {part.label!r} stands for both "
                                     f"{seen[part.label]!r} and {part.words!r}")
    return [[label, words] for label, words in seen.items() if label != words]


def _segments(value) -> list[list[str]]:
    """A cell holding Shorts as [text, words] segments ('' words: plain text), the parts joined by :data:`JOIN`."""
    out: list[list[str]] = []
    for k, part in enumerate(_parts(value)):
        if k:
            out.append([JOIN, ""])
        out.append([part.label, part.words if part.words != part.label else ""] if isinstance(part, Short)
                   else [cell_text(part), ""])
    return out


def slug(text: str, limit: int = 60) -> str:
    """A file-name stem from a caption: lower case, letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "table"


class Table:
    """A table for the book (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        What the page shows, one column per column; values are shown by :func:`cell_text`.
    caption : str
        The numbered caption; a captioned table is also a CSV download.
    name : str
        Stem of the CSV file name (default: from the caption).
    data : DataFrame, optional
        What the CSV holds when it should differ from the page: raw numbers rather than the
        formatted texts (a signed change as a number, an interval as two columns).
    """

    def __init__(self, frame: pd.DataFrame, caption: str = "", name: str = "", data: pd.DataFrame | None = None,
                 records: bool = False):
        self.frame = frame.reset_index(drop=True)
        self.caption = caption
        self.records = records  # prose: one block per row, each column a labelled line (lib.present.mime)
        self.name = name or (slug(caption) if caption else "")
        self.csv = f"tables/{self.name}.csv" if caption else None
        folder = os.environ.get(TABLES_ENV)
        if self.csv and folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            write_csv(self.frame.map(full_text) if data is None else data.reset_index(drop=True),
                      Path(folder) / f"{self.name}.csv")

    def payload(self) -> dict:
        """The JSON the book's renderer reads."""
        numeric = [bool(pd.api.types.is_numeric_dtype(self.frame[c]) and not pd.api.types.is_bool_dtype(self.frame[c]))
                   for c in self.frame.columns]
        payload = {
            "version": 1,
            "caption": self.caption,
            "name": self.name,
            "csv": self.csv,
            "columns": [cell_text(c) for c in self.frame.columns],
            "numeric": numeric,
            "rows": [[cell_text(v) for v in row] for row in self.frame.itertuples(index=False)],
        }
        if self.records:
            payload["layout"] = "records"
        # Only a table with short labels has these (other tables' stored outputs stay as they were): the cells holding
        # one, [row, column, segments], and the key printed under the table.
        segments = [[i, j, _segments(v)] for i, row in enumerate(self.frame.itertuples(index=False))
                    for j, v in enumerate(row) if has_short(v)]
        if segments:
            payload.update(segments=segments, legend=legend(self.frame))
        return payload

    def _repr_mimebundle_(self, include=None, exclude=None):
        shown = self.frame.copy()
        for col in [c for c in shown.columns if any(has_short(v) for v in shown[c])]:
            shown[col] = shown[col].map(cell_text)
        text = shown.to_string(index=False) if len(shown) else "(no rows)"
        if self.caption:
            text = f"{self.caption}\n{text}"
        text += "".join(f"\n{label}: {words}" for label, words in legend(self.frame))
        return {MIME: json.loads(json.dumps(self.payload())), "text/plain": text}


def table(frame, caption: str = "", name: str = "", data: pd.DataFrame | None = None, empty: str = "",
          records: bool = False):
    """Wrap a DataFrame for display as a real table (see :class:`Table`); ``frame`` may be a pair
    (what the page shows, the numbers for the CSV), as the chapters' view functions return. A table
    with ``empty`` text and no rows is that sentence instead (a board reads "none", not bare headers).
    With ``records``, rows of prose (the inspection's words, an owner's commentary) are shown one block a row,
    each column a labelled line, instead of table cells many lines tall."""
    if isinstance(frame, tuple):
        frame, data = frame
    if empty and frame.empty:
        from lib.present.texts import text

        return text(f"{caption}: {empty}.")
    return Table(frame, caption, name, data, records)


def fact_table(facts, name: str, display, caption: str, missing_text: str = "not supplied", records: bool = False,
               empty: str = ""):
    """The table of the fact ``name`` as ``display(facts)`` shows it, or one sentence saying the inputs did not
    supply it (a public edition without populations, audits or a tracker history reads so, never a blank), or,
    given ``empty``, that sentence when the fact has no row (never a table of bare headers)."""
    if name not in facts:
        from lib.present.texts import text

        return text(f"{caption}: {missing_text}.")
    return table(display(facts), caption=caption, records=records, empty=empty)


class Download:
    """A table offered as a CSV download only (e.g. 168 hour-by-hour rows), with a line saying what it holds.

    The web book shows a download link; the PDF says the numbers are in the web edition's download.
    """

    def __init__(self, frame: pd.DataFrame, name: str, label: str):
        self.name, self.label = name, label
        self.csv = f"tables/{name}.csv"
        self.rows = len(frame)
        folder = os.environ.get(TABLES_ENV)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            write_csv(frame.reset_index(drop=True), Path(folder) / f"{name}.csv")

    def _repr_mimebundle_(self, include=None, exclude=None):
        payload = {"csv": self.csv, "label": self.label, "file": f"{self.name}.csv", "rows": self.rows}
        return {DOWNLOAD_MIME: payload, "text/plain": f"{self.label}: {self.name}.csv ({self.rows} rows)"}


def download(frame: pd.DataFrame, name: str, label: str) -> Download:
    """Offer ``frame`` as a CSV download only (see :class:`Download`)."""
    return Download(frame, name, label)


class Links:
    """Files in the book's source offered for download, a line each: (label, [(link text, path), ...]).

    The web book shows the links; the PDF, one sentence saying where they are.
    """

    def __init__(self, items: list[tuple[str, list[tuple[str, str]]]], printed: str):
        self.items, self.printed = items, printed

    def _repr_mimebundle_(self, include=None, exclude=None):
        payload = {"items": [{"label": label, "links": [{"text": t, "path": p} for t, p in links]}
                             for label, links in self.items], "printed": self.printed}
        return {LINKS_MIME: payload, "text/plain": "\n".join(label for label, _ in self.items)}
