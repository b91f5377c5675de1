"""One test per contract rule, each with a deliberately broken file and the message an analyst sees."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import ROOT
from lib.config.params import load_params
from lib.errors import DataError
from lib.inputs.contracts import CONTRACTS
from lib.inputs.loading import load_source, read_table


def demo_rows(params, source: str, n: int = 8) -> pd.DataFrame:
    """The first n in-window rows of a demo file, as the text a CSV export would hold."""
    frame = pd.read_parquet(params.input_path(source))
    col = CONTRACTS[source].time_column
    frame = frame[frame[col] >= pd.Timestamp("2019-12-01", tz="Europe/London")].head(n).reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[name] = values.map(lambda t: "" if pd.isna(t) else t.isoformat())
        else:
            out[name] = values.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
    return out


def load_csv(tmp_path, params_in, source: str, frame: pd.DataFrame, **changes):
    path = tmp_path / f"{source}.csv"
    frame.to_csv(path, index=False)
    params = load_params(params_in(**{f"inputs__{source}": str(path)}, **changes))
    return load_source(params, source)


@pytest.fixture
def contacts(default_params):
    return demo_rows(default_params, "contacts")


def only_defect(loaded, column: str, rule: str, rows: int, examples: str):
    d = loaded.defects
    assert len(d) == 1, d.to_string()
    row = d.iloc[0]
    assert (row["column"], row["rows"], row["example_rows"]) == (column, rows, examples)
    assert rule in row["rule"]
    assert loaded.rows_defective == rows and len(loaded.frame) == loaded.rows_read - rows


def test_clean_csv_is_accepted(tmp_path, params_in, contacts):
    loaded = load_csv(tmp_path, params_in, "contacts", contacts)
    assert loaded.defects.empty and len(loaded.frame) == 8
    assert str(loaded.frame["presented_at"].dt.tz) == "Europe/London"


def test_missing_column_fails(tmp_path, params_in, contacts):
    found = r"contacts.csv: columns found: 'contact_id'.*missing for inputs.contacts: 'wrap_seconds'"
    with pytest.raises(DataError, match=found):
        load_csv(tmp_path, params_in, "contacts", contacts.drop(columns="wrap_seconds"))


def test_files_as_people_save_them(tmp_path, params_in, contacts):
    """Issue: snake_case or differently written column names, two extra columns, or a blank-allowed column left
    out were refused. Names are matched ignoring case, spaces, underscores and punctuation; extra columns are
    ignored and listed; a column the contract allows blank may be absent."""
    saved = contacts.rename(columns={"contact_id": "Contact ID", "presented_at": "PRESENTED-AT",
                                     "talk_seconds": "talk seconds"}).assign(agent_name="x", team="y")
    saved = saved.drop(columns="answered_at").assign(abandoned=saved["abandoned"].map(lambda v: "False"))
    loaded = load_csv(tmp_path, params_in, "contacts", saved.assign(abandoned=contacts["abandoned"],
                                                                     answered_at=contacts["answered_at"]))
    assert len(loaded.frame) == 8 and list(loaded.frame.columns)[:3] == ["contact_id", "route", "presented_at"]
    notes = " ".join(loaded.notes)
    assert "'Contact ID' read as 'contact_id'" in notes and "extra column(s) ignored: 'agent_name', 'team'" in notes
    crimes = pd.read_csv(ROOT / "tests" / "data" / "police-uk" / "2018-10-cleveland-street.csv", dtype=str).head(20)
    path = tmp_path / "street.csv"
    crimes.drop(columns=["Crime ID", "Context"]).to_csv(path, index=False)  # both may be blank: may be absent
    loaded = load_source(load_params(params_in(inputs__crimes={"path": [str(path)], "require_period": False},
                                               force__id="cleveland")), "crimes")
    assert len(loaded.frame) == 20 and loaded.frame["Crime ID"].isna().all()
    assert "column(s) absent, read as blank (the contract allows it): 'Crime ID', 'Context'" in " ".join(loaded.notes)


def test_a_refused_file_names_columns_found_expected_and_the_cause(tmp_path, params_in, contacts):
    with pytest.raises(DataError) as info:
        load_csv(tmp_path, params_in, "contacts", contacts.drop(columns=["route", "abandoned"]))
    msg = str(info.value)
    assert "columns found: 'contact_id'" in msg and "missing for inputs.contacts: 'route', 'abandoned'" in msg
    assert "expected: 'contact_id', 'route', 'presented_at', 'abandoned', 'talk_seconds', 'wrap_seconds', and " \
           "optionally 'answered_at'" in msg


def test_columns_are_read_by_name_in_any_order(tmp_path, params_in, default_params):
    frame = demo_rows(default_params, "stop_search")
    cols = list(frame.columns)
    cols[0], cols[1] = cols[1], cols[0]
    loaded = load_csv(tmp_path, params_in, "stop_search", frame[cols])
    assert loaded.defects.empty and len(loaded.frame) == 8


def test_unparsable_datetime(tmp_path, params_in, contacts):
    contacts.loc[2, "presented_at"] = "2019-12-01T25:61:00+00:00"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "presented_at", "unparsable datetime", 1, "3")


def test_datetime_without_offset(tmp_path, params_in, contacts):
    contacts.loc[0, "presented_at"] = "2019-12-01 00:00:05"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "presented_at", "without UTC offset", 1, "1")


def test_answered_before_presented(tmp_path, params_in, contacts):
    i = contacts.index[contacts["answered_at"] != ""][0]
    contacts.loc[i, "answered_at"] = "2019-11-30T23:00:00+00:00"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "answered_at", "before presented_at", 1, str(i + 1))


def test_negative_duration(tmp_path, params_in, contacts):
    contacts.loc[[1, 4], "talk_seconds"] = "-30"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "talk_seconds", "below the minimum 0", 2, "2, 5")


def test_unknown_route(tmp_path, params_in, contacts):
    contacts.loc[5, "route"] = "998"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "route",
                "not an allowed value (999, 101, switchboard, online)", 1, "6")


def test_unknown_grade(tmp_path, params_in, default_params):
    frame = demo_rows(default_params, "incidents")
    frame.loc[0, "grade"] = "urgent"
    only_defect(load_csv(tmp_path, params_in, "incidents", frame), "grade", "not an allowed value (immediate", 1, "1")


def test_duplicate_ids(tmp_path, params_in, contacts):
    contacts.loc[3, "contact_id"] = contacts.loc[1, "contact_id"]
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "contact_id", "duplicate id", 1, "4")


def test_abandoned_must_match_blank_answer(tmp_path, params_in, contacts):
    i = contacts.index[contacts["answered_at"] != ""][0]
    contacts.loc[i, "abandoned"] = "True"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "abandoned",
                "abandoned is True exactly when answered_at is blank", 1, str(i + 1))


def test_not_a_boolean(tmp_path, params_in, contacts):
    contacts.loc[0, "abandoned"] = "maybe"
    loaded = load_csv(tmp_path, params_in, "contacts", contacts)
    assert "not True/False" in set(loaded.defects["rule"])


def test_not_a_number(tmp_path, params_in, contacts):
    contacts.loc[7, "wrap_seconds"] = "twenty"
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "wrap_seconds", "not a number", 1, "8")


def test_blank_required_value(tmp_path, params_in, contacts):
    contacts.loc[6, "route"] = ""
    only_defect(load_csv(tmp_path, params_in, "contacts", contacts), "route", "blank", 1, "7")


def test_bad_month(tmp_path, params_in, default_params):
    frame = pd.read_parquet(default_params.input_path("audits")).tail(5).reset_index(drop=True)
    frame.loc[1, "month"] = "2019/12"
    loaded = load_csv(tmp_path, params_in, "audits", frame)
    assert ("month", "not a month YYYY-MM") in set(zip(loaded.defects["column"], loaded.defects["rule"]))


def test_rows_outside_window_are_counted_not_defects(tmp_path, params_in, contacts):
    contacts.loc[0, "presented_at"] = "2020-01-05T10:00:00+00:00"
    contacts.loc[0, "answered_at"] = "2020-01-05T10:00:03+00:00"
    loaded = load_csv(tmp_path, params_in, "contacts", contacts)
    assert loaded.defects.empty and loaded.rows_outside_window == 1 and len(loaded.frame) == 7


def test_fail_mode_message_lists_every_rule(tmp_path, params_in, contacts):
    contacts.loc[1, "route"] = "998"
    contacts.loc[[2, 3], "talk_seconds"] = "-1"
    with pytest.raises(DataError) as info:
        load_csv(tmp_path, params_in, "contacts", contacts, validation__on_row_error="fail")
    msg = str(info.value)
    assert "inputs.contacts: 3 row(s) break the contacts contract" in msg
    assert "contacts.csv: column 'route': not an allowed value" in msg and "1 row(s), e.g. row 2 (a number)" in msg
    assert "column 'talk_seconds': below the minimum 0: 2 row(s), e.g. row 3, 4 (a negative number)" in msg
    # The values themselves are in the private log the message names, never in the message or the book.
    assert "'998'" not in msg and "rejected-contacts.csv, which is never published" in msg


def test_rejected_rows_are_described_never_reproduced(tmp_path, params_in, default_params):
    """Issue: a 7-decimal latitude and a name typed into Age range appeared in the data page, its CSV and the
    fact table. The published defect table gives the column, rule, rows and a class of the problem; the values
    are kept in the edition's private log (lib.private), outside everything published."""
    from lib import private

    search = demo_rows(default_params, "stop_search", 6)
    search.loc[1, "Latitude"] = "154.5612345"
    search.loc[2, "Age range"] = "Jane Smith"
    loaded = load_csv(tmp_path, params_in, "stop_search", search)
    d = loaded.defects.set_index("column")
    assert d.loc["Latitude", "problem"] == "a coordinate given to 7 decimal places"
    assert d.loc["Age range", "problem"] == "text not in the allowed list"
    assert d.loc["Age range", "example_rows"] == "3"
    published = loaded.defects.to_csv()
    assert "Jane" not in published and "5612345" not in published
    log = private.folder(default_params.force.id, default_params.period) / "rejected-stop_search.csv"
    kept = pd.read_csv(log, dtype=str)
    assert set(kept["value"]) == {"154.5612345", "Jane Smith"} and set(kept["row"]) == {"2", "3"}
    # ... and the publication scan is told what those rows identify (their coordinates), rejected or not.
    assert "154.5612345" in set(loaded.withheld["Latitude"].dropna())


