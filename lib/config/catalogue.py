"""The measure catalogue (``params/measures.yml``): every measure the book shows, once, with its one target.

A measure with priorities is an IMPACT scorecard measure (the strategic plan's list); a measure
with none is reported in the compliance chapter only. Either way its target (``desired``), unit
and direction live here and nowhere else: the scorecard, the compliance chapter and the summary
read them from the catalogue. Validated strictly, like the params.

**No invented targets.** A measure has a target only where the catalogue sets one, with where it comes
from (``desired_source``); without one the book says "no target set" and gives it no score, no
assurance reading and no exception. ``params/measures.yml`` defines the measures and sets only
published standards (999 calls answered within 10 seconds: the national standard), so a public
edition built on it judges nothing against a target nobody set. A force's own targets, or the
demo's, live in a catalogue that names it (``extends: measures.yml``) and adds them under
``targets:`` (``params/measures-demo.yml``: the demo force's, every one a "demo assumption").

**An owner for every measure.** Each measure names the role accountable for it (``owner``: a role such
as "Head of Crime", never a person's name); a catalogue without one for a measure is refused, naming the
file, the measure and what is allowed. A catalogue that extends another may name its own force's roles
under ``owners:`` (measure id → role), replacing the extended catalogue's.

**The words a compliance measure reads in.** A measure shown in the compliance chapter
(``shown_in: [compliance]``) gives the words that follow its rate in the chapter's prose (``sentence``:
"of PPNs were submitted in time", read as "98.5% of PPNs were submitted in time (n = 1,234)"), so the
catalogue that sends a measure to the chapter also says how the chapter names it (the chapter's prose,
``notebooks/compliance.ipynb``, places each sentence under its topic). A compliance measure without one is
refused, naming the file, the measure and what is allowed; so are words on a measure the chapter does not
show. The words are shown as text, like every name of the catalogue (:mod:`lib.present.texts`).
"""
from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lib.config.paths import display_path
from lib.config.yamlfile import read_yaml
from lib.errors import ParamsError
from lib.vocabulary import PRIORITIES, ROUTES

# The chapters a catalogue row can send a measure to (the scorecard takes every measure with priorities).
CHAPTERS_SHOWING = ("compliance",)

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
    desired: float | None = Field(None, gt=0)  # the target; None: no target set
    desired_source: str = ""
    source: str
    to_be_developed: bool = False
    # The chapters that show the measure besides the scorecard (which shows every measure with priorities).
    shown_in: list[Literal[CHAPTERS_SHOWING]] = []
    # calls.<route>: the target is that route's call-answer standard (params calls.answer), not set here.
    standard: str | None = Field(None, pattern=r"^calls\.[a-z0-9]+$")
    # The role accountable for the measure (required: load_catalogue refuses a measure without one).
    owner: str | None = Field(None, min_length=1, max_length=80)
    # The words after the measure's rate in the compliance chapter's prose ("of PPNs were submitted in time");
    # required of a measure shown in that chapter (load_catalogue refuses one without them).
    sentence: str | None = Field(None, min_length=1, max_length=120)

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if not re.fullmatch(r"none|measure_values|derived:[a-z0-9_]+", self.source):
            raise ValueError(f"source = {self.source!r}: must be 'none', 'measure_values' or 'derived:<name>'")
        if self.to_be_developed and self.source != "none":
            raise ValueError("a measure to be developed has source 'none'")
        if not self.to_be_developed and self.source == "none":
            raise ValueError("a measure that is not 'to be developed' needs a source")
        if self.standard is not None and self.standard.split(".", 1)[1] not in ROUTES:
            raise ValueError(f"standard = {self.standard!r}: give calls.<route>, a route of {', '.join(ROUTES)}")
        if self.standard is not None and self.desired is not None:
            raise ValueError(f"desired = {self.desired:g} and standard = {self.standard!r}: the target of a measure "
                             f"with a standard is the standard's share (params {self.standard.replace('.', '.answer.', 1)}); "
                             "give one of the two")
        if self.desired is not None and not self.desired_source.strip():
            raise ValueError(f"desired = {self.desired:g}: a target says where it comes from (desired_source)")
        if self.unit == "percent" and self.desired is not None and self.desired > 100:
            raise ValueError(f"desired = {self.desired:g}: a percentage is at most 100")
        return self

    @property
    def in_scorecard(self) -> bool:
        """True for an IMPACT measure (one listed under a priority)."""
        return bool(self.priorities)


class Target(BaseModel):
    """A target a catalogue adds to a measure of the catalogue it extends."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    desired: float = Field(gt=0)
    desired_source: str = Field(min_length=1)


class Catalogue(BaseModel):
    """The measure catalogue file: the measures, or (with ``extends``) another catalogue's measures and targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    extends: str | None = None
    measures: list[Measure] = []
    targets: dict[str, Target] = {}
    owners: dict[str, str] = {}

    @model_validator(mode="after")
    def _one_kind(self) -> Catalogue:
        if self.extends is None and not self.measures:
            raise ValueError("measures: a catalogue lists its measures, or extends another catalogue")
        if self.extends is not None and self.measures:
            raise ValueError("measures: a catalogue that extends another adds targets only (the measures are defined "
                             "once, in the catalogue it extends)")
        if self.extends is None and self.targets:
            raise ValueError("targets: only a catalogue that extends another adds targets (set `desired` on a measure)")
        if self.extends is None and self.owners:
            raise ValueError("owners: only a catalogue that extends another adds owners (set `owner` on a measure)")
        blank = sorted(k for k, v in self.owners.items() if not v.strip() or len(v) > 80)
        if blank:
            raise ValueError(f"owners: {', '.join(map(repr, blank))}: an owner is a role of 1 to 80 characters "
                             "(e.g. 'Head of Crime')")
        return self


