"""The PDF: the web book's own pages, printed by WeasyPrint as a tagged PDF (PDF/UA-1).

One source, two media. The PDF is made from the HTML the web book publishes, page by page in the
table of contents' order, with a print stylesheet of its own (``_static/print.css``; the theme's
stylesheet is for screens and takes WeasyPrint minutes). So the PDF has the web book's content, its
table and figure numbers and captions, by construction; what is for one medium only is marked by class
in the HTML (:mod:`lib.present.mime`): download links and live charts are dropped here, and the
sentences and static charts meant for print are kept.

The PDF is tagged (headings, paragraphs, lists, tables with header cells, figures with their
alternative text, in reading order), in en-GB, with the book's title. Two things WeasyPrint leaves
out are added after it: each header cell's ``/Scope`` (column, or row for ``scope="row"``), so a
screen reader can say which header a cell sits under, and the document's title shown in the title bar.

Why not Sphinx's LaTeX route: it needs a TeX installation as root, numbers tables and figures by
chapter where the web book numbers them through the book, and its PDF is untagged.
"""
from __future__ import annotations

import re
from pathlib import Path

from lib import ROOT

LANG = "en-GB"
STYLESHEET = ROOT / "_static" / "print.css"
# Content for the screen only (lib.present.mime.SCREEN), the theme's controls, and what has no meaning on paper.
DROPPED = (".forcebook-screen, .headerlink, script, .toctree-wrapper, .forcebook-chart, .chart-download, "
           "#searchbox, .prev-next-area, .bd-toc, button")


def _anchor(page: str, ident: str = "") -> str:
    """A page's or an element's id in the printed document: page ids are unique, and an element's id is unique
    within its page, so ``<page>--<id>`` is unique in the whole document."""
    base = "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", page)
    return f"{base}--{ident}" if ident else base


def _relink(href: str, page: str, pages: set[str]) -> str | None:
    """Where a link of ``page`` leads in the printed document: another page or a place in one becomes an
    internal link; a link to the web (http, mailto) stays; anything else (a download, a search page) has no
    target on paper (None)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):
        return href if href.startswith(("http:", "https:", "mailto:")) else None
    path, _, ident = href.partition("#")
    if not path:
        return "#" + _anchor(page, ident)
    target = (Path(page).parent / path).as_posix()
    target = re.sub(r"[^/]+/\.\./", "", target).removesuffix(".html")
    return "#" + _anchor(target, ident) if target in pages else None


def _page_section(soup, html_dir: Path, page: str, pages: set[str]):
    """One web page's article as a ``<section>`` of the printed document: ids made unique, links made internal,
    images addressed by file, what is for the screen dropped."""
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise ValueError(f"{page}.html has no article: not a page of the web book")
    for el in article.select(DROPPED):
        el.decompose()
    for el in article.find_all(id=True):
        el["id"] = _anchor(page, el["id"])
    for el in article.find_all("a", href=True):
        target = _relink(el["href"], page, pages)
        if target is None:
            del el["href"]
        else:
            el["href"] = target
    for el in article.find_all("img", src=True):
        if not re.match(r"^[a-z]+:", el["src"]):
            el["src"] = (html_dir / Path(page).parent / el["src"]).resolve().as_uri()
    for el in article.select("thead th"):
        el["scope"] = "col"
    for el in article.select("td > p:only-child, th > p:only-child"):
        el.unwrap()  # a cell's one paragraph is the cell's text: a third fewer elements to style and lay out
    article.name = "section"
    article.attrs = {"id": _anchor(page), "class": ["page"]}
    return article


def document(html_dir: Path, pages: list[str], title: str, author: str, period_label: str) -> str:
    """The printed document's HTML: a title page, the contents, then each page of ``pages`` (the web book's
    pages, ``notebooks/summary`` etc., in the table of contents' order)."""
    from bs4 import BeautifulSoup

    out = BeautifulSoup("", "html.parser")
    html = out.new_tag("html", lang=LANG)
    out.append(html)
    head = out.new_tag("head")
    head.append(out.new_tag("meta", charset="utf-8"))
    name = out.new_tag("title")
    name.string = title
    head.append(name)
    for key, value in (("author", author), ("description", f"{title}, {author}")):
        head.append(out.new_tag("meta", attrs={"name": key, "content": value}))
    html.append(head)
    body = out.new_tag("body")
    html.append(body)
    body.append(_title_page(out, title, author, period_label))
    sections = []
    known = set(pages)
    for page in pages:
        soup = BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "lxml")
        sections.append(_page_section(soup, html_dir, page, known))
    annex = _annex(out, sections)
    if annex is not None:
        pages, sections = [*pages, ANNEX], [*sections, annex]
    body.append(_contents(out, pages, sections))
    for section in sections:
        body.append(section)
    return str(out)


