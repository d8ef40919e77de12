"""YAML parsing that remembers the line of every key, for error messages a designer can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from frontdoor.knowledge.errors import KnowledgeError

KeyPath = Tuple[Any, ...]


def _record(node: yaml.Node, path: KeyPath, first_line: int, lines: Dict[KeyPath, int]) -> None:
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            _record(value, (*path, name), first_line, lines)
            lines[(*path, name)] = key.start_mark.line + first_line  # the key's line, not its value's
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), first_line, lines)


class Located:
    """Parsed YAML plus ``line(*keys)`` (1-based, in the original file)."""

    def __init__(self, data: Any, lines: Dict[KeyPath, int], path: Path, first_line: int) -> None:
        self.data = data
        self.path = path
        self._lines = lines
        self._first_line = first_line

    def line(self, *keys: Any) -> int:
        """Line of the deepest known key on ``keys``, so a missing key points at its parent."""
        for end in range(len(keys), -1, -1):
            if keys[:end] in self._lines:
                return self._lines[keys[:end]]
        return self._first_line

    def error(self, message: str, *keys: Any) -> KnowledgeError:
        return KnowledgeError(self.path, self.line(*keys), message)


def load_located(text: str, path: Path, first_line: int = 1) -> Located:
    """Parse ``text`` (which starts at ``first_line`` of ``path``); syntax errors keep their line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise KnowledgeError(path, line, f"invalid YAML: {problem}") from error
    lines: Dict[KeyPath, int] = {}
    if node is not None:
        _record(node, (), first_line, lines)
    return Located(data, lines, path, first_line)
