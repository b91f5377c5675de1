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
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import ROOT
from .errors import ParamsError

SCHEMA_VERSION = 1
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SOURCES = ("contacts", "incidents", "stop_search", "crimes", "ppn", "audits", "measure_values")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Inputs(_Strict):
    """Input files, one per source (Parquet or CSV); ``tracker_previous`` may be absent."""

    contacts: Path
    incidents: Path
    stop_search: Path
    crimes: Path
    ppn: Path
    audits: Path
    measure_values: Path
    tracker: Path
    tracker_previous: Path | None = None


class Validation(_Strict):
    """What to do with rows that break their contract."""

    on_row_error: Literal["exclude", "fail"] = "exclude"


class Disclosure(_Strict):
    """Statistical disclosure control for published tables about people."""

    min_count: int = Field(5, ge=1, le=100)
    # Coordinates may be published with at most this many decimal places (2 ≈ 1 km).
    coordinate_decimals: int = Field(2, ge=0, le=6)


class ComplianceTargets(_Strict):
    """Targets for the compliance rates, in percent (blank: no target, so no assurance icon)."""

    ppn_submitted_in_time: float | None = Field(None, gt=0, le=100)
    ppn_all_children: float | None = Field(None, gt=0, le=100)
    stop_search_grounds: float | None = Field(None, gt=0, le=100)
    stop_search_supervised: float | None = Field(None, gt=0, le=100)
    da_arrest_rate: float | None = Field(None, gt=0, le=100)


class Compliance(_Strict):
    """Compliance chapter settings."""

    baseline_month: str = "2019-03"
    interval_method: Literal["wilson", "clopper_pearson", "jeffreys"] = "wilson"
    targets_pct: ComplianceTargets = ComplianceTargets()
    # measure id -> first month of new control limits (after a deliberate change in the process)
    rebase_at: dict[Literal["ppn_submitted_in_time", "ppn_all_children", "stop_search_grounds",
                            "stop_search_supervised", "da_arrest_rate"], str] = {}

    @field_validator("baseline_month")
    @classmethod
    def _month(cls, value: str) -> str:
        if not PERIOD_RE.match(value):
            raise ValueError("must be a month written YYYY-MM, e.g. 2019-03")
        return value


TrackerType = Literal["cause of concern", "recommendation", "area for improvement", "national recommendation",
                      "NCPI recommendation", "crime data integrity"]


class Programme(_Strict):
    """Programme tracking settings."""

    due_soon_months: int = Field(6, ge=1, le=24)
    rag_red_overdue_pct: float = Field(20, gt=0, le=100)
    rag_amber_overdue_pct: float = Field(1, gt=0, le=100)
    expected_counts: dict[TrackerType, int] = {}

    @model_validator(mode="after")
    def _thresholds(self) -> "Programme":
        if self.rag_amber_overdue_pct > self.rag_red_overdue_pct:
            raise ValueError(f"rag_amber_overdue_pct = {self.rag_amber_overdue_pct:g} must not exceed "
                             f"rag_red_overdue_pct = {self.rag_red_overdue_pct:g}")
        return self


class Calls(_Strict):
    """Call-answering standards used by the scorecard and the control-room chapter."""

    answer_999_target_seconds: float = Field(10, gt=0)
    answer_101_target_seconds: float = Field(120, gt=0)
    # Abandon rate = abandoned ÷ offered (all presented) or ÷ queued (abandoned + answered after a wait).
    abandon_rate_denominator: Literal["offered", "queued"] = "offered"


class Response(_Strict):
    """Attendance targets by grade, minutes from incident creation to first arrival."""

    immediate_target_minutes: float = Field(15, gt=0)
    priority_target_minutes: float = Field(60, gt=0)


class Scorecard(_Strict):
    """IMPACT scorecard settings."""

    catalogue: Path = Path("measures.yml")
    population: int = Field(570_000, gt=0)
    positive_outcomes: list[str] = ["Offender given a caution", "Local resolution", "Awaiting court outcome"]
    neighbourhood_crime_types: list[str] = ["Burglary", "Robbery", "Theft from the person", "Vehicle crime"]


