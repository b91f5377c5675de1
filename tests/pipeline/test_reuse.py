"""A re-issue redoes only what changed: a chapter's facts and its executed notebook are reused only when nothing
they read changed (lib.pipeline.reuse). No published reference exists for this; the tests check the invariant
that a reused result is what a fresh computation gives, and that any change to what was read recomputes."""
from __future__ import annotations

import json
import types

import nbformat
import pandas as pd
import pytest

from lib import cache
from lib.pipeline import reuse
from lib.present.mimetypes import TABLE


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCEBOOK_CACHE", str(tmp_path / "cache"))


class _Loaded:
    def __init__(self, digest):
        self.sha256 = (digest,)


def _chapter(calls):
    """A chapter that reads input 'a' and fact table 't' (and counts how often it is computed)."""
    def facts(loaded, params, earlier):
        calls.append(1)
        return {"out": pd.DataFrame({"x": [len(loaded["a"].sha256[0]), int(earlier["t"]["v"].sum())]})}
    return types.SimpleNamespace(name="fake", facts=facts)


class _Params:
    def __init__(self, text="p: 1"):
        self.text = text

    def as_yaml(self):
        return self.text


def test_facts_are_reused_until_something_they_read_changes():
    calls = []
    chapter = _chapter(calls)
    loaded = {"a": _Loaded("aaa"), "b": _Loaded("bbb")}
    earlier = {"t": pd.DataFrame({"v": [1, 2]}), "u": pd.DataFrame({"v": [5]})}
    first, kept = reuse.chapter_facts(chapter, loaded, _Params(), earlier, "code1")
    assert not kept and len(calls) == 1
    again, kept = reuse.chapter_facts(chapter, loaded, _Params(), earlier, "code1")
    assert kept and len(calls) == 1 and again["out"].equals(first["out"])
    # What it did not read may change: still reused.
    loaded_b = {**loaded, "b": _Loaded("changed")}
    _, kept = reuse.chapter_facts(chapter, loaded_b, _Params(), {**earlier, "u": pd.DataFrame({"v": [9]})}, "code1")
    assert kept
    # What it read, the code or the params: recomputed.
    for args in [({**loaded, "a": _Loaded("a2")}, _Params(), earlier, "code1"),
                 (loaded, _Params(), {**earlier, "t": pd.DataFrame({"v": [1, 3]})}, "code1"),
                 (loaded, _Params(), earlier, "code2"), (loaded, _Params("p: 2"), earlier, "code1")]:
        before = len(calls)
        reuse.chapter_facts(chapter, *args)
        assert len(calls) == before + 1


def test_a_chapter_that_lists_its_inputs_depends_on_the_list():
    calls = []

    def facts(loaded, params, earlier):
        calls.append(1)
        return {"out": pd.DataFrame({"n": [len(list(loaded))]})}

    chapter = types.SimpleNamespace(name="lister", facts=facts)
    reuse.chapter_facts(chapter, {"a": _Loaded("a")}, _Params(), {}, "c")
    out, kept = reuse.chapter_facts(chapter, {"a": _Loaded("a"), "b": _Loaded("b")}, _Params(), {}, "c")
    assert not kept and out["out"]["n"].iloc[0] == 2


def test_a_tampered_entry_is_recomputed(capsys):
    calls = []
    chapter = _chapter(calls)
    loaded, earlier = {"a": _Loaded("aaa")}, {"t": pd.DataFrame({"v": [1]})}
    reuse.chapter_facts(chapter, loaded, _Params(), earlier, "c")
    (entry,) = [p for p in (cache.root() / reuse.KIND_FACTS).iterdir() if not p.name.startswith(".")]
    pd.DataFrame({"x": [999]}).to_parquet(entry / "out.parquet")
    out, kept = reuse.chapter_facts(chapter, loaded, _Params(), earlier, "c")
    assert not kept and out["out"]["x"].tolist() == [3, 1] and "discarded" in capsys.readouterr().err


