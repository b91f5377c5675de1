"""``python -m lib diff A B``: the facts that differ between two builds (:func:`lib.pipeline.diff.diff`).

A and B are editions (``demo/2019-11``, or ``2019-11`` when one force has it: its latest version), versions
(``demo/2019-12/v1``) or facts folders.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from lib.errors import BuildError
from lib.pipeline import publish
from lib.pipeline.diff import diff
from lib.pipeline.facts import read

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def resolve(ref: str, build_dir: Path) -> Path:
    """The facts folder of an edition's latest version ('demo/2019-12', or '2019-12' when one force has that
    period), a version ('demo/2019-12/v1', '2019-12/v1') or a facts folder (one holding ``manifest.json``).

    Raises
    ------
    BuildError
        Nothing built matches, or a period is built for several forces (the message lists them).
    """
    parts = ref.strip("/").split("/")
    if parts and PERIOD.fullmatch(parts[0]):  # a period without its force: the one force that has it
        forces = [f for f, p in publish.editions(build_dir) if p == parts[0]]
        if len(forces) > 1:
            raise BuildError(f"{ref}: {parts[0]} is built for several forces ({', '.join(forces)}); "
                             f"name one, e.g. {forces[0]}/{ref}")
        parts = forces[:1] + parts
    inside = build_dir.joinpath(*parts) if parts and all(p and p not in {".", ".."} for p in parts) else None
    path = Path(ref)
    for candidate in ([inside / "latest" / "facts", inside / "facts"] if inside else []) + [path / "facts", path]:
        if (candidate / "manifest.json").is_file():
            return candidate
    raise BuildError(f"{ref}: no built facts found; give an edition built in {build_dir} (e.g. demo/2019-12, or "
                     "2019-12 when one force has it), a version (demo/2019-12/v1) or a facts folder")


def main(argv: list[str] | None = None) -> int:
    """``python -m lib diff A B``: print the facts that differ."""
    p = argparse.ArgumentParser(prog="python -m lib diff",
                                description="Print the facts that differ between two builds: editions (demo/2019-11, "
                                            "or 2019-11 when one force has it: its latest version), versions "
                                            "(demo/2019-12/v1) or facts folders.")
    p.add_argument("a", help="the earlier build, e.g. demo/2019-11 or demo/2019-12/v1")
    p.add_argument("b", help="the later build, e.g. demo/2019-12 or demo/2019-12/v2")
    args = p.parse_args(argv)
    old, new = read(resolve(args.a, publish.BUILD_DIR)), read(resolve(args.b, publish.BUILD_DIR))
    found = diff(old, new)
    if found.empty:
        print(f"no differences between {args.a} and {args.b}")
        return 0
    print(f"{len(found)} difference(s) between {args.a} (then) and {args.b} (now):")
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 70, "display.width", 160):
        print(found.to_string(index=False))
    return 0