ANNEX = "annex"
ANNEX_TAG = "tag_annex"  # a notebook cell tagged "annex" (myst-nb gives its output this class)


def _annexed(section) -> list:
    """What of a page goes to the annex, in order: each part of it (a ``<section>`` under the page's heading) whose
    every cell with output is tagged ``annex`` goes whole, its heading and prose with it (they speak of nothing
    else); any other tagged cell goes alone."""
    moved, whole = [], set()
    for part in section.find_all("section"):
        heading = part.find(re.compile(r"^h[1-6]$"))
        if heading is None or heading.name == "h1" or any(id(p) in whole for p in part.parents):
            continue  # the page itself stays
        shown = [c for c in part.select("div.cell") if c.find("div", class_="cell_output")]
        if shown and all(ANNEX_TAG in c.get("class", []) for c in shown):
            whole.add(id(part))
            moved.append(part)
    for cell in section.select(f".{ANNEX_TAG}"):
        if not any(id(p) in whole for p in cell.parents):
            moved.append(cell)
    return moved


def _demote(part) -> None:
    """A part's headings one level down, under the annex's heading for its chapter (h2 becomes h3...)."""
    for level in range(5, 1, -1):
        for heading in part.find_all(f"h{level}"):
            heading.name = f"h{level + 1}"


def _annex(out, sections):
    """The annex: detail a board need not read (hourly tables, monthly tables, model checks), moved out of its
    chapter to the end of the PDF under its chapter's title, keeping its number: every cell tagged ``annex``, and
    whole parts of a chapter where every cell is (:func:`_annexed`). The web book keeps them in place. None when
    nothing is tagged."""
    moved = []
    for section in sections:
        parts = _annexed(section)
        if parts:
            title = section.find("h1")
            moved.append((title.get_text(" ", strip=True).rstrip("#").strip() if title else "", parts))
    if not moved:
        return None
    annex = out.new_tag("section", attrs={"class": ["page", "annex"], "id": _anchor(ANNEX)})
    heading = out.new_tag("h1")
    heading.string = "Annex: the detail behind the chapters"
    annex.append(heading)
    for title, parts in moved:
        sub = out.new_tag("h2")
        sub.string = title
        annex.append(sub)
        for part in parts:
            pointer = _pointer(out, part)
            element = part.replace_with(pointer) if pointer is not None else part.extract()
            if element.name == "section":
                _demote(element)
            annex.append(element)
    _merge_pointers(sections)
    return annex


def _pointer(out, part):
    """What stays where a table or figure left for the annex: 'In the annex: Table 10, page 68.', each number a link
    (the page from WeasyPrint's ``target-counter``, print.css), so prose that speaks of it still finds it. None for a
    part without a numbered table or figure."""
    numbered = []
    for caption in part.select("caption, figcaption"):
        number = caption.find("span", class_="caption-number")
        holder = caption.find_parent(["table", "figure"])
        if number is not None and holder is not None and holder.get("id"):
            numbered.append((number.get_text(strip=True), holder["id"]))
    if not numbered:
        return None
    note = out.new_tag("p", attrs={"class": ["annex-pointer"]})
    note.append("In the annex: ")
    for k, (number, ident) in enumerate(numbered):
        if k:
            note.append("; ")
        link = out.new_tag("a", href=f"#{ident}", attrs={"class": ["annex-link"]})
        link.string = number
        note.append(link)
    note.append(".")
    return note


def _merge_pointers(sections) -> None:
    """Pointers next to each other become one ('In the annex: Table 8, page 68; Table 9, page 69.')."""
    for section in sections:
        for note in section.select("p.annex-pointer"):
            following = note.find_next_sibling()
            while following is not None and following.name == "p" and "annex-pointer" in following.get("class", []):
                links = following.find_all("a")
                note.contents[-1].replace_with("; ")
                for k, link in enumerate(links):
                    note.append(link.extract())
                    note.append("; " if k < len(links) - 1 else ".")
                after = following.find_next_sibling()
                following.decompose()
                following = after


