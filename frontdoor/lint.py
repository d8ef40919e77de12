"""Project lints for conversation designers, run by ``make validate``.

Rasa's own validator checks the data is consistent; these check the product's
rules: the taxonomy is covered, intents have enough distinct examples, no
example is claimed by two intents, every response can be spoken, and the
open questions the rules are conditioned on are the ones the code sets.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Set

import yaml

from frontdoor.dialogue.open_question import OpenQuestion
from frontdoor.paths import ROOT
from frontdoor.taxonomy import Taxonomy, load_taxonomy

MIN_EXAMPLES = {"self_service": 30, "verified": 30, "handoff": 30, "dialogue": 10}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def plain_text(example: str) -> str:
    """An annotated training example as the customer typed it."""
    return _ANNOTATION.sub(r"\1", example).strip()


def _examples(block: str) -> List[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


def read_nlu_examples(files: Iterable[Path]) -> Dict[str, List[tuple[str, str]]]:
    """intent -> [(plain text, file)] for every ``- intent:`` block."""
    found: Dict[str, List[tuple[str, str]]] = defaultdict(list)
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if isinstance(item, dict) and "intent" in item:
                for example in _examples(str(item.get("examples") or "")):
                    found[item["intent"]].append((plain_text(example), str(path)))
    return found


def check_nlu(taxonomy: Taxonomy, domain: dict, nlu_files: List[Path]) -> List[Problem]:
    problems: List[Problem] = []
    examples = read_nlu_examples(nlu_files)
    domain_intents: Set[str] = {
        i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []
    }
    for reason in taxonomy.reasons.values():
        if reason.name not in domain_intents:
            problems.append(Problem("domain.yml", f"taxonomy intent {reason.name!r} missing"))
        distinct = {text.lower() for text, _ in examples.get(reason.name, [])}
        needed = MIN_EXAMPLES[reason.kind]
        if len(distinct) < needed:
            problems.append(
                Problem("data/nlu", f"{reason.name}: {len(distinct)} distinct examples, need {needed}")
            )
    owners: Dict[str, Set[str]] = defaultdict(set)
    for intent, items in examples.items():
        for text, _ in items:
            owners[text.lower()].add(intent)
    for text, intents in sorted(owners.items()):
        if len(intents) > 1:
            problems.append(Problem("data/nlu", f"{text!r} is an example of {sorted(intents)}"))
    return problems


def check_responses(domain: dict) -> List[Problem]:
    problems = []
    for name, variants in (domain.get("responses") or {}).items():
        channels = {(v or {}).get("channel") for v in variants or []}
        if "voice" not in channels:
            problems.append(Problem("domain.yml", f"{name} has no `channel: voice` variant"))
        if None not in channels:
            problems.append(Problem("domain.yml", f"{name} has no default (chat) variant"))
        for variant in variants or []:
            if (variant or {}).get("channel") == "voice" and (variant or {}).get("buttons"):
                problems.append(Problem("domain.yml", f"{name}: a voice variant cannot have buttons"))
    return problems


def check_open_questions(domain: dict) -> List[Problem]:
    """The ``pending_question`` slot's values are the ``OpenQuestion`` enum, the one vocabulary of open questions."""
    slot = (domain.get("slots") or {}).get("pending_question") or {}
    declared = set(slot.get("values") or [])
    expected = {q.value for q in OpenQuestion}
    problems = [Problem("domain.yml", f"pending_question lacks the value {v!r} of OpenQuestion")
                for v in sorted(expected - declared)]
    problems += [Problem("domain.yml", f"pending_question value {v!r} is not an OpenQuestion")
                 for v in sorted(declared - expected)]
    return problems


def check_titles(taxonomy: Taxonomy, titles_file: Path) -> List[Problem]:
    titles = (yaml.safe_load(titles_file.read_text(encoding="utf-8")) or {}).get("titles") or {}
    return [
        Problem(str(titles_file), f"no title for reason {name!r}")
        for name in taxonomy.reasons
        if not titles.get(name)
    ]


def run(root: Path = ROOT) -> List[Problem]:
    taxonomy = load_taxonomy()
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    nlu_files = sorted((root / "data" / "nlu").rglob("*.yml"))
    return (
        check_nlu(taxonomy, domain, nlu_files)
        + check_responses(domain)
        + check_open_questions(domain)
        + check_titles(taxonomy, root / "config" / "reasons.yml")
    )


def main() -> None:
    problems = run()
    for problem in problems:
        print(f"lint: {problem}")
    if problems:
        sys.exit(f"{len(problems)} problem(s) found")
    print("lint: taxonomy, examples, responses and titles OK")


if __name__ == "__main__":
    main()
