"""Programme tracking: status of the inspection's findings, milestones, and what changed.

Status of an item at the period end (rules in this order):

- **complete**: the tracker says complete;
- **overdue**: not complete and its due date is before the period end;
- **not started**: the tracker says not started (and it is not yet due);
- **on track**: in progress and not yet due.

A group (cause of concern, workstream) is rated **red** when the share of its open items that are
overdue reaches ``programme.rag_red_overdue_pct``, **amber** from ``rag_amber_overdue_pct``, else
**green**; a group whose items are all complete is **complete**. Changes are computed against the
previous period's tracker export: items completed, added, removed, re-dated, and newly overdue.

**Tied to the inspection** (:func:`findings`, :func:`recommendations`). Each cause of concern with the
inspection's own words for it, its success criteria, the catalogue's measures that evidence it (with each one's
status this period), its rating (the RAG above) and how often its items have been re-dated; each recommendation
with its text. The words come from the tracker's optional columns (``inspection_text``, ``success_criteria``,
``evidence_measures``): where the tracker does not carry them, the facts are blank and the page says "not
supplied" — a wording is never made up (the item's own description, "… recommendation 3", is not the
inspection's text). A red cause of concern is flagged for the decision sheet (``decision_sheet``).

**Times re-dated** (:func:`redating`): the number of consecutive tracker exports between which an item's due
date changed, over the exports held: ``inputs.programme_history`` (every earlier export's due dates) before
the period, then this period's tracker; without it, the previous export (``inputs.tracker_previous``) and this
one. ``redated_since`` names the first export counted, so "re-dated twice since July 2019" says what was read.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.errors import DataError
from lib.measures.derived import catalogue
from lib.measures.facts import catalogue_table
from lib.present import fmt_int, label
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import WIDTH, Chart

NEEDS = ("tracker",)
AFTER = ("measures",)
CAUSE_TYPES = ("cause of concern", "crime data integrity")
FINDING_COLUMNS = ["item_id", "cause", "inspection_text", "success_criteria", "evidence_measures", "evidence_status",
                   "rating", "recommendations", "complete", "overdue", "times_redated", "redated_since",
                   "decision_sheet"]
RECOMMENDATION_COLUMNS = ["item_id", "parent_id", "inspection_text", "owner_role", "due_date", "status_at_end",
                          "times_redated", "redated_since"]

STATUSES = ["complete", "on track", "not started", "overdue"]


def item_status(tracker: pd.DataFrame, period_end) -> pd.Series:
    """Status of each item at ``period_end`` (see the module docstring for the rules)."""
    end = pd.Timestamp(period_end)
    due = pd.to_datetime(tracker["due_date"])
    done = tracker["status"] == "complete"
    overdue = ~done & (due < end)
    out = pd.Series("on track", index=tracker.index)
    out[tracker["status"] == "not started"] = "not started"
    out[overdue] = "overdue"
    out[done] = "complete"
    return out


def with_status(tracker: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The tracker with ``status_at_end`` and ``group`` (the cause of concern, or the item's type)."""
    out = tracker.copy()
    for col in ("due_date", "completed_date"):
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out["status_at_end"] = item_status(out, params.period_end)
    causes = out.set_index("item_id")["description"]
    out["group"] = out["parent_id"].map(causes).fillna(
        out["description"].where(out["type"].isin(["cause of concern", "crime data integrity"]), out["type"]))
    return out


def rag(counts: pd.Series, params: Params) -> str:
    """RAG rating of a group from its status counts."""
    open_items = counts.drop(labels="complete", errors="ignore").sum()
    if open_items == 0:
        return "complete"
    share = 100 * counts.get("overdue", 0) / open_items
    if share >= params.programme.rag_red_overdue_pct:
        return "red"
    return "amber" if share >= params.programme.rag_amber_overdue_pct else "green"


