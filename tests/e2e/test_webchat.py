"""The web widget: rasa-webchat 1.0.1 in headless Chromium on Rasa's socket.io channel, and that channel's checks.

The browser test is one customer's whole conversation as the widget shows it:
a knowledge answer and its "Did that answer your question?" button, the
identity check of a demo customer, their transfer's status, then a handoff
that reaches the reference queue. The socket.io tests send what no widget
would (python-socketio's client, the protocol rasa-webchat speaks) and expect
a ``frontdoor_error`` event each, then a normal turn on the same connection.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, AsyncIterator, Dict

import pytest

from frontdoor.database import make_engine
from frontdoor.rasa.socketio_channel import ERROR_EVENT
from tests.browser import Browser
from tests.e2e.conftest import RASA_PORT, Bot, Queue
from tests.e2e.test_identity_transfers import a_transfer
from tests.socketio_client import WidgetSocket

RASA = f"http://127.0.0.1:{RASA_PORT}"
BOX = "#webchat .rw-new-message"
BOT_TEXTS = "[...document.querySelectorAll('#webchat .rw-response .rw-message-text')].map(e => e.textContent)"
USER_TEXTS = "[...document.querySelectorAll('#webchat .rw-client .rw-message-text')].map(e => e.textContent)"
REPLIES = "[...document.querySelectorAll('#webchat .rw-replies .rw-reply')]"


def said(text: str) -> str:
    """A page condition: some bot message contains ``text``."""
    return f"{BOT_TEXTS}.some(t => t.includes({text!r}))"


@pytest.fixture(scope="module")
def customer(app_db: str) -> Dict[str, Any]:
    engine = make_engine(app_db)
    try:
        return a_transfer(engine, "delivered", index=1)
    finally:
        engine.dispose()


async def test_a_customer_is_verified_and_handed_off_in_the_widget(web: str, customer: Dict[str, Any],
                                                                   queue: Queue, bot: Bot) -> None:
    dob = dt.date.fromisoformat(str(customer["dob"]))
    async with Browser() as page:
        await page.goto(web + "/widget")
        await page.wait_for(said("virtual assistant"))
        session = await page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
        await page.type_and_send("how much does it cost to send 1,200 pounds?", BOX)
        await page.wait_for(f"{REPLIES}.length === 2")
        choices = await page.evaluate(f"{REPLIES}.map(e => e.textContent)")
        answer = await page.evaluate(BOT_TEXTS)
        await page.evaluate(f"{REPLIES}[0].click()")
        await page.wait_for(said("glad that helped"))
        await page.type_and_send(f"where is my transfer {customer['reference']}?", BOX)
        await page.wait_for(said("What's your full name"))
        await page.type_and_send(f"{customer['first_name']} {customer['last_name']}", BOX)
        await page.wait_for(said("And your date of birth?"))
        await page.type_and_send(dob.strftime("%d/%m/%Y"), BOX)
        await page.wait_for(said("And the postcode"))
        await page.type_and_send(customer["postcode"], BOX)
        await page.wait_for(said("that's you verified"))
        await page.wait_for(said(f"Transfer {customer['reference']}"))
        verified = await page.evaluate(BOT_TEXTS)
        await page.type_and_send("I want to speak to a person", BOX)
        await page.wait_for("!document.getElementById('handoff').hidden")
        handoff = await page.evaluate("document.getElementById('handoff').textContent")
        users = await page.evaluate(USER_TEXTS)
        errors = list(page.errors)
    assert errors == []
    assert any("Sending 1,200 GBP costs 2.99 GBP." in text for text in answer)
    assert answer[-1] == "Did that answer your question?" and choices == ["Yes, thanks", "No"]
    after = verified[verified.index("Thanks, that's you verified."):]
    assert any(text.startswith("It was delivered") for text in after), after
    assert users == ["how much does it cost to send 1,200 pounds?", "Yes, thanks",
                     f"where is my transfer {customer['reference']}?",
                     f"{customer['first_name']} {customer['last_name']}", dob.strftime("%d/%m/%Y"),
                     customer["postcode"], "I want to speak to a person"]
    [case] = queue.cases_for(session)
    assert handoff == f"You're being connected to an agent, case HO-{case['case_id'].replace('-', '')[:8].upper()}."
    assert case["channel"] == "chat" and case["category"] == "request_human"
    assert case["customer"]["verified"] is True and case["customer"]["id"] == customer["customer_id"]
    events = bot.tracker(session)["events"]
    assert {e["input_channel"] for e in events if e["event"] == "user"} == {"socketio"}
    assert [e["text"] for e in events if e["event"] == "user"][:2] == ["/greet", users[0]]


@pytest.fixture
async def socket(services: Any) -> AsyncIterator[WidgetSocket]:
    async with WidgetSocket(RASA) as connection:
        yield connection


@pytest.mark.parametrize(("event", "error"), [
    (lambda s: {"message": 42, "session_id": s}, "'message' must be a string"),
    (lambda s: {"message": "x" * 50_001, "session_id": s}, "'message' must be at most 50000 characters"),
    (lambda s: b"\x00\xff binary frame", "the event must be an object with 'message' and 'session_id'"),
    (lambda s: {"message": b"\x00\xff", "session_id": s}, "'message' must be a string"),
    (lambda s: {"message": "hi", "session_id": ["not", "an", "id"]}, "'session_id' must be 1 to 128"),
    (lambda s: {"message": "hi", "session_id": "someone-elses-conversation"}, "is not the session confirmed"),
    (lambda s: {"message": "hi", "session_id": s, "customData": "customer_token=x"},
     "'customData' must be a JSON object"),
])
async def test_malformed_events_get_an_error_event_and_the_connection_goes_on(socket: WidgetSocket, event: Any,
                                                                              error: str) -> None:
    session = await socket.session()
    await socket.utter(event(session))
    assert error in (await socket.next(ERROR_EVENT))["error"]
    assert "virtual assistant" in (await socket.say(session, "hi"))[0]["text"]


async def test_only_the_customer_token_is_kept_and_a_bad_session_request_gets_a_fresh_session(
        socket: WidgetSocket, bot: Bot) -> None:
    session = await socket.session(ask="../../etc/passwd")
    assert len(session) == 32 and session != "../../etc/passwd"
    posing = {"channel": "voice", "alternatives": [{"transcript": "four oh three", "confidence": 1}], "dtmf": "1"}
    await socket.utter({"message": "hi", "session_id": session, "customData": posing})
    await socket.next("bot_uttered")
    [user] = [e for e in bot.tracker(session)["events"] if e["event"] == "user"]
    assert user["input_channel"] == "socketio"
    assert not set(posing) & set(user["metadata"]), user["metadata"]
    mine = f"web-{uuid.uuid4().hex}"
    assert await socket.session(ask=mine) == mine, "a well-formed session id is kept"
