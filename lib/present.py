"""Presentation helpers shared by every chapter: rounding, tables, figure style, glued values.

Tables are shown as MyST markdown, so Jupyter Book renders them as real tables in both the HTML
(with header cells) and the PDF (LaTeX tabulary), not as images or monospaced text; the plain-text
form beside it is what nbval compares. All rounding goes through :func:`round_half_up` so the same
number prints the same way everywhere.
"""
from __future__ import annotations

import decimal
import math

import matplotlib as mpl
from IPython.display import Markdown  # noqa: F401  (re-exported for notebooks' one-line messages)
import numpy as np
import pandas as pd

NO_DATA = "no data"

# Okabe-Ito: distinguishable with every common form of colour-blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


def round_half_up(value: float, digits: int = 0) -> float:
    """Round half away from zero (as a reader expects: 2.5 → 3), NaN stays NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    q = decimal.Decimal(1).scaleb(-digits)
    return float(decimal.Decimal(repr(float(value))).quantize(q, rounding=decimal.ROUND_HALF_UP))


def fmt_int(value) -> str:
    """A count with thousands separators; 'no data' for NaN/None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return NO_DATA
    return f"{int(round_half_up(value)):,}"


def fmt_pct(value, digits: int = 1) -> str:
    """A proportion in [0, 1] as a percentage; 'no data' for NaN/None."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    return f"{round_half_up(100 * value, digits):.{digits}f}%"


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.2f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


class Table:
    """A table for the book: MyST markdown for the page, plain text for nbval and the console."""

    def __init__(self, frame: pd.DataFrame, caption: str = "", name: str = "", csv: bool = True):
        self.frame = frame
        self.caption = caption
        self.name = name
        self.csv = csv and bool(caption)
        if self.csv:
            # Written beside the executing notebook; the book build copies it into _downloads.
            from pathlib import Path

            Path("tables").mkdir(exist_ok=True)
            frame.to_csv(Path("tables") / self.csv_name(), index=False)

    def csv_name(self) -> str:
        """File name of the table's CSV download, from its name or caption."""
        import re

        stem = self.name or re.sub(r"[^a-z0-9]+", "-", self.caption.lower()).strip("-")[:60]
        return f"{stem or 'table'}.csv"

    def to_markdown(self) -> str:
        """The table as MyST markdown (a ``{table}`` directive when there is a caption)."""
        cols = [str(c) for c in self.frame.columns]
        lines = ["| " + " | ".join(c.replace("|", "\\|") for c in cols) + " |",
                 "|" + "|".join("---" for _ in cols) + "|"]
        for row in self.frame.itertuples(index=False):
            lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
        body = "\n".join(lines)
        if not self.caption:
            return body
        label = f":name: {self.name}\n" if self.name else ""
        # The link is for the web book only: in the PDF it would be dead text.
        download = (f"\n\n```{{only}} html\n{{download}}`Download this table (CSV) <tables/{self.csv_name()}>`\n```"
                    if self.csv else "")
        return f"```{{table}} {self.caption}\n{label}{body}\n```{download}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = self.frame.to_string(index=False) if len(self.frame) else "(no rows)"
        return {"text/markdown": self.to_markdown(), "text/plain": text}


def table(frame: pd.DataFrame, caption: str = "", name: str = "") -> Table:
    """Wrap a DataFrame for display as a real table (see :class:`Table`)."""
    return Table(frame.reset_index(drop=True), caption, name)


def setup_figures() -> None:
    """House figure style: colour-blind-safe palette, legible sizes, deterministic PNG output."""
    mpl.rcParams.update({
        "figure.figsize": (8, 3.6), "figure.dpi": 110, "savefig.dpi": 110,
        "axes.prop_cycle": mpl.cycler(color=PALETTE), "axes.spines.top": False,
        "axes.spines.right": False, "font.size": 10, "axes.titlesize": 11,
        "svg.hashsalt": "forcebook", "path.simplify": True,
    })


def glue_texts(texts: dict[str, str]) -> None:
    """Glue each text (as Markdown) under its key, for ``{glue:md}`key``` in the chapter's prose."""
    from IPython.display import Markdown
    from myst_nb import glue

    for key, text in texts.items():
        glue(key, Markdown(text), display=False)


def week_cover_chart(needed, covers: dict, needed_label: str, ylabel: str):
    """Step chart over the 168 hours of a week: what is needed (grey) and each roster's cover."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.4))
    x = np.arange(168)
    ax.fill_between(x, np.asarray(needed, dtype=float), step="mid", color="#DDDDDD", label=needed_label)
    for (label, cover), colour in zip(covers.items(), [PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[5]]):
        ax.step(x, cover, where="mid", color=colour, lw=1.3, label=label)
    ax.set_xticks(np.arange(0, 168, 24), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncols=3, loc="upper left", frameon=False)
    fig.tight_layout()
    return fig
