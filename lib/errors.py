"""The one exception hierarchy of forcebook.

Every message names the file, the key or column, the value and what is allowed, so the command
line can print it as it is (no traceback) and an analyst can act on it.
"""


class ReportError(Exception):
    """Base class: a problem the person running the report can fix."""


class ParamsError(ReportError):
    """A params file is missing, malformed or holds a value that is not allowed."""


class DataError(ReportError):
    """An input file is missing, unreadable or breaks its contract."""


class ModelError(ReportError):
    """A model was asked for something it cannot compute (invalid argument, no solution)."""


class BuildError(ReportError):
    """Executing a notebook or building the book failed."""
