"""The analytics API over HTTP (aiohttp test server, real databases), its 400s and the chat proxy's checks."""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from frontdoor.__main__ import main as cli
from frontdoor.web.app import CONTEXT, make_app
from frontdoor.web.widget import SOCKET_URL_ENV, webchat
from tests.analytics_support import EXPECTED, NOW, create_events, insert_events, interleaved, record_app_data, scripts
from tests.handoff_support import free_port


@pytest.fixture
async def client(db_engine: Engine) -> AsyncIterator[TestClient]:
    table = create_events(db_engine)
    insert_events(db_engine, table, interleaved(scripts()))
    record_app_data(db_engine)
    app = make_app(db_engine, db_engine, rasa=f"http://127.0.0.1:{free_port()}", clock=lambda: NOW)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def get(client: TestClient, path: str) -> Any:
    response = await client.get(path)
    return response.status, await response.json()


async def test_summary_returns_every_expected_figure(client: TestClient) -> None:
    status, body = await get(client, "/api/analytics/summary")
    assert status == 200
    assert body == EXPECTED
    status, again = await get(client, "/api/analytics/summary")
    assert again == EXPECTED, "a second request folds nothing new and answers the same"


async def test_summary_filters(client: TestClient) -> None:
    status, body = await get(client, "/api/analytics/summary?from=2026-11-18&to=2026-11-20&channel=chat")
    assert status == 200
    assert (body["conversations"], body["contained"], body["handed_off"], body["abandoned"], body["in_progress"]) == (
        4, 1, 1, 1, 1)
    assert body["deflection_rate"] == round(1 / 3, 4)
    assert body["filters"] == {"start": "2026-11-18T00:00:00+00:00", "end": "2026-11-21T00:00:00+00:00",
                               "channel": "chat"}


async def test_conversations_are_paginated_newest_first(client: TestClient) -> None:
    status, first = await get(client, "/api/analytics/conversations?page_size=4")
    assert status == 200 and first["total"] == 9 and first["page"] == 1
    assert [row["conversation_id"] for row in first["conversations"]] == [
        "voice-progress", "chat-handoff", "chat-progress", "voice-abandoned"]
    status, last = await get(client, "/api/analytics/conversations?page_size=4&page=3")
    assert [row["conversation_id"] for row in last["conversations"]] == ["chat-old"]
    status, handed = await get(client, "/api/analytics/conversations?outcome=handed_off&channel=voice")
    assert [(r["conversation_id"], r["outcome"], r["channel"]) for r in handed["conversations"]] == [
        ("voice-handoff", "handed_off", "voice")]
    assert handed["conversations"][0]["contact_reason"] == "transfer_status"


@pytest.mark.parametrize("path, message", [
    ("/api/analytics/summary?from=20-11-2026", "from must be a date as YYYY-MM-DD"),
    ("/api/analytics/summary?from=2026-11-21&to=2026-11-20", "from (2026-11-21) is after to (2026-11-20)"),
    ("/api/analytics/summary?channel=email", "channel must be one of chat, voice"),
    ("/api/analytics/summary?outcome=contained", "unknown parameter 'outcome'"),
    ("/api/analytics/conversations?outcome=resolved", "outcome must be one of"),
    ("/api/analytics/conversations?page=0", "page must be at least 1"),
    ("/api/analytics/conversations?page_size=500", "page_size must be at most 200"),
    ("/api/analytics/conversations?page=abc", "page must be a whole number"),
])
async def test_bad_parameters_get_400_with_a_clear_message(client: TestClient, path: str, message: str) -> None:
    status, body = await get(client, path)
    assert status == 400
    assert message in body["error"]


@pytest.mark.parametrize(("body", "status", "message"), [
    (b"not json", 400, "not valid UTF-8 JSON"),
    (b"[]", 400, "JSON object"),
    (json.dumps({"sender": "", "message": "hi"}).encode(), 400, "'sender' must be a non-empty string"),
    (json.dumps({"sender": " \t ", "message": "hi"}).encode(), 400, "'sender' must be a non-empty string"),
    (json.dumps({"sender": "s" * 129, "message": "hi"}).encode(), 400, "at most 128 characters"),
    (json.dumps({"sender": "s", "message": 5}).encode(), 400, "'message' must be a string"),
    (json.dumps({"sender": "s", "message": "x" * 50_001}).encode(), 413, "at most 50000 characters"),
    (b" " * (256 * 1024 + 1), 413, "at most 262144 bytes"),
], ids=["not-json", "list", "empty-sender", "whitespace-sender", "long-sender", "number-message", "long-message",
        "huge-body"])
