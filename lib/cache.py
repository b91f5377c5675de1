"""A cache for work that depends only on files' contents and the code: validated inputs, a period's facts.

Entries are keyed by SHA-256 digests of everything they depend on, so a changed input, param or
line of code is a miss, never a stale hit. The cache lives outside the project
(``$FORCEBOOK_CACHE``, else ``$XDG_CACHE_HOME/forcebook``, else ``~/.cache/forcebook``): running a
notebook by hand leaves nothing in the working tree. Deleting it is always safe.

The cache cannot change a number: an entry records the SHA-256 of its source and of each file it
holds (:func:`seal`), and :func:`opened` checks both before the entry is used. An entry edited,
cut short or left unreadable is discarded with a one-line notice, and the caller rebuilds it from
its source.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from lib import ROOT


def root() -> Path:
    """The cache folder."""
    explicit = os.environ.get("FORCEBOOK_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "forcebook"


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's contents, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            h.update(block)
    return h.hexdigest()


def digest(*parts: str) -> str:
    """SHA-256 of the parts, joined."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def code_digest(*relative: str) -> str:
    """SHA-256 of the named source files of the project (their contents)."""
    return digest(*(hashlib.sha256((ROOT / r).read_bytes()).hexdigest() for r in relative))


def entry(kind: str, key: str) -> Path:
    """The folder of a cache entry (it exists only once :func:`commit` made it)."""
    return root() / kind / key


def commit(tmp: Path, final: Path) -> None:
    """Move a completely written entry into place (a half-written one is never seen)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp.rename(final)
    except OSError:  # another run wrote the same entry first: theirs is as good
        shutil.rmtree(tmp, ignore_errors=True)


def scratch(kind: str, key: str) -> Path:
    """A fresh folder to write an entry into before :func:`commit`."""
    path = root() / kind / f".{key}.{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


SEAL = "seal.json"


def seal(folder: Path, source: str = "") -> None:
    """Record the SHA-256 of every file of an entry being written (and of its ``source``), in ``seal.json``."""
    files = {p.name: file_sha256(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != SEAL}
    (folder / SEAL).write_text(json.dumps({"source": source, "files": files}, sort_keys=True), encoding="utf-8")


def notice(message: str) -> None:
    """One line to the person running the report (standard error): the cache repaired itself."""
    print(f"notice: {message}", file=sys.stderr, flush=True)


def discard(path: Path, why: str) -> None:
    """Remove a cache entry that cannot be trusted, saying so in one line."""
    shutil.rmtree(path, ignore_errors=True)
    notice(f"cache entry {path.parent.name}/{path.name[:12]} {why}; discarded and rebuilt from its source")


class _Untrusted(Exception):
    """A cache entry that is not as it was written."""


def opened(kind: str, key: str, source: str = "") -> Path | None:
    """The folder of a committed entry whose files are exactly as written (their SHA-256 match its seal, and the
    seal names ``source``), else None; an entry that does not match is discarded (:func:`discard`)."""
    path = entry(kind, key)
    if not path.is_dir():
        return None
    try:
        recorded = json.loads((path / SEAL).read_text(encoding="utf-8"))
        files = recorded["files"]
        present = {p.name for p in path.iterdir() if p.is_file() and p.name != SEAL}
        if recorded["source"] != source:
            raise _Untrusted("was made from another source")
        if present != set(files) or any(file_sha256(path / name) != digest for name, digest in files.items()):
            raise _Untrusted("does not match what was written")
    except _Untrusted as exc:
        discard(path, str(exc))
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        discard(path, "is unreadable or incomplete")
        return None
    return path
