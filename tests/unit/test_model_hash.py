"""The model's name: what changes it, and that it equals the shell formula the Makefile used before."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from frontdoor.model_hash import model_hash, model_path
from frontdoor.paths import ROOT

FORMER_MAKEFILE = (
    "cat config.yml domain.yml $(find data frontdoor/nlu -type f \\( -name '*.yml' -o -name '*.py' \\) | LC_ALL=C sort)"
    " $(grep -o 'frontdoor\\.rasa\\.[a-z_]*' config.yml | LC_ALL=C sort -u | sed 's|\\.|/|g; s|$|.py|')"
    " | sha256sum | cut -c1-12"
)
FILES = {
    "config.yml": "pipeline:\n  - name: frontdoor.rasa.used.Used\n  - name: frontdoor.rasa.also_used.X\n",
    "domain.yml": "intents: [greet]\n",
    "data/nlu/a.yml": "nlu: []\n", "data/rules/b.yml": "rules: []\n",
    "frontdoor/nlu/encoder.py": "A = 1\n", "frontdoor/nlu/__init__.py": "",
    "frontdoor/rasa/used.py": "U = 1\n", "frontdoor/rasa/also_used.py": "V = 1\n",
    "frontdoor/rasa/unused.py": "W = 1\n", "README.md": "hi\n", "data/notes.txt": "not yml\n",
}


def tree(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_what_shapes_the_model_changes_its_name_and_nothing_else_does(tmp_path: Path) -> None:
    root = tree(tmp_path)
    before = model_hash(root)
    for name in FILES:
        (root / name).write_text(FILES[name] + "# changed\n")
        shapes = name not in ("frontdoor/rasa/unused.py", "README.md", "data/notes.txt")
        assert (model_hash(root) != before) is shapes, name
        (root / name).write_text(FILES[name])
    assert model_hash(root) == before
    assert model_path(root) == root / "models" / f"frontdoor-{before}.tar.gz"


@pytest.mark.parametrize("which", ["a small tree", "this project"])
def test_the_hash_equals_the_former_makefile_formula(tmp_path: Path, which: str) -> None:
    root = tree(tmp_path) if which == "a small tree" else ROOT
    shell = subprocess.run(["bash", "-c", FORMER_MAKEFILE], cwd=root, capture_output=True, text=True, check=True)
    assert model_hash(root) == shell.stdout.strip()
