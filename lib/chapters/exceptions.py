"""The exception report: every measure not meeting its target (the IMPACT scorecard's and the compliance-only ones:
a target missed is an exception wherever it is reported) and every overdue programme item, each with its owner,
commentary, recovery action and revised date.

Measures: the period's rows of ``measure_period`` with status "not met", joined to the commentary file
(``inputs.commentary``, keyed by measure and month). Items: the overdue rows of the programme tracker,
with the tracker's optional ``commentary``, ``recovery_action`` and ``revised_date`` columns. Where the
inputs give none, the report says "no commentary supplied" — never a blank that could be read as "nothing
to say".
"""
from __future__ import annotations

import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.inputs.loading import Loaded
from lib.present import fmt_int, fmt_number, fmt_value, missing, month_label, needs, not_supplied, plain, table

NEEDS: tuple[str, ...] = ()
AFTER = ("measures", "scorecard", "programme")

NO_COMMENTARY = "no commentary supplied"
READING_COLUMNS = ["variation", "assurance", "changing", "months_judged", "phase_start", "phase_cause", "phase_points",
                   "provisional_limits"]
MEASURE_COLUMNS = ["measure_id", "scored", "value", "target", *READING_COLUMNS, "owner_role", "commentary",
                   "recovery_action", "revised_date"]
ITEM_COLUMNS = ["item_id", "type", "workstream", "owner_role", "due_date", "days_overdue", "description", "commentary",
                "recovery_action", "revised_date"]


def _commentary(loaded: dict[str, Loaded], params: Params, ids: list[str]) -> pd.DataFrame:
    """The commentary file's rows for the period, checked against the catalogue."""
    if "commentary" not in loaded:
        return pd.DataFrame(columns=["measure_id", "owner_role", "commentary", "recovery_action", "revised_date"])
    c = loaded["commentary"]
    frame = c.frame
    unknown = sorted(set(frame["measure_id"]) - set(ids))
    if unknown:
        raise DataError(f"inputs.commentary ({public_path(c.path)}): column 'measure_id': {', '.join(map(repr, unknown))} "
                        f"{'is not a measure' if len(unknown) == 1 else 'are not measures'} of "
                        f"{public_path(params.catalogue_path())} (ids: {', '.join(ids)})")
    doubled = frame[frame.duplicated(["measure_id", "month"], keep=False)]
    if len(doubled):
        first = doubled.iloc[0]
        raise DataError(f"inputs.commentary ({public_path(c.path)}): measure {first['measure_id']!r} has "
                        f"{(doubled['measure_id'] == first['measure_id']).sum()} rows for {first['month']}: one per "
                        "measure and month")
    out = frame[frame["month"] == params.period].copy()
    out["revised_date"] = pd.to_datetime(out["revised_date"]).dt.strftime("%Y-%m-%d")
    return out.drop(columns="month")


