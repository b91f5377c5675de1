"""Publishing: editions kept by force and period, versions swapped in atomically, and the landing page.

An *edition* is one force's book for one period; two forces never share a history. Layout of the
published folder (``_build/`` by default)::

    index.html -> .site/current/index.html        every force, period and version, newest first
    <force>/<period>/v1 -> .store/<entry>         one folder per version: html/, the PDF, facts/, provenance.json
    <force>/<period>/latest -> ../../.site/current/latest/<force>/<period>
    .site/current -> g<id>                        the landing page and every edition's latest version, together
    .site/g<id>/latest/<force>/<period> -> ../../../../<force>/<period>/vN

A version is identified by its fingerprint (the inputs' SHA-256, the params as used and the code):
building again with the same fingerprint replaces that version in place; anything else is a new
version beside the old ones. Every step of publishing is one atomic operation on one file system:
the finished folder is renamed into the store, the version's link is replaced, then one
``os.replace`` of ``.site/current`` switches the landing page and every ``latest`` at once — so at
any instant ``latest`` and ``index.html`` agree, and a kill at any step leaves every earlier version
readable and listed; the next run repairs what a killed run left (:func:`recover`). Builds of one
edition are serialised by a lock; builds of different editions publish side by side, each
rewriting the landing page under a short lock.

Machine-specific and private things are never here: failed builds' logs live in the edition's
private folder (:mod:`lib.private`).
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
SITE = ".site"
LATEST = "latest"
INDEX = "index.html"
VERSION_RE = re.compile(r"^v(\d+)$")
PERIOD_RE = re.compile(r"^\d{4}-\d{2}$")
FORCE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
# Books built before editions were kept by force (``_build/<period>/``) are kept under this name.
EARLIER = "earlier-layout"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_dead(name: str, mine_too: bool = False) -> bool:
    """True when a scratch name ending in ``-<pid>`` or ``.<pid>.tmp`` belongs to a process that has ended (or,
    with ``mine_too``, to this one: what it left from an earlier, abandoned step)."""
    found = re.search(r"[-.](\d+)(?:\.tmp)?$", name)
    if not found:
        return False
    pid = int(found.group(1))
    return (mine_too and pid == os.getpid()) or (pid != os.getpid() and not _alive(pid))


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


def edition_dir(force: str, period: str, build_dir: Path | None = None) -> Path:
    """The folder of one force's book for one period."""
    return (build_dir or BUILD_DIR) / force / period


def edition_lock(force: str, period: str, build_dir: Path | None = None):
    """The lock that serialises builds of one edition (one force, one period)."""
    build_dir = build_dir or BUILD_DIR
    return locked(build_dir / ".locks" / f"{force}-{period}.lock", f"a build of {force} {period}")


def _link(target: str, at: Path) -> None:
    """Point the symbolic link ``at`` to ``target`` (relative), replacing any old link or file atomically."""
    tmp = at.with_name(f".{at.name}.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, at)


def versions(edition: Path) -> dict[int, Path]:
    """The complete versions of an edition (a link to a folder holding provenance.json), by number."""
    out = {}
    for path in edition.glob("v*"):
        m = VERSION_RE.match(path.name)
        if m and path.is_symlink() and (path / "provenance.json").is_file():
            out[int(m.group(1))] = path
    return dict(sorted(out.items()))


def read_info(version: Path) -> dict:
    """A version's provenance.json."""
    return json.loads((version / "provenance.json").read_text(encoding="utf-8"))


def version_for(edition: Path, fingerprint: str) -> int:
    """The version a build with ``fingerprint`` publishes as: the one with the same fingerprint, or a new one."""
    found = versions(edition)
    for number, path in found.items():
        if read_info(path).get("fingerprint", {}).get("total") == fingerprint:
            return number
    return max(found, default=0) + 1


def editions(build_dir: Path | None = None) -> list[tuple[str, str]]:
    """Every (force, period) folder of the published folder, by force, newest period first."""
    build_dir = build_dir or BUILD_DIR
    found = [(f.name, p.name) for f in build_dir.iterdir() if f.is_dir() and FORCE_RE.match(f.name)
             for p in f.iterdir() if p.is_dir() and PERIOD_RE.match(p.name)] if build_dir.is_dir() else []
    return sorted(found, key=lambda e: (e[0], [-int(x) for x in e[1].split("-")]))


def recover(build_dir: Path | None = None) -> None:
    """Repair what a killed run left: scratch and links of dead runs, orphan store entries, the landing page.

    Only what a process that has ended left is touched: another edition's build may be publishing now.
    """
    build_dir = build_dir or BUILD_DIR
    for path in (build_dir / STAGING).glob("*"):
        if _owner_dead(path.name):
            shutil.rmtree(path, ignore_errors=True)
    _adopt_earlier_layout(build_dir)
    for force, period in editions(build_dir):
        _recover_edition(edition_dir(force, period, build_dir))
    for tmp in [*build_dir.glob(".*.tmp"), *(build_dir / SITE).glob(".*.tmp")]:
        if _owner_dead(tmp.name, mine_too=True):
            tmp.unlink(missing_ok=True)
    if editions(build_dir):
        with _index_lock(build_dir):
            _commit_site(build_dir, {})


def _adopt_earlier_layout(build_dir: Path) -> None:
    """Books built before editions were kept by force (``_build/<period>/``) move, whole, to
    ``_build/earlier-layout/<period>/``: nothing a board has read disappears (their links are relative)."""
    for old in build_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]"):
        if old.is_dir() and not old.is_symlink():
            target = edition_dir(EARLIER, old.name, build_dir)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                old.rename(target)


