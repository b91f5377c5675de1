"""Executing the chapter notebooks: papermill's parameters, one kernel per worker, kept for every notebook.

Each worker process (one per core) starts one Jupyter kernel and runs its share of the notebooks
in it, one after another, clearing the namespace between them: starting a kernel and importing
pandas and Altair costs about two seconds, once per worker instead of once per notebook. The
parameters are injected exactly as papermill does (:func:`papermill.parameterize.parameterize_notebook`),
so a notebook runs the same in a build as with ``papermill`` by hand.

A worker dies with the build, even on ``kill -9`` (the kernel's parent-death signal); its kernel
exits when the worker is gone (ipykernel's parent poller). Kernels' own chatter goes to a log file.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from lib.errors import BuildError

RESET = "get_ipython().reset(new_session=True, aggressive=False)"
# After a chapter's last cell: which fact tables it read (lib.pipeline.reuse keeps them with the executed notebook).
RECORD = ("import json as _json\nfrom pathlib import Path as _Path\n"
          "_Path({path!r}).write_text(_json.dumps(sorted(n for n in getattr(facts, 'read_names', ()) if isinstance(n, str))))")
_KERNEL = {}  # the worker's kernel manager, started on first use


def die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies, even by ``kill -9``."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the line above: nothing to serve
            os._exit(1)


def lead_group_with_parent() -> None:
    """``preexec_fn`` of a child that leads its own process group (``start_new_session=True``): when the build
    dies, even by ``kill -9``, the child gets SIGTERM, and :func:`end_group_on_term` (run first thing in the
    child) turns that into SIGKILL for its whole group — the PDF toolchain it started (make, latexmk, xelatex)
    included, which a parent-death signal alone would leave running."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG; it survives exec
        if os.getppid() == 1:
            os._exit(1)


def end_group_on_term() -> None:
    """In a group-leading child: on SIGTERM (the build ended, see :func:`lead_group_with_parent`), kill the
    child's whole process group at once."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))


def strip_private_metadata(nb) -> None:
    """Drop papermill's and nbclient's metadata (machine paths, run times) from an executed notebook."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if not cell.metadata.get("tags", True):
            del cell.metadata["tags"]


def _kernel(cwd: str):
    from multiprocessing.util import Finalize

    from jupyter_client.manager import KernelManager

    if "km" not in _KERNEL:
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=cwd)
        _KERNEL["km"] = km
        Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
    return _KERNEL["km"]


def _failed_cell(nb) -> tuple[int, str]:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return -1, "the kernel stopped"


def execute_notebook(name: str, src: Path, parameters: dict, source_root: Path, reuse_kernel: bool = False,
                     record: Path | None = None) -> None:
    """Run ``<source_root>/<name>.ipynb`` with ``parameters`` into ``<src>/<name>.ipynb`` (and, given ``record``,
    write there the names of the fact tables it read).

    Raises
    ------
    BuildError
        A cell raised: the message names the notebook, the cell and the error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(source_root / f"{name}.ipynb"))  # as papermill reads it (tags, metadata)
    nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    cwd = str(src / "notebooks")
    if record is not None:
        nb.cells.append(nbformat.v4.new_code_cell(RECORD.format(path=str(record))))
    if reuse_kernel:
        nb.cells.insert(0, nbformat.v4.new_code_cell(RESET))
        client = NotebookClient(nb, km=_kernel(cwd), timeout=900, record_timing=False,
                                resources={"metadata": {"path": cwd}})
    else:
        client = NotebookClient(nb, kernel_name="python3", timeout=900, record_timing=False,
                                resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    except (CellExecutionError, DeadKernelError):
        index, error = _failed_cell(nb)
        index -= 1 if reuse_kernel else 0
        raise BuildError(f"{name}.ipynb failed in cell {index} of the executed notebook: {error}") from None
    finally:
        if reuse_kernel and client.kc is not None:
            client.kc.stop_channels()
    if reuse_kernel:
        del nb.cells[0]
    if record is not None:
        del nb.cells[-1]
    strip_private_metadata(nb)
    nbformat.write(nb, src / f"{name}.ipynb")


def _worker_init(env: dict[str, str], log: str) -> None:
    """Set up a notebook worker: die with the build, its environment (inherited by its kernel), and its
    kernel's chatter (ipykernel's start-up and shutdown warnings) sent to a log file."""
    die_with_parent()
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def _run(name: str, src: Path, parameters: dict, source_root: Path, record: Path | None = None) -> None:
    """Worker entry point: looks ``execute_notebook`` up at call time (so tests can replace it)."""
    sys.modules[__name__].execute_notebook(name, src, parameters, source_root, reuse_kernel=True, record=record)


WARM_UP = "import altair\nimport pandas\nimport lib.pipeline.notebooks\nimport lib.present.tables\nimport lib.present.vega"


def _warm(cwd: str) -> int:
    """Start this worker's kernel and import what every notebook imports (while the build computes facts)."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
    client = NotebookClient(nb, km=_kernel(cwd), timeout=300)
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    return os.getpid()


class NotebookPool:
    """Worker processes with warm kernels, started early so kernels start while the facts are computed.

    Use as a context manager; :meth:`run` executes the chapter notebooks.
    """

    def __init__(self, workers: int, env: dict[str, str], log: Path, cwd: Path):
        from concurrent.futures import ProcessPoolExecutor

        Path(cwd).mkdir(parents=True, exist_ok=True)
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(env, str(log)))
        self.warming = [self.pool.submit(_warm, str(cwd)) for _ in range(workers)]

    def __enter__(self) -> NotebookPool:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def run(self, notebooks: list[str], src: Path, parameters: dict, source_root: Path,
            say: Callable[[str], None], records: dict[str, Path] | None = None) -> None:
        """Execute the notebooks, reporting each as it ends; the first failure is raised (the notebooks not
        yet started are cancelled). ``records``: where each notebook writes the fact tables it read."""
        from concurrent.futures import FIRST_COMPLETED, wait

        started = time.perf_counter()
        for future in self.warming:
            future.result()  # a worker that could not start its kernel fails here, with the reason
        records = records or {}
        futures = {self.pool.submit(_run, name, src, parameters, source_root, records.get(name)): name
                   for name in notebooks}
        pending, done_count = set(futures), 0
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