def status_table(items: pd.DataFrame, by: str, params: Params) -> pd.DataFrame:
    """Counts of items per status for each value of ``by`` (e.g. 'workstream', 'group'), with RAG."""
    table = pd.crosstab(items[by], items["status_at_end"]).reindex(columns=STATUSES, fill_value=0)
    table["total"] = table.sum(axis=1)
    table["RAG"] = [rag(row[STATUSES], params) for _, row in table.iterrows()]
    return table.reset_index().rename(columns={by: by.replace("_", " ")}).sort_values(by.replace("_", " "))


def against_inspection(items: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Items of each type in the tracker against the number the inspection set, and how many are complete."""
    rows = []
    for kind, expected in params.programme.expected_counts.items():
        sub = items[items["type"] == kind]
        rows.append({"type": kind, "set by the inspection": expected, "in the tracker": len(sub),
                     "complete": int((sub["status_at_end"] == "complete").sum()),
                     "matches": "yes" if len(sub) == expected else "no: check the tracker"})
    return pd.DataFrame(rows)


def milestones(items: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Milestones in the update's three columns: complete, due in the next N months, due later."""
    m = items[items["milestone"].astype(bool)].copy()
    end = pd.Timestamp(params.period_end)
    soon = end + pd.DateOffset(months=params.programme.due_soon_months)
    due = pd.to_datetime(m["due_date"])
    m["column"] = "due later"
    m.loc[due <= soon, "column"] = f"due in the next {params.programme.due_soon_months} months"
    m.loc[m["status_at_end"] == "overdue", "column"] = "overdue"
    m.loc[m["status_at_end"] == "complete", "column"] = "complete"
    m["milestone"] = m["description"].str.replace(" (milestone)", "", regex=False)
    cols = ["milestone", "workstream", "owner_role", "due_date", "column"]
    return m[cols].sort_values(["due_date", "milestone"]).reset_index(drop=True)


def overdue(items: pd.DataFrame) -> pd.DataFrame:
    """Overdue items, oldest due date first, with the owner's role (never a name)."""
    o = items[items["status_at_end"] == "overdue"]
    cols = ["item_id", "type", "workstream", "owner_role", "due_date", "description"]
    return o[cols].sort_values(["due_date", "item_id"]).reset_index(drop=True)


def changes(current: pd.DataFrame, previous: pd.DataFrame | None, params: Params) -> pd.DataFrame:
    """What changed since the previous period's export: one row per item and kind of change.

    ``current`` comes from :func:`with_status`; ``previous`` is the previous raw export (None in
    the first period: no changes can be computed).
    """
    cols = ["change", "item_id", "type", "workstream", "owner_role", "detail"]
    if previous is None:
        return pd.DataFrame(columns=cols)
    cur = current.set_index("item_id")
    prev = with_status(previous, params).set_index("item_id")
    prev_end = pd.Timestamp(params.period_start) - pd.Timedelta(days=1)
    prev_status = item_status(prev.reset_index(), prev_end).set_axis(prev.index)
    rows = []

    def add(kind: str, item: str, frame: pd.DataFrame, detail: str) -> None:
        r = frame.loc[item]
        rows.append({"change": kind, "item_id": item, "type": r["type"], "workstream": r["workstream"],
                     "owner_role": r["owner_role"], "detail": detail})

    for item in sorted(cur.index.difference(prev.index)):
        add("added", item, cur, f"due {cur.loc[item, 'due_date']}")
    for item in sorted(prev.index.difference(cur.index)):
        add("removed", item, prev, f"was due {prev.loc[item, 'due_date']}")
    both = sorted(cur.index.intersection(prev.index))
    for item in both:
        if cur.loc[item, "status"] == "complete" and prev.loc[item, "status"] != "complete":
            add("completed", item, cur, f"completed {cur.loc[item, 'completed_date']}")
    for item in both:
        if cur.loc[item, "due_date"] != prev.loc[item, "due_date"]:
            add("re-dated", item, cur, f"due {prev.loc[item, 'due_date']} → {cur.loc[item, 'due_date']}")
    now_status = current.set_index("item_id")["status_at_end"]
    for item in both:
        if now_status[item] == "overdue" and prev_status[item] != "overdue":
            add("newly overdue", item, cur, f"due {cur.loc[item, 'due_date']}")
    order = {"completed": 0, "added": 1, "re-dated": 2, "newly overdue": 3, "removed": 4}
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["change", "item_id"], key=lambda s: s.map(order) if s.name == "change" else s,
                           kind="stable").reset_index(drop=True)


