"""Tables fit the page: every ``table.forcebook-table`` of a built web book, measured in headless Chromium at a
1280 x 900 viewport (a laptop screen with the sidebars the theme shows there).

A table fits when it is no wider than the element holding it (nothing scrolls sideways or is cut off), no
cell's text runs past its cell, and no body row is taller than :data:`MAX_ROW_LINES` lines of its text (a
row of 8 to 14 lines is prose that belongs under the table, not in it). Each failure names the page, the
caption and the widths; the worst table is reported even when all pass.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
MAX_ROW_LINES = 6
SLACK = 1  # px: sub-pixel rounding
LINE_SLACK = 0.25  # lines: a row's borders

# Per table: its caption, its width and its container's (the element it sits in, which would scroll), the
# cells whose text is wider than the cell, and its tallest body row in lines of that row's text.
MEASURE = """
() => [...document.querySelectorAll('table.forcebook-table')].map((table) => {
  const box = table.parentElement;
  const title = table.querySelector('caption .caption-text');
  const number = table.querySelector('caption .caption-number');
  const caption = title ? ((number ? number.textContent : '') + title.textContent) : '(no caption)';
  const overflowing = [...table.querySelectorAll('th, td')]
    .filter((c) => c.scrollWidth > c.clientWidth + 1)
    .map((c) => c.textContent.trim().slice(0, 40));
  let tallest = 0, tallestText = '';
  for (const row of table.querySelectorAll('tbody tr')) {
    const cell = getComputedStyle(row.querySelector('td') || row);
    const line = parseFloat(cell.lineHeight) || 16;
    const padding = (parseFloat(cell.paddingTop) || 0) + (parseFloat(cell.paddingBottom) || 0);
    const lines = (row.getBoundingClientRect().height - padding) / line;
    if (lines > tallest) { tallest = lines; tallestText = row.textContent.trim().slice(0, 60); }
  }
  return {caption: caption.trim().slice(0, 80), width: table.scrollWidth, box: box.clientWidth,
          boxScroll: box.scrollWidth, overflowing, tallest: Math.round(tallest * 10) / 10, tallestText};
})
"""


def book_pages(html: Path) -> list[Path]:
    """Every page of a built web book that can hold a table (``index.html`` only leads to the first page)."""
    return sorted(p for p in html.rglob("*.html")
                  if "_static" not in p.parts and p.name not in {"index.html", "genindex.html", "search.html"})


def measure(html: Path) -> list[dict]:
    """Every forcebook table of the book at ``html``, measured (see :data:`MEASURE`), with its page's name."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        for path in book_pages(html):
            page.goto(path.as_uri(), wait_until="load")
            found += [dict(t, page=str(path.relative_to(html))) for t in page.evaluate(MEASURE)]
        browser.close()
    return found


def problems(tables: list[dict]) -> list[str]:
    """What does not fit, one line per table."""
    out = []
    for t in tables:
        where = f"{t['page']}: {t['caption']!r}"
        if t["width"] > t["box"] + SLACK or t["boxScroll"] > t["box"] + SLACK:
            out.append(f"{where}: table {t['width']} px wide in a {t['box']} px column")
        if t["overflowing"]:
            out.append(f"{where}: text wider than its cell: {t['overflowing'][:5]}")
        if t["tallest"] > MAX_ROW_LINES + LINE_SLACK:
            out.append(f"{where}: a row {t['tallest']} lines tall ({t['tallestText']!r})")
    return out


def worst(tables: list[dict]) -> str:
    """The widest table for its column and the tallest row, for the report."""
    wide = max(tables, key=lambda t: t["width"] - t["box"])
    tall = max(tables, key=lambda t: t["tallest"])
    return (f"widest: {wide['page']} {wide['caption']!r} {wide['width']} px in {wide['box']} px; "
            f"tallest row: {tall['page']} {tall['caption']!r} {tall['tallest']} lines")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it)")
def test_every_table_fits_at_1280px(built):
    _, folder, _ = built
    tables = measure(folder / "html")
    assert len(tables) >= 20, f"only {len(tables)} tables found"
    print(worst(tables))
    found = problems(tables)
    assert not found, "\n".join([f"{len(found)} problems at 1280 x 900 ({worst(tables)}):", *found])


def test_problems_names_page_caption_and_widths():
    fits = {"page": "p.html", "caption": "A", "width": 600, "box": 700, "boxScroll": 700, "overflowing": [],
            "tallest": 2.0, "tallestText": "x"}
    assert problems([fits]) == []
    wide = dict(fits, width=900, boxScroll=900)
    tall = dict(fits, tallest=9.5, overflowing=["Meets the target"])
    assert problems([wide]) == ["p.html: 'A': table 900 px wide in a 700 px column"]
    assert len(problems([tall])) == 2 and "9.5 lines" in problems([tall])[1]
