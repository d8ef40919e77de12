"""The name of the model the current tree trains: one hash of everything that shapes it.

The Makefile (``make train``, and every target passing ``--model``) and the e2e
tests both read it from here, so a revert selects the model trained from the
reverted tree, never merely the newest file. Standard library only: the
Makefile may call it with the system Python before ``.venv`` exists.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path
from typing import List

from frontdoor.paths import ROOT

CONFIG = "config.yml"
DOMAIN = "domain.yml"
SCANNED = ("data", "frontdoor/nlu")
"""Folders whose ``.yml`` and ``.py`` files all shape the model (training data, encoder code)."""
COMPONENT = re.compile(r"frontdoor\.rasa\.[a-z_]*")
"""Custom graph components named in config.yml: their modules shape the model too."""


def model_inputs(root: Path = ROOT) -> List[Path]:
    """The files hashed, in hashing order: config, domain, scanned files by path, then component modules."""
    scanned = sorted(
        str(path.relative_to(root))
        for folder in SCANNED
        for path in (root / folder).rglob("*")
        if path.is_file() and path.suffix in (".yml", ".py")
    )
    components = sorted(set(COMPONENT.findall((root / CONFIG).read_text(encoding="utf-8"))))
    modules = [name.replace(".", "/") + ".py" for name in components]
    return [root / name for name in (CONFIG, DOMAIN, *scanned, *modules)]


def model_hash(root: Path = ROOT) -> str:
    """sha256 of the inputs' bytes concatenated, first 12 hex digits."""
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path(root: Path = ROOT) -> Path:
    """Where ``make train`` puts the model of this tree."""
    return root / "models" / f"frontdoor-{model_hash(root)}.tar.gz"


def main() -> None:
    argparse.ArgumentParser(description="Print the hash naming the model of the current tree.").parse_args()
    print(model_hash())


if __name__ == "__main__":
    main()
