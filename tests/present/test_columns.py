"""Column specs: a table laid out from its facts by declared columns."""
import pandas as pd
import pytest

from lib.present import fmt_int, fmt_interval, fmt_percent
from lib.present.columns import ROW, Column, lay_out

FACTS = pd.DataFrame({"route": ["999", "101"], "calls": [1234, 56789], "value": [95.04, 80.0],
                      "lower": [94.1, 79.2], "upper": [95.9, 80.8]}, index=[3, 7])


def test_each_column_reads_its_fact_columns_through_its_rule():
    shown = lay_out(FACTS, [Column("route", "route"), Column("calls offered", "calls", fmt_int),
                            Column("in target", "value", fmt_percent),
                            Column("95% CI", ("lower", "upper"), fmt_interval)])
    assert list(shown.columns) == ["route", "calls offered", "in target", "95% CI"]
    assert shown.loc[3].tolist() == ["999", "1,234", "95.0%", fmt_interval(94.1, 95.9)]
    assert shown.loc[7, "calls offered"] == "56,789"
    assert list(shown.index) == [3, 7]  # the facts' rows, in their order


def test_a_row_rule_sees_the_whole_row():
    shown = lay_out(FACTS, [Column("what", ROW, lambda row: f"{row['route']}: {row['calls']}")])
    assert shown["what"].tolist() == ["999: 1234", "101: 56789"]


def test_no_rows_gives_the_headings_and_no_rows_and_texts_stay_texts():
    """A ruled column holds texts even with no rows (a table aligns its number columns as numbers)."""
    from lib.present import table

    shown = lay_out(FACTS.iloc[:0], [Column("route", "route"), Column("calls offered", "calls", fmt_int)])
    assert list(shown.columns) == ["route", "calls offered"] and shown.empty
    assert shown["calls offered"].dtype == object
    assert not any(table(shown, caption="x").payload()["numeric"])


def test_two_columns_under_one_heading_are_refused():
    with pytest.raises(ValueError, match="two columns are headed 'route'"):
        lay_out(FACTS, [Column("route", "route"), Column("route", "calls", fmt_int)])


def test_a_spec_that_reads_a_missing_column_is_a_bug_named_by_the_column():
    with pytest.raises(KeyError, match="answered"):
        lay_out(FACTS, [Column("answered", "answered", fmt_int)])


def test_several_columns_or_the_row_need_a_rule():
    with pytest.raises(ValueError, match="reads 2 columns: it needs a rule"):
        lay_out(FACTS, [Column("CI", ("lower", "upper"))])
    with pytest.raises(ValueError, match="reads the row: it needs a rule"):
        lay_out(FACTS, [Column("what", ROW)])