def change_counts(log: pd.DataFrame) -> dict[str, int]:
    """How many items of each kind of change, zeros included."""
    kinds = ["completed", "added", "re-dated", "newly overdue", "removed"]
    return {k: int((log["change"] == k).sum()) for k in kinds}


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d")


def snapshots(loaded: dict, params: Params) -> pd.DataFrame:
    """The due date each tracker export held gave each item: item_id, snapshot (YYYY-MM), due_date (module
    docstring, "Times re-dated"), the period's tracker last."""
    now = loaded["tracker"].frame[["item_id", "due_date"]].assign(snapshot=params.period)
    if "programme_history" in loaded:
        history = loaded["programme_history"]
        earlier = history.frame[history.frame["snapshot"] < params.period]  # one row per item and export: its contract
    elif "tracker_previous" in loaded:
        before = str(pd.Period(params.period, "M") - 1)
        earlier = loaded["tracker_previous"].frame[["item_id", "due_date"]].assign(snapshot=before)
    else:
        earlier = now.iloc[:0]
    out = pd.concat([earlier[["item_id", "snapshot", "due_date"]], now[["item_id", "snapshot", "due_date"]]],
                    ignore_index=True)
    out["due_date"] = _dates(out["due_date"])
    return out.sort_values(["item_id", "snapshot"], kind="stable").reset_index(drop=True)


def redating(history: pd.DataFrame) -> pd.DataFrame:
    """Per item: ``times_redated`` (exports after which its due date changed), ``redated_since`` (the first export
    read), ``first_due`` and ``current_due``, from :func:`snapshots`."""
    moved = history.groupby("item_id", sort=True)["due_date"].transform(lambda d: d.ne(d.shift()) & d.shift().notna())
    grouped = history.assign(moved=moved).groupby("item_id", sort=True)
    return pd.DataFrame({"times_redated": grouped["moved"].sum().astype(int),
                         "redated_since": grouped["snapshot"].min(),
                         "first_due": grouped["due_date"].first(), "current_due": grouped["due_date"].last()}
                        ).reset_index()


def _evidence(items: pd.DataFrame, earlier, where: str) -> pd.Series:
    """Each cause's evidencing measures as ids joined by "; ", checked against the catalogue."""
    ids = list(earlier["catalogue"]["measure_id"])
    split = items["evidence_measures"].map(lambda v: [] if pd.isna(v) else [x.strip() for x in str(v).split(";")
                                                                            if x.strip()])
    unknown = sorted({x for xs in split for x in xs} - set(ids))
    if unknown:
        raise DataError(f"inputs.tracker ({where}): column 'evidence_measures': {', '.join(map(repr, unknown))} "
                        f"{'is not a measure' if len(unknown) == 1 else 'are not measures'} of the catalogue "
                        f"(ids: {', '.join(ids)})")
    return split