async def test_chat_proxy_answers_bad_input_as_the_rest_channel_does(
    client: TestClient, body: bytes, status: int, message: str
) -> None:
    from frontdoor.inbound import InvalidMessage, parse_optional_json, parse_rest_payload

    response = await client.post("/api/chat", data=body)
    assert (response.status, message in (await response.json())["error"]) == (status, True)
    with pytest.raises(InvalidMessage, match=message.replace("'", ".")) as caught:
        parse_rest_payload(parse_optional_json(body))
    assert caught.value.status == status, "the REST channel's own validator answers the same"


async def test_chat_proxy_checks_the_token_with_the_rest_channels_rule(client: TestClient) -> None:
    response = await client.post("/api/chat", json={"sender": "s", "message": "hi", "customer_token": 5})
    assert response.status == 400
    assert "'customer_token' must be a string of at most 4096 characters" in (await response.json())["error"]


async def test_chat_proxy_reports_rasa_down(client: TestClient) -> None:
    response = await client.post("/api/chat", json={"sender": "s1", "message": "hello"})
    assert response.status == 502
    assert "not reachable" in (await response.json())["error"]


async def test_pages_are_served_with_a_strict_policy(client: TestClient) -> None:
    pages = (("/", b"aria-live"), ("/dashboard", b"Deflection dashboard"),
             ("/static/vendor/chart.umd.min.js", b"Chart.js v4.4.1"), ("/static/dashboard.js", b"textContent"))
    for path, marker in pages:
        async with client.get(path) as response:
            assert response.status == 200, path
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert marker in await response.read()
    assert (await get(client, "/health")) == (200, {"status": "ok"})


def test_cli_report_prints_the_summary(db_engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    from frontdoor.database import make_engine

    tracker = make_engine(tracker_url)
    insert_events(tracker, create_events(tracker), interleaved(scripts()))
    record_app_data(db_engine)
    assert cli(["report", "--since", "9999d", "--tracker-url", tracker_url], engine=db_engine) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert lines["all"] == ["9", "4", "2", "3", "0", "0", "44.4%", "44.4%"], "every conversation is idle by now"
    assert lines["identity_check_failed"] == ["1"]
    assert "the [date of birth]" in out and "nineteen" not in out
    assert cli(["report", "--since", "soon"], engine=db_engine) == 2
    tracker.dispose()


async def test_the_widget_page_may_reach_only_rasas_socket(client: TestClient) -> None:
    rasa = client.app[CONTEXT].rasa_url
    async with client.get("/widget") as response:
        assert response.status == 200
        csp = response.headers["Content-Security-Policy"]
        page = await response.read()
    assert b"/static/vendor/rasa-webchat.js" in page and b"/static/widget.js" in page
    assert f"connect-src 'self' {rasa} {rasa.replace('http://', 'ws://')};" in csp
    assert "script-src 'self';" in csp and "style-src 'self' 'unsafe-inline';" in csp
    assert (await get(client, "/api/webchat")) == (200, {"socket_url": rasa, "socket_path": "/socket.io/"})
    async with client.get("/static/vendor/rasa-webchat.js") as response:
        bundle = await response.text()
    assert bundle.startswith("/*! rasa-webchat 1.0.1,") and "@import url(http" not in bundle, "nothing from a CDN"


def test_the_widget_connects_to_the_public_rasa_url_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOCKET_URL_ENV, "https://chat.zurisend.example/")
    public = webchat("http://127.0.0.1:5005")
    assert public.socket_url == "https://chat.zurisend.example"
    assert "connect-src 'self' https://chat.zurisend.example wss://chat.zurisend.example;" in public.csp
    monkeypatch.setenv(SOCKET_URL_ENV, "chat.zurisend.example")
    with pytest.raises(ValueError, match="must be an http"):
        webchat("http://127.0.0.1:5005")
