"""forcebook: a reproducible performance and progress report for a police force.

Packages by layer, from params to published book::

    config/     params schema and loader, measure catalogue
    inputs/     contracts, loading and validation, demo data, what each file held
    stats/      proportions, SPC, disclosure control (pure: import nothing of the project but errors)
    measures/   each measure's monthly series, IMPACT score
    staffing/   Erlang, rostering, demand, control room, incident response
    compliance/ scorecard/ programme/   the chapters' models
    present/    display rules, tables, texts, figures, the book's renderer
    pipeline/   build, facts, publish, provenance, scan, command line

``errors`` (one exception hierarchy) and ``vocabulary`` (routes, grades, priorities, measure ids)
are shared by all.
"""
from pathlib import Path

__version__ = "0.2.0"

#: The repository root: params, notebooks and the book live here.
ROOT = Path(__file__).resolve().parents[1]