class ShiftSpec(_Strict):
    """One shift of a daily pattern: start hour, length and staff starting it every day."""

    start_hour: int = Field(ge=0, le=23)
    length_hours: int = Field(ge=1, le=24)
    staff: int = Field(ge=0)


class Grade(_Strict):
    """A control-room grade: its cost per paid hour and how many are rostered per call handler."""

    name: str = Field(min_length=1)
    cost_per_hour_gbp: float = Field(gt=0)
    per_call_handler: float = Field(gt=0)


class Fcr(_Strict):
    """Control-room staffing model."""

    routes: list[Literal["999", "101", "switchboard", "online"]] = ["999", "101"]
    interval_minutes: Literal[15, 30, 60] = 60
    modified_offered_load: bool = False
    service_level_999: float = Field(0.90, gt=0, lt=1)
    service_level_101: float = Field(0.80, gt=0, lt=1)
    shrinkage: float = Field(0.30, ge=0, lt=1)
    max_occupancy: float = Field(0.85, gt=0, le=1)
    patience_seconds: float | None = Field(None, gt=0)
    shift_start_hours: list[int] = [6, 7, 8, 10, 12, 14, 16, 18, 20, 22]
    shift_lengths_hours: list[int] = [8, 10, 12]
    fit_time_limit_seconds: float = Field(20, gt=0)
    fit_mip_gap: float = Field(0.01, ge=0, lt=1)
    current_pattern: list[ShiftSpec] = []
    grades: list[Grade] = [Grade(name="call handler", cost_per_hour_gbp=19.5, per_call_handler=1.0)]
    scenarios_staff_pct: list[float] = [80, 90, 100, 110, 120, 130]
    scenarios_shrinkage: list[float] = [0.25, 0.30, 0.35]
    scenarios_service_level_999: list[float] = [0.85, 0.90, 0.95]


class PatternShift(_Strict):
    """A daily shift of an IRT pattern and its relative staffing weight."""

    start_hour: int = Field(ge=0, le=23)
    length_hours: int = Field(ge=1, le=24)
    weight: float = Field(gt=0)


class Pattern(_Strict):
    """A named IRT shift pattern (e.g. 4 on 4 off: 07-19 and 19-07, equally staffed)."""

    name: str = Field(min_length=1)
    shifts: list[PatternShift] = Field(min_length=1)


class Irt(_Strict):
    """Incident-response establishment model (each assumption with its source in defaults.yml)."""

    travel_minutes: float = Field(10, ge=0)
    demand_weeks: int = Field(13, ge=1, le=104)
    attend_probability: float = Field(0.9, gt=0, lt=1)
    cover_share: float = Field(0.95, gt=0, le=1)
    current_establishment: int | None = Field(None, ge=0)
    patterns: list[Pattern] = []
    fit_start_hours: list[int] = [6, 7, 8, 10, 12, 14, 16, 17, 18, 20, 22]
    fit_lengths_hours: list[int] = [8, 10]
    contracted_hours_per_week: float = Field(40, gt=0)
    annual_leave_pct: float = Field(12, ge=0, lt=100)
    training_pct: float = Field(5, ge=0, lt=100)
    sickness_pct: float = Field(5, ge=0, lt=100)
    proactive_pct: float = Field(20, ge=0, lt=100)