def findings(items: pd.DataFrame, by_group: pd.DataFrame, redated: pd.DataFrame, earlier, where: str) -> pd.DataFrame:
    """Each cause of concern tied to the inspection (module docstring): one row per cause, in item order."""
    causes = items[items["type"].isin(CAUSE_TYPES)].copy()
    evidence = _evidence(causes, earlier, where)
    period = earlier["measure_period"].set_index("measure_id")["status"] if "measure_period" in earlier else {}
    names = earlier["catalogue"].set_index("measure_id")["short_name"]
    rating = by_group.set_index("group")["RAG"]
    times = redated.set_index("item_id")
    rows = []
    for (_, c), measures in zip(causes.iterrows(), evidence):
        family = items[(items["item_id"] == c["item_id"]) | (items["parent_id"] == c["item_id"])]
        recs = family[family["item_id"] != c["item_id"]]
        rows.append({
            "item_id": c["item_id"], "cause": c["description"], "inspection_text": c["inspection_text"],
            "success_criteria": c["success_criteria"], "evidence_measures": "; ".join(measures) or None,
            "evidence_status": "; ".join(f"{names[m]}: {period.get(m, 'not computed')}" for m in measures) or None,
            "rating": rating.get(c["group"]), "recommendations": len(recs),
            "complete": int((recs["status_at_end"] == "complete").sum()),
            "overdue": int((family["status_at_end"] == "overdue").sum()),
            "times_redated": int(times.loc[family["item_id"], "times_redated"].sum()),
            "redated_since": times.loc[family["item_id"], "redated_since"].min(),
        })
    out = pd.DataFrame(rows, columns=FINDING_COLUMNS[:-1])
    out["decision_sheet"] = out["rating"] == "red"
    for col in ("inspection_text", "success_criteria", "evidence_measures", "evidence_status"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def recommendations(items: pd.DataFrame, redated: pd.DataFrame) -> pd.DataFrame:
    """Every recommendation with the inspection's text (blank where the tracker does not carry it), its status
    and how often it has been re-dated."""
    recs = items[items["type"] == "recommendation"].merge(redated, on="item_id", how="left")
    recs["inspection_text"] = recs["inspection_text"].astype(object).where(recs["inspection_text"].notna(), None)
    return recs[RECOMMENDATION_COLUMNS].reset_index(drop=True)


def compute(loaded: dict, params: Params, earlier=None) -> dict[str, pd.DataFrame]:
    """The programme's facts: items with their status, status by group and workstream, milestones,
    overdue items, changes since the previous export, the counts against the inspection, and the causes of concern
    and recommendations tied to the inspection (with the measures' facts in ``earlier``, when computed)."""
    if earlier is None or "catalogue" not in earlier:  # run on its own: the evidence is still checked against the
        earlier = {"catalogue": catalogue_table(catalogue(params.catalogue_path()))}  # catalogue (never listed: reuse)
    items = with_status(loaded["tracker"].frame, params)
    previous = loaded["tracker_previous"].frame if "tracker_previous" in loaded else None
    by_group = status_table(items, "group", params)
    redated = redating(snapshots(loaded, params))
    where = public_path(loaded["tracker"].path)
    return {
        "programme_findings": findings(items, by_group, redated, earlier, where),
        "programme_recommendations": recommendations(items, redated),
        "programme_redating": redated,
        "programme_items": items,
        "programme_by_group": by_group,
        "programme_by_workstream": status_table(items, "workstream", params),
        "programme_inspection": against_inspection(items, params),
        "programme_milestones": milestones(items, params),
        "programme_overdue": overdue(items),
        "programme_changes": changes(items, previous, params),
        "programme_previous": pd.DataFrame({"has_previous": [previous is not None]}),
    }


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(loaded, params, earlier)


def narrative(facts, params: Params) -> dict[str, str]:
    """The texts glued into the chapter's prose, by key."""
    from lib.present import fmt_int, fmt_number, month_label

    items, log, board = facts["programme_items"], facts["programme_changes"], facts["programme_milestones"]
    counts = items["status_at_end"].value_counts()
    if not bool(facts["programme_previous"]["has_previous"].iloc[0]):
        change = "This is the first period, so no changes since a previous export can be shown."
    else:
        c = change_counts(log)
        change = (f"Since the previous export, {c['completed']} item(s) were completed, {c['added']} added, "
                  f"{c['re-dated']} re-dated and {c['newly overdue']} became overdue.")
    return {
        "period_label": month_label(params.period),
        "items_total": fmt_int(len(items)),
        "items_complete": fmt_int(counts.get("complete", 0)),
        "items_overdue": fmt_int(counts.get("overdue", 0)),
        "change_sentence": change,
        "rag_red": f"{fmt_number(params.programme.rag_red_overdue_pct, 0)}%",
        "rag_amber": f"{fmt_number(params.programme.rag_amber_overdue_pct, 0)}%",
        "milestones_complete": fmt_int((board["column"] == "complete").sum()),
        "milestones_total": fmt_int(len(board)),
    }


# --- Presenting the facts ----------------------------------------------------------------------------
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


def _words(value) -> str:
    """Text from the tracker as shown, or "not supplied" where the tracker does not carry it."""
    from lib.present import NOT_SUPPLIED, missing, plain

    return NOT_SUPPLIED if missing(value) else plain(value)


def redated_text(times, since) -> str:
    """'re-dated twice since Jul 2019', 'not re-dated since Jul 2019'."""
    from lib.present import month_label

    n = int(times)
    how = {0: "not re-dated", 1: "re-dated once", 2: "re-dated twice"}.get(n, f"re-dated {n} times")
    return f"{how} since {month_label(since)}"


REDATED = Column("re-dated", ("times_redated", "redated_since"), redated_text)
FINDINGS = (Column("cause of concern", "cause", _words), Column("the inspection's words", "inspection_text", _words),
            Column("success criteria", "success_criteria", _words),
            Column("evidenced by (status this month)", "evidence_status", _words), Column("rating", "rating"),
            Column("recommendations complete", ("complete", "recommendations"), lambda c, n: f"{c} of {n}"),
            Column("overdue", "overdue", fmt_int), REDATED)
RECOMMENDATIONS = (Column("recommendation", "item_id", _words), Column("the inspection's text", "inspection_text", _words),
                   Column("owner (role)", "owner_role", _words), Column("due", "due_date"),
                   Column("status", "status_at_end"), REDATED)


def findings_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the causes of concern tied to the inspection as shown, the fact)."""
    f = facts["programme_findings"]
    return lay_out(f, FINDINGS), f


def findings_summary_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each cause of concern's rating and progress, the fact)."""
    shown, f = findings_display(facts)
    return shown[["cause of concern", "rating", "recommendations complete", "overdue", "re-dated"]], f


