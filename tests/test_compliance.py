"""The compliance chapter's logic: sentences, disjoint comparisons, audit pooling."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.compliance import report as cr
from lib.inputs.loading import load_all


def test_significance_sentences():
    assert cr.significance(56, 70, 48, 80) == (
        "is up 20.0 points (95% CI 5.2 to 33.4), a statistically significant change (p = 0.008)")
    assert "not statistically significant" in cr.significance(6, 10, 5, 10)
    assert cr.significance(0, 0, 5, 10).startswith("cannot be tested")
    assert cr.fmt_p(0.0001) == "p < 0.001"


@pytest.fixture(scope="module")
def report(default_params):
    loaded = load_all(default_params)
    return loaded, cr.series(loaded, default_params)


def test_month_against_previous_is_disjoint(report, default_params):
    _, series = report
    r = cr.month_against_previous(series["stop_search_grounds"], default_params)
    assert (r["first"], r["last"]) == ("2019-01", "2019-11")
    s = series["stop_search_grounds"].set_index("month")
    assert r["n2"] == s.loc["2019-01":"2019-11", "n"].sum() and r["n1"] == s.loc["2019-12", "n"]


def test_summary_has_n_interval_and_signal(report, default_params):
    _, series = report
    table = cr.summary(series, default_params)
    assert list(table["measure"]) == [title for title, _ in cr.MEASURES.values()]
    assert (table["n"] > 0).all() and table["95% CI"].str.contains(" to ").all()
    assert table.loc[0, "real change?"].startswith("yes")


def test_audit_table_pools_the_quarter(report, default_params):
    loaded, _ = report
    from lib.measures import derived as measures
    table = cr.audit_table(measures.audits(loaded, default_params), default_params)
    assert len(table) == 10
    assert (table["passed"].str.endswith("of 10")).all()
    assert (table["2019/20 Q3 to date"].str.endswith("of 30")).all()  # October to December
