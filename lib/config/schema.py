"""The params schema: what a period's parameters may hold, each value range-checked (pydantic, ``extra="forbid"``).

Defaults live in ``params/defaults.yml``, never here: a model repeats no default (``tests/config``). Reading the
files (``extends``, relative paths, the cross-file checks) is :mod:`lib.config.params`'s job.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from lib.config.paths import public_path
from lib.vocabulary import CRIME_TYPES, DISTRICT_LABELS, ROUTES, TIMEZONE, TRACKER_TYPES

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\Z")
SOURCES = ("contacts", "incidents", "stop_search", "crimes", "ppn", "audits", "measure_values")

# Value types, each range-checked where it is read. Every number must be finite.
Hour = Annotated[int, Field(ge=0, le=23)]
ShiftHours = Annotated[int, Field(ge=1, le=24)]
Share = Annotated[float, Field(ge=0, lt=1)]  # a share of time lost, e.g. shrinkage
Probability = Annotated[float, Field(gt=0, lt=1)]  # a service level or attendance probability
Percent = Annotated[float, Field(ge=0, lt=100)]


def _month(value: str) -> str:
    if not PERIOD_RE.match(value):
        raise ValueError("must be a month written YYYY-MM, e.g. 2019-03")
    return value


Month = Annotated[str, AfterValidator(_month)]


# Control characters (other than tab and newline) in params text would be typeset as garbage, or break the PDF.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _texts(value, key: str = ""):
    """Every text in a params value, with the key it sits under (mapping keys included)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(k, f"{key}.{k}".strip(".") if isinstance(k, str) else key)
            yield from _texts(v, f"{key}.{k}".strip("."))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, f"{key}[{i}]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data):
        for key, text in _texts(data) if isinstance(data, dict) else ():
            found = CONTROL.search(text)
            if found:
                raise ValueError(f"{key} = {text[:60]!r}: holds the control character {found.group(0)!r} (U+"
                                 f"{ord(found.group(0)):04X}); write plain text")
        return data


class InputSpec(_Strict):
    """One input source: files, folders or globs (Parquet or CSV), with options for it.

    Written as a path, a list of paths, or a mapping ``{path: ..., timezone: ..., require_period: ...}``.
    A folder is searched (with its subfolders, as data.police.uk's archive has one per month) for the
    files whose columns are this source's; a glob such as ``downloads/*/2019-*-street.csv`` likewise.
    """

    path: list[str] = Field(min_length=1)
    # The IANA time zone of timestamps written without a UTC offset (e.g. Europe/London); without it they
    # are refused.
    timezone: str | None = None
    # Rows dated in the period are required (check fails without them). False for a sample or an extract
    # that does not reach the period: its months are then shown as far as it goes.
    require_period: bool = True

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        if isinstance(value, str):
            return {"path": [value]}
        if isinstance(value, list):
            return {"path": value}
        if isinstance(value, dict) and isinstance(value.get("path"), str):
            return {**value, "path": [value["path"]]}
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            import zoneinfo

            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError("not a time zone; give an IANA name such as Europe/London or UTC") from None
        return value


Source = InputSpec | None


class Inputs(_Strict):
    """The input sources; a source left out (or null) is not supplied, and what needs it says so."""

    contacts: Source = None
    incidents: Source = None
    stop_search: Source = None
    crimes: Source = None
    outcomes: Source = None
    ppn: Source = None
    audits: Source = None
    measure_values: Source = None
    tracker: Source = None
    tracker_previous: Source = None
    # Optional: the due date each earlier tracker export gave each item, so the programme counts re-datings.
    programme_history: Source = None
    # Optional: owners' commentary, recovery action and revised date per measure and month.
    commentary: Source = None
    # Optional: resident populations by district and by ethnicity, for rates per 1,000 with intervals.
    populations: Source = None
    # Optional: call handlers logged on per interval (telephony export); the control-room model is then checked
    # against the staff actually on duty rather than the rostered pattern.
    staffing: Source = None
    # Optional: response officers' strength, joiners, leavers and planned intakes per month (HR export).
    workforce: Source = None


