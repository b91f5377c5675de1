"""The PDF's source: the web book's pages made one printable document (lib.pipeline.printed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lib.pipeline import printed

PAGE = """<!doctype html><html><body><nav>theme</nav><article class="bd-article">
<section id="chapter"><h1>{title}<a class="headerlink" href="#chapter">#</a></h1>
<p>See <a href="other.html#table-x">Table 2</a>, <a href="#fig-y">Fig. 1</a>, <a href="https://example.org/">a site</a>
and <a href="../_downloads/abc/data.csv">a download</a>.</p>
<div class="forcebook-screen"><a download="c.csv" href="data:text/csv,1">The numbers behind this chart</a></div>
<div class="forcebook-print"><p>In the web edition, as the download data.csv.</p></div>
<figure id="fig-y"><img src="../_images/chart.svg" alt="A line rising over twelve months"/>
<figcaption><span class="caption-number">Fig. 1 </span>A chart.</figcaption></figure>
<div class="cell tag_annex docutils container"><table><caption>Table 3 Every hour</caption>
<thead><tr><th>hour</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>
<script>alert(1)</script></section></article></body></html>"""


@pytest.fixture
def html_dir(tmp_path) -> Path:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "_images").mkdir()
    (tmp_path / "notebooks" / "one.html").write_text(PAGE.format(title="One &amp; <i>only</i>"), encoding="utf-8")
    (tmp_path / "notebooks" / "other.html").write_text(PAGE.format(title="Other"), encoding="utf-8")
    return tmp_path


def test_pages_become_one_document_with_unique_ids_and_internal_links(html_dir):
    doc = BeautifulSoup(printed.document(html_dir, ["notebooks/one", "notebooks/other"], "Report: Dec 2019",
                                         "A & B Police", "December 2019"), "html.parser")
    assert doc.html["lang"] == "en-GB" and doc.title.string == "Report: Dec 2019"
    ids = [el["id"] for el in doc.find_all(id=True)]
    assert len(ids) == len(set(ids)) and "p-notebooks-one--fig-y" in ids
    links = [a.get("href") for a in doc.select("section.page p a")]
    assert links[:4] == ["#p-notebooks-other--table-x", "#p-notebooks-one--fig-y", "https://example.org/", None]
    assert doc.select_one("img")["src"] == (html_dir / "_images" / "chart.svg").resolve().as_uri()


def test_screen_only_content_is_dropped_and_print_only_kept(html_dir):
    text = printed.document(html_dir, ["notebooks/one"], "T", "A", "P")
    assert "The numbers behind this chart" not in text and "alert(1)" not in text and "headerlink" not in text
    assert "In the web edition, as the download data.csv." in text


def test_header_cells_get_a_scope_and_annex_cells_move_to_the_end_keeping_their_number(html_dir):
    doc = BeautifulSoup(printed.document(html_dir, ["notebooks/one", "notebooks/other"], "T", "A", "P"),
                        "html.parser")
    assert all(th.get("scope") == "col" for th in doc.select("thead th"))
    annex = doc.select("section.page")[-1]
    assert "annex" in annex["class"] and len(annex.select("table")) == 2
    assert [h.get_text() for h in annex.find_all("h2")] == ["One & only", "Other"]
    assert "Table 3 Every hour" in annex.get_text() and not doc.select("section.page")[0].select("table")
    assert [a.get_text() for a in doc.select("nav.contents a")] == ["One & only", "Other",
                                                                     "Annex: the detail behind the chapters"]


def test_text_from_the_page_stays_text_in_the_title_page(html_dir):
    doc = printed.document(html_dir, ["notebooks/one"], "<script>x</script>", "A & B", "P")
    assert "<script>x</script>" not in doc and "&lt;script&gt;x&lt;/script&gt;" in doc


def test_printing_reads_only_the_book_and_fails_on_what_it_cannot_show(html_dir, tmp_path):
    """A page pointing at another host or at a file outside the book fails the print (nothing is fetched), as
    does an image without alternative text; a clean page prints, tagged."""
    import pikepdf

    out = tmp_path / "ok.pdf"
    from xml.etree import ElementTree

    svg = ElementTree.Element("svg", xmlns="http://www.w3.org/2000/svg", width="10", height="10")
    (html_dir / "_images" / "chart.svg").write_bytes(ElementTree.tostring(svg))
    printed.print_pdf(html_dir, ["notebooks/one"], out, title="T", author="A", period_label="P")
    with pikepdf.open(out) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
    page = html_dir / "notebooks" / "one.html"
    for bad in ('<img src="http://example.org/x.png" alt="a remote picture of something">',
                '<img src="/etc/hostname" alt="a file of this machine, not of the book">',
                '<img src="../_images/chart.svg">'):
        page.write_text(PAGE.format(title="One").replace("<script>", bad + "<script>"), encoding="utf-8")
        with pytest.raises(RuntimeError, match="could not be printed"):
            printed.print_pdf(html_dir, ["notebooks/one"], tmp_path / "bad.pdf", title="T", author="A", period_label="P")


PARTS = """<!doctype html><html><body><article class="bd-article"><section id="c"><h1>Chapter</h1>
<section id="detail"><h2>Detail</h2><p>Prose about the detail.</p>
<div class="cell tag_annex docutils container"><div class="cell_output"><p>hourly</p></div></div>
<div class="cell tag_parameters docutils container"></div>
<section id="deeper"><h3>Deeper</h3><div class="cell tag_annex docutils container"><div class="cell_output">
<p>more</p></div></div></section></section>
<section id="mixed"><h2>Mixed</h2><p>Board prose.</p>
<div class="cell docutils container"><div class="cell_output"><p>kept</p></div></div>
<div class="cell tag_annex docutils container"><div class="cell_output"><p>moved alone</p></div></div></section>
</section></article></body></html>"""


def test_a_part_whose_every_cell_is_annex_moves_whole_with_its_heading_and_prose(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "c.html").write_text(PARTS, encoding="utf-8")
    doc = BeautifulSoup(printed.document(tmp_path, ["notebooks/c"], "T", "A", "P"), "html.parser")
    chapter, annex = doc.select("section.page")
    assert [h.get_text() for h in chapter.find_all(["h1", "h2", "h3"])] == ["Chapter", "Mixed"]
    assert "Board prose." in chapter.get_text() and "kept" in chapter.get_text()
    assert "Prose about the detail." not in chapter.get_text() and "moved alone" not in chapter.get_text()
    # under the annex's heading for the chapter (h2), the part's headings one level down
    assert [(h.name, h.get_text()) for h in annex.find_all(["h1", "h2", "h3", "h4"])] == [
        ("h1", "Annex: the detail behind the chapters"), ("h2", "Chapter"), ("h3", "Detail"), ("h4", "Deeper")]
    assert annex.get_text().index("Prose about the detail.") < annex.get_text().index("moved alone")


POINTED = """<!doctype html><html><body><article class="bd-article"><section id="c"><h1>Chapter</h1>
<p>The table below gives every hour.</p>
<div class="cell tag_annex docutils container"><div class="cell_output"><table id="table-hours">
<caption><span class="caption-number">Table 7 </span><span class="caption-text">Every hour</span></caption>
<tbody><tr><td>1</td></tr></tbody></table></div></div>
<div class="cell tag_annex docutils container"><div class="cell_output"><figure id="fig-days"><img src="data:," alt="a">
<figcaption><span class="caption-number">Fig. 2 </span>Days.</figcaption></figure></div></div>
<p>Kept.</p></section></article></body></html>"""


def test_what_moves_to_the_annex_leaves_its_number_and_page_behind(tmp_path):
    """Prose that speaks of a table moved to the annex still finds it: one line where it was, each number a link
    to it (its page printed by target-counter)."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "c.html").write_text(POINTED, encoding="utf-8")
    doc = BeautifulSoup(printed.document(tmp_path, ["notebooks/c"], "T", "A", "P"), "html.parser")
    chapter, annex = doc.select("section.page")
    (note,) = chapter.select("p.annex-pointer")
    assert note.get_text() == "In the annex: Table 7; Fig. 2."
    assert [a["href"] for a in note.find_all("a")] == ["#p-notebooks-c--table-hours", "#p-notebooks-c--fig-days"]
    assert annex.select_one("#p-notebooks-c--table-hours") and annex.select_one("#p-notebooks-c--fig-days")
    assert chapter.get_text().index("The table below") < chapter.get_text().index("In the annex")
