"""The rules and solver settings of a rota (:mod:`lib.staffing.rota`), validated without the solver.

Kept apart from the solver so that reading a params file checks ``fcr.rota`` without importing
OR-Tools, scipy or pandas.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import numpy as np

from lib.errors import ModelError

REST = "Rest"


@dataclass(frozen=True)
class NamedShift:
    """A named shift: start hour (0-23) and length in hours, worked on any day."""

    name: str
    start_hour: int
    length_hours: int

    @property
    def label(self) -> str:
        """E.g. ``Night 23-07``."""
        return f"{self.name} {self.start_hour:02d}-{(self.start_hour + self.length_hours) % 24:02d}"


DEFAULT_SHIFTS = (NamedShift("Early", 7, 8), NamedShift("Late", 15, 8), NamedShift("Night", 23, 8))


def _int(where: str, key: str, value, lo: int, hi: int) -> int:
    """An integer from lo to hi, or a ModelError naming the key and value."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ModelError(f"{where}.{key} = {value!r}, must be a whole number from {lo} to {hi}")
    return int(value)


@dataclass(frozen=True)
class RotaParams:
    """Rules and solver settings of a rota; validated on construction (:meth:`from_mapping` for params files)."""

    shifts: tuple[NamedShift, ...] = DEFAULT_SHIFTS
    min_rest_hours: int = 11  # hours from the end of a shift to the start of the next
    max_consecutive_days: int = 6  # days with a shift start in a row
    weekends_off_per_cycle: int = 1  # lines with Saturday 00:00 to Monday 00:00 free
    # At least one weekend off in every this many weeks in a row, round the cycle (every window, the wrap from
    # the last line to the first included; a cycle shorter than this needs one in the cycle); None: no such rule.
    weekend_off_every_weeks: int | None = None
    max_average_weekly_hours: float | None = 48.0  # averaged over the cycle; None: no limit
    min_lines: int = 1  # cycle length in weeks = lines, chosen by the solver in [min_lines, max_lines]
    max_lines: int = 60
    team_size: int = 1  # people working each line together
    require_full_cover: bool = True  # False: under-cover allowed, minimised first
    time_limit_seconds: float = 10.0  # CP-SAT deterministic time
    workers: int = 8  # CP-SAT strategies interleaved on one thread (not threads)
    seed: int = 0
    where: str = field(default="rota", compare=False)  # prefix of the keys in error messages

    def __post_init__(self):
        w = self.where
        if not isinstance(self.shifts, (tuple, list)) or not self.shifts:
            raise ModelError(f"{w}.shifts = {self.shifts!r}, must be a non-empty list of shifts")
        names = set()
        for j, s in enumerate(self.shifts):
            if not isinstance(s, NamedShift):
                raise ModelError(f"{w}.shifts[{j}] = {s!r}, must be a NamedShift (name, start_hour, length_hours)")
            if not isinstance(s.name, str) or not s.name.strip() or s.name.strip().lower() == REST.lower():
                raise ModelError(f"{w}.shifts[{j}].name = {s.name!r}, must be a non-empty name other than {REST!r}")
            if s.name in names:
                raise ModelError(f"{w}.shifts[{j}].name = {s.name!r}, must be unique")
            names.add(s.name)
            _int(w, f"shifts[{j}].start_hour", s.start_hour, 0, 23)
            _int(w, f"shifts[{j}].length_hours", s.length_hours, 1, 24)
        object.__setattr__(self, "shifts", tuple(self.shifts))
        _int(w, "min_rest_hours", self.min_rest_hours, 0, 96)
        _int(w, "max_consecutive_days", self.max_consecutive_days, 0, 42)
        _int(w, "weekends_off_per_cycle", self.weekends_off_per_cycle, 0, 200)
        if self.weekend_off_every_weeks is not None:
            _int(w, "weekend_off_every_weeks", self.weekend_off_every_weeks, 1, 200)
        _int(w, "max_lines", self.max_lines, 1, 200)
        _int(w, "min_lines", self.min_lines, 1, self.max_lines)
        _int(w, "team_size", self.team_size, 1, 100)
        _int(w, "workers", self.workers, 1, 64)
        _int(w, "seed", self.seed, 0, 2**31 - 1)
        h = self.max_average_weekly_hours
        if h is not None and (isinstance(h, bool) or not isinstance(h, (int, float)) or not 0 < h <= 168):
            raise ModelError(f"{w}.max_average_weekly_hours = {h!r}, must be a number of hours in (0, 168] or null")
        t = self.time_limit_seconds
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 3600:
            raise ModelError(f"{w}.time_limit_seconds = {t!r}, must be a number of seconds in (0, 3600]")
        if not isinstance(self.require_full_cover, bool):
            raise ModelError(f"{w}.require_full_cover = {self.require_full_cover!r}, must be true or false")

    @classmethod
    def from_mapping(cls, mapping: Mapping, where: str = "rota") -> RotaParams:
        """Params from a params file's mapping: unknown keys are errors; shifts as {name, start_hour, length_hours}."""
        if not isinstance(mapping, Mapping):
            raise ModelError(f"{where} = {mapping!r}, must be a mapping of rota parameters")
        allowed = [f.name for f in fields(cls) if f.name != "where"]
        for key in mapping:
            if key not in allowed:
                raise ModelError(f"{where}.{key}: unknown key; allowed: {', '.join(allowed)}")
        values = dict(mapping)
        if "shifts" in values:
            if not isinstance(values["shifts"], (list, tuple)):
                raise ModelError(f"{where}.shifts = {values['shifts']!r}, must be a list of shifts")
            shifts = []
            for j, s in enumerate(values["shifts"]):
                keys = {"name", "start_hour", "length_hours"}
                if not isinstance(s, Mapping) or set(s) != keys:
                    raise ModelError(f"{where}.shifts[{j}] = {s!r}, must have exactly the keys {', '.join(sorted(keys))}")
                shifts.append(NamedShift(s["name"], s["start_hour"], s["length_hours"]))
            values["shifts"] = tuple(shifts)
        return cls(**values, where=where)
