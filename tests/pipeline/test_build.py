"""End-to-end: a period's book is built, versioned and published; a failed run publishes nothing."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from lib import ROOT
from lib.config.params import load_params
from lib.errors import BuildError
from lib.pipeline import build as build_mod
from lib.pipeline.provenance import grouped_digest, sha256

pytestmark = pytest.mark.build


def test_period_is_published_with_html_pdf_and_index(built):
    build_dir, folder, _ = built
    assert folder == build_dir / "demo" / "2019-11" / "v1"
    assert (folder / "html" / "index.html").is_file()
    assert (build_dir / "demo" / "2019-11" / "latest" / "html" / "index.html").is_file()
    pdf = folder / "forcebook-2019-11.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    index = (build_dir / "index.html").read_text()
    assert 'href="demo/2019-11/v1/html/index.html"' in index and "first version" in index
    assert not list((build_dir / ".staging").glob("*"))


def test_provenance_page_names_inputs_params_and_code(built):
    _, folder, _ = built
    params = load_params(ROOT / "params" / "2019-11.yml")
    page = (folder / "html" / "book" / "provenance.html").read_text()
    digest = sha256(params.input_path("contacts"))
    # shown in groups of 16 so a printed table can wrap it; whole in provenance.json
    assert grouped_digest(digest) in page and len(grouped_digest(digest).split()) == 4
    assert "params/2019-11.yml" in page and "period_end" in page
    info = json.loads((folder / "provenance.json").read_text())
    assert info["period"] == "2019-11" and re.fullmatch(r"[0-9a-f]{40}|unknown", info["git_commit"])
    assert digest in {f["sha256"] for f in info["inputs"]["contacts"]["files"]}
    assert set(info["seconds"]) >= {"checks", "facts", "notebooks", "book", "publish", "total"}
    # The facts are published with the book, and their fingerprints are on the page.
    manifest = json.loads((folder / "facts" / "manifest.json").read_text())
    assert manifest == info["facts"] and len(manifest) > 40
    for name in ("measure_period", "fcr_requirement", "programme_items"):
        assert manifest[name]["parquet_sha256"] == sha256(folder / "facts" / f"{name}.parquet")
        assert grouped_digest(manifest[name]["parquet_sha256"]) in page


def test_data_chapter_has_real_tables_and_glued_numbers(built):
    _, folder, _ = built
    page = (folder / "html" / "notebooks" / "data.html").read_text()
    assert "<table" in page and "<th" in page
    assert "reference download internal" in page and list((folder / "html" / "_downloads").rglob("*.csv"))
    params = load_params(ROOT / "params" / "2019-11.yml")
    assert "November 2019" in (folder / "html" / "book" / "intro.html").read_text()
    assert f"{params.period_end:%-d %B %Y}" in page  # glued from the notebook, not typed


def test_no_machine_paths_or_notebook_copies_published(built):
    _, folder, _ = built
    assert not (folder / "html" / "_sources").exists()
    for page in (folder / "html").rglob("*"):
        if page.is_file() and page.suffix in {".html", ".js", ".csv", ".json", ".ipynb", ".txt"}:
            text = page.read_text(encoding="utf-8", errors="replace")
            assert str(ROOT) not in text and "/tmp/" not in text, page.name


def test_failed_rebuild_leaves_previous_build_untouched(built, monkeypatch):
    build_dir, folder, _ = built
    before = _published(build_dir)

    from lib.pipeline import execute, reuse

    def boom(name, src, parameters, source_root, reuse_kernel=False, record=None):
        raise BuildError(f"{name}.ipynb failed in cell 3 of the executed notebook: ZeroDivisionError")

    monkeypatch.setattr(execute, "execute_notebook", boom)
    monkeypatch.setattr(reuse, "reuse_notebook", lambda *args, **kwargs: False)  # every chapter runs again
    monkeypatch.setattr(build_mod, "BUILD_DIR", build_dir)
    with pytest.raises(BuildError, match="ZeroDivisionError"):
        build_mod.build(ROOT / "params" / "2019-11.yml", say=lambda m: None)
    assert _published(build_dir) == before
    assert not list((build_dir / ".staging").glob("*"))
    from lib import private

    kept = private.folder("demo", "2019-11") / "failed"
    assert kept.is_dir() and not (build_dir / ".failed").exists()  # evidence stays outside what is published


def test_failing_notebook_is_named_with_cell_and_error(tmp_path, default_params):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('period = "x"\nparams_path = "y"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "broken.ipynb")
    out = tmp_path / "stage"
    (out / "notebooks").mkdir(parents=True)
    from lib.pipeline import execute

    with pytest.raises(BuildError) as info:
        execute.execute_notebook("notebooks/broken", out, {"period": "2019-12", "params_path": "x"}, tmp_path)
    msg = str(info.value)
    assert "notebooks/broken.ipynb failed in cell 3" in msg and "ZeroDivisionError" in msg


def _nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval", str(path), "-p", "no:cacheprovider", "-q",
                           "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg")],
                          capture_output=True, text=True, cwd=path.parent)


def test_nbval_fails_when_a_stored_number_changes(tmp_path):
    original = ROOT / "notebooks" / "data.ipynb"
    copy = tmp_path / "data.ipynb"
    shutil.copy2(original, copy)
    assert _nbval(copy).returncode == 0
    nb = nbformat.read(copy, as_version=4)
    changed = False
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            if not changed and re.search(r"\d{3,}", text):
                output["data"]["text/plain"] = re.sub(r"(\d{3,})", lambda m: str(int(m.group(1)) + 1), text, count=1)
                changed = True
    assert changed
    nbformat.write(nb, copy)
    result = _nbval(copy)
    assert result.returncode != 0, result.stdout[-2000:]


# --- No personal data in what is published ---------------------------------------------------------

def test_published_book_passes_the_publication_scan(built):
    """The build scanned it before publishing; scanning the published copy again finds nothing either."""
    from lib.inputs.loading import load_all
    from lib.pipeline.scan import scan
    _, folder, _ = built
    params = load_params(ROOT / "params" / "2019-11.yml")
    assert scan(folder, params, load_all(params)) == []


def test_people_tables_are_suppressed(built):
    _, folder, _ = built
    page = (folder / "html" / "notebooks" / "stop_search.html").read_text()
    assert "[c]" in page  # the stop-search demographics table hides small counts


# --- Failure drills: earlier builds survive, nothing half-written is published ------------------------

def _cli(args, build_dir, **kw):
    import os
    env = {**os.environ, "FORCEBOOK_BUILD_DIR": str(build_dir)}
    return subprocess.run([sys.executable, "-m", "lib", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, **kw)


def _published(build_dir):
    """Every published file and link (versions live in <period>/.store; internal folders may change)."""
    import os
    out = {}
    for top, dirs, files in os.walk(build_dir):
        rel = os.path.relpath(top, build_dir)
        if rel.split(os.sep)[0] in {".staging", ".locks"}:
            continue
        for name in dirs + files:
            if rel == "." and name in {".staging", ".locks"}:
                continue
            path = os.path.join(top, name)
            key = os.path.relpath(path, build_dir)
            out[key] = os.readlink(path) if os.path.islink(path) else (os.stat(path).st_mtime_ns, os.stat(path).st_size)
    return out


def test_drill_malformed_yaml(built, tmp_path):
    build_dir = built[0]
    before = _published(build_dir)
    bad = tmp_path / "2019-11.yml"
    bad.write_text("extends: defaults.yml\nperiod: [2019-11\n")
    result = _cli(["build", "--params", str(bad)], build_dir)
    assert result.returncode == 2 and "not valid YAML at line" in result.stderr and "Traceback" not in result.stderr
    assert _published(build_dir) == before


def test_drill_corrupt_parquet(built, params_in, tmp_path):
    build_dir = built[0]
    before = _published(build_dir)
    corrupt = tmp_path / "incidents.parquet"
    corrupt.write_bytes(b"PAR1" + bytes(range(256)) * 4)
    params = params_in(name="2019-11.yml", period="2019-11", period_start="2019-11-01", period_end="2019-11-30",
                       inputs__incidents=str(corrupt))
    result = _cli(["build", "--params", str(params)], build_dir)
    assert result.returncode == 3, result.stderr
    assert "incidents.parquet: cannot be read as parquet" in result.stderr and "Traceback" not in result.stderr
    assert _published(build_dir) == before


def _processes_with(tag: str) -> list[int]:
    """Processes whose environment carries ``tag`` (every process a drilled build started)."""
    import os
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as handle:
                    if tag.encode() in handle.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _reissue(params_in) -> str:
    """2019-11's params with another title: a new version of the session's build, so the build runs in full (the
    same inputs, params and code with --no-pdf would leave the version with its PDF as it is)."""
    return str(params_in(name="2019-11.yml", period="2019-11", period_start="2019-11-01", period_end="2019-11-30",
                         title="Performance and Progress Report (re-issued)",
                         inputs__tracker=str(ROOT / "data" / "demo" / "tracker" / "2019-11.parquet"),
                         inputs__tracker_previous=str(ROOT / "data" / "demo" / "tracker" / "2019-10.parquet")))


def test_drill_build_killed_midway_stops_its_workers_and_next_run_recovers(built, params_in):
    import os
    import signal
    import time
    import uuid
    build_dir = built[0]
    before = _published(build_dir)
    tag = f"FORCEBOOK_DRILL={uuid.uuid4().hex}"
    env = {**os.environ, "FORCEBOOK_BUILD_DIR": str(build_dir), tag.split("=")[0]: tag.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-m", "lib", "build", "--params", _reissue(params_in), "--no-pdf"],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    for line in proc.stderr:
        if "executing" in line and "notebooks" in line:
            break
    time.sleep(3)  # workers and kernels are running
    assert len(_processes_with(tag)) >= 3
    os.kill(proc.pid, signal.SIGKILL)  # the build's own process only: its workers must follow it
    proc.wait()
    deadline = time.monotonic() + 30
    while _processes_with(tag) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = _processes_with(tag)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} process(es) of the killed build still running"
    assert _published(build_dir) == before  # nothing published, nothing half-written
    assert list((build_dir / ".staging").glob("demo-2019-11-*"))  # the dead run's scratch is left behind...
    result = _cli(["build", "--params", "params/2019-10.yml", "--no-pdf"], build_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not list((build_dir / ".staging").glob("*"))  # ...and the next run clears it
    index = (build_dir / "index.html").read_text()
    assert index.index("2019-11") < index.index("2019-10")
    after = _published(build_dir)
    assert all(after[path] == stamp for path, stamp in before.items() if path.startswith("demo/2019-11"))


def test_drill_second_build_of_a_period_is_refused_while_one_runs(built):
    from lib.pipeline.publish import edition_lock
    build_dir = built[0]
    before = _published(build_dir)
    with edition_lock("demo", "2019-11", build_dir):
        result = _cli(["build", "--params", "params/2019-11.yml", "--no-pdf"], build_dir)
    assert result.returncode == 4 and "a build of demo 2019-11 is already running (process" in result.stderr
    assert "Traceback" not in result.stderr and _published(build_dir) == before


def _named(tag: str) -> dict[int, str]:
    """The drilled build's processes and their program names."""
    out = {}
    for pid in _processes_with(tag):
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8") as handle:
                out[pid] = handle.read().strip()
        except OSError:
            continue
    return out


