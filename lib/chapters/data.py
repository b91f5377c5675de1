"""The period in data: what each input holds, how complete it is, and which rows were set aside."""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.config.paths import public_path
from lib.config.schema import Params
from lib.inputs.contracts import CONTRACTS
from lib.inputs.loading import DEFECT_COLUMNS, Loaded, time_range
from lib.inputs.months import month_of
from lib.present import counted, fmt_int, fmt_percent, month_label, month_range_label, table, text
from lib.present.charts import layers
from lib.present.columns import Column, lay_out
from lib.present.vega import WIDTH, Chart

NEEDS: tuple[str, ...] = ()
AFTER: tuple[str, ...] = ()


def _contract(loaded: Loaded):
    return CONTRACTS["tracker" if loaded.name.startswith("tracker") else loaded.name]


def summary(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """One row per source: files, rows read, used, outside the window, set aside, the months it covers,
    the force fields it does not carry, and how its files were read."""
    rows = []
    for name, item in loaded.items():
        first, last = time_range(item)
        files = [public_path(f) for f in item.files]
        rows.append({
            "source": name,
            "file": files[0] if len(files) == 1 else f"{len(files)} files ({files[0]} …)",
            "files": len(files),
            "rows read": item.rows_read,
            "rows used": len(item.frame),
            "outside window": item.rows_outside_window,
            "set aside (defects)": item.rows_defective,
            "first": first,
            "last": last,
            "months covered": f"{item.coverage[0]} to {item.coverage[-1]} ({len(item.coverage)})" if item.coverage else "",
            "not supplied": ", ".join(item.absent),
            "read as": "; ".join(n.split(": ", 1)[1] for n in item.notes),
        })
    return pd.DataFrame(rows)


def completeness(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """Columns of the used rows that have blanks: share filled, and whether blanks are allowed."""
    rows = []
    for name, item in loaded.items():
        n = len(item.frame)
        for col in _contract(item).columns:
            filled = int(item.frame[col.name].notna().sum()) if n else 0
            if n and filled < n:
                rows.append({"source": name, "column": col.name, "filled %": 100 * filled / n,
                             "blank allowed": col.nullable})
    return pd.DataFrame(rows, columns=["source", "column", "filled %", "blank allowed"])


def defects(loaded: dict[str, Loaded]) -> pd.DataFrame:
    """Every row-level defect found, per file, column and rule, with example row numbers and the class of the
    offending values (never the values: :func:`lib.inputs.loading.problem_class`)."""
    frames = [item.defects for item in loaded.values() if len(item.defects)]
    if not frames:
        return pd.DataFrame(columns=DEFECT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def monthly_rows(loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Rows used per month (columns) and source (rows), for the dated sources; a month the source does not
    cover (no file for it) is blank ("no data"), never 0."""
    months = pd.period_range(params.history_start, params.period_end, freq="M").astype(str)
    out = {}
    for name, item in loaded.items():
        col = _contract(item).time_column
        if col is None:
            continue
        values = item.frame[col]
        kind = next(c.kind for c in _contract(item).columns if c.name == col)
        month = values if kind == "month" else month_of(values)
        rows = month.value_counts().reindex(months, fill_value=0).astype(float)
        if item.coverage:
            rows[~rows.index.isin(item.coverage)] = float("nan")
        out[name] = rows
    return pd.DataFrame(out).T.rename_axis("source")


def compute(loaded: dict[str, Loaded], params: Params) -> dict[str, pd.DataFrame]:
    """The data chapter's facts: each source's rows and dates, completeness, defects, rows per month."""
    monthly = monthly_rows(loaded, params)
    long = monthly.reset_index().melt(id_vars="source", var_name="month", value_name="rows")
    return {"data_sources": summary(loaded), "data_completeness": completeness(loaded),
            "data_defects": defects(loaded), "data_monthly_rows": long}


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`compute`)."""
    return compute(loaded, params)


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the data chapter's prose."""

    s = facts["data_sources"]
    files = int(s["files"].sum()) if "files" in s else len(s)
    return {
        "read_sentence": f"It read {counted(files, 'input file')} of {counted(len(s), 'source')} holding "
                         f"{counted(s['rows read'].sum(), 'row')}",
        "sources": fmt_int(len(s)),
        "rows_read": fmt_int(s["rows read"].sum()),
        "rows_used": fmt_int(s["rows used"].sum()),
        "rows_aside": fmt_int(s["set aside (defects)"].sum()),
        "rows_outside": fmt_int(s["outside window"].sum()),
        "history_start": month_label(params.history_start.strftime("%Y-%m")),
        "period_end": params.period_end.strftime("%-d %B %Y"),
        "on_row_error": params.validation.on_row_error,
    }


def sources_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each input: rows read, used, outside the window and set aside, and the dates it covers."""

    s = facts["data_sources"]
    shown = s.drop(columns=["files"], errors="ignore")  # the file column says how many
    for col in ("rows read", "rows used", "outside window", "set aside (defects)"):
        shown[col] = s[col].map(fmt_int)
    return shown, s


def monthly_display(facts, months: int = 13) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows used per month (rows, the last ``months``) and source (columns)."""

    long = facts["data_monthly_rows"]
    wide = long.pivot(index="month", columns="source", values="rows")[list(dict.fromkeys(long["source"]))]
    return wide.tail(months).map(fmt_int).reset_index(), long


def completeness_display(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Columns that have blanks in the rows used, with the share filled."""

    c = facts["data_completeness"]
    return lay_out(c, [Column("source", "source"), Column("column", "column"), Column("filled", "filled %", fmt_percent),
                       Column("blank allowed", "blank allowed", lambda v: "yes" if v else "no")]), c


def defects_output(facts):
    """The rows that broke their contract: a table, or a sentence saying there were none."""

    d = facts["data_defects"]
    if len(d):
        return table(d, caption="Rows that broke their input contract")
    return text("No rows broke their input contract this period.")


# --- Figures -----------------------------------------------------------------------------------------
def rows_per_month(monthly: pd.DataFrame) -> Chart:
    """Rows used per month, as a share of each source's busiest month (facts ``data_monthly_rows``)."""
    sources = list(dict.fromkeys(monthly["source"]))
    f = monthly.copy()
    f["month"] = f["month"].astype(str)
    busiest = f.groupby("source")["rows"].transform("max")
    f["share"] = (f["rows"] / busiest.where(busiest > 0, 1)).astype(float)
    f["month_label"] = [month_range_label(m, m) for m in f["month"]]
    f["rows_text"] = f["rows"].map(fmt_int)
    f["share_text"] = (100 * f["share"]).map(lambda v: fmt_percent(v, 0))
    f = f.sort_values(["source", "month"])
    labels = [month_range_label(m, m) for m in sorted(set(f["month"]))]
    chart = alt.Chart(layers.rounded(f)).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("month_label:O", title="month", **layers.month_axis(labels, layers.every_for(len(labels), WIDTH - 160))),
        y=alt.Y("source:N", sort=sources, title=None),
        color=alt.Color("share:Q", title="share of the busiest month", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(orient="bottom", format="%")),
        tooltip=[layers.tip("source", "source"), layers.tip("month_label", "month"), layers.tip("rows_text", "rows"),
                 layers.tip("share_text", "of the busiest month")],
    ).properties(width=WIDTH - 160, height=24 * len(sources),
                 title="Rows per month, as a share of each source's busiest month")
    return Chart.of(chart, data=layers.rounded(f[["source", "month", "rows", "share"]], 4))
