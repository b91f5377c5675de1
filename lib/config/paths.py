"""Paths: how a path in a params file is read, and how a file is named in a message or on a published page."""
from __future__ import annotations

import os
from pathlib import Path

from lib import ROOT

GLOB_CHARS = set("*?[]")


def read_as(entry: Path) -> tuple[str, list[Path]]:
    """How a path given in the params is read: ``("path", [entry])`` when it exists (a file or folder is itself,
    whatever characters its name holds), ``("pattern", matches)`` when it does not and holds ``*``, ``?`` or
    ``[...]``, ``("missing", [])`` otherwise, and ``("ambiguous", others)`` when it exists *and*, read as a
    pattern, matches other paths too (``exports [2019]`` beside ``exports 2``): the caller refuses it, naming
    both readings."""
    globbed = any(GLOB_CHARS & set(part) for part in entry.parts)
    exists = entry.exists()
    if not globbed:
        return ("path", [entry]) if exists else ("missing", [])
    matches = sorted(Path(entry.anchor).glob(str(entry.relative_to(entry.anchor))))
    if exists:
        others = [m for m in matches if m != entry]
        return ("ambiguous", others) if others else ("path", [entry])
    return ("pattern", matches) if matches else ("missing", [])


def ambiguity(entry: Path, others: list[Path]) -> str:
    """The message for a path that exists and, read as a pattern, matches other paths too."""
    shown = ", ".join(repr(display_path(p)) for p in others[:3]) + (", …" if len(others) > 3 else "")
    return (f"{display_path(entry)!r} exists, and read as a pattern it also matches {shown}; to read the file or "
            "folder itself, rename it without [ ] * ?, or write each of those characters in brackets ([[] for [, "
            "[]] for ], [*], [?]), which reads it as a pattern that matches only it")


def public_path(path: Path) -> str:
    """How a file is named on a published page: relative to the repository, or by its name alone
    (an input outside the project is identified by its name and SHA-256, never by a machine's path)."""
    try:
        return Path(os.path.abspath(path)).relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name


def display_path(path: Path) -> str:
    """A path for a message to the person running the report: relative to the repository where possible."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(ROOT))
    except ValueError:
        return str(path)


PROJECT_PARAMS = ROOT / "params"


def beside_or_project(folder: Path, name: str) -> Path:
    """A file a params file names (``extends: defaults.yml``, ``catalogue: measures.yml``): beside it, or — for a
    copy kept elsewhere, e.g. beside the downloads — the project's ``params/`` file of that name."""
    here = (folder / name).resolve()
    project = (PROJECT_PARAMS / name).resolve()
    return project if not here.exists() and not Path(name).is_absolute() and project.is_file() else here
