"""The reference receiver over real HTTP on loopback: signature checks, validation, idempotency, agent view."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, AsyncIterator, Dict, Optional

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from frontdoor.handoff.case import case_body
from frontdoor.queue.app import make_app
from frontdoor.queue.store import create_queue_schema, list_cases
from tests.handoff_support import leaked, sample_case

SECRET = b"test-secret"


def signed_headers(body: bytes, *, at: Optional[int] = None, secret: bytes = SECRET) -> Dict[str, str]:
    """Computed here with hmac directly, independently of frontdoor.signing."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Frontdoor-Signature": f"t={timestamp},v1={digest}", "Content-Type": "application/json"}


@pytest.fixture
async def client(db_engine: Engine) -> AsyncIterator[TestClient]:
    create_queue_schema(db_engine)
    async with TestClient(TestServer(make_app(db_engine, SECRET, max_body=64 * 1024))) as test_client:
        yield test_client


async def post(client: TestClient, body: bytes, headers: Dict[str, str]) -> Any:
    response = await client.post("/cases", data=body, headers=headers)
    return response.status, await response.json()


async def test_a_signed_case_is_stored_once_and_duplicates_are_acknowledged(client: TestClient) -> None:
    case = sample_case()
    body = case_body(case)
    headers = {**signed_headers(body), "Idempotency-Key": case["case_id"]}
    assert await post(client, body, headers) == (200, {"case_id": case["case_id"], "duplicate": False})
    assert await post(client, body, headers) == (200, {"case_id": case["case_id"], "duplicate": True})
    listed = await (await client.get("/cases")).json()
    assert [(item["case"], item["receipts"]) for item in listed] == [(case, 2)]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing"),
        ({"X-Frontdoor-Signature": "v1=abc"}, "malformed"),
        ({"X-Frontdoor-Signature": "t=notanumber,v1=abc"}, "malformed"),
        ("stale", "stale"),
        ("future", "stale"),
        ("wrong-secret", "does not match"),
        ("tampered", "does not match"),
    ],
)
async def test_bad_or_stale_signatures_are_rejected_with_401(client: TestClient, headers: Any, reason: str) -> None:
    body = case_body(sample_case())
    if headers == "stale":
        headers = signed_headers(body, at=int(time.time()) - 601)
    elif headers == "future":
        headers = signed_headers(body, at=int(time.time()) + 601)
    elif headers == "wrong-secret":
        headers = signed_headers(body, secret=b"other")
    elif headers == "tampered":
        headers = signed_headers(body)
        body = body.replace(b'"priority":"urgent"', b'"priority":"normal"')
    status, answer = await post(client, body, headers)
    assert status == 401 and reason in answer["error"]
    assert await (await client.get("/cases")).json() == []


async def test_a_signature_within_ten_minutes_is_accepted(client: TestClient) -> None:
    body = case_body(sample_case())
    assert (await post(client, body, signed_headers(body, at=int(time.time()) - 590)))[0] == 200


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", json.dumps({"case_id": "x"}).encode(), case_body({**sample_case(), "priority": "asap"})],
)
async def test_signed_but_invalid_payloads_get_400(client: TestClient, body: bytes) -> None:
    status, answer = await post(client, body, signed_headers(body))
    assert status == 400 and answer["error"]


async def test_idempotency_key_must_match_the_case(client: TestClient) -> None:
    body = case_body(sample_case())
    status, answer = await post(client, body, {**signed_headers(body), "Idempotency-Key": "something-else"})
    assert status == 400 and "Idempotency-Key" in answer["error"]


async def test_oversized_bodies_get_413(client: TestClient) -> None:
    body = b'{"padding": "' + b"x" * (70 * 1024) + b'"}'
    response = await client.post("/cases", data=body, headers=signed_headers(body))
    assert response.status == 413


async def test_agent_view_lists_cases_with_their_summary_and_escapes_all_text(
    client: TestClient, db_engine: Engine
) -> None:
    events_case = sample_case()
    hostile = sample_case("conv-<b>2</b>", customer=None)
    hostile["summary"]["customer_quote"] = "<script>alert('x')</script> where is my money"
    hostile["transcript"][0]["text"] = "<img src=x onerror=alert(1)>"
    for case in (events_case, hostile):
        body = case_body(case)
        assert (await post(client, body, signed_headers(body)))[0] == 200
    page = await (await client.get("/")).text()
    assert "<script>" not in page and "<img" not in page and "<b>2</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert events_case["summary"]["headline"].split(":")[0] in page
    assert "fraud_report" in page and "urgent" in page and "ZS40318822" in page
    assert "NOT verified" in page and "(verified, knowledge_check)" in page
    assert "Recognised the contact reason" in page and "Contact reason: Reporting fraud or a scam" in page
    assert "[card number]" in page and "[date of birth]" in page
    assert leaked(page) == []
    assert len(list_cases(db_engine)) == 2
