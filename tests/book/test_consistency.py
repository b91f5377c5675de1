"""One fact, one place: the built book shows each figure the same on every page, and the PDF carries it all.

These tests read the published book (the session's 2019-11 build): the HTML pages as a reader sees
them and the PDF's text. They fail if a page rounds differently from another, if a target differs
between the scorecard and the compliance chapter, or if the PDF loses a table row or a header.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from lib.pipeline.facts import read
from lib.pipeline.scan import pdf_pages, pdf_text
from lib.present import fmt_percent, fmt_score, fmt_value

pytestmark = pytest.mark.build


class _Tables(HTMLParser):
    """Captioned tables of a page: caption and every cell's text."""

    def __init__(self):
        super().__init__()
        self.tables, self._stack, self._cell, self._caption = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append({"caption": "", "cells": []})
        elif tag == "caption" and self._stack:
            self._caption = []
        elif tag in ("td", "th") and self._stack:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            table = self._stack.pop()
            if table["caption"]:
                self.tables.append(table)
        elif tag == "caption" and self._caption is not None:
            self._stack[-1]["caption"] = " ".join("".join(self._caption).split()).replace("#", "").strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._stack[-1]["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def book(built):
    _, folder, _ = built
    pages = {p.stem: html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")))
             for p in (folder / "html" / "notebooks").glob("*.html")}
    tables = {}
    for p in (folder / "html").rglob("*.html"):
        parser = _Tables()
        parser.feed(p.read_text(encoding="utf-8"))
        tables[p.relative_to(folder / "html").as_posix()] = parser.tables
    return {"pages": pages, "tables": tables, "pdf": pdf_text(next(folder.glob("*.pdf"))), "facts": read(folder / "facts")}


def test_pdf_carries_every_row_and_header_of_every_captioned_table(book):
    pdf = _squash(book["pdf"])
    lost = []
    for page, tables in book["tables"].items():
        for table in tables:
            missing = [c for c in table["cells"] if c and _squash(c) not in pdf]
            if missing:
                lost.append(f"{page}: {table['caption'][:60]}: {missing[:3]}")
    assert not lost, "cells in the HTML but not in the PDF:\n" + "\n".join(lost)


def test_pdf_has_no_blank_pages(built):
    _, folder, _ = built
    pdf = next(folder.glob("*.pdf"))
    texts = pdf_pages(pdf)
    blank = [i + 1 for i, t in enumerate(texts) if len(_squash(t)) < 15]
    assert not blank, f"blank pages: {blank}"
    assert any("Decision sheet" in t for t in texts[:4])


def _numbered(text: str) -> dict[str, str]:
    """Every numbered caption in a text: 'Table 4' -> the caption's first words."""
    found = {}
    for kind, number, words in re.findall(r"(Table|Fig\.) (\d+)\s+(\S+(?:\s+\S+){0,5})", text):
        found.setdefault(f"{kind} {number}", _squash(words))
    return found


def test_both_media_number_every_table_and_figure_the_same(built, book):
    """One numbering: each table and figure carries the same number and caption in the web book and the PDF, so
    people on a call can say "see Table 9" whichever they hold."""
    _, folder, _ = built
    web = {}
    for path in sorted((folder / "html").rglob("*.html")):
        for caption in re.findall(r'<(?:caption|figcaption)[^>]*>(.*?)</(?:caption|figcaption)>',
                                  path.read_text(encoding="utf-8"), flags=re.S):
            web.update(_numbered(html.unescape(re.sub(r"<[^>]+>", " ", caption)).replace("#", " ")))
    assert len(web) > 30 and any(k.startswith("Fig.") for k in web)
    pdf = _squash(book["pdf"])
    missing = [f"{number}: {words}" for number, words in web.items() if _squash(number) + words[:20] not in pdf]
    assert not missing, "numbered in the web book but not the same in the PDF:\n" + "\n".join(missing[:10])


def test_the_pdf_is_tagged_and_passes_the_machine_checkable_part_of_pdf_ua(built):
    """Public bodies must publish accessible documents (PSBAR 2018, WCAG 2.2 AA): the PDF is tagged, in en-GB,
    titled, and has no finding in pdfua's checks of PDF/UA-1 (ISO 14289-1) and WCAG 2.1: headings, tables
    with header cells associated with their data, figures with alternative text, reading order."""
    import pikepdf
    from pdfua import validate

    _, folder, _ = built
    pdf = next(folder.glob("*.pdf"))
    report = validate(str(pdf))
    assert report.exit_code == 0, [(f.rule_id, f.message[:160]) for f in report.findings][:10]
    with pikepdf.open(pdf) as doc:
        assert doc.Root.MarkInfo.Marked is True and str(doc.Root.Lang) == "en-GB"
        assert str(doc.docinfo["/Title"]).startswith("Performance and Progress Report")
        figures = []
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            stack.extend(k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                         if isinstance(k, pikepdf.Dictionary))
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
    assert figures and all(len(alt) > 20 for alt in figures), figures


def test_every_measure_reads_the_same_wherever_it_is_shown(book):
    facts, pages = book["facts"], book["pages"]
    cat = facts["catalogue"].set_index("measure_id")
    for row in facts["measure_period"].itertuples():
        if row.status == "to be developed":
            continue
        value = fmt_value(row.value, cat.at[row.measure_id, "unit"])
        score = fmt_score(row.score)
        places = ["changes"] + (["scorecard"] if cat.at[row.measure_id, "priorities"] else ["compliance"])
        for page in places:
            assert value in pages[page], f"{row.measure_id}: {value} not on the {page} page"
            assert score in pages[page] or page == "compliance", f"{row.measure_id}: score {score} not on {page}"
        assert _squash(value) in _squash(book["pdf"]), f"{row.measure_id}: {value} not in the PDF"


def test_summary_quotes_the_chapters(book):
    facts, pages = book["facts"], book["pages"]
    p = facts["measure_period"].set_index("measure_id")
    calls = fmt_percent(p.at["calls_999_answered_in_time", "value"])
    assert calls in pages["summary"] and calls in pages["scorecard"]
    ppn = fmt_percent(p.at["ppn_submitted_in_time", "value"])
    assert ppn in pages["summary"] and ppn in pages["compliance"]
    # The control room's one answer (its options table): the same words on the summary and the chapter.
    options = facts["fcr_options"]
    shortfall = options.loc[options["kind"] == "now", "hours_under"].iloc[0]
    assert f"left {shortfall} hours of the week short on the phones" in " ".join(pages["summary"].split())
    assert f"left {shortfall} hours of the week short on the phones" in " ".join(pages["fcr"].split())
    # Each priority's status on the decision sheet is the scorecard's count of measures met.
    summary = book["tables"]["notebooks/summary.html"]
    priorities = next(t["cells"] for t in summary if "Each priority" in t["caption"])
    for row in facts["priority_summary"].itertuples():
        assert row.priority in priorities and str(row.met) in priorities


def test_the_decision_sheet_names_every_measure_off_track_and_its_owner(book):
    """Page one names every measure that missed its target this month, with the owner the catalogue gives it
    (issue: 16 of 21 read "not named"), and the decisions asked of the board."""
    facts = book["facts"]
    summary = book["tables"]["notebooks/summary.html"]
    off = next(t["cells"] for t in summary if "Measures off track" in t["caption"])
    cat = facts["catalogue"].set_index("measure_id")
    missed = facts["exceptions_measures"]["measure_id"]
    assert len(missed) > 0
    for mid in missed:
        assert cat.at[mid, "short_name"] in off and cat.at[mid, "owner"] in off, mid
    assert "not named" not in " ".join(off)
    asks = next(t["cells"] for t in summary if "Decisions asked" in t["caption"])
    assert asks[1:] == list(facts["decision_asks"]["decision"])


def test_one_target_per_measure(book):
    """The domestic-abuse arrest rate's target is the catalogue's, in the scorecard and the compliance chapter."""
    facts = book["facts"]
    target = facts["catalogue"].set_index("measure_id").at["da_arrest_rate", "target"]
    shown = fmt_value(target, "percent")
    scorecard = next(t for t in book["tables"]["notebooks/scorecard.html"] if "every measure" in t["caption"])
    compliance = next(t for t in book["tables"]["notebooks/compliance.html"] if "Compliance rates" in t["caption"])
    assert any(c.startswith(shown) for c in scorecard["cells"])
    assert fmt_percent(target, 0) in compliance["cells"]


def test_every_comparison_names_its_reference(book):
    compliance = " ".join(book["pages"]["compliance"].split())
    references = set(book["facts"]["comparisons"]["reference"])
    assert references == {"March 2019 (baseline)", "Dec 2018–Oct 2019"}  # 2019-11: the 11 months before
    for reference in references:
        assert f"on {reference}" in compliance


def test_columns_are_never_narrower_than_their_unbreakable_words():
    """A number, date or id cannot wrap: its column gets at least its width (the board read 877 as '87' and
    COC-1.R4 as 'COC-1' when a long text column squeezed them), and long text takes what is left."""
    from lib.present import mime

    columns = ["item", "what", "due", "n"]
    rows = [["COC-1.R4", "a long description that goes on " * 4, "2019-09-30", "877"]] * 3
    w = mime._weights(columns, rows, capacity=60)
    assert sum(w) == pytest.approx(60)
    for j, word in enumerate(["COC-1.R4", "description", "2019-09-30", "877"]):
        assert w[j] >= len(word) + mime._PAD
    assert w[1] > w[0]  # the text column takes the rest and wraps
    roomy = mime._weights(columns[:1] + columns[2:], [[r[0], r[2], r[3]] for r in rows], capacity=95)
    assert roomy == [len("COC-1.R4") + mime._PAD, len("2019-09-30") + mime._PAD, len("877") + mime._PAD]