class Validation(_Strict):
    """What to do with rows that break their contract."""

    on_row_error: Literal["exclude", "fail"]
    # A source with more than this share of its rows set aside stops check and build: the export is
    # probably not the one expected (a wrong format, a wrong force, a wrong encoding).
    max_set_aside_pct: float = Field(ge=0, le=100)


class Disclosure(_Strict):
    """Statistical disclosure control for published tables about people."""

    # At least 2: with 1 nothing is suppressed. (A force that publishes unsuppressed counts must say so
    # outside this tool; the report does not offer it.)
    min_count: int = Field(ge=2, le=100)
    # Coordinates may be published with at most this many decimal places (2 ≈ 1 km).
    coordinate_decimals: int = Field(ge=0, le=6)


class Compliance(_Strict):
    """Compliance chapter settings."""

    baseline_month: Month
    interval_method: Literal["wilson", "clopper_pearson", "jeffreys"]


TrackerType = Literal[TRACKER_TYPES]


class Programme(_Strict):
    """Programme tracking settings."""

    due_soon_months: int = Field(ge=1, le=24)
    rag_red_overdue_pct: float = Field(gt=0, le=100)
    rag_amber_overdue_pct: float = Field(gt=0, le=100)
    expected_counts: dict[TrackerType, Annotated[int, Field(ge=0)]] = {}

    @model_validator(mode="after")
    def _thresholds(self) -> Programme:
        if self.rag_amber_overdue_pct > self.rag_red_overdue_pct:
            raise ValueError(f"rag_amber_overdue_pct = {self.rag_amber_overdue_pct:g} must not exceed "
                             f"rag_red_overdue_pct = {self.rag_red_overdue_pct:g}")
        return self


class AnswerStandard(_Strict):
    """A route's call-answer standard: calls answered within ``seconds``, in at least ``share`` of them."""

    seconds: float = Field(gt=0, le=3600)
    # null: no target set (the scorecard shows "no target set"; the control room cannot plan to it).
    share: Probability | None
    # Whose standard it is, e.g. "national standard" (shown beside the target); empty only without a share.
    source: str = Field(max_length=200)

    @model_validator(mode="after")
    def _sourced(self) -> AnswerStandard:
        if self.share is not None and not self.source.strip():
            raise ValueError(f"share = {self.share:g}: a target says where it comes from (source)")
        return self


class Calls(_Strict):
    """Call-answering standards: the control room plans to them, the scorecard measures against them."""

    # By route; a route without its own (switchboard, online) is held to 101's.
    answer: dict[Literal[ROUTES], AnswerStandard]
    # Abandon rate = abandoned ÷ offered (all presented) or ÷ queued (abandoned + answered after a wait).
    abandon_rate_denominator: Literal["offered", "queued"]

    @field_validator("answer")
    @classmethod
    def _both(cls, value: dict) -> dict:
        missing = [r for r in ("999", "101") if r not in value]
        if missing:
            raise ValueError(f"give a standard for route(s) {', '.join(missing)} (999 and 101 are measured)")
        return value

    def standard(self, route: str) -> AnswerStandard:
        """The answer standard a route is held to: its own, or 101's."""
        return self.answer.get(route, self.answer["101"])

    def with_share(self, route: str, share: float | None) -> Calls:
        """The same standards with ``route``'s share set to ``share`` (a staffing scenario; None: no target set)."""
        changed = self.standard(route).model_copy(update={"share": share})
        return self.model_copy(update={"answer": {**self.answer, route: changed}})


class Response(_Strict):
    """Attendance targets by grade: minutes from incident creation to first arrival."""

    attend_within_minutes: dict[Literal["immediate", "priority"], Annotated[float, Field(gt=0, le=7 * 24 * 60)]]

    @field_validator("attend_within_minutes")
    @classmethod
    def _both(cls, value: dict) -> dict:
        missing = [g for g in ("immediate", "priority") if g not in value]
        if missing:
            raise ValueError(f"give a target for grade(s) {', '.join(missing)}")
        return value

    def within(self, grade: str) -> float:
        """A grade's attendance target in minutes."""
        return self.attend_within_minutes[grade]


class Scorecard(_Strict):
    """IMPACT scorecard settings."""

    catalogue: Path
    # The force's resident population (ONS mid-year estimate): rates per 1,000 divide by it.
    population: int = Field(gt=0, le=100_000_000)
    neighbourhood_crime_types: list[Literal[CRIME_TYPES]] = Field(min_length=1)


