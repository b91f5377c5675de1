"""The force-management chapter: demand and the workforce it needs, four years ahead.

Facts ``fm_*`` from :func:`lib.staffing.force_management.compute`, which reads the response chapter's
workforce and the control room's rota; presented by :mod:`lib.staffing.force_management_view` (to move here
with the staffing chapters' presentation).
"""
from __future__ import annotations

import pandas as pd

from lib.config.schema import Params
from lib.staffing import force_management

NEEDS = ("contacts", "incidents")
AFTER = ("fcr", "irt")  # the rota's people and the response workforce


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.force_management.compute`)."""
    rota = earlier["fcr_rota"] if "fcr_rota" in earlier else None
    return force_management.compute(loaded, params, earlier.get("irt_workforce"),
                                    float(rota["people"].iloc[0]) if rota is not None else None)
