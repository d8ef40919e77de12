"""The project's knowledge base with the real encoder, loaded once for the session."""

from __future__ import annotations

import pytest

from frontdoor.knowledge import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()
