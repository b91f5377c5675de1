"""The book's renderer for forcebook's tables and texts: docutils nodes built from data.

myst-nb loads this plugin through the ``myst_nb.mime_renderers`` entry point (``pyproject.toml``)
and gives its two mime types the highest priority for every builder. Every cell, caption and
glued value becomes a docutils ``Text`` node, which Sphinx escapes for HTML: nothing from the inputs
is parsed as MyST, HTML, a role, a directive or maths. A chart's spec is JSON data in a script element
that only a JSON parser reads (``<``, ``>`` and ``&`` escaped).

One HTML source serves both media: the PDF is the web book's own pages printed (lib.pipeline.printed),
so what differs between them is marked here, by class: download links are for the screen (in the PDF they
would be dead text) and appear only when the build wrote the file; the PDF gets a sentence instead. Every
column is at least as wide as its longest unbreakable word (numbers, dates and ids never print over the
next column) and long text wraps.
"""
from __future__ import annotations

import base64
import json
import os
import re

from docutils import nodes

from .mimetypes import BLOCKS as BLOCKS_MIME
from .mimetypes import CHART as CHART_MIME
from .mimetypes import DOWNLOAD as DOWNLOAD_MIME
from .mimetypes import LINKS as LINKS_MIME
from .mimetypes import TABLE as TABLE_MIME
from .mimetypes import TEXT as TEXT_MIME

MAX_WEIGHT = 40  # a long text column wraps rather than squeezing every other column
_PAD = 3  # cell padding, in characters
WIDE, WIDEST = 9, 13  # columns from which a table gets a smaller type, and the smallest (a year of months)
# A word this long made of parts (a file's path, a source's name) may break between any two characters rather than
# widen its column past the page.
LONG_WORD = re.compile(r"\S{13,}")
JOINED = re.compile(r"[/_.\\]")
# Print-only and screen-only content: the web book hides the first (_static/forcebook.css); the PDF, printed from
# the web book's own pages (lib.pipeline.printed), drops the second.
PRINT, SCREEN = "forcebook-print", "forcebook-screen"


def _payload(content) -> dict:
    return json.loads(content) if isinstance(content, (str, bytes)) else dict(content)


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


def _only(medium: str, *children: nodes.Node) -> nodes.container:
    """Content for one medium: ``PRINT`` (the PDF) or ``SCREEN`` (the web book)."""
    return nodes.container("", *children, classes=[medium])


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
    ref = _reference(csv, env, text)
    if ref is None:
        return []
    return [_only(SCREEN, nodes.paragraph("", "", ref, classes=["table-download"]))]


def download_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """A CSV-only table: a link in the web book, a sentence naming the file in the PDF."""
    link = _download(payload["csv"], env, f"{payload['label']} (CSV, {payload['rows']:,} rows)")
    printed = nodes.paragraph("", f"{payload['label']}: in the web edition, as the download {payload['file']} "
                                  f"({payload['rows']:,} rows).")
    return link + [_only(PRINT, printed)]


def _breakable(text: str) -> list[str]:
    """``["breakable"]`` for a cell holding a long word made of parts (``data/demo/contacts.parquet``,
    ``measure_values``): it may wrap anywhere (_static/forcebook.css)."""
    return ["breakable"] if any(JOINED.search(w) for w in LONG_WORD.findall(text)) else []


def _cell_text(value: str, segments) -> list[nodes.Node]:
    """A cell's text nodes: a short label becomes an abbreviation (``<abbr title>``, written and escaped by
    Sphinx) whose title is its full words."""
    if segments is None:
        return [nodes.Text(value)]
    return [nodes.abbreviation(text, text, explanation=words) if words else nodes.Text(text)
            for text, words in segments]


def _legend(entries: list[list[str]]) -> list[nodes.Node]:
    """What the table's short labels stand for, under it (both media): 'Key: label: words; ...'."""
    if not entries:
        return []
    para = nodes.paragraph("", "", nodes.Text("Key: "), classes=["table-legend"])
    for k, (label, words) in enumerate(entries):
        para += [nodes.Text("; " if k else ""), nodes.strong("", label), nodes.Text(f": {words}")]
    return [para]


