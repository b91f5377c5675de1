"""Build one period's book: params → validated inputs → facts → notebooks → HTML and PDF → a version.

Stages, each timed and reported as it runs:

1. validate the params (:mod:`lib.config.params`), the measure catalogue, and every input file
   against its contract (:mod:`lib.inputs.loading`); meanwhile the notebook workers start their
   kernels;
2. compute the period's facts once (:mod:`lib.pipeline.facts`);
3. stage the book source and write the facts as Parquet and CSV (their SHA-256 go on the
   provenance page) in ``_build/.staging/<period>-<pid>/``;
4. execute each chapter notebook named in ``_toc.yml`` (:mod:`lib.pipeline.execute`): they read the
   facts; ``notebooks/`` is never modified;
5. build the HTML and the PDF side by side (:mod:`lib.pipeline.book`);
6. scan everything a reader would get for personal data and machine paths
   (:mod:`lib.pipeline.scan`), then publish the result as a version of the edition — the force's
   book for the period (:mod:`lib.pipeline.publish`).

A failure at any stage publishes nothing and leaves every published version untouched; the run's
logs and executed notebooks are kept in the edition's private folder (``_private/<force>/<period>/failed/``,
:mod:`lib.private`), outside what is published.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from lib import ROOT, cache, private
from lib.chapters import chapter, not_supplied_text
from lib.config.params import load_params
from lib.config.paths import display_path
from lib.config.schema import Params
from lib.errors import BuildError
from lib.inputs.contracts import contracts_page
from lib.inputs.loading import load_all
from lib.measures.derived import catalogue
from lib.pipeline import facts as facts_stage
from lib.pipeline import reuse
from lib.pipeline.book import (
    FACTS,
    build_editions,
    chapter_notebooks,
    not_supplied_page,
    pdf_name,
    stage_source,
)
from lib.pipeline.execute import NotebookPool
from lib.pipeline.provenance import changes, code_fingerprint, collect
from lib.pipeline.provenance import page as provenance_page
from lib.pipeline.publish import (
    BUILD_DIR,
    LATEST,
    STAGING,
    edition_dir,
    edition_lock,
    publish,
    read_info,
    recover,
    version_for,
    versions,
)
from lib.pipeline.scan import Scanner, pdf_text, published_texts
from lib.pipeline.scan import describe as describe_scan
from lib.present.pages import write_page
from lib.present.tables import TABLES_ENV

__all__ = ["build", "chapter_notebooks", "single_thread_blas", "BUILD_DIR"]


def single_thread_blas() -> None:
    """One BLAS thread per kernel (inherited by kernels started after this): with a kernel per core,
    more threads only fight over the cores. The Makefile sets the same for every command, so the
    committed notebook outputs, nbval and the book all compute with the same thread count."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _failed_dir(params: Params) -> Path:
    """Where a failed run keeps its logs and executed notebooks: the edition's private folder, never inside
    what is published (they hold machine paths and the inputs' values)."""
    return private.folder(params.force.id, params.period) / "failed"


FULL_DISK = ("No space left on device", "Disk quota exceeded")


def _keep_failure(work: Path, params: Params) -> tuple[Path | None, OSError | None]:
    """Keep a failed run's logs and executed notebooks in the edition's private folder; return it, or None and
    why it could not be kept (a full disk or a read-only folder), so that the message says one true thing."""
    failed = _failed_dir(params)
    try:
        shutil.rmtree(failed, ignore_errors=True)
        failed.mkdir(parents=True)
        for path in list(work.glob("*.log")) + list((work / "src" / "notebooks").glob("*.ipynb")):
            shutil.copy2(path, failed / path.name)
        return failed, None
    except OSError as exc:
        return None, exc


def _disk_full(error: Exception, kept: OSError | None) -> bool:
    """True when a build failed because the disk (or the user's quota) is full: a machine error, not a build's."""
    return (kept is not None and kept.errno in {errno.ENOSPC, errno.EDQUOT}) or any(t in str(error) for t in FULL_DISK)


