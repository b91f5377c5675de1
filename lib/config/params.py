"""Period parameters: one YAML file per reporting period, validated strictly before anything runs.

A period file (``params/2019-12.yml``) may name a shared defaults file with ``extends:``; its keys
override the defaults key by key. Paths to input files are relative to the params file that
names them. Validation uses pydantic with ``extra="forbid"``: an unknown key, a wrong type, an
impossible date or a missing input file is one :class:`~lib.errors.ParamsError` whose message
names the file, the key, the value and what is allowed.

YAML dates are read as text (the timestamp resolver is removed) so that an impossible date such as
``2019-02-30`` reaches the validator and gets a clear message instead of a YAML traceback.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lib import ROOT
from lib.errors import ParamsError
from lib.vocabulary import CRIME_TYPES, DISTRICT_LABELS, ROUTES, TIMEZONE, TRACKER_TYPES

SCHEMA_VERSION = 1
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


GLOB_CHARS = set("*?[]")


def read_as(entry: Path) -> tuple[str, list[Path]]:
    """How a path given in the params is read: ``("path", [entry])`` when it exists (a file or folder is itself,
    whatever characters its name holds), ``("pattern", matches)`` when it does not and holds ``*``, ``?`` or
    ``[...]``, ``("missing", [])`` otherwise, and ``("ambiguous", others)`` when it exists *and*, read as a
    pattern, matches other paths too (``exports [2019]`` beside ``exports 2``): the caller refuses it, naming
    both readings."""
    globbed = any(GLOB_CHARS & set(part) for part in entry.parts)
    exists = entry.exists()
    if not globbed:
        return ("path", [entry]) if exists else ("missing", [])
    matches = sorted(Path(entry.anchor).glob(str(entry.relative_to(entry.anchor))))
    if exists:
        others = [m for m in matches if m != entry]
        return ("ambiguous", others) if others else ("path", [entry])
    return ("pattern", matches) if matches else ("missing", [])


def ambiguity(entry: Path, others: list[Path]) -> str:
    """The message for a path that exists and, read as a pattern, matches other paths too."""
    shown = ", ".join(repr(display_path(p)) for p in others[:3]) + (", …" if len(others) > 3 else "")
    return (f"{display_path(entry)!r} exists, and read as a pattern it also matches {shown}; to read the file or "
            "folder itself, rename it without [ ] * ?, or write each of those characters in brackets ([[] for [, "
            "[]] for ], [*], [?]), which reads it as a pattern that matches only it")


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
    # Optional: owners' commentary, recovery action and revised date per measure and month.
    commentary: Source = None
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


class Calls(_Strict):
    """Call-answering standards used by the scorecard and the control-room chapter."""

    answer_999_target_seconds: float = Field(gt=0, le=3600)
    answer_101_target_seconds: float = Field(gt=0, le=3600)
    # Abandon rate = abandoned ÷ offered (all presented) or ÷ queued (abandoned + answered after a wait).
    abandon_rate_denominator: Literal["offered", "queued"]


class Response(_Strict):
    """Attendance targets by grade, minutes from incident creation to first arrival."""

    immediate_target_minutes: float = Field(gt=0, le=24 * 60)
    priority_target_minutes: float = Field(gt=0, le=7 * 24 * 60)


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


class RotaOption(_Strict):
    """Another set of shifts to build the control room's rota from, under the rules of ``fcr.rota``."""

    name: str = Field(min_length=1, max_length=80)
    # Shifts as in fcr.rota: {name, start_hour, length_hours}.
    shifts: list[dict[str, Any]] = Field(min_length=1)


