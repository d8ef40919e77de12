"""The tenant's contact-reason taxonomy: intents, handoff categories, analytics keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from frontdoor.paths import project_path

KINDS = ("self_service", "verified", "handoff", "dialogue")


@dataclass(frozen=True)
class Reason:
    name: str
    kind: str
    description: str
    title: str


class TaxonomyError(ValueError):
    """The taxonomy or titles file is malformed; the message names the file."""


@dataclass(frozen=True)
class Taxonomy:
    reasons: Dict[str, Reason]

    def get(self, name: Optional[str]) -> Optional[Reason]:
        return self.reasons.get(name or "")

    def names(self, kind: Optional[str] = None) -> List[str]:
        return [r.name for r in self.reasons.values() if kind in (None, r.kind)]

    def is_topic(self, name: Optional[str]) -> bool:
        """True for reasons worth offering as a topic (not conversational glue)."""
        reason = self.get(name)
        return reason is not None and reason.kind != "dialogue"


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TaxonomyError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping at the top level")
    return data


def parse_taxonomy(reasons_file: Path, titles_file: Path) -> Taxonomy:
    raw = _read_yaml(reasons_file).get("reasons")
    titles = _read_yaml(titles_file).get("titles") or {}
    if not isinstance(raw, dict) or not raw:
        raise TaxonomyError(f"{reasons_file}: no `reasons:` mapping")
    reasons = {}
    for name, spec in raw.items():
        kind = (spec or {}).get("kind")
        if kind not in KINDS:
            raise TaxonomyError(f"{reasons_file}: reason {name!r} has kind {kind!r}")
        reasons[name] = Reason(
            name=name,
            kind=kind,
            description=str(spec.get("description", "")),
            title=str(titles.get(name) or name.replace("_", " ").capitalize()),
        )
    return Taxonomy(reasons)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    return parse_taxonomy(
        project_path("FRONTDOOR_TAXONOMY", "demo/contact-reasons.yml"),
        project_path("FRONTDOOR_REASON_TITLES", "config/reasons.yml"),
    )