@pytest.mark.parametrize(("value", "kind", "identifies", "expected"), [
    ("", "string", "", "blank"),
    ("54.1234567", "float", "coordinate", "a coordinate given to 7 decimal places"),
    ("54.1", "float", "coordinate", "a coordinate given to 1 decimal place"),
    ("abc123", "string", "record", "a record id"),
    ("12,5", "float", "", "a number"),
    ("01/12/2019 10:00", "datetime", "", "a date or time written another way"),
    ("Jane Smith", "category", "", "text not in the allowed list"),
    ("lots", "float", "", "text in a number column"),
    ("yesterday", "datetime", "", "text in a date column"),
    ("maybe", "bool", "", "text in a True/False column"),
    ("Jane Smith", "string", "", "text"),
])
def test_problem_classes_name_the_kind_of_value_only(value, kind, identifies, expected):
    from lib.inputs.contracts import Column
    from lib.inputs.loading import problem_class

    assert problem_class(value, Column("x", kind, "", identifies=identifies)) == expected


def test_corrupt_parquet(tmp_path):
    bad = tmp_path / "contacts.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match="contacts.parquet: cannot be read as parquet"):
        read_table(bad)


def test_unsupported_extension(tmp_path):
    bad = tmp_path / "contacts.xlsx"
    bad.write_bytes(b"")
    with pytest.raises(DataError, match=r"unsupported file type '.xlsx'; allowed: .parquet, .csv"):
        read_table(bad)


