"""The executive summary's sentences, each quoting a fact through the same function its chapter uses, and the facts
of page one, the board's decision sheet.

The decision sheet (facts ``decision_*``, computed last, from the facts before them; nothing is recomputed):

- ``decision_priorities``: each priority's status, from ``priority_summary`` (measures scored, met, off track);
- ``decision_matrix``: every measure judged against a target (the IMPACT scorecard's and the compliance
  chapter's) placed by its variation icon and its assurance icon — the Making Data Count summary matrix — from
  ``measure_period``'s reading;
- ``decision_off_track``: every measure off track with its owner, its owner's revised date (or "no commentary from
  <owner>", or "no revised date given" beside a commentary) and its trajectory, from ``exceptions_measures``;
- ``decision_changes``: what changed since last month — a measure's status changed (met / not met), a new signal
  (the month is unusual on its control chart and the month before was not), a programme item newly overdue or
  re-dated (``programme_changes``), and every red cause of concern (``programme_findings``);
- ``decision_asks``: the decisions asked of the board (params ``board.decisions``), or "none this month";
- ``decision_staffing``: where the staffing options with their cost and what each buys are (the facts
  ``fcr_options`` and ``irt_options``, shown by their chapters' own functions), and whether this build has them.
"""
from __future__ import annotations

import re

import pandas as pd

from lib.chapters import changes as changes_page
from lib.chapters import compliance as report
from lib.chapters import crime, not_supplied_text, ran, scorecard
from lib.chapters import exceptions as exceptions_page
from lib.chapters import fcr as control_room_chapter
from lib.chapters import force_management as four_years_chapter
from lib.chapters import irt as response_chapter
from lib.chapters import peers as peers_view
from lib.chapters.programme import change_counts, redated_text
from lib.config.schema import AnswerStandard, Params
from lib.present import NO_TARGET, counted, fmt_int, fmt_percent, fmt_value, month_label, plain, seconds_text
from lib.present.columns import Column, lay_out

NEEDS: tuple[str, ...] = ()
AFTER = ("measures", "scorecard", "compliance", "crime", "fcr", "irt", "force_management", "programme",
         "exceptions", "peers")

NONE_THIS_MONTH = "none this month"
# Making Data Count's rows (special cause: improvement / concern / neither; common cause), in the report's words
VARIATION_GROUPS = {"improvement_high": "unusual: improvement", "improvement_low": "unusual: improvement",
                    "concern_high": "unusual: concern", "concern_low": "unusual: concern",
                    "neutral_high": "unusual: neither better nor worse",
                    "neutral_low": "unusual: neither better nor worse", "common_cause": "ordinary variation",
                    "too_few": "too few months to judge"}
ASSURANCE_GROUPS = {"consistent_pass": "will consistently meet the target",
                    "consistent_fail": "will consistently miss the target",
                    "inconsistent": "hit and miss", "not_yet": "not yet: still changing"}
MEASURE_CHANGES = ("status changed", "new signal")
STAFFING_FACTS = (("fcr_options", "fcr", "Control room: re-roster, recruit or both, each costed with the cover it buys"),
                  ("irt_options", "irt", "Incident response: workable rotas and establishments, each costed with the "
                                         "officers it buys"))


def priorities(facts) -> pd.DataFrame:
    """``decision_priorities``: each priority's status, read from ``priority_summary``."""
    p = facts["priority_summary"]
    off = p["scored"] - p["met"]
    status = ["no measure scored" if n == 0 else "every scored measure met" if o == 0 else
              f"{o} of {n} scored measures off track" for n, o in zip(p["scored"], off)]
    return pd.DataFrame({"priority": p["priority"], "measures": p["measures"], "scored": p["scored"],
                         "met": p["met"], "off_track": off, "status": status})


def matrix(facts) -> pd.DataFrame:
    """``decision_matrix``: every measure judged against a target, by variation and assurance (module docstring)."""
    cat = facts["catalogue"].set_index("measure_id")
    period = facts["measure_period"]
    judged = period[period["status"].isin(["met", "not met"])]
    return pd.DataFrame({
        "measure_id": judged["measure_id"].to_numpy(),
        "short_name": [cat.loc[i, "short_name"] for i in judged["measure_id"]],
        "scorecard": [cat.loc[i, "priorities"] != "" for i in judged["measure_id"]],
        "status": judged["status"].to_numpy(),
        "variation": [VARIATION_GROUPS.get(v, "no data") for v in judged["variation"]],
        "assurance": [ASSURANCE_GROUPS.get(a, "no reading") if v != "too_few" else "no reading"
                      for a, v in zip(judged["assurance"], judged["variation"])],
    })


def off_track(facts) -> pd.DataFrame:
    """``decision_off_track``: each measure off track, its owner, the owner's revised date and the trajectory."""
    m = facts["exceptions_measures"]
    cat = facts["catalogue"].set_index("measure_id")
    return pd.DataFrame({
        "measure_id": m["measure_id"], "short_name": [cat.loc[i, "short_name"] for i in m["measure_id"]],
        "owner": m["owner_role"], "value": m["value"], "target": m["target"],
        "revised_date": [revised_date_text(d, c, o, exceptions_page.date_against_trend(d, mo, t)) for d, c, o, mo, t in
                         zip(m["revised_date"], m["commentary"], m["owner_role"], m["trajectory_month"], m["trajectory"])],
        "trajectory": [month if isinstance(month, str) and month else text
                       for month, text in zip(m["trajectory_month"], m["trajectory"])],
    })