class Fcr(_Strict):
    """Control-room staffing model."""

    routes: list[Literal[ROUTES]] = Field(min_length=1)
    interval_minutes: Literal[15, 30, 60]
    modified_offered_load: bool
    service_level_999: Probability
    service_level_101: Probability
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
    # A rota of whole people under working-time rules (lib.staffing.rota.RotaParams; empty: its defaults).
    rota: dict[str, Any] = {}
    # Other shift sets compared like for like with the rota's (8-, 10-, 12-hour ...), each under fcr.rota's rules.
    rota_options: list[RotaOption] = []
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

    @field_validator("rota")
    @classmethod
    def _rota_rules(cls, value: dict) -> dict:
        from lib.errors import ModelError
        from lib.staffing.rota_rules import RotaParams

        try:
            RotaParams.from_mapping(value, where="fcr.rota")
        except ModelError as exc:
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _rota_options(self):
        from lib.errors import ModelError

        names = [o.name for o in self.rota_options]
        if len(set(names)) != len(names):
            raise ValueError(f"rota_options: names must be unique, got {names}")
        for i, option in enumerate(self.rota_options):
            try:
                self.rota_params(option, where=f"fcr.rota_options[{i}]")
            except ModelError as exc:
                raise ValueError(str(exc)) from None
        return self

    def rota_params(self, option: RotaOption | None = None, where: str = "fcr.rota"):
        """The rota's rules and solver settings (:class:`lib.staffing.rota_rules.RotaParams`); its people work at
        most their contracted hours a week on average (``contracted_hours_per_week``) unless the rota says otherwise.
        With ``option`` (one of ``rota_options``): the same rules on the option's shifts."""
        from lib.staffing.rota_rules import RotaParams

        rules = {"max_average_weekly_hours": self.contracted_hours_per_week, **self.rota}
        if option is not None:
            rules["shifts"] = option.shifts
        return RotaParams.from_mapping(rules, where=where)

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
    window_months: int = Field(default=12, ge=1, le=36)

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
    """A response pattern as a rota of whole officers: its name and rota rules (lib.staffing.rota_rules.RotaParams)."""

    name: str = Field(min_length=1, max_length=80)
    rules: dict[str, Any]


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
    # Hours of the day [from, to) in which spare on-duty time counts as protected proactive time.
    proactive_hours_of_day: list[Annotated[int, Field(ge=0, le=24)]] = Field(min_length=2, max_length=2)
    # Response patterns as rotas of whole officers under working-time rules, costed beside the establishments.
    rotas: list[IrtRota] = []
    # Annual cost of an officer, on-costs included (GBP).
    officer_cost_gbp: float = Field(gt=0, le=1_000_000)
    # Joint sensitivity: draws of every assumption at once over its range (irt.sensitivity), and their seed.
    joint_draws: int = Field(ge=10, le=100_000)
    joint_seed: int = Field(ge=0, le=2**31 - 1)
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
        from lib.errors import ModelError

        for i, r in enumerate(self.rotas):
            try:
                self.rota_params(r, where=f"irt.rotas[{i}].rules")
            except ModelError as exc:
                raise ValueError(str(exc)) from None
        return self

    def rota_params(self, option: IrtRota, where: str = "irt.rotas"):
        """A response rota's rules (:class:`lib.staffing.rota_rules.RotaParams`): officers work at most their
        contracted hours a week on average unless the rota says otherwise."""
        from lib.staffing.rota_rules import RotaParams

        return RotaParams.from_mapping({"max_average_weekly_hours": self.contracted_hours_per_week, **option.rules},
                                       where=where)


Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]


class Force(_Strict):
    """The force an edition is about: its books, its history and the files it reads are this force's only."""

    # data.police.uk's id of the force, as in its file names (2019-01-cleveland-street.csv); an edition's
    # versions are kept under it (_build/<id>/<period>/), so two forces never share a history.
    id: Slug
    # The force as data.police.uk names it in every row's `Reported by` / `Falls within` (e.g. Cleveland Police).
    name: str = Field(min_length=1, max_length=120)


class Params(_Strict):
    """The validated parameters of one reporting period."""

    schema_version: Literal[1]
    title: str = Field(min_length=1, max_length=200)
    # The name on the title page (e.g. "Cleveland Police (demo data)").
    force_name: str = Field(min_length=1, max_length=200)
    force: Force
    period: str
    period_start: dt.date
    period_end: dt.date
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
        if self.period_end < self.period_start:
            raise ValueError(
                f"period_end = {self.period_end} is before period_start = {self.period_start}"
            )
        first = dt.date(int(self.period[:4]), int(self.period[5:]), 1)
        if self.period_start != first:
            raise ValueError(
                f"period_start = {self.period_start} must be the first day of period {self.period} ({first})"
            )
        if self.history_start > self.period_start:
            raise ValueError(
                f"history_start = {self.history_start} must be on or before period_start = {self.period_start}"
            )
        last = (pd.Period(self.period, "M").end_time.date())
        if self.period_end > last:
            raise ValueError(f"period_end = {self.period_end} is after the period {self.period} (it ends on {last})")
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


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, for the validator to parse, and refuses aliases.

    Params need no aliases (``*name``), and a few nested ones can expand to gigabytes (the
    "billion laughs"), so any alias is an error at the point it appears.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"an alias (*{event.anchor}) is not allowed here; "
                                              "write the value out", event.start_mark)
        return super().compose_node(parent, index)


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def public_path(path: Path) -> str:
    """How a file is named on a published page: relative to the repository, or by its name alone
    (an input outside the project is identified by its name and SHA-256, never by a machine's path)."""
    try:
        return Path(os.path.abspath(path)).relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name