def _adopt_first_edition(edition: Path) -> None:
    """An edition built before versions (html/, the PDF and provenance.json in its folder) becomes version 1."""
    if not (edition / "provenance.json").is_file() or (edition / "v1").is_symlink():
        return
    entry = edition / STORE / f"first-edition-{os.getpid()}"
    entry.mkdir(parents=True)
    for item in list(edition.iterdir()):
        if item.name not in {STORE, LATEST} and not item.name.startswith("."):
            item.rename(entry / item.name)
    _link(f"{STORE}/{entry.name}", edition / "v1")


def _recover_edition(edition: Path) -> None:
    _adopt_first_edition(edition)
    linked = {p.resolve() for p in edition.glob("v*") if p.is_symlink()}
    for entry in (edition / STORE).glob("*"):
        # An unlinked entry of a live process is a publish in progress; anything else unlinked was left by a
        # killed run.
        if entry.resolve() not in linked and (_owner_dead(entry.name, mine_too=True)
                                              or not re.search(r"-\d+$", entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
    for tmp in edition.glob(".*.tmp"):
        if _owner_dead(tmp.name, mine_too=True):
            tmp.unlink(missing_ok=True)


def _latest_now(build_dir: Path) -> dict[tuple[str, str], str]:
    """Each edition's latest version as the landing page now has it ('v3'), where that version still exists."""
    out = {}
    for force, period in editions(build_dir):
        link = build_dir / SITE / "current" / LATEST / force / period
        if link.is_symlink():
            name = os.readlink(link).rsplit("/", 1)[-1]
            if VERSION_RE.match(name) and name in {f"v{n}" for n in versions(edition_dir(force, period, build_dir))}:
                out[(force, period)] = name
    return out


def _commit_site(build_dir: Path, chosen: dict[tuple[str, str], str]) -> None:
    """Write a new landing page and every edition's ``latest`` (``chosen`` ones as given, the others as they were,
    or their newest build), then switch ``.site/current`` to them in one atomic step. Under the index lock."""
    site = build_dir / SITE
    latest = _latest_now(build_dir)
    for force, period, found in built(build_dir):
        if (force, period) not in latest:
            latest[(force, period)] = f"v{max(found, key=lambda f: f[1].get('build_finished', ''))[0]}"
    latest.update(chosen)
    page = _index_page(build_dir, latest)
    current = site / "current"
    if (current / INDEX).is_file() and (current / INDEX).read_text(encoding="utf-8") == page \
            and _latest_now(build_dir) == latest and all(
                (edition_dir(f, p, build_dir) / LATEST).is_symlink() for f, p in latest):
        return  # nothing to change: a run that publishes nothing leaves the landing page as it was
    generation = site / f"g{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    generation.mkdir(parents=True)
    for (force, period), name in latest.items():
        at = generation / LATEST / force / period
        at.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(f"../../../../{force}/{period}/{name}", at)
        edition_latest = edition_dir(force, period, build_dir) / LATEST
        target = f"../../{SITE}/current/{LATEST}/{force}/{period}"
        if not edition_latest.is_symlink() or os.readlink(edition_latest) != target:
            _link(target, edition_latest)  # dangles until the switch below if the edition is new
    (generation / INDEX).write_text(page, encoding="utf-8")
    if not (build_dir / INDEX).is_symlink():
        _link(f"{SITE}/current/{INDEX}", build_dir / INDEX)
    _link(generation.name, site / "current")  # the one step that switches the landing page and every latest
    for old in site.glob("g*"):  # under the index lock, no other generation is being written
        if old.name != generation.name:
            shutil.rmtree(old, ignore_errors=True)


def publish(finished: Path, force: str, period: str, number: int, build_dir: Path | None = None) -> Path:
    """Publish a finished build folder as version ``number`` of ``force``'s ``period``; return its version link.

    ``finished`` must be on the same file system as ``build_dir`` (it is in its staging folder).
    """
    build_dir = build_dir or BUILD_DIR
    edition = edition_dir(force, period, build_dir)
    store = edition / STORE
    store.mkdir(parents=True, exist_ok=True)
    entry = store / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    finished.rename(entry)
    version = edition / f"v{number}"
    old = version.resolve() if version.is_symlink() else None
    _link(f"{STORE}/{entry.name}", version)
    with _index_lock(build_dir):
        _commit_site(build_dir, {(force, period): version.name})
    if old is not None and old != entry.resolve():
        shutil.rmtree(old, ignore_errors=True)
    return version


def built(build_dir: Path | None = None) -> list[tuple[str, str, list[tuple[int, dict]]]]:
    """Every edition with complete versions — (force, period, its versions newest first) — by force, newest
    period first. A version being replaced by another edition's build this instant is listed if it can be read."""
    build_dir = build_dir or BUILD_DIR
    out = []
    for force, period in editions(build_dir):
        found = []
        for n, path in sorted(versions(edition_dir(force, period, build_dir)).items(), reverse=True):
            try:
                found.append((n, read_info(path)))
            except (OSError, ValueError):  # its old store entry was removed after its link moved on
                continue
        if found:
            out.append((force, period, found))
    return out


def _row(force: str, period: str, number: int, info: dict, latest: bool) -> str:
    esc = html.escape
    base = f"{esc(force)}/{esc(period)}/v{number}"
    pdf = info.get("pdf")
    pdf_link = f'<a href="{base}/{esc(pdf)}">PDF</a>' if pdf else "PDF not built"
    tag = " (latest)" if latest else ""
    return (f'<tr><th scope="row">{esc(period)}</th><td>version {number}{tag}</td>'
            f'<td><a href="{base}/html/index.html">HTML book</a></td><td>{pdf_link}</td>'
            f"<td>{esc(info.get('build_finished', ''))}</td><td><code>{esc(info.get('git_commit', '')[:12])}</code></td>"
            f"<td>{esc(info.get('changes', ''))}</td></tr>")


def _index_page(build_dir: Path, latest: dict[tuple[str, str], str]) -> str:
    """The landing page: a section per force, every period and version of it, newest first."""
    esc = html.escape
    sections, rows, names = [], {}, {}
    for force, period, found in built(build_dir):
        names.setdefault(force, found[0][1].get("force_name", force))
        rows.setdefault(force, []).extend(
            _row(force, period, n, info, latest.get((force, period)) == f"v{n}") for n, info in found)
    for force, body in rows.items():
        title = "Books built before editions were kept by force" if force == EARLIER else names[force]
        sections.append(f"""<section aria-labelledby="f-{esc(force)}"><h2 id="f-{esc(force)}">{esc(title)}
<small>({esc(force)})</small></h2>
<table><thead><tr><th scope="col">Period</th><th scope="col">Version</th><th scope="col">Book</th>
<th scope="col">PDF</th><th scope="col">Built</th><th scope="col">Commit</th><th scope="col">What changed</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table></section>""")
    content = "\n".join(sections) or "<p>No book has been built yet.</p>"
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>forcebook: built editions</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:64rem;margin:2rem auto;color:#111}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc}}
a{{color:#0050a0}}h2 small{{font-weight:normal;color:#444}}</style></head>
<body><main><h1>Performance and progress reports</h1>
<p>Every force's books, each period newest first, with every version of it.
<code>&lt;force&gt;/&lt;period&gt;/latest/</code> always leads to the version marked latest here.</p>
{content}
</main></body></html>
"""


@contextmanager
def _index_lock(build_dir: Path):
    path = build_dir / ".locks" / "index.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # brief: another build's landing page; wait for it
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
