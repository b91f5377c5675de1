"""The facts stage: chapters computed as soon as the chapters they read are done, two at a time, with the same
facts as one at a time in the registry's order."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from lib.errors import BuildError
from lib.pipeline import facts as stage


@dataclass(frozen=True)
class _Fake:
    name: str
    after: tuple = ()
    reads: tuple = ()

    needs = ()

    def supplied(self, loaded) -> bool:
        return True

    def facts(self, loaded, params, earlier) -> dict:
        total = sum(int(earlier[t]["n"].sum()) for t in self.reads)
        return {f"{self.name}_t": pd.DataFrame({"n": [total + 1]})}


def _registry(monkeypatch, *chapters):
    monkeypatch.setattr(stage, "REGISTRY", chapters)
    monkeypatch.setattr(stage, "CHAPTERS", {c.name: c for c in chapters})


def test_a_chapter_sees_the_facts_of_the_chapters_it_declares_and_theirs(monkeypatch):
    _registry(monkeypatch, _Fake("a"), _Fake("b", ("a",), ("a_t",)), _Fake("c", ("b",), ("a_t", "b_t")))
    facts = stage.compute(params=None, loaded={}, workers=1)
    assert [int(facts[t]["n"].iloc[0]) for t in ("a_t", "b_t", "c_t")] == [1, 2, 4]


def test_reading_an_undeclared_chapter_fails_instead_of_depending_on_timing(monkeypatch):
    _registry(monkeypatch, _Fake("a"), _Fake("b", (), ("a_t",)))
    with pytest.raises(KeyError, match="no fact table 'a_t'"):
        stage.compute(params=None, loaded={}, workers=1)


def test_chapters_waiting_on_each_other_are_named(monkeypatch):
    _registry(monkeypatch, _Fake("a", ("b",)), _Fake("b", ("a",)))
    with pytest.raises(BuildError, match="chapters waiting on each other's facts: a, b"):
        stage.compute(params=None, loaded={}, workers=1)


@pytest.mark.build
def test_two_at_a_time_gives_the_same_facts_as_one_at_a_time(default_params, loaded, facts):
    """Every table identical, value for value, computed in two workers (the session's facts) and in one."""
    alone = stage.compute(default_params, loaded, workers=1)
    assert sorted(alone) == sorted(facts)
    for name in alone:
        pd.testing.assert_frame_equal(stage._clean(alone[name]), stage._clean(facts[name]), obj=name)
