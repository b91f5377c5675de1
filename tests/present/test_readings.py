"""A control-chart reading in short labels says what the sentence says (lib.present.charts.spc.describe)."""
from __future__ import annotations

import pandas as pd

from lib.present.charts.spc import describe
from lib.present.readings import short_reading
from lib.present.tables import cell_text, full_text
from lib.stats.phases import NOT_RECORDED

ROW = {"variation": "common_cause", "assurance": "consistent_fail", "changing": "", "months_judged": 20,
       "phase_start": "2019-06", "phase_cause": NOT_RECORDED, "phase_points": 7, "provisional_limits": True}


def _same_words(row):
    """The short reading's words are the sentence's, less its 'latest month:' and brackets."""
    words = full_text(short_reading(pd.Series(row)))
    sentence = describe(pd.Series(row)).replace("latest month: ", "").replace(" (provisional limits", "; provisional limits")
    return words == sentence.removesuffix(")") if "provisional limits" in sentence else words == sentence


def test_a_reading_in_short_labels_keeps_every_word():
    assert cell_text(short_reading(pd.Series(ROW))) == "change Jun 2019; ordinary; will miss; 7-month limits"
    assert _same_words(ROW)
    still = dict(ROW, variation="improvement_high", assurance="not_yet", changing="improving", phase_cause="")
    assert cell_text(short_reading(pd.Series(still))) == "high (better); improving" and _same_words(still)
    settled = dict(ROW, assurance="inconsistent", phase_cause="", provisional_limits=False)
    assert cell_text(short_reading(pd.Series(settled))) == "ordinary; hit or miss" and _same_words(settled)


def test_too_few_months_and_no_data():
    assert full_text(short_reading(pd.Series(dict(ROW, variation="too_few", months_judged=4)))) == \
        describe(pd.Series(dict(ROW, variation="too_few", months_judged=4)))
    assert cell_text(short_reading(pd.Series(dict(ROW, variation="no data")))) == "no data"


def test_a_provisional_month_is_not_the_month_read():
    """A provisional month is drawn but not judged: the reading names the latest judged month instead."""
    from lib.present.charts.spc import describe

    row = dict(ROW, phase_cause="", provisional_limits=False)
    assert describe(pd.Series(row)).startswith("latest month: ordinary variation")
    assert describe(pd.Series(dict(row, provisional=True))).startswith("latest judged month: ordinary variation")