def test_infinite_and_absurd_numbers_are_defects(tmp_path, params_in, contacts):
    contacts.loc[1, "talk_seconds"] = "inf"
    loaded = load_csv(tmp_path, params_in, "contacts", contacts)
    only_defect(loaded, "talk_seconds", "not a finite number", 1, "2")
    contacts.loc[1, "talk_seconds"] = "90000"  # over a day on one call
    loaded = load_csv(tmp_path, params_in, "contacts", contacts)
    only_defect(loaded, "talk_seconds", "above the maximum 86,400", 1, "2")


def test_source_with_no_rows_in_the_period_fails_check_naming_it(params_in, default_params, tmp_path):
    from lib.inputs.loading import load_all

    ppn = pd.read_parquet(default_params.input_path("ppn"))
    ppn["submitted_in_time"] = ppn["submitted_in_time"].astype(object)
    in_period = ppn["submitted_at"] >= pd.Timestamp("2019-12-01", tz="Europe/London")
    ppn.loc[in_period, "submitted_in_time"] = "maybe"  # every row of the period set aside
    path = tmp_path / "ppn.csv"
    ppn.astype(str).replace({"NaT": "", "<NA>": "", "None": "", "nan": ""}).to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        load_all(load_params(params_in(inputs__ppn=str(path))))
    msg = str(info.value)
    assert "inputs.ppn (ppn.csv) has no rows dated in the period 2019-12" in msg and "were set aside as defects" in msg
    # ...and, first, more than 5% of its rows set aside stops the run, with the defect table and examples
    share = 100 * in_period.sum() / len(ppn)
    assert f"inputs.ppn: {in_period.sum():,} of {len(ppn):,} rows ({share:.1f}%) break the ppn contract" in msg
    assert "(text in a True/False column)" in msg and "maybe" not in msg


