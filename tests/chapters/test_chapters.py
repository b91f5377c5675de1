"""The chapter registry: one module per chapter, named after its notebook, and every stage reads the registry."""
from __future__ import annotations

import pytest

from lib import ROOT
from lib.chapters import CHAPTERS, ORDER, REGISTRY, chapter, not_supplied_text, ran
from lib.pipeline.book import chapter_notebooks


def test_the_book_s_notebooks_are_the_registry_s_pages():
    pages = [c.name for c in REGISTRY if c.has_page]
    assert sorted(n.removeprefix("notebooks/") for n in chapter_notebooks()) == sorted(pages)
    for name in pages:
        assert (ROOT / "notebooks" / f"{name}.ipynb").is_file()
        assert (ROOT / "lib" / "chapters" / f"{name}.py").is_file()


def test_every_chapter_reads_only_facts_computed_before_it():
    for position, c in enumerate(REGISTRY):
        for earlier in c.after:
            assert earlier in CHAPTERS, (c.name, earlier)
            assert ORDER.index(earlier) < position, f"{c.name} reads {earlier}, computed after it"


@pytest.mark.parametrize("name", ORDER)
def test_every_chapter_declares_what_it_needs(name):
    module = chapter(name).module
    assert isinstance(module.NEEDS, tuple) and isinstance(module.AFTER, tuple)
    from lib.inputs.contracts import CONTRACTS

    assert all(source in CONTRACTS for source in module.NEEDS)


def test_one_wording_for_a_chapter_not_supplied():
    assert not_supplied_text("fcr") == "not supplied (needs inputs.contacts)"
    assert not_supplied_text("notebooks/force_management") == "not supplied (needs inputs.contacts or inputs.incidents)"
    assert not_supplied_text("scorecard") == "not supplied"  # needs nothing: never said, but never garbled


def test_the_facts_record_which_chapters_ran(facts):
    assert ran(facts, "fcr") and ran(facts, "programme") and not ran(facts, "no such chapter")
    assert set(facts["chapters"]["chapter"]) == set(ORDER)
