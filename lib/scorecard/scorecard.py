"""The IMPACT scorecard: the measure catalogue, each measure's monthly series, and the period's scores.

Measures come from the catalogue (``params/measures.yml``, validated strictly like the params).
Each measure's values are derived from the raw inputs wherever possible (:data:`lib.measures.derived.DERIVED`)
so the scorecard and the chapters can never disagree; the rest come from the monthly
measure-values file. Measures "to be developed" are listed, never scored.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lib.measures import derived as measures
from lib.stats import spc
from lib.errors import ParamsError
from lib.measures.impact import impact_score, status
from lib.inputs.loading import Loaded
from lib.config.params import Params, display_path
from lib.present import NO_DATA, round_half_up

PRIORITIES = ("Protect People", "Protect Communities", "Tackle Criminals", "Be the Best We Can Be")
UNIT_TEXT = {"percent": "%", "count": "", "rate_per_1000": " per 1,000", "days": " days"}


class Measure(BaseModel):
    """One scorecard measure."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    priorities: list[Literal["Protect People", "Protect Communities", "Tackle Criminals", "Be the Best We Can Be"]] = Field(min_length=1)
    unit: Literal["percent", "count", "rate_per_1000", "days"]
    direction: Literal["higher", "lower"]
    desired: float | None = Field(None, gt=0)
    desired_source: str = ""
    source: str
    to_be_developed: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "Measure":
        if not re.fullmatch(r"none|measure_values|derived:[a-z0-9_]+", self.source):
            raise ValueError(f"source = {self.source!r}: must be 'none', 'measure_values' or 'derived:<name>'")
        if self.source.startswith("derived:") and self.source[8:] not in measures.DERIVED:
            raise ValueError(f"source = {self.source!r}: no such derived measure; known: "
                             + ", ".join(sorted(measures.DERIVED)))
        if self.to_be_developed and self.source != "none":
            raise ValueError("a measure to be developed has source 'none'")
        if not self.to_be_developed and (self.desired is None or self.source == "none"):
            raise ValueError("a scored measure needs a desired level and a source")
        return self


class Catalogue(BaseModel):
    """The measure catalogue file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    measures: list[Measure]


def load_catalogue(path: Path) -> list[Measure]:
    """Read and validate the catalogue.

    Raises
    ------
    ParamsError
        Unreadable file, unknown keys, bad values, or a duplicate id.
    """
    where = display_path(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        catalogue = Catalogue(**(data or {}))
    except yaml.YAMLError as exc:
        raise ParamsError(f"{where}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e["loc"]).replace(".[", "[")
            msg = e["msg"].removeprefix("Value error, ")
            lines.append(f"{where}: {loc}: {msg}" + (f" (got {e['input']!r})" if e["type"] != "missing" and
                                                     not isinstance(e.get("input"), dict) else ""))
        raise ParamsError("\n".join(lines)) from None
    except TypeError as exc:
        raise ParamsError(f"{where}: {exc}") from None
    ids = [m.id for m in catalogue.measures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ParamsError(f"{where}: measures: duplicate id(s) {', '.join(dupes)}; each measure appears once")
    return catalogue.measures


def series(measure: Measure, loaded: dict[str, Loaded], params: Params) -> pd.DataFrame:
    """Monthly values of a scored measure: month, value (in its unit), x, n, score."""
    if measure.source.startswith("derived:"):
        out = measures.DERIVED[measure.source[8:]](loaded, params)
    else:
        out = measures.from_values_file(loaded, params, measure.id)
    out = out.reset_index(drop=True)
    out["score"] = impact_score(out["value"].to_numpy(), measure.desired, measure.direction)
    return out


def fmt_value(value: float, unit: str, n: float = np.nan) -> str:
    """A measure's value in its unit, with n for proportions: '87.5% (n = 8,236)'."""
    if pd.isna(value):
        return NO_DATA
    digits = 2 if unit == "rate_per_1000" else 1 if unit in {"percent", "days"} else 0
    text = f"{round_half_up(value, digits):,.{digits}f}{UNIT_TEXT[unit]}"
    return text + (f" (n = {int(n):,})" if unit == "percent" and not pd.isna(n) else "")


def _at(frame: pd.DataFrame, month: str, col: str) -> float:
    hit = frame.loc[frame["month"] == month, col]
    return float(hit.iloc[0]) if len(hit) else np.nan


def _signal(frame: pd.DataFrame, m: Measure, period: str) -> str:
    data = frame[(frame["month"] <= period) & frame["value"].notna()]
    if len(data) < 2:
        return NO_DATA
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spc.ShortSeriesWarning)
        chart = spc.xmr(data["value"].to_numpy(), "increase" if m.direction == "higher" else "decrease",
                        target=m.desired)
    return f"{spc.variation_icon(chart).replace('_', ' ')} / {(spc.assurance_icon(chart) or 'no target').replace('_', ' ')}"


