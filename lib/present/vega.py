"""A chart as data: a Vega-Lite spec (built with Altair), the numbers behind it, and its static twin.

A chapter returns a :class:`Chart` from a cell; the book's renderer (:mod:`lib.present.mime`) shows it
live in the web book (Vega-Lite's JavaScript, bundled by vl-convert into ``_static/``: no other host is
asked for anything) and as a static SVG, drawn by vl-convert without a browser, in the PDF and wherever
JavaScript does not run. The cell's ``mystnb`` metadata gives the caption, the name and the alternative
text, as for any figure, so both media number it the same way.

Why our own type rather than Altair's own mime bundle: Altair's needs require.js or a CDN and has no
static twin, no data download and no alternative text; this one keeps the spec as plain JSON that
nbval compares and the renderer turns into text-only nodes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from .mimetypes import CHART

# Okabe-Ito: distinguishable with every common form of colour-blindness (the same as lib.present.figures).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
FONT = "DejaVu Sans"
WIDTH = 640  # pixels: the web book's text column; the PDF scales the SVG to its column


def theme() -> dict:
    """The house look, as a Vega-Lite ``config``: one font (drawn the same by vl-convert and browsers),
    legible sizes, the colour-blind-safe palette, no chart border."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        # Marks are not announced one by one (hundreds of points); the chart is, by its description, and its numbers
        # are in the CSV beside it.
        "mark": {"color": PALETTE[0], "aria": False},
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal", "grid": True,
                 "gridColor": "#EEEEEE"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "labelLimit": 400},
        "header": {"labelFontSize": 11, "titleFontSize": 11},
        "title": {"fontSize": 12, "anchor": "start", "fontWeight": "normal"},
    }


def spec_of(chart) -> dict:
    """An Altair chart (or a ready Vega-Lite dict) as a Vega-Lite dict with the house config, its data inline."""
    if isinstance(chart, dict):
        spec = dict(chart)
    else:
        import altair as alt

        with alt.data_transformers.disable_max_rows():
            spec = chart.to_dict()
    config = theme()
    for key, value in spec.get("config", {}).items():
        config[key] = {**config[key], **value} if isinstance(value, dict) and isinstance(config.get(key), dict) else value
    spec["config"] = config
    spec.pop("$schema", None)
    return spec


@dataclass(frozen=True)
class Chart:
    """A chart a cell returns: ``spec`` is shown live; ``static`` (default: the same) is drawn for print,
    where one chart must show every series a reader could pick on the page — a list of specs when that
    takes more than a page, each printed in turn under the one caption; ``data`` is the numbers behind it,
    a CSV one click away."""

    spec: dict
    data: pd.DataFrame
    static: dict | list[dict] | None = None

    @classmethod
    def of(cls, chart, data: pd.DataFrame, static=None) -> Chart:
        if isinstance(static, (list, tuple)):
            return cls(spec_of(chart), data, [spec_of(s) for s in static])
        return cls(spec_of(chart), data, spec_of(static) if static is not None else None)

    def print_specs(self) -> list[dict]:
        """The specs drawn for print, in order."""
        return print_specs_of(self.payload())

    def payload(self) -> dict:
        csv = self.data.to_csv(index=False, lineterminator="\n")
        return {"spec": self.spec, "static": self.static, "csv": csv}

    def draw(self) -> None:
        """Draw the static chart now (into the cache), so the book's build only reads it."""
        for spec in self.print_specs():
            png(spec)

    def _repr_mimebundle_(self, include=None, exclude=None):
        self.draw()
        return {CHART: json.loads(json.dumps(self.payload())), "text/plain": "<chart>"}


def print_specs_of(payload: dict) -> list[dict]:
    """A chart payload's specs for print, in order: its ``static`` (one or a list), else its live spec."""
    static = payload.get("static")
    if not static:
        return [payload["spec"]]
    return list(static) if isinstance(static, list) else [static]


PRINT_SCALE = 2  # pixels per CSS pixel: 1,280 across the A4 text column, about 200 dpi


def png(spec: dict) -> bytes:
    """The chart drawn as PNG by vl-convert (no browser), the same bytes for the same spec, for print and for the
    web book until its live chart is drawn. PNG rather than SVG: WeasyPrint took 30 s to draw the book's 37 SVG
    charts (some with 17,000 elements) and well under one to place their PNGs.

    Drawn once per spec: kept in the cache (sealed, checked before use, :mod:`lib.cache`), so the notebooks,
    run two at a time, draw their charts while they run (:meth:`Chart.draw`) and the book only reads them."""
    import vl_convert as vlc

    from lib import cache

    key = cache.digest("chart-png", vlc.__version__, str(PRINT_SCALE), json.dumps(spec, sort_keys=True))
    found = cache.opened("chart-png", key, source=key)
    if found is not None:
        return (found / "chart.png").read_bytes()
    picture = vlc.vegalite_to_png(spec, scale=PRINT_SCALE)
    tmp = cache.scratch("chart-png", key)
    (tmp / "chart.png").write_bytes(picture)
    cache.seal(tmp, source=key)
    cache.commit(tmp, cache.entry("chart-png", key))
    return picture


def svg(spec: dict) -> str:
    """The chart drawn as SVG by vl-convert (no browser): the same bytes for the same spec."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


def javascript() -> str:
    """Vega, Vega-Lite and Vega-Embed in one classic script (vl-convert's bundle, which sets ``window.vegaEmbed``),
    wrapped in a function so its own top-level names stay out of the page's: the web book's charts need nothing
    from any other host, and work opened from disk (``file://``, where browsers refuse module scripts)."""
    import vl_convert as vlc

    return "(function () {\n" + vlc.javascript_bundle() + "\n})();\n"
