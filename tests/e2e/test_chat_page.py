"""The customer chat page in headless Chromium against the real Rasa: greeting to a knowledge answer and a vote.

The web app is started the way `make run` starts it (the ``web`` fixture), on
the same app and tracker databases as the assistant, so the dashboard's API
then reports the conversation the browser just had.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.browser import Browser


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


BOT_TEXTS = "[...document.querySelectorAll('#log .message.bot .text')].map(e => e.textContent)"


async def test_a_customer_chats_from_greeting_to_a_knowledge_answer(web: str) -> None:
    async with Browser() as page:
        await page.goto(web + "/")
        await page.wait_for("document.body.dataset.ready === 'true'")
        sender = await page.evaluate("sessionStorage.getItem('frontdoor-sender')")
        await page.type_and_send("hi")
        await page.wait_for("document.body.dataset.replies === '1'")
        greeting = await page.evaluate(BOT_TEXTS)
        await page.type_and_send("how much does it cost to send 1,200 pounds?")
        await page.wait_for("document.querySelectorAll('#log .choices button').length === 2")
        answer = await page.evaluate(BOT_TEXTS)
        choices = await page.evaluate("[...document.querySelectorAll('#log .choices button')].map(b => b.textContent)")
        typing_hidden = await page.evaluate("document.getElementById('typing').hidden")
        live = await page.evaluate("document.getElementById('log').getAttribute('aria-live')")
        label = await page.evaluate("document.querySelector('label[for=message]').textContent")
        await page.evaluate("document.querySelector('#log .choices button').click()")
        await page.wait_for("[...document.querySelectorAll('#log .message.bot .text')]"
                            ".some(e => e.textContent.includes('glad that helped'))")
        user_lines = await page.evaluate("[...document.querySelectorAll('#log .message.user .text')]"
                                         ".map(e => e.textContent)")
        errors = list(page.errors)
    assert errors == []
    assert "virtual assistant" in greeting[0]
    assert any("Sending 1,200 GBP costs 2.99 GBP." in text for text in answer)
    assert answer[-1] == "Did that answer your question?"
    assert choices == ["Yes, thanks", "No"]
    assert typing_hidden is True and live == "polite" and label == "Your message"
    assert user_lines == ["hi", "how much does it cost to send 1,200 pounds?", "Yes, thanks"]
    rows = api(f"{web}/api/analytics/conversations?page_size=200")["conversations"]
    mine = [row for row in rows if row["conversation_id"] == sender]
    assert len(mine) == 1
    assert (mine[0]["channel"], mine[0]["contact_reason"], mine[0]["outcome"]) == ("chat", "fees", "in_progress")
    summary = api(f"{web}/api/analytics/summary")
    article = next(a for a in summary["knowledge"] if a["article_id"] == "fees-by-amount")
    assert article["shown"] >= 1 and article["helpful"] >= 1
