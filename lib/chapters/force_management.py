"""The force-management chapter: demand and the workforce it needs, four years ahead.

Facts ``fm_*`` from :func:`lib.staffing.force_management.compute`, which reads the response chapter's
workforce and the control room's rota, and presented here.

How it presents them follows the facts: the yearly tables, the gaps in words and the requirement figure.
"""
from __future__ import annotations

from functools import partial

import pandas as pd

from lib.config.schema import Params
from lib.present import fmt_int, fmt_interval, fmt_number, month_label, month_range_label, round_half_up
from lib.present.columns import Column, lay_out
from lib.staffing import force_management

NEEDS = ("contacts", "incidents")
AFTER = ("fcr", "irt")  # the rota's people and the response workforce


def facts(loaded, params: Params, earlier) -> dict[str, pd.DataFrame]:
    """The chapter's facts (:func:`lib.staffing.force_management.compute`): call handlers from the control room's
    one answer (the recommended rota's people against the staffing now, as its options table measures both)."""
    people, now = None, None
    options = earlier["fcr_options"] if "fcr_options" in earlier else None
    if options is not None and options["recommended"].any():
        people = float(options.loc[options["recommended"], "people"].iloc[0])
    if options is not None and (options["kind"] == "now").any():
        now = float(options.loc[options["kind"] == "now", "people"].iloc[0])
    if people is None and "fcr_rota" in earlier:
        people = float(earlier["fcr_rota"]["people"].iloc[0])
    return force_management.compute(loaded, params, earlier.get("irt_workforce"), people, now)


def _year(row) -> str:
    return month_range_label(row["first_month"], row["last_month"])


def yearly(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each series' last 12 months and each forecast year with its 95% prediction interval."""
    y = facts["fm_years"]
    wide = {}
    for name, g in y.groupby("series", sort=False):
        row = {"demand": name}
        for _, r in g.iterrows():
            head = f"{_year(r)}" + (" (recorded)" if r["year"] == 0 else "")
            row[head] = fmt_int(r["value"]) if r["year"] == 0 else \
                f"{fmt_int(r['value'])} ({fmt_interval(r['lower'], r['upper'], 'count')})"
        wide[name] = row
    return pd.DataFrame(list(wide.values())), y


BACKTEST = (Column("demand", "series"), Column("months tested", "months_tested", fmt_int),
            Column("mean absolute error: model", "mae_model", fmt_int),
            Column("mean absolute error: same month last year", "mae_naive", fmt_int),
            Column("ratio (below 1: model better)", "ratio", partial(fmt_number, digits=2)))


def backtest(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast tested on held-out months against the seasonal-naive forecast."""
    b = facts["fm_backtest"]
    return lay_out(b, BACKTEST), b


def _gap(capacity: float, required: float) -> str:
    """Capacity against requirement in whole people, as shown beside them: '5 short', '3 more than needed'."""
    if pd.isna(capacity):
        return "no capacity given"
    gap = round_half_up(capacity) - round_half_up(required)
    if gap == 0:
        return "as many as needed"
    return f"{fmt_int(gap)} more than needed" if gap > 0 else f"{fmt_int(-gap)} short"


def requirement(facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staff required each forecast year (with the range the demand interval gives) against capacity."""
    r = facts["fm_requirement"]
    years = facts["fm_years"].drop_duplicates("year").set_index("year")
    return lay_out(r, [Column("role", "role"), Column("year", "year", lambda k: _year(years.loc[k])),
                     Column("required", "required", fmt_int),
                     Column("range (demand's 95% interval)", ("lower", "upper"),
                            lambda lo, hi: f"{fmt_int(lo)} to {fmt_int(hi)}"),
                     Column("capacity", "capacity", fmt_int), Column("gap", ("capacity", "required"), _gap)]), r


def narrative(facts, params: Params) -> dict[str, str]:
    """Texts glued into the chapter."""
    b = facts["fm_backtest"]
    tested = b[b["months_tested"] > 0]
    better = int((tested["ratio"] < 1).sum())
    r = facts["fm_requirement"]
    texts = {"period_label": month_label(params.period), "years": fmt_int(params.force_management.years),
             "holdout": fmt_int(params.force_management.holdout_months)}
    if tested.empty:
        texts["accuracy_sentence"] = ("The history is too short to test the forecast on held-out months "
                                      "(it needs 12 months before them and 15 to fit).")
    else:
        worse = tested[tested["ratio"] >= 1]["series"].tolist()
        months = int(tested["months_of_history"].max())
        texts["accuracy_sentence"] = (
            f"Tested on the last {fmt_int(params.force_management.holdout_months)} months of history, the model beat "
            f"the seasonal-naive forecast (the same month a year earlier) for {better} of {len(tested)} series; the "
            f"ratios of their errors run from {fmt_number(tested['ratio'].min(), 2)} to "
            f"{fmt_number(tested['ratio'].max(), 2)} (below 1: the model is better)."
            + (f" For {', '.join(worse)} it did no better than 'the same month last year', so read those forecasts "
               "as that and no more." if worse else "")
            + (f" With {fmt_int(months)} months of history the trend is uncertain; the intervals show how much."
               if months < 36 else ""))
    parts = []
    last = r["year"].max() if len(r) else None
    for role in dict.fromkeys(r["role"]):
        row = r[(r["role"] == role) & (r["year"] == last)].iloc[0]
        verdict = _gap(row["capacity"], row["required"])
        parts.append(f"{role}: {fmt_int(row['required'])} required ({fmt_int(row['lower'])} to "
                     f"{fmt_int(row['upper'])}) against a capacity of {fmt_int(row['capacity'])}, {verdict}")
    when = _year(facts["fm_years"].drop_duplicates("year").set_index("year").loc[last]) if parts else ""
    texts["requirement_sentence"] = (f"In {when}, the last forecast year, " + "; ".join(parts) + ".") if parts else \
        "No requirement could be worked out: the history is too short to forecast."
    if parts and "response officers" in set(r["role"]) and "irt_workforce_key" in facts:
        k = facts["irt_workforce_key"].iloc[0]
        texts["requirement_sentence"] += (
            " For response officers this sets the strength projected for the year's end against the establishment "
            "that year's forecast demand needs; the response chapter's figure sets the strength at the end of the "
            f"intake plan ({month_label(k['last_month'])}) against today's requirement, so the two differ by date "
            "and by demand, not by population.")
    return texts


def requirement_figure(facts):
    """Staff required each year against capacity (nothing when no requirement could be worked out)."""
    from lib.present.charts import force_management as charts

    r = facts["fm_requirement"]
    return charts.requirement(r, facts["fm_years"]) if len(r) else None