def findings_words_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(each cause of concern in the inspection's words, its success criteria and evidencing measures, the fact)."""
    shown, f = findings_display(facts)
    return shown[["cause of concern", "the inspection's words", "success criteria", "evidenced by (status this month)"]], f


def recommendations_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every recommendation with the inspection's text as shown, the fact)."""
    r = facts["programme_recommendations"]
    return lay_out(r, RECOMMENDATIONS), r


def changes_output(facts):
    """The changes since the previous tracker export: a table, or a sentence saying why there is none."""
    from lib.present import table, text

    log = facts["programme_changes"]
    if len(log):
        return table((_shown(log), log), caption="Changes since the previous tracker export")
    if bool(facts["programme_previous"]["has_previous"].iloc[0]):
        return text("No changes: nothing moved since the previous export.")
    return text("No changes: this is the first period, so there is no previous export to compare with.")


# --- Figures -----------------------------------------------------------------------------------------
STATUS_COLOURS = {"complete": "#009E73", "on track": "#0072B2", "not started": "#999999", "overdue": "#D55E00"}
COLUMN_COLOURS = {"complete": "#009E73", "overdue": "#D55E00", "due later": "#D9D9D9"}
TEXT_ON = {"#D9D9D9": "black"}


def milestone_board(board: pd.DataFrame, due_soon_label: str) -> Chart:
    """The update's key-milestones chart: milestones in columns by status, boxes coloured by column."""
    columns = ["complete", "overdue", due_soon_label, "due later"]
    colours = {**COLUMN_COLOURS, due_soon_label: "#0072B2"}
    b = board[board["column"].isin(columns)].copy()
    b["row"] = b.groupby("column", sort=False).cumcount()
    counts = b["column"].value_counts()
    heads = {c: f"{c} ({int(counts.get(c, 0))})" for c in columns}
    b["head"] = b["column"].map(heads)
    b["text"] = b["milestone"].map(lambda v: label(v, 22, lines=3))
    b["due_text"] = b["due_date"].astype(str)
    b["ink"] = b["column"].map(lambda c: TEXT_ON.get(colours[c], "white"))
    b["col_no"] = b["column"].map({c: i for i, c in enumerate(columns)})
    b = b.sort_values(["col_no", "row"])
    tallest = max([1] + [int(counts.get(c, 0)) for c in columns])
    order = [heads[c] for c in columns]
    x = alt.X("head:N", sort=order, title=None, scale=alt.Scale(domain=order, paddingInner=0.06),
              axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold", labelFontSize=11, ticks=False,
                            domain=False, grid=False))
    y = alt.Y("row:O", title=None, axis=None, scale=alt.Scale(domain=list(range(tallest)), paddingInner=0.12))
    tooltip = [layers.tip("milestone", "milestone"), layers.tip("workstream", "workstream"),
               layers.tip("owner_role", "owner"), layers.tip("due_text", "due"), layers.tip("column", "status")]
    base = alt.Chart(layers.rounded(b)).encode(x=x, y=y, tooltip=tooltip)
    chart = alt.layer(
        base.mark_rect(opacity=0.9).encode(color=alt.Color("column:N", scale=alt.Scale(
            domain=columns, range=[colours[c] for c in columns]), legend=None)),
        base.mark_text(fontSize=10, lineBreak="\n").encode(text="text:N", color=alt.Color("ink:N", scale=None)),
    ).properties(width=WIDTH - 20, height=44 * tallest)
    data = b[["column", "milestone", "workstream", "owner_role", "due_date"]]
    return Chart.of(chart, data=data)


