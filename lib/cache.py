"""A cache for work that depends only on files' contents and the code: validated inputs, a period's facts.

Entries are keyed by SHA-256 digests of everything they depend on, so a changed input, param or
line of code is a miss, never a stale hit. The cache lives outside the project
(``$FORCEBOOK_CACHE``, else ``$XDG_CACHE_HOME/forcebook``, else ``~/.cache/forcebook``): running a
notebook by hand leaves nothing in the working tree. Deleting it is always safe.
"""
from __future__ import annotations

import hashlib
import os
import shutil
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
