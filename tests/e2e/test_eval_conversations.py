"""`make eval-conversations` against the real servers of the e2e fixtures: a handful of personas, end to end."""

from __future__ import annotations

from benchmarks.conversations.personas import generate
from benchmarks.conversations.report import summarise
from benchmarks.conversations.run import run_all
from frontdoor.launcher import HOST, Services
from tests.e2e.conftest import QUEUE_PORT, RASA_PORT, VOICE_SECRET


async def test_a_handful_of_personas_are_driven_observed_and_scored(services: Services) -> None:
    personas = generate(2026)
    chosen = [
        next(p for p in personas
             if p.kind == "own_transfer" and p.channel == "chat" and p.expect_outcome == "contained"),
        next(p for p in personas if p.kind == "own_transfer" and p.channel == "voice"),
        next(p for p in personas if p.opening == "how much to send two hundred pounds to ghana"),
        next(p for p in personas if p.kind == "handoff" and p.reason == "fraud_report" and p.channel == "chat"),
        next(p for p in personas if p.kind == "general" and p.reason == "fees" and p.channel == "chat"),
    ]
    results = await run_all(chosen, f"http://{HOST}:{RASA_PORT}", f"http://{HOST}:{QUEUE_PORT}", concurrency=2,
                            voice_secret=VOICE_SECRET.encode())
    assert [r.persona.id for r in results] == [p.id for p in chosen]
    for result in results:
        assert result.seen.error is None, result.seen.error
        assert any(speaker == "bot" for speaker, _ in result.seen.transcript), result.persona.id
        assert len(result.seen.transcript) <= 2 * 15 + 20  # bounded
    own_chat, own_voice, _, fraud, _ = results
    assert own_chat.seen.verified and own_chat.seen.identity_asked  # the customer passed the real check
    assert own_voice.seen.verified  # spoken name, date of birth and postcode
    assert fraud.seen.handed_off and fraud.seen.category == "fraud_report"  # read from the queue's case
    report = summarise([r.as_dict() for r in results])
    assert report["all"]["n"] == 5 and set(report["by_channel"]) == {"chat", "voice"}
    assert all(isinstance(r["reasons"], list) for r in (r.as_dict() for r in results))
