"""Benchmark: required call handlers for a year of hourly intervals × 4 routes.

lib.staffing.erlang.required_agents (one vectorised call) against pyworkforce's
ErlangC(...).required_positions looped over the same intervals; the answers are compared and the
speed ratio printed. Usage: python bench/bench_erlang.py [--hours 8760] [--repeat 3]
(pyworkforce is a bench-only dependency: pip install -e '.[bench]').

Demand is the demo generator's expected hourly rate per route (so the shapes are realistic), AHT
per route, 80% answered in 20 s, an 85% occupancy cap, 60-minute intervals.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from lib.inputs import demo
from lib.staffing import erlang

AHT = {"999": 240.0, "101": 380.0, "switchboard": 60.0, "online": 600.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        raise SystemExit("pyworkforce is not installed: pip install -e '.[bench]'") from None
    hours = demo._hours()[: args.hours]
    calls = np.concatenate([demo.hourly_rate(r, hours) for r in AHT])
    aht = np.concatenate([np.full(len(hours), AHT[r]) for r in AHT])
    ours, theirs = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        mine = erlang.required_agents(calls, aht, 20, 0.8, 3600, max_occupancy=0.85)
        ours.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    ref = np.array([ErlangC(transactions=c, aht=a / 60, asa=20 / 60, interval=60).required_positions(
        service_level=0.8, max_occupancy=0.85)["raw_positions"] for c, a in zip(calls, aht)])
    theirs.append(time.perf_counter() - t0)
    same = mine == ref
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"intervals: {len(calls):,} ({args.hours} hours × {len(AHT)} routes)")
    print(f"lib.staffing.erlang.required_agents: {min(ours):.3f} s (best of {args.repeat})")
    print(f"pyworkforce ErlangC loop:    {theirs[0]:.3f} s")
    print(f"speed ratio: {theirs[0] / min(ours):.0f}×")
    print(f"identical answers: {same.sum():,} of {len(same):,}")
    if not same.all():
        diff = np.flatnonzero(~same)[:5]
        for i in diff:
            print(f"  interval {i}: calls {calls[i]:.2f}, AHT {aht[i]:.0f} s -> lib {mine[i]}, pyworkforce {ref[i]}")


if __name__ == "__main__":
    main()
