"""Chapter notebooks only present facts: no logic, no loading, no stored images, nothing left behind."""
from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from lib import ROOT
from lib.pipeline.book import chapter_notebooks

NOTEBOOKS = [ROOT / f"{name}.ipynb" for name in chapter_notebooks()]
FORBIDDEN = {ast.FunctionDef: "a function definition", ast.AsyncFunctionDef: "a function definition",
             ast.ClassDef: "a class", ast.For: "a loop", ast.While: "a loop", ast.ListComp: "a comprehension",
             ast.SetComp: "a comprehension", ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension",
             ast.Import: "an import", ast.ImportFrom: "an import", ast.Lambda: "a lambda", ast.If: "an if",
             ast.IfExp: "a conditional"}
# Notebooks read the facts the build computed: they never load or validate the inputs themselves.
FORBIDDEN_NAMES = {"load_all", "load_source", "read_table", "read_parquet", "read_csv", "compute"}


def logic_in(source: str) -> list[str]:
    """What a code cell holds that belongs in lib/ (empty for a cell that only calls lib and shows results)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for kind, what in FORBIDDEN.items():
            if isinstance(node, kind):
                found.append(what)
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES or \
                isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"a call to {getattr(node, 'id', None) or node.attr}")
    return found


def test_the_checker_finds_logic():
    assert logic_in("for x in y:\n    pass") == ["a loop"]
    assert "a comprehension" in logic_in("[m.id for m in catalogue]")
    assert "an import" in logic_in("import pandas")
    assert "a call to load_all" in logic_in("loaded = load_all(params)")
    assert logic_in('present.table(view.gaps(facts), caption="x")') == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_logic_after_the_first_code_cell(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert "parameters" not in cells[0].metadata.get("tags", []), "imports come first, then the parameters cell"
    problems = [f"cell {i + 1}: {what}" for i, cell in enumerate(cells[1:], 1) for what in logic_in(cell.source)]
    assert not problems, f"{path.name} holds logic that belongs in lib/: {problems}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_no_images_or_run_metadata(path):
    text = path.read_text(encoding="utf-8")
    assert '"image/png"' not in text and '"image/jpeg"' not in text
    assert '"papermill"' not in text and str(ROOT) not in text


def test_running_a_notebook_by_hand_leaves_nothing_behind(tmp_path):
    """The README's papermill example writes only the output notebook it is given."""
    before = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                            capture_output=True, text=True).stdout
    result = subprocess.run([sys.executable, "-m", "papermill", "notebooks/data.ipynb", str(tmp_path / "data.ipynb"),
                             "-p", "period", "2019-12", "-p", "params_path", "params/2019-12.yml"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    after = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                           capture_output=True, text=True).stdout
    assert after == before
