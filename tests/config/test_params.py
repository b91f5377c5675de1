"""Params are validated strictly: every refusal names the file, the key, the value and what is allowed."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from lib import ROOT
from lib.config.params import load_params
from lib.errors import ParamsError


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
    assert "disclosure.min_count = 0" in msg and "greater than or equal to 2" in msg


def test_value_not_in_allowed_list(params_in):
    msg = refusal(params_in(validation__on_row_error="ignore"))
    assert "validation.on_row_error = 'ignore'" in msg and "'exclude'" in msg and "'fail'" in msg


def test_impossible_date(params_in):
    msg = refusal(params_in(period_end="2019-12-32"))
    assert "period_end = '2019-12-32'" in msg and "date" in msg


def test_dates_are_derived_from_the_period_or_must_agree_with_it(params_in):
    """Issue: `period: 2019-11` with `period_end: 2020-03-15` loaded without complaint."""
    assert "must be the last day of period 2019-12 (2019-12-31)" in refusal(params_in(period_end="2019-11-30"))
    assert "must be the last day of period 2019-12" in refusal(params_in(period_end="2020-03-15"))
    assert "must be the first day of period 2019-12" in refusal(params_in(period_start="2019-12-02"))
    params = load_params(params_in(drop=("period_start", "period_end")))
    assert (params.period_start, params.period_end) == (dt.date(2019, 12, 1), dt.date(2019, 12, 31))
    leap = load_params(params_in(name="2020-02.yml", period="2020-02", drop=("period_start", "period_end"),
                                 compliance__baseline_month="2019-12"))
    assert leap.period_end == dt.date(2020, 2, 29)


def test_period_format_and_file_name(params_in, tmp_path):
    assert "must be a month written YYYY-MM" in refusal(params_in(period="Dec 2019"))
    msg = refusal(params_in(period="2019-11", period_start="2019-11-01", period_end="2019-11-30"))
    assert "must match the file name ('2019-12')" in msg


def test_missing_key(params_in):
    assert "history_start: required key is missing" in refusal(params_in(drop=("history_start",)))


def test_missing_input_file(params_in):
    msg = refusal(params_in(inputs__contacts="/nowhere/contacts.parquet"))
    assert "inputs.contacts = '/nowhere/contacts.parquet': no such file or folder" in msg
    msg = refusal(params_in(inputs__crimes={"path": "/nowhere/*/2019-*-street.csv"}))
    assert "inputs.crimes = '/nowhere/*/2019-*-street.csv': no file matches this pattern" in msg
    msg = refusal(params_in(inputs__crimes={"path": str(ROOT / "tests"), "timezone": "Mars/Olympus"}))
    assert "inputs.crimes.timezone = 'Mars/Olympus': not a time zone" in msg


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


# --- Check catches what build would: every value range-checked where it is read --------------------

@pytest.mark.parametrize("change, expected", [
    ({"period": "2019-12\n"}, "period = '2019-12\\n': must be a month written YYYY-MM"),
    ({"fcr__routes": []}, "fcr.routes = []: List should have at least 1 item"),
    ({"fcr__routes": ["999", "999"]}, "each route at most once"),
    ({"fcr__shift_start_hours": [6, 25]}, "fcr.shift_start_hours[1] = 25: Input should be less than or equal to 23"),
    ({"fcr__shift_lengths_hours": [0]}, "fcr.shift_lengths_hours[0] = 0"),
    ({"fcr__scenarios_shrinkage": [0.3, 1.5]}, "fcr.scenarios_shrinkage[1] = 1.5: Input should be less than 1"),
    ({"fcr__scenarios_staff_pct": [-100]}, "fcr.scenarios_staff_pct[0] = -100"),
    ({"fcr__shrinkage": 1.0}, "fcr.shrinkage = 1.0: Input should be less than 1"),
    ({"fcr__patience_seconds": float("inf")}, "fcr.patience_seconds.999 = inf: Input should be a finite number"),
    ({"fcr__patience_seconds": {"999": -5, "101": 300}}, "fcr.patience_seconds.999 = -5: Input should be greater than 0"),
    ({"fcr__max_occupancy": float("nan")}, "fcr.max_occupancy = nan: Input should be a finite number"),
    ({"calls__answer__999__share": 1}, "calls.answer.999.share = 1: Input should be less than 1"),
    ({"calls__answer": {"999": {"seconds": 10, "share": 0.9, "source": "national standard"}}},
     "give a standard for route(s) 101"),
    ({"calls__answer__101__source": ""}, "a target says where it comes from (source)"),
    ({"response__attend_within_minutes": {"immediate": 15}}, "give a target for grade(s) priority"),
    ({"irt__annual_leave_pct": 60, "irt__training_pct": 30, "irt__sickness_pct": 15},
     "annual_leave_pct + training_pct + sickness_pct = 105: must be below 100"),
    ({"irt__proactive_pct": 100}, "irt.proactive_pct = 100: Input should be less than 100"),
    ({"irt__proactive_hours_of_day": [22, 8]}, "proactive_hours_of_day = [22, 8]: give [from, to) with from < to"),
    ({"irt__rotas": [{"name": "x", "rules": {"team_size": 0}}]}, "irt.rotas[0].rules.shifts: required key is missing"),
    ({"irt__officer_cost_gbp": -1}, "irt.officer_cost_gbp = -1: Input should be greater than 0"),
    ({"fcr__rota_options": [{"name": "x", "shifts": [{"name": "Day", "start_hour": 25, "length_hours": 8}]}]},
     "fcr.rota_options[0].shifts[0].start_hour = 25"),
    ({"programme__expected_counts": {"recommendation": -3}}, "programme.expected_counts.recommendation = -3"),
    ({"disclosure__min_count": 1}, "disclosure.min_count = 1: Input should be greater than or equal to 2"),
    ({"scorecard__neighbourhood_crime_types": ["Burglery"]}, "'Burglery'"),
    ({"outcomes__positive": []}, "outcomes.positive = []"),
    ({"outcomes__positive": ["solved"]}, "positive = ['solved']: not a group"),
    ({"outcomes__groups": {"a": ["Local resolution"], "b": ["Local resolution"]}}, "'Local resolution' is in two groups"),
    ({"interventions": [{"month": "2019-13", "label": "x", "measures": ["ppn_submitted_in_time"]}]},
     "interventions[0].month = '2019-13'"),
    ({"interventions": [{"month": "2019-04", "label": "x", "measures": ["ppn_in_time"]}]},
     "interventions[0].measures: 'ppn_in_time' is not a measure of params/measures-demo.yml (ids: crimes_recorded_24h"),
    ({"interventions": [{"month": "2017-01", "label": "x", "measures": ["da_arrest_rate"]}]},
     "interventions[0].month = '2017-01': outside the data, which runs from history_start (2018-04) to the period "
     "(2019-12)"),
    ({"interventions": [{"month": "2019-04", "label": "x", "measures": []}]}, "interventions[0].measures = []"),
    ({"fcr__patience_seconds": {"999": 600}}, "patience_seconds gives no value for route(s) ['101']"),
    ({"irt__sensitivity__travel_minutes": [15, 7]}, "[15.0, 7.0]: give [low, high], low first"),
    ({"irt__sensitivity__attend_probability": [0.5, 1.5]}, "attend_probability = 1.5: must be from 0.01 to 0.999"),
    # Issue "Nothing hidden leaks by another door": each of these passed check, then broke the build.
    ({"scorecard__population": 10**30}, "scorecard.population = 1000000000000000000000000000000"),
    ({"title": "Report\x07 for the board"}, "holds the control character '\\x07' (U+0007)"),
    ({"force_name": "Cleveland\x1b[31m"}, "force_name = 'Cleveland\\x1b[31m': holds the control character"),
    ({"interventions": [{"month": "2019-04", "label": "a\x00b", "measures": ["da_arrest_rate"]}]},
     "label = 'a\\x00b': holds the control character"),
    ({"force_management__holdout_months": 22}, "force_management.holdout_months = 22: the history holds 21 month(s)"),
    ({"history_start": "2019-12-01", "compliance__baseline_month": "2019-12", "interventions": []},
     "with contacts it needs at least 2 months of history; set history_start to 2019-11-01 or earlier"),
    ({"period_end": "2020-03-15"}, "period_end = 2020-03-15 must be the last day of period 2019-12 (2019-12-31)"),
    ({"districts": {"all districts": ["Hartlepool"]}}, "'all districts' is a row the districts chapter adds itself"),
    ({"districts": {"No Location": ["Hartlepool"]}}, "is a row the districts chapter adds itself"),
    ({"districts": {"North": ["Hartlepool"], "South": ["Hartlepool", "Middlesbrough"]}},
     "local authority 'Hartlepool' is in two districts ('North' and 'South')"),
    ({"force__id": "Cleveland Police"}, "force.id = 'Cleveland Police'"),
])
def test_values_are_range_checked(params_in, change, expected):
    assert expected in refusal(params_in(**change))


def test_yaml_alias_refused_before_it_expands(tmp_path):
    import time
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}] " for i in range(8)]
    path = tmp_path / "2019-12.yml"
    path.write_text("extends: defaults.yml\nfcr:\n  routes: [*i]\n" + "\n".join(bomb) + "\n")
    started = time.perf_counter()
    msg = refusal(path)
    assert time.perf_counter() - started < 2
    assert "an alias (*" in msg and "not allowed here" in msg and "line" in msg


def test_the_catalogue_is_read_with_the_same_guard(params_in, tmp_path):
    """Issue: 386 bytes of aliases in the measure catalogue gave a 351 MB error."""
    import time

    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]"
                                                    for i in range(9)]
    catalogue = tmp_path / "measures.yml"
    catalogue.write_text("measures: [*j]\n" + "\n".join(bomb) + "\n")
    started = time.perf_counter()
    msg = refusal(params_in(scorecard__catalogue=str(catalogue)))
    assert time.perf_counter() - started < 2 and len(msg) < 2000
    assert "measures.yml: not valid YAML" in msg and "an alias (*" in msg


def test_a_local_authority_in_no_district_with_a_district_s_name_is_refused(default_params):
    """Issue: a district named after a local authority it does not cover took that authority's crimes."""
    from lib.chapters.districts import district_of

    params = default_params.model_copy(update={"districts": {"Hartlepool": ["Middlesbrough"]}})
    with pytest.raises(ParamsError, match="the local authority 'Hartlepool' is in no district but has the name of a "
                                          "district"):
        district_of(pd.Series(["Hartlepool", "Middlesbrough"]), params)


