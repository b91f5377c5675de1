"""``python -m lib``: build a period's book, check a params file, make demo data, refresh notebooks.

Errors a user can fix (:class:`~lib.errors.ReportError`) and errors of the machine (permissions,
a full disk, memory) are printed as one message with no traceback, and the exit code says which
kind: 2 params, 3 data, 4 build (a notebook, the book, the publication scan, a build already
running), 5 the machine, 130 interrupted (Ctrl-C or SIGTERM: everything the run started is
stopped and nothing is published), 1 anything else — a bug, whose traceback goes to the private
``errors.log`` (:mod:`lib.private`), named in one line.
"""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import traceback

from lib.errors import BuildError, DataError, ParamsError, ReportError

EXIT_CODES = {ParamsError: 2, DataError: 3, BuildError: 4}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(args) -> int:
    from lib.pipeline.build import build

    build(args.params, pdf=not args.no_pdf, say=_say)
    return 0


def _check(args) -> int:
    from lib.config.params import load_params
    from lib.inputs.loading import load_all
    from lib.measures.derived import catalogue

    params = load_params(args.params)
    catalogue(params.catalogue_path())
    loaded = load_all(params)
    from lib.chapters.data import monthly_rows
    from lib.present import fmt_int

    by_month = monthly_rows(loaded, params)
    for name, item in loaded.items():
        absent = f"; not supplied: {', '.join(item.absent)}" if item.absent else ""
        files = f" in {len(item.files)} files" if len(item.files) > 1 else ""
        _say(f"{name}: {item.rows_read:,} rows read{files}, {len(item.frame):,} used, "
             f"{item.rows_outside_window:,} outside the window, {item.rows_defective:,} set aside{absent}")
        if name in by_month.index:  # the shape of what was read: rows per month, "no data" where no file
            _say("  rows by month: " + ", ".join(f"{m} {fmt_int(v)}" for m, v in by_month.loc[name].items()))
        for note in item.notes:
            _say(f"  {note}")
    for name in type(params.inputs).model_fields:
        if name not in loaded:
            _say(f"{name}: not supplied")
    # Every figure is computed as the build would, so a model that cannot run fails here, not mid-build.
    from lib.pipeline.facts import compute

    compute(params, loaded)
    _say(f"{args.params}: OK")
    return 0


def _demo(args) -> int:
    from lib.demo.world import main

    return main(args.rest)


def _refresh(args) -> int:
    from lib.pipeline.notebooks import refresh

    refresh(say=_say)
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    p = argparse.ArgumentParser(
        prog="python -m lib",
        description="forcebook: build a police force's performance and progress report for one period.",
        epilog="Example: python -m lib build --params params/2019-12.yml",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build a period's book (HTML and PDF) into _build/<period>/",
                       description="Validate the params, execute every chapter notebook with papermill, "
                                   "and build the HTML book and the PDF into _build/<period>/. A failed run "
                                   "leaves the previous build of the period untouched.")
    b.add_argument("--params", required=True, help="the period's params file, e.g. params/2019-12.yml")
    b.add_argument("--no-pdf", action="store_true", help="build the HTML only")
    b.set_defaults(run=_build)
    c = sub.add_parser("check", help="validate a params file and its input files without building",
                       description="Validate a params file and check every input against its contract.")
    c.add_argument("--params", required=True, help="the period's params file")
    c.set_defaults(run=_check)
    d = sub.add_parser("demo-data", help="write the seeded demo data to data/demo/", add_help=False)
    d.add_argument("rest", nargs=argparse.REMAINDER)
    d.set_defaults(run=_demo)
    sub.add_parser("diff", help="print the facts that differ between two builds (periods or versions)", add_help=False)
    r = sub.add_parser("refresh-notebooks",
                       help="re-execute notebooks/ for the default period and store their outputs (for nbval)")
    r.set_defaults(run=_refresh)
    return p


def _terminated(signum, frame) -> None:
    """SIGTERM stops a run as Ctrl-C does: its clean-up runs (workers, the PDF toolchain, scratch folders)."""
    raise KeyboardInterrupt


def _unexpected(exc: BaseException) -> int:
    """A bug: one line naming the error and where its traceback was kept (never a traceback on the screen)."""
    from lib import private

    log = private.root() / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().astimezone():%Y-%m-%d %H:%M:%S} python -m lib {' '.join(sys.argv[1:])}\n")
            handle.write("".join(traceback.format_exception(exc)))
        where = f"; the details are in {log}"
    except OSError:
        where = ""
    _say(f"error: an unexpected {type(exc).__name__} (a fault in forcebook, not in your inputs: please report it){where}. "
         "Nothing was published by this run.")
    return 1


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["demo-data"]:  # its own options and --help belong to lib.demo.world's parser
        from lib.demo.world import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["diff"]:  # its own options and --help belong to lib.pipeline.compare's parser
        from lib.pipeline.compare import main as diff_main

        return diff_main(argv[1:])
    args = parser().parse_args(argv)
    return args.run(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return _dispatch(argv)
    except ReportError as exc:
        _say(f"error: {exc}")
        return next((code for kind, code in EXIT_CODES.items() if isinstance(exc, kind)), 1)
    except OSError as exc:  # the machine, not the inputs: permissions, a full disk, a vanished folder
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"error: {where}{exc.strerror or exc} (nothing was published by this run)")
        return 5
    except MemoryError:
        _say("error: out of memory (nothing was published by this run); close other programs or use a "
             "machine with more memory")
        return 5
    except KeyboardInterrupt:
        _say("interrupted: nothing was published for this run")
        return 130
    except Exception as exc:  # anything else is a bug: said in one line, its traceback kept privately
        return _unexpected(exc)
