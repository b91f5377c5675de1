"""Publishing: editions by force and period, versions beside each other, a stable link to the latest, atomic at
every step, one build of an edition at a time and many editions side by side."""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil

import pytest

from lib.errors import BuildError
from lib.pipeline import publish as pub

FORCE = "demo"


def finished(tmp_path, name: str, fingerprint: str, built: str = "2019-12-31T00:00:00+00:00",
             force_name: str = "Demo Police") -> os.PathLike:
    """A finished build folder, as the build leaves it in its staging folder."""
    folder = tmp_path / ".staging" / f"{name}-{fingerprint}-{os.getpid()}"  # as a build names it: ends in its pid
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_text(f"<p>{name}</p>")
    info = {"fingerprint": {"total": fingerprint}, "build_finished": built, "git_commit": "abc", "changes": name,
            "force_name": force_name}
    (folder / "provenance.json").write_text(json.dumps(info))
    return folder


def page(version) -> str:
    return (version / "html" / "index.html").read_text()


def index(build_dir) -> str:
    return (build_dir / "index.html").read_text()


def latest_in_index(build_dir, force: str, period: str) -> str | None:
    """The version the landing page marks latest for an edition ('v2'), or None."""
    rows = re.findall(rf'<td>version (\d+) \(latest\)</td><td><a href="{force}/{period}/v\d+/', index(build_dir))
    return f"v{rows[0]}" if len(rows) == 1 else None


def agree(build_dir, force: str, period: str) -> None:
    """`latest` and the landing page name the same version, and it is complete."""
    edition = build_dir / force / period
    listed = latest_in_index(build_dir, force, period)
    linked = {os.path.realpath(edition / v): v for v in os.listdir(edition) if re.fullmatch(r"v\d+", v)}
    assert listed is not None and (edition / listed / "provenance.json").is_file()
    assert linked.get(os.path.realpath(edition / "latest")) == listed


def test_new_fingerprint_new_version_same_fingerprint_same_version(tmp_path):
    edition = tmp_path / FORCE / "2019-12"
    assert pub.version_for(edition, "a") == 1
    pub.publish(finished(tmp_path, "one", "a"), FORCE, "2019-12", 1, tmp_path)
    assert pub.version_for(edition, "a") == 1 and pub.version_for(edition, "b") == 2
    pub.publish(finished(tmp_path, "two", "b"), FORCE, "2019-12", 2, tmp_path)
    assert page(edition / "v1") == "<p>one</p>" and page(edition / "v2") == "<p>two</p>"
    assert page(edition / "latest") == "<p>two</p>"
    pub.publish(finished(tmp_path, "one again", "a"), FORCE, "2019-12", pub.version_for(edition, "a"), tmp_path)
    assert page(edition / "v1") == "<p>one again</p>" and page(edition / "latest") == "<p>one again</p>"
    assert len(list((edition / pub.STORE).iterdir())) == 2  # the replaced copy of v1 is gone
    agree(tmp_path, FORCE, "2019-12")


def test_index_lists_editions_by_force_each_newest_first(tmp_path):
    pub.publish(finished(tmp_path, "a", "a"), FORCE, "2019-11", 1, tmp_path)
    pub.publish(finished(tmp_path, "b", "b"), FORCE, "2019-12", 1, tmp_path)
    pub.publish(finished(tmp_path, "c", "c"), FORCE, "2019-12", 2, tmp_path)
    (tmp_path / FORCE / "2019-10").mkdir()  # no version: not a finished build, not listed
    text = index(tmp_path)
    assert text.index("demo/2019-12/v2/") < text.index("demo/2019-12/v1/") < text.index("demo/2019-11/v1/")
    assert "version 2 (latest)" in text and "2019-10" not in text and "Demo Police" in text


