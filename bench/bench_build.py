"""Benchmark: time a full period build (params -> HTML + PDF) and each of its stages.

Usage: python bench/bench_build.py [--params params/2019-12.yml] [--repeat 3] [--no-pdf]

Builds into a temporary folder (the published _build/ is not touched) and prints one row per
stage with the median over the repeats. Target (issue 2): a full period in under a minute on a
2-core machine, excluding installation.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from lib.pipeline import build as build_mod


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", default="params/2019-12.yml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    runs = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            build_mod.BUILD_DIR = Path(tmp)
            t0 = time.perf_counter()
            folder = build_mod.build(args.params, pdf=not args.no_pdf, say=lambda m: None)
            wall = time.perf_counter() - t0
            seconds = json.loads((folder / "provenance.json").read_text())["seconds"]
            seconds["wall"] = wall
            runs.append(seconds)
            print(f"run {i + 1}/{args.repeat}: {wall:.1f} s", flush=True)
    stages = [k for k in runs[0] if k not in {"total", "wall"}] + ["total", "wall"]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'stage':<12}{'median s':>10}{'min s':>10}{'max s':>10}")
    for stage in stages:
        values = [r[stage] for r in runs if stage in r]
        print(f"{stage:<12}{statistics.median(values):>10.1f}{min(values):>10.1f}{max(values):>10.1f}")


if __name__ == "__main__":
    main()
