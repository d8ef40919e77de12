"""Article validation: the shipped articles pass, and each kind of mistake names the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frontdoor.knowledge.__main__ import main
from frontdoor.knowledge.articles import load_articles, voice_problems
from frontdoor.knowledge.errors import KnowledgeErrors
from frontdoor.knowledge.tables import default_directory, default_tables
from frontdoor.paths import ROOT
from frontdoor.taxonomy import load_taxonomy

GOOD = """---
id: fees
title: Transfer fees
reason: fees
tags: [fee, cost]
countries: [Kenya]
section: 2
voice: "Sending up to 500 costs 1.99 pounds. Above 2,000 it is 0.25 percent."
---
Your fee depends on the amount.
"""


def _load(directory: Path) -> None:
    load_articles(directory, load_taxonomy(), default_tables())


def _write(tmp_path: Path, text: str, name: str = "fees.md") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def test_every_shipped_article_is_valid() -> None:
    articles = load_articles(ROOT / "knowledge", load_taxonomy(), default_tables())
    assert len(articles) >= 60
    assert all(a.id == a.path.stem for a in articles)
    assert "README" not in {a.path.stem for a in articles}


def test_a_good_article_loads(tmp_path: Path) -> None:
    _load(_write(tmp_path, GOOD))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("reason: fees", "reason: feez", "fees.md:4: reason 'feez' is not a contact reason"),
        ("reason: fees", "reason: greet", "fees.md:4: reason 'greet' is a dialogue reason"),
        ("id: fees", "id: fee-table", "fees.md:2: id 'fee-table' must equal the file name 'fees'"),
        ("tags: [fee, cost]", "tags: fee", "fees.md:5: tags must be a non-empty list"),
        ("countries: [Kenya]", "countries: [Kenya, Brasil]", "fees.md:6: country 'Brasil' is not spelled"),
        ("section: 2", "section: 99", "fees.md:7: section 99 is not a section of the handbook"),
        ("title: Transfer fees\n", "title: Transfer fees\ntag: [x]\n", "fees.md:4: unknown key 'tag'"),
        ("title: Transfer fees\n", "", "fees.md:1: missing required key 'title'"),
        ("1.99 pounds", "1.99 GBP", "fees.md:8: voice uses the currency code GBP"),
        ("0.25 percent", "0.25%", "fees.md:8: voice contains the symbol '%'"),
        ("0.25 percent.", "0.25 percent. See **this**. Or www.zurisend.com.", "fees.md:8: voice has 4 sentences"),
        ("0.25 percent.", "0.25 percent at https://x.com", "fees.md:8: voice contains a URL"),
        ("Your fee depends on the amount.\n", "", "fees.md:10: the chat answer"),
        ("tags: [fee, cost]", "tags: [fee, cost", "fees.md:6: invalid YAML"),
        ("---\nid", "id", "fees.md:1: missing front matter"),
    ],
)
def test_mistakes_name_file_line_and_problem(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    with pytest.raises(KnowledgeErrors) as raised:
        _load(_write(tmp_path, GOOD.replace(old, new, 1)))
    assert expected in str(raised.value)


def test_all_problems_of_all_files_are_listed(tmp_path: Path) -> None:
    _write(tmp_path, GOOD.replace("reason: fees", "reason: feez"))
    _write(tmp_path, GOOD.replace("id: fees", "id: other").replace("section: 2", "section: 0"), "other.md")
    with pytest.raises(KnowledgeErrors) as raised:
        _load(tmp_path)
    messages = [str(e) for e in raised.value.errors]
    assert len(messages) == 2
    assert any("fees.md:4" in m for m in messages) and any("other.md:7" in m for m in messages)


def test_voice_rules() -> None:
    assert voice_problems("Chat agents answer 24 hours a day. Phone agents from 8 to 10.", ["GBP"]) == []
    assert voice_problems("It costs 0.25 percent. It's 2,000 or 500.01.", ["GBP"]) == []
    assert voice_problems("Go to Profile > Limits.", []) != []


def _knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    target.mkdir()
    shutil.copytree(default_directory(), target / "tables")
    _write(target, GOOD)
    return target


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    knowledge = _knowledge_copy(tmp_path)
    (knowledge / "fees.md").write_text(GOOD.replace("reason: fees", "reason: feez"))
    assert main(["check", "--knowledge", str(knowledge)]) == 1
    assert "fees.md:4: reason 'feez' is not a contact reason" in capsys.readouterr().err


def test_check_reports_broken_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = _knowledge_copy(tmp_path)
    limits = knowledge / "tables" / "limits.yml"
    limits.write_text(limits.read_text().replace("per_transfer: 5000", "per_transfer: 500"))
    assert main(["check", "--knowledge", str(knowledge)]) == 1
    assert "limits.yml" in capsys.readouterr().err
