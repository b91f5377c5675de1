"""The programme chapter, presented from its facts (:func:`lib.programme.tracker.compute`)."""
from __future__ import annotations

import pandas as pd

from lib.present import fmt_int

HEADERS = {"item_id": "item", "type": "type", "workstream": "workstream", "owner_role": "owner (role)",
           "due_date": "due", "description": "what is to be done", "milestone": "milestone", "column": "status",
           "group": "cause of concern (or type of finding)", "change": "change", "detail": "detail"}


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_integer_dtype(out[col]):
            out[col] = out[col].map(fmt_int)
    return out.rename(columns=lambda c: HEADERS.get(c, c))


def table(facts, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(a programme table as shown, with readable headers; the fact as it is, for the CSV)."""
    frame = facts[name]
    return _shown(frame), frame


def due_soon_label(params) -> str:
    """The milestone board's middle column: 'due in the next 6 months'."""
    return f"due in the next {params.programme.due_soon_months} months"


def changes(facts):
    """The changes since the previous tracker export: a table, or a sentence saying why there is none."""
    from lib.present import table, text

    log = facts["programme_changes"]
    if len(log):
        return table((_shown(log), log), caption="Changes since the previous tracker export")
    if bool(facts["programme_previous"]["has_previous"].iloc[0]):
        return text("No changes: nothing moved since the previous export.")
    return text("No changes: this is the first period, so there is no previous export to compare with.")
