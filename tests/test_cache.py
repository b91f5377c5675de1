"""The cache cannot change a number: an edited, cut or corrupt entry is discarded and rebuilt from its source."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib import cache
from lib.config.params import load_params
from lib.errors import BuildError
from lib.inputs.contracts import CONTRACTS
from lib.inputs.loading import validated
from lib.pipeline import facts as facts_stage


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FORCEBOOK_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def audits_csv(tmp_path, default_params):
    """A small audits file: every record passed."""
    frame = pd.read_parquet(default_params.input_path("audits")).head(40).assign(passed=True)
    path = tmp_path / "audits.csv"
    frame.to_csv(path, index=False)
    return path


def _entry(own_cache):
    (entry,) = [p for p in (own_cache / "inputs").iterdir() if not p.name.startswith(".")]
    return entry


def test_an_edited_cached_input_is_discarded_and_rebuilt(own_cache, audits_csv, capsys):
    """Issue: edited cached rows (every audit failed) were used as they were while provenance showed the
    genuine input's SHA-256. The entry's seal no longer matches its files: it is rebuilt from the file."""
    first = validated(audits_csv, CONTRACTS["audits"])
    assert first.valid["passed"].all()
    entry = _entry(own_cache)
    tampered = pd.read_parquet(entry / "valid.parquet").assign(passed=False)
    pq.write_table(pa.Table.from_pandas(tampered, preserve_index=False), entry / "valid.parquet")
    again = validated(audits_csv, CONTRACTS["audits"])
    assert again.valid["passed"].all()  # the file's numbers, not the cache's
    assert again.sha256 == cache.file_sha256(audits_csv)
    err = capsys.readouterr().err
    assert err.count("\n") >= 1 and "does not match what was written; discarded and rebuilt from its source" in err


@pytest.mark.parametrize("damage", ["garbage", "missing seal", "missing file", "extra file", "other source"])
def test_a_corrupt_cache_entry_is_rebuilt_with_a_notice_not_a_traceback(own_cache, audits_csv, capsys, damage):
    validated(audits_csv, CONTRACTS["audits"])
    entry = _entry(own_cache)
    if damage == "garbage":
        (entry / "valid.parquet").write_bytes(b"PAR1 not parquet")
    elif damage == "missing seal":
        (entry / cache.SEAL).unlink()
    elif damage == "missing file":
        (entry / "defects.parquet").unlink()
    elif damage == "extra file":
        (entry / "valid2.parquet").write_bytes(b"x")
    else:
        seal = (entry / cache.SEAL).read_text().replace(cache.file_sha256(audits_csv), "0" * 64)
        (entry / cache.SEAL).write_text(seal)
    again = validated(audits_csv, CONTRACTS["audits"])
    assert len(again.valid) == 40
    assert "notice: cache entry" in capsys.readouterr().err
    assert validated(audits_csv, CONTRACTS["audits"]).rows_read == 40  # and the rebuilt entry is good


def test_facts_read_refuses_tables_changed_after_writing(tmp_path):
    folder = tmp_path / "facts"
    facts_stage.write(facts_stage.Facts({"measure_period": pd.DataFrame({"value": [98.5]})}), folder)
    assert facts_stage.read(folder)["measure_period"]["value"].tolist() == [98.5]
    pq.write_table(pa.table({"value": [0.0]}), folder / "measure_period.parquet")
    with pytest.raises(BuildError, match="measure_period.parquet: missing, or not the table its manifest records"):
        facts_stage.read(folder)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/tmp/x", "a/b", "Measure"])
def test_a_facts_manifest_names_only_tables_beside_it(tmp_path, name):
    """Issue: `lib diff` read any `.parquet` on the machine that a manifest named."""
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({name: {"parquet_sha256": "x"}}))
    with pytest.raises(BuildError, match="not a fact table's name"):
        facts_stage.read(folder)


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"a": 3}'])
def test_a_malformed_manifest_is_one_message(tmp_path, text):
    folder = tmp_path / "facts"
    folder.mkdir()
    (folder / "manifest.json").write_text(text)
    with pytest.raises(BuildError):
        facts_stage.read(folder)


def test_the_facts_cache_of_a_notebook_run_is_rebuilt_when_tampered(own_cache, capsys):
    from lib.pipeline.notebooks import cached_facts

    params = load_params("params/2019-12.yml")
    first = cached_facts(params)
    (entry,) = [p for p in (own_cache / "facts").iterdir() if not p.name.startswith(".")]
    mp = first["measure_period"].copy()
    mp["value"] = 0.0
    pq.write_table(pa.Table.from_pandas(mp, preserve_index=False), entry / "measure_period.parquet")
    again = cached_facts(params)
    pd.testing.assert_frame_equal(again["measure_period"], first["measure_period"])
    assert "discarded and rebuilt" in capsys.readouterr().err
