"""Publishing: versions of a period's book, swapped in atomically, and the landing page.

Layout of the published folder (``_build/`` by default)::

    index.html                  every period and every version, newest first
    <period>/latest -> v2       the stable link to the version built last
    <period>/v1 -> .store/...   one folder per version (a link to its store entry)
    <period>/v2 -> .store/...
    <period>/.store/<id>/       html/, the PDF, provenance.json

A version is identified by its fingerprint (the inputs' SHA-256, the params as used and the code):
building again with the same fingerprint replaces that version in place; anything else is a new
version beside the old ones. Every step of publishing is one atomic operation on one file system
(a rename of a finished folder into the store, then ``os.replace`` of a symbolic link), so a kill
at any instant leaves every earlier version readable and linked from ``index.html``; the next run
repairs what a killed run left (:func:`recover`). Builds of one period are serialised by a lock.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import html
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from lib import ROOT
from lib.errors import BuildError

# FORCEBOOK_BUILD_DIR moves the published folder (the failure drills build into a temporary one).
BUILD_DIR = Path(os.environ.get("FORCEBOOK_BUILD_DIR", ROOT / "_build"))
STAGING = ".staging"
STORE = ".store"
LATEST = "latest"
VERSION_RE = re.compile(r"^v(\d+)$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def locked(path: Path, what: str):
    """Hold an exclusive lock on ``path`` (released when the process ends, however it ends).

    Raises
    ------
    BuildError
        Another process holds it; the message names that process.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildError(f"{what} is already running ({holder}); wait for it to finish, or stop it") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}, started {dt.datetime.now().astimezone():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def period_lock(period: str, build_dir: Path | None = None):
    """The lock that serialises builds of one period."""
    build_dir = build_dir or BUILD_DIR
    return locked(build_dir / ".locks" / f"{period}.lock", f"a build of {period}")


def _link(target: str, at: Path) -> None:
    """Point the symbolic link ``at`` to ``target`` (relative), replacing any old link atomically."""
    tmp = at.with_name(f".{at.name}.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, at)


def versions(period_dir: Path) -> dict[int, Path]:
    """The complete versions of a period (a link to a folder holding provenance.json), by number."""
    out = {}
    for path in period_dir.glob("v*"):
        m = VERSION_RE.match(path.name)
        if m and path.is_symlink() and (path / "provenance.json").is_file():
            out[int(m.group(1))] = path
    return dict(sorted(out.items()))


def read_info(version: Path) -> dict:
    """A version's provenance.json."""
    return json.loads((version / "provenance.json").read_text(encoding="utf-8"))


def version_for(period_dir: Path, fingerprint: str) -> int:
    """The version a build with ``fingerprint`` publishes as: the one with the same fingerprint, or a new one."""
    found = versions(period_dir)
    for number, path in found.items():
        if read_info(path).get("fingerprint", {}).get("total") == fingerprint:
            return number
    return max(found, default=0) + 1


def recover(build_dir: Path | None = None) -> None:
    """Repair what a killed run left: scratch of dead runs, orphan store entries, a stale ``latest``."""
    build_dir = build_dir or BUILD_DIR
    for path in (build_dir / STAGING).glob("*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
    for period_dir in build_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]"):
        _recover_period(period_dir)


def _adopt_first_edition(period_dir: Path) -> None:
    """A period built before versions (html/, the PDF and provenance.json in the period folder)
    becomes version 1, so nothing a board has read disappears."""
    if not (period_dir / "provenance.json").is_file() or (period_dir / "v1").is_symlink():
        return
    entry = period_dir / STORE / f"first-edition-{os.getpid()}"
    entry.mkdir(parents=True)
    for item in list(period_dir.iterdir()):
        if item.name not in {STORE} and not item.name.startswith("."):
            item.rename(entry / item.name)
    _link(f"{STORE}/{entry.name}", period_dir / "v1")


def _recover_period(period_dir: Path) -> None:
    _adopt_first_edition(period_dir)
    linked = {p.resolve() for p in period_dir.glob("v*") if p.is_symlink()}
    for entry in (period_dir / STORE).glob("*"):
        pid = entry.name.rsplit("-", 1)[-1]
        # An unlinked entry of another live process is a publish in progress (another period's
        # build runs recover() too); anything else unlinked was left by a killed run.
        in_progress = pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))
        if entry.resolve() not in linked and not in_progress:
            shutil.rmtree(entry, ignore_errors=True)
    for tmp in period_dir.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    found = versions(period_dir)
    latest = period_dir / LATEST
    if found and not (latest.is_symlink() and (latest / "provenance.json").is_file()):
        newest = max(found, key=lambda n: read_info(found[n]).get("build_finished", ""))
        _link(f"v{newest}", latest)


