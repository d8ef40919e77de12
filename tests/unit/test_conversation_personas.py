"""The persona generator of `make eval-conversations`: coverage, determinism, split, handbook facts, own vocabulary."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from benchmarks.conversations import handbook
from benchmarks.conversations.personas import contact_reasons, generate, load_templates
from frontdoor.paths import ROOT


def test_at_least_200_personas_cover_every_contact_reason_on_both_channels() -> None:
    personas = generate(2026)
    assert len(personas) >= 200
    cells = Counter((p.reason, p.channel) for p in personas)
    for reason in contact_reasons():
        for channel in ("chat", "voice"):
            assert cells[(reason, channel)] >= 2, (reason, channel)


def test_generation_is_deterministic_and_the_split_is_half_half_per_cell() -> None:
    first, second = generate(2026), generate(2026)
    assert [(p.id, p.opening, p.split, p.say) for p in first] == [(p.id, p.opening, p.split, p.say) for p in second]
    assert Counter(p.split for p in first) == {"tuning": len(first) // 2, "heldout": len(first) // 2}
    for reason in contact_reasons():
        splits = {p.split for p in first if p.reason == reason}
        assert splits == {"tuning", "heldout"}, reason
    assert [p.opening for p in generate(7)] != [p.opening for p in first]


def test_expectations_follow_the_handbook() -> None:
    personas = generate(2026)
    by_kind = Counter((p.kind, p.expect_outcome) for p in personas)
    assert by_kind[("general", "handed_off")] == 0  # general questions are answered, even transactional ones
    for p in personas:
        if p.kind == "general":
            assert not p.identity_allowed and p.expect_verified is False
        if p.kind == "own_transfer":
            assert p.expect_verified is True and p.identity is not None
            assert any(p.identity.postcode.split()[0] in rx for rx in p.never)  # the postcode is never said back
        if p.kind == "handoff" and p.reason == "fraud_report":
            assert p.handoff_within == 1 and not p.identity_allowed
        if p.reason == "complaint" and p.kind == "handoff":
            assert any("15" in rx for rx in p.say)
    assert any(p.opening == "how much to send two hundred pounds to ghana" and re.search(p.say[0], "1.99")
               for p in personas if p.channel == "voice")
    cancel_general = [p for p in personas if p.reason == "cancel_transfer" and p.kind == "general"]
    assert cancel_general and all(p.expect_outcome == "contained" for p in cancel_general)


def test_fee_cells_come_from_the_handbook_table() -> None:
    assert handbook.fee(Decimal("200"), "GBP") == "1.99"
    assert handbook.fee(Decimal("500.01"), "CAD") == "4.49"
    assert handbook.fee(Decimal("2000"), "USD") == "3.99"
    assert handbook.fee(Decimal("2000.01"), "EUR") == "0.25%"
    assert handbook.fee(Decimal("200"), "USD", "cash_pickup") == "3.99"
    wrong = handbook.wrong_fee_regex("1.99")
    assert re.search(wrong, "it costs 2.99") and not re.search(wrong, "it costs 1.99") and not re.search(wrong, "12.99")


def _phrasings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _phrasings(item)]
    if isinstance(node, dict):
        return [s for key, value in node.items() if key in ("chat", "voice") or isinstance(value, dict | list)
                and key not in ("say", "never", "closing") for s in _phrasings(value)]
    return []


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_templates_use_their_own_vocabulary() -> None:
    """No persona phrasing appears in the NLU training data, the articles or the other evaluation sets."""
    t = load_templates()
    mine = {_normal(re.sub(r"\{[a-z_]+\}", "", s)) for s in _phrasings({k: t[k] for k in ("general", "own_transfer",
                                                                                            "handoff")})}
    mine = {s for s in mine if len(s.split()) >= 4}
    assert len(mine) > 150
    corpus: list[Path] = [*(ROOT / "data").rglob("*.yml"), *(ROOT / "knowledge").rglob("*.md"),
                          *(ROOT / "tests" / "kb").glob("*.yml"), *(ROOT / "tests" / "nlu").glob("*.yml")]
    theirs = set()
    for path in corpus:
        for line in path.read_text(encoding="utf-8").splitlines():
            cleaned = _normal(re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line.strip().lstrip("-").strip().strip('"')))
            if cleaned.startswith("q "):
                cleaned = cleaned[2:].strip()
            theirs.add(cleaned)
    copied = sorted(s for s in mine if s in theirs)
    assert not copied, copied
