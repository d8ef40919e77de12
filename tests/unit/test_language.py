"""Language detection, the language step before NLU, the LibreTranslate adapter and the case's language."""

from __future__ import annotations

from datetime import time
from typing import Any, Dict, List

import pytest

from frontdoor.handoff.config import load_config
from frontdoor.handoff.hours import Hours
from frontdoor.language.conversation import agent_language, conversation_language, transcript_text, translation_note
from frontdoor.language.detect import detect
from frontdoor.language.replies import agent_offer, offer_answer
from frontdoor.language.translate import LibreTranslate, TranslationError, translator_from_env
from frontdoor.language.turn import read_turn, translate_replies
from tests.libretranslate_standin import StandInLibreTranslate


@pytest.mark.parametrize("text", [
    "ok", "hi", "yes please", "ZS12345678", "SW1A 1AA", "John Smith", "Maria Garcia", "12/03/1985",
    "1200 GBP to Ghana", "cancel ZS12345678 please", "Maria Garcia Lopez", "oui", "sí", "merci", "hola",
    "Bonjour", "", "   ", "/affirm", "/greet",
])
def test_short_or_ambiguous_messages_tell_no_language(text: str):
    assert detect(text).language is None


@pytest.mark.parametrize(("text", "language"), [
    ("where is my money, I sent it yesterday", "en"),
    ("my transfer to Kenya hasn't arrived", "en"),
    ("my name is Maria Garcia", "en"),
    ("Bonjour, je voudrais savoir où est mon transfert", "fr"),
    ("Je veux annuler mon transfert ZS12345678", "fr"),
    ("Combien coûte un envoi vers le Sénégal ?", "fr"),
    ("je veux parler à un conseiller", "fr"),
    ("Quiero cancelar mi transferencia", "es"),
    ("¿Cuánto cuesta enviar dinero a México?", "es"),
    ("necesito ayuda con mi envío", "es"),
    ("Ich möchte meine Überweisung stornieren", "de"),
    ("Onde está o meu dinheiro?", "pt"),
    ("Habari, pesa yangu iko wapi?", "sw"),
    ("أين أموالي الآن", "ar"),
])
def test_sentences_are_detected(text: str, language: str):
    assert detect(text).language == language


def test_english_training_examples_stay_english_or_unknown():
    import re

    import yaml

    from frontdoor.paths import ROOT

    examples = [
        re.sub(r"\[([^\]]*)\][({][^)}]*[)}]", r"\1", line.strip()[2:])
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"] if "examples" in item
        for line in item["examples"].splitlines() if line.strip()
    ]
    foreign = [e for e in examples if detect(e).language not in (None, "en")]
    assert len(examples) > 1000 and len(foreign) <= 2, foreign


def test_a_huge_message_is_read_from_its_start_only():
    assert detect("Je voudrais envoyer de l'argent à ma mère. " * 5000).language == "fr"


@pytest.mark.parametrize(("text", "answer"), [
    ("oui", True), ("Oui, merci !", True), ("d’accord", True), ("sí", True), ("Si, por favor", True),
    ("claro", True), ("non", False), ("non merci", False), ("no, gracias", False),
    ("no", None), ("yes", None), ("oui je veux annuler", None), ("", None),
])
def test_yes_and_no_to_the_agent_offer_in_french_and_spanish(text: str, answer: Any):
    assert offer_answer(text) is answer


def user(text: str, language: Dict[str, Any]) -> Dict[str, Any]:
    return {"event": "user", "text": text, "metadata": {"language": language}}


def test_the_conversation_language_is_the_latest_clear_one_and_short_messages_keep_it():
    events = [user("Bonjour, je voudrais parler à quelqu'un", {"detected": "fr"}), user("oui", {"detected": None})]
    assert conversation_language(events) == "fr" and agent_language(events) == "fr"
    assert agent_language([user("Wie hoch sind die Gebühren?", {"detected": "de"})]) == "en"
    assert agent_language([*events, {"event": "session_started"}]) == "en"
    assert agent_language([*events, user("sorry, let me write in English instead", {"detected": "en"})]) == "en"
    assert agent_language([{"event": "user", "text": "hi"}, {"event": "bot", "text": "hello"}]) == "en"


