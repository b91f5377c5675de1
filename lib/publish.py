"""Publishing built periods: swap a finished build into place and list every period.

A period is built in a staging folder and moved to ``_build/<period>/`` only when the whole
build succeeded, by two renames on one file system, so a failed or killed run never leaves a
half-written period and never touches the previous build. ``_build/index.html`` lists every
built period, newest first.
"""
from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

from . import ROOT

# FORCEBOOK_BUILD_DIR moves the published folder (the failure drills build into a temporary one).
BUILD_DIR = Path(os.environ.get("FORCEBOOK_BUILD_DIR", ROOT / "_build"))
STAGING = ".staging"


def swap_in(finished: Path, target: Path) -> None:
    """Replace ``target`` with ``finished`` (both on one file system); the old copy is removed after."""
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(old)
    finished.rename(target)
    if old.exists():
        shutil.rmtree(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(build_dir: Path = BUILD_DIR) -> None:
    """Remove staging and old folders left by runs that were killed (their process is gone)."""
    for path in list(build_dir.glob(".old-*")) + list((build_dir / STAGING).glob("*")):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def built_periods(build_dir: Path = BUILD_DIR) -> list[dict]:
    """Every complete period build (one with a provenance.json), newest period first."""
    out = []
    for prov in build_dir.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/provenance.json"):
        info = json.loads(prov.read_text(encoding="utf-8"))
        info["folder"] = prov.parent.name
        out.append(info)
    return sorted(out, key=lambda i: i["folder"], reverse=True)


def write_index(build_dir: Path = BUILD_DIR) -> Path:
    """Write ``_build/index.html`` (atomically) listing the built periods."""
    rows = []
    for info in built_periods(build_dir):
        period = html.escape(info["folder"])
        pdf = info.get("pdf")
        pdf_link = f'<a href="{period}/{html.escape(pdf)}">PDF</a>' if pdf else "PDF not built"
        rows.append(
            f'<tr><th scope="row">{period}</th><td><a href="{period}/html/index.html">HTML book</a></td>'
            f"<td>{pdf_link}</td><td>{html.escape(info.get('build_finished', ''))}</td>"
            f"<td><code>{html.escape(info.get('git_commit', '')[:12])}</code></td></tr>"
        )
    body = "\n".join(rows) or '<tr><td colspan="5">No period has been built yet.</td></tr>'
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>forcebook: built periods</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:52rem;margin:2rem auto;color:#111}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ccc}}
a{{color:#0050a0}}</style></head>
<body><main><h1>Performance and progress reports</h1>
<p>Every built reporting period, newest first.</p>
<table><thead><tr><th scope="col">Period</th><th scope="col">Book</th><th scope="col">PDF</th>
<th scope="col">Built</th><th scope="col">Commit</th></tr></thead>
<tbody>
{body}
</tbody></table></main></body></html>
"""
    build_dir.mkdir(parents=True, exist_ok=True)
    tmp = build_dir / f".index-{os.getpid()}.html"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, build_dir / "index.html")
    return build_dir / "index.html"
