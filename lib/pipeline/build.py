"""Build one period's book: params → executed notebooks → HTML + PDF in ``_build/<period>/``.

Stages, each timed and reported as it runs:

1. validate the params (:mod:`lib.config.params`) and check every input file against its contract;
2. stage the book source (``_config.yml`` with the period's title, ``_toc.yml``, ``book/``) in
   ``_build/.staging/<period>-<pid>/``;
3. execute each chapter notebook named in ``_toc.yml`` with papermill, injecting ``period`` and
   ``params_path``, into the staging folder (``notebooks/`` is never modified);
4. write the generated pages (input contracts, provenance);
5. build the HTML with Jupyter Book, Sphinx ``-n -W --keep-going`` (a warning fails the build);
6. build the PDF with xelatex (skipped, and said so, when TeX is not installed);
7. swap the finished build into ``_build/<period>/`` and rewrite ``_build/index.html``.

A failure at any stage leaves the previous build of the period untouched (see :mod:`lib.pipeline.publish`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import nbformat
import yaml

from lib import ROOT
from lib.inputs.contracts import contracts_page
from lib.errors import BuildError
from lib.inputs.loading import load_all
from lib.config.params import Params, display_path, load_params
from lib.present.pages import write_page
from lib.present.tables import TABLES_ENV
from lib.pipeline.provenance import collect, page as provenance_page
from lib.pipeline.provenance import changes
from lib.pipeline.scan import describe as describe_scan, scan
from lib.scorecard.scorecard import load_catalogue
from lib.pipeline.publish import BUILD_DIR, LATEST, STAGING, period_lock, publish, read_info, recover, version_for, versions



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


def period_label(period: str) -> str:
    """'2019-12' → 'December 2019'."""
    return dt.date(int(period[:4]), int(period[5:]), 1).strftime("%B %Y")


def pdf_name(params: Params) -> str:
    """File name of the period's PDF."""
    return f"forcebook-{params.period}.pdf"


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
    src.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    label = period_label(params.period)
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
    shutil.copytree(ROOT / "book", src / "book")
    shutil.copytree(ROOT / "_static", src / "_static")
    (src / "notebooks").mkdir()