def _keyed_rows(params, source: str, n: int = 3) -> pd.DataFrame:
    """The first n rows of a keyed demo source in the period (or of the file, for one not cut to it), as CSV text."""
    frame = pd.read_parquet(params.input_path(source))
    col = CONTRACTS[source].time_column
    if col is not None:
        frame = frame[frame[col] == params.period]
    return frame.head(n).astype(str).replace({"nan": "", "None": "", "<NA>": ""}).reset_index(drop=True)


def _other_value(contract, frame: pd.DataFrame, row: int) -> pd.DataFrame:
    """``frame`` with row ``row``'s first required column outside the key given another valid value."""
    column = next(c for c in contract.columns if c.name not in contract.key and c.name in frame and not c.nullable)
    changed = frame.copy()
    value = changed.at[row, column.name]
    changed.at[row, column.name] = {"float": lambda v: str(float(v) + 1), "date": lambda v: "2030-01-01"}.get(
        column.kind, lambda v: f"{v} (again)")(value)
    return changed


@pytest.mark.parametrize("source, key", [(name, c.key) for name, c in CONTRACTS.items() if c.key])
def test_a_key_saved_twice_with_different_values_is_refused(tmp_path, params_in, default_params, source, key):
    """Two rows for one month of one measure (an owner's two commentaries, two populations of one group, two due
    dates of one export) that disagree: one would be read at random. The contract's key refuses them, naming the
    file, the key's values, how many rows hold them and what is allowed."""
    frame = _keyed_rows(default_params, source)
    doubled = pd.concat([frame, _other_value(CONTRACTS[source], frame, 1).iloc[[1]]], ignore_index=True)
    named = ", ".join(f"{k} = {frame.iloc[1][k]!r}" for k in key)
    with pytest.raises(DataError) as refused:
        load_csv(tmp_path, params_in, source, doubled)
    assert str(refused.value) == (f"inputs.{source} ({source}.csv): 2 rows have {named} but different values; each "
                                  f"{' and '.join(key)} may have one row only (which is right is the force's to say): "
                                  "keep one")


