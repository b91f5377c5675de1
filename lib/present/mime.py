"""The book's renderer for forcebook's tables and texts: docutils nodes built from data.

myst-nb loads this plugin through the ``myst_nb.mime_renderers`` entry point (``pyproject.toml``)
and gives its two mime types the highest priority for every builder. Every cell, caption and
glued value becomes a docutils ``Text`` node, which Sphinx escapes for HTML and for LaTeX: nothing
from the inputs is parsed as MyST, HTML, a role, a directive or maths.

Tables are typeset for print as well as the screen: in the PDF every table is a ``longtable``
(it breaks across pages instead of running off one); every column is at least as wide as its longest
unbreakable word (numbers, dates and ids never print over the next column) and long text wraps;
tables with many columns are set in a smaller type and,
from :data:`LANDSCAPE_FROM` columns, on a landscape page. The CSV download link is for the web
book only (in the PDF it would be dead text) and appears only when the build wrote the file.
"""
from __future__ import annotations

import json
import os

from docutils import nodes

from .mimetypes import DOWNLOAD as DOWNLOAD_MIME
from .mimetypes import LINKS as LINKS_MIME
from .mimetypes import TABLE as TABLE_MIME
from .mimetypes import TEXT as TEXT_MIME

LANDSCAPE_FROM = 8
MAX_WEIGHT = 40  # a long text column wraps rather than squeezing every other column


def _payload(content) -> dict:
    return json.loads(content) if isinstance(content, (str, bytes)) else dict(content)


# Characters a line of a table holds in the PDF (A4, Sphinx's margins), by font and orientation; and the
# cell padding (2 × \tabcolsep = 12 pt) in characters. Widths are set in characters of the cell font.
_CAPACITY = {(False, r"\small"): 95, (False, r"\footnotesize"): 105, (False, r"\scriptsize"): 120,
             (True, r"\small"): 145, (True, r"\footnotesize"): 160, (True, r"\scriptsize"): 185}
_PAD = 3


def _longest_word(text: str) -> int:
    return max([len(w) for w in text.split()] + [1])


def _weights(columns: list[str], rows: list[list[str]], capacity: int = 95) -> list[float]:
    """Column widths, in characters: every column at least as wide as its longest unbreakable word (a number, a
    date, an id: these cannot wrap, and a narrower column would print them over the next one); the rest of the
    line shared in proportion to how much longer each column's cells are, capped, so long text wraps."""
    minimum, natural = [], []
    for j, head in enumerate(columns):
        cells = [r[j] for r in rows]
        word = max([_longest_word(c) for c in cells] + [_longest_word(head), 3])
        longest = max([len(c) for c in cells] + [word])
        minimum.append(word + _PAD)
        natural.append(max(word, min(longest, MAX_WEIGHT)) + _PAD)
    spare, wanted = capacity - sum(minimum), sum(natural) - sum(minimum)
    if wanted <= 0 or spare >= wanted:
        return [float(n) for n in natural]
    share = max(spare, 0) / wanted
    return [m + (n - m) * share for m, n in zip(minimum, natural)]


def _latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _font(columns: int) -> str:
    if columns >= 12:
        return r"\scriptsize"
    if columns >= 8:
        return r"\footnotesize"
    return r"\small"


def _reference(target: str, env, text: str):
    """A download reference to a file of the book's source, or None when the build did not write it."""
    from sphinx import addnodes

    if env is None:
        return None
    _, path = env.relfn2path(target, env.docname)
    if not os.path.isfile(path):
        return None
    ref = addnodes.download_reference("", "", reftarget=target, refdoc=env.docname, refexplicit=True)
    ref += nodes.inline("", text)
    return ref


def _download(csv: str, env, text: str = "Download this table (CSV)") -> list[nodes.Node]:
    """A download link, in the web book only, when the build wrote the file."""
    from sphinx import addnodes

    ref = _reference(csv, env, text)
    if ref is None:
        return []
    only = addnodes.only(expr="html")
    only += nodes.paragraph("", "", ref, classes=["table-download"])
    return [only]


def download_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """A CSV-only table: a link in the web book, a sentence naming the file in the PDF."""
    from sphinx import addnodes

    link = _download(payload["csv"], env, f"{payload['label']} (CSV, {payload['rows']:,} rows)")
    printed = addnodes.only(expr="latex")
    printed += nodes.paragraph("", f"{payload['label']}: in the web edition, as the download {payload['file']} "
                                   f"({payload['rows']:,} rows).")
    return link + [printed]


def table_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """Docutils nodes for a table payload (:meth:`lib.present.tables.Table.payload`)."""
    columns, rows, numeric = payload["columns"], payload["rows"], payload.get("numeric", [])
    table = nodes.table(classes=["forcebook-table", "longtable", "colwidths-given"])
    if payload.get("caption"):
        table += nodes.title("", payload["caption"])
        table["ids"] = [f"table-{payload['name']}"]
    group = nodes.tgroup(cols=len(columns))
    table += group
    landscape = len(columns) >= LANDSCAPE_FROM
    for weight in _weights(columns, rows, _CAPACITY[(landscape, _font(len(columns)))]):
        group += nodes.colspec(colwidth=max(1, round(10 * weight)))

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
    # No hyphenation inside tables: a cell reads as typed ("December", not "De-cem-ber").
    before = (r"\begin{landscape}" if landscape else "") + r"\begingroup" + _font(len(columns)) \
        + r"\hyphenpenalty=10000\exhyphenpenalty=10000"
    after = r"\endgroup" + (r"\end{landscape}" if landscape else "")
    out: list[nodes.Node] = [_latex(before), table, _latex(after)]
    if payload.get("csv"):
        out += _download(payload["csv"], env)
    return out


def links_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """A list of download links (web book), or the payload's sentence (PDF)."""
    from sphinx import addnodes

    items = nodes.bullet_list()
    for item in payload["items"]:
        para = nodes.paragraph("", item["label"] + ": ")
        refs = [r for r in (_reference(link["path"], env, link["text"]) for link in item["links"]) if r is not None]
        for i, ref in enumerate(refs):
            para += nodes.Text(" · " if i else "")
            para += ref
        items += nodes.list_item("", para)
    web = addnodes.only(expr="html")
    web += items
    printed = addnodes.only(expr="latex")
    printed += nodes.paragraph("", payload["printed"])
    return [web, printed]


class BookMimeRenderer:
    """myst-nb mime render plugin for forcebook's tables, downloads and texts."""

    mime_priority_overrides = [("*", TABLE_MIME, 1), ("*", TEXT_MIME, 2), ("*", DOWNLOAD_MIME, 3), ("*", LINKS_MIME, 4)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        """Nodes for our mime types; None (not ours) for any other."""
        if data.mime_type == TEXT_MIME:
            text = _payload(data.content)["text"]
            return [nodes.inline("", text)] if inline else [nodes.paragraph("", text, classes=["output", "text"])]
        if data.mime_type in (TABLE_MIME, DOWNLOAD_MIME, LINKS_MIME) and not inline:
            env = getattr(renderer.renderer.document.settings, "env", None)
            build = {TABLE_MIME: table_nodes, DOWNLOAD_MIME: download_nodes, LINKS_MIME: links_nodes}[data.mime_type]
            return [nodes.container("", *build(_payload(data.content), env), classes=["output", "table"])]
        return None
