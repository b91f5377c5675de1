"""House figure style, shared by every chapter's charts.

Text in a figure is always literal: matplotlib's mathtext is switched off (``text.parse_math``),
so a label such as "Pay $10 uplift for $ call handlers" is drawn as typed instead of failing the
notebook or turning into maths.
"""
from __future__ import annotations

import warnings

import matplotlib as mpl
import numpy as np

from lib.vocabulary import DAYS, HOURS_PER_WEEK

from .display import plain

# Okabe-Ito: distinguishable with every common form of colour-blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


def setup_figures() -> None:
    """House figure style: colour-blind-safe palette, legible sizes, literal text, deterministic PNGs."""
    mpl.rcParams.update({
        "figure.figsize": (8, 3.6), "figure.dpi": 110, "savefig.dpi": 110,
        "axes.prop_cycle": mpl.cycler(color=PALETTE), "axes.spines.top": False,
        "axes.spines.right": False, "font.size": 10, "axes.titlesize": 11,
        "svg.hashsalt": "forcebook", "path.simplify": True,
        "text.parse_math": False, "text.usetex": False,
    })
    # A character the font lacks (e.g. CJK in a tracker entry) is drawn as a box, not a failed build.
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)


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


def week_cover_chart(needed, covers: dict, needed_label: str, ylabel: str):
    """Step chart over the 168 hours of a week: what is needed (grey) and each roster's cover."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.4))
    x = np.arange(HOURS_PER_WEEK)
    ax.fill_between(x, np.asarray(needed, dtype=float), step="mid", color="#DDDDDD", label=needed_label)
    for (label, cover), colour in zip(covers.items(), [PALETTE[0], PALETTE[3], PALETTE[2], PALETTE[5]]):
        ax.step(x, cover, where="mid", color=colour, lw=1.3, label=label)
    ax.set_xticks(np.arange(0, HOURS_PER_WEEK, 24), DAYS)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncols=3, loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def shown(fig):
    """A figure as a cell's result, shown once (closed, so pyplot does not show it a second time)."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig
