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
