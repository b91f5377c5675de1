"""Benchmark: a full period build (params → HTML + PDF), each stage, and its peak memory.

Usage: python bench/bench_build.py [--params params/2019-12.yml] [--repeat 2] [--no-pdf]
                                   [--contacts-scale 10] [--cold] [--reissue]

Each run is ``python -m lib build`` in a child process, into a temporary folder (the published
``_build/`` is not touched), with a cold input cache unless the cache is kept between runs. The
stage times come from the build's provenance record; peak memory is the largest resident set of
any process of the build (``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the main process, a notebook
worker or a Sphinx run). ``--contacts-scale N`` builds on N copies of the demo contacts (ids made
unique), e.g. 10 for about 8 million rows. ``--reissue`` times a commentary-only re-issue: each run after the
first edits one owner's commentary (in a copy of the commentary file, in place, as an analyst would) and builds
again into the same build folder, so the edition is a new version with its *What changed*.

Targets (issue "Chapters as one unit"): a full period in at most 35 s on the quiet 2-core development
machine, a commentary-only re-issue in at most 10 s; at most 2 GB peak with ten times the demo's contacts.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]


def scaled_params(params: Path, scale: int, folder: Path) -> Path:
    """A params file whose contacts are ``scale`` copies of the demo's (same times, unique ids)."""
    from lib.config.params import load_params

    contacts = pd.read_parquet(load_params(params).input_path("contacts"))
    copies = [contacts.assign(contact_id=contacts["contact_id"] + f"-{k}") for k in range(scale)]
    pd.concat(copies, ignore_index=True).to_parquet(folder / "contacts.parquet", index=False)
    out = absolute_params(params, folder, contacts=folder / "contacts.parquet")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    # N times the calls need about N times the call handlers: the rota's lines are worked by teams of N (a cycle
    # of one person a line would need N times the lines, beyond max_lines).
    data["fcr"]["rota"]["team_size"] = data["fcr"]["rota"]["team_size"] * scale
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def absolute_params(params: Path, folder: Path, contacts: Path | None = None,
                    commentary: Path | None = None) -> Path:
    """A copy of ``params`` in ``folder`` that names every file absolutely, with the contacts or the commentary
    replaced by the files given."""
    from lib.config.params import load_params

    p = load_params(params)
    data = yaml.safe_load(p.as_yaml())  # files named as on a published page: named absolutely again below
    data["inputs"] = {k: None if v is None else {**v, "path": [str(x) for x in p.input_paths(k)]}
                      for k, v in data["inputs"].items()}
    for name, path in (("contacts", contacts), ("commentary", commentary)):
        if path is not None:
            data["inputs"][name] = str(path)
    data["scorecard"]["catalogue"] = str(p.catalogue_path())
    if data.get("peers"):
        data["peers"]["archive"] = str(p.peers_archive())
    out = folder / f"{p.period}.yml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def commentary_copy(params: Path, folder: Path) -> Path:
    """A copy of the period's commentary file in ``folder`` (see :func:`edit_commentary`)."""
    from lib.config.params import load_params

    source = load_params(params).input_path("commentary")
    out = folder / "commentary.parquet"
    pd.read_parquet(source).to_parquet(out, index=False)
    return out


def edit_commentary(path: Path, period: str, k: int) -> None:
    """Change one owner's words of the period's month (the one the book shows), as a correction would."""
    frame = pd.read_parquet(path)
    row = frame.index[frame["month"] == period][-1]
    frame.loc[row, "commentary"] = f"{frame.loc[row, 'commentary']} (corrected, {k})"
    frame.to_parquet(path, index=False)


def run(params: Path, pdf: bool, cache: Path, build_dir: Path | None = None) -> dict:
    """One build in a child process: stage seconds, wall time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = str(build_dir or tmp)
        env = {**os.environ, "FORCEBOOK_BUILD_DIR": tmp, "FORCEBOOK_CACHE": str(cache)}
        cmd = [sys.executable, "-m", "lib", "build", "--params", str(params)] + ([] if pdf else ["--no-pdf"])
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if result.returncode != 0:
            sys.exit(f"build failed:\n{result.stderr[-3000:]}")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        # an edition lives in <build>/<force>/<period>/latest
        info = json.loads(next(Path(tmp).glob("*/*/latest/provenance.json")).read_text())
    seconds = info["seconds"]
    seconds["wall"] = wall
    seconds["peak MB"] = max(peak_kb, before) / 1024
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", default="params/2019-12.yml")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--contacts-scale", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="empty input cache before every run (default: only the first)")
    parser.add_argument("--reissue", action="store_true",
                        help="runs after the first are commentary-only re-issues of the same edition")
    args = parser.parse_args()
    if args.reissue and (args.repeat < 2 or args.cold):
        parser.error("--reissue times the runs after the first (a re-issue of it, with its cache): give --repeat 2 "
                     "or more, without --cold")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        params = Path(args.params)
        if args.contacts_scale != 1:
            params = scaled_params(ROOT / args.params, args.contacts_scale, folder)
        if args.reissue:
            from lib.config.params import load_params

            commentary = commentary_copy(params, folder)
            params = absolute_params(params, folder, commentary=commentary)
            period = load_params(params).period
        runs = []
        for i in range(args.repeat):
            cache = folder / (f"cache-{i}" if args.cold else "cache")
            if args.reissue and i:
                edit_commentary(commentary, period, i)
            runs.append(run(params, not args.no_pdf, cache, folder / "build" if args.reissue else None))
            print(f"run {i + 1}/{args.repeat}: {runs[-1]['wall']:.1f} s, peak {runs[-1]['peak MB']:.0f} MB", flush=True)
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"contacts × {args.contacts_scale}")
    timed = runs[1:] if args.reissue else runs  # the re-issues, not the first build they re-issue
    print(("re-issues: " if args.reissue else "") + f"{'stage':<12}{'median':>10}{'min':>10}{'max':>10}")
    for stage in [k for k in timed[0] if k not in {"total", "wall", "peak MB"}] + ["total", "wall", "peak MB"]:
        values = [r[stage] for r in timed if stage in r]
        print(f"{stage:<12}{statistics.median(values):>10.1f}{min(values):>10.1f}{max(values):>10.1f}")


if __name__ == "__main__":
    main()
