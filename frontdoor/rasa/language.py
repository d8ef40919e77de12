"""The channels' language step: each message is read by ``frontdoor.language.turn`` before Rasa sees it.

Only translation to Rasa happens here: the text NLU reads, the language metadata (``metadata.language``),
and, when the language step already knows the intent, a ready parse so NLU is skipped (Rasa's processor
takes ``UserMessage.parse_data`` as it is). The model is unchanged: no pipeline component, no slot.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa.core.channels.channel import UserMessage

from frontdoor.language.conversation import METADATA_KEY
from frontdoor.language.translate import Translator, translator_from_env
from frontdoor.language.turn import LanguageTurn, read_turn, translate_replies


class LanguageStep:
    """One per channel: the translator (``LIBRETRANSLATE_URL``, off by default) is read once, at start-up."""

    def __init__(self, translator: Optional[Translator] = None) -> None:
        self.translator = translator if translator is not None else translator_from_env()

    async def incoming(self, message: UserMessage) -> Tuple[UserMessage, LanguageTurn]:
        turn = await read_turn(message.text or "", self.translator)
        parse: Optional[Dict[str, Any]] = None
        if turn.intent is not None:
            intent = {"name": turn.intent, "confidence": 1.0}
            parse = {"text": turn.text, "intent": intent, "intent_ranking": [intent], "entities": []}
        metadata = {**(message.metadata or {}), METADATA_KEY: turn.metadata}
        return UserMessage(turn.text, message.output_channel, message.sender_id, parse, message.input_channel,
                           message.message_id, metadata), turn

    async def outgoing(self, turn: LanguageTurn, messages: List[Dict[str, Any]]) -> None:
        await translate_replies(turn, messages, self.translator)
