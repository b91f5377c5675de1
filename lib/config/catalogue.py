"""The measure catalogue (``params/measures.yml``): every measure the book shows, once, with its one target.

A measure with priorities is an IMPACT scorecard measure (the strategic plan's list); a measure
with none is reported in the compliance chapter only. Either way its target (``desired``), unit
and direction live here and nowhere else: the scorecard, the compliance chapter and the summary
read them from the catalogue. Validated strictly, like the params.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lib.config.params import display_path, read_yaml
from lib.errors import ParamsError
from lib.vocabulary import COMPLIANCE_MEASURES, PRIORITIES

UNITS = ("percent", "count", "rate_per_1000", "days")


class Measure(BaseModel):
    """One measure of the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1, max_length=60)
    priorities: list[Literal[PRIORITIES]] = []
    unit: Literal[UNITS]
    direction: Literal["higher", "lower"]
    desired: float | None = Field(None, gt=0)
    desired_source: str = ""
    source: str
    to_be_developed: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if not re.fullmatch(r"none|measure_values|derived:[a-z0-9_]+", self.source):
            raise ValueError(f"source = {self.source!r}: must be 'none', 'measure_values' or 'derived:<name>'")
        if self.to_be_developed and self.source != "none":
            raise ValueError("a measure to be developed has source 'none'")
        if not self.to_be_developed and (self.desired is None or self.source == "none"):
            raise ValueError("a measure that is not 'to be developed' needs a desired level and a source")
        if self.unit == "percent" and self.desired is not None and self.desired > 100:
            raise ValueError(f"desired = {self.desired:g}: a percentage is at most 100")
        return self

    @property
    def in_scorecard(self) -> bool:
        """True for an IMPACT measure (one listed under a priority)."""
        return bool(self.priorities)


class Catalogue(BaseModel):
    """The measure catalogue file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    measures: list[Measure]


def _problems(exc: ValidationError, where: str) -> str:
    lines = []
    for e in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e["loc"]).replace(".[", "[")
        msg = e["msg"].removeprefix("Value error, ")
        got = f" (got {e['input']!r})" if e["type"] != "missing" and not isinstance(e.get("input"), dict) else ""
        lines.append(f"{where}: {loc}: {msg}{got}")
    return "\n".join(lines)


def load_catalogue(path: Path) -> list[Measure]:
    """Read and validate the catalogue.

    Raises
    ------
    ParamsError
        Unreadable file, unknown keys, bad values, a duplicate id, a derived measure that does not
        exist, or a compliance measure missing.
    """
    from lib.measures.derived import DERIVED

    where = display_path(path)
    data = read_yaml(Path(path), "measure catalogue")  # the params' guard: size, UTF-8, no aliases
    try:
        catalogue = Catalogue(**data)
    except ValidationError as exc:
        raise ParamsError(_problems(exc, where)) from None
    except (TypeError, UnicodeDecodeError, OSError) as exc:
        raise ParamsError(f"{where}: {exc}") from None
    ids = [m.id for m in catalogue.measures]
    problems = [f"{where}: measures: duplicate id {i!r}; each measure appears once"
                for i in sorted({i for i in ids if ids.count(i) > 1})]
    problems += [f"{where}: {m.id}: source = {m.source!r}: no such derived measure; known: {', '.join(sorted(DERIVED))}"
                 for m in catalogue.measures if m.source.startswith("derived:") and m.source[8:] not in DERIVED]
    problems += [f"{where}: measures: the compliance measure {i!r} is missing (the compliance chapter reports it)"
                 for i in COMPLIANCE_MEASURES if i not in ids]
    if problems:
        raise ParamsError("\n".join(problems))
    return catalogue.measures