def strip_private_metadata(path: Path) -> None:
    """Drop papermill's metadata (machine paths, run times) from an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def execute_notebook(name: str, src: Path, params: Params, source_root: Path = ROOT) -> None:
    """Run ``<source_root>/<name>.ipynb`` with papermill into the staging folder ``src``.

    Raises
    ------
    BuildError
        A cell raised: the message names the notebook, the cell and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = source_root / f"{name}.ipynb"
    target = src / f"{name}.ipynb"
    try:
        papermill.execute_notebook(
            str(source), str(target),
            parameters={"period": params.period, "params_path": display_path(params.source_file)},
            kernel_name="python3", progress_bar=False, cwd=str(src / "notebooks"),
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        raise BuildError(
            f"{name}.ipynb failed in cell {exc.cell_index} of the executed notebook (In [{exc.exec_count}]): "
            f"{exc.ename}: {exc.evalue}"
        ) from None
    strip_private_metadata(target)


def _run_one(name: str, src: Path, params: Params) -> None:
    """Worker entry point: looks ``execute_notebook`` up at call time (so tests can replace it)."""
    execute_notebook(name, src, params)


def _die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies, even by ``kill -9`` (a notebook
    worker must not outlive its build; its kernel, in turn, exits when the worker is gone)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the line above: nothing to serve
            os._exit(1)


def _worker_init(env: dict[str, str], log: str) -> None:
    """Set up a notebook worker: die with the build, its environment, and its kernels' chatter
    (ipykernel's start-up and shutdown warnings) sent to a log file instead of the console."""
    _die_with_parent()
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def _execute_all(notebooks: list[str], src: Path, params: Params, workers: int,
                 say: Callable[[str], None], log: Path) -> None:
    """Execute the chapter notebooks in parallel processes (one kernel each), reporting each as it ends.

    The first failure cancels the notebooks not yet started and is raised.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    started = time.perf_counter()
    single_thread_blas()
    # Tables write their CSV downloads here (and only during a build): see lib.present.tables.
    env = {TABLES_ENV: str(src / "notebooks" / "tables")}
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(env, str(log))) as pool:
        futures = {pool.submit(_run_one, name, src, params): name for name in notebooks}
        pending = set(futures)
        done_count = 0
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    raise error
                done_count += 1
                say(f"      {futures[future]}.ipynb done ({done_count} of {len(notebooks)}, "
                    f"{time.perf_counter() - started:.1f} s)")


def _jupyter_book(src: Path, out: Path, builder: str, log: Path) -> None:
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(src),
           "--path-output", str(out), "--builder", builder, "-n", "-W", "--keep-going"]
    with open(log, "w", encoding="utf-8") as handle:
        result = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, cwd=src, preexec_fn=_die_with_parent)
    if result.returncode != 0:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        warnings = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln]
        shown = "\n".join((warnings or lines)[-15:])
        raise BuildError(f"Jupyter Book ({builder}) failed; the full log is kept as "
                         f"{display_path(_failed_dir(src) / log.name)}:\n{shown}")


def _failed_dir(src: Path) -> Path:
    """Where a failed run keeps its logs and executed notebooks: ``_build/.failed/<period>/``."""
    return BUILD_DIR / ".failed" / src.parent.name.rsplit("-", 1)[0]


def _keep_failure(work: Path, error: BuildError) -> Path | None:
    """Keep a failed run's logs and executed notebooks; None (and a note on the error) when that fails too,
    so a full disk or a read-only folder never hides the real cause."""
    failed = _failed_dir(work / "src")
    try:
        shutil.rmtree(failed, ignore_errors=True)
        failed.mkdir(parents=True)
        for path in list(work.glob("*.log")) + list((work / "src" / "notebooks").glob("*.ipynb")):
            shutil.copy2(path, failed / path.name)
        return failed
    except OSError as exc:
        error.args = (f"{error}\n(its logs could not be kept: {exc.strerror or exc})",)
        return None


def single_thread_blas() -> None:
    """One BLAS thread per kernel (inherited by kernels started after this): with a kernel per core,
    more threads only fight over the cores. The Makefile sets the same for every command, so the
    committed notebook outputs, nbval and the book all compute with the same thread count."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def tex_available() -> bool:
    """True when xelatex and latexmk are on PATH."""
    return bool(shutil.which("xelatex") and shutil.which("latexmk"))


def build(params_path: str | Path, *, pdf: bool = True, say: Callable[[str], None] = print) -> Path:
    """Build one period and publish it as a version; return the version's folder (``_build/<period>/vN``).

    Raises
    ------
    ParamsError, DataError
        Before anything is written.
    BuildError
        A notebook or the book build failed, the publication scan found personal data or a machine
        path in the result, or another build of the period is running; every published version is
        untouched.
    """
    started_wall = dt.datetime.now(dt.timezone.utc).astimezone()
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    notebooks = chapter_notebooks()
    do_pdf = pdf and tex_available()
    workers = max(1, min(len(notebooks), os.cpu_count() or 1))
    steps = 5 + (1 if do_pdf else 0)
    step = 0

    def stage(label: str):
        nonlocal step
        step += 1
        say(f"[{step}/{steps}] {label}")
        return time.perf_counter()

    t = stage("checking params and input files")
    params = load_params(params_path)
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with period_lock(params.period, BUILD_DIR):
        recover(BUILD_DIR)
        load_catalogue(params.catalogue_path())
        loaded = load_all(params)
        aside = sum(x.rows_defective for x in loaded.values())
        say(f"      {len(loaded)} input files valid; {aside:,} row(s) set aside with defects "
            f"(listed in the data chapter)")
        info = collect(params, started_wall)
        period_dir = BUILD_DIR / params.period
        number = version_for(period_dir, info["fingerprint"]["total"])
        found = versions(period_dir)
        previous = max((n for n in found if n != number), default=None)
        info["version"] = number
        info["changes"] = changes(read_info(found[previous]) if previous else None, info)
        timings["checks"] = time.perf_counter() - t
        work = BUILD_DIR / STAGING / f"{params.period}-{os.getpid()}"
        try:
            final = _make_book(params, info, notebooks, work, workers, do_pdf, pdf, timings, stage, say)
            t = stage(f"scanning for personal data and machine paths, then publishing {params.period} "
                      f"version {number} ({info['changes']})")
            hits = scan(final, params, loaded, extra_paths=[work])
            if hits:
                raise BuildError(describe_scan(hits))
            timings["scan"] = time.perf_counter() - t
            info["build_finished"] = dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")
            info["seconds"] = {k: round(v, 2) for k, v in timings.items()}
            info["seconds"]["total"] = round(time.perf_counter() - t0, 2)
            (final / "provenance.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
            target = publish(final, params.period, number, BUILD_DIR)
        except BuildError as exc:
            failed = _keep_failure(work, exc)
            say(f"      nothing was published; every published version of {params.period} is as it was."
                + (f" Logs and executed notebooks: {display_path(failed)}/" if failed else ""))
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    say(f"built {display_path(target)}/ in {time.perf_counter() - t0:.1f} s "
        f"(HTML: {display_path(target)}/html/index.html"
        + (f", PDF: {display_path(target)}/{pdf_name(params)}" if do_pdf else "")
        + f"; {display_path(period_dir / LATEST)}/ leads to it)")
    return target


def _make_book(params: Params, info: dict, notebooks: list[str], work: Path, workers: int, do_pdf: bool,
               pdf: bool, timings: dict, stage, say) -> Path:
    """Stage, execute and build the book in ``work``; return the finished folder (html/, PDF)."""
    src, out = work / "src", work / "out"
    t = stage(f"staging the book source for {params.period}")
    stage_source(params, src)
    timings["staging"] = time.perf_counter() - t
    t = stage(f"executing {len(notebooks)} notebooks, {workers} at a time")
    _execute_all(notebooks, src, params, workers, say, work / "kernels.log")
    timings["notebooks"] = time.perf_counter() - t
    write_page(src / "book" / "contracts.ipynb", contracts_page())
    write_page(src / "book" / "provenance.ipynb", provenance_page(info, timings))

    t = stage("building the HTML book (Sphinx -n -W --keep-going)")
    _jupyter_book(src, out, "html", work / "html.log")
    timings["html"] = time.perf_counter() - t
    final = work / "final"
    final.mkdir()
    shutil.copytree(out / "_build" / "html", final / "html")
    info["pdf"] = None
    if do_pdf:
        t = stage("building the PDF (xelatex)")
        _jupyter_book(src, out, "pdflatex", work / "pdf.log")
        shutil.copy2(out / "_build" / "latex" / "book.pdf", final / pdf_name(params))
        info["pdf"] = pdf_name(params)
        timings["pdf"] = time.perf_counter() - t
    elif pdf:
        say("      PDF skipped: xelatex/latexmk not found (run `make tex` to install them)")
    return final
