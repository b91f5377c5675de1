"""The demo data tells the seed update's story, satisfies its contracts, and is byte-for-byte reproducible.

Calibration targets are from ../shared/DOMAIN.md and the seed update (Cleveland Police, "Towards 2025
- The Road to Improvement", January 2020); each is computed here straight from the files with pandas,
not through lib, and checked within the stated tolerance.
"""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from lib.demo import world as demo
from lib.inputs.loading import load_source


@pytest.fixture(scope="module")
def files(default_params):
    return {name: pd.read_parquet(default_params.input_path(name))
            for name in ("contacts", "stop_search", "crimes", "ppn")}


def month(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m")


def test_annual_call_volumes(files):
    c = files["contacts"]
    fy = c[(c.presented_at >= pd.Timestamp("2018-04-01", tz="Europe/London"))
           & (c.presented_at < pd.Timestamp("2019-04-01", tz="Europe/London"))]
    counts = fy["route"].value_counts()
    assert counts["999"] == pytest.approx(100_000, rel=0.05)   # DOMAIN: 90-116k a year
    assert counts["101"] == pytest.approx(220_000, rel=0.05)   # DOMAIN: 210-225k a year


def test_999_answered_within_10_seconds(files):
    c = files["contacts"]
    c = c[c.route == "999"]
    wait = (c.answered_at - c.presented_at).dt.total_seconds()
    share = ((wait <= 10) & ~c.abandoned).mean()
    assert 0.85 <= share <= 0.90  # DOMAIN: 999 answered within 10 s around 85-90%


def test_abandonment_rises_with_waiting(files):
    c = files["contacts"]
    c = c[c.route == "101"].assign(hour=lambda d: d.presented_at.dt.tz_convert("UTC").dt.floor("h"))
    by_hour = c.groupby("hour").agg(calls=("route", "size"), abandoned=("abandoned", "mean"))
    busy = by_hour.calls >= by_hour.calls.quantile(0.9)
    quiet = by_hour.calls <= by_hour.calls.quantile(0.5)
    assert by_hour.abandoned[busy].mean() > by_hour.abandoned[quiet].mean()


def test_ppn_compliance_story(files):
    p = files["ppn"].assign(m=lambda d: month(d.submitted_at))
    rate = p.groupby("m").submitted_in_time.mean()
    assert rate["2019-03"] == pytest.approx(0.50, abs=0.07)  # update: 50% in March 2019
    assert rate["2019-12"] >= 0.96                            # update: 99%
    children = p[p.children_present].groupby("m").all_children_added.mean()
    assert children["2019-03"] == pytest.approx(0.50, abs=0.10)
    assert children["2019-12"] == pytest.approx(0.82, abs=0.08)


def test_domestic_abuse_arrest_rate(files):
    c = files["crimes"]
    rate = c[c.domestic_abuse].groupby("Month").arrest_made.mean()
    assert rate["2019-03"] == pytest.approx(0.223, abs=0.05)  # update: 22.3%
    assert rate["2019-12"] == pytest.approx(0.393, abs=0.06)  # update: 39.3%


def test_stop_search_story(files):
    s = files["stop_search"].assign(m=lambda d: month(d.Date))
    nov = s[s.m == "2019-11"]
    assert len(nov) == pytest.approx(244, abs=30)                      # update: 244 in November 2019
    assert nov.grounds_recorded.mean() >= 0.95                          # update: 98% in the month
    year = s[(s.m >= "2018-12") & (s.m <= "2019-11")]
    assert year.grounds_recorded.mean() == pytest.approx(0.95, abs=0.02)  # update: 95% over 12 months


def test_programme_items_match_the_update(default_params):
    t = pd.read_parquet(default_params.input_path("tracker"))
    counts = t["type"].value_counts()
    assert counts["cause of concern"] == 6
    recs = t[t.type == "recommendation"]
    assert recs.parent_id.str.startswith("COC-").sum() == 30
    assert recs.parent_id.str.startswith("CDI-").sum() == 3
    assert counts["crime data integrity"] == 1
    assert t.item_id.str.startswith("AFI-N").sum() == 7 and t.item_id.str.startswith("AFI-O").sum() == 10
    assert counts["national recommendation"] == 9 and counts["NCPI recommendation"] == 7
    assert t.workstream.nunique() == 6


@pytest.mark.parametrize("source", ["contacts", "incidents", "stop_search", "crimes", "ppn", "audits",
                                    "measure_values", "tracker", "tracker_previous"])
def test_demo_files_satisfy_their_contracts(default_params, source):
    loaded = load_source(default_params, source)
    assert loaded.defects.empty, loaded.defects.to_string()


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    demo.generate(tmp_path / "a", progress=lambda m: None)
    demo.generate(tmp_path / "b", progress=lambda m: None)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(a) == 22 + 8 * len(demo.PEER_MONTHS) and a == b  # 22 files and the peers archive


def test_other_seed_other_data(tmp_path):
    rng_a = demo.np.random.default_rng(1)
    rng_b = demo.np.random.default_rng(2)
    assert not demo.audits(rng_a).equals(demo.audits(rng_b))
