"""Presentation: how every chapter shows numbers, tables, texts and figures.

Nothing here builds markup from strings: tables and glued texts are data that the book's renderer
(:mod:`lib.present.mime`) turns into text nodes, so a value from the inputs always reads as typed.

The names below are loaded on first use, so the book's renderer (imported by every Sphinx run)
does not pay for pandas and Altair.
"""
from importlib import import_module

_EXPORTS = {
    "blocks": ("Block", "Blocks"),
    "display": ("DASH", "NOT_SUPPLIED", "NO_DATA", "NO_TARGET", "UNUSUAL", "agree", "counted", "fmt_int", "fmt_interval",
                "fmt_money", "fmt_number", "fmt_p", "fmt_percent", "fmt_points", "fmt_score", "fmt_target", "fmt_value",
                "missing", "month_label", "month_range_label", "needs", "not_supplied", "or_dash", "plain", "round_half_up",
                "score_shown", "seconds_text"),
    "figures": ("DAYS", "PALETTE", "label"),
    "tables": ("Download", "Table", "download", "fact_table", "table"),
    "texts": ("Text", "glue_texts", "text"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'lib.present' has no attribute {name!r}")
    value = getattr(import_module(f"lib.present.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