def build(catalogue: list[Measure], loaded: dict[str, Loaded], params: Params) -> tuple[pd.DataFrame, dict]:
    """The period's scorecard (one row per measure and priority) and every measure's series."""
    period = params.period
    prev = str(pd.Period(period, "M") - 1)
    last_year = str(pd.Period(period, "M") - 12)
    rows, all_series = [], {}
    for m in catalogue:
        if m.to_be_developed:
            base = {"measure": m.name, "id": m.id, "current": "to be developed", "desired": "to be developed",
                    "score": np.nan, "previous month": "", "same month last year": "", "SPC": "",
                    "status": "to be developed", "to_be_developed": True, "direction": m.direction}
        else:
            s = series(m, loaded, params)
            all_series[m.id] = s
            score = _at(s, period, "score")
            base = {"measure": m.name, "id": m.id,
                    "current": fmt_value(_at(s, period, "value"), m.unit, _at(s, period, "n")),
                    "desired": f"{fmt_value(m.desired, m.unit)} ({m.desired_source})",
                    "score": score,
                    "previous month": fmt_value(_at(s, prev, "value"), m.unit),
                    "same month last year": fmt_value(_at(s, last_year, "value"), m.unit),
                    "SPC": _signal(s, m, period), "status": status(score), "to_be_developed": False,
                    "direction": m.direction}
        rows += [{"priority": p, **base} for p in m.priorities]
    table = pd.DataFrame(rows)
    table["priority"] = pd.Categorical(table["priority"], PRIORITIES, ordered=True)
    return table.sort_values("priority", kind="stable").reset_index(drop=True), all_series


def fmt_score(value: float) -> str:
    """A score to 2 decimals, rounded *down* so that '1.00' always means met; '≥ 10' for large or inf."""
    if pd.isna(value):
        return NO_DATA
    if value >= 10:
        return "≥ 10"
    return f"{np.floor(value * 100 + 1e-9) / 100:.2f}"


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as published: score rounded, 'better' direction spelled out."""
    out = table[["priority", "measure", "current", "desired", "score", "previous month", "same month last year",
                 "SPC", "status"]].copy()
    out["priority"] = out["priority"].astype(str)
    out["score"] = [fmt_score(v) for v in table["score"]]
    out.loc[table["to_be_developed"].to_numpy(), "score"] = ""
    out["measure"] = [f"{n} ({'lower' if d == 'lower' else 'higher'} is better)"
                      for n, d in zip(table["measure"], table["direction"])]
    return out


def score_matrix(all_series: dict[str, pd.DataFrame], catalogue: list[Measure], params: Params,
                 months_back: int = 12) -> pd.DataFrame:
    """IMPACT scores by measure (rows) and month (columns), the last ``months_back`` months."""
    last = [str(pd.Period(params.period, "M") - k) for k in range(months_back - 1, -1, -1)]
    names = {m.id: m.id for m in catalogue}
    data = {names[mid]: s.set_index("month")["score"].reindex(last) for mid, s in all_series.items()}
    return pd.DataFrame(data).T


def movers(all_series: dict[str, pd.DataFrame], catalogue: list[Measure], params: Params, k: int = 3):
    """Largest improvements and concerns: change in score against the same month last year."""
    period, last_year = params.period, str(pd.Period(params.period, "M") - 12)
    rows = []
    for m in catalogue:
        if m.id in all_series:
            s = all_series[m.id]
            now, then = _at(s, period, "score"), _at(s, last_year, "score")
            if not (np.isnan(now) or np.isnan(then) or np.isinf(now) or np.isinf(then)):
                rows.append({"measure": m.name, "score now": round_half_up(now, 2),
                             "score a year ago": round_half_up(then, 2), "change": round_half_up(now - then, 2)})
    frame = pd.DataFrame(rows, columns=["measure", "score now", "score a year ago", "change"])
    frame = frame.sort_values(["change", "measure"], ascending=[False, True], kind="stable")
    return frame.head(k).reset_index(drop=True), frame.tail(k).iloc[::-1].reset_index(drop=True)


def short_labels(catalogue: list[Measure], width: int = 48) -> dict[str, str]:
    """Measure names cut to ``width`` characters, for figure labels."""
    return {m.id: m.name if len(m.name) <= width else m.name[: width - 1] + "…" for m in catalogue}


def narrative(table: pd.DataFrame, summary: pd.DataFrame, params: Params) -> dict[str, str]:
    """Texts glued into the scorecard's prose."""
    unique = table.drop_duplicates("id")
    scored = unique[unique["score"].notna()]
    return {
        "period_label": params.period_end.strftime("%B %Y"),
        "measures_total": f"{len(unique)}",
        "measures_tbd": f"{int(unique['to_be_developed'].sum())}",
        "measures_scored": f"{len(scored)}",
        "measures_met": f"{int((scored['score'] >= 1).sum())}",
        "no_data": f"{int((unique['status'] == 'no data').sum())}",
    }
