"""The publication scan finds personal data and machine paths in what would be published, and stops the build."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import ROOT
from lib.errors import BuildError
from lib.inputs.loading import Loaded
from lib.pipeline import build as build_mod
from lib.pipeline.scan import scan


def _loaded(name: str, frame: pd.DataFrame) -> Loaded:
    return Loaded(name, ROOT / f"{name}.csv", frame, len(frame), pd.DataFrame(), 0, 0)


@pytest.fixture
def inputs():
    return {
        "incidents": _loaded("incidents", pd.DataFrame({"incident_id": ["INC0001234", "INC0005678"]})),
        "crimes": _loaded("crimes", pd.DataFrame({"Crime ID": ["ab12cd34ef"], "Location": ["On or near Park Road"],
                                                  "Latitude": [54.567891], "Longitude": [-1.234567]})),
    }


def page(tmp_path, text: str, name: str = "html/notebooks/x.html"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body><p>{text}</p></body></html>")
    return tmp_path


@pytest.mark.parametrize("text, finding", [
    ("see INC0001234 for details", "record id(s) from the inputs, or part of one: INC0001234"),
    ("crime ab12cd34ef", "record id(s) from the inputs, or part of one: ab12cd34ef"),
    ("at On or near Park Road", "crime location(s): On or near Park Road"),
    ("point 54.568 west", "a coordinate finer than 2 decimal places (54.568)"),
    ("lon -1.2346", "a coordinate finer than 2 decimal places (-1.2346)"),
    (f"file {ROOT}/data/demo/x.parquet", "a path of this machine"),
    ("from /tmp/pytest-of-x/y", "a path of this machine (/tmp/)"),
])
def test_each_kind_of_leak_is_found_and_named(tmp_path, default_params, inputs, text, finding):
    hits = scan(page(tmp_path, text), default_params, inputs)
    assert any(finding in h for h in hits), hits
    assert all(h.startswith("html/notebooks/x.html: ") for h in hits)


@pytest.mark.parametrize("text", ["INC00012345 is another id", "54.57 and -1.23 at 2 decimals", "On or near Elm Road",
                                  "a rate of 54.568% is not a place"])
def test_near_misses_pass(tmp_path, default_params, inputs, text):
    hits = scan(page(tmp_path, text), default_params, inputs)
    if "54.568%" in text:
        assert hits  # a number equal to a coordinate is refused even as a rate: the scan cannot tell
    else:
        assert hits == []


LONG_ID = "c14c136dc57ccccbee9c019e9b0167e88f6ddee0a2991b9b6aa82c23b4adfa7e"


def _with_withheld(inputs):
    """The crimes source with a rejected row (a 7-decimal latitude, a long id, a location) and a row outside the
    window: neither is in the rows used, both were in the inputs."""
    crimes = inputs["crimes"]
    crimes.withheld = pd.DataFrame({"Crime ID": [LONG_ID, "zz99yy88xx"], "Latitude": ["54.5612345", None],
                                    "Longitude": [None, "-1.1"], "Location": ["On or near Rejected Row", None]},
                                   dtype="string")
    return inputs


@pytest.mark.parametrize("text, finding", [
    (f"repeated id {LONG_ID[:41]}… (cut short)", f"or part of one: {LONG_ID[:41]}"),
    (f"x{LONG_ID[10:30]}", "or part of one"),
    ("id zz99yy88xx outside the window", "zz99yy88xx"),
    ("latitude 54.5612345", "a coordinate finer than 2 decimal places (54.5612345)"),
    ("at On or near Rejected Row", "crime location(s): On or near Rejected Row"),
])
def test_rows_set_aside_or_outside_the_window_are_scanned_too(tmp_path, default_params, inputs, text, finding):
    """Issue: the scan only looked at rows that passed, and matched whole ids, so a repeated Crime ID cut to 41
    characters was published in the data page, the search index and the downloads."""
    hits = scan(page(tmp_path, text), default_params, _with_withheld(inputs))
    assert any(finding in h for h in hits), hits


def test_a_short_fragment_or_another_hash_is_not_an_id(tmp_path, default_params, inputs):
    text = f"{LONG_ID[:12]} and the fingerprint e3b0c44298fc1c14 9afbf4c8996fb924 27ae41e4649b934c"
    assert scan(page(tmp_path, text), default_params, _with_withheld(inputs)) == []


def test_parquet_facts_are_scanned(tmp_path, default_params, inputs):
    page(tmp_path, "ok")
    (tmp_path / "facts").mkdir()
    pd.DataFrame({"file": ["a.csv"], "example": [LONG_ID[:41]]}).to_parquet(tmp_path / "facts" / "data_defects.parquet")
    hits = scan(tmp_path, default_params, _with_withheld(inputs))
    assert any(h.startswith("facts/data_defects.parquet: ") for h in hits), hits


def test_csv_and_search_index_are_scanned(tmp_path, default_params, inputs):
    page(tmp_path, "ok")
    (tmp_path / "html" / "searchindex.js").write_text('Search.setIndex({"terms": {"inc0001234": 1, "INC0005678": 2}})')
    (tmp_path / "html" / "_downloads" / "a").mkdir(parents=True)
    (tmp_path / "html" / "_downloads" / "a" / "t.csv").write_text("id\nINC0001234\n")
    hits = scan(tmp_path, default_params, inputs)
    assert any(h.startswith("html/searchindex.js: ") for h in hits)
    assert any(h.startswith("html/_downloads/a/t.csv: ") for h in hits)


class _NoKernels:
    """Stands in for the notebook workers: the drill is about what happens after the book is built."""

    workers = 1

    def __init__(self, *args):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def run(self, *args):
        return None


def test_a_hit_stops_the_build_and_publishes_nothing(tmp_path, monkeypatch):
    def leaky_book(src, work, final, pdf_file, on_html=None, workspace=None):
        page(final, f"owner wrote {src}/../../x.txt and {ROOT / 'data' / 'demo' / 'contacts.parquet'}")
        on_html(final)

    monkeypatch.setattr(build_mod, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(build_mod, "NotebookPool", _NoKernels)
    monkeypatch.setattr(build_mod, "build_editions", leaky_book)
    with pytest.raises(BuildError, match=r"(?s)publication scan found .*html/notebooks/x.html: a path of this machine"):
        build_mod.build(ROOT / "params" / "2019-12.yml", pdf=False, say=lambda m: None)
    assert not list((tmp_path / "_build").glob("demo/2019-12/v*"))
