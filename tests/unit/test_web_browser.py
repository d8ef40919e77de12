"""The dashboard in headless Chromium: loads with no console errors and shows exactly what the API returns."""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Dict, List

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.engine import Engine

from frontdoor.web.app import make_app
from tests.analytics_support import (
    NOW,
    Script,
    ago,
    create_events,
    insert_events,
    interleaved,
    record_app_data,
    scripts,
)
from tests.browser import Browser, chromium_path
from tests.handoff_support import free_port

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'


@pytest.fixture
async def server(db_engine: Engine) -> AsyncIterator[str]:
    chromium_path()
    hostile = (Script("chat-hostile", "chat", ago(hours=3)).session().user(HOSTILE, "nlu_fallback", 0.2)
               .action("action_clarify_topics").bot("Sorry?").action("action_listen"))
    insert_events(db_engine, create_events(db_engine), interleaved([*scripts(), hostile]))
    record_app_data(db_engine)
    app = make_app(db_engine, db_engine, rasa=f"http://127.0.0.1:{free_port()}", clock=lambda: NOW)
    async with TestServer(app, host="127.0.0.1", port=free_port()) as test_server:
        yield str(test_server.make_url("")).rstrip("/")


def shown(path: str, summary: Dict[str, Any]) -> str:
    """How the dashboard writes a figure (the same rules as dashboard.js)."""
    value: Any = summary
    for key in path.split("."):
        value = value[key]
    if value is None:
        return "-"
    if path in ("deflection_rate", "deflection_without_repeat_rate"):
        return f"{value * 100:.1f}%"
    if path == "csat.mean":
        return f"{value:.2f}"
    return str(value)


async def test_dashboard_shows_the_api_figures_without_errors(server: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{server}/api/analytics/summary") as response:
        summary = await response.json()
    assert summary["conversations"] == 10
    async with Browser() as page:
        await page.goto(f"{server}/dashboard")
        await page.wait_for("document.body.dataset.ready === 'true'")
        fields = await page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('[data-field]')]"
            ".map(e => [e.dataset.field, e.textContent]))")
        tables = await page.evaluate(
            "Object.fromEntries(['table-channel','table-reason','table-handoff','table-kb','table-missed']"
            ".map(id => [id, [...document.getElementById(id).rows].map(r => [...r.cells].map(c => c.textContent))]))")
        charts = await page.evaluate(
            "['chart-day','chart-channel','chart-reason','chart-handoff','chart-kb']"
            ".map(id => Chart.getChart(id) ? Chart.getChart(id).data.labels.length : -1)")
        pwned = await page.evaluate("document.body.dataset.pwned || null")
        images = await page.evaluate("document.querySelectorAll('img').length")
        errors = list(page.errors)
    assert errors == []
    assert fields == {path: shown(path, summary) for path in fields}
    assert set(fields) >= {"conversations", "contained", "handed_off", "abandoned", "in_progress", "deflection_rate",
                           "deflection_without_repeat_rate", "repeat_contacts",
                           "verification.passed", "verification.attempted", "csat.mean", "csat.count"}
    assert tables["table-missed"] == [[m["text"], m["kind"].replace("_", " "), str(m["count"])]
                                      for m in summary["missed"]]
    assert [HOSTILE, "fallback", "1"] in tables["table-missed"], "hostile text is shown as text"
    assert pwned is None and images == 0
    assert tables["table-kb"] == [[a["article_id"], str(a["shown"]), str(a["helpful"]), str(a["not_helpful"])]
                                  for a in summary["knowledge"]]
    assert tables["table-handoff"] == [[k, str(v)] for k, v in summary["handoff_reasons"].items()]
    for table, groups in (("table-channel", summary["by_channel"]), ("table-reason", summary["by_category"])):
        assert tables[table] == [[name, str(group["conversations"]), shown("deflection_rate", group),
                                  shown("deflection_without_repeat_rate", group)] for name, group in groups.items()]
    assert charts == [len(summary["by_day"]), 2, len(summary["by_category"]), len(summary["handoff_reasons"]),
                      len(summary["knowledge"])]


async def test_dashboard_filters_reload_the_figures(server: str) -> None:
    async with Browser() as page:
        await page.goto(f"{server}/dashboard?channel=voice&from=2026-11-20&to=2026-11-20")
        await page.wait_for("document.body.dataset.ready === 'true'")
        voice = await page.evaluate("document.querySelector('[data-field=conversations]').textContent")
        clean = list(page.errors)
        await page.evaluate("document.getElementById('from').value = '2026-11-21';"
                            "document.querySelector('#filters button').click()")
        await page.wait_for("document.body.dataset.ready === 'error'")
        status = await page.evaluate("document.getElementById('status').textContent")
        errors = list(page.errors)
    assert voice == "4"
    assert clean == [], json.dumps(clean)
    assert status == "Could not load the figures: from (2026-11-21) is after to (2026-11-20)"
    assert len(errors) == 1 and "status of 400" in errors[0], "only the refused request is logged"


@pytest.fixture
async def chat_server(db_engine: Engine) -> AsyncIterator[Dict[str, Any]]:
    """The web app in front of a stand-in for Rasa's REST channel that answers with a handoff."""
    chromium_path()
    received: List[Dict[str, Any]] = []

    async def rest_webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        if body["message"] == "/affirm":
            return web.json_response([{"recipient_id": body["sender"], "text": "Connecting you now."},
                                      {"recipient_id": body["sender"],
                                       "custom": {"handoff": True, "case_reference": "HO-1A2B3C4D"}}])
        return web.json_response([{"recipient_id": body["sender"], "text": "Shall I get you an **agent**?",
                                   "buttons": [{"title": "Yes please", "payload": "/affirm"},
                                               {"title": "No", "payload": "/deny"}]}])

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", rest_webhook)
    async with TestServer(rasa, host="127.0.0.1", port=free_port()) as rasa_server:
        app = make_app(db_engine, db_engine, rasa=str(rasa_server.make_url("")).rstrip("/"))
        async with TestServer(app, host="127.0.0.1", port=free_port()) as test_server:
            yield {"url": str(test_server.make_url("")).rstrip("/"), "received": received}


async def test_chat_page_buttons_token_and_handoff_state(chat_server: Dict[str, Any]) -> None:
    async with Browser() as page:
        await page.goto(chat_server["url"] + "/?token=signed.customer.token")
        await page.wait_for("document.body.dataset.ready === 'true'")
        await page.type_and_send("I want a person")
        await page.wait_for("document.querySelectorAll('#log .choices button').length === 2")
        first = await page.evaluate("document.querySelector('#log .message.bot .text').textContent")
        await page.evaluate("document.querySelector('#log .choices button').click()")
        await page.wait_for("!document.getElementById('handoff').hidden")
        handoff = await page.evaluate("document.getElementById('handoff').textContent")
        role = await page.evaluate("document.getElementById('handoff').getAttribute('role')")
        users = await page.evaluate(
            "[...document.querySelectorAll('#log .message.user .text')].map(e => e.textContent)")
        errors = list(page.errors)
    assert errors == []
    assert first == "Shall I get you an agent?", "Markdown emphasis is shown as plain text"
    assert handoff == "You're being connected to an agent, case HO-1A2B3C4D." and role == "status"
    assert users == ["I want a person", "Yes please"]
    received = chat_server["received"]
    assert [body["message"] for body in received] == ["I want a person", "/affirm"]
    assert all(body["metadata"] == {"customer_token": "signed.customer.token"} for body in received)
    assert received[0]["sender"] == received[1]["sender"] and received[0]["sender"].startswith("web-")
