"""Publishing: a finished build replaces a period atomically; the index lists periods newest first."""
from __future__ import annotations

import json
import os

from lib.publish import built_periods, clean_stale, swap_in, write_index


def fake_period(build_dir, period, pdf=True):
    folder = build_dir / period
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_text("<html></html>")
    info = {"period": period, "pdf": f"forcebook-{period}.pdf" if pdf else None,
            "build_finished": "2026-01-01T00:00:00+00:00", "git_commit": "abc123"}
    (folder / "provenance.json").write_text(json.dumps(info))
    return folder


def test_index_lists_periods_newest_first(tmp_path):
    for period in ("2019-10", "2019-12", "2019-11"):
        fake_period(tmp_path, period, pdf=period != "2019-11")
    (tmp_path / "2019-09").mkdir()  # no provenance.json: not a finished build, not listed
    page = write_index(tmp_path).read_text()
    assert [p["folder"] for p in built_periods(tmp_path)] == ["2019-12", "2019-11", "2019-10"]
    assert page.index("2019-12") < page.index("2019-11") < page.index("2019-10")
    assert 'href="2019-12/html/index.html"' in page and 'href="2019-12/forcebook-2019-12.pdf"' in page
    assert "PDF not built" in page and "2019-09" not in page
    assert '<th scope="col">Period</th>' in page


def test_swap_replaces_and_keeps_nothing_old(tmp_path):
    target = fake_period(tmp_path, "2019-12")
    new = tmp_path / "new"
    new.mkdir()
    (new / "marker").write_text("new")
    swap_in(new, target)
    assert (target / "marker").read_text() == "new"
    assert not new.exists() and not list(tmp_path.glob(".old-*"))


def test_clean_stale_removes_only_dead_runs(tmp_path):
    staging = tmp_path / ".staging"
    dead = staging / "2019-12-999999999"
    mine = staging / f"2019-11-{os.getpid()}"
    dead.mkdir(parents=True)
    mine.mkdir()
    clean_stale(tmp_path)
    assert not dead.exists() and mine.exists()