class Outcomes(_Strict):
    """Crime outcomes: data.police.uk's outcome categories in the Home Office's outcome groups."""

    # group -> the data.police.uk categories in it; every category in one group only
    groups: dict[str, list[str]] = Field(min_length=1)
    # The groups that count as "solved" (a positive outcome) in the solved rate.
    positive: list[str] = Field(min_length=1)
    # Outcomes are given for months after a crime, so the latest months' outcome-based rates are marked
    # provisional for this many months.
    lag_months: int = Field(ge=0, le=24)

    @model_validator(mode="after")
    def _consistent(self) -> Outcomes:
        seen: dict[str, str] = {}
        for group, categories in self.groups.items():
            for category in categories:
                if category in seen:
                    raise ValueError(f"{category!r} is in two groups ({seen[category]!r} and {group!r}); "
                                     "put each category in one group")
                seen[category] = group
        unknown = [g for g in self.positive if g not in self.groups]
        if unknown:
            raise ValueError(f"positive = {unknown}: not a group; the groups are {', '.join(map(repr, self.groups))}")
        return self

    def group_of(self, category) -> str:
        """The group of an outcome category ('' for a blank; 'not in the mapping' for an unknown one)."""
        if category is None or category != category or str(category).strip() == "":
            return ""
        for group, categories in self.groups.items():
            if category in categories:
                return group
        return "not in the mapping"


class ShiftSpec(_Strict):
    """One shift of a daily pattern: start hour, length and staff starting it every day."""

    start_hour: Hour
    length_hours: ShiftHours
    staff: int = Field(ge=0, le=10_000)


class Grade(_Strict):
    """A control-room grade: its cost per paid hour and how many are rostered per call handler."""

    name: str = Field(min_length=1, max_length=60)
    cost_per_hour_gbp: float = Field(gt=0, le=10_000)
    per_call_handler: float = Field(gt=0, le=10)


class RotaShift(_Strict):
    """A named shift of the rota: start hour and length, worked on any day."""

    name: str = Field(min_length=1, max_length=40)
    start_hour: Hour
    length_hours: ShiftHours


