"""Resident populations (``inputs.populations``): checked once, read as district and ethnicity lookups.

An area is a district the params name (``districts``; with none listed, any local authority) or ``force
area``; each area and group appears once. A district or group the file does not give has no rate ("no
population supplied"), never one divided by a made-up figure.
"""
from __future__ import annotations

import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.inputs.loading import Loaded

FORCE_AREA = "force area"
NO_POPULATION = "no population supplied"


def checked(loaded: Loaded, params: Params) -> pd.DataFrame:
    """The file's rows, refused (DataError, naming the file, column and value) when an area is neither a district
    of the params nor "force area", or an area and group appear twice."""
    frame = loaded.frame
    where = f"inputs.populations ({public_path(loaded.path)})"
    if params.districts:
        allowed = [*params.districts, FORCE_AREA]
        unknown = sorted(set(frame["area"]) - set(allowed))
        if unknown:
            raise DataError(f"{where}: column 'area': {', '.join(map(repr, unknown))} is not a district of the params "
                            f"nor {FORCE_AREA!r} (allowed: {', '.join(map(repr, allowed))})")
    # one row per area and group: the contract's key (lib.inputs.contracts.POPULATIONS)
    return frame


def by_district(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """district → population and source (everyone: ethnicity "all"); empty without the input."""
    if "populations" not in loaded:
        return pd.DataFrame(columns=["population", "source"])
    f = checked(loaded["populations"], params)
    f = f[(f["ethnicity"] == "all") & (f["area"] != FORCE_AREA)]
    return f.set_index("area")[["population", "source"]]


def by_ethnicity(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """The force area's population by officer-defined ethnicity → population and source; empty without it."""
    if "populations" not in loaded:
        return pd.DataFrame(columns=["population", "source"])
    f = checked(loaded["populations"], params)
    f = f[(f["area"] == FORCE_AREA) & (f["ethnicity"] != "all")]
    return f.set_index("ethnicity")[["population", "source"]]
