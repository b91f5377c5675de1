"""The book's source and its two editions: stage the source, build the HTML, then print it as the PDF.

Jupyter Book builds the web book in a process of its own (Sphinx ``-n -W --keep-going``: a warning
fails the build). The PDF is the web book's own pages printed by WeasyPrint (:mod:`lib.pipeline.printed`),
in another process, while the published HTML is scanned: one source, so both media carry the same
content, numbering and captions.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from lib import ROOT, cache
from lib.config.schema import Params
from lib.errors import BuildError
from lib.pipeline.execute import lead_group_with_parent
from lib.present.display import month_label

FACTS = "facts"


def chapter_notebooks(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Notebook files (``notebooks/<name>``, no suffix) named in ``_toc.yml``, in book order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                f = node.get(key)
                if isinstance(f, str) and f.startswith("notebooks/"):
                    found.append(f.removesuffix(".ipynb"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def pdf_name(params: Params) -> str:
    """File name of the period's PDF."""
    return f"forcebook-{params.period}.pdf"


def stage_source(params: Params, src: Path) -> None:
    """Copy the book source into ``src`` with the period's title.

    The title and the force's name are params text: the HTML theme gets them as they are (the
    extension :mod:`lib.present.sphinx_ext` escapes them on every page). The charts' JavaScript is written
    into the source's ``_static/`` (:func:`write_chart_script`).
    """
    src.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    label = month_label(params.period)
    config["title"] = f"{params.title}: {label}"
    config["author"] = params.force_name
    subs = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    subs.update({"period": params.period, "period_label": label})
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.copy2(ROOT / "_toc.yml", src / "_toc.yml")
    shutil.copytree(ROOT / "book", src / "book", dirs_exist_ok=True)
    shutil.copytree(ROOT / "_static", src / "_static", dirs_exist_ok=True)
    write_chart_script(src / "_static" / CHART_SCRIPT)
    (src / "notebooks").mkdir(exist_ok=True)


CHART_SCRIPT = "vega.js"


def write_chart_script(target: Path) -> None:
    """Vega, Vega-Lite and Vega-Embed in one script (vl-convert's bundle, kept in the cache per vl-convert
    version and checked against its seal before use): the web book's charts ask no other host for anything."""
    import vl_convert

    from lib.present.vega import javascript

    key = cache.digest("vega-bundle", vl_convert.__version__, cache.code_digest("lib/present/vega.py"))
    found = cache.opened("vega", key)
    if found is None:
        tmp = cache.scratch("vega", key)
        (tmp / CHART_SCRIPT).write_text(javascript(), encoding="utf-8")
        cache.seal(tmp)
        cache.commit(tmp, cache.entry("vega", key))
        found = cache.entry("vega", key)
    shutil.copy2(found / CHART_SCRIPT, target)


def book_pages(src: Path) -> list[str]:
    """Every page of the staged book (``notebooks/summary``, ``book/intro``...), in the table of contents' order."""
    toc = yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return [p.removesuffix(".ipynb").removesuffix(".md") for p in pages]


JUPYTER_BOOK = ("from lib.pipeline.execute import end_group_on_term; end_group_on_term(); "
                "from jupyter_book.cli.main import main; main()")


def _start(src: Path, out: Path, builder: str, log: Path) -> tuple[subprocess.Popen, object]:
    """Start Jupyter Book in a process group of its own, which ends whole with the build (see
    :func:`lib.pipeline.execute.lead_group_with_parent`)."""
    cmd = [sys.executable, "-c", JUPYTER_BOOK, "build", str(src),
           "--path-output", str(out), "--builder", builder, "-n", "-W", "--keep-going"]
    handle = open(log, "w", encoding="utf-8")
    return subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, cwd=src, start_new_session=True,
                            preexec_fn=lead_group_with_parent), handle