def records_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """Rows of prose, one block a row: the first column as the block's heading term, each other column a labelled
    line. A table of a few long texts read 17 lines a row at laptop width; this reads as the words it holds."""
    out: list[nodes.Node] = []
    if payload.get("caption"):
        out.append(nodes.paragraph("", "", nodes.strong("", payload["caption"]), classes=["records-caption"]))
    columns = payload["columns"]
    items = nodes.definition_list(classes=["forcebook-records"])
    for row in payload["rows"]:
        definition = nodes.definition()
        for column, value in zip(columns[1:], row[1:]):
            if value.strip():  # an empty cell is no line (an owner who gave no commentary gave no action either)
                definition += nodes.paragraph("", "", nodes.strong("", f"{column}: "), nodes.Text(value))
        items += nodes.definition_list_item("", nodes.term("", row[0]), definition)
    out.append(items)
    if payload.get("csv"):
        out += _download(payload["csv"], env)
    return out


def table_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """Docutils nodes for a table payload (:meth:`lib.present.tables.Table.payload`): header cells in a
    ``thead`` (tagged as header cells in the PDF), column widths from the cells' words, short labels with
    their words in a tooltip and in the key under the table."""
    if payload.get("layout") == "records":
        return records_nodes(payload, env)
    columns, rows, numeric = payload["columns"], payload["rows"], payload.get("numeric", [])
    segments = {(i, j): seg for i, j, seg in payload.get("segments", [])}
    # many columns: smaller type (_static/forcebook.css, print.css)
    wide = ["wide"] * (len(columns) >= WIDE) + ["widest"] * (len(columns) >= WIDEST)
    table = nodes.table(classes=["forcebook-table", "colwidths-given", *wide])
    if payload.get("caption"):
        table += nodes.title("", payload["caption"])
        table["ids"] = [f"table-{payload['name']}"]
    group = nodes.tgroup(cols=len(columns))
    table += group
    for weight in _weights(columns, rows):
        group += nodes.colspec(colwidth=max(1, round(10 * weight)))

    def row_of(cells: list[str], i: int | None = None) -> nodes.row:
        row = nodes.row()
        for j, value in enumerate(cells):
            entry = nodes.entry(classes=["numeric"] * bool(j < len(numeric) and numeric[j]) + _breakable(value))
            entry += nodes.paragraph("", "", *_cell_text(value, segments.get((i, j))))
            row += entry
        return row

    head = nodes.thead()
    head += row_of(columns)
    body = nodes.tbody()
    for i, cells in enumerate(rows):
        body += row_of(cells, i)
    group += head
    group += body
    out: list[nodes.Node] = [table, *_legend(payload.get("legend", []))]
    if payload.get("csv"):
        out += _download(payload["csv"], env)
    return out


def links_nodes(payload: dict, env=None) -> list[nodes.Node]:
    """A list of download links (web book), or the payload's sentence (PDF)."""
    items = nodes.bullet_list()
    for item in payload["items"]:
        para = nodes.paragraph("", item["label"] + ": ")
        refs = [r for r in (_reference(link["path"], env, link["text"]) for link in item["links"]) if r is not None]
        for i, ref in enumerate(refs):
            para += nodes.Text(" · " if i else "")
            para += ref
        items += nodes.list_item("", para)
    return [_only(SCREEN, items), _only(PRINT, nodes.paragraph("", payload["printed"]))]


def _script_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so no text from the inputs
    can close the element or open another."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _with_alt(metadata: dict, alt: str) -> dict:
    """A cell's metadata with ``alt`` as its image's alternative text."""
    image = dict(metadata.get("mystnb", {}).get("image", {}), alt=alt)
    return {**metadata, "mystnb": {**metadata.get("mystnb", {}), "image": image}}


