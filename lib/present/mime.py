"""The book's renderer for forcebook's tables and texts: docutils nodes built from data.

myst-nb loads this plugin through the ``myst_nb.mime_renderers`` entry point (``pyproject.toml``)
and gives its two mime types the highest priority for every builder. Every cell, caption and
glued value becomes a docutils ``Text`` node, which Sphinx escapes for HTML and for LaTeX: nothing
from the inputs is parsed as MyST, HTML, a role, a directive or maths.

Tables are typeset for print as well as the screen: in the PDF every table is a ``longtable``
(it breaks across pages instead of running off one) with column widths in proportion to their
contents, so text wraps inside the page; tables with many columns are set in a smaller type and,
from :data:`LANDSCAPE_FROM` columns, on a landscape page. The CSV download link is for the web
book only (in the PDF it would be dead text) and appears only when the build wrote the file.
"""
from __future__ import annotations

import json
import os

from docutils import nodes

from .tables import MIME as TABLE_MIME
from .text import MIME as TEXT_MIME

LANDSCAPE_FROM = 10
MAX_WEIGHT = 40  # a long text column wraps rather than squeezing every other column


def _payload(content) -> dict:
    return json.loads(content) if isinstance(content, (str, bytes)) else dict(content)


def _weights(columns: list[str], rows: list[list[str]]) -> list[int]:
    """Relative column widths: the longest cell (capped) or the longest word of the header."""
    out = []
    for j, head in enumerate(columns):
        longest = max([len(r[j]) for r in rows] + [0])
        word = max([len(w) for w in head.split()] + [1])
        out.append(max(3, min(longest, MAX_WEIGHT), word))
    return out


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _font(columns: int) -> str:
    if columns >= 12:
        return r"\scriptsize"
    if columns >= 8:
        return r"\footnotesize"
    return r"\small"


def _download(csv: str, env) -> list[nodes.Node]:
    """'Download this table (CSV)', in the web book only, when the build wrote the file."""
    from sphinx import addnodes

    if env is None:
        return []
    _, path = env.relfn2path(csv, env.docname)
    if not os.path.isfile(path):
        return []
    ref = addnodes.download_reference("", "", reftarget=csv, refdoc=env.docname, refexplicit=True)
    ref += nodes.inline("", "Download this table (CSV)")
    only = addnodes.only(expr="html")
    only += nodes.paragraph("", "", ref, classes=["table-download"])
    return [only]


def table_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """Docutils nodes for a table payload (:meth:`lib.present.tables.Table.payload`)."""
    columns, rows, numeric = payload["columns"], payload["rows"], payload.get("numeric", [])
    table = nodes.table(classes=["forcebook-table", "longtable", "colwidths-given"])
    if payload.get("caption"):
        table += nodes.title("", payload["caption"])
        table["ids"] = [f"table-{payload['name']}"]
    group = nodes.tgroup(cols=len(columns))
    table += group
    for weight in _weights(columns, rows):
        group += nodes.colspec(colwidth=weight)

    def row_of(cells: list[str]) -> nodes.row:
        row = nodes.row()
        for j, value in enumerate(cells):
            entry = nodes.entry(classes=["numeric"] if j < len(numeric) and numeric[j] else [])
            entry += nodes.paragraph("", value)
            row += entry
        return row

    head = nodes.thead()
    head += row_of(columns)
    body = nodes.tbody()
    for cells in rows:
        body += row_of(cells)
    group += head
    group += body
    landscape = len(columns) >= LANDSCAPE_FROM
    before = (r"\begin{landscape}" if landscape else "") + r"\begingroup" + _font(len(columns))
    after = r"\endgroup" + (r"\end{landscape}" if landscape else "")
    out: list[nodes.Node] = [_latex(before), table, _latex(after)]
    if payload.get("csv"):
        out += _download(payload["csv"], env)
    return out


class BookMimeRenderer:
    """myst-nb mime render plugin for :data:`TABLE_MIME` and :data:`TEXT_MIME`."""

    mime_priority_overrides = [("*", TABLE_MIME, 1), ("*", TEXT_MIME, 2)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        """Nodes for our mime types; None (not ours) for any other."""
        if data.mime_type == TEXT_MIME:
            text = _payload(data.content)["text"]
            return [nodes.inline("", text)] if inline else [nodes.paragraph("", text, classes=["output", "text"])]
        if data.mime_type == TABLE_MIME and not inline:
            document = renderer.renderer.document
            env = getattr(document.settings, "env", None)
            return [nodes.container("", *table_nodes(_payload(data.content), env), classes=["output", "table"])]
        return None