class _Stages:
    """Numbered progress lines, and the seconds each stage took."""

    def __init__(self, total: int, say: Callable[[str], None]):
        self.total, self.say, self.number, self.seconds = total, say, 0, {}
        self._name, self._started = None, 0.0

    def __call__(self, key: str, label: str) -> None:
        self.end()
        self.number += 1
        self._name, self._started = key, time.perf_counter()
        self.say(f"[{self.number}/{self.total}] {label}")

    def end(self) -> None:
        if self._name is not None:
            self.seconds[self._name] = time.perf_counter() - self._started
            self._name = None


def build(params_path: str | Path, *, pdf: bool = True, say: Callable[[str], None] = print) -> Path:
    """Build one period and publish it as a version; return the version's folder (``_build/<period>/vN``).

    Raises
    ------
    ParamsError, DataError, ModelError
        Before anything is written.
    BuildError
        A notebook or the book build failed, the publication scan found personal data or a machine
        path in the result, or another build of the period is running; every published version is
        untouched.
    """
    started_wall = dt.datetime.now(dt.UTC).astimezone()
    t0 = time.perf_counter()
    notebooks = chapter_notebooks()
    workers = max(1, min(len(notebooks), os.cpu_count() or 1))
    stage = _Stages(5, say)
    stage("checks", "checking params and input files")
    params = load_params(params_path)
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with edition_lock(params.force.id, params.period, BUILD_DIR):
        recover(BUILD_DIR)
        work = BUILD_DIR / STAGING / f"{params.force.id}-{params.period}-{os.getpid()}"
        src = work / "src"
        single_thread_blas()
        # Tables write their CSV downloads here (and only during a build): see lib.present.tables.
        env = {TABLES_ENV: str(src / "notebooks" / "tables")}
        try:
            with NotebookPool(workers, env, _log(work), src / "notebooks") as pool:
                target = _build_in(params, pool, work, notebooks, pdf, stage, started_wall, t0, say)
        except BuildError as exc:
            failed, why = _keep_failure(work, params)
            if _disk_full(exc, why):
                raise OSError(errno.ENOSPC, "No space left on device: the build stopped and its logs could not be "
                              f"kept; free some space and build again ({str(exc).splitlines()[0]})") from None
            say(f"      nothing was published; every published version of {params.force.id} {params.period} is as "
                "it was. " + (f"Logs and executed notebooks (not published): {display_path(failed)}/" if failed else
                              f"Its logs could not be kept: {why.strerror or why}."))
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


def _execute(pool: NotebookPool, runs: list[str], src: Path, work: Path, parameters: dict, facts, code: str,
             params: Params, say: Callable[[str], None]) -> None:
    """Execute the chapters' notebooks, reusing each one an earlier issue executed when none of the fact tables it
    read has changed (:mod:`lib.pipeline.reuse`), and keeping the ones executed now for the next issue."""
    tables_dir = src / "notebooks" / "tables"
    keys = {name: reuse.notebook_key(name, code, reuse.params_as_read(params, Path(name).name)) for name in runs}
    kept = [name for name in runs if reuse.reuse_notebook(name, keys[name], facts, src, tables_dir)]
    todo = [name for name in runs if name not in kept]
    if kept:
        say(f"      {len(kept)} notebook(s) unchanged since the last issue (nothing they read changed): "
            + ", ".join(Path(n).name for n in kept))
    records = {name: work / "read" / f"{Path(name).name}.json" for name in todo}
    (work / "read").mkdir(parents=True, exist_ok=True)
    pool.run(todo, src, parameters, ROOT, say, records)
    for name in todo:
        if records[name].is_file():
            read = json.loads(records[name].read_text(encoding="utf-8"))
            reuse.keep_notebook(name, keys[name], facts, src, tables_dir, read)


