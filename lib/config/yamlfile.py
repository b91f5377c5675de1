"""Reading a YAML file of ours (params, the measure catalogue) safely: size, UTF-8, no aliases, dates as text."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lib.config.paths import display_path
from lib.errors import ParamsError


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, for the validator to parse, and refuses aliases.

    Params need no aliases (``*name``), and a few nested ones can expand to gigabytes (the
    "billion laughs"), so any alias is an error at the point it appears.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"an alias (*{event.anchor}) is not allowed here; "
                                              "write the value out", event.start_mark)
        return super().compose_node(parent, index)


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


MAX_PARAMS_BYTES = 1_000_000


def read_yaml(path: Path, what: str = "params file") -> dict[str, Any]:
    """Read a YAML file of ours (params, the measure catalogue): at most ``MAX_PARAMS_BYTES``, UTF-8, aliases
    refused (a few nested ones expand to gigabytes), dates left as text, a mapping at the top.

    Raises
    ------
    ParamsError
        Naming the file and the problem (``what`` says what the file is).
    """
    if not path.is_file():
        raise ParamsError(f"{display_path(path)}: {what} not found")
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise ParamsError(f"{display_path(path)}: {path.stat().st_size:,} bytes; a {what} is at most "
                          f"{MAX_PARAMS_BYTES:,} bytes")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ParamsError(f"{display_path(path)}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); "
                          "save the file as UTF-8") from None
    except OSError as exc:
        raise ParamsError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ParamsError(f"{display_path(path)}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ParamsError(f"{display_path(path)}: nested too deeply to be a {what}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError(f"{display_path(path)}: must be a mapping of keys to values, got {type(data).__name__}")
    return data
