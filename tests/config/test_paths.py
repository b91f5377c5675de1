"""A path is a path: a file or folder whose name holds [ ] * ? is read as itself, never as a pattern that
matches its neighbours (issue: `exports [2019]/audits.parquet` was built from `exports 2/audits.parquet`)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lib import ROOT
from lib.config.params import load_params
from lib.config.paths import read_as
from lib.errors import ParamsError
from lib.inputs.loading import load_source
from lib.peers import monthly_counts

STREET = ROOT / "tests" / "data" / "police-uk" / "2018-10-cleveland-street.csv"


@pytest.fixture
def exports(tmp_path, default_params):
    """`exports [2019]/audits.parquet` (every audit passed) and, beside it, `exports 2/audits.parquet` (none)."""
    audits = pd.read_parquet(default_params.input_path("audits"))
    for name, passed in (("exports [2019]", True), ("exports 2", False)):
        (tmp_path / name).mkdir()
        audits.assign(passed=passed).to_parquet(tmp_path / name / "audits.parquet")
    return tmp_path


def test_a_path_that_exists_is_read_as_itself(tmp_path):
    (tmp_path / "a [1]").mkdir()
    assert read_as(tmp_path / "a [1]") == ("path", [tmp_path / "a [1]"])
    assert read_as(tmp_path / "a [2]") == ("missing", [])
    (tmp_path / "a 1").mkdir()
    assert read_as(tmp_path / "a [1]") == ("ambiguous", [tmp_path / "a 1"])
    assert read_as(tmp_path / "a [[]1[]]") == ("pattern", [tmp_path / "a [1]"])  # written in brackets: only it


def test_an_ambiguous_input_path_is_refused_naming_both_readings(exports, params_in):
    with pytest.raises(ParamsError) as info:
        load_params(params_in(inputs__audits=str(exports / "exports [2019]" / "audits.parquet")))
    msg = str(info.value)
    assert "inputs.audits = " in msg and "exports [2019]/audits.parquet' exists" in msg
    assert "exports 2/audits.parquet" in msg and "[[] for [" in msg


def test_a_bracketed_path_alone_is_read_as_itself_and_escaped_patterns_work(exports, params_in):
    shutil.rmtree(exports / "exports 2")
    params = load_params(params_in(inputs__audits=str(exports / "exports [2019]" / "audits.parquet")))
    assert load_source(params, "audits").frame["passed"].all()
    (exports / "exports 2").mkdir()
    params = load_params(params_in(inputs__audits=str(exports / "exports [[]2019[]]" / "audits.parquet")))
    assert load_source(params, "audits").frame["passed"].all()


def test_a_peers_archive_folder_with_brackets_is_read_as_itself(tmp_path):
    """DuckDB reads every file name as a glob: `peers [2019]` read `peers 2`."""
    for name, rows in (("peers [2019]", None), ("peers 2", 3)):
        (tmp_path / name / "2018-10").mkdir(parents=True)
        target = tmp_path / name / "2018-10" / STREET.name
        if rows is None:
            shutil.copy(STREET, target)
        else:
            target.write_text("".join(STREET.read_text().splitlines(keepends=True)[: rows + 1]))
    counts = monthly_counts(tmp_path / "peers [2019]", ["cleveland"])
    assert int(counts.counts["crimes"].sum()) == 9352