class Rota(_Strict):
    """A rota of whole people: an N-week cycle of pattern lines, named shifts and working-time rules."""

    shifts: list[RotaShift] = Field(min_length=1)
    # Hours from the end of a shift to the start of the next; days with a shift start in a row.
    min_rest_hours: int = Field(ge=0, le=96)
    max_consecutive_days: int = Field(ge=0, le=42)
    # Lines with Saturday 00:00 to Monday 00:00 free.
    weekends_off_per_cycle: int = Field(ge=0, le=200)
    # At least one full weekend off in every K weeks in a row, round the cycle (null: no such rule).
    weekend_off_every_weeks: Annotated[int, Field(ge=1, le=200)] | None
    # Averaged over the cycle; null: the contracted hours (fcr.contracted_hours_per_week).
    max_average_weekly_hours: Annotated[float, Field(gt=0, le=168)] | None
    # The cycle's length in weeks (= lines), chosen by the solver in [min_lines, max_lines].
    min_lines: int = Field(ge=1, le=200)
    max_lines: int = Field(ge=1, le=200)
    # People working each line together.
    team_size: int = Field(ge=1, le=100)
    # false: under-cover allowed, minimised first.
    require_full_cover: bool
    # The solver's deterministic time (work, not wall-clock), its strategies (on one thread) and its seed.
    time_limit_seconds: float = Field(gt=0, le=3600)
    workers: int = Field(ge=1, le=64)
    seed: int = Field(ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _consistent(self) -> Rota:
        names = [s.name for s in self.shifts]
        if len(set(names)) != len(names):
            raise ValueError(f"shifts: each name at most once (got {names})")
        if any(n.strip().lower() == "rest" for n in names):
            raise ValueError("shifts: 'Rest' is the name of a day off; call the shift something else")
        if self.min_lines > self.max_lines:
            raise ValueError(f"min_lines = {self.min_lines} must not exceed max_lines = {self.max_lines}")
        return self


class RotaOption(_Strict):
    """Another set of shifts to build the control room's rota from, under the rules of ``fcr.rota``."""

    name: str = Field(min_length=1, max_length=80)
    shifts: list[RotaShift] = Field(min_length=1)


class Fcr(_Strict):
    """Control-room staffing model."""

    routes: list[Literal[ROUTES]] = Field(min_length=1)
    interval_minutes: Literal[15, 30, 60]
    modified_offered_load: bool
    shrinkage: Share
    max_occupancy: float = Field(gt=0, le=1)
    # Mean caller patience (s) for Erlang A: one value for every route, or one per route; None: Erlang C.
    patience_seconds: dict[Literal[ROUTES], Annotated[float, Field(gt=0, le=24 * 3600, allow_inf_nan=False)]] | None
    shift_start_hours: list[Hour] = Field(min_length=1)
    shift_lengths_hours: list[ShiftHours] = Field(min_length=1)
    fit_time_limit_seconds: float = Field(gt=0, le=3600)
    fit_mip_gap: float = Field(ge=0, lt=1)
    current_pattern: list[ShiftSpec]
    grades: list[Grade] = Field(min_length=1)
    scenarios_staff_pct: list[Annotated[float, Field(gt=0, le=1000)]] = Field(min_length=1)
    scenarios_shrinkage: list[Share] = Field(min_length=1)
    scenarios_service_level_999: list[Probability] = Field(min_length=1)
    # A rota of whole people under working-time rules (read by lib.staffing.rota_rules.RotaParams).
    rota: Rota
    # Other shift sets compared like for like with the rota's (8-, 10-, 12-hour ...), each under fcr.rota's rules.
    rota_options: list[RotaOption]
    # Contracted hours a week of a full-time call handler (a rota works each person at most this on average).
    contracted_hours_per_week: float = Field(gt=0, le=168)
    # The model check: a mean error (bias) within this many points means the model reproduces what happened.
    check_tolerance_points: float = Field(gt=0, le=50)
    # ... and its mean error an hour of the week (either way) within this many points.
    check_error_points: float = Field(gt=0, le=100)

    @field_validator("routes")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each route at most once")
        return value

    def rota_rules(self, option: RotaOption | None = None) -> dict:
        """The rota's rules and solver settings as a mapping (for :class:`lib.staffing.rota_rules.RotaParams`);
        its people work at most their contracted hours a week on average unless the rota says otherwise. With
        ``option`` (one of ``rota_options``): the same rules on the option's shifts."""
        rules = self.rota.model_dump()
        if rules["max_average_weekly_hours"] is None:
            rules["max_average_weekly_hours"] = self.contracted_hours_per_week
        if option is not None:
            rules["shifts"] = [shift.model_dump() for shift in option.shifts]
        return rules

    @model_validator(mode="after")
    def _rota_options_distinct(self):
        names = [o.name for o in self.rota_options]
        if len(set(names)) != len(names):
            raise ValueError(f"rota_options: names must be unique, got {names}")
        return self

    @field_validator("patience_seconds", mode="before")
    @classmethod
    def _one_for_all(cls, value):
        """One number is every route's patience."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dict.fromkeys(ROUTES, value)
        return value

    @model_validator(mode="after")
    def _patience_per_route(self):
        if isinstance(self.patience_seconds, dict):
            missing = [r for r in self.routes if r not in self.patience_seconds]
            if missing:
                raise ValueError(f"patience_seconds gives no value for route(s) {missing}: give one per route in "
                                 f"routes {self.routes}, one number for all, or null for Erlang C")
        return self

    def patience(self, route: str) -> float | None:
        """A route's mean caller patience in seconds (None: Erlang C, callers never hang up)."""
        return None if self.patience_seconds is None else self.patience_seconds[route]


class PatternShift(_Strict):
    """A daily shift of an IRT pattern and its relative staffing weight."""

    start_hour: Hour
    length_hours: ShiftHours
    weight: float = Field(gt=0, le=1000)


class Pattern(_Strict):
    """A named IRT shift pattern (e.g. 4 on 4 off: 07-19 and 19-07, equally staffed)."""

    name: str = Field(min_length=1, max_length=80)
    shifts: list[PatternShift] = Field(min_length=1)


def _low_high(value: list[float]) -> list[float]:
    if len(value) != 2 or value[0] > value[1]:
        raise ValueError(f"{value}: give [low, high], low first")
    return value


LowHigh = Annotated[list[float], AfterValidator(_low_high)]


class Sensitivity(_Strict):
    """Low and high values of the establishment's assumptions, for the sensitivity chart."""

    abstraction_pct: Annotated[LowHigh, AfterValidator(lambda v: _within(v, 0, 90, "abstraction_pct"))]
    proactive_pct: Annotated[LowHigh, AfterValidator(lambda v: _within(v, 0, 90, "proactive_pct"))]
    travel_minutes: Annotated[LowHigh, AfterValidator(lambda v: _within(v, 0, 600, "travel_minutes"))]
    demand_growth_pct: Annotated[LowHigh, AfterValidator(lambda v: _within(v, -90, 500, "demand_growth_pct"))]
    attend_probability: Annotated[LowHigh, AfterValidator(lambda v: _within(v, 0.01, 0.999, "attend_probability"))]


def _within(value: list[float], low: float, high: float, name: str) -> list[float]:
    bad = [v for v in value if not low <= v <= high]
    if bad:
        raise ValueError(f"{name} = {bad[0]:g}: must be from {low:g} to {high:g}")
    return value


class Intervention(_Strict):
    """A known change to a process: control charts of the measures it names may have new limits from it."""

    month: Month
    label: str = Field(min_length=1, max_length=120)
    measures: list[str] = Field(min_length=1)


class Peers(_Strict):
    """The force's most similar group, for benchmarking (data.police.uk archive and populations)."""

    # A data.police.uk archive folder (YYYY-MM/YYYY-MM-<force>-street.csv), relative to the params file.
    archive: Path
    # The force's slug in the archive's file names (e.g. cleveland).
    force: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    # Each peer force of the group and its population (ONS mid-year estimate); the force's own population is
    # scorecard.population (given once).
    populations: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], Annotated[int, Field(gt=0, le=100_000_000)]]
    # Months in the comparison (the latest, to the period).
    window_months: int = Field(ge=1, le=36)

    @model_validator(mode="after")
    def _peers_beside_the_force(self):
        if self.force in self.populations:
            raise ValueError(f"populations.{self.force}: the force's own population is scorecard.population; list only "
                             "its peers here")
        if not self.populations:
            raise ValueError("populations: give at least one peer force")
        return self


