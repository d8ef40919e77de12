"""One item of a list article answers a question that names it ("what does *in review* mean?").

An article opts in with ``pick_item: true`` in its front matter. Its body lists
items as ``1. **Label** - text`` (or ``- **Label**: text``); a question naming
exactly one label gets that item, and the rest is offered rather than read out,
so a caller does not hear ten statuses to learn one.
"""

from __future__ import annotations

import re
from typing import List, NamedTuple, Optional

from frontdoor.knowledge.text import fold

_ITEM = re.compile(r"^\s*(?:\d+\.|[-*])\s+\*\*(?P<label>[^*]+)\*\*\s*(?:[-:–]\s*)?(?P<text>.+)$", re.MULTILINE)
MORE_ITEMS = {
    "chat": "Ask me if you'd like the whole list.",
    "voice": "You can ask me for the rest of the list too.",
}


class Item(NamedTuple):
    label: str
    text: str


def list_items(body: str) -> List[Item]:
    return [Item(m.group("label").strip(), m.group("text").strip()) for m in _ITEM.finditer(body)]


def _phrase(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text.replace("_", " ")))) + " "


def asked_item(question: str, body: str) -> Optional[Item]:
    """The one item whose label the question names; None when it names none or several."""
    asked = _phrase(question)
    named = [item for item in list_items(body) if _phrase(item.label) in asked]
    # "payment received" also contains no other label, but "sent to partner" must win over a shorter overlap.
    named = [i for i in named if not any(o is not i and _phrase(i.label) in _phrase(o.label) for o in named)]
    return named[0] if len(named) == 1 else None


def item_answer(item: Item, channel: str) -> str:
    """The item as a sentence, then the offer of the rest."""
    text = item.text.rstrip(".") + "."
    if channel == "voice":
        plain = re.sub(r"[*_`]", "", text)
        return f"{item.label} means {plain[0].lower()}{plain[1:]} {MORE_ITEMS['voice']}"
    return f"**{item.label}**: {text} {MORE_ITEMS['chat']}"
