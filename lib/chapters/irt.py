"""The incident-response chapter: demand, officers on duty, the establishment and the workforce.

Facts ``irt_*`` from :func:`lib.staffing.incident_response.compute`; presented by
:mod:`lib.staffing.incident_response_view` (to move here with the staffing chapters' presentation).
"""
from __future__ import annotations

import pandas as pd

from lib.config.schema import Params
from lib.staffing import incident_response, response_assumptions, response_rotas

NEEDS = ("incidents",)
AFTER = ("measures",)  # attendance in target, as the scorecard measures it


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.incident_response.compute`, the assumptions' reading:
    :func:`lib.staffing.response_assumptions.compute`, and workable rotas costed:
    :func:`lib.staffing.response_rotas.compute`)."""
    facts = {**incident_response.compute(loaded, params, earlier["measure_period"]),
             **response_assumptions.compute(loaded, params)}
    need = facts["irt_requirement"].rename(columns={"officers_needed": "officers needed"})
    required = int(facts["irt_verdict"]["required"].iloc[0])
    return {**facts, "irt_options": response_rotas.compute(need, params, required)}
