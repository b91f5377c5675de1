"""forcebook: a reproducible performance and progress report for a police force.

The package is organised by domain: ``params`` (the period's settings), ``contracts`` and
``loading`` (the input files), ``demo`` (seeded demo data), ``build`` (papermill + Jupyter Book),
``present`` (tables, figures, rounding). Later chapters add ``erlang``, ``impact``, ``compliance``…
"""
from pathlib import Path

__version__ = "0.1.0"

#: The repository root: params, notebooks and the book live here.
ROOT = Path(__file__).resolve().parents[1]
