"""The executive summary's sentences, each quoting a fact through the same function its chapter uses."""
from __future__ import annotations

from lib.chapters import compliance as report
from lib.chapters import crime, not_supplied_text, ran, scorecard
from lib.chapters import peers as peers_view
from lib.chapters.programme import change_counts
from lib.config.schema import AnswerStandard, Params
from lib.present import NO_TARGET, fmt_percent, month_label, seconds_text
from lib.staffing import control_room_view, force_management_view, incident_response_view, response_rotas_view

NEEDS: tuple[str, ...] = ()
AFTER = ("measures", "scorecard", "compliance", "crime", "fcr", "irt", "force_management", "programme",
         "peers")


def headline(facts, params: Params) -> dict[str, str]:
    """Texts for the opening page, by key."""
    c = scorecard.counts(facts)
    period = facts["measure_period"].set_index("measure_id")

    def current(mid: str) -> str:
        unit = facts["catalogue"].set_index("measure_id").loc[mid, "unit"]
        row = period.loc[mid]
        return scorecard.current_text(row["value"], row["n"], unit, row["status"], row["provisional"])

    compliance = report.narrative(facts, params)
    answer = {r: params.calls.standard(r) for r in ("999", "101")}
    return {
        "force_name": params.force_name,
        "period_label": month_label(params.period),
        "met_sentence": scorecard.counts_sentence(c, params.period),
        "calls_sentence": f"Call answering: {not_supplied_text('fcr')}."
                          if period.loc["calls_999_answered_in_time", "status"] == "not supplied" else
                          f"999 calls answered within {seconds_text(answer['999'].seconds)}: "
                          f"{current('calls_999_answered_in_time')} against {_standard(answer['999'])}; non-999 calls "
                          f"answered within {seconds_text(answer['101'].seconds)}: "
                          f"{current('calls_101_answered_in_time')} against {_standard(answer['101'])}.",
        "staffing_sentence": _staffing(facts, params),
        "model_check_sentence": control_room_view.check_sentence(facts, params) if ran(facts, "fcr") else "",
        "response_sentence": _response(facts, params),
        "crime_sentence": _crime(facts, params),
        "future_sentence": _future(facts, params),
        "ppn_sentence": compliance["ppn_sentence"],
        "programme_sentence": _programme(facts),
    }


def _standard(standard: AnswerStandard) -> str:
    """'the national standard of 90%', or 'no target set'."""
    return NO_TARGET if standard.share is None else f"the {standard.source} of {fmt_percent(100 * standard.share, 0)}"


def _staffing(facts, params: Params) -> str:
    if not ran(facts, "fcr"):
        return f"Call-handler staffing: {not_supplied_text('fcr')}."
    return control_room_view.answer_sentence(facts, params)


def _response(facts, params: Params) -> str:
    if not ran(facts, "irt"):
        return f"Response establishment: {not_supplied_text('irt')}."
    return (f"{incident_response_view.verdict_sentence(facts, params)} "
            f"{response_rotas_view.options_sentence(facts, params)} "
            f"{incident_response_view.workforce_sentence(facts, params)}")


def _crime(facts, params: Params) -> str:
    if not ran(facts, "crime"):
        return f"Recorded crime: {not_supplied_text('crime')}."
    c = crime.narrative(facts, params)
    text = f"{c['which_month']} {c['crimes']} crimes were recorded; a positive outcome has been given to {c['solved']}."
    if "peers_key" in facts:
        text += " " + peers_view.narrative(facts, params)["peers_sentence"]
    return text


def _future(facts, params: Params) -> str:
    if not ran(facts, "force_management"):
        return f"Demand four years ahead: {not_supplied_text('force_management')}."
    return force_management_view.narrative(facts, params)["requirement_sentence"]


def _programme(facts) -> str:
    if not ran(facts, "programme"):
        return f"Programme tracking: {not_supplied_text('programme')}."
    items = facts["programme_items"]
    counts = items["status_at_end"].value_counts()
    changes = change_counts(facts["programme_changes"])
    return (f"{int(counts.get('complete', 0))} of {len(items)} programme items complete, "
            f"{int(counts.get('overdue', 0))} overdue; since the last period {changes['completed']} completed and "
            f"{changes['newly overdue']} became overdue.")
