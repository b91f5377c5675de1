"""What every chapter's charts share outside Vega-Lite: the palette and labels from input text.

The charts themselves are Vega-Lite (:mod:`lib.present.vega`, :mod:`lib.present.charts`), where text is
drawn as typed: a label such as "Pay $10 uplift for $ call handlers" is never maths or markup.
"""
from __future__ import annotations

from lib.vocabulary import DAYS

from .display import plain
from .vega import PALETTE

__all__ = ["DAYS", "PALETTE", "label"]


def label(value, width: int | None = None, lines: int = 1) -> str:
    """A figure label from input text: literal, wrapped at word breaks to ``width`` characters a line on at most
    ``lines`` lines; only what still does not fit is cut, with an ellipsis (a label from the inputs may be
    any length, and a figure has room for a few lines)."""
    import textwrap

    text = plain(value)
    if width is None or len(text) <= width:
        return text
    if lines > 1:
        wrapped = textwrap.wrap(text, width, break_long_words=True)
        if len(wrapped) <= lines:
            return "\n".join(wrapped)
        kept = wrapped[: lines]
        kept[-1] = kept[-1][: width - 1] + "…"
        return "\n".join(kept)
    return text[: width - 1] + "…"
