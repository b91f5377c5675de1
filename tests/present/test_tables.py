"""Short labels in a table: the cell shows the label; the key, the tooltip and the CSV keep the full words."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.present.tables import Short, Table, cell_text, full_text, legend, write_csv

MISS = Short("will miss", "will consistently miss the target")


def test_a_short_shows_its_label_and_keeps_its_words():
    cell = ("ordinary", MISS, "")
    assert cell_text(cell) == "ordinary; will miss"
    assert full_text(cell) == "ordinary; will consistently miss the target"
    assert cell_text(MISS) == "will miss" and full_text("plain") == "plain"


def test_the_payload_carries_segments_and_a_key_in_first_seen_order():
    frame = pd.DataFrame({"measure": ["A", "B"], "reading": [("ordinary", MISS), (Short("a", "force target"),)]})
    payload = Table(frame, caption="Readings").payload()
    assert payload["rows"] == [["A", "ordinary; will miss"], ["B", "a"]]
    assert payload["segments"][0] == [0, 1, [["ordinary", ""], ["; ", ""], ["will miss", MISS.words]]]
    assert payload["legend"] == [["will miss", MISS.words], ["a", "force target"]]
    text = Table(frame, caption="Readings")._repr_mimebundle_()["text/plain"]
    assert "ordinary; will miss" in text and text.endswith("a: force target")


def test_a_label_standing_for_two_texts_is_refused():
    frame = pd.DataFrame({"x": [Short("a", "one"), Short("a", "two")]})
    with pytest.raises(ValueError, match="the label 'a' stands for both 'one' and 'two'"):
        legend(frame)


def test_labels_from_the_inputs_are_made_one_line():
    assert legend(pd.DataFrame({"x": [Short("a\tb", "c\r\nd")]})) == [["a b", "c d"]]


def test_the_csv_holds_the_full_words(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCEBOOK_TABLES_DIR", str(tmp_path))
    Table(pd.DataFrame({"reading": [("ordinary", MISS)]}), caption="Readings")
    assert "will consistently miss the target" in (tmp_path / "readings.csv").read_text(encoding="utf-8-sig")
    write_csv(pd.DataFrame({"x": ["=1"]}), tmp_path / "f.csv")  # unchanged: still neutralised
    assert "'=1" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
