"""One error type for every knowledge-base problem, pointing at a file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from frontdoor.paths import ROOT


def display_path(path: Path) -> str:
    """Paths relative to the project root read like the ones a designer edits."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class KnowledgeError(ValueError):
    """A malformed article or table: ``knowledge/fees.md:4: reason 'feez' is not a contact reason``."""

    def __init__(self, path: Path, line: Optional[int], message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = display_path(path) if line is None else f"{display_path(path)}:{line}"
        super().__init__(f"{where}: {message}")


class KnowledgeErrors(ValueError):
    """Several problems at once, so one ``check`` run lists everything to fix."""

    def __init__(self, errors: Iterable[KnowledgeError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