def _stop(proc: subprocess.Popen) -> None:
    """Kill a Jupyter Book process and everything it started (its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _failure(builder: str, log: Path) -> BuildError:
    """The error of a failed edition: its warnings (the full log, ``log``'s name, is kept with the failed
    build's other logs, which the build names once it has kept them)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    warnings = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln or "!" in ln[:1]]
    shown = "\n".join((warnings or lines)[-15:])
    tool = "WeasyPrint" if builder == "pdf" else "Jupyter Book"
    return BuildError(f"{tool} ({builder}) failed (full log: {log.name}):\n{shown}")


def sync(source: Path, target: Path) -> None:
    """Make ``target`` a copy of ``source``, writing only the files that differ and removing those it lacks: an
    unchanged file keeps its time stamp, so Sphinx reads again only what changed."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in source.rglob("*"):
        rel = path.relative_to(source)
        wanted.add(rel)
        there = target / rel
        if path.is_dir():
            there.mkdir(parents=True, exist_ok=True)
        elif not there.is_file() or there.stat().st_size != path.stat().st_size or \
                there.read_bytes() != path.read_bytes():
            shutil.copy2(path, there)
    for path in sorted(target.rglob("*"), reverse=True):
        if path.relative_to(target) not in wanted:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


PRINT = ("from lib.pipeline.execute import end_group_on_term; end_group_on_term(); "
         "import sys; from lib.pipeline.printed import print_book; print_book(*sys.argv[1:])")


def _start_print(src: Path, html: Path, out: Path, log: Path) -> tuple[subprocess.Popen, object]:
    """Start printing the web book in ``html`` to the PDF ``out``, in a process group of its own."""
    handle = open(log, "w", encoding="utf-8")
    return subprocess.Popen([sys.executable, "-c", PRINT, str(src), str(html), str(out)], stdout=handle,
                            stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
                            preexec_fn=lead_group_with_parent), handle


def build_editions(src: Path, work: Path, final: Path, pdf_file: str | None, on_html=None,
                   workspace: Path | None = None) -> None:
    """Build the HTML (into ``final/html``) and, when ``pdf_file`` is given, print it as the PDF
    (``final/<pdf_file>``). ``on_html(final)`` runs as soon as the HTML is in place, while the PDF prints.

    With a ``workspace`` (the edition's own, kept between issues: Sphinx's environment), the source is synced
    into it and built there, so Sphinx reads again only the pages that changed; a failed build removes it,
    and the next starts afresh.

    Raises
    ------
    BuildError
        Either edition failed: the message names it and shows the warnings; the other is stopped.
    """
    place = workspace or work
    if workspace is not None:
        sync(src, workspace / "src")
        src = workspace / "src"
    jobs = {"html": _start(src, place / "out-html", "html", work / "html.log")}
    try:
        proc, handle = jobs["html"]
        if proc.wait() != 0:
            raise _failure("html", work / "html.log")
        shutil.copytree(place / "out-html" / "_build" / "html", final / "html")
        if pdf_file:
            jobs["pdf"] = _start_print(src, final / "html", work / pdf_file, work / "pdf.log")
        if on_html is not None:
            on_html(final)
        if pdf_file:
            proc, handle = jobs["pdf"]
            if proc.wait() != 0:
                raise _failure("pdf", work / "pdf.log")
            shutil.move(work / pdf_file, final / pdf_file)
    except BaseException:
        if workspace is not None:
            for proc, _ in jobs.values():
                _stop(proc)
            shutil.rmtree(workspace, ignore_errors=True)
        raise
    finally:
        for proc, handle in jobs.values():
            _stop(proc)  # the group too: a finished build leaves nothing running either
            handle.close()


def chapter_title(name: str) -> str:
    """A chapter notebook's title (its first heading)."""
    import nbformat

    first = nbformat.read(ROOT / f"{name}.ipynb", as_version=4).cells[0].source
    return first.lstrip("# ").splitlines()[0]


def not_supplied_page(name: str, sources: tuple[str, ...]) -> list:
    """The page of a chapter whose inputs the params do not supply (for :func:`lib.present.pages.write_page`)."""
    from lib.inputs.contracts import CONTRACTS

    needs = " or ".join(f"`inputs.{s}` ({CONTRACTS[s].title.lower()})" for s in sources)
    described = " ".join(CONTRACTS[s].description for s in sources)
    its = "Their" if len(sources) > 1 else "Its"
    return [f"# {chapter_title(name)}",
            f"**Not supplied.** This chapter needs {needs}, which this edition's inputs do not include. {described} "
            f"{its} columns are in {{doc}}`../book/contracts`."]
