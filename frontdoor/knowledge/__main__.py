"""``python -m frontdoor.knowledge check|build``: validate the knowledge base, or build its cached index
(and the ONNX export of the encoder that embeds it)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional

from frontdoor.knowledge.articles import load_articles
from frontdoor.knowledge.errors import KnowledgeError, KnowledgeErrors, display_path
from frontdoor.knowledge.fill import BINDINGS
from frontdoor.knowledge.index import cache_file, content_hash, default_cache_dir, load_index
from frontdoor.knowledge.tables import load_tables
from frontdoor.nlu.encoder import ensure_base_export
from frontdoor.paths import project_path
from frontdoor.taxonomy import load_taxonomy


def check(knowledge_dir: Path) -> List[str]:
    """Every problem in the tables, the articles and the article-to-table bindings."""
    try:
        tables = load_tables(knowledge_dir / "tables")
    except KnowledgeErrors as errors:
        return [str(e) for e in errors.errors]
    try:
        articles = load_articles(knowledge_dir, load_taxonomy(), tables)
    except KnowledgeErrors as errors:
        return [str(e) for e in errors.errors]
    known = {a.id for a in articles}
    return [
        str(
            KnowledgeError(
                knowledge_dir / f"{article_id}.md", None, "bound to a table in frontdoor/knowledge/fill.py but missing"
            )
        )
        for article_id in BINDINGS
        if article_id not in known
    ]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.knowledge", description=__doc__)
    parser.add_argument("command", choices=("check", "build"))
    parser.add_argument("--knowledge", type=Path, default=None, help="articles directory (default: knowledge/)")
    parser.add_argument(
        "--cache", type=Path, default=None, help="index cache (default: build/kb or $FRONTDOOR_KB_CACHE)"
    )
    args = parser.parse_args(argv)
    knowledge_dir = args.knowledge or project_path("FRONTDOOR_KNOWLEDGE", "knowledge")
    problems = check(knowledge_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the knowledge base", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"knowledge base OK ({knowledge_dir})")
        return 0
    cache_dir = args.cache or default_cache_dir()
    # The ONNX export the action server encodes questions with; it must exist even when the index is cached.
    print(f"encoder {display_path(ensure_base_export())}")
    tables = load_tables(knowledge_dir / "tables")
    articles = load_articles(knowledge_dir, load_taxonomy(), tables)
    path = cache_file(cache_dir, content_hash(knowledge_dir))
    cached = path.is_file()
    started = time.perf_counter()
    index = load_index(articles, knowledge_dir, cache_dir)
    what = "up to date" if cached else f"built in {time.perf_counter() - started:.1f} s"
    print(f"index {display_path(path)}: {len(index.chunks)} chunks of {len(articles)} articles, {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