def _executed(folder, name, csv):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={TABLE: {"csv": f"tables/{csv}", "rows": []},
                                                                      "text/plain": "t"})]
    nb.cells = [cell]
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "notebooks" / "tables").mkdir(exist_ok=True)
    (folder / "notebooks" / "tables" / csv).write_text("a\n1\n")


def test_an_executed_notebook_and_its_downloads_are_reused_while_its_facts_stand(tmp_path):
    first = tmp_path / "first"
    _executed(first, "notebooks/crime", "crimes.csv")
    facts = {"crime_key": pd.DataFrame({"n": [1]}), "other": pd.DataFrame({"n": [2]})}
    key = reuse.notebook_key("notebooks/crime", "code", "p: 1")
    reuse.keep_notebook("notebooks/crime", key, facts, first, first / "notebooks" / "tables", ["crime_key"])
    second = tmp_path / "second"
    (second / "notebooks").mkdir(parents=True)
    assert reuse.reuse_notebook("notebooks/crime", key, {**facts, "other": pd.DataFrame({"n": [3]})}, second,
                                second / "notebooks" / "tables")
    assert (second / "notebooks" / "crime.ipynb").read_bytes() == (first / "notebooks" / "crime.ipynb").read_bytes()
    assert (second / "notebooks" / "tables" / "crimes.csv").read_text() == "a\n1\n"
    third = tmp_path / "third"
    (third / "notebooks").mkdir(parents=True)
    assert not reuse.reuse_notebook("notebooks/crime", key, {**facts, "crime_key": pd.DataFrame({"n": [5]})}, third,
                                    third / "notebooks" / "tables")
    assert json.loads(json.dumps(reuse.csv_downloads(first / "notebooks" / "crime.ipynb"))) == ["crimes.csv"]


@pytest.mark.build
def test_a_commentary_only_reissue_recomputes_what_reads_it_and_matches_a_fresh_build(tmp_path, params_in, monkeypatch):
    """Build, change one owner's commentary of the period, build again: the exceptions chapter shows the new text,
    everything else is reused, and the re-issue's facts are exactly a fresh computation's."""
    from lib.config.params import load_params
    from lib.inputs.loading import load_all
    from lib.pipeline import build as build_mod
    from lib.pipeline import facts as facts_stage

    commentary = pd.read_parquet(load_params("params/2019-11.yml").input_path("commentary"))
    path = tmp_path / "commentary.parquet"
    commentary.to_parquet(path, index=False)
    params = params_in(name="2019-11.yml", period="2019-11", period_start="2019-11-01", period_end="2019-11-30",
                       inputs__commentary=str(path), **_trackers("2019-11"))
    monkeypatch.setattr(build_mod, "BUILD_DIR", tmp_path / "_build")
    said = []
    build_mod.build(params, pdf=False, say=said.append)
    row = commentary.index[(commentary["month"] == "2019-11") & (commentary["measure_id"] == "immediate_in_target")][0]
    commentary.loc[row, "commentary"] = "Corrected by the owner: cover restored on Friday nights."
    commentary.to_parquet(path, index=False)
    said.clear()
    version = build_mod.build(params, pdf=False, say=said.append)
    log = "\n".join(said)
    assert "facts: fcr (unchanged: as computed before)" in log and "facts: exceptions (" in log
    reused = [line for line in said if "notebook(s) unchanged since the last issue" in line]
    assert reused and "exceptions" not in reused[0].split(": ", 1)[1], log
    page = (version / "html" / "notebooks" / "exceptions.html").read_text()
    assert "Corrected by the owner: cover restored on Friday nights." in page
    p = load_params(params)
    fresh = facts_stage.compute(p, load_all(p))
    published = facts_stage.read(version / "facts")
    for name in fresh:
        if not name.startswith("version_changes"):
            pd.testing.assert_frame_equal(published[name], facts_stage._clean(fresh[name]), check_dtype=False)


