"""Sphinx extension for the book: text from the params reaches every HTML page as text.

The theme's templates print the book title and the author (the force's name) without escaping
them. Each page's context gets them HTML-escaped, as ``Markup`` so that templates which do escape
(``|e``) do not escape them twice. (The PDF's title and author are LaTeX-escaped by the build.)
"""
from __future__ import annotations

from markupsafe import Markup, escape

TEXT_KEYS = ("docstitle", "shorttitle", "author", "project", "copyright")


def _escape_context(app, pagename, templatename, context, doctree) -> None:
    for key in TEXT_KEYS:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup(escape(value))


def setup(app):
    """Register the handler; the extension keeps no state, so builds may run in parallel."""
    # Last of the handlers: the theme sets `author` from the config in its own.
    app.connect("html-page-context", _escape_context, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
