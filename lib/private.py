"""What a run keeps for the analyst alone, outside everything that is published.

The private folder is ``$FORCEBOOK_PRIVATE_DIR``, else ``_private/`` beside ``_build/`` in the project
(never inside it: publishing ``_build/`` must not publish this). Per edition, ``<force id>/<period>/``:

- ``rejected-rows.csv``: the rows that broke their input contract, with the offending values (the book
  describes them by class only: "a coordinate given to 7 decimal places", "text not in the allowed list");
- ``failed/``: the logs and executed notebooks of the last failed build (they hold machine paths and raw
  values);
- ``errors.log``: the traceback of an unexpected error, which the command line names in one line.
"""
from __future__ import annotations

import os
from pathlib import Path

from lib import ROOT


def root() -> Path:
    """The private folder."""
    return Path(os.environ.get("FORCEBOOK_PRIVATE_DIR") or ROOT / "_private")


def folder(force_id: str, period: str) -> Path:
    """An edition's private folder (not created)."""
    return root() / force_id / period
