"""The "What changed" page: every measure against the previous month, and a re-issue's changes.

Then and now are read from the period's facts (the previous month as recalculated with this
period's data, so a revised input shows as a revised "then"); a re-issued version of the period
also lists what differs from the version before it (:func:`lib.pipeline.diff.diff`).
"""
from __future__ import annotations

import pandas as pd

from lib.config.schema import Params
from lib.measures.impact import status
from lib.present import fmt_score, fmt_value, month_label, not_supplied, table, text

NEEDS: tuple[str, ...] = ()
AFTER = ("measures",)  # and the version's changes, which the build adds


def measures(facts, params: Params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every measure with a value: last month and this month, score and status, and whether its status changed."""
    prev = str(pd.Period(params.period, "M") - 1)
    cat = facts["catalogue"].set_index("measure_id")
    months = facts["measure_months"]
    then = months[months["month"] == prev].set_index("measure_id")
    now = months[months["month"] == params.period].set_index("measure_id")
    shown, data = [], []
    period_rows = facts["measure_period"].set_index("measure_id")
    for mid in period_rows.index[period_rows["status"] == "not supplied"]:
        why = not_supplied(period_rows.at[mid, "reason"])
        shown.append({"measure": cat.at[mid, "short_name"], month_label(prev): why, month_label(params.period): why,
                      "score then": "", "score now": "", "status then": "not supplied", "status now": "not supplied",
                      "status changed": ""})
        data.append({"measure_id": mid, "month_then": prev, "status_then": "not supplied", "month_now": params.period,
                     "status_now": "not supplied"})
    for mid in now.index:
        unit = cat.at[mid, "unit"]
        has_target = not pd.isna(cat.at[mid, "target"])
        s_then, s_now = status(then.at[mid, "score"], has_target), status(now.at[mid, "score"], has_target)
        shown.append({"measure": cat.at[mid, "short_name"], month_label(prev): fmt_value(then.at[mid, "value"], unit),
                      month_label(params.period): fmt_value(now.at[mid, "value"], unit),
                      "score then": fmt_score(then.at[mid, "score"]), "score now": fmt_score(now.at[mid, "score"]),
                      "status then": s_then, "status now": s_now,
                      "status changed": "yes" if s_then != s_now else ""})
        data.append({"measure_id": mid, "month_then": prev, "value_then": then.at[mid, "value"],
                     "score_then": then.at[mid, "score"], "status_then": s_then, "month_now": params.period,
                     "value_now": now.at[mid, "value"], "score_now": now.at[mid, "score"], "status_now": s_now})
    order = {mid: i for i, mid in enumerate(cat.index)}
    rank = [order[d["measure_id"]] for d in data]
    by_catalogue = sorted(range(len(data)), key=rank.__getitem__)
    return (pd.DataFrame([shown[i] for i in by_catalogue]).reset_index(drop=True),
            pd.DataFrame([data[i] for i in by_catalogue]).reset_index(drop=True))


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the page."""
    _, data = measures(facts, params)
    moved = data[data["status_then"] != data["status_now"]]
    became_met = int((moved["status_now"] == "met").sum())
    became_unmet = int((moved["status_now"] == "not met").sum())
    meta = facts["version_changes_meta"].iloc[0]
    if pd.isna(meta["version"]):
        reissue = "This page was computed outside a build, so which version of the report it belongs to is not known."
    elif pd.isna(meta["previous_version"]):
        reissue = f"This is the first version of the report for {month_label(params.period)}."
    else:
        reissue = (f"This is version {int(meta['version'])} of the report for {month_label(params.period)}; it "
                   f"replaces version {int(meta['previous_version'])} ({meta['reason']}). The table at the end "
                   "lists every figure that differs from that version.")
    return {"prev_label": month_label(str(pd.Period(params.period, "M") - 1)), "period_label": month_label(params.period),
            "moved": f"{len(moved)}", "became_met": f"{became_met}", "became_unmet": f"{became_unmet}",
            "reissue": reissue}


def version_changes(facts):
    """The differences from the previous version of this period: a table, or a sentence when there is none."""
    changes = facts["version_changes"]
    meta = facts["version_changes_meta"].iloc[0]
    if pd.isna(meta["previous_version"]):
        return text("No earlier version of this period's report: nothing to compare.")
    if changes.empty:
        return text(f"No figure differs from version {int(meta['previous_version'])}.")
    return table(changes, caption=f"What differs from version {int(meta['previous_version'])} of this period's report")