def due_dates(items: pd.DataFrame, period_end) -> Chart:
    """Each open or completed item's due date by workstream, coloured by status, with the period end."""
    f = items[items["status_at_end"].isin(list(STATUS_COLOURS))].copy()
    f["due_date"] = f["due_date"].astype(str)
    f["workstream_label"] = f["workstream"].map(lambda w: label(w, 32))
    f["lane"] = f.groupby("workstream").cumcount() % 5 - 2  # spread items due close together
    f["due_text"] = pd.to_datetime(f["due_date"]).dt.strftime("%-d %b %Y")
    f["text"] = f["description"].map(lambda v: label(v, 80))
    f = f.sort_values(["workstream", "due_date", "item_id"])
    streams = sorted(set(f["workstream_label"]))
    statuses = [s for s in STATUS_COLOURS if s in set(f["status_at_end"])] or list(STATUS_COLOURS)
    x = alt.X("due_date:T", title="due date", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%b %Y", formatType="utc"))
    y = alt.Y("workstream_label:N", sort=streams, title=None, axis=alt.Axis(labelLimit=220))
    dots = alt.Chart(layers.rounded(f)).mark_point(filled=True, size=40, opacity=0.9).encode(
        x=x, y=y, yOffset=alt.YOffset("lane:O", scale=alt.Scale(domain=[-2, -1, 0, 1, 2])),
        color=alt.Color("status_at_end:N", title=None, sort=statuses,
                        scale=alt.Scale(domain=statuses, range=[STATUS_COLOURS[s] for s in statuses]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[layers.tip("item_id", "item"), layers.tip("text", "what"), layers.tip("workstream", "workstream"),
                 layers.tip("due_text", "due"), layers.tip("status_at_end", "status")])
    end = pd.DataFrame({"date": [str(pd.Timestamp(period_end).date())], "text": ["period end"]})
    rule = alt.Chart(end).encode(x="date:T", tooltip=[layers.tip("text", "line")])
    chart = alt.layer(dots, rule.mark_rule(strokeDash=[5, 3], color="black"),
                      rule.mark_text(align="left", dx=3, y=-6, fontSize=10).encode(text="text:N")
                      ).properties(width=WIDTH - 260, height=32 * len(streams))
    data = f[["item_id", "workstream", "due_date", "status_at_end"]]
    return Chart.of(chart, data=data)