class Params(_Strict):
    """The validated parameters of one reporting period."""

    schema_version: Literal[1]
    title: str = Field(min_length=1)
    force_name: str = Field(min_length=1)
    period: str
    period_start: dt.date
    period_end: dt.date
    history_start: dt.date
    timezone: Literal["Europe/London"] = "Europe/London"
    inputs: Inputs
    validation: Validation = Validation()
    disclosure: Disclosure = Disclosure()
    compliance: Compliance = Compliance()
    programme: Programme = Programme()
    calls: Calls = Calls()
    response: Response = Response()
    scorecard: Scorecard = Scorecard()
    fcr: Fcr = Fcr()
    irt: Irt = Irt()
    # Set by the loader, not by the file.
    source_file: Path = Field(default=Path("."), exclude=True)

    @field_validator("period")
    @classmethod
    def _period_format(cls, value: str) -> str:
        if not PERIOD_RE.match(value):
            raise ValueError("must be a month written YYYY-MM, e.g. 2019-12")
        return value

    @model_validator(mode="after")
    def _dates_agree(self) -> "Params":
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
        if not self.history_start.strftime("%Y-%m") <= self.compliance.baseline_month <= self.period:
            raise ValueError(
                f"compliance.baseline_month = {self.compliance.baseline_month!r} must be between "
                f"history_start ({self.history_start:%Y-%m}) and the period ({self.period})"
            )
        return self

    def catalogue_path(self) -> Path:
        """Absolute path of the measure catalogue (relative paths: from the params folder)."""
        path = self.scorecard.catalogue
        return path if path.is_absolute() else (self.source_file.parent / path).resolve()

    def input_path(self, source: str) -> Path:
        """Absolute path of an input file (``source`` as in :class:`Inputs`)."""
        path = getattr(self.inputs, source)
        return path if path is None or path.is_absolute() else (self.source_file.parent / path).resolve()

    def as_yaml(self) -> str:
        """The parameters as used, input paths shown relative to the repository root."""
        data = self.model_dump(mode="json", exclude={"source_file"})
        data["scorecard"]["catalogue"] = display_path(self.catalogue_path())
        data["inputs"] = {
            k: None if self.input_path(k) is None else display_path(self.input_path(k)) for k in data["inputs"]
        }
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    @property
    def previous_period(self) -> str:
        """The month before this period, as YYYY-MM."""
        year, month = int(self.period[:4]), int(self.period[5:])
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return f"{year:04d}-{month:02d}"


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, for the validator to parse."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def display_path(path: Path) -> str:
    """A path relative to the repository root where possible (never a machine's absolute path)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ParamsError(f"{display_path(path)}: params file not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError(f"{display_path(path)}: not valid YAML{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError(f"{display_path(path)}: must be a mapping of keys to values, got {type(data).__name__}")
    return data


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
    period_data = _read_yaml(path)
    files = [(path, period_data)]
    merged = dict(period_data)
    parent = merged.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise ParamsError(f"{display_path(path)}: extends = {parent!r}: must be the name of a params file")
        base_path = (path.parent / parent).resolve()
        base = _read_yaml(base_path)
        if "extends" in base:
            raise ParamsError(f"{display_path(base_path)}: extends: a defaults file cannot extend another")
        files.append((base_path, base))
        merged = _merge(base, merged)
        # Input paths are relative to the file that names them.
        for source, value in list(merged.get("inputs", {}).items()):
            if isinstance(value, str) and not _has_key(period_data, ("inputs", source)):
                merged["inputs"][source] = str((base_path.parent / value).resolve())
        catalogue = merged.get("scorecard", {}).get("catalogue") if isinstance(merged.get("scorecard"), dict) else None
        if isinstance(catalogue, str) and not _has_key(period_data, ("scorecard", "catalogue")):
            merged["scorecard"]["catalogue"] = str((base_path.parent / catalogue).resolve())
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
        resolved = params.input_path(source)
        if resolved is not None and not resolved.is_file():
            origin = path if _has_key(period_data, ("inputs", source)) else files[-1][0]
            missing.append(
                f"{display_path(origin)}: inputs.{source} = {display_path(resolved)!r}: file not found "
                f"(paths are relative to the params file; run `make demo-data` for the demo inputs)"
            )
    if not params.catalogue_path().is_file():
        origin = path if _has_key(period_data, ("scorecard", "catalogue")) else files[-1][0]
        missing.append(f"{display_path(origin)}: scorecard.catalogue = {display_path(params.catalogue_path())!r}: "
                       f"file not found (the IMPACT measure catalogue, e.g. params/measures.yml)")
    if missing:
        raise ParamsError("\n".join(missing))
    return params
