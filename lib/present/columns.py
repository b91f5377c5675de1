"""Tables declared as column specs: each shown column is a heading, the fact columns it reads and how it shows them.

A chapter's table is the chapter's facts as a reader sees them: a heading per column, each cell a text. A chapter
declares that once, next to the facts it reads (``GAPS = (Column("hours under-covered", "hours_under", fmt_int),
...)``), and :func:`lay_out` lays the facts out by it; the facts themselves stay as they are for the table's CSV
download (:func:`lib.present.tables.table` takes both).

Why our own: pandas' ``Styler`` formats cells but keeps the facts' column names and renders HTML of its own, and
table libraries (great_tables, itables) render their own HTML and JavaScript. A spec here only needs to say which
fact columns make each shown column and through which of our formatting rules (:mod:`lib.present.display`), so
that the web book, the PDF and the downloads keep going through the one table path they share.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import pandas as pd

ROW: tuple[str, ...] = ()  # a column that reads the whole row: its rule is given the row (a Series)


class Column(NamedTuple):
    """One shown column: its ``heading``, the fact column it ``reads`` (or several, passed to ``shows`` in that
    order, or :data:`ROW`, the row itself) and ``shows``, the rule that turns the value(s) into the cell (``None``:
    the value as it is)."""

    heading: str
    reads: str | tuple[str, ...]
    shows: Callable[..., Any] | None = None


def lay_out(frame: pd.DataFrame, columns: Iterable[Column]) -> pd.DataFrame:
    """``frame`` laid out by ``columns``: one column per spec, in their order, each cell made by its rule from the
    row's values; the rows and their index are ``frame``'s.

    A column made by a rule holds texts even when there are no rows (an empty list would make it a number column,
    and a table's number columns are aligned as numbers).

    Raises
    ------
    KeyError
        A spec reads a column ``frame`` does not have (a chapter's spec and its facts disagree: a bug).
    ValueError
        Two columns share a heading, or a column reads several columns or the row without a rule to show them.
    """
    out = {}
    for column in columns:
        if column.heading in out:
            raise ValueError(f"two columns are headed {column.heading!r}: a table's headings name one column each")
        reads = (column.reads,) if isinstance(column.reads, str) else column.reads
        if column.shows is None:
            if len(reads) != 1:
                raise ValueError(f"column {column.heading!r} reads {'the row' if reads == ROW else f'{len(reads)} columns'}"
                                 ": it needs a rule to show them")
            out[column.heading] = frame[reads[0]]
            continue
        rows = ((row,) for _, row in frame.iterrows()) if reads == ROW else zip(*(frame[r] for r in reads))
        out[column.heading] = pd.Series([column.shows(*values) for values in rows], index=frame.index,
                                        dtype=object if frame.empty else None)
    return pd.DataFrame(out, index=frame.index)
