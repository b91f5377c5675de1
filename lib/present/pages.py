"""Pages the build writes itself (input contracts, provenance), as notebooks with outputs from data.

The page's prose is ours (Markdown cells); every value that comes from the params or the inputs —
a file name, a title, the parameters as used — is an output (a :class:`~lib.present.tables.Table`,
a :class:`~lib.present.texts.Text` or a literal block), so it is shown as text, never parsed.
"""
from __future__ import annotations

from pathlib import Path

import nbformat


def _outputs(obj) -> list:
    if isinstance(obj, Literal):
        return [nbformat.v4.new_output("stream", name="stdout", text=obj.text)]
    bundle = obj._repr_mimebundle_()
    return [nbformat.v4.new_output("display_data", data=bundle, metadata={})]


class Literal:
    """A block of text shown exactly as it is, in a monospaced box (e.g. YAML)."""

    def __init__(self, text: str):
        self.text = text if text.endswith("\n") else text + "\n"


def write_page(path: Path, blocks: list) -> Path:
    """Write a page as a notebook: ``str`` blocks are our Markdown, anything else an output."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    for block in blocks:
        if isinstance(block, str):
            nb.cells.append(nbformat.v4.new_markdown_cell(block))
        else:
            # (myst-nb drops a code cell with no source, outputs and all; the source is hidden in the book)
            cell = nbformat.v4.new_code_cell("# written by the build", outputs=_outputs(block))
            nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
