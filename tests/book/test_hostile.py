"""Text is text: a period whose every free-text field is hostile builds, and publishes none of it as code.

Each payload is one of the attacks that worked on the first edition (issue "Publication security"):
HTML and script injection, MyST roles and directives (``{download}`` of a server file, ``{raw}``,
``{literalinclude}``, ``{math}`` with ``\\input``), remote images, LaTeX commands and special
characters in the params' title and force name, chart labels, and spreadsheet formulas. The
checks read what a reader gets: the HTML pages, the PDF's text, the CSV downloads and the search index.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_params

from lib.demo.world import OUT as DEMO
from lib.pipeline import build as build_mod

pytestmark = pytest.mark.build

SECRET = Path("/etc/passwd")  # a server file: must never be published
SECRET_TEXT = SECRET.read_text().splitlines()[0]  # e.g. root:x:0:0:root:/root:/bin/bash
PAYLOADS = {
    "script": "<script>alert('xss')</script>",
    "img": "<img src=x onerror=alert(1)>",
    "download": "{download}`leak <" + str(SECRET) + ">`",
    "raw": "a\r```{raw} html\n<b id=\"rawhtml\">RAW</b>\n```",
    "include": "b\r```{literalinclude} " + str(SECRET) + "\n```",
    "math": "{math}`\\input{" + str(SECRET) + "}`",
    "dollars": "Pay $10 uplift for $ call handlers & 5% #1 _x_ {y} ~ ^ é 日本",
    "remote": "![x](https://example.invalid/x.png)",
    "latex": "\\input{" + str(SECRET) + "} \\def\\x{1}",
    "formula": "=HYPERLINK(\"http://example.invalid\",\"x\")",
    "plus": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "subst": "{{ period }} [link](javascript:alert(1))",
}
TITLE = "Report <b>bold</b> & 100% $x$ #1 \\input{" + str(SECRET) + "}"
# Long, too: a force name of 81 characters ran off the PDF's title page.
FORCE = "Cleveland & <i>Hartlepool</i> {download}`x <" + str(SECRET) + ">` Police and Crime Commissioner's Office"


def _hostile_inputs(folder):
    """Copies of the demo inputs with every free-text field carrying payloads."""
    texts = list(PAYLOADS.values())
    for name in ("contacts", "crimes", "ppn", "measure_values", "staffing", "workforce"):
        shutil.copy2(DEMO / f"{name}.parquet", folder / f"{name}.parquet")
    i = pd.read_parquet(DEMO / "incidents.parquet")  # district names reach the districts chapter's rows
    i["district"] = i["district"].map({d: texts[k % len(texts)] for k, d in enumerate(sorted(i["district"].unique()))})
    i.to_parquet(folder / "incidents.parquet", index=False)
    c = pd.read_parquet(DEMO / "commentary.parquet")  # the exception report's owner, commentary and action
    for col in ("owner_role", "commentary", "recovery_action"):
        c[col] = [texts[k % len(texts)] + f" ({col} {k})" for k in range(len(c))]
    c.to_parquet(folder / "commentary.parquet", index=False)
    for period in ("2019-11", "2019-12"):
        t = pd.read_parquet(DEMO / "tracker" / f"{period}.parquet")
        for col in ("description", "workstream", "owner_role", "commentary", "recovery_action"):
            t[col] = [texts[i % len(texts)] + f" ({col} {i})" for i in range(len(t))]
        t.to_parquet(folder / f"tracker-{period}.parquet", index=False)
    a = pd.read_parquet(DEMO / "audits.parquet")
    a["audit"] = a["audit"].map({n: texts[i % len(texts)] for i, n in enumerate(sorted(a["audit"].unique()))})
    a.to_parquet(folder / "audits.parquet", index=False)
    s = pd.read_parquet(DEMO / "stop_search.parquet")
    s["Officer-defined ethnicity"] = s["Officer-defined ethnicity"].replace({"Other": PAYLOADS["script"],
                                                                             "Mixed": PAYLOADS["formula"]})
    s.to_parquet(folder / "stop_search.parquet", index=False)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    _hostile_inputs(folder)
    inputs = {f"inputs__{n}": str(folder / f"{n}.parquet")
              for n in ("contacts", "incidents", "crimes", "ppn", "audits", "measure_values", "stop_search", "staffing",
                        "workforce", "commentary")}
    changes = [{"month": "2019-04", "label": PAYLOADS["download"][:100], "measures": ["ppn_submitted_in_time"]},
               {"month": "2019-05", "label": PAYLOADS["latex"][:100], "measures": ["da_arrest_rate"]}]
    params = write_params(folder, title=TITLE, force_name=FORCE, interventions=changes,
                          inputs__tracker=str(folder / "tracker-2019-12.parquet"),
                          inputs__tracker_previous=str(folder / "tracker-2019-11.parquet"), **inputs)
    build_dir = tmp_path_factory.mktemp("hostile-build")
    mp = pytest.MonkeyPatch()
    mp.setattr(build_mod, "BUILD_DIR", build_dir)
    published = build_mod.build(params, say=lambda m: None)
    mp.undo()
    return published


def _html(published) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (published / "html").rglob("*.html")}


def test_secret_file_is_never_published(hostile):
    for path in hostile.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".csv", ".txt", ".json", ".ipynb"}:
            assert SECRET_TEXT not in path.read_text(encoding="utf-8", errors="replace"), path
    assert not list(hostile.rglob("passwd"))


def test_no_markup_from_inputs_is_live_in_html(hostile):
    pages = _html(hostile)
    for name, page in pages.items():
        assert "<script>alert" not in page, name
        assert "<img src=x" not in page and 'id="rawhtml"' not in page, name
        assert "<i>Hartlepool</i>" not in page and "<b>bold</b>" not in page, name
        assert "example.invalid/x.png" not in page.replace("![x](https://example.invalid/x.png)", ""), name
        assert 'href="javascript:' not in page, name
    programme = pages["programme.html"]
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in programme or \
        "&lt;script&gt;alert('xss')&lt;/script&gt;" in programme
    assert "Pay $10 uplift for $ call handlers &amp; 5% #1 _x_ {y} ~ ^ é 日本" in programme
    assert "{download}`leak" in programme  # shown as typed
    assert "Cleveland &amp; &lt;i&gt;Hartlepool&lt;/i&gt;" in pages["summary.html"]
    # an exception page (lib.present.blocks) shows an owner's hostile commentary as typed, under its own heading
    exceptions = pages["exceptions.html"]
    assert "(commentary " in exceptions and '<h3 class="rubric"' in exceptions


def test_search_index_holds_text_not_markup(hostile):
    index = (hostile / "html" / "searchindex.js").read_text(encoding="utf-8")
    assert SECRET_TEXT not in index and "<script>" not in index


def test_pdf_shows_text_as_typed(hostile):
    from lib.pipeline.scan import pdf_text

    text = pdf_text(next(hostile.glob("*.pdf")))
    flat = "".join(text.split())
    assert SECRET_TEXT not in text
    assert "".join("Pay $10 uplift for $ call handlers & 5% #1 _x_".split()) in flat
    assert "\\input{" in flat  # a LaTeX command printed as typed
    assert "Cleveland&<i>Hartlepool</i>" in flat  # the force name on the title page
    assert "PoliceandCrimeCommissioner'sOffice" in flat


def test_long_names_wrap_on_the_title_page(hostile):
    """Every piece of text of the title page lies inside the page, half an inch from its edges (PDFium's text
    rectangles, in points)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(next(hostile.glob("*.pdf")))
    page = pdf[0]
    width = page.get_width()
    text = page.get_textpage()
    rects = [text.get_rect(i) for i in range(text.count_rects())]
    assert rects
    assert all(36 <= left and right <= width - 36 for left, _, right, _ in rects), (width, rects)


def test_csv_downloads_are_spreadsheet_safe(hostile):
    cells = []
    for path in (hostile / "html" / "_downloads").rglob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        cells += list(frame.columns) + [v for col in frame.columns for v in frame[col]]
    texts = [c for c in cells if isinstance(c, str)]
    assert any("HYPERLINK" in c for c in texts) and any("cmd|" in c for c in texts)
    for value in texts:
        assert not value.startswith(("=", "+", "@", "\t", "\r")), value
        if value.startswith("-"):
            float(value)  # a negative number stays a number; text starting "-" would have been prefixed