def _title_page(out, title: str, author: str, period_label: str):
    page = out.new_tag("header", attrs={"class": "title-page"})
    for tag, text in (("p", title), ("p", author), ("p", period_label)):
        el = out.new_tag(tag, attrs={"class": "title-line"})
        el.string = text
        page.append(el)
    return page


def _contents(out, pages: list[str], sections) -> object:
    """The contents: each page's first heading, with the page it starts on (WeasyPrint's ``target-counter``)."""
    nav = out.new_tag("nav", attrs={"class": "contents", "aria-label": "Contents"})
    heading = out.new_tag("h1", attrs={"class": "contents-title"})
    heading.string = "Contents"
    nav.append(heading)
    items = out.new_tag("ol")
    for page, section in zip(pages, sections):
        h1 = section.find("h1")
        if h1 is None:
            continue
        item = out.new_tag("li")
        link = out.new_tag("a", href="#" + _anchor(page))
        link.string = h1.get_text(" ", strip=True)
        item.append(link)
        items.append(item)
    nav.append(items)
    return nav


def _scope_header_cells(path: Path, title: str) -> None:
    """Add ``/Scope`` to every header cell of the PDF's structure tree (``/Column``, or ``/Row`` where WeasyPrint
    tagged a row header), and ask viewers to show the document's title rather than its file name."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root
        stack = [root.StructTreeRoot] if "/StructTreeRoot" in root else []
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
            if node.get("/S") == "/TH":
                attributes = node.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    node.A = attributes
                if "/Scope" not in attributes:
                    attributes.Scope = pikepdf.Name.Column
        prefs = root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        root.ViewerPreferences = prefs
        pdf.docinfo["/Title"] = title
        pdf.save(path, deterministic_id=True)


def _fetcher(*folders: Path):
    """WeasyPrint's fetcher, allowed only ``data:`` URIs and files inside ``folders`` (the web book, the print
    stylesheet): printing asks no other host, and reads nothing else of this machine, whatever a page holds."""
    from weasyprint.urls import URLFetcher

    roots = [f.resolve() for f in folders]

    class BookOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"not part of the book: {url[:120]}")

    return BookOnly(allowed_protocols=("file", "data"))


class _Problems:
    """WeasyPrint's errors while printing (an image it could not read, one without alternative text): it logs them
    and carries on; the book's print fails on them instead."""

    def __enter__(self):
        import logging

        self.found: list[str] = []
        self._handler = logging.Handler(logging.ERROR)
        self._handler.emit = lambda record: self.found.append(record.getMessage())
        logging.getLogger("weasyprint").addHandler(self._handler)
        return self

    def __exit__(self, *exc):
        import logging

        logging.getLogger("weasyprint").removeHandler(self._handler)
        return False


def print_pdf(html_dir: Path, pages: list[str], out: Path, *, title: str, author: str, period_label: str) -> Path:
    """Print the web book in ``html_dir`` (its ``pages`` in order) to a tagged PDF at ``out``.

    Raises
    ------
    RuntimeError
        WeasyPrint reported an error (a missing or foreign resource, an image without alternative text).
    """
    import weasyprint

    source = document(html_dir, pages, title, author, period_label)
    fetcher = _fetcher(html_dir, STYLESHEET.parent)
    css = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    with _Problems() as problems:
        weasyprint.HTML(string=source, base_url=str(html_dir) + "/", url_fetcher=fetcher).write_pdf(
            out, stylesheets=[css], pdf_variant="pdf/ua-1", custom_metadata=False, uncompressed_pdf=False)
    if problems.found:
        raise RuntimeError("the PDF could not be printed as the web book is:\n" + "\n".join(problems.found[:10]))
    _scope_header_cells(out, title)
    return out


def print_book(src: str, html_dir: str, out: str) -> None:
    """Print the staged book ``src``'s web edition (built into ``html_dir``) to ``out``: its pages in the table of
    contents' order, its title, author and period from its ``_config.yml``. (The build runs this in a process
    of its own: :func:`lib.pipeline.book.build_editions`.)"""
    import yaml

    from lib.pipeline.book import book_pages

    config = yaml.safe_load((Path(src) / "_config.yml").read_text(encoding="utf-8"))
    label = config["parse"]["myst_substitutions"]["period_label"]
    print_pdf(Path(html_dir), book_pages(Path(src)), Path(out), title=config["title"], author=config["author"],
              period_label=label)
