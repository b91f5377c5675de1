"""Benchmark: monthly_counts + rates on a national data.police.uk archive (43 forces × 36 months).

Writes a synthetic archive with lib.demo.peers (or reuses the one under --folder written with
the same forces, months and seed), then runs lib.peers.archive.monthly_counts and
lib.peers.rates.rates in a child process and reports its wall time and peak resident memory (the
child's own rusage, from os.wait4). Target: at most 60 s and under 2 GB.
Usage: python bench/bench_peers.py [--folder DIR] [--forces 43] [--months 36] [--threads 2]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TARGET_SECONDS, TARGET_MB = 60, 2048


def _machine() -> str:
    import duckdb

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.1f} GB RAM, {platform.system()}, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}")


def _archive(folder: Path, forces: dict[str, int], months: list[str], seed: int, workers: int) -> tuple[Path, dict]:
    """The archive for these forces, months and seed: reused when complete, else written."""
    import lib.demo.peers as synthetic

    # The generator's source is in the name: an archive written by an older generator is not reused.
    version = hashlib.sha256(Path(synthetic.__file__).read_bytes()).hexdigest()[:8]
    name = f"archive-f{len(forces)}-m{len(months)}-{months[0]}-s{seed}-g{version}"
    archive, marker = folder / name, folder / f"{name}.json"  # the marker sits beside the archive, not in it
    if marker.exists():
        return archive, {**json.loads(marker.read_text()), "written_seconds": None}
    t0 = time.perf_counter()
    truth = synthetic.write_archive(archive, forces, months, seed, workers=workers)
    info = {"rows": int(truth["crimes"].sum()), "files": len(forces) * len(months),
            "bytes": sum(p.stat().st_size for p in archive.glob("*/*-street.csv"))}
    marker.write_text(json.dumps(info))
    return archive, {**info, "written_seconds": time.perf_counter() - t0}


def _child(archive: str, forces: list[str], threads: int, memory_limit: str) -> None:
    """The measured part: count and rate; prints its timings as JSON."""
    t0 = time.perf_counter()
    from lib.demo.peers import national_populations
    from lib.peers.archive import monthly_counts
    from lib.peers.rates import rank, rates

    t1 = time.perf_counter()
    counts = monthly_counts(archive, forces, threads=threads, memory_limit=memory_limit)
    t2 = time.perf_counter()
    r = rates(counts, national_populations(), window=min(12, len(counts.months)))
    ranks = rank(r, forces[0])
    t3 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "counts": t2 - t1, "rates": t3 - t2, "rows": int(counts.coverage["rows"].sum()),
                      "files": int(counts.coverage["files"].sum()), "cells": len(counts.counts), "window": r.window,
                      "ranked": len(ranks)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="cache folder for the archive (default: a new temporary folder)")
    parser.add_argument("--forces", type=int, default=43, help="number of forces, at most 43 (default 43)")
    parser.add_argument("--months", type=int, default=36, help="months from --first (default 36)")
    parser.add_argument("--first", default="2022-01", help="first month, YYYY-MM (default 2022-01)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit (default 1GB)")
    parser.add_argument("--workers", type=int, default=2, help="processes writing the archive (default 2)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, json.loads(os.environ["BENCH_PEERS_FORCES"]), args.threads, args.memory_limit)
        return
    from lib.demo.peers import national_populations

    populations = national_populations()
    if not 1 <= args.forces <= len(populations):
        parser.error(f"--forces {args.forces}: between 1 and {len(populations)}")
    names = ["cleveland"] + [f for f in populations if f != "cleveland"]
    forces = {f: populations[f] for f in names[: args.forces]}
    months = list(pd.period_range(args.first, periods=args.months, freq="M").strftime("%Y-%m"))
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-peers-"))
    folder.mkdir(parents=True, exist_ok=True)
    archive, info = _archive(folder, forces, months, args.seed, args.workers)
    print(f"machine: {_machine()}")
    written = "reused" if info["written_seconds"] is None else f"written in {info['written_seconds']:.1f} s"
    print(f"archive: {archive} ({written})")
    print(f"  {len(forces)} forces × {len(months)} months ({months[0]} to {months[-1]}): {info['files']:,} files, "
          f"{info['rows']:,} rows, {info['bytes'] / 2**30:.2f} GiB")
    command = [sys.executable, __file__, "--child", str(archive), "--threads", str(args.threads),
               "--memory-limit", args.memory_limit]
    env = {**os.environ, "BENCH_PEERS_FORCES": json.dumps(list(forces))}
    load = os.getloadavg()
    t0 = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    seconds = time.perf_counter() - t0
    if child.returncode != 0:
        raise SystemExit(f"the measured child failed (exit {child.returncode})")
    result = json.loads(out)
    peak_mb = usage.ru_maxrss / 1024  # Linux: kilobytes
    print(f"DuckDB: {args.threads} threads, memory limit {args.memory_limit}")
    print(f"rows counted: {result['rows']:,} (written: {info['rows']:,}; equal: {result['rows'] == info['rows']}); "
          f"files read: {result['files']:,}; counts cells: {result['cells']:,}; "
          f"{len(result['window'])}-month window {result['window'][0]} to {result['window'][-1]}")
    print(f"seconds: monthly_counts {result['counts']:.2f}, rates + rank {result['rates']:.2f}, imports {result['import']:.2f}; "
          f"child process wall time {seconds:.2f}")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"child process CPU time {cpu:.2f} s (user + system); load average at start {load[0]:.1f} on "
          f"{os.cpu_count()} cores (a busy machine stretches wall time, not CPU time)")
    print(f"peak memory (child process max RSS): {peak_mb:,.0f} MB")
    met = seconds <= TARGET_SECONDS and peak_mb < TARGET_MB
    print(f"target (≤ {TARGET_SECONDS} s, < {TARGET_MB:,} MB): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