def publish(finished: Path, period: str, number: int, build_dir: Path | None = None) -> Path:
    """Publish a finished build folder as version ``number`` of ``period``; return ``<period>/v<number>``.

    ``finished`` must be on the same file system as ``build_dir`` (it is in its staging folder).
    """
    build_dir = build_dir or BUILD_DIR
    period_dir = build_dir / period
    store = period_dir / STORE
    store.mkdir(parents=True, exist_ok=True)
    entry = store / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    finished.rename(entry)
    version = period_dir / f"v{number}"
    old = version.resolve() if version.is_symlink() else None
    _link(f"{STORE}/{entry.name}", version)
    _link(version.name, period_dir / LATEST)
    if old is not None and old != entry.resolve():
        shutil.rmtree(old, ignore_errors=True)
    write_index(build_dir)
    return version


def built_periods(build_dir: Path | None = None) -> list[tuple[str, list[tuple[int, dict]]]]:
    """Every period with complete versions, newest period first, each with its versions newest first."""
    build_dir = build_dir or BUILD_DIR
    out = []
    for period_dir in sorted(build_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]"), reverse=True):
        found = versions(period_dir)
        if found:
            out.append((period_dir.name, [(n, read_info(p)) for n, p in sorted(found.items(), reverse=True)]))
    return out


def _row(period: str, number: int, info: dict, latest: bool) -> str:
    esc = html.escape
    base = f"{esc(period)}/v{number}"
    pdf = info.get("pdf")
    pdf_link = f'<a href="{base}/{esc(pdf)}">PDF</a>' if pdf else "PDF not built"
    tag = " (latest)" if latest else ""
    return (f'<tr><th scope="row">{esc(period)}</th><td>version {number}{tag}</td>'
            f'<td><a href="{base}/html/index.html">HTML book</a></td><td>{pdf_link}</td>'
            f"<td>{esc(info.get('build_finished', ''))}</td><td><code>{esc(info.get('git_commit', '')[:12])}</code></td>"
            f"<td>{esc(info.get('changes', ''))}</td></tr>")


def write_index(build_dir: Path | None = None) -> Path:
    """Write ``index.html`` (atomically, under a lock) listing every period and version."""
    build_dir = build_dir or BUILD_DIR
    with _index_lock(build_dir):
        rows = []
        for period, found in built_periods(build_dir):
            latest = (build_dir / period / LATEST)
            latest_name = os.readlink(latest) if latest.is_symlink() else ""
            rows += [_row(period, n, info, f"v{n}" == latest_name) for n, info in found]
        body = "\n".join(rows) or '<tr><td colspan="7">No period has been built yet.</td></tr>'
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>forcebook: built periods</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:64rem;margin:2rem auto;color:#111}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc}}
a{{color:#0050a0}}</style></head>
<body><main><h1>Performance and progress reports</h1>
<p>Every built reporting period, newest first, with every version of it. <code>&lt;period&gt;/latest/</code>
always leads to the version built last.</p>
<table><thead><tr><th scope="col">Period</th><th scope="col">Version</th><th scope="col">Book</th>
<th scope="col">PDF</th><th scope="col">Built</th><th scope="col">Commit</th><th scope="col">What changed</th></tr></thead>
<tbody>
{body}
</tbody></table></main></body></html>
"""
        tmp = build_dir / f".index-{os.getpid()}.html"
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, build_dir / "index.html")
    return build_dir / "index.html"


@contextmanager
def _index_lock(build_dir: Path):
    path = build_dir / ".locks" / "index.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # brief: another build's index write; wait for it
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