def chart_nodes(payload: dict, renderer, data, alt: str | None = None) -> list[nodes.Node]:
    """A chart (:class:`lib.present.vega.Chart`): live in the web book, static (PNG drawn by vl-convert) in the PDF
    and wherever JavaScript does not run, and the numbers behind it as a CSV one click away. The alternative text
    is ``alt``, or the cell's ``mystnb`` metadata's (the figure around it gives the caption and number)."""
    import hashlib
    from urllib.parse import quote

    from myst_nb.core.render import MimeData

    from .vega import PRINT_SCALE, png, print_specs_of

    spec = payload["spec"]
    if alt is None:
        alt = str(data.cell_metadata.get("mystnb", {}).get("image", {}).get("alt", ""))
    live = dict(spec, description=alt) if alt else spec
    key = "chart-" + hashlib.sha256(_script_json(live).encode()).hexdigest()[:12]
    parts = print_specs_of(payload)
    static = []
    for k, part in enumerate(parts):
        # each part says which it is in its alternative text
        metadata = _with_alt(data.cell_metadata, alt if len(parts) == 1 else f"{alt} (part {k + 1} of {len(parts)})")
        picture = png(part)
        images = renderer.render_image(MimeData("image/png", base64.b64encode(picture).decode("ascii"),
                                                cell_metadata=metadata, output_metadata={}, cell_index=data.cell_index,
                                                output_index=data.output_index, line=data.line))
        for node in images:  # drawn at PRINT_SCALE: shown at the chart's own size
            node["width"] = f"{int.from_bytes(picture[16:20], 'big') // PRINT_SCALE}px"
        static += images
    for node in static:
        node["classes"] += ["forcebook-chart-static"]
    html = (f'<div class="forcebook-chart" data-forcebook-chart="{key}"></div>'
            f'<script type="application/json" id="{key}">{_script_json(live)}</script>')
    # A data: link needs the download attribute (browsers refuse to open one as a page), which docutils cannot
    # write: raw HTML, every character of the CSV percent-encoded.
    csv = quote(payload.get("csv", ""), safe="")
    link = (f'<p class="chart-download"><a download="{key}.csv" href="data:text/csv;charset=utf-8,{csv}">'
            "The numbers behind this chart (CSV)</a></p>")
    return [_only(SCREEN, nodes.raw("", html + link, format="html")), *static]


def blocks_nodes(payload: dict, renderer, data) -> list[nodes.Node]:
    """Blocks (:class:`lib.present.blocks.Blocks`): each a third-level heading, its chart (or why there is none) and
    its labelled lines, in a container the PDF keeps on one page; the ``empty`` sentence when there is no block."""
    if not payload["blocks"]:
        return [nodes.paragraph("", payload["empty"])] if payload.get("empty") else []
    out: list[nodes.Node] = []
    for block in payload["blocks"]:
        box = nodes.container(classes=["forcebook-block", payload["kind"]])
        # a heading inside an output: a rubric with its level (myst-parser writes it as <h3>, the PDF's tagged H3)
        box += nodes.rubric(block["title"], block["title"], level=3)
        box += _labelled(block["lead"])
        if block["chart"] is not None:
            box += chart_nodes(block["chart"], renderer, data, alt=block["alt"])
        elif block["no_chart"]:
            box += nodes.paragraph("", block["no_chart"])
        box += _labelled(block["lines"])
        out.append(box)
    return out


def _labelled(lines: list[list[str]]) -> list[nodes.Node]:
    """A paragraph per labelled line with text ('label: text', the label in bold)."""
    return [nodes.paragraph("", "", nodes.strong("", f"{label}: "), nodes.Text(text), classes=["block-line"])
            for label, text in lines if text.strip()]


class BookMimeRenderer:
    """myst-nb mime render plugin for forcebook's tables, downloads, texts and charts."""

    mime_priority_overrides = [("*", TABLE_MIME, 1), ("*", TEXT_MIME, 2), ("*", DOWNLOAD_MIME, 3), ("*", LINKS_MIME, 4),
                               ("*", CHART_MIME, 5), ("*", BLOCKS_MIME, 6)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        """Nodes for our mime types; None (not ours) for any other."""
        if data.mime_type == TEXT_MIME:
            text = _payload(data.content)["text"]
            return [nodes.inline("", text)] if inline else [nodes.paragraph("", text, classes=["output", "text"])]
        if data.mime_type == BLOCKS_MIME and not inline:
            return [nodes.container("", *blocks_nodes(_payload(data.content), renderer, data),
                                    classes=["output", "blocks"])]
        if data.mime_type == CHART_MIME and not inline:
            return [nodes.container("", *chart_nodes(_payload(data.content), renderer, data), classes=["output", "chart"])]
        if data.mime_type in (TABLE_MIME, DOWNLOAD_MIME, LINKS_MIME) and not inline:
            env = getattr(renderer.renderer.document.settings, "env", None)
            build = {TABLE_MIME: table_nodes, DOWNLOAD_MIME: download_nodes, LINKS_MIME: links_nodes}[data.mime_type]
            return [nodes.container("", *build(_payload(data.content), env), classes=["output", "table"])]
        return None
