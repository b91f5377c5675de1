"""The executive summary's sentences, each computed by the functions behind the chapters."""
from __future__ import annotations

import pandas as pd

from lib.compliance.report import significance
from lib.config.params import Params
from lib.present import fmt_pct
from lib.programme.tracker import change_counts


def headline(table: pd.DataFrame, items: pd.DataFrame, log: pd.DataFrame, compliance: dict,
             staffing: dict[str, str], params: Params) -> dict[str, str]:
    """Texts for the opening page, by key."""
    unique = table.drop_duplicates("id")
    scored = unique[unique["score"].notna()]
    met = int((scored["score"] >= 1).sum())
    by_id = unique.set_index("id")
    counts = items["status_at_end"].value_counts()
    changes = change_counts(log)
    ppn = compliance["ppn_submitted_in_time"].set_index("month")
    now, base = ppn.loc[params.period], ppn.loc[params.compliance.baseline_month]
    return {
        "force_name": params.force_name,
        "period_label": params.period_end.strftime("%B %Y"),
        "met_sentence": f"{met} of {len(scored)} scored IMPACT measures met their desired level; "
                        f"{int(unique['to_be_developed'].sum())} measures are still to be developed.",
        "calls_sentence": f"999 calls answered within {params.calls.answer_999_target_seconds:g} seconds: "
                          f"{by_id.loc['calls_999_in_10s', 'current']} against the national standard of 90%; "
                          f"non-999 calls answered within {params.calls.answer_101_target_seconds / 60:g} minutes: "
                          f"{by_id.loc['calls_101_in_2min', 'current']}.",
        "staffing_sentence": f"The current call-handler pattern leaves {staffing['current_hours_under']} hours of the "
                             f"week under-covered ({staffing['current_short']} staff-hours short); a best-fit roster "
                             f"covers every hour with {staffing['fit_paid_hours']} paid hours a week "
                             f"(now {staffing['current_paid_hours']}).",
        "ppn_sentence": f"PPNs submitted in time: {fmt_pct(now['p'])} (baseline {fmt_pct(base['p'])}); the change "
                        + significance(int(now["x"]), int(now["n"]), int(base["x"]), int(base["n"])) + ".",
        "programme_sentence": f"{int(counts.get('complete', 0))} of {len(items)} programme items complete, "
                              f"{int(counts.get('overdue', 0))} overdue; since the last period "
                              f"{changes['completed']} completed and {changes['newly overdue']} became overdue.",
    }
