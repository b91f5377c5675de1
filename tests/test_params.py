"""Params are validated strictly: every refusal names the file, the key, the value and what is allowed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from lib import ROOT
from lib.errors import ParamsError
from lib.params import load_params


def test_demo_periods_load():
    for period in ("2019-10", "2019-11", "2019-12"):
        params = load_params(ROOT / "params" / f"{period}.yml")
        assert params.period == period
        assert params.period_start.day == 1
        assert params.input_path("contacts").is_file()
        # Defaults' paths are relative to defaults.yml, the period's to the period file.
        assert params.input_path("tracker").name == f"{period}.parquet"
        assert params.previous_period < period


def test_relative_path_from_repo_root(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert load_params("params/2019-12.yml").period == "2019-12"


def refusal(path) -> str:
    with pytest.raises(ParamsError) as info:
        load_params(path)
    return str(info.value)


def test_unknown_key_names_file_key_and_allowed(params_in):
    msg = refusal(params_in(validation__on_row_errors="fail"))
    assert "2019-12.yml" in msg
    assert "validation.on_row_errors: unknown key" in msg
    assert "on_row_error" in msg.split("allowed keys here:")[1]


def test_unknown_top_level_key(params_in):
    msg = refusal(params_in(aht_seconds=30))
    assert "aht_seconds: unknown key" in msg and "period_start" in msg


def test_wrong_type(params_in):
    msg = refusal(params_in(disclosure__min_count="five"))
    assert "disclosure.min_count = 'five'" in msg and "integer" in msg


def test_out_of_range(params_in):
    msg = refusal(params_in(disclosure__min_count=0))
    assert "disclosure.min_count = 0" in msg and "greater than or equal to 1" in msg


def test_value_not_in_allowed_list(params_in):
    msg = refusal(params_in(validation__on_row_error="ignore"))
    assert "validation.on_row_error = 'ignore'" in msg and "'exclude'" in msg and "'fail'" in msg


def test_impossible_date(params_in):
    msg = refusal(params_in(period_end="2019-12-32"))
    assert "period_end = '2019-12-32'" in msg and "date" in msg


def test_dates_must_agree(params_in):
    assert "is before period_start" in refusal(params_in(period_end="2019-11-30"))
    assert "must be the first day of period 2019-12" in refusal(params_in(period_start="2019-12-02"))


def test_period_format_and_file_name(params_in, tmp_path):
    assert "must be a month written YYYY-MM" in refusal(params_in(period="Dec 2019"))
    msg = refusal(params_in(period="2019-11", period_start="2019-11-01", period_end="2019-11-30"))
    assert "must match the file name ('2019-12')" in msg


def test_missing_key(params_in):
    assert "period_end: required key is missing" in refusal(params_in(drop=("period_end",)))


def test_missing_input_file(params_in):
    msg = refusal(params_in(inputs__contacts="/nowhere/contacts.parquet"))
    assert "inputs.contacts = '/nowhere/contacts.parquet': file not found" in msg


def test_malformed_yaml(tmp_path):
    bad = tmp_path / "2019-12.yml"
    bad.write_text("period: 2019-12\ninputs: [unclosed\n", encoding="utf-8")
    msg = refusal(bad)
    assert "2019-12.yml: not valid YAML at line" in msg


def test_not_a_mapping(tmp_path):
    bad = tmp_path / "2019-12.yml"
    bad.write_text("- a\n- b\n", encoding="utf-8")
    assert "must be a mapping" in refusal(bad)


def test_missing_params_file(tmp_path):
    assert "params file not found" in refusal(tmp_path / "2030-01.yml")


def test_defaults_key_error_names_defaults_file(tmp_path):
    (tmp_path / "defaults.yml").write_text((ROOT / "params" / "defaults.yml").read_text()
                                           .replace("min_count: 5", "min_count: -1"))
    period = tmp_path / "2019-12.yml"
    text = (ROOT / "params" / "2019-12.yml").read_text().replace("../data", str(ROOT / "data"))
    period.write_text(text)
    (tmp_path / "defaults.yml").write_text((tmp_path / "defaults.yml").read_text().replace("../data", str(ROOT / "data")))
    msg = refusal(period)
    assert "defaults.yml: disclosure.min_count = -1" in msg


def test_cli_refuses_without_traceback_and_leaves_build_untouched(params_in, tmp_path):
    bad = params_in(erlang_settings="x")
    build_dir = ROOT / "_build"
    before = sorted(p.relative_to(ROOT) for p in build_dir.rglob("*")) if build_dir.exists() else []
    result = subprocess.run([sys.executable, "-m", "lib", "build", "--params", str(bad)],
                            capture_output=True, text=True, cwd=ROOT)
    after = sorted(p.relative_to(ROOT) for p in build_dir.rglob("*")) if build_dir.exists() else []
    assert result.returncode == 2
    assert "erlang_settings: unknown key" in result.stderr
    assert "Traceback" not in result.stderr
    assert before == after


def test_cli_help():
    result = subprocess.run([sys.executable, "-m", "lib", "build", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "--params" in result.stdout and "--no-pdf" in result.stdout


def test_cli_demo_data_help():
    result = subprocess.run([sys.executable, "-m", "lib", "demo-data", "--help"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0 and "--seed" in result.stdout
