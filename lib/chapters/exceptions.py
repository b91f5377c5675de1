"""The exception report: every measure not meeting its target (the IMPACT scorecard's and the compliance-only ones:
a target missed is an exception wherever it is reported) and every overdue programme item, each with its owner,
commentary, recovery action and revised date.

Measures: the period's rows of ``measure_period`` with status "not met", each with its owner (the
catalogue's ``owner``: the one place a measure's owner is named) and the commentary file's note
(``inputs.commentary``, keyed by measure and month; its ``owner_role`` says who wrote it and is not shown as
the owner). Items: the overdue rows of the programme tracker, with the tracker's optional ``commentary``,
``recovery_action`` and ``revised_date`` columns. Where the inputs give none, the report says "no commentary
supplied" for an item, and "no commentary from <owner>" for a measure — never a blank that could be read as
"nothing to say".

Each measure off track also carries its **trajectory** (the month it meets its target at the current trend, or
"never at the current trend", or "not within 24 months": :func:`lib.stats.trajectory.trajectory`, a least-squares
line over the current control-chart phase's judged months, carried at most 24 months ahead) and **whether the
latest month moved the number** (:func:`lib.stats.trajectory.movement`: this month's change from the previous month against the
moving-range limit of the current phase, 3.267 × its mean moving range), beside the recovery action the owner
gave for the previous month (``last_action``), so "did last month's action move the number?" has both halves.
"""
from __future__ import annotations

import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.inputs.loading import Loaded
from lib.present import agree, counted, fmt_int, fmt_number, fmt_value, missing, month_label, needs, not_supplied, plain, table
from lib.present.columns import ROW, Column, lay_out
from lib.stats import trajectory as trend

NEEDS: tuple[str, ...] = ()
AFTER = ("measures", "scorecard", "programme")

NO_COMMENTARY = "no commentary supplied"
TRAJECTORY = "meets target at the current trend"
READING_COLUMNS = ["variation", "assurance", "changing", "months_judged", "phase_start", "phase_cause", "phase_points",
                   "provisional_limits", "provisional"]
TRAJECTORY_COLUMNS = ["trajectory", "trajectory_month", "trend_slope", "trend_months", "trend_from", "previous_value",
                      "change", "ordinary_change", "moved", "last_action"]
MEASURE_COLUMNS = ["measure_id", "scored", "value", "target", *READING_COLUMNS, "owner_role", "commentary",
                   "recovery_action", "revised_date", *TRAJECTORY_COLUMNS]
ITEM_COLUMNS = ["item_id", "type", "workstream", "owner_role", "due_date", "days_overdue", "description", "commentary",
                "recovery_action", "revised_date"]


def _commentary(loaded: dict[str, Loaded], params: Params, ids: list[str], month: str | None = None) -> pd.DataFrame:
    """The commentary file's rows for the period (or ``month``), checked against the catalogue."""
    if "commentary" not in loaded:
        return pd.DataFrame(columns=["measure_id", "commentary", "recovery_action", "revised_date"])
    c = loaded["commentary"]
    frame = c.frame
    unknown = sorted(set(frame["measure_id"]) - set(ids))
    if unknown:
        raise DataError(f"inputs.commentary ({public_path(c.path)}): column 'measure_id': {', '.join(map(repr, unknown))} "
                        f"{'is not a measure' if len(unknown) == 1 else 'are not measures'} of "
                        f"{public_path(params.catalogue_path())} (ids: {', '.join(ids)})")
    # one row per measure and month: the commentary's contract (lib.inputs.contracts.COMMENTARY, its key)
    out = frame[frame["month"] == (month or params.period)].copy()
    out["revised_date"] = pd.to_datetime(out["revised_date"]).dt.strftime("%Y-%m-%d")
    return out.drop(columns=["month", "owner_role"], errors="ignore")


