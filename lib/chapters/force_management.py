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
    """The chapter's facts (:func:`lib.staffing.force_management.compute`): call handlers from the control room's
    one answer (the recommended rota's people against the staffing now, as its options table measures both)."""
    people, now = None, None
    options = earlier["fcr_options"] if "fcr_options" in earlier else None
    if options is not None and options["recommended"].any():
        people = float(options.loc[options["recommended"], "people"].iloc[0])
    if options is not None and (options["kind"] == "now").any():
        now = float(options.loc[options["kind"] == "now", "people"].iloc[0])
    if people is None and "fcr_rota" in earlier:
        people = float(earlier["fcr_rota"]["people"].iloc[0])
    return force_management.compute(loaded, params, earlier.get("irt_workforce"), people, now)
