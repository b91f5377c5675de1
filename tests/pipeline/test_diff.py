"""What changed between two sets of facts (lib.pipeline.diff) and which build a reference names
(lib.pipeline.compare). The expected rows are worked out by hand from the small facts below."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lib.errors import BuildError
from lib.pipeline.compare import resolve
from lib.pipeline.diff import COLUMNS, diff


def _facts(value: float, status: str, score: float, handlers: int, overdue: int, extra: bool = False) -> dict:
    catalogue = pd.DataFrame({"measure_id": ["m1", "m2"], "name": ["Crimes solved", "Days to charge"],
                              "unit": ["percent", "days"]})
    period = pd.DataFrame({"measure_id": ["m1", "m2"], "value": [value, np.nan], "score": [score, np.nan],
                           "status": [status, "no data"], "target": [20.0, np.nan]})
    fit = pd.DataFrame({"paid_hours": [handlers], "current_paid_hours": [1806]})
    items = pd.DataFrame({"status_at_end": ["complete"] * 3 + ["overdue"] * overdue})
    facts = {"catalogue": catalogue, "measure_period": period, "fcr_fit": fit, "programme_items": items,
             "other": pd.DataFrame({"x": [1, 2]})}
    if extra:
        facts["new_table"] = pd.DataFrame({"y": [1]})
    return facts


def test_identical_facts_differ_in_nothing():
    same = _facts(15.2, "not met", 0.76, 1768, 2)
    found = diff(same, _facts(15.2, "not met", 0.76, 1768, 2))
    assert found.empty and list(found.columns) == COLUMNS


def test_each_difference_a_board_would_notice_is_one_row_in_its_own_words():
    old = _facts(15.2, "not met", 0.76, 1768, 2)
    new = _facts(21.0, "met", 1.05, 1750, 1, extra=True)
    new["other"] = pd.DataFrame({"x": [1, 3]})
    found = diff(old, new)
    rows = {(r.what, r.item): (r.then, r.now) for r in found.itertuples()}
    assert rows[("measure value", "Crimes solved")] == ("15.2%", "21.0%")
    assert rows[("measure status", "Crimes solved")] == ("not met", "met")
    assert rows[("measure score", "Crimes solved")] == ("0.76", "1.05")
    assert rows[("best-fit paid hours a week", "")] == ("1,768", "1,750")
    assert rows[("programme items overdue", "")] == ("2", "1")
    assert rows[("table", "new_table")] == ("absent", "present")
    assert rows[("table", "other")] == ("2 rows", "2 rows, changed")
    assert not any(item == "Days to charge" for _, item in rows)  # no data then and now: not a change
    assert len(found) == 7


def test_a_change_hidden_by_rounding_is_not_reported():
    """15.21% and 15.24% both read 15.2%: the board would see no change, so none is listed."""
    found = diff(_facts(15.21, "not met", 0.7605, 1768, 2), _facts(15.24, "not met", 0.762, 1768, 2))
    assert found.empty


def _version(root, force, period, number):
    facts = root / force / period / f"v{number}" / "facts"
    facts.mkdir(parents=True)
    (facts / "manifest.json").write_text(json.dumps({"tables": {}}))
    return facts


def test_resolve_names_an_edition_a_version_or_a_folder_and_refuses_an_ambiguous_period(tmp_path):
    v1 = _version(tmp_path, "demo", "2019-11", 1)
    (tmp_path / "demo" / "2019-11" / "latest").symlink_to("v1")
    assert resolve("demo/2019-11/v1", tmp_path) == v1
    assert resolve("demo/2019-11", tmp_path).resolve() == v1.resolve()
    assert resolve(str(v1), tmp_path) == v1
    with pytest.raises(BuildError, match="no built facts found"):
        resolve("demo/2019-10", tmp_path)
    with pytest.raises(BuildError, match="no built facts found"):
        resolve("../../etc", tmp_path)


def test_a_period_alone_names_the_one_force_that_has_it_and_is_refused_when_two_do(tmp_path):
    v1 = _version(tmp_path, "demo", "2019-12", 1)
    assert resolve("2019-12/v1", tmp_path) == v1
    _version(tmp_path, "cleveland", "2019-12", 1)
    with pytest.raises(BuildError, match=r"2019-12 is built for several forces \(cleveland, demo\); name one"):
        resolve("2019-12/v1", tmp_path)