class ForceManagement(_Strict):
    """Demand and workforce four years ahead (the Force Management Statement)."""

    years: int = Field(ge=1, le=10)
    # Months held back to test the forecast against the seasonal-naive one.
    holdout_months: int = Field(ge=1, le=24)


class IrtRota(_Strict):
    """A response pattern as a rota of whole officers: its name and its rules (as ``fcr.rota``'s)."""

    name: str = Field(min_length=1, max_length=80)
    rules: Rota


class Irt(_Strict):
    """Incident-response establishment model (each assumption with its source in defaults.yml)."""

    travel_minutes: float = Field(ge=0, le=600)
    demand_weeks: int = Field(ge=1, le=104)
    attend_probability: Probability
    cover_share: float = Field(gt=0, le=1)
    current_establishment: int | None = Field(ge=0, le=100_000)
    # An establishment under consideration, set beside the current one in the verdict (None: none).
    proposed_establishment: int | None = Field(default=None, ge=0, le=100_000)
    sensitivity: Sensitivity
    patterns: list[Pattern]
    fit_start_hours: list[Hour] = Field(min_length=1)
    fit_lengths_hours: list[ShiftHours] = Field(min_length=1)
    contracted_hours_per_week: float = Field(gt=0, le=168)
    annual_leave_pct: Percent
    training_pct: Percent
    sickness_pct: Percent
    proactive_pct: Percent
    # Response patterns as rotas of whole officers under working-time rules, costed beside the establishments.
    rotas: list[IrtRota]
    # Annual cost of an officer, on-costs included (GBP).
    officer_cost_gbp: float = Field(gt=0, le=1_000_000)
    # Joint sensitivity: draws of every assumption at once over its range (irt.sensitivity), and their seed.
    joint_draws: int = Field(ge=10, le=100_000)
    joint_seed: int = Field(ge=0, le=2**31 - 1)
    # Hours of the day [from, to) in which spare on-duty time counts as protected proactive time.
    proactive_hours_of_day: list[Annotated[int, Field(ge=0, le=24)]] = Field(min_length=2, max_length=2)
    # The model check: a bias (predicted − achieved share in target) within this many points means the
    # response model reproduces what happened.
    check_tolerance_points: float = Field(gt=0, le=50)

    @model_validator(mode="after")
    def _abstractions(self) -> Irt:
        total = self.annual_leave_pct + self.training_pct + self.sickness_pct
        if total >= 100:
            raise ValueError(f"annual_leave_pct + training_pct + sickness_pct = {total:g}: must be below 100 "
                             "(officers must have some time available)")
        start, end = self.proactive_hours_of_day
        if start >= end:
            raise ValueError(f"proactive_hours_of_day = {self.proactive_hours_of_day}: give [from, to) with from < to")
        return self

    def rota_rules(self, rota: IrtRota) -> dict:
        """A response rota's rules as a mapping (for :class:`lib.staffing.rota_rules.RotaParams`): officers work at
        most their contracted hours a week on average unless the rota says otherwise."""
        rules = rota.rules.model_dump()
        if rules["max_average_weekly_hours"] is None:
            rules["max_average_weekly_hours"] = self.contracted_hours_per_week
        return rules


Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]


