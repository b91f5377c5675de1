"""The book's chapters: one module each, named after its notebook, and the one registry every stage reads.

A chapter module (``lib/chapters/<name>.py`` for ``notebooks/<name>.ipynb``) holds all of its chapter:

- ``NEEDS``: the inputs it is written from (any one of them; without all of them the chapter is a "not
  supplied" page, and every other page says so in the same words, :func:`not_supplied_text`);
- ``AFTER``: the chapters (or fact stages) whose facts it reads, computed before it;
- ``facts(loaded, params, earlier)``: the fact tables it computes, once, from the validated inputs and
  the facts computed before it (a read-only mapping);
- how it presents them: its narrative (texts glued into the notebook's prose), its tables and figures.

Domain models — Erlang, rotas, rates, control charts, disclosure control — stay in their packages
(``lib.staffing``, ``lib.peers``, ``lib.stats``, ``lib.measures``); chapters call them.

:data:`ORDER` is the registry: the facts stage computes in this order (a test checks that every
``AFTER`` comes earlier and that the notebooks in ``_toc.yml`` are exactly the registry's). "measures" is a
fact stage without a page of its own (every measure's monthly series, :mod:`lib.measures.facts`).

To add a chapter: write ``notebooks/<name>.ipynb`` (thin: parameters, :func:`lib.pipeline.notebooks.open_period`,
calls to this module), ``lib/chapters/<name>.py`` with the four parts above, a line in ``_toc.yml``, and its
name in :data:`ORDER`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from lib.present.display import NOT_SUPPLIED, needs, not_supplied

# The fact stages in the order they are computed (each after those it reads), then the pages that only present.
ORDER = ("measures", "scorecard", "compliance", "crime", "stop_search", "fcr", "irt", "force_management", "programme",
         "exceptions", "districts", "peers", "data", "changes", "summary")
MODULES = {"measures": "lib.measures.facts"}  # a stage whose facts live with their domain, not a page


@dataclass(frozen=True)
class Chapter:
    """One entry of the registry: its name (its notebook's) and its module, read on first use."""

    name: str

    @property
    def module(self) -> ModuleType:
        return import_module(MODULES.get(self.name, f"lib.chapters.{self.name}"))

    @property
    def needs(self) -> tuple[str, ...]:
        """The inputs it is written from: any one of them ('()' for none)."""
        return tuple(getattr(self.module, "NEEDS", ()))

    @property
    def after(self) -> tuple[str, ...]:
        """The chapters and stages whose facts it reads."""
        return tuple(getattr(self.module, "AFTER", ()))

    @property
    def has_page(self) -> bool:
        return self.name not in MODULES

    def supplied(self, loaded: Mapping) -> bool:
        """True when the inputs give it what it needs."""
        return not self.needs or any(source in loaded for source in self.needs)

    def facts(self, loaded: Mapping, params, earlier: Mapping) -> dict:
        """Its fact tables (none for a page that only presents others' facts)."""
        compute = getattr(self.module, "facts", None)
        return compute(loaded, params, earlier) if compute is not None else {}


REGISTRY = tuple(Chapter(name) for name in ORDER)
CHAPTERS = {c.name: c for c in REGISTRY}


def chapter(name: str) -> Chapter:
    """The registry's entry for ``name`` (a notebook's name, with or without ``notebooks/``)."""
    return CHAPTERS[name.removeprefix("notebooks/")]


def not_supplied_text(name: str) -> str:
    """The one wording for a chapter whose inputs are not supplied: "not supplied (needs inputs.contacts)"."""
    sources = chapter(name).needs
    return not_supplied(needs(sources)) if sources else NOT_SUPPLIED


def ran(facts: Mapping, name: str) -> bool:
    """True when the chapter's facts were computed in this build (its inputs were supplied): the facts stage
    records it in the ``chapters`` table."""
    table = facts["chapters"].set_index("chapter")["supplied"] if "chapters" in facts else None
    return bool(table[name]) if table is not None and name in table.index else False
