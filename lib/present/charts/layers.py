"""The pieces every chart is built from: tooltips, a picker, a month axis, interventions, letter icons.

Every chart is Altair (Vega-Lite) returned as a :class:`lib.present.vega.Chart`. The rules that keep
its spec stable and its text safe are kept here, once:

- Tooltips show display strings computed in pandas by the table formatters (:mod:`lib.present.display`),
  never numbers formatted by Vega, so a tooltip and the table beside the chart read the same.
- Every param has an explicit name (Altair would number it from a process-wide counter), data are
  sorted before they are drawn, and floats are rounded (:func:`rounded`): the same inputs give
  byte-identical JSON.
- Text from the inputs is a plain string in the data; Vega draws it as text, never as markup.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from lib.present import label
from lib.present.vega import PALETTE, WIDTH

# Decimals kept in a chart's data: above float noise, and more than the publication scan compares numbers with
# coordinates at (lib.pipeline.scan.MAX_PLACES, 10): at 4 or 6 decimals a crime rate of 54.5192 equalled some
# crime's latitude and the build refused to publish; at 12 a computed value never does.
DIGITS = 12
RULE_BLUE = "#005EB8"  # interventions and changes, as the MDC charts mark them


def rounded(frame: pd.DataFrame, digits: int = DIGITS) -> pd.DataFrame:
    """The frame with its float columns rounded (no float noise in the spec) and index reset."""
    out = frame.reset_index(drop=True).copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype(float).round(digits)
    return out


def tip(field: str, title: str) -> alt.Tooltip:
    """A tooltip line: a display string (already formatted) under a plain title."""
    return alt.Tooltip(f"{field}:N", title=title)


def pick(name: str, options: list[str], labels: list[str], prompt: str) -> alt.Parameter:
    """A dropdown the reader picks one series with (a named variable param: filter with ``datum.x == name``).

    ``options`` are the values compared (ids), ``labels`` what the reader reads (plain text)."""
    return alt.param(name=name, value=options[0],
                     bind=alt.binding_select(options=list(options), labels=list(labels), name=prompt))


def month_axis(labels: list[str], every: int = 1, title: str | None = None) -> dict:
    """An ordinal month axis in time order (``labels`` already sorted), labelled every ``every`` months."""
    shown = labels[::max(1, every)]
    return {"sort": list(labels), "axis": alt.Axis(values=shown, labelAngle=-45, title=title, labelOverlap=False)}


def every_for(n: int, width: float = WIDTH) -> int:
    """A label step that leaves about 55 pixels a month label."""
    return max(1, int(-(-n * 55 // max(width, 1))))


def series_colour(names: list[str], title: str | None = None, palette: list[str] | None = None) -> alt.Color:
    """A categorical colour in the house palette, in the given order (legend below)."""
    return alt.Color("series:N", title=title, sort=list(names),
                     scale=alt.Scale(domain=list(names), range=(palette or PALETTE)[: len(names)]))


def header(width: float) -> alt.Header:
    """A facet's panel titles: left, legible, wrapped where the label holds a line break (:func:`wrapped`)."""
    return alt.Header(labelFontSize=11, labelAnchor="start", labelAlign="left", labelLimit=width,
                      labelExpr="split(datum.value, '\\n')", title=None)


def wrapped(text, width: float, lines: int = 2) -> str:
    """Input text as a panel title of ``lines`` lines at most for a panel ``width`` pixels wide (about 6.5 px a
    character at 11 px)."""
    return label(text, max(12, int(width / 6.5)), lines=lines)