def test_an_unexpected_error_is_one_line_with_its_traceback_kept_privately(monkeypatch, capsys):
    from lib import private
    from lib.pipeline import cli

    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "_check", broken)
    parser = cli.parser
    monkeypatch.setattr(cli, "parser", lambda: _with_check(parser(), broken))
    code = cli.main(["check", "--params", "params/2019-12.yml"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert "an unexpected ZeroDivisionError" in err and str(private.root() / "errors.log") in err
    assert "ZeroDivisionError: boom" in (private.root() / "errors.log").read_text()


def _with_check(p, run):
    for action in p._subparsers._group_actions:
        action.choices["check"].set_defaults(run=run)
    return p


def test_latin1_params_file_refused_with_line(tmp_path):
    path = tmp_path / "2019-12.yml"
    path.write_bytes("extends: defaults.yml\ntitle: Caf\xe9 report\n".encode("latin-1"))
    msg = refusal(path)
    assert "not UTF-8 text (byte 0xe9 on line 2)" in msg and "save the file as UTF-8" in msg


def test_deeply_nested_yaml_refused(tmp_path):
    path = tmp_path / "2019-12.yml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in refusal(path) or "not valid YAML" in refusal(path)


def test_models_repeat_no_defaults():
    """defaults.yml is the one place a default lives: a params file that extends nothing must give every key."""
    import typing

    from pydantic import BaseModel

    from lib.config.schema import Params

    def models_in(annotation):
        """The models an annotation holds: itself, or inside Optional[...], list[...] and dict[..., ...]."""
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from models_in(arg)

    walked, found = [], []
    # An input's own options have no place in defaults.yml: a source written as a bare path is read whole, in
    # the period, with no time zone assumed (lib.config.schema.InputSpec says so).
    per_entry = {("InputSpec", "require_period")}

    def required_everywhere(model, path=""):
        walked.append(model.__name__)
        for name, field in model.model_fields.items():
            if name == "source_file" or (model.__name__, name) in per_entry:
                continue
            if not field.is_required() and field.default not in (None, {}, []):
                found.append(f"{path}{name} has a default in code ({field.default!r}); it belongs in defaults.yml")
            for sub in models_in(field.annotation):
                required_everywhere(sub, f"{path}{name}.")

    required_everywhere(Params)
    assert not found, "\n".join(found)
    # the optional sections and the models inside lists are walked too (they once were not)
    assert {"Peers", "Intervention", "Rota", "RotaShift", "Grade", "InputSpec"} <= set(walked)


def test_cli_machine_errors_are_one_message(monkeypatch, capsys, tmp_path):
    """A full disk (or a read-only folder) mid-build: one line naming the file and the cause, exit 5,
    and the real cause is kept even though saving the failure's logs fails too."""
    import errno
    import shutil

    from lib.pipeline import build as build_mod
    from lib.pipeline import cli

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "_build" / ".staging" / "x"))

    monkeypatch.setattr(build_mod, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(build_mod, "stage_source", full)
    monkeypatch.setattr(shutil, "copy2", full)
    code = cli.main(["build", "--params", "params/2019-12.yml", "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 5, err
    assert "error: " in err and "No space left on device" in err and "Traceback" not in err
    assert not (tmp_path / "_build" / "demo" / "2019-12").exists()
