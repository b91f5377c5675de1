"""The book's source and its two editions: stage the source, then build the HTML and the PDF at once.

Jupyter Book builds each edition in its own process (Sphinx ``-n -W --keep-going``: a warning
fails the build); the two run side by side, one per core. The PDF is typeset by xelatex with
Sphinx's own LaTeX template; where TeX is not installed it is skipped, and the build says so.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from lib import ROOT
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


def tex_available() -> bool:
    """True when xelatex and latexmk are on PATH."""
    return bool(shutil.which("xelatex") and shutil.which("latexmk"))


def latex_text(text: str) -> str:
    """``text`` escaped for LaTeX (Sphinx's own escaping, for xelatex): typeset as typed, never run."""
    from sphinx.util import texescape

    texescape.init()
    return texescape.escape(text, "xelatex")


def stage_source(params: Params, src: Path) -> None:
    """Copy the book source into ``src`` with the period's title.

    The title and the force's name are params text: the HTML theme gets them as they are (the
    extension :mod:`lib.present.sphinx_ext` escapes them on every page) and the PDF gets them
    LaTeX-escaped, since Sphinx reads a LaTeX document's title and author as LaTeX.
    """
    src.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    label = month_label(params.period)
    config["title"] = f"{params.title}: {label}"
    config["author"] = params.force_name
    config.setdefault("latex", {}).setdefault("latex_documents", {}).update(
        targetname="book.tex", title=latex_text(config["title"]), author=latex_text(params.force_name))
    # The PDF title page shows `today`: make it the period, never the build date.
    config.setdefault("sphinx", {}).setdefault("config", {})["today"] = label
    subs = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    subs.update({"period": params.period, "period_label": label})
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.copy2(ROOT / "_toc.yml", src / "_toc.yml")
    shutil.copytree(ROOT / "book", src / "book", dirs_exist_ok=True)
    shutil.copytree(ROOT / "_static", src / "_static", dirs_exist_ok=True)
    (src / "notebooks").mkdir(exist_ok=True)


PDF_ROOT = "book/pdf-root"


def stage_pdf_source(src: Path) -> Path:
    """A copy of the staged source for the PDF, where the executive summary is a chapter of its own.

    In the web book the summary is the landing page (the table of contents' root). LaTeX prints a
    root page's content without its heading, before the first part, so for the PDF the root is an
    empty page and the summary opens a part "Summary" of its own, headed as the summary.
    """
    pdf_src = src.with_name(src.name + "-pdf")
    shutil.copytree(src, pdf_src, dirs_exist_ok=True)
    toc = yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8"))
    summary = toc["root"]
    toc["root"] = PDF_ROOT
    toc["parts"] = [{"caption": "Summary", "chapters": [{"file": summary}]}] + toc["parts"]
    (pdf_src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    (pdf_src / f"{PDF_ROOT}.md").write_text("# Performance and progress report\n", encoding="utf-8")
    return pdf_src


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
    return BuildError(f"Jupyter Book ({builder}) failed (full log: {log.name}):\n{shown}")


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


def build_editions(src: Path, work: Path, final: Path, pdf_file: str | None, on_html=None,
                   workspace: Path | None = None) -> None:
    """Build the HTML (into ``final/html``) and, when ``pdf_file`` is given, the PDF (``final/<pdf_file>``)
    side by side. ``on_html(final)`` runs as soon as the HTML is in place (the PDF may still be typesetting).

    With a ``workspace`` (the edition's own, kept between issues: Sphinx's environment and LaTeX's auxiliary
    files), the source is synced into it and built there, so Sphinx reads again only the pages that changed;
    a failed build removes it, and the next starts afresh.

    Raises
    ------
    BuildError
        Either edition failed: the message names it and shows the warnings; the other is stopped.
    """
    place = workspace or work
    pdf_src = stage_pdf_source(src) if pdf_file else None
    if workspace is not None:
        sync(src, workspace / "src")
        if pdf_src is not None:
            sync(pdf_src, workspace / "src-pdf")
        src, pdf_src = workspace / "src", (workspace / "src-pdf" if pdf_src is not None else None)
    jobs = {"html": _start(src, place / "out-html", "html", work / "html.log")}
    if pdf_file:
        jobs["pdflatex"] = _start(pdf_src, place / "out-pdf", "pdflatex", work / "pdf.log")
    try:
        proc, handle = jobs["html"]
        if proc.wait() != 0:
            raise _failure("html", work / "html.log")
        shutil.copytree(place / "out-html" / "_build" / "html", final / "html")
        if on_html is not None:
            on_html(final)
        if pdf_file:
            proc, handle = jobs["pdflatex"]
            if proc.wait() != 0:
                raise _failure("pdflatex", work / "pdf.log")
            shutil.copy2(place / "out-pdf" / "_build" / "latex" / "book.pdf", final / pdf_file)
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