@pytest.mark.parametrize("source, key", [(name, c.key) for name, c in CONTRACTS.items() if c.key])
def test_a_row_repeated_exactly_is_read_once_and_said(tmp_path, params_in, default_params, source, key):
    frame = _keyed_rows(default_params, source)
    loaded = load_csv(tmp_path, params_in, source, pd.concat([frame, frame.iloc[[1]]], ignore_index=True))
    assert len(loaded.frame) == 3 and not loaded.frame.duplicated(list(key)).any()
    assert f"{source}.csv: 1 row repeated exactly (the same {' and '.join(key)} and values) read once" in loaded.notes
    assert not any("repeated" in n for n in load_csv(tmp_path, params_in, source, frame).notes)


def test_the_refusal_counts_every_key_that_disagrees(tmp_path, params_in, default_params):
    frame = _keyed_rows(default_params, "measure_values", 4)
    changed = _other_value(CONTRACTS["measure_values"], _other_value(CONTRACTS["measure_values"],
                                                                     _other_value(CONTRACTS["measure_values"], frame, 0),
                                                                     1), 2)
    with pytest.raises(DataError, match=r": 2 rows have measure_id = '[a-z_]+', month = '2019-12' but different values "
                                        r"\(and so do 2 other keys\); each measure_id and month may have one row only"):
        load_csv(tmp_path, params_in, "measure_values", pd.concat([frame, changed.iloc[:3]], ignore_index=True))


def test_monthly_exports_that_repeat_earlier_months_are_read_once(tmp_path, params_in, default_params):
    """Each month's export carrying the months before (the same values) is read once, the files named; a month
    whose value changed between two exports is refused, naming both."""
    frame = _keyed_rows(default_params, "measure_values", 2)
    paths = [tmp_path / "values-a.csv", tmp_path / "values-b.csv"]
    frame.iloc[[0]].to_csv(paths[0], index=False)
    frame.to_csv(paths[1], index=False)
    params = load_params(params_in(inputs__measure_values={"path": [str(p) for p in paths]}))
    loaded = load_source(params, "measure_values")
    assert len(loaded.frame) == 2
    assert "values-b.csv: 1 row repeated exactly (the same measure_id and month and values) read once" in loaded.notes
    _other_value(CONTRACTS["measure_values"], frame, 0).to_csv(paths[1], index=False)
    with pytest.raises(DataError, match=r"inputs.measure_values \(values-a.csv, values-b.csv\): 2 rows have .* but "
                                        r"different values"):
        load_source(params, "measure_values")


def test_a_key_repeated_outside_the_reporting_window_is_not_read_and_not_refused(tmp_path, params_in, default_params):
    """The demo commentary runs past the period: a row saved twice for a later month is not one the edition reads."""
    frame = pd.read_parquet(default_params.input_path("commentary")).astype(str).replace({"nan": "", "None": ""})
    later = frame[frame["month"] > default_params.period].head(1)
    loaded = load_csv(tmp_path, params_in, "commentary", pd.concat([frame, later], ignore_index=True))
    assert loaded.rows_defective == 0 and not loaded.frame.duplicated(["measure_id", "month"]).any()


def test_key_columns_are_never_blank():
    """A blank key would compare unequal to itself in the refusal's count: every key column is required."""
    for contract in CONTRACTS.values():
        assert all(not contract.column(k).nullable for k in contract.key), contract.name
