"""Clean up entities from several extractors into one consistent list.

DIET and the regex/lookup extractor often find the same span; actions need one
entity per span with a canonical value (``ZS40318822``, ``1200``, ``GBP``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Dict, List, Optional

Entity = Dict[str, Any]

# Deterministic extractors win over the statistical one on overlapping spans.
EXTRACTOR_PRIORITY = {"RegexEntityExtractor": 0, "DIETClassifier": 1}
_REFERENCE = re.compile(r"^ZS\d{8}$")
_AMOUNT = re.compile(r"^\d+(?:\.\d{1,2})?$")


def canonical_reference(text: str) -> Optional[str]:
    """``zs 4031 8822`` -> ``ZS40318822``; ``None`` when it is not a reference."""
    compact = re.sub(r"[\s\-.]", "", text).upper()
    return compact if _REFERENCE.match(compact) else None


def canonical_amount(text: str) -> Optional[str]:
    """``1,200.50`` -> ``1200.50``; ``None`` when it is not a plain amount."""
    compact = re.sub(r"[\s,£$€]", "", text)
    if compact.lower().endswith("k") and compact[:-1].replace(".", "", 1).isdigit():
        try:
            return _format(Decimal(compact[:-1]) * 1000)
        except InvalidOperation:
            return None
    if not _AMOUNT.match(compact):
        return None
    return _format(Decimal(compact))


def _format(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".removesuffix(".00")


def canonical_value(entity: str, value: Any) -> Optional[str]:
    """The value actions should see, or ``None`` to drop a malformed entity."""
    text = str(value).strip()
    if not text:
        return None
    if entity == "transfer_reference":
        return canonical_reference(text)
    if entity == "amount":
        return canonical_amount(text) or text
    if entity == "currency":
        return text.upper() if len(text) == 3 and text.isalpha() else text
    return text


def _overlaps(a: Entity, b: Entity) -> bool:
    return int(a.get("start", -1)) < int(b.get("end", -1)) and int(
        b.get("start", -1)
    ) < int(a.get("end", -1))


def _rank(entity: Entity) -> int:
    return EXTRACTOR_PRIORITY.get(str(entity.get("extractor")), len(EXTRACTOR_PRIORITY))


def merge_entities(entities: List[Entity]) -> List[Entity]:
    """One entity per span, deterministic extractors first, values canonical.

    Overlapping entities of the same type keep the better-ranked extractor;
    overlapping entities of different types are both kept (a span can be a
    country and a payout partner's market at once, actions decide).
    """
    kept: List[Entity] = []
    for entity in sorted(entities, key=lambda e: (_rank(e), int(e.get("start", 0)))):
        value = canonical_value(str(entity.get("entity")), entity.get("value", ""))
        if value is None:
            continue
        if any(
            k["entity"] == entity.get("entity") and _overlaps(k, entity) for k in kept
        ):
            continue
        kept.append({**entity, "value": value})
    return sorted(kept, key=lambda e: int(e.get("start", 0)))