def _trackers(period: str) -> dict:
    from lib import ROOT

    previous = str(pd.Period(period, "M") - 1)
    return {"inputs__tracker": str(ROOT / "data" / "demo" / "tracker" / f"{period}.parquet"),
            "inputs__tracker_previous": str(ROOT / "data" / "demo" / "tracker" / f"{previous}.parquet")}


def test_a_chapter_is_keyed_by_the_params_it_reads():
    """The title, the force's name and the board's decisions are read by the cover or the summary alone: a change to
    them keys the summary anew and leaves every other chapter's facts and notebook as they were."""
    from lib.config.params import load_params

    params = load_params("params/2019-12.yml")
    reworded = params.model_copy(update={"title": "Another title", "force_name": "Another force",
                                         "board": params.board.model_copy(update={"decisions": ["Approve the rota."]})})
    assert reuse.params_as_read(params, "fcr") == reuse.params_as_read(reworded, "fcr")
    assert reuse.params_as_read(params, "summary") != reuse.params_as_read(reworded, "summary")
    moved = params.model_copy(update={"fcr": params.fcr.model_copy(update={"contracted_hours_per_week": 36.0})})
    assert reuse.params_as_read(params, "fcr") != reuse.params_as_read(moved, "fcr")
    assert reuse.params_as_read(params, "crime") != reuse.params_as_read(moved, "crime")  # not observed: all but those


class _Guarded:
    """Params that refuse the fields :data:`reuse.READ_ONLY_BY` keeps out of a chapter's key, for that chapter (its
    own methods read through the guard too)."""

    def __init__(self, real, chapter: str):
        self._real, self._chapter = real, chapter

    def __getattr__(self, name):
        if name in {"as_yaml", "model_dump", "model_dump_json"}:  # every field at once, those left out included
            raise AssertionError(f"the {self._chapter} chapter reads the whole params (params.{name})")
        readers = reuse.READ_ONLY_BY.get(name)
        if readers is not None and self._chapter not in readers:
            raise AssertionError(f"the {self._chapter} chapter reads params.{name}, which its key leaves out")
        value = getattr(self._real, name)
        if getattr(value, "__self__", None) is self._real and name in vars(type(self._real)):
            return value.__func__.__get__(self)
        return value


def test_no_chapter_reads_the_params_its_key_leaves_out(default_params):
    """Every chapter's facts computed with the params guarded: none reads a field its key leaves out (else a
    re-issue would reuse facts computed from the old value)."""
    from lib.chapters import REGISTRY
    from lib.inputs.loading import load_all
    from lib.pipeline.facts import Facts

    loaded, facts = load_all(default_params), {}
    for chapter in REGISTRY:
        facts.update(chapter.facts(loaded, _Guarded(default_params, chapter.name), Facts(facts)))
    assert facts["decision_asks"]["decision"].tolist() == list(default_params.board.decisions)
    with pytest.raises(AssertionError, match="the fcr chapter reads params.board"):
        getattr(_Guarded(default_params, "fcr"), "board")  # noqa: B009 (the access is what is tested)


def test_nothing_else_names_the_params_only_the_cover_and_the_summary_read():
    """The notebooks and the chapters' presentation read params too (in the kernel, unguarded): the fields left out
    of their keys appear in no module but those that read them for the cover and the summary."""
    import re

    from lib import ROOT

    allowed = {"lib/chapters/summary.py", "lib/pipeline/book.py", "lib/pipeline/provenance.py", "lib/config/schema.py"}
    pattern = re.compile(r"\.(board|force_name)\b|params\.title\b")
    named = sorted(str(p.relative_to(ROOT)) for p in [*(ROOT / "lib").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
                   if pattern.search(p.read_text(encoding="utf-8")) and str(p.relative_to(ROOT)) not in allowed)
    assert named == []
