"""Publishing: versions beside each other, a stable link to the latest, atomic at every step, one build at a time."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from lib.errors import BuildError
from lib.pipeline import publish as pub


def finished(tmp_path, name: str, fingerprint: str, built: str = "2019-12-31T00:00:00+00:00") -> os.PathLike:
    """A finished build folder, as the build leaves it in its staging folder."""
    folder = tmp_path / ".staging" / name
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_text(f"<p>{name}</p>")
    info = {"fingerprint": {"total": fingerprint}, "build_finished": built, "git_commit": "abc", "changes": name}
    (folder / "provenance.json").write_text(json.dumps(info))
    return folder


def page(version) -> str:
    return (version / "html" / "index.html").read_text()


def test_new_fingerprint_new_version_same_fingerprint_same_version(tmp_path):
    period = tmp_path / "2019-12"
    assert pub.version_for(period, "a") == 1
    pub.publish(finished(tmp_path, "one", "a"), "2019-12", 1, tmp_path)
    assert pub.version_for(period, "a") == 1 and pub.version_for(period, "b") == 2
    pub.publish(finished(tmp_path, "two", "b"), "2019-12", 2, tmp_path)
    assert page(period / "v1") == "<p>one</p>" and page(period / "v2") == "<p>two</p>"
    assert page(period / "latest") == "<p>two</p>"
    pub.publish(finished(tmp_path, "one again", "a"), "2019-12", pub.version_for(period, "a"), tmp_path)
    assert page(period / "v1") == "<p>one again</p>" and page(period / "latest") == "<p>one again</p>"
    assert len(list((period / pub.STORE).iterdir())) == 2  # the replaced copy of v1 is gone


def test_index_lists_every_period_and_version_newest_first(tmp_path):
    pub.publish(finished(tmp_path, "a", "a"), "2019-11", 1, tmp_path)
    pub.publish(finished(tmp_path, "b", "b"), "2019-12", 1, tmp_path)
    pub.publish(finished(tmp_path, "c", "c"), "2019-12", 2, tmp_path)
    (tmp_path / "2019-10").mkdir()  # no version: not a finished build, not listed
    index = (tmp_path / "index.html").read_text()
    assert index.index("2019-12/v2/") < index.index("2019-12/v1/") < index.index("2019-11/v1/")
    assert "version 2 (latest)" in index and "2019-10" not in index


class Killed(BaseException):
    """Stands for kill -9 at one instant of publishing."""


@pytest.mark.parametrize("instant", range(12))
def test_kill_at_any_instant_of_publishing_loses_nothing(tmp_path, monkeypatch, instant):
    pub.publish(finished(tmp_path, "v1", "a"), "2019-12", 1, tmp_path)
    calls = {"n": 0}

    def dying(real):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == instant + 1:
                raise Killed()
            return real(*args, **kwargs)
        return call

    for name in ("rename", "replace", "symlink"):
        monkeypatch.setattr(os, name, dying(getattr(os, name)))
    monkeypatch.setattr(shutil, "rmtree", dying(shutil.rmtree))
    try:
        pub.publish(finished(tmp_path, "v2", "b"), "2019-12", 2, tmp_path)
        completed = True
    except Killed:
        completed = False
    monkeypatch.undo()
    period = tmp_path / "2019-12"
    # Whatever the instant: v1 is readable and linked, and `latest` leads to a complete version.
    assert page(period / "v1") == "<p>v1</p>"
    assert "2019-12/v1/" in (tmp_path / "index.html").read_text()
    assert page(period / "latest") in {"<p>v1</p>", "<p>v2</p>"}
    # The next run recovers and publishes.
    pub.recover(tmp_path)
    pub.publish(finished(tmp_path, "v3", "c"), "2019-12", pub.version_for(period, "c"), tmp_path)
    assert page(period / "latest") == "<p>v3</p>" and page(period / "v1") == "<p>v1</p>"
    linked = {p.resolve() for p in period.glob("v*")}
    pub.recover(tmp_path)
    assert {p.resolve() for p in (period / pub.STORE).iterdir()} == linked  # no orphans left
    if instant == 11:
        assert completed  # the drill reached past the last step


def test_recover_repoints_a_stale_latest(tmp_path):
    pub.publish(finished(tmp_path, "v1", "a", built="2019-12-01"), "2019-12", 1, tmp_path)
    period = tmp_path / "2019-12"
    (period / "latest").unlink()
    os.symlink("v9", period / "latest")  # broken, as a run killed mid-way could leave it
    pub.recover(tmp_path)
    assert page(period / "latest") == "<p>v1</p>"


def test_recover_removes_only_dead_runs_scratch(tmp_path):
    dead = tmp_path / ".staging" / "2019-12-999999999"
    live = tmp_path / ".staging" / f"2019-11-{os.getppid()}"
    dead.mkdir(parents=True)
    live.mkdir(parents=True)
    pub.recover(tmp_path)
    assert not dead.exists() and live.exists()


def test_a_second_build_of_a_period_is_refused_while_one_runs(tmp_path):
    with pub.period_lock("2019-12", tmp_path):
        with pytest.raises(BuildError, match=r"a build of 2019-12 is already running \(process \d+"):
            with pub.period_lock("2019-12", tmp_path):
                pass
        with pub.period_lock("2019-11", tmp_path):  # another period may build meanwhile
            pass
    with pub.period_lock("2019-12", tmp_path):  # released when the first build ends
        pass


def test_a_first_edition_build_becomes_version_1(tmp_path):
    period = tmp_path / "2019-12"
    (period / "html").mkdir(parents=True)
    (period / "html" / "index.html").write_text("<p>first edition</p>")
    (period / "provenance.json").write_text(json.dumps({"build_finished": "2020-01-05"}))
    pub.recover(tmp_path)
    assert page(period / "v1") == "<p>first edition</p>" and page(period / "latest") == "<p>first edition</p>"
    assert sorted(p.name for p in period.iterdir()) == [pub.STORE, "latest", "v1"]