def revised_date_text(date, commentary, owner, against_trend: str = "") -> str:
    """The owner's revised date, with what its trend says of it when the two disagree
    (:func:`lib.chapters.exceptions.date_against_trend`); or "no commentary from <owner>" when they said nothing
    this month; or "no revised date given" beside a commentary without one."""
    if isinstance(date, str) and date:
        return f"{date} ({against_trend})" if against_trend else date
    return "no revised date given" if isinstance(commentary, str) and commentary.strip() else \
        exceptions_page.no_commentary_from(owner)


def _new_signals(facts, params: Params) -> list[dict]:
    """Measures whose month is unusual on their control chart when the month before was not (or was not charted)."""
    spc = facts["measure_spc"]
    before = str(pd.Period(params.period, "M") - 1)
    now = spc[spc["month"] == params.period].set_index("measure_id")["point_type"]
    then = spc[spc["month"] == before].set_index("measure_id")["point_type"]
    names = facts["catalogue"].set_index("measure_id")["short_name"]
    return [{"kind": "new signal", "id": mid, "name": names[mid], "detail": kind.replace("special_cause_", "unusual: ")
             .replace("_", " ")} for mid, kind in now.items()
            if str(kind).startswith("special_cause") and not str(then.get(mid, "")).startswith("special_cause")]


def what_changed(facts, params: Params) -> pd.DataFrame:
    """``decision_changes``: what changed since last month (module docstring), one row each."""
    rows = []
    _, status = changes_page.measures(facts, params)
    names = facts["catalogue"].set_index("measure_id")["short_name"]
    for _, r in status[status["status_then"] != status["status_now"]].iterrows():
        rows.append({"kind": "status changed", "id": r["measure_id"], "name": names[r["measure_id"]],
                     "detail": f"{r['status_then']} → {r['status_now']}"})
    rows += _new_signals(facts, params)
    if "programme_changes" in facts:
        log = facts["programme_changes"]
        what = facts["programme_items"].set_index("item_id")["description"] if "programme_items" in facts else {}
        for _, r in log[log["change"].isin(["newly overdue", "re-dated"])].iterrows():
            rows.append({"kind": f"programme item {r['change']}", "id": r["item_id"],
                         "name": what.get(r["item_id"], r["type"]), "detail": r["detail"]})
    if "programme_findings" in facts:
        f = facts["programme_findings"]
        for _, r in f[f["decision_sheet"].astype(bool)].iterrows():
            rows.append({"kind": "red cause of concern", "id": r["item_id"], "name": r["cause"],
                         "detail": f"rated red: {counted(r['overdue'], 'item')} overdue; its items "
                                   f"{redated_text(r['times_redated'], r['redated_since'])}"})
    return pd.DataFrame(rows, columns=["kind", "id", "name", "detail"])


def asks(params: Params) -> pd.DataFrame:
    """``decision_asks``: the decisions asked of the board (params ``board.decisions``), or "none this month"."""
    return pd.DataFrame({"decision": list(params.board.decisions) or [NONE_THIS_MONTH]})


def staffing(facts) -> pd.DataFrame:
    """``decision_staffing``: where the costed staffing options are, and whether this build computed them."""
    return pd.DataFrame([{"fact": name, "chapter": chapter, "what": what, "held": name in facts}
                         for name, chapter, what in STAFFING_FACTS])


def matrix_display(facts) -> pd.DataFrame:
    """The summary matrix as shown: variation (rows) by assurance (columns), each cell the measures in it."""
    m = facts["decision_matrix"]
    rows = [v for v in dict.fromkeys(VARIATION_GROUPS.values()) if v in set(m["variation"])]
    cols = [a for a in [*dict.fromkeys(ASSURANCE_GROUPS.values()), "no reading"] if a in set(m["assurance"])]
    cells = m.groupby(["variation", "assurance"], sort=False)["short_name"].agg(lambda n: "; ".join(map(plain, n)))
    shown = pd.DataFrame([[cells.get((r, c), "") for c in cols] for r in rows], columns=cols)
    shown.insert(0, "variation", rows)
    return shown


def matrix_shown(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every measure judged against a target, one row each, grouped as the Making Data Count matrix groups them:
    by what its chart says of the latest month, then whether it will meet its target; the fact)."""
    m = facts["decision_matrix"]
    rows_order = {v: i for i, v in enumerate(dict.fromkeys(VARIATION_GROUPS.values()))}
    cols_order = {a: i for i, a in enumerate([*dict.fromkeys(ASSURANCE_GROUPS.values()), "no reading"])}
    order = sorted(range(len(m)), key=lambda i: (rows_order.get(m["variation"].iloc[i], 99),
                                                 cols_order.get(m["assurance"].iloc[i], 99)))
    m = m.iloc[order].reset_index(drop=True)
    return lay_out(m, [Column("latest month (variation)", "variation"), Column("the target (assurance)", "assurance"),
                       Column("measure", "short_name", plain), Column("this month", "status")]), m


def priorities_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each priority's status as shown, the fact)."""
    d = facts["decision_priorities"]
    return lay_out(d, [Column("priority", "priority"), Column("measures scored", "scored", fmt_int),
                       Column("meeting their target", "met", fmt_int), Column("status", "status")]), d


