"""Blocks: one subject each (a measure off track), with its heading, labelled lines and its own chart.

A table puts many subjects side by side; a board's exception report gives each subject a page of its own: what it
is, where it stands, who owns it, what they say and its chart. A cell returns :class:`Blocks`; the book's renderer
(:mod:`lib.present.mime`) writes each block as a third-level heading, its lines as text nodes (nothing from the
inputs is read as markup) and its chart live in the web book and static in the PDF, with the block's alternative
text. The PDF keeps each block on one page (``_static/print.css``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .display import plain
from .mimetypes import BLOCKS
from .vega import Chart


@dataclass(frozen=True)
class Block:
    """One subject: ``title`` (a heading); ``lead`` and ``lines``, labelled texts (label, text) shown before and
    after the chart (an empty text is no line); its ``chart`` with the alternative text ``alt``, or ``no_chart``:
    the sentence saying why there is none."""

    title: str
    lead: list[tuple[str, str]]
    lines: list[tuple[str, str]]
    chart: Chart | None = None
    alt: str = ""
    no_chart: str = ""

    def payload(self) -> dict:
        return {"title": plain(self.title), "lead": [[plain(k), plain(v)] for k, v in self.lead],
                "lines": [[plain(k), plain(v)] for k, v in self.lines],
                "chart": None if self.chart is None else self.chart.payload(), "alt": plain(self.alt),
                "no_chart": plain(self.no_chart)}


@dataclass(frozen=True)
class Blocks:
    """Blocks shown one after another; ``kind`` names them for the stylesheets (``exception-page``); ``empty``: the
    sentence shown when there is none."""

    blocks: list[Block]
    kind: str
    empty: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        for block in self.blocks:
            if block.chart is not None:
                block.chart.draw()
        payload = {"kind": self.kind, "empty": plain(self.empty), "blocks": [b.payload() for b in self.blocks]}
        text = "\n".join(b.title for b in self.blocks) or self.empty
        return {BLOCKS: json.loads(json.dumps(payload)), "text/plain": text}