def _printing(tag: str) -> list[int]:
    """The drilled build's PDF printer (lib.pipeline.printed, in a process of its own)."""
    out = []
    for pid in _processes_with(tag):
        try:
            if b"print_book" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.append(pid)
        except OSError:
            continue
    return out


def test_drill_build_killed_while_printing_stops_the_pdf_printer_at_once(built):
    """Issue: killing a build during the PDF stage left its PDF toolchain running for up to 15 s."""
    import os
    import signal
    import time
    import uuid

    build_dir = built[0]
    before = _published(build_dir)
    tag = f"FORCEBOOK_DRILL={uuid.uuid4().hex}"
    env = {**os.environ, "FORCEBOOK_BUILD_DIR": str(build_dir), tag.split("=")[0]: tag.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-m", "lib", "build", "--params", "params/2019-10.yml"],
                            cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not _printing(tag):
        time.sleep(0.2)
    assert _printing(tag), "the PDF printer never started"
    os.kill(proc.pid, signal.SIGKILL)  # the build's own process only
    proc.wait()
    killed = time.monotonic()
    while _processes_with(tag) and time.monotonic() - killed < 3:
        time.sleep(0.1)
    left = _named(tag)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running 3 s after the kill: {sorted(set(left.values()))}"
    assert _published(build_dir) == before


def test_a_rebuild_without_the_pdf_keeps_the_versions_pdf(built):
    """Issue: rebuilding with --no-pdf and the same inputs replaced the version and deleted its PDF."""
    build_dir, folder, _ = built
    before = _published(build_dir)
    result = _cli(["build", "--params", "params/2019-11.yml", "--no-pdf"], build_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "version 1 was built from the same inputs, params and code, with its PDF: it is left as it is" in result.stderr
    assert _published(build_dir) == before  # the version, its PDF and the landing page as they were
    assert 'href="demo/2019-11/v1/forcebook-2019-11.pdf"' in (build_dir / "index.html").read_text()


def test_drill_a_full_disk_while_building_exits_5_with_one_true_message(built, monkeypatch, capsys, params_in):
    """Issue: a full disk exited 4, saying both that its log was kept and that it could not be."""
    import errno

    from lib.pipeline import cli, execute, reuse

    build_dir = built[0]
    before = _published(build_dir)

    def full(name, src, parameters, source_root, reuse_kernel=False, record=None):
        raise BuildError(f"{name}.ipynb failed in cell 4 of the executed notebook: OSError: [Errno 28] No space left "
                         "on device")

    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(execute, "execute_notebook", full)
    monkeypatch.setattr(reuse, "reuse_notebook", lambda *args, **kwargs: False)  # every chapter runs again
    monkeypatch.setattr(build_mod, "BUILD_DIR", build_dir)
    monkeypatch.setattr(build_mod.shutil, "copy2", no_room)
    code = cli.main(["build", "--params", _reissue(params_in), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 5, err
    assert err.count("No space left on device") >= 1 and "kept:" not in err and "Logs and executed" not in err
    assert _published(build_dir) == before


def test_published_facts_hold_only_what_the_pages_show(built):
    """Every door is a page: in every published fact table (Parquet and CSV), a value shown as [c] is blank in
    its raw column too, and rows that broke their contract are described, never reproduced."""
    _, folder, _ = built
    facts = folder / "facts"
    for parquet in facts.glob("*.parquet"):
        frame = pd.read_parquet(parquet)
        for shown in [c for c in frame.columns if c.endswith("_shown")]:
            raw = shown.removesuffix("_shown")
            if raw in frame:
                hidden = frame[shown] == "[c]"
                assert frame.loc[hidden, raw].isna().all(), (parquet.name, raw)
        csv = pd.read_csv(parquet.with_suffix(".csv"), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert list(csv.columns) == list(frame.columns)
    defects = pd.read_parquet(facts / "data_defects.parquet")
    assert "example_values" not in defects.columns and "problem" in defects.columns
