"""The catalogue owns the sentence a compliance measure reads in, as it owns which chapter shows the measure.

Issue "the sentence a measure reads in lives in the catalogue": the words after a compliance measure's rate
("of PPNs were submitted in time") were a table in the chapter's code, so a measure the catalogue sent to the
chapter had no words until the code was changed. They are the catalogue's ``sentence`` now: required of a
measure shown in the compliance chapter, and what the chapter and the summary print.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from docutils import nodes

from lib import ROOT
from lib.chapters import compliance
from lib.errors import ParamsError
from lib.measures.derived import catalogue as load_catalogue
from lib.measures.facts import catalogue_table
from lib.present import mime
from lib.present.mimetypes import TEXT
from lib.present.texts import Text

PUBLIC = ROOT / "params" / "measures.yml"
PPN = 'sentence: "of PPNs were submitted in time", '
# Markup of each kind the book could read: MyST (a role, emphasis, a substitution), HTML, LaTeX, and a formula.
HOSTILE = "of *bold* {glue}`x` {{ period }} <b>PPNs</b> & $10 \\input{x} =SUM(A1) went in"


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


def test_the_chapter_prints_the_catalogues_words_as_typed(tmp_path, facts, default_params):
    """A changed phrase in a copy of the catalogue is what the chapter's sentence, its glued text and the summary's
    board sentence say, markup and all: the glued text is a :class:`lib.present.texts.Text`, which the book's
    renderer makes a text node (never parsed as MyST or HTML), so nothing here escapes it and nothing must."""
    cat = load_catalogue(copy(tmp_path, PPN, f'sentence: "{HOSTILE.replace(chr(92), chr(92) * 2)}", '))
    ours = {**facts, "catalogue": catalogue_table(cat)}
    said = compliance.sentence(ours, "ppn_submitted_in_time")
    assert said.startswith(compliance.fmt_percent(
        facts["measure_period"].set_index("measure_id").at["ppn_submitted_in_time", "value"]) + " " + HOSTILE + " (n = ")
    assert compliance.sentence(facts, "ppn_submitted_in_time").split(" (n = ")[0].endswith(
        " of PPNs were submitted in time")  # the shipped words, from the catalogue
    assert HOSTILE in compliance.sentence(ours, "ppn_submitted_in_time", board=True)  # the summary's sentence
    texts = compliance.narrative(ours, default_params)
    assert texts["ppn_submitted_in_time_sentence"] == said
    assert {k for k in texts if k.endswith("_sentence") and k != "ss_before_sentence"} == {
        f"{mid}_sentence" for mid in compliance.measure_ids(ours["catalogue"])}
    # The glue path: the text's payload is the sentence as typed, and the book shows it as one text node.
    payload = Text(said)._repr_mimebundle_()[TEXT]
    (shown,) = mime.BookMimeRenderer.handle_mime(None, SimpleNamespace(mime_type=TEXT, content=payload), inline=True)
    assert isinstance(shown, nodes.inline) and shown.astext() == said
    assert all(isinstance(n, nodes.Text) for n in shown.children)


def test_a_sentence_no_chapter_reads_is_refused(tmp_path):
    """Words on a measure the compliance chapter does not show would appear nowhere: refused, not ignored."""
    index = next(i for i, m in enumerate(load_catalogue(PUBLIC)) if m.id == "crimes_solved")
    source = 'source: "derived:crimes_solved",'
    path = copy(tmp_path, source, f'sentence: "of crimes were solved", {source}')
    with pytest.raises(ParamsError) as refused:
        load_catalogue(path)
    assert str(refused.value) == (
        f"{path}: measures[{index}] (crimes_solved): sentence = 'of crimes were solved': only a measure shown in the "
        "compliance chapter (shown_in: [compliance]) reads in a sentence, and no page would show these words; remove "
        "the sentence or add shown_in: [compliance]")


def test_the_chapters_prose_places_each_compliance_measures_sentence():
    """The notebook's prose cites one sentence per compliance measure of the shipped catalogues, by measure id: a
    sentence glued and cited nowhere, or cited and never glued, fails here rather than in the book build."""
    import nbformat

    prose = " ".join(c.source for c in nbformat.read(ROOT / "notebooks" / "compliance.ipynb", as_version=4).cells
                     if c.cell_type == "markdown")
    cited = set(re.findall(r"\{glue\}`([a-z0-9_]+)_sentence`", prose)) - {"ss_before"}
    for name in ("measures.yml", "measures-demo.yml"):
        assert cited == {m.id for m in load_catalogue(ROOT / "params" / name) if "compliance" in m.shown_in}, name
