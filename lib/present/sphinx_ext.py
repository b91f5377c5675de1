"""Sphinx extension for the book: text from the params reaches every HTML page as text.

(It also turns off the theme's buttons for downloading a page's notebook: none is published, and adds the
charts' scripts: Vega's bundle and :file:`_static/charts.js`.)

The theme's templates print the book title and the author (the force's name) without escaping
them. Each page's context gets them HTML-escaped, as ``Markup`` so that templates which do escape
(``|e``) do not escape them twice. (The PDF is these pages printed, so it gets them escaped too.)
"""
from __future__ import annotations

from markupsafe import Markup, escape

TEXT_KEYS = ("docstitle", "shorttitle", "author", "project", "copyright")


def _escape_context(app, pagename, templatename, context, doctree) -> None:
    for key in TEXT_KEYS:
        value = context.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            context[key] = Markup(escape(value))


def _theme_options(app, config) -> None:
    # No "download this page" buttons: the book publishes no copies of its notebooks (_sources/).
    config.html_theme_options = {**(config.html_theme_options or {}), "use_download_button": False}


def setup(app):
    """Register the handlers and the charts' scripts; the extension keeps no state, so builds may run in parallel."""
    # Classic deferred scripts (module scripts do not load from file://), run in this order after the page.
    app.add_js_file("vega.js", defer="defer")
    app.add_js_file("charts.js", defer="defer")
    app.connect("config-inited", _theme_options)
    # Last of the handlers: the theme sets `author` from the config in its own.
    app.connect("html-page-context", _escape_context, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
