"""Peer benchmarking: the force beside its most similar group of forces, per 1,000 population.

``archive`` counts crimes by force, month and category from data.police.uk archives (DuckDB, out of
core); ``rates`` turns counts into rates per 1,000 population and ranks the force among its peers;
:mod:`lib.demo.peers` writes archives in data.police.uk's layout for the demo, tests and benchmarks.
"""
from lib.peers.archive import ASB, STREET_COLUMNS, Counts, monthly_counts, street_files
from lib.peers.rates import TOTAL, Rates, add_total, league, rank, rates

__all__ = ["ASB", "STREET_COLUMNS", "TOTAL", "Counts", "Rates", "add_total", "league", "monthly_counts", "rank", "rates",
           "street_files"]