def measures(facts, loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Every measure not meeting its target this period (``scored``: in the IMPACT scorecard), with its owner's
    commentary (or none)."""
    period = facts["measure_period"]
    ids = list(facts["catalogue"]["measure_id"])
    notes = _commentary(loaded, params, ids)
    scored = set(facts["catalogue"].loc[facts["catalogue"]["priorities"].fillna("") != "", "measure_id"])
    missed = period[period["status"] == "not met"]
    missed = missed[["measure_id", "value", "target", *READING_COLUMNS]].assign(
        scored=lambda f: f["measure_id"].isin(scored))
    out = missed.merge(notes, on="measure_id", how="left")
    for col in ("owner_role", "commentary", "recovery_action", "revised_date"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[MEASURE_COLUMNS].reset_index(drop=True)


def items(facts, params: Params) -> pd.DataFrame:
    """Every overdue programme item, oldest due date first, with its commentary (or none)."""
    i = facts["programme_items"]
    o = i[i["status_at_end"] == "overdue"].copy()
    end = pd.Timestamp(params.period_end)
    o["days_overdue"] = (end - pd.to_datetime(o["due_date"])).dt.days
    for col in ("commentary", "recovery_action", "revised_date"):
        if col not in o:
            o[col] = None
        if pd.api.types.is_datetime64_any_dtype(o[col]):
            o[col] = o[col].dt.strftime("%Y-%m-%d")
        o[col] = o[col].astype(object).where(o[col].notna(), None)
    return o.sort_values(["due_date", "item_id"])[ITEM_COLUMNS].reset_index(drop=True)


def compute(facts, loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The exception report's facts: ``exceptions_measures`` and ``exceptions_items``."""
    out = {"exceptions_measures": measures(facts, loaded, params)}
    if "programme_items" in facts:
        out["exceptions_items"] = items(facts, params)
    return out


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(earlier, loaded, params)


def _note(value) -> str:

    return NO_COMMENTARY if missing(value) else plain(value)


def _owner(value) -> str:

    return "not named" if missing(value) else plain(value)


def _follow_up(value, commentary) -> str:
    """A recovery action or revised date beside a commentary ('' where there is no commentary at all)."""

    return "" if missing(commentary) else ("none given" if missing(value) else plain(value))


def measures_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the measures not met as shown, their numbers)."""
    from lib.present.readings import short_reading

    m = facts["exceptions_measures"]
    cat = facts["catalogue"].set_index("measure_id")
    shown = pd.DataFrame({
        "measure": [cat.loc[i, "short_name"] for i in m["measure_id"]],
        "this month": [fmt_value(v, cat.loc[i, "unit"]) for i, v in zip(m["measure_id"], m["value"])],
        "target": [fmt_value(v, cat.loc[i, "unit"]) for i, v in zip(m["measure_id"], m["target"])],
        "control chart": [short_reading(r) for _, r in m.iterrows()],
        "owner": m["owner_role"].map(_owner),
        "commentary": m["commentary"].map(_note),
        "recovery action": [_follow_up(v, c) for v, c in zip(m["recovery_action"], m["commentary"])],
        "revised date": [_follow_up(v, c) for v, c in zip(m["revised_date"], m["commentary"])],
    })
    return shown, m


def items_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the overdue items as shown, their fields)."""

    o = facts["exceptions_items"]
    shown = pd.DataFrame({
        "item": o["item_id"].map(plain), "what": o["description"].map(plain), "owner": o["owner_role"].map(plain),
        "due": o["due_date"], "days overdue": o["days_overdue"].map(fmt_int),
        "commentary": o["commentary"].map(_note),
        "recovery action": [_follow_up(v, c) for v, c in zip(o["recovery_action"], o["commentary"])],
        "revised date": [_follow_up(v, c) for v, c in zip(o["revised_date"], o["commentary"])],
    })
    return shown, o


def charts(facts):
    """The control chart of each measure listed (small multiples, three to a row), or nothing when none is listed."""
    from lib.present.charts import spc as spcchart

    return spcchart.small_multiples(facts, list(facts["exceptions_measures"]["measure_id"]), cols=3)


def charts_table(facts):
    """The numbers beside the charts: each listed measure's current limits, target and reading (nothing for none)."""
    from lib.present.charts import spc as spcchart
    from lib.present.readings import reading_column

    ids = list(facts["exceptions_measures"]["measure_id"])
    if not ids:
        return None
    shown, data = spcchart.limits_display(facts, ids)
    shown["reading"] = reading_column(facts, ids)
    return table((shown, data), caption="The charts' current limits, target and reading")


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the page."""
    from lib.present.charts import spc as spcchart

    m = facts["exceptions_measures"]
    texts = {"period_label": month_label(params.period),
             "measures_sentence": (f"{fmt_int(len(m))} measures did not meet their target in "
                                   f"{month_label(params.period)} ({fmt_int(m['scored'].sum())} of them in the IMPACT "
                                   f"scorecard, the others reported in the compliance chapter); owners commented on "
                                   f"{fmt_int(m['commentary'].notna().sum())} of them."),
             "false_signals": spcchart.false_signals_sentence(m),
             "rag_red": fmt_number(params.programme.rag_red_overdue_pct, 0),
             "rag_amber": fmt_number(params.programme.rag_amber_overdue_pct, 0)}
    if "exceptions_items" in facts:
        o = facts["exceptions_items"]
        texts["items_sentence"] = (f"{fmt_int(len(o))} programme items were overdue at the end of the period; owners "
                                   f"commented on {fmt_int(o['commentary'].notna().sum())} of them.")
    else:
        texts["items_sentence"] = f"Programme items: {not_supplied(needs('tracker'))}."
    return texts


def items_table(facts):
    """The overdue items' table (nothing without a tracker)."""

    return table(items_display(facts), caption="Programme items overdue at the end of the period") \
        if "exceptions_items" in facts else None