def display_path(path: Path) -> str:
    """A path for a message to the person running the report: relative to the repository where possible."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(ROOT))
    except ValueError:
        return str(path)


MAX_PARAMS_BYTES = 1_000_000


def read_yaml(path: Path, what: str = "params file") -> dict[str, Any]:
    """Read a YAML file of ours (params, the measure catalogue): at most ``MAX_PARAMS_BYTES``, UTF-8, aliases
    refused (a few nested ones expand to gigabytes), dates left as text, a mapping at the top.

    Raises
    ------
    ParamsError
        Naming the file and the problem (``what`` says what the file is).
    """
    if not path.is_file():
        raise ParamsError(f"{display_path(path)}: {what} not found")
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise ParamsError(f"{display_path(path)}: {path.stat().st_size:,} bytes; a {what} is at most "
                          f"{MAX_PARAMS_BYTES:,} bytes")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ParamsError(f"{display_path(path)}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); "
                          "save the file as UTF-8") from None
    except OSError as exc:
        raise ParamsError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError(f"{display_path(path)}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ParamsError(f"{display_path(path)}: nested too deeply to be a {what}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError(f"{display_path(path)}: must be a mapping of keys to values, got {type(data).__name__}")
    return data


def _absolute_paths(value, folder: Path):
    """An input's path(s) made absolute from ``folder`` (a path, a list, or a mapping with ``path``)."""
    def one(p):
        return str((folder / p).resolve()) if isinstance(p, str) and not Path(p).is_absolute() else p

    if isinstance(value, str):
        return one(value)
    if isinstance(value, list):
        return [one(p) for p in value]
    if isinstance(value, dict) and "path" in value:
        return {**value, "path": [one(p) for p in value["path"]] if isinstance(value["path"], list) else one(value["path"])}
    return value


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _has_key(data: dict, loc: tuple) -> bool:
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _allowed_keys(loc: tuple) -> list[str]:
    model: Any = Params
    for part in loc:
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = field.annotation
    return sorted(k for k in getattr(model, "model_fields", {}) if k != "source_file")


def _describe(error: dict, files: list[tuple[Path, dict]]) -> str:
    loc = tuple(str(p) for p in error["loc"])
    key = ".".join(loc)
    origin = next((p for p, data in files if _has_key(data, loc)), files[0][0])
    where = display_path(origin)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1]))
        return f"{where}: {key}: unknown key; allowed keys here: {allowed}"
    if kind == "missing":
        return f"{where}: {key}: required key is missing"
    msg = error["msg"].removeprefix("Value error, ")
    if "input" in error and loc:
        return f"{where}: {key} = {error['input']!r}: {msg}"
    return f"{where}: {msg}"


PROJECT_PARAMS = ROOT / "params"


def _beside_or_project(folder: Path, name: str) -> Path:
    """A file a params file names (``extends: defaults.yml``, ``catalogue: measures.yml``): beside it, or — for a
    copy kept elsewhere, e.g. beside the downloads — the project's ``params/`` file of that name."""
    here = (folder / name).resolve()
    project = (PROJECT_PARAMS / name).resolve()
    return project if not here.exists() and not Path(name).is_absolute() and project.is_file() else here