def test_two_forces_never_share_a_history(tmp_path):
    """Issue: a second force's book for the same month was published as version 2 of the first force's book."""
    pub.publish(finished(tmp_path, "ours", "a", force_name="Cleveland Police"), "cleveland", "2019-12", 1, tmp_path)
    theirs = tmp_path / "durham" / "2019-12"
    assert pub.version_for(theirs, "b") == 1
    pub.publish(finished(tmp_path, "theirs", "b", force_name="Durham Constabulary"), "durham", "2019-12", 1, tmp_path)
    assert page(tmp_path / "cleveland" / "2019-12" / "latest") == "<p>ours</p>"
    assert page(theirs / "latest") == "<p>theirs</p>" and sorted(os.listdir(theirs)) == [pub.STORE, "latest", "v1"]
    text = index(tmp_path)
    assert "Cleveland Police" in text and "Durham Constabulary" in text
    assert text.count("version 1 (latest)") == 2


class Killed(BaseException):
    """Stands for kill -9 at one instant of publishing."""


@pytest.mark.parametrize("instant", range(24))
def test_kill_at_any_instant_of_publishing_loses_nothing_and_latest_agrees_with_the_index(tmp_path, monkeypatch,
                                                                                          instant):
    pub.publish(finished(tmp_path, "v1", "a"), FORCE, "2019-12", 1, tmp_path)
    pub.publish(finished(tmp_path, "other", "z"), "other", "2019-12", 1, tmp_path)
    calls = {"n": 0}

    def dying(real):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == instant + 1:
                raise Killed()
            return real(*args, **kwargs)
        return call

    for name in ("rename", "replace", "symlink", "mkdir", "unlink"):
        monkeypatch.setattr(os, name, dying(getattr(os, name)))
    monkeypatch.setattr(shutil, "rmtree", dying(shutil.rmtree))
    try:
        pub.publish(finished(tmp_path, "v2", "b"), FORCE, "2019-12", 2, tmp_path)
        completed = True
    except Killed:
        completed = False
    monkeypatch.undo()
    edition = tmp_path / FORCE / "2019-12"
    # Whatever the instant: v1 is readable and listed, and `latest` and the landing page name one complete version.
    assert page(edition / "v1") == "<p>v1</p>" and "demo/2019-12/v1/" in index(tmp_path)
    agree(tmp_path, FORCE, "2019-12")
    agree(tmp_path, "other", "2019-12")
    # The next run recovers and publishes.
    pub.recover(tmp_path)
    agree(tmp_path, FORCE, "2019-12")
    pub.publish(finished(tmp_path, "v3", "c"), FORCE, "2019-12", pub.version_for(edition, "c"), tmp_path)
    assert page(edition / "latest") == "<p>v3</p>" and page(edition / "v1") == "<p>v1</p>"
    linked = {p.resolve() for p in edition.glob("v*")}
    pub.recover(tmp_path)
    assert {p.resolve() for p in (edition / pub.STORE).iterdir()} == linked  # no orphans left
    agree(tmp_path, FORCE, "2019-12")
    if instant == 23:
        assert completed  # the drill reached past the last step


def test_recover_repoints_a_stale_latest(tmp_path):
    pub.publish(finished(tmp_path, "v1", "a", built="2019-12-01"), FORCE, "2019-12", 1, tmp_path)
    shutil.rmtree(tmp_path / pub.SITE)  # as if the landing page's generation were lost
    pub.recover(tmp_path)
    assert page(tmp_path / FORCE / "2019-12" / "latest") == "<p>v1</p>"
    agree(tmp_path, FORCE, "2019-12")


def test_recover_removes_only_dead_runs_scratch_and_links(tmp_path):
    dead = tmp_path / ".staging" / "demo-2019-12-999999999"
    live = tmp_path / ".staging" / f"demo-2019-11-{os.getppid()}"
    dead.mkdir(parents=True)
    live.mkdir(parents=True)
    edition = tmp_path / FORCE / "2019-12"
    edition.mkdir(parents=True)
    os.symlink("x", edition / f".latest.{os.getppid()}.tmp")  # another build, publishing now
    os.symlink("x", edition / ".latest.999999999.tmp")
    pub.recover(tmp_path)
    assert not dead.exists() and live.exists()
    assert (edition / f".latest.{os.getppid()}.tmp").is_symlink() and not (edition / ".latest.999999999.tmp").is_symlink()


