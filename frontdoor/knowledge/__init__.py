"""Knowledge retrieval for the assistant: articles, handbook tables, hybrid search, answers, feedback.

Plain typed Python with no Rasa imports; ``actions/`` adapts it. Start with
``answer()`` (or ``get_knowledge_base().answer()``), and ``feedback`` for
"did this help?".
"""

from frontdoor.knowledge.answer import Answer, Context, KnowledgeBase, answer, get_knowledge_base
from frontdoor.knowledge.articles import Article
from frontdoor.knowledge.errors import KnowledgeError, KnowledgeErrors
from frontdoor.knowledge.retrieval import Hit, Ranking, Tuning
from frontdoor.knowledge.slots import Slots
from frontdoor.knowledge.tables import (
    Corridor,
    DeliveryTime,
    FeeQuote,
    TableLookupError,
    TierLimits,
    corridor,
    delivery_time,
    fee_for,
    limits,
)

__all__ = [
    "Answer",
    "Article",
    "Context",
    "Corridor",
    "DeliveryTime",
    "FeeQuote",
    "Hit",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeErrors",
    "Ranking",
    "Slots",
    "TableLookupError",
    "TierLimits",
    "Tuning",
    "answer",
    "corridor",
    "delivery_time",
    "fee_for",
    "get_knowledge_base",
    "limits",
]
