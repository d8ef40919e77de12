"""The embedding cache: built once, read without re-embedding, rebuilt when content changes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import List, Sequence

import numpy as np
import pytest

from frontdoor.knowledge import KnowledgeBase
from frontdoor.knowledge import index as index_module
from frontdoor.knowledge.__main__ import main
from frontdoor.knowledge.articles import load_articles
from frontdoor.knowledge.index import article_chunks, cache_file, content_hash, load_index, plain
from frontdoor.knowledge.tables import default_tables
from frontdoor.paths import ROOT
from frontdoor.taxonomy import load_taxonomy


class SpyEncoder:
    """A cheap deterministic stand-in for MiniLM that records every text it embeds."""

    def __init__(self) -> None:
        self.calls: List[List[str]] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            vector = np.random.default_rng(seed).normal(size=384)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)


@pytest.fixture()
def knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


def _articles(knowledge: Path) -> list:
    return load_articles(knowledge, load_taxonomy(), default_tables())


def test_load_never_re_embeds_unchanged_content(knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    builder = SpyEncoder()
    built = load_index(_articles(knowledge), knowledge, cache, builder)
    assert len(builder.calls) == 1 and len(builder.calls[0]) == len(built.chunks)
    assert cache_file(cache, content_hash(knowledge)).is_file()

    loader = SpyEncoder()
    loaded = load_index(_articles(knowledge), knowledge, cache, loader)
    assert loader.calls == []
    assert np.array_equal(loaded.vectors, built.vectors)

    # Loading the whole knowledge base embeds nothing either; a question is embedded alone.
    kb = KnowledgeBase.load(knowledge, cache, encode=loader)
    assert loader.calls == []
    kb.answer("how much is the fee")
    assert loader.calls == [["how much is the fee"]]


def test_changing_an_article_changes_the_hash_and_rebuilds(knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_index(_articles(knowledge), knowledge, cache, SpyEncoder())
    before = content_hash(knowledge)
    article = knowledge / "promo-codes.md"
    article.write_text(article.read_text().replace("tags: [", "tags: [promo voucher, ", 1))
    after = content_hash(knowledge)
    assert after != before
    encoder = SpyEncoder()
    load_index(_articles(knowledge), knowledge, cache, encoder)
    assert len(encoder.calls) == 1
    assert cache_file(cache, after).is_file()


def test_tables_and_encoder_name_are_part_of_the_hash(knowledge: Path) -> None:
    before = content_hash(knowledge)
    assert content_hash(knowledge, encoder_name="another-encoder") != before
    fees = knowledge / "tables" / "fees.yml"
    fees.write_text(fees.read_text() + "\n# a comment\n")
    assert content_hash(knowledge) != before


def test_a_stale_or_corrupt_cache_file_is_rebuilt(knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache_file(cache, content_hash(knowledge)).write_bytes(b"not an npz")
    encoder = SpyEncoder()
    load_index(_articles(knowledge), knowledge, cache, encoder)
    assert len(encoder.calls) == 1


def test_build_command_writes_the_cache(
    knowledge: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    encoder = SpyEncoder()
    monkeypatch.setattr(index_module, "default_encode", encoder)
    monkeypatch.setenv("FRONTDOOR_KB_CACHE", str(tmp_path / "env-cache"))
    assert main(["build", "--knowledge", str(knowledge)]) == 0
    assert cache_file(tmp_path / "env-cache", content_hash(knowledge)).is_file()
    assert main(["build", "--knowledge", str(knowledge)]) == 0
    assert len(encoder.calls) == 1  # the second build found the cache
    assert "chunks" in capsys.readouterr().out


def test_chunks_cover_title_tags_paragraphs_and_voice() -> None:
    article = next(a for a in _articles(ROOT / "knowledge") if a.id == "fees-by-amount")
    chunks = article_chunks(article)
    assert [c.kind for c in chunks][:2] == ["title", "tags"] and chunks[-1].kind == "voice"
    assert any("up to 500, 1.99, 2.99, 1.99, 3.49" in c.text for c in chunks)
    assert plain("- **Bold** item\n| a | b |\n|---|---|") == "Bold item; a, b"