def test_a_second_build_of_an_edition_is_refused_while_one_runs(tmp_path):
    with pub.edition_lock(FORCE, "2019-12", tmp_path):
        with pytest.raises(BuildError, match=r"a build of demo 2019-12 is already running \(process \d+"):
            with pub.edition_lock(FORCE, "2019-12", tmp_path):
                pass
        with pub.edition_lock(FORCE, "2019-11", tmp_path):  # another period may build meanwhile
            pass
        with pub.edition_lock("durham", "2019-12", tmp_path):  # and another force's
            pass
    with pub.edition_lock(FORCE, "2019-12", tmp_path):  # released when the first build ends
        pass


def test_a_first_edition_build_becomes_version_1(tmp_path):
    edition = tmp_path / FORCE / "2019-12"
    (edition / "html").mkdir(parents=True)
    (edition / "html" / "index.html").write_text("<p>first edition</p>")
    (edition / "provenance.json").write_text(json.dumps({"build_finished": "2020-01-05"}))
    pub.recover(tmp_path)
    assert page(edition / "v1") == "<p>first edition</p>" and page(edition / "latest") == "<p>first edition</p>"
    assert sorted(p.name for p in edition.iterdir()) == [pub.STORE, "latest", "v1"]


def test_books_of_the_earlier_layout_are_kept_and_listed(tmp_path):
    """Books built before editions were kept by force (_build/<period>/v1 -> .store/...) move, whole."""
    old = tmp_path / "2019-11"
    (old / pub.STORE / "e1" / "html").mkdir(parents=True)
    (old / pub.STORE / "e1" / "html" / "index.html").write_text("<p>old</p>")
    (old / pub.STORE / "e1" / "provenance.json").write_text(json.dumps({"build_finished": "2019-12-05"}))
    os.symlink(f"{pub.STORE}/e1", old / "v1")
    os.symlink("v1", old / "latest")
    (tmp_path / "index.html").write_text("old landing page")
    pub.recover(tmp_path)
    moved = tmp_path / pub.EARLIER / "2019-11"
    assert page(moved / "v1") == "<p>old</p>" and page(moved / "latest") == "<p>old</p>"
    assert "earlier-layout/2019-11/v1/" in index(tmp_path) and not old.exists()


def _publisher(args) -> str:
    """One build's publishing, in its own process: ``rounds`` versions of one edition."""
    build_dir, force, period, rounds = args
    from pathlib import Path

    build_dir = Path(build_dir)
    try:
        for k in range(rounds):
            with pub.edition_lock(force, period, build_dir):
                pub.recover(build_dir)
                folder = finished(build_dir, f"{force}-{period}-{k}", f"{force}{period}{k}")
                pub.publish(folder, force, period, pub.version_for(build_dir / force / period, f"{force}{period}{k}"),
                            build_dir)
        return ""
    except Exception as exc:  # the drill reports every failure
        return f"{force} {period}: {type(exc).__name__}: {exc}"


def test_drill_many_editions_publish_side_by_side(tmp_path):
    """Issue: another period's build starting while one published deleted its temporary link (6 of 300 publishes
    failed). Eight builds of different editions publish at once, each recovering first as a build does."""
    jobs = [(str(tmp_path), force, period, 6) for force in ("demo", "durham") for period in
            ("2019-09", "2019-10", "2019-11", "2019-12")]
    # spawn, not fork: forking a test process that already runs threads (DuckDB, Jupyter clients) can deadlock
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as workers:
        failures = [f for f in workers.map(_publisher, jobs) if f]
    assert not failures, failures
    for _, force, period, rounds in jobs:
        edition = tmp_path / force / period
        assert sorted(pub.versions(edition)) == list(range(1, rounds + 1))
        assert page(edition / "latest") == f"<p>{force}-{period}-{rounds - 1}</p>"
        agree(tmp_path, force, period)
    assert not list((tmp_path / pub.SITE).glob("g*"))[1:]  # one generation of the landing page left
