"""The book's renderer for tables with short labels: abbreviations with their words, keyed under the table; text stays text."""
from __future__ import annotations

import pandas as pd
from docutils import nodes

from lib.present.mime import table_nodes
from lib.present.tables import Short, Table

HOSTILE = Short("<b>x</b>", "<script>alert(1)</script>")


def _nodes(frame):
    return table_nodes(Table(frame, caption="T").payload())


def test_a_short_label_is_an_abbreviation_and_in_the_key():
    out = _nodes(pd.DataFrame({"m": ["A"], "reading": [("ordinary", Short("will miss", "will consistently miss"))]}))
    abbr = next(iter(out[0].findall(nodes.abbreviation)))
    assert abbr.astext() == "will miss" and abbr["explanation"] == "will consistently miss"
    assert out[1]["classes"] == ["table-legend"] and out[1].astext() == "Key: will miss: will consistently miss"


def test_labels_and_words_from_the_inputs_stay_text():
    out = _nodes(pd.DataFrame({"x": [HOSTILE]}))
    assert not list(out[0].findall(nodes.raw)) and not list(out[1].findall(nodes.raw))
    assert out[1].astext() == "Key: <b>x</b>: <script>alert(1)</script>"


def test_a_table_without_shorts_has_no_key_and_many_columns_are_marked_wide():
    out = _nodes(pd.DataFrame({f"c{i}": [1] for i in range(13)}))
    assert len(out) == 1 and {"wide", "widest"} <= set(out[0]["classes"])


def test_a_long_path_may_break_anywhere_but_a_long_word_may_not():
    out = _nodes(pd.DataFrame({"file": ["data/demo/measure_values.parquet"], "name": ["Middlesbrough-and-more"]}))
    cells = list(out[0].findall(nodes.entry))[2:]
    assert cells[0]["classes"] == ["breakable"] and cells[1]["classes"] == []
