"""The catalogue owns the sentence a compliance measure reads in, as it owns which chapter shows the measure.

Issue "the sentence a measure reads in lives in the catalogue": the words after a compliance measure's rate
("of PPNs were submitted in time") were a table in the chapter's code, so a measure the catalogue sent to the
chapter had no words until the code was changed. They are the catalogue's ``sentence`` now: required of a
measure shown in the compliance chapter, and what the chapter and the summary print.
"""
from __future__ import annotations

import re

import pytest

from lib import ROOT
from lib.errors import ParamsError
from lib.measures.derived import catalogue as load_catalogue

PUBLIC = ROOT / "params" / "measures.yml"
PPN = 'sentence: "of PPNs were submitted in time", '


def copy(tmp_path, old: str, new: str):
    """A copy of the public catalogue with one exact change (the change must be there, once)."""
    text = PUBLIC.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "measures.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_each_compliance_measure_of_the_shipped_catalogues_has_its_words():
    for name in ("measures.yml", "measures-demo.yml"):
        words = {m.id: m.sentence for m in load_catalogue(ROOT / "params" / name) if "compliance" in m.shown_in}
        assert words == {"da_arrest_rate": "of domestic-abuse crimes led to an arrest",
                         "ppn_submitted_in_time": "of PPNs were submitted in time",
                         "ppn_all_children": "of PPNs with children present had every child added",
                         "stop_search_grounds": "of searches had their grounds recorded",
                         "stop_search_supervised": "of searches were reviewed by a supervisor"}, name


def test_a_compliance_measure_without_its_sentence_is_refused(tmp_path):
    """The message names the file, the measure (its place and id), the field and what is allowed."""
    index = next(i for i, m in enumerate(load_catalogue(PUBLIC)) if m.id == "ppn_submitted_in_time")
    path = copy(tmp_path, PPN, "")
    with pytest.raises(ParamsError) as refused:
        load_catalogue(path)
    assert str(refused.value) == (
        f"{path}: measures[{index}] (ppn_submitted_in_time): sentence: missing; a measure shown in the compliance "
        "chapter (shown_in: [compliance]) gives the words that follow its rate in the chapter's prose, 1 to 120 "
        "characters (e.g. 'of PPNs were submitted in time')")
    with pytest.raises(ParamsError, match=re.escape("(ppn_submitted_in_time): sentence: ' ' is blank; a measure shown")):
        load_catalogue(copy(tmp_path, PPN, 'sentence: " ", '))
    with pytest.raises(ParamsError, match=rf"measures\[{index}\]\.sentence: String should have at most 120 characters"):
        load_catalogue(copy(tmp_path, PPN, f'sentence: "{"x" * 121}", '))
    # A force's catalogue extends this one and cannot set the words: the refusal names the file that must.
    copy(tmp_path, PPN, "")
    force = tmp_path / "force.yml"
    force.write_text("extends: measures.yml\nschema_version: 1\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=re.escape(f"{path}: measures[{index}] (ppn_submitted_in_time): sentence")):
        load_catalogue(force)


def test_a_measure_not_in_the_chapter_needs_no_sentence():
    assert all(m.sentence is None for m in load_catalogue(PUBLIC) if "compliance" not in m.shown_in)

