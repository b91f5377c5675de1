"""The printed board pack reads as a pack (issue "The board pack", point 6): measured on the session's built PDF.

A page is measured by what PDFium finds on it: the lowest text, line or image above the page's foot margin (where the
running footer sits) gives how full it is; the PDF's bookmarks (WeasyPrint makes one per heading, at the heading's
top) give where each chapter starts and where each heading stands.
"""
from __future__ import annotations

import json
import re

import pytest

from lib import ROOT
from lib.present.mimetypes import BLOCKS, CHART
from lib.present.vega import PRINT_SCALE, print_specs_of

pytestmark = pytest.mark.build

MM = 72 / 25.4
TOP_MARGIN, FOOT_MARGIN = 16 * MM, 18 * MM  # _static/print.css @page
BOARD_PAGES = 42  # the decision sheet to the programme chapter's end; the data, reference pages and annex follow
MIN_FIGURE_TEXT = 7.0  # points


@pytest.fixture(scope="module")
def pdf(built):
    import pypdfium2 as pdfium

    _, folder, _ = built
    doc = pdfium.PdfDocument(next(folder.glob("*.pdf")))
    yield doc
    doc.close()


def _marks(doc) -> list[tuple[int, str, int, float]]:
    """Every bookmark: (level, title, page index, top of the heading in points from the page's foot)."""
    out = []
    for mark in doc.get_toc():
        dest = mark.get_dest()
        view = dest.get_view()[1]
        out.append((mark.level, mark.get_title(), dest.get_index(), float(view[1]) if len(view) > 1 else 0.0))
    return out


def _content(page) -> list[tuple[float, float, float, float, int]]:
    """What a page shows above its foot margin: (left, bottom, right, top, type) of each object."""
    objects = []
    for obj in page.get_objects():
        left, bottom, right, top = obj.get_bounds()
        if bottom >= FOOT_MARGIN - 1:
            objects.append((left, bottom, right, top, obj.type))
    return objects


def _fill(page) -> float:
    """How much of the page's text area its content takes, from the top of the area to the lowest object."""
    _, height = page.get_size()
    top = height - TOP_MARGIN
    lowest = min([b for _, b, _, _, _ in _content(page)] + [top])
    return (top - lowest) / (top - FOOT_MARGIN)


def _chapter_starts(doc) -> set[int]:
    return {page for level, _, page, _ in _marks(doc) if level == 0}


def _board(doc) -> range:
    """The board's pages: from the decision sheet to the page before the data chapter."""
    starts = {title: page for level, title, page, _ in _marks(doc) if level == 0}
    return range(starts["Decision sheet"], starts["The period in data"])


def test_the_board_pack_stays_short(pdf):
    """The decision sheet, the exception pages and the chapters' findings; the data chapter, the reference pages
    and the annex (hourly and monthly tables, model checks, the charts behind tables) follow. The issue asks for
    about 30: the demo's 21 measures off track take 11 of these, half a page each."""
    assert len(_board(pdf)) <= BOARD_PAGES


def test_no_page_is_less_than_a_quarter_full_except_at_a_chapters_end(pdf):
    starts = _chapter_starts(pdf)
    sparse = [i + 1 for i in range(2, len(pdf) - 1) if i + 1 not in starts and _fill(pdf[i]) < 0.25]
    assert sparse == [], f"pages less than a quarter full in the middle of a chapter: {sparse}"


def test_no_heading_stands_at_a_page_foot(pdf):
    """Every heading has something under it on its own page (its first lines, table or chart)."""
    alone = []
    for level, title, index, top in _marks(pdf):
        if level == 0:
            continue
        below = [t for _, _, _, t, _ in _content(pdf[index]) if t < top - 16]
        if not below:
            alone.append(f"page {index + 1}: {title}")
    assert alone == []


def test_every_page_is_upright_a4(pdf):
    for i in range(len(pdf)):
        width, height = pdf[i].get_size()
        assert (round(width), round(height)) == (595, 842) and pdf[i].get_rotation() == 0, f"page {i + 1}"


def _font_sizes(node) -> list[float]:
    """Every font size a Vega-Lite spec sets (fontSize, labelFontSize, titleFontSize...), in CSS pixels."""
    if isinstance(node, dict):
        return [float(v) for k, v in node.items() if re.search(r"(^f|F)ontSize$", k) and isinstance(v, (int, float))] \
            + [s for v in node.values() for s in _font_sizes(v)]
    if isinstance(node, list):
        return [s for v in node for s in _font_sizes(v)]
    return []


def _printed_specs() -> list[dict]:
    """Every chart spec the PDF prints, from the notebooks' stored outputs (what nbval checks)."""
    specs = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if CHART in data:
                    specs += print_specs_of(data[CHART])
                for block in data.get(BLOCKS, {}).get("blocks", []):
                    specs += print_specs_of(block["chart"]) if block["chart"] else []
    return specs


def test_figure_text_prints_at_seven_points_or_more(pdf):
    """The smallest font any chart sets, times the smallest scale any chart image is printed at (points per CSS
    pixel: its width on the page over its pixels, drawn at PRINT_SCALE), is at least 7 pt."""
    import pypdfium2.raw as raw

    specs = _printed_specs()
    smallest = min(s for spec in specs for s in _font_sizes(spec))
    ratios = []
    for i in range(len(pdf)):
        for obj in pdf[i].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
            left, _, right, _ = obj.get_bounds()
            pixels = obj.get_px_size()[0]
            ratios.append((right - left) / (pixels / PRINT_SCALE))
    assert specs and ratios
    assert smallest * min(ratios) >= MIN_FIGURE_TEXT, (smallest, min(ratios))


def _table_parts(path) -> list[list[tuple[int, int]]]:
    """Each table of the PDF as its parts, one a page: [(page, body rows)...]. WeasyPrint tags each page's part of a
    table as a /Table of its own; only the first carries the /Caption (every table of the book has one)."""
    import pikepdf

    def kids(node):
        k = node.get("/K")
        return [] if k is None else [x for x in (k if isinstance(k, pikepdf.Array) else [k])
                                     if isinstance(x, pikepdf.Dictionary)]

    with pikepdf.open(path) as pdf:
        page_of = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
        tables: list[list[tuple[int, int]]] = []
        stack = [pdf.Root.StructTreeRoot]
        found = []
        while stack:  # depth first, in reading order
            node = stack.pop(0)
            if node.get("/S") == "/Table":
                parts = kids(node)
                rows = [r for part in parts if part.get("/S") == "/TBody" for r in kids(part)]
                found.append((any(p.get("/S") == "/Caption" for p in parts), page_of[node.Pg.objgen], len(rows)))
                continue
            stack[:0] = kids(node)
    for captioned, page, rows in found:
        if captioned or not tables or tables[-1][-1][0] != page - 1:
            tables.append([(page, rows)])
        else:
            tables[-1].append((page, rows))
    return tables


def test_no_table_is_split_leaving_two_rows_or_fewer_on_a_page(built):
    _, folder, _ = built
    tables = _table_parts(next(folder.glob("*.pdf")))
    split = [t for t in tables if len(t) > 1]
    thin = [t for t in split if min(rows for _, rows in t) <= 2]
    assert tables and thin == [], f"tables split with two rows or fewer on a page: {thin}"
