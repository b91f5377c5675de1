"""axe-core (WCAG 2.1 A/AA rules) on every page of a built book, in the system's headless Chromium.

Any violation fails: each one is listed with its rule, impact and first element, so it can be fixed
(the theme's sidebar title needed a landmark: _static/a11y.js).
"""
from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it)")
def test_axe_finds_no_violations(built):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    _, folder, _ = built
    pages = sorted(p for p in (folder / "html").rglob("*.html")
                   if "_static" not in p.parts and p.name not in {"index.html", "genindex.html", "search.html"})
    assert len(pages) >= 10
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            for v in Axe().run(page).response["violations"]:
                problems.append(f"{path.name}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}")
        browser.close()
    assert not problems, "\n".join(problems)


def test_figures_have_alt_text_and_tables_header_cells(built):
    import re

    _, folder, _ = built
    for path in (folder / "html" / "notebooks").glob("*.html"):
        html = path.read_text(encoding="utf-8")
        for img in re.findall(r"<img [^>]*>", html):
            alt = re.search(r'alt="([^"]*)"', img)
            assert alt and len(alt.group(1)) > 20, f"{path.name}: image without a real alt text: {img[:120]}"
        assert html.count("<table") <= html.count("<th")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make browser installs it)")
def test_every_chart_is_live_offline_and_answers_a_pointer(built):
    """Every chart of the web book is drawn live with the network off, opened from disk (file://), asking no
    other host for anything; pointing at a mark shows its numbers in a tooltip; its numbers are one click away."""
    from playwright.sync_api import sync_playwright

    _, folder, _ = built
    pages = sorted((folder / "html" / "notebooks").glob("*.html"))
    requests, problems, charts = [], [], 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            found = page.locator("[data-forcebook-chart]")
            if not found.count():
                continue
            page.wait_for_function("document.querySelectorAll('[data-forcebook-chart] svg').length >= "
                                   f"{found.count()}", timeout=20000)
            for i in range(found.count()):
                charts += 1
                chart = found.nth(i)
                chart.scroll_into_view_if_needed()
                marks = chart.locator(".mark-symbol path, .mark-rect path, .mark-line path")
                if not marks.count():
                    problems.append(f"{path.name}: chart {i + 1} has no marks")
                    continue
                if not _tooltip_somewhere(page, marks):
                    problems.append(f"{path.name}: chart {i + 1} shows no tooltip")
            csv = page.locator("p.chart-download a[download]")
            if csv.count() != found.count():
                problems.append(f"{path.name}: {found.count()} charts but {csv.count()} data links")
        browser.close()
    assert charts >= 10, charts
    assert not [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not problems, "\n".join(problems)


def _tooltip_somewhere(page, marks, tries: int = 8) -> bool:
    """True when pointing at one of the first marks (a point, a bar, a line) shows a tooltip with text."""
    for j in range(min(tries, marks.count())):
        box = marks.nth(j).bounding_box()
        if not box:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(120)
        tip = page.locator("#vg-tooltip-element.visible, #vg-tooltip-element")
        if tip.count() and tip.first.is_visible() and tip.first.inner_text().strip():
            return True
    return False