class Force(_Strict):
    """The force an edition is about: its books, its history and the files it reads are this force's only."""

    # data.police.uk's id of the force, as in its file names (2019-01-cleveland-street.csv); an edition's
    # versions are kept under it (_build/<id>/<period>/), so two forces never share a history.
    id: Slug
    # The force as data.police.uk names it in every row's `Reported by` / `Falls within` (e.g. Cleveland Police).
    name: str = Field(min_length=1, max_length=120)


class Board(_Strict):
    """What the decision sheet asks of the board this period (optional: without any, it says "none this month")."""

    decisions: list[Annotated[str, Field(min_length=1, max_length=500)]]


class Params(_Strict):
    """The validated parameters of one reporting period."""

    schema_version: Literal[1]
    title: str = Field(min_length=1, max_length=200)
    # The name on the title page (e.g. "Cleveland Police (demo data)").
    force_name: str = Field(min_length=1, max_length=200)
    force: Force
    period: str
    # The period's first and last day: derived from ``period`` (a file may state them; they must agree).
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    history_start: dt.date
    timezone: Literal[TIMEZONE]
    inputs: Inputs
    validation: Validation
    disclosure: Disclosure
    compliance: Compliance
    programme: Programme
    calls: Calls
    response: Response
    scorecard: Scorecard
    outcomes: Outcomes
    fcr: Fcr
    irt: Irt
    force_management: ForceManagement
    # Known changes (date, what, which measures): control limits are recalculated after one when a sustained
    # shift follows it. Empty: the book finds sustained shifts and suggests them.
    interventions: list[Intervention] = []
    # Peer benchmarking (None: the peers chapter says what it needs).
    peers: Peers | None = None
    # The decisions asked of the board this period, each a sentence (the decision sheet; none: "none this month").
    board: Board
    # Districts: district -> the local authorities (LSOA name prefixes) it covers; empty: each local authority.
    districts: dict[Annotated[str, Field(min_length=1, max_length=60)], list[str]] = {}
    # Set by the loader, not by the file.
    source_file: Path = Field(default=Path("."), exclude=True)

    @field_validator("period")
    @classmethod
    def _period_format(cls, value: str) -> str:
        if not PERIOD_RE.match(value):
            raise ValueError("must be a month written YYYY-MM, e.g. 2019-12")
        return value

    @model_validator(mode="after")
    def _dates_agree(self) -> Params:
        first = dt.date(int(self.period[:4]), int(self.period[5:]), 1)
        last = pd.Period(self.period, "M").end_time.date()
        for key, stated, day, which in (("period_start", self.period_start, first, "first"),
                                        ("period_end", self.period_end, last, "last")):
            if stated is not None and stated != day:
                raise ValueError(f"{key} = {stated} must be the {which} day of period {self.period} ({day}); leave "
                                 f"{key} out and it is derived from the period")
            object.__setattr__(self, key, day)
        if self.history_start > self.period_start:
            raise ValueError(
                f"history_start = {self.history_start} must be on or before period_start = {self.period_start}"
            )
        if not self.history_start.strftime("%Y-%m") <= self.compliance.baseline_month <= self.period:
            raise ValueError(
                f"compliance.baseline_month = {self.compliance.baseline_month!r} must be between "
                f"history_start ({self.history_start:%Y-%m}) and the period ({self.period})"
            )
        months = self.history_months
        if self.inputs.contacts is not None and months < 2:
            raise ValueError(
                f"history_start = {self.history_start}: the control room's demand forecast is fitted on the weeks "
                f"before its last four and tested on those, so with contacts it needs at least 2 months of history; "
                f"set history_start to {pd.Period(self.period, 'M') - 1}-01 or earlier")
        forecasts = self.inputs.contacts is not None or self.inputs.incidents is not None  # force management runs
        if forecasts and self.force_management.holdout_months >= months:
            raise ValueError(
                f"force_management.holdout_months = {self.force_management.holdout_months}: the history holds "
                f"{months} month(s) (history_start {self.history_start:%Y-%m} to the period {self.period}); hold out "
                "fewer months than that (the forecast is tested on them after fitting on the rest)")
        return self

    @model_validator(mode="after")
    def _districts_distinct(self) -> Params:
        seen: dict[str, str] = {}
        for district, authorities in self.districts.items():
            if district.strip().lower() in DISTRICT_LABELS:
                raise ValueError(f"districts.{district}: {district!r} is a row the districts chapter adds itself "
                                 f"({', '.join(DISTRICT_LABELS)}); call the district something else")
            for authority in authorities:
                if authority in seen:
                    raise ValueError(f"districts: local authority {authority!r} is in two districts ({seen[authority]!r} "
                                     f"and {district!r}); put it in one")
                seen[authority] = district
        return self

    @property
    def history_months(self) -> int:
        """Months from history_start's month to the period, both included."""
        return (pd.Period(self.period, "M") - pd.Period(self.history_start, "M")).n + 1

    def peer_populations(self) -> dict[str, int]:
        """Every force of the comparison and its population: the peers', and the force's (scorecard.population)."""
        return {**self.peers.populations, self.peers.force: self.scorecard.population}

    def peers_archive(self) -> Path | None:
        """Absolute path of the peers' archive folder (None without peers)."""
        if self.peers is None:
            return None
        path = self.peers.archive
        return path if path.is_absolute() else (self.source_file.parent / path).resolve()

    def catalogue_path(self) -> Path:
        """Absolute path of the measure catalogue (relative paths: from the params folder)."""
        path = self.scorecard.catalogue
        return path if path.is_absolute() else (self.source_file.parent / path).resolve()

    def input_spec(self, source: str) -> InputSpec | None:
        """A source's spec (None when it is not supplied)."""
        return getattr(self.inputs, source)

    def input_paths(self, source: str) -> list[Path]:
        """A source's paths (files, folders or globs), absolute; empty when it is not supplied."""
        spec = self.input_spec(source)
        if spec is None:
            return []
        return [Path(p) if Path(p).is_absolute() else (self.source_file.parent / p).resolve() for p in spec.path]

    def input_path(self, source: str) -> Path | None:
        """A source's first path (a source given as one file: that file); None when it is not supplied."""
        paths = self.input_paths(source)
        return paths[0] if paths else None

    def supplied(self) -> list[str]:
        """The sources the params supply, in their order."""
        return [s for s in type(self.inputs).model_fields if self.input_spec(s) is not None]

    def as_yaml(self) -> str:
        """The parameters as used, files named as on a published page (:func:`public_path`)."""
        data = self.model_dump(mode="json", exclude={"source_file"})
        data["scorecard"]["catalogue"] = public_path(self.catalogue_path())
        if data.get("peers"):
            data["peers"]["archive"] = public_path(self.peers_archive())
        for source, spec in data["inputs"].items():
            if spec is not None:
                spec["path"] = [public_path(p) for p in self.input_paths(source)]
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    @property
    def previous_period(self) -> str:
        """The month before this period, as YYYY-MM."""
        year, month = int(self.period[:4]), int(self.period[5:])
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return f"{year:04d}-{month:02d}"