def test_the_case_keeps_the_original_and_says_when_translation_failed():
    translated = {"detected": "fr", "translated": True, "original": "je veux un conseiller"}
    assert transcript_text("I want an agent", {"language": translated}) == (
        "I want an agent [translated from fr; original: je veux un conseiller]")
    assert transcript_text("hello", {}) == "hello"
    mixed = {"detected": "fr", "code_switched": True, "original": "est-ce que cash pickup is possible"}
    assert transcript_text("cash pickup is possible", {"language": mixed}) == "est-ce que cash pickup is possible"
    failed = [user("je veux un conseiller", {"detected": "fr", "translation_failed": "500"})]
    assert translation_note(failed) == ("Translation unavailable for 1 customer message(s) in fr: "
                                        "the bot fell back to English")
    assert translation_note([user("hello", {"detected": "en"})]) is None


async def test_without_a_translator_english_passes_and_other_languages_skip_nlu():
    english = await read_turn("where is my money, I sent it yesterday")
    assert (english.text, english.intent, english.metadata["detected"]) == (
        "where is my money, I sent it yesterday", None, "en")
    french = await read_turn("Bonjour, je voudrais savoir où est mon transfert")
    assert (french.intent, french.metadata["detected"], french.metadata["other_language"]) == (
        "out_of_scope", "fr", True)
    assert (await read_turn("Oui, merci")).intent == "affirm"
    assert (await read_turn("non")).intent == "deny"
    empty = await read_turn("")
    assert (empty.text, empty.intent) == ("", None)


async def test_a_question_mixing_french_and_english_is_read_in_english_and_keeps_its_language():
    mixed = await read_turn("est-ce que cash pickup is possible in senegal")
    assert (mixed.text, mixed.intent, mixed.reply_language) == ("cash pickup is possible in senegal", None, None)
    assert mixed.metadata["detected"] == "fr" and mixed.metadata["code_switched"] is True
    assert mixed.metadata["original"] == "est-ce que cash pickup is possible in senegal"
    fee = await read_turn("Bonjour, quel est le frais for 100 euros from France?")
    assert fee.text == "frais for 100 euros from France?" and fee.intent is None
    assert agent_language([user(mixed.text, mixed.metadata)]) == "fr"  # a handoff goes to the French skill
    mostly_french = await read_turn("Je voudrais envoyer de l'argent, is it possible?")
    assert mostly_french.intent == "out_of_scope" and "code_switched" not in mostly_french.metadata


@pytest.fixture
def standin():
    with StandInLibreTranslate(api_key="secret-key") as server:
        yield server


@pytest.fixture
def translator(standin: StandInLibreTranslate) -> LibreTranslate:
    return LibreTranslate(standin.url, "secret-key", timeout=1.0)


async def test_a_translated_message_is_read_in_english_and_answered_in_its_language(standin, translator):
    turn = await read_turn("Je voudrais savoir combien coûte un envoi de 500 livres vers le Kenya ?", translator)
    assert turn.text == "how much does it cost to send 500 GBP to Kenya" and turn.intent is None
    assert turn.metadata == {"detected": "fr", "confidence": pytest.approx(0.85, abs=0.15), "translated": True,
                             "original": "Je voudrais savoir combien coûte un envoi de 500 livres vers le Kenya ?"}
    assert turn.reply_language == "fr"
    replies: List[Dict[str, Any]] = [{"text": "Sending 500 GBP costs 2.99 GBP.",
                                      "buttons": [{"title": "Yes", "payload": "/affirm"}]}, {"custom": {"x": 1}}]
    await translate_replies(turn, replies, translator)
    assert replies[0] == {"text": "[fr] Sending 500 GBP costs 2.99 GBP.",
                          "buttons": [{"title": "[fr] Yes", "payload": "/affirm"}]}
    assert replies[1] == {"custom": {"x": 1}}
    sent = standin.requests[0]
    assert sent == {"path": "/translate", "q": turn.metadata["original"], "source": "fr", "target": "en",
                    "format": "text", "api_key": "secret-key"}


async def test_the_server_detects_what_the_local_detector_cannot_tell(standin, translator):
    turn = await read_turn("Param nerede, lütfen yardım edin", translator)
    assert [r["path"] for r in standin.requests] == ["/detect", "/translate"]
    assert (turn.metadata["detected"], turn.text, turn.reply_language) == ("tr", "where is my money please help", "tr")
    english = await read_turn("can I speak to an agent", translator)
    assert english.metadata["detected"] == "en" and english.intent is None and english.reply_language is None


