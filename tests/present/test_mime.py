"""The book's renderer: a chart's spec stays data, and what is for one medium is marked for it."""
from __future__ import annotations

import json

from docutils import nodes

from lib.present import mime


def test_a_chart_spec_cannot_close_its_script_element():
    """Text from the inputs inside a chart's JSON spec (in a <script type="application/json">) cannot end the
    element or start markup: <, > and & are escaped, and the JSON still reads back as typed."""
    hostile = {"label": "</script><script>alert(1)</script> & <!-- x -->"}
    text = mime._script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


def test_download_links_are_for_the_screen_and_a_sentence_for_print():
    payload = {"csv": "missing.csv", "label": "Every hour", "file": "hours.csv", "rows": 1234}
    out = mime.download_nodes(payload, env=None)
    assert [n["classes"] for n in out] == [[mime.PRINT]]  # no file written: no link, the sentence stays
    assert "in the web edition, as the download hours.csv (1,234 rows)" in out[0].astext()


def test_a_table_has_header_cells_and_no_print_only_markup():
    payload = {"columns": ["measure", "value"], "rows": [["a", "1"], ["b", "2"]], "numeric": [False, True],
               "caption": "Two rows", "name": "two"}
    (table,) = mime.table_nodes(payload)
    assert isinstance(table, nodes.table) and table["ids"] == ["table-two"]
    assert [e.astext() for e in next(table.findall(nodes.thead)).findall(nodes.entry)] == ["measure", "value"]
    assert not list(table.findall(nodes.raw))


def test_prose_rows_are_blocks_with_labelled_lines_and_no_empty_lines():
    payload = {"columns": ["measure", "commentary", "action"], "rows": [["A <b>", "Said <i>this</i>", ""]],
               "caption": "Notes", "name": "notes", "layout": "records"}
    caption, items = mime.table_nodes(payload)
    assert caption.astext() == "Notes" and not list(items.findall(nodes.table))
    (item,) = items.findall(nodes.definition_list_item)
    assert next(item.findall(nodes.term)).astext() == "A <b>"
    assert [p.astext() for p in item.findall(nodes.paragraph)] == ["commentary: Said <i>this</i>"]
    assert not list(items.findall(nodes.raw))


def test_a_block_is_a_third_level_heading_and_labelled_text_lines():
    """An exception page (lib.present.blocks): its title a level-3 heading (the PDF's tagged H3), its lines text
    nodes in order with empty ones left out; without a chart, the sentence saying why; without blocks, the
    sentence for none."""
    payload = {"kind": "exception-page", "empty": "none", "blocks": [
        {"title": "A <b>", "lead": [["owner", "Head of <i>X</i>"]], "lines": [["commentary", "=1+1"], ["action", " "]],
         "chart": None, "alt": "", "no_chart": "No chart: no data."}]}
    (box,) = mime.blocks_nodes(payload, renderer=None, data=None)
    heading = next(box.findall(nodes.rubric))
    assert heading.astext() == "A <b>" and heading["level"] == 3
    assert "exception-page" in box["classes"] and "forcebook-block" in box["classes"]
    assert [p.astext() for p in box.findall(nodes.paragraph)] == ["owner: Head of <i>X</i>", "No chart: no data.",
                                                                  "commentary: =1+1"]
    assert not list(box.findall(nodes.raw))
    assert [p.astext() for p in mime.blocks_nodes({**payload, "blocks": []}, None, None)] == ["none"]
