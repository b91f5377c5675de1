"""The build benchmark's scaled inputs are a params file check accepts (issue: its scaled params lost the peers
archive's path, and check refused them)."""
from __future__ import annotations

import importlib.util

import pandas as pd

from lib import ROOT
from lib.config.params import load_params


def _bench():
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "bench_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaled_params_load_with_every_input_and_the_peers_archive(tmp_path):
    original = load_params(ROOT / "params" / "2019-12.yml")
    scaled = load_params(_bench().scaled_params(ROOT / "params" / "2019-12.yml", 2, tmp_path))
    assert scaled.peers_archive() == original.peers_archive()
    assert scaled.supplied() == original.supplied()
    assert [p for p in scaled.input_paths("crimes")] == original.input_paths("crimes")
    rows = pd.read_parquet(scaled.input_path("contacts"), columns=["contact_id"])["contact_id"]
    assert len(rows) == 2 * len(pd.read_parquet(original.input_path("contacts"), columns=["contact_id"]))
    assert rows.is_unique  # copies get their own ids
    assert scaled.fcr.rota.team_size == 2 * original.fcr.rota.team_size  # twice the calls: teams of two a line