@pytest.mark.parametrize("status", [500, 429, 403])
async def test_a_failing_server_falls_back_to_english_and_says_why(standin, translator, status: int):
    standin.fail_with = status
    turn = await read_turn("Bonjour, je voudrais savoir où est mon transfert", translator)
    assert turn.intent == "out_of_scope" and turn.metadata["other_language"] is True
    assert turn.metadata["translation_failed"].startswith(f"LibreTranslate answered {status}")


async def test_a_slow_or_absent_server_is_a_translation_error(standin):
    standin.delay = 1.0
    with pytest.raises(TranslationError, match="unreachable"):
        await LibreTranslate(standin.url, "secret-key", timeout=0.2).translate("bonjour à tous", "fr", "en")
    with pytest.raises(TranslationError, match="unreachable"):
        await LibreTranslate("http://127.0.0.1:9", timeout=0.5).translate("bonjour à tous", "fr", "en")


async def test_bad_requests_and_answers_are_translation_errors(standin, translator):
    with pytest.raises(TranslationError, match="403: Invalid API key"):
        await LibreTranslate(standin.url, "wrong", timeout=1.0).translate("bonjour", "fr", "en")
    with pytest.raises(TranslationError, match="400: xx is not supported"):
        await translator.translate("bonjour", "xx", "en")
    with pytest.raises(TranslationError, match="longer than"):
        await translator.translate("a" * 5001, "fr", "en")


async def test_a_reply_that_fails_to_translate_stays_in_english(standin, translator):
    turn = await read_turn("Je voudrais savoir combien coûte un envoi de 500 livres vers le Kenya", translator)
    standin.fail_with = 500
    replies: List[Dict[str, Any]] = [{"text": "Sending 500 GBP costs 2.99 GBP."}]
    await translate_replies(turn, replies, translator)
    assert replies == [{"text": "Sending 500 GBP costs 2.99 GBP."}]


def test_translation_is_off_unless_configured():
    assert translator_from_env({}) is None
    configured = translator_from_env({"LIBRETRANSLATE_URL": "http://lt:5000/", "LIBRETRANSLATE_API_KEY": "k"})
    assert configured is not None and (configured.url, configured.api_key) == ("http://lt:5000", "k")


@pytest.mark.parametrize("name", ["Grace Wanjiru Kamau", "grace wanjiru kamau", "Ama Serwaa Owusu",
                                  "José María García López", "Mohamed Abdi Hassan"])
def test_a_recipients_name_tells_no_language(name: str) -> None:
    assert detect(name).language is None


def test_a_short_sentence_with_its_languages_common_words_is_still_detected() -> None:
    assert detect("nimetuma pesa kwa mama yangu").language == "sw"
    assert detect("¿cuánto cuesta enviar dinero?").language == "es"


def test_agent_offer_says_when_agents_who_speak_the_language_work() -> None:
    french = agent_offer("fr", load_config().hours)
    assert "conseiller qui parle français" in french and "24/7" in french and "08:00 à 22:00" in french
    assert "heure du Royaume-Uni" in french
    night = {"chat": Hours(time_zone="America/Toronto", label="Toronto time", opens=time(6), closes=time(23)),
             "voice": Hours(time_zone="America/Toronto", label="Toronto time", opens=time(9), closes=time(17))}
    spanish = agent_offer("es", night)
    assert "por chat de 06:00 a 23:00 (Toronto time)" in spanish and "de 09:00 a 17:00" in spanish
    assert "24/7" not in spanish


def _sentences(part: str) -> List[Dict[str, str]]:
    import yaml

    from frontdoor.paths import ROOT

    return yaml.safe_load((ROOT / "tests" / "language" / "sentences.yml").read_text(encoding="utf-8"))[part]


def test_every_design_sentence_is_told_its_language() -> None:
    wrong = [(s["text"], detect(s["text"]).language) for s in _sentences("design")
             if detect(s["text"]).language != s["language"]]
    assert not wrong


def test_most_sentences_written_after_the_word_lists_are_told_their_language() -> None:
    check = _sentences("check")
    right = sum(detect(s["text"]).language == s["language"] for s in check)
    wrong_language = [s["text"] for s in check if detect(s["text"]).language not in (None, s["language"])]
    assert right >= 0.85 * len(check) and not wrong_language