def _problems(exc: ValidationError, where: str) -> str:
    lines = []
    for e in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e["loc"]).replace(".[", "[")
        msg = e["msg"].removeprefix("Value error, ")
        got = f" (got {e['input']!r})" if e["type"] != "missing" and not isinstance(e.get("input"), dict) else ""
        lines.append(f"{where}: {loc}: {msg}{got}")
    return "\n".join(lines)


def _read(path: Path) -> Catalogue:
    where = display_path(path)
    data = read_yaml(Path(path), "measure catalogue")  # the params' guard: size, UTF-8, no aliases
    try:
        return Catalogue(**data)
    except ValidationError as exc:
        raise ParamsError(_problems(exc, where)) from None
    except (TypeError, UnicodeDecodeError, OSError) as exc:
        raise ParamsError(f"{where}: {exc}") from None


def _with_targets(path: Path, catalogue: Catalogue) -> list[Measure]:
    """The measures of the catalogue ``catalogue`` (read from ``path``) extends, with its targets set."""
    where = display_path(path)
    base_path = (Path(path).parent / catalogue.extends).resolve()
    if not base_path.is_file():
        raise ParamsError(f"{where}: extends = {catalogue.extends!r}: file not found")
    base = _read(base_path)
    if base.extends is not None:
        raise ParamsError(f"{display_path(base_path)}: extends: a catalogue that is extended cannot extend another")
    by_id = {m.id: m for m in base.measures}
    for key, given in (("targets", catalogue.targets), ("owners", catalogue.owners)):
        unknown = sorted(set(given) - set(by_id))
        if unknown:
            raise ParamsError(f"{where}: {key}: {', '.join(map(repr, unknown))} "
                              f"{'is not a measure' if len(unknown) == 1 else 'are not measures'} of "
                              f"{display_path(base_path)}")
    out = []
    for m in base.measures:
        target = catalogue.targets.get(m.id)
        owner = {"owner": catalogue.owners[m.id]} if m.id in catalogue.owners else {}
        if target is None:
            out.append(m.model_copy(update=owner))
            continue
        try:
            out.append(Measure(**{**m.model_dump(), **target.model_dump(), **owner}))
        except ValidationError as exc:
            raise ParamsError(_problems(exc, f"{where}: targets.{m.id}")) from None
    return out


def load_catalogue(path: Path, derived: Collection[str] | None = None) -> list[Measure]:
    """Read and validate the catalogue (and the catalogue it extends, if any).

    ``derived`` names the ``derived:`` sources there are (:func:`lib.measures.derived.catalogue` passes its
    registry); None: not checked here (reading only the ids).

    Raises
    ------
    ParamsError
        Unreadable file, unknown keys, bad values, a duplicate id, a derived measure that does not
        exist, a compliance measure missing, a target or owner for a measure the extended catalogue does not
        have, a target without its source, a measure without an owner, a measure shown in the compliance
        chapter without its sentence, or a sentence on a measure no chapter reads it for.
    """
    where = display_path(path)
    catalogue = _read(path)
    measures = _with_targets(path, catalogue) if catalogue.extends is not None else list(catalogue.measures)
    ids = [m.id for m in measures]
    problems = [f"{where}: measures: duplicate id {i!r}; each measure appears once"
                for i in sorted({i for i in ids if ids.count(i) > 1})]
    if derived is not None:
        problems += [f"{where}: {m.id}: source = {m.source!r}: no such derived measure; known: "
                     f"{', '.join(sorted(derived))}" for m in measures
                     if m.source.startswith("derived:") and m.source[8:] not in derived]
    origin = where if catalogue.extends is None else display_path((Path(path).parent / catalogue.extends).resolve())
    also = "" if catalogue.extends is None else f", or name it under owners: in {where}"
    problems += [f"{origin}: measures[{i}] ({m.id}): owner: missing; give the role accountable for the measure, "
                 f"1 to 80 characters (e.g. 'Head of Crime'; a role, never a person's name){also}"
                 for i, m in enumerate(measures) if m.owner is None]
    problems += [f"{origin}: measures[{i}] ({m.id}): sentence: "
                 f"{'missing' if m.sentence is None else f'{m.sentence!r} is blank'}; a measure shown in the compliance "
                 "chapter (shown_in: [compliance]) gives the words that follow its rate in the chapter's prose, 1 to 120 "
                 "characters (e.g. 'of PPNs were submitted in time')"
                 for i, m in enumerate(measures) if "compliance" in m.shown_in and not (m.sentence or "").strip()]
    problems += [f"{origin}: measures[{i}] ({m.id}): sentence = {m.sentence!r}: only a measure shown in the compliance "
                 "chapter (shown_in: [compliance]) reads in a sentence, and no page would show these words; remove "
                 "the sentence or add shown_in: [compliance]"
                 for i, m in enumerate(measures) if m.sentence is not None and "compliance" not in m.shown_in]
    if not any("compliance" in m.shown_in for m in measures):
        problems.append(f"{where}: measures: no measure is shown in the compliance chapter (shown_in: [compliance])")
    if problems:
        raise ParamsError("\n".join(problems))
    return measures
