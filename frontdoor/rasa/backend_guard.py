"""A turn the action server could not take still reaches a human: the Rasa process hands it off itself.

When the action server is down, or an action crashes (HTTP 500), Rasa logs
the error, drops the action's events and sends nothing, so no handoff action
can run; what it leaves on the tracker is the bare ``ActionExecuted`` of the
failed call. The channels call ``hand_off_if_backend_down`` after every turn:
a turn that produced no reply, in a conversation that is not paused, where a
custom action left no event behind, is recorded as a ``backend_error`` case with
``frontdoor.handoff.service`` (the same case key the handoff action would have
used, so a turn the action did hand off before failing is not recorded twice);
the customer hears the handoff turn of ``frontdoor.dialogue.handoff_turn``, the
same one ``actions/handoff.py`` takes. Streamed REST replies
(``?stream=true``) are not covered: an empty turn cannot be told apart there.
"""

from __future__ import annotations

import asyncio
import logging
from typing import List, Optional

from rasa.core.actions.action import create_bot_utterance
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from frontdoor.database import get_engine
from frontdoor.dialogue.handoff_turn import HandoffTurn, handoff_turn, unavailable_turn
from frontdoor.handoff.case import CaseInvalid
from frontdoor.handoff.service import hand_off_conversation

logger = logging.getLogger(__name__)
BACKEND_ERROR = "utter_handoff_backend_error"


async def hand_off_if_backend_down(agent: Optional[Agent], message: UserMessage) -> bool:
    """Hand the conversation off if a custom action call failed and the customer got nothing; True when it did."""
    output = message.output_channel
    if agent is None or agent.action_endpoint is None or not isinstance(output, CollectingOutputChannel):
        return False
    if isinstance(output, QueueOutputChannel) or output.messages:
        # A streamed REST reply (``?stream=true``) may already be on its way: no way to tell it was empty.
        return False
    sender = message.sender_id or ""
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None or tracker.is_paused():
            return False
        failed = failed_custom_action(tracker, agent.domain)
        if failed is None:
            return False
        logger.error("frontdoor.backend_down sender=%s action=%s action_endpoint=%s", sender, failed,
                     agent.action_endpoint.url)
        channel = "voice" if message.input_channel == "voice" else "chat"
        try:
            handoff = await asyncio.to_thread(
                hand_off_conversation,
                get_engine(),
                [event.as_dict() for event in tracker.events],
                tracker.current_slot_values(),
                conversation_id=sender,
                handoff_reason="backend_error",
                channel=channel,
            )
        except (SQLAlchemyError, CaseInvalid):
            logger.exception("frontdoor.handoff.failed sender=%s reason=backend_error", sender)
            await _take(agent, tracker, output, unavailable_turn(lead=(BACKEND_ERROR,)))
            return False
        logger.info("frontdoor.handoff sender=%s case=%s reason=backend_error new=%s", sender, handoff.case_id,
                    handoff.created)
        await _take(agent, tracker, output, handoff_turn(handoff, lead=(BACKEND_ERROR,)))
        return True


def failed_custom_action(tracker: DialogueStateTracker, domain: Optional[Domain]) -> Optional[str]:
    """The custom action of this turn whose call produced no event at all: Rasa dropped a failed call's events."""
    custom = {name for name in (domain.user_actions if domain else []) if not name.startswith("utter_")}
    turn: List[Event] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        turn.insert(0, event)
    for index, event in enumerate(turn):
        if isinstance(event, ActionExecuted) and event.action_name in custom:
            after = turn[index + 1:index + 2]
            if not after or isinstance(after[0], ActionExecuted):
                return event.action_name
    return None


async def _take(
    agent: Agent, tracker: DialogueStateTracker, output: CollectingOutputChannel, turn: HandoffTurn
) -> None:
    """Send the turn's responses in the channel's variant, logged on the tracker as the bot's turns (as Rasa
    does), then set its slots, pause if it says so, and save the tracker."""
    for name in turn.responses:
        rendered = await agent.nlg.generate(name, tracker, output.name(), **turn.variables)
        if rendered is not None:
            await _send(tracker, output, create_bot_utterance({**rendered, "utter_action": name}))
    if turn.payload is not None:
        await _send(tracker, output, create_bot_utterance({"custom": turn.payload}))
    for slot, value in turn.slots.items():
        tracker.update(SlotSet(slot, value))
    if turn.pause:
        tracker.update(ConversationPaused())
    await agent.tracker_store.save(tracker)


async def _send(tracker: DialogueStateTracker, output: CollectingOutputChannel, event: BotUttered) -> None:
    tracker.update(event)
    await output.send_response(tracker.sender_id, event.message())
