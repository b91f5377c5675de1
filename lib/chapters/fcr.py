"""The control-room chapter: demand, call-handler staffing, the rota and the model check.

Facts ``fcr_*`` from :func:`lib.staffing.control_room.compute` (Erlang C or A, the free best fit, the rota of
whole people, scenarios, the forecast and the model check against the staff logged on); presented by
:mod:`lib.staffing.control_room_view` (to move here with the staffing chapters' presentation).
"""
from __future__ import annotations

import pandas as pd

from lib.config.schema import Params
from lib.staffing import control_room

NEEDS = ("contacts",)
AFTER: tuple[str, ...] = ()


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.control_room.compute`)."""
    return control_room.compute(loaded, params)