def measures(facts, loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Every measure not meeting its target this period (``scored``: in the IMPACT scorecard), with its owner
    (``owner_role``, from the catalogue) and the owner's commentary (or none)."""
    period = facts["measure_period"]
    ids = list(facts["catalogue"]["measure_id"])
    notes = _commentary(loaded, params, ids)
    scored = set(facts["catalogue"].loc[facts["catalogue"]["priorities"].fillna("") != "", "measure_id"])
    missed = period[period["status"] == "not met"]
    missed = missed[["measure_id", "value", "target", *READING_COLUMNS]].assign(
        scored=lambda f: f["measure_id"].isin(scored))
    out = missed.merge(notes, on="measure_id", how="left")
    out["owner_role"] = out["measure_id"].map(facts["catalogue"].set_index("measure_id")["owner"])
    before = _commentary(loaded, params, ids, str(pd.Period(params.period, "M") - 1)).set_index("measure_id")
    trends = pd.DataFrame([_trend(facts, mid, params) for mid in out["measure_id"]], columns=TRAJECTORY_COLUMNS[:-1])
    out = pd.concat([out.reset_index(drop=True), trends], axis=1)
    out["last_action"] = out["measure_id"].map(before["recovery_action"]) if len(before) else None
    for col in ("owner_role", "commentary", "recovery_action", "revised_date", "trajectory_month", "trend_from",
                "last_action"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[MEASURE_COLUMNS].reset_index(drop=True)


def _trend(facts, mid: str, params: Params) -> dict:
    """A measure's trajectory and the latest month's movement (module docstring), from its control chart."""
    cat = facts["catalogue"].set_index("measure_id").loc[mid]
    row = facts["measure_period"].set_index("measure_id").loc[mid]
    chart = facts["measure_spc"]
    chart = chart[(chart["measure_id"] == mid) & (chart["month"] <= params.period)]
    judged = chart[~chart["point_type"].isin(["provisional", "not_judged"])]
    phase = judged[judged["group"] == judged["group"].iloc[-1]] if len(judged) else judged
    t = trend.trajectory(phase["month"], phase["value"], float(row["target"]), cat["direction"], params.period)
    last = phase.iloc[-1] if len(phase) else None
    move = trend.movement(row["value"], row["previous"], None if last is None else last["upl"],
                          None if last is None else last["mean"], cat["direction"])
    if bool(row.get("provisional", False)):  # drawn, not judged: its move is not read either
        move = {**move, "ordinary": float("nan"), "moved": PROVISIONAL_MOVE}
    return {"trajectory": t.text, "trajectory_month": t.month, "trend_slope": t.slope, "trend_months": t.points,
            "trend_from": t.first, "previous_value": row["previous"], "change": move["change"],
            "ordinary_change": move["ordinary"], "moved": move["moved"]}


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
    """An item's commentary as shown, or "no commentary supplied"."""
    return NO_COMMENTARY if missing(value) else plain(value)


def no_commentary_from(owner) -> str:
    """What a measure off track without commentary shows: "no commentary from Head of Crime"."""
    return f"no commentary from {plain(owner)}"


def _measure_note(value, owner) -> str:
    """A measure's commentary as shown, or "no commentary from <owner>"."""
    return no_commentary_from(owner) if missing(value) else plain(value)


def _follow_up(value, commentary) -> str:
    """A recovery action or revised date beside a commentary ('' where there is no commentary at all)."""

    return "" if missing(commentary) else ("none given" if missing(value) else plain(value))


def date_against_trend(revised_date, trajectory_month, trajectory_text) -> str:
    """Whether the owner's revised date agrees with the measure's own trend: '' when it does (or when there is no
    date, or too few months for a trend); else why not, e.g. 'the current trend reaches the target in June 2021'.
    A date the trend does not support is said beside it, never left to contradict the row in silence."""
    if missing(revised_date) or trajectory_text == trend.TOO_FEW:
        return ""
    if missing(trajectory_month):
        return "the current trend does not reach the target by then"
    if str(trajectory_month) > str(revised_date)[:7]:
        return f"the current trend reaches the target only in {month_label(trajectory_month)}"
    return ""


def _dated(value, commentary, check: str) -> str:
    """A revised date as shown, with what the trend says of it."""
    shown = _follow_up(value, commentary)
    return f"{shown} ({check})" if check and shown and not missing(value) else shown


def measures_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the measures not met as shown, their numbers)."""
    from lib.present.readings import short_reading

    m = facts["exceptions_measures"]
    named = m.join(facts["catalogue"].set_index("measure_id")[["short_name", "unit"]], on="measure_id")
    return lay_out(named, [
        Column("measure", "short_name"), Column("this month", ("value", "unit"), fmt_value),
        Column("target", ("target", "unit"), fmt_value), Column("control chart", ROW, short_reading),
        Column("owner", "owner_role", plain), Column("commentary", ("commentary", "owner_role"), _measure_note),
        Column("recovery action", ("recovery_action", "commentary"), _follow_up),
        Column("revised date", ("revised_date", "commentary", "trajectory_month", "trajectory"),
               lambda v, c, month, trend: _dated(v, c, date_against_trend(v, month, trend))),
        Column(TRAJECTORY, ROW, trajectory_text),
        Column("last month's action", "last_action", lambda v: "none given" if missing(v) else plain(v)),
        Column("did this month move?", "moved", plain)]), m




def trajectory_text(row) -> str:
    """'March 2020', or why there is no month ('never at the current trend...', 'not within 24 months at the current
    trend', 'too few months in the current phase')."""
    return row["trajectory"] if missing(row["trajectory_month"]) else month_label(row["trajectory_month"])


def items_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the overdue items as shown, their fields)."""

    o = facts["exceptions_items"]
    return lay_out(o, [Column("item", "item_id", plain), Column("what", "description", plain),
                     Column("owner", "owner_role", plain), Column("due", "due_date"),
                     Column("days overdue", "days_overdue", fmt_int), Column("commentary", "commentary", _note),
                     Column("recovery action", ("recovery_action", "commentary"), _follow_up),
                     Column("revised date", ("revised_date", "commentary"), _follow_up)]), o


# lib.stats.trajectory.movement's answer, as a sentence under "change from last month"
PROVISIONAL_MOVE = "not judged: the month is provisional"
MOVED_WORDS = {"moved: better": "beyond ordinary month-to-month variation, for the better",
               "moved: worse": "beyond ordinary month-to-month variation, for the worse",
               "not beyond ordinary variation": "within ordinary month-to-month variation"}
PAGE_CHART_HEIGHT = 150  # pixels: a measure's page holds its chart and its owner's words; two pages to a sheet


def measure_pages(facts):
    """A page for each measure off track: where it stands against its target, its owner, its control chart (icons and
    target line), when it meets the target at the current trend, the owner's commentary, action and revised date,
    last month's action and whether this month moved."""
    from lib.present import Block, Blocks
    from lib.present.charts import control_chart
    from lib.present.charts.spc import describe

    shown, m = measures_display(facts)
    cat = facts["catalogue"].set_index("measure_id")
    pages = []
    for (_, s), (_, row) in zip(shown.iterrows(), m.iterrows()):
        name, reading = plain(cat.loc[row["measure_id"], "name"]), describe(row)
        chart = control_chart.measure_chart(facts, row["measure_id"], height=PAGE_CHART_HEIGHT, named=False)
        pages.append(Block(
            title=s["measure"],
            lead=[("measure", name), ("this month", f"{s['this month']} against a target of {s['target']}"),
                  ("owner", s["owner"])],
            lines=[("control chart", reading), ("meets its target at the current trend", s[TRAJECTORY]),
                   ("commentary", s["commentary"]), ("recovery action", s["recovery action"]),
                   ("revised date", s["revised date"]), ("last month's action", s["last month's action"]),
                   ("change from last month", MOVED_WORDS.get(row["moved"], plain(row["moved"])))],
            chart=chart,
            alt=f"Control chart of {name}, month by month, with the target: {reading}.",
            no_chart=f"No chart: {control_chart.no_chart_reason(facts, row['measure_id'])}."))
    return Blocks(pages, "exception-page", empty="No measure with a target and this month's data missed it.")


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
             "measures_sentence": (f"No measure with a target and this month's data missed it in "
                                   f"{month_label(params.period)}." if not len(m) else
                                   f"{counted(len(m), 'measure')} did not meet {agree(len(m), 'its', 'their')} target in "
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


def commented_sentence(facts) -> str:
    """How many measures off track have their owner's commentary, pointing at the rows that say who gave none ('' when
    none is off track)."""
    m = facts["exceptions_measures"]
    if not len(m):
        return ""
    silent = int(m["commentary"].map(missing).sum())
    if not silent:
        return "Every measure off track has its owner's commentary."
    return (f"Owners commented on {fmt_int(len(m) - silent)} of the {fmt_int(len(m))} measures off track; the other "
            f"{fmt_int(silent)} read \"no commentary from\" their owner below.")


def items_table(facts):
    """The overdue items' table (nothing without a tracker)."""

    return table(items_display(facts), caption="Programme items overdue at the end of the period") \
        if "exceptions_items" in facts else None