def _log(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    return work / "kernels.log"


def _build_in(params: Params, pool: NotebookPool, work: Path, notebooks: list[str], pdf: bool,
              stage: _Stages, started_wall: dt.datetime, t0: float, say: Callable[[str], None]) -> Path:
    src = work / "src"
    catalogue(params.catalogue_path())
    loaded = load_all(params)
    aside = sum(x.rows_defective for x in loaded.values())
    say(f"      {len(loaded)} input files valid; {aside:,} row(s) set aside with defects (listed in the data chapter)")
    stage("facts", "computing the period's facts")
    code = code_fingerprint()
    facts = facts_stage.compute(params, loaded, say, code=code)
    info = collect(params, started_wall, loaded)
    period_dir = edition_dir(params.force.id, params.period, BUILD_DIR)
    number = version_for(period_dir, info["fingerprint"]["total"])
    found = versions(period_dir)
    if not pdf and number in found and read_info(found[number]).get("pdf"):
        # Same inputs, params and code as a version that has its PDF: rebuilding without the PDF would only take
        # the PDF away. The version stays as it is.
        say(f"      {params.force.id} {params.period} version {number} was built from the same inputs, params and "
            "code, with its PDF: it is left as it is (build with the PDF to replace it)")
        return found[number]
    previous = max((n for n in found if n != number), default=None)
    info["version"] = number
    info["changes"] = changes(read_info(found[previous]) if previous else None, info)
    facts = facts_stage.with_version_changes(facts, found.get(previous), number, info["changes"])

    absent = {n: chapter(n).needs for n in notebooks if not chapter(n).supplied(loaded)}
    runs = [n for n in notebooks if n not in absent]
    stage("notebooks", f"staging the book and executing its {len(runs)} chapter notebooks, {pool.workers} at a time "
                       "(those whose facts are unchanged since the last issue are reused)")
    stage_source(params, src)
    info["facts"] = facts_stage.write(facts, src / FACTS)
    for name, source in absent.items():
        say(f"      {name}.ipynb: {not_supplied_text(name)}; the chapter says so")
        write_page(src / f"{name}.ipynb", not_supplied_page(name, source))
    parameters = {"period": params.period, "params_path": display_path(params.source_file),
                  "facts_dir": str(src / FACTS)}
    _execute(pool, runs, src, work, parameters, facts, code, params, say)
    write_page(src / "book" / "contracts.ipynb", contracts_page())
    write_page(src / "book" / "provenance.ipynb", provenance_page(info, stage.seconds))

    stage("book", "building the HTML (Sphinx -n -W --keep-going)" + (", then printing it as the PDF (WeasyPrint, "
          "tagged)" if pdf else ""))
    final = work / "final"
    final.mkdir()
    shutil.copytree(src / FACTS, final / FACTS)
    hits: list[str] = []
    info["pdf"] = pdf_name(params) if pdf else None

    scanner = Scanner(params, loaded, extra_paths=[work])

    def scan_html(folder: Path) -> None:  # while the PDF is still typesetting
        hits.extend(scanner(folder, texts=published_texts(folder, pdf=False)))

    build_editions(src, work, final, info["pdf"], on_html=scan_html,
                   workspace=cache.root() / "sphinx" / f"{params.force.id}-{params.period}")

    stage("publish", f"scanning for personal data and machine paths, then publishing {params.period} "
                     f"version {number} ({info['changes']})")
    if pdf:
        hits += scanner(final, texts={info["pdf"]: pdf_text(final / info["pdf"])})
    if hits:
        raise BuildError(describe_scan(hits))
    stage.end()
    info["build_finished"] = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    info["seconds"] = {k: round(v, 2) for k, v in stage.seconds.items()}
    info["seconds"]["total"] = round(time.perf_counter() - t0, 2)
    (final / "provenance.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    target = publish(final, params.force.id, params.period, number, BUILD_DIR)
    say(f"built {display_path(target)}/ in {time.perf_counter() - t0:.1f} s "
        f"(HTML: {display_path(target)}/html/index.html"
        + (f", PDF: {display_path(target)}/{info['pdf']}" if pdf else "")
        + f"; {display_path(period_dir / LATEST)}/ leads to it)")
    return target
