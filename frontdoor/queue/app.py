"""The reference receiver: ``POST /cases`` (signed webhook), ``GET /cases`` (JSON), ``GET /`` (agent view).

Order of checks is the contract: size (413), signature (401: missing, bad or
older than 10 minutes), JSON and schema (400), then an idempotent store that
answers 200 for a first delivery and for every duplicate alike.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Mapping

from aiohttp import web
from sqlalchemy.engine import Engine

from frontdoor.handoff.case import CaseInvalid, validate_case
from frontdoor.handoff.delivery import IDEMPOTENCY_HEADER
from frontdoor.queue.store import StoredCase, list_cases, store_case
from frontdoor.signing import SIGNATURE_HEADER, SignatureError, verify

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Above the largest valid case (200 turns of 2,000 characters, even in 3-byte UTF-8)."""
TOLERANCE_SECONDS = 600
"""The handoff contract allows 10 minutes of clock skew and queueing (docs/handoff.md)."""
ENGINE: web.AppKey[Engine] = web.AppKey("engine", Engine)
Clock = Callable[[], float]


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def make_app(
    engine: Engine,
    secret: bytes,
    *,
    clock: Clock = time.time,
    max_body: int = MAX_BODY_BYTES,
    tolerance: int = TOLERANCE_SECONDS,
) -> web.Application:
    """The receiver over ``engine`` (its schema must exist: ``create_queue_schema``)."""

    async def receive(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > max_body:
            return _error(413, f"body larger than {max_body} bytes")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _error(413, f"body larger than {max_body} bytes")
        try:
            verify(secret, body, request.headers.get(SIGNATURE_HEADER), clock(), tolerance)
        except SignatureError as error:
            log.warning("rejected a delivery: %s", error)
            return _error(401, str(error))
        try:
            case = json.loads(body)
            validate_case(case)
        except (ValueError, CaseInvalid) as error:
            return _error(400, str(error)[:1000])
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is not None and key != case["case_id"]:
            return _error(400, f"{IDEMPOTENCY_HEADER} does not match case_id")
        now = datetime.fromtimestamp(clock(), timezone.utc)
        created = await asyncio.to_thread(store_case, request.app[ENGINE], case, now=now)
        what = "stored" if created else "duplicate"
        log.info("%s case %s (%s, %s)", what, case["case_id"], case["category"], case["priority"])
        return web.json_response({"case_id": case["case_id"], "duplicate": not created})

    async def cases(request: web.Request) -> web.Response:
        stored = await asyncio.to_thread(list_cases, request.app[ENGINE])
        return web.json_response(
            [{"case": s.case, "received_at": s.received_at.isoformat(), "receipts": s.receipts} for s in stored]
        )

    async def agent_view(request: web.Request) -> web.Response:
        stored = await asyncio.to_thread(list_cases, request.app[ENGINE])
        return web.Response(text=render_agent_view(stored), content_type="text/html", charset="utf-8")

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=max_body)
    app[ENGINE] = engine
    app.router.add_post("/cases", receive)
    app.router.add_get("/cases", cases)
    app.router.add_get("/", agent_view)
    app.router.add_get("/health", health)
    return app


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _list(items: Any) -> str:
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items or []) + "</ul>"


def _transfer(transfer: Mapping[str, Any] | None) -> str:
    if not transfer:
        return "none"
    parts = [f"{_e(key.replace('_', ' '))}: {_e(value)}" for key, value in transfer.items() if value]
    return "; ".join(parts)


def _callback(callback: Mapping[str, Any] | None) -> str:
    """The call-back line of a call outside phone hours: what the agent must do first."""
    if not callback:
        return ""
    when = "URGENTLY, as soon as possible" if callback["urgent"] else f"from {_e(callback['not_before'])}"
    return f'<p class="callback"><b>Call back {when}</b> (the call came outside phone hours)</p>\n  '


def _card(stored: StoredCase) -> str:
    case: Dict[str, Any] = stored.case
    summary, customer = case["summary"], case["customer"]
    verified = "verified" if customer["verified"] else "NOT verified"
    transcript = "".join(
        f'<p class="{_e(turn["speaker"])}"><b>{_e(turn["speaker"])}</b>: {_e(turn["text"])}</p>'
        for turn in case["transcript"]
    )
    return f"""
<section class="case {_e(case['priority'])}">
  <h2>{_e(summary['headline'])}</h2>
  <p class="meta"><span class="priority">{_e(case['priority'])}</span> · queue {_e(case.get('queue') or 'not named')}
    · {_e(case['category'])}
    · {_e(case['handoff_reason'])} · {_e(case['channel'])} · case {_e(case['case_id'])}
    · received {_e(stored.received_at.isoformat())}</p>
  <p>Customer: {_e(customer['id'] or 'unknown')} ({_e(verified)}, {_e(customer['how'])})
    · sentiment {_e(summary['sentiment'])}</p>
  {_callback(case.get('callback'))}<p>Transfer: {_transfer(case['transfer'])}</p>
  <p>Customer said: <q>{_e(summary['customer_quote'])}</q></p>
  <h3>Facts</h3>{_list(summary['facts'])}
  <h3>What the bot did</h3>{_list(summary['bot_actions'])}
  <details><summary>Transcript (redacted, {len(case['transcript'])} turns)</summary>{transcript}</details>
</section>"""


def render_agent_view(stored: list[StoredCase]) -> str:
    """Every case, most urgent first; all text escaped."""
    cards = "".join(_card(s) for s in stored) or "<p>No cases yet.</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="15">
<title>Frontdoor reference queue ({len(stored)})</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; }}
.case {{ border: 1px solid #ccc; border-left: 6px solid #888; padding: 0 1rem; margin-bottom: 1rem; }}
.case.urgent {{ border-left-color: #c00; }} .case.high {{ border-left-color: #e80; }}
.meta {{ color: #555; font-size: 0.9rem; }} .priority {{ text-transform: uppercase; font-weight: bold; }}
.customer {{ color: #024; }} .callback {{ color: #a00; }} .bot {{ color: #555; }}
</style></head>
<body><h1>Frontdoor reference queue: {len(stored)} case(s)</h1>{cards}</body></html>
"""