def off_track_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every measure off track as shown: owner, this month against the target, the owner's revised date and the
    month the target is met at the current trend, the fact)."""
    d = facts["decision_off_track"]
    united = d.join(facts["catalogue"].set_index("measure_id")["unit"], on="measure_id")
    return lay_out(united, [
        Column("measure", "short_name", plain), Column("owner", "owner", plain),
        Column("this month", ("value", "unit"), fmt_value), Column("target", ("target", "unit"), fmt_value),
        Column("revised date", "revised_date", plain),
        Column("meets its target at the current trend", "trajectory",
               lambda t: month_label(t) if re.fullmatch(r"\d{4}-\d{2}", str(t)) else plain(t))]), d


def changes_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(what changed since last month as shown, the fact)."""
    d = facts["decision_changes"]
    return lay_out(d, [Column("what", "kind"), Column("item", ("kind", "id", "name"), _changed_item),
                       Column("detail", "detail", plain)]), d


def _changed_item(kind: str, ident, name) -> str:
    """A measure by its name (its id is the catalogue's key, not the board's); a programme item by its reference
    too."""
    if kind in MEASURE_CHANGES and plain(name):
        return plain(name)
    return f"{plain(ident)}: {plain(name)}" if plain(name) else plain(ident)


def asks_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the decisions asked of the board, the fact)."""
    d = facts["decision_asks"]
    return lay_out(d, [Column("decision asked of the board", "decision", plain)]), d


def decision_texts(facts, params: Params) -> dict[str, str]:
    """The decision sheet's staffing lines, quoted from the staffing chapters: the control room's answer and the
    response rotas' options with their costs (the models' checks stay in those chapters)."""
    response = (f"Response establishment: {not_supplied_text('irt')}." if not ran(facts, "irt") else
                f"{response_chapter.options_sentence(facts, params)} "
                f"{response_chapter.workforce_sentence(facts, params)}")
    return {"decision_control_room": _staffing(facts, params), "decision_response": response,
            "no_commentary": exceptions_page.commented_sentence(facts) if "exceptions_measures" in facts else ""}


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The decision sheet's facts (module docstring)."""
    out = {"decision_priorities": priorities(earlier), "decision_matrix": matrix(earlier),
           "decision_changes": what_changed(earlier, params), "decision_asks": asks(params),
           "decision_staffing": staffing(earlier)}
    if "exceptions_measures" in earlier:
        out["decision_off_track"] = off_track(earlier)
    return out


def headline(facts, params: Params) -> dict[str, str]:
    """Texts for the opening page, by key."""
    c = scorecard.counts(facts)
    period = facts["measure_period"].set_index("measure_id")

    def current(mid: str) -> str:
        unit = facts["catalogue"].set_index("measure_id").loc[mid, "unit"]
        row = period.loc[mid]
        return scorecard.current_text(row["value"], row["n"], unit, row["status"], row["provisional"])

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
        "model_check_sentence": control_room_chapter.check_sentence(facts, params) if ran(facts, "fcr") else "",
        "response_sentence": _response(facts, params),
        "crime_sentence": _crime(facts, params),
        "future_sentence": _future(facts, params),
        "ppn_sentence": report.sentence(facts, "ppn_submitted_in_time", board=True),
        "programme_sentence": _programme(facts),
    }


def _standard(standard: AnswerStandard) -> str:
    """'the national standard of 90%', or 'no target set'."""
    return NO_TARGET if standard.share is None else f"the {standard.source} of {fmt_percent(100 * standard.share, 0)}"


def _staffing(facts, params: Params) -> str:
    if not ran(facts, "fcr"):
        return f"Call-handler staffing: {not_supplied_text('fcr')}."
    return control_room_chapter.answer_sentence(facts, params)


def _response(facts, params: Params) -> str:
    if not ran(facts, "irt"):
        return f"Response establishment: {not_supplied_text('irt')}."
    return (f"{response_chapter.verdict_sentence(facts, params)} "
            f"{response_chapter.options_sentence(facts, params)} "
            f"{response_chapter.workforce_sentence(facts, params)}")


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
    return four_years_chapter.narrative(facts, params)["requirement_sentence"]


def _programme(facts) -> str:
    if not ran(facts, "programme"):
        return f"Programme tracking: {not_supplied_text('programme')}."
    items = facts["programme_items"]
    counts = items["status_at_end"].value_counts()
    changes = change_counts(facts["programme_changes"])
    return (f"{int(counts.get('complete', 0))} of {len(items)} programme items complete, "
            f"{int(counts.get('overdue', 0))} overdue; since the last period {changes['completed']} completed and "
            f"{changes['newly overdue']} became overdue.")
