"""Sentences for the book, shown as text: a value from the inputs is never read as markup.

A chapter's prose is the notebook's own Markdown (written by us); the numbers and names in it are
glued from the executed notebook (``{glue}`key```). Each glued value is a :class:`Text`, which the
book's renderer (:mod:`lib.present.mime`) turns into a plain text node: a force name such as
``Cleveland & <Hartlepool>`` or a milestone "Pay $10 uplift" shows as typed, in HTML and in the PDF.
"""
from __future__ import annotations

from .display import plain
from .mimetypes import TEXT as MIME


class Text:
    """Plain text for the page (a paragraph where shown on its own, inline where glued)."""

    def __init__(self, text: str):
        self.text = plain(text)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MIME: {"text": self.text}, "text/plain": self.text}

    def __str__(self) -> str:
        return self.text


def text(value: str) -> Text:
    """A paragraph of plain text (e.g. "No rows broke their input contract")."""
    return Text(value)


def glue_texts(texts: dict[str, str]) -> None:
    """Glue each text under its key, for ``{glue}`key``` in the chapter's prose."""
    from myst_nb import glue

    for key, value in texts.items():
        glue(key, Text(value), display=False)
