"""Presentation: how every chapter shows numbers, tables, texts and figures.

Nothing here builds markup from strings: tables and glued texts are data that the book's renderer
(:mod:`lib.present.mime`) turns into text nodes, so a value from the inputs always reads as typed.
"""
from .display import NO_DATA, fmt_int, fmt_pct, missing, plain, round_half_up
from .figures import DAYS, PALETTE, label, setup_figures, week_cover_chart
from .tables import Table, table
from .text import Text, glue_texts, text

__all__ = ["NO_DATA", "fmt_int", "fmt_pct", "missing", "plain", "round_half_up", "DAYS", "PALETTE", "label", "setup_figures",
           "week_cover_chart", "Table", "table", "Text", "glue_texts", "text"]
