"""Article chunks and their embeddings, cached on disk under a content hash.

Embedding ~400 chunks takes seconds on a small CPU; the assistant must not pay
that at every start, so ``load_index`` reads the vectors built by
``python -m frontdoor.knowledge build`` and only embeds when the articles,
tables, chunking or encoder runtime changed (a new hash).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import numpy as np

from frontdoor.knowledge.articles import Article, article_paths
from frontdoor.nlu.encoder import ENCODER_ID
from frontdoor.nlu.encoder import encode as default_encode
from frontdoor.paths import project_path

Encoder = Callable[[Sequence[str]], np.ndarray]
# Bump when chunking changes: the same articles then need new vectors.
INDEX_VERSION = "kb-index-1"
KEEP_CACHES = 3


@dataclass(frozen=True)
class Chunk:
    article_id: str
    kind: str  # title, tags, body, voice
    text: str


def plain(markdown: str) -> str:
    """Markdown paragraph as plain text: tables become "a, b; c, d", emphasis and list marks go."""
    rows = []
    for line in markdown.splitlines():
        line = line.strip()
        if re.fullmatch(r"\|?[\s|:-]+\|?", line) and "-" in line:
            continue  # a table's |---| rule
        if line.startswith("|"):
            line = ", ".join(cell.strip() for cell in line.strip("|").split("|"))
        line = re.sub(r"^(?:[-*]|\d+\.)\s+", "", line)
        rows.append(re.sub(r"[*_`#>]", "", line))
    return "; ".join(r for r in rows if r)


def article_chunks(article: Article) -> List[Chunk]:
    """What the dense side compares a question with: the title, the tags, each paragraph and the voice line."""
    chunks = [Chunk(article.id, "title", article.title), Chunk(article.id, "tags", ", ".join(article.tags))]
    for paragraph in re.split(r"\n\s*\n", article.body):
        text = plain(paragraph)
        if text:
            chunks.append(Chunk(article.id, "body", text))
    chunks.append(Chunk(article.id, "voice", article.voice))
    return chunks


def content_hash(knowledge_dir: Path, encoder_name: str = ENCODER_ID) -> str:
    """Hash of every article and table file, the chunking version and the encoder (weights' name and runtime)."""
    digest = hashlib.sha256(f"{INDEX_VERSION}\0{encoder_name}\0".encode())
    files = article_paths(knowledge_dir) + sorted((knowledge_dir / "tables").glob("*.yml"))
    for path in files:
        digest.update(f"{path.relative_to(knowledge_dir)}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def default_cache_dir() -> Path:
    return project_path("FRONTDOOR_KB_CACHE", "build/kb")


@dataclass(frozen=True)
class EmbeddingIndex:
    key: str
    chunks: List[Chunk]
    vectors: np.ndarray  # (len(chunks), dim), unit length


def cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"kb-{key}.npz"


def build_index(chunks: List[Chunk], key: str, cache_dir: Path, encode: Encoder) -> EmbeddingIndex:
    """Embed ``chunks`` and write them atomically (a concurrent reader sees the old file or the new one)."""
    vectors = np.asarray(encode([c.text for c in chunks]), dtype=np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"version": INDEX_VERSION, "encoder": ENCODER_ID, "chunks": [c.__dict__ for c in chunks]})
    handle, temp = tempfile.mkstemp(dir=cache_dir, prefix=".kb-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, vectors=vectors, meta=np.array(meta))
        os.chmod(temp, 0o644)  # mkstemp makes it private; the action server may run as another user
        os.replace(temp, cache_file(cache_dir, key))
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    for old in sorted(cache_dir.glob("kb-*.npz"), key=lambda p: p.stat().st_mtime)[:-KEEP_CACHES]:
        old.unlink(missing_ok=True)
    return EmbeddingIndex(key, chunks, vectors)


def read_index(chunks: List[Chunk], key: str, cache_dir: Path) -> Optional[EmbeddingIndex]:
    """The cached vectors for exactly these chunks, or ``None`` when absent, stale or unreadable."""
    path = cache_file(cache_dir, key)
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors = data["vectors"]
            meta = json.loads(str(data["meta"]))
    except (OSError, ValueError, KeyError):
        return None
    cached = [Chunk(**c) for c in meta.get("chunks", [])]
    if cached != chunks or vectors.shape[0] != len(chunks):
        return None
    return EmbeddingIndex(key, chunks, vectors)


def load_index(
    articles: List[Article], knowledge_dir: Path, cache_dir: Optional[Path] = None, encode: Optional[Encoder] = None
) -> EmbeddingIndex:
    """The cached index for the current content; embeds (and caches) only when there is none."""
    cache_dir = cache_dir or default_cache_dir()
    chunks = [chunk for article in articles for chunk in article_chunks(article)]
    key = content_hash(knowledge_dir)
    found = read_index(chunks, key, cache_dir)
    if found is not None:
        return found
    return build_index(chunks, key, cache_dir, encode or default_encode)