def load_params(path: str | Path) -> Params:
    """Read, merge and validate a period's params file.

    Parameters
    ----------
    path : str or Path
        The period file, e.g. ``params/2019-12.yml``; relative paths are taken from the current
        directory, then from the repository root.

    Returns
    -------
    Params

    Raises
    ------
    ParamsError
        The file is missing or malformed, a key is unknown or missing, a value has the wrong type
        or range, the dates disagree, or an input file does not exist.
    """
    path = Path(path)
    if not path.is_absolute() and not path.exists() and (ROOT / path).exists():
        path = ROOT / path
    path = path.resolve()
    period_data = read_yaml(path)
    files = [(path, period_data)]
    merged = dict(period_data)
    parent = merged.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise ParamsError(f"{display_path(path)}: extends = {parent!r}: must be the name of a params file")
        base_path = _beside_or_project(path.parent, parent)
        base = read_yaml(base_path)
        if "extends" in base:
            raise ParamsError(f"{display_path(base_path)}: extends: a defaults file cannot extend another")
        files.append((base_path, base))
        merged = _merge(base, merged)
        # Input paths are relative to the file that names them.
        for source, value in list(merged.get("inputs", {}).items()):
            if not _has_key(period_data, ("inputs", source)):
                merged["inputs"][source] = _absolute_paths(value, base_path.parent)
        peers = merged.get("peers")
        if isinstance(peers, dict) and isinstance(peers.get("archive"), str) and not _has_key(period_data, ("peers", "archive")):
            merged["peers"] = {**peers, "archive": str((base_path.parent / peers["archive"]).resolve())}
        catalogue = merged.get("scorecard", {}).get("catalogue") if isinstance(merged.get("scorecard"), dict) else None
        if isinstance(catalogue, str) and not _has_key(period_data, ("scorecard", "catalogue")):
            merged["scorecard"]["catalogue"] = str((base_path.parent / catalogue).resolve())
        elif isinstance(catalogue, str):  # named by the period file: beside it, or the project's
            merged["scorecard"]["catalogue"] = str(_beside_or_project(path.parent, catalogue))
    try:
        params = Params(**merged, source_file=path)
    except ValidationError as exc:
        raise ParamsError("\n".join(_describe(e, files) for e in exc.errors())) from None
    except TypeError as exc:
        raise ParamsError(f"{display_path(path)}: {exc}") from None
    stem = path.stem
    if PERIOD_RE.match(stem) and stem != params.period:
        raise ParamsError(f"{display_path(path)}: period = {params.period!r}: must match the file name ({stem!r})")
    missing = []
    for source in Inputs.model_fields:
        for resolved in params.input_paths(source):
            kind, others = read_as(resolved)
            if kind in {"path", "pattern"}:
                continue
            origin = path if _has_key(period_data, ("inputs", source)) else files[-1][0]
            what = ambiguity(resolved, others) if kind == "ambiguous" else (
                f"{display_path(resolved)!r}: " + ("no file matches this pattern" if GLOB_CHARS & set(str(resolved))
                                                   else "no such file or folder")
                + " (paths are relative to the params file; run `make demo-data` for the demo inputs)")
            missing.append(f"{display_path(origin)}: inputs.{source} = {what}")
    if not params.catalogue_path().is_file():
        origin = path if _has_key(period_data, ("scorecard", "catalogue")) else files[-1][0]
        missing.append(f"{display_path(origin)}: scorecard.catalogue = {display_path(params.catalogue_path())!r}: "
                       f"file not found (the IMPACT measure catalogue, e.g. params/measures.yml)")
    if params.peers is not None and not params.peers_archive().is_dir():
        origin = path if _has_key(period_data, ("peers", "archive")) else files[-1][0]
        missing.append(f"{display_path(origin)}: peers.archive = {display_path(params.peers_archive())!r}: no such folder "
                       "(a data.police.uk archive: YYYY-MM/YYYY-MM-<force>-street.csv; run `make demo-data` for the demo's)")
    if missing:
        raise ParamsError("\n".join(missing))
    _check_interventions(params, path if "interventions" in period_data else files[-1][0])
    return params


def _check_interventions(params: Params, origin: Path) -> None:
    """Each intervention names measures of the catalogue and a month from the history's first to the period."""
    from lib.config.catalogue import load_catalogue

    if not params.interventions:
        return
    ids = [m.id for m in load_catalogue(params.catalogue_path())]
    first = params.history_start.strftime("%Y-%m")
    problems = []
    for i, item in enumerate(params.interventions):
        for mid in item.measures:
            if mid not in ids:
                problems.append(f"{display_path(origin)}: interventions[{i}].measures: {mid!r} is not a measure of "
                                f"{display_path(params.catalogue_path())} (ids: {', '.join(ids)})")
        if not first <= item.month <= params.period:
            problems.append(f"{display_path(origin)}: interventions[{i}].month = {item.month!r}: outside the data, "
                            f"which runs from history_start ({first}) to the period ({params.period})")
    if problems:
        raise ParamsError("\n".join(problems))
