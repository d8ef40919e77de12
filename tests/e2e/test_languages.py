"""Languages over HTTP (issue 16 part 4): French and Spanish speakers are offered an agent in their language,
other languages get a short English reply that is not a misunderstanding, and, with a LibreTranslate server
configured (here the stand-in of tests/libretranslate_standin.py), messages are translated both ways.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from frontdoor.launcher import Services, assistant_specs
from tests.e2e.conftest import Bot, Queue, current_model, texts
from tests.libretranslate_standin import StandInLibreTranslate

TRANSLATED_RASA_PORT = int(os.environ.get("FRONTDOOR_TEST_LANG_RASA_PORT", "15007"))
TRANSLATED_ACTIONS_PORT = int(os.environ.get("FRONTDOOR_TEST_LANG_ACTIONS_PORT", "15057"))
ENGLISH_ONLY = "Sorry, I can only help in English. Our agents also speak French and Spanish."


def new_sender() -> str:
    return f"lang-{uuid.uuid4().hex[:12]}"


def handed_off(replies: List[Dict[str, Any]]) -> bool:
    return any((r.get("custom") or {}).get("handoff") for r in replies)


def user_events(bot: Bot, sender: str) -> List[Dict[str, Any]]:
    return [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]


def test_a_french_speaker_is_offered_a_french_speaking_agent_and_the_case_is_in_french(bot: Bot, queue: Queue):
    sender = new_sender()
    [offer] = bot.say(sender, "Bonjour, je voudrais savoir où est mon transfert")
    assert "conseiller qui parle français" in offer["text"]
    assert [b["title"] for b in offer["buttons"]] == ["Oui", "Non"]
    replies = bot.say(sender, "oui")
    assert handed_off(replies)
    [case] = queue.cases_for(sender)
    assert (case["language"], case["handoff_reason"]) == ("fr", "agent_requested")
    assert case["transcript"][0]["text"] == "Bonjour, je voudrais savoir où est mon transfert"


def test_a_spanish_speaker_accepting_with_the_button_gets_a_spanish_case(bot: Bot, queue: Queue):
    sender = new_sender()
    [offer] = bot.say(sender, "Hola, necesito ayuda con mi transferencia a México")
    assert "agente que habla español" in offer["text"]
    assert handed_off(bot.say(sender, offer["buttons"][0]["payload"]))
    [case] = queue.cases_for(sender)
    assert case["language"] == "es"


def test_a_german_message_gets_the_english_only_reply_and_is_not_a_misunderstanding(bot: Bot, queue: Queue):
    sender = new_sender()
    assert "Did you mean" in texts(bot.say(sender, "the thing with the stuff from before"))
    for message in ("Ich möchte meine Überweisung stornieren", "Wie hoch sind die Gebühren für Kenia?"):
        replies = bot.say(sender, message)
        assert texts(replies) == ENGLISH_ONLY and not handed_off(replies)
    german = user_events(bot, sender)[-1]
    assert german["parse_data"]["intent"]["name"] == "out_of_scope"
    assert german["metadata"]["language"]["detected"] == "de"
    assert queue.cases_for(sender, timeout=1.0) == []


def test_short_messages_and_english_are_not_taken_for_another_language(bot: Bot):
    sender = new_sender()
    for message in ("ok", "ZS12345678", "SW1A 1AA", "John Smith"):
        assert ENGLISH_ONLY not in texts(bot.say(sender, message))
    assert "virtual assistant" in texts(bot.say(sender, "hi"))
    assert all(e["metadata"]["language"]["detected"] in (None, "en") for e in user_events(bot, sender))


def test_a_chat_client_cannot_set_the_language_metadata(bot: Bot):
    sender = new_sender()
    posing = {"language": {"detected": "fr", "other_language": True}}
    assert ENGLISH_ONLY not in texts(bot.say(sender, "where is my money, I sent it yesterday", metadata=posing))
    assert user_events(bot, sender)[-1]["metadata"]["language"]["detected"] == "en"


def test_a_french_caller_hears_the_offer_on_the_voice_channel(bot: Bot):
    body = json.dumps({"sender": new_sender(), "alternatives": [
        {"transcript": "bonjour je voudrais parler à un conseiller s'il vous plaît", "confidence": 0.8}]}).encode()
    status, answer = bot.voice(body)
    assert status == 200, answer
    [reply] = json.loads(answer)
    assert "conseiller qui parle français" in reply["text"] and reply["ssml"].startswith("<speak>")


def test_huge_and_empty_foreign_messages_get_a_reply_not_an_error(bot: Bot):
    sender = new_sender()
    assert ENGLISH_ONLY in texts(bot.say(sender, "Ich möchte meine Überweisung stornieren. " * 1000))
    assert texts(bot.say(sender, ""))
    status, _ = bot.request("POST", "/webhooks/rest/webhook", json.dumps({"sender": sender, "message": 42}).encode())
    assert status == 400


class Translated:
    def __init__(self, server: StandInLibreTranslate) -> None:
        self.server = server
        self.bot = Bot(TRANSLATED_RASA_PORT)


@pytest.fixture(scope="module")
def translated(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Translated]:
    """A Rasa and action server of their own, translating through the stand-in; cases go to the shared queue."""
    shared = next(spec.env for spec in services.specs if spec.name == "actions")
    tmp = Path(tmp_path_factory.mktemp("translated"))
    with StandInLibreTranslate(api_key="e2e-libretranslate-key") as server:
        env = {key: value for key, value in shared.items() if key != "ACTION_ENDPOINT_URL"}
        env.update(TRACKER_URL=f"sqlite:///{tmp / 'tracker.db'}", LIBRETRANSLATE_URL=server.url,
                   LIBRETRANSLATE_API_KEY="e2e-libretranslate-key", LIBRETRANSLATE_TIMEOUT="2")
        group = Services(assistant_specs(current_model(), TRANSLATED_RASA_PORT, TRANSLATED_ACTIONS_PORT,
                                         extra_env=env), log_dir=tmp / "logs")
        with group:
            yield Translated(server)


def test_with_translation_a_french_question_is_answered_in_french(translated: Translated):
    sender = new_sender()
    original = "Je voudrais savoir combien coûte un envoi de 500 livres vers le Kenya ?"
    replies = translated.bot.say(sender, original)
    assert replies and all(r["text"].startswith("[fr] ") for r in replies if r.get("text")), replies
    assert "500" in texts(replies) and ENGLISH_ONLY not in texts(replies)
    [event] = user_events(translated.bot, sender)
    assert event["text"] == "how much does it cost to send 500 GBP to Kenya"
    language = event["metadata"]["language"]
    assert (language["detected"], language["translated"], language["original"]) == ("fr", True, original)
    assert event["parse_data"]["intent"]["name"] == "fees"


def test_with_translation_the_case_keeps_the_original_words(translated: Translated, queue: Queue):
    sender = new_sender()
    replies = translated.bot.say(sender, "Quiero hablar con un agente, por favor, ahora mismo")
    assert handed_off(replies), replies
    [case] = queue.cases_for(sender)
    assert case["language"] == "es"
    assert case["transcript"][0]["text"] == ("I want to speak to an agent please right now [translated from es; "
                                             "original: Quiero hablar con un agente, por favor, ahora mismo]")


def test_a_translation_server_that_fails_falls_back_to_english_and_the_case_says_so(translated: Translated,
                                                                                   queue: Queue):
    sender = new_sender()
    translated.server.fail_with = 500
    try:
        [offer] = translated.bot.say(sender, "Bonjour, je voudrais savoir où est mon transfert")
        assert "conseiller qui parle français" in offer["text"]
        assert handed_off(translated.bot.say(sender, "oui"))
    finally:
        translated.server.fail_with = None
    [case] = queue.cases_for(sender)
    assert case["language"] == "fr"
    assert ("Translation unavailable for 1 customer message(s) in fr: the bot fell back to English"
            in case["summary"]["facts"])
