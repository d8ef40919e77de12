"""Routes of the web app: ``/`` chat, ``/dashboard``, ``/api/analytics/*``, ``POST /api/chat`` (proxy to Rasa),
``/widget`` (Rasa Webchat over socket.io, ``frontdoor.web.widget``).

Every analytics request first folds new tracker events (``ingest``), then
aggregates the folded rows, in a worker thread so the event loop keeps
serving the chat page. Pages are static files with a strict CSP: all text
from the API is inserted as text, never as HTML.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

import aiohttp
from aiohttp import web
from sqlalchemy.engine import Engine

from frontdoor.analytics.ingest import ingest
from frontdoor.analytics.params import ParamError, filters_from, outcome_from, page_from
from frontdoor.analytics.summary import conversations, summary
from frontdoor.inbound import CUSTOMER_TOKEN, MAX_BODY_BYTES, InvalidMessage, parse_optional_json, parse_rest_payload
from frontdoor.paths import ROOT
from frontdoor.web import widget

log = logging.getLogger(__name__)

STATIC = ROOT / "frontdoor" / "web" / "static"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


@dataclass
class Context:
    app_engine: Engine
    tracker_engine: Engine
    rasa_url: str = DEFAULT_RASA_URL
    clock: Callable[[], float] = time.time
    """Injectable so tests can ask "what are the outcomes at this moment?"."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ingest_then(self, query: Any) -> Any:
        """Fold new events, then run ``query``: one ingester per process at a time."""
        with self.lock:
            ingest(self.app_engine, self.tracker_engine)
        return query()


CONTEXT: web.AppKey[Context] = web.AppKey("context", Context)
SESSION: web.AppKey[aiohttp.ClientSession] = web.AppKey("session", aiohttp.ClientSession)


def rasa_url() -> str:
    return (os.environ.get("RASA_URL") or DEFAULT_RASA_URL).rstrip("/")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def _page(request: web.Request) -> web.FileResponse:
    name = "dashboard.html" if request.path == "/dashboard" else "index.html"
    return web.FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _summary(request: web.Request) -> web.Response:
    context = request.app[CONTEXT]
    try:
        filters = filters_from(request.query, "summary")
    except ParamError as error:
        return _error(400, str(error))
    body = await asyncio.to_thread(
        context.ingest_then, lambda: summary(context.app_engine, filters, now=context.clock())
    )
    return web.json_response(body)


async def _conversations(request: web.Request) -> web.Response:
    context = request.app[CONTEXT]
    try:
        filters = filters_from(request.query, "conversations")
        outcome = outcome_from(request.query)
        page, size = page_from(request.query)
    except ParamError as error:
        return _error(400, str(error))
    body = await asyncio.to_thread(
        context.ingest_then,
        lambda: conversations(context.app_engine, filters, outcome=outcome, page=page, page_size=size,
                              now=context.clock()),
    )
    return web.json_response(body)


def _chat_payload(raw: bytes) -> Dict[str, Any]:
    """The REST-channel body for Rasa, checked by the REST channel's own code, or ``InvalidMessage``.

    Checking here with other rules would let through what Rasa then refuses: a clear 400 would become a 502.
    """
    body = parse_optional_json(raw)
    if not isinstance(body, dict):
        raise InvalidMessage("the body must be a JSON object with 'sender' and 'message'")
    token = body.get(CUSTOMER_TOKEN)
    message = parse_rest_payload({"sender": body.get("sender"), "message": body.get("message"),
                                  "metadata": {} if token is None else {CUSTOMER_TOKEN: token}})
    return {"sender": message.sender, "message": message.text, "metadata": message.metadata}


async def _chat(request: web.Request) -> web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _error(413, f"the body must be at most {MAX_BODY_BYTES} bytes")
    try:
        payload = _chat_payload(await request.content.read(MAX_BODY_BYTES + 1))
    except InvalidMessage as error:
        return _error(error.status, str(error))
    url = f"{request.app[CONTEXT].rasa_url}/webhooks/rest/webhook"
    try:
        async with request.app[SESSION].post(url, json=payload) as reply:
            if reply.status != 200:
                log.warning("Rasa answered %s to a chat message", reply.status)
                return _error(502, "the assistant could not answer; please try again")
            messages = await reply.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        log.warning("Rasa unreachable at %s: %s", url, type(error).__name__)
        return _error(502, "the assistant is not reachable right now; please try again shortly")
    return web.json_response(messages if isinstance(messages, list) else [])


async def _open_session(app: web.Application) -> Any:
    app[SESSION] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
    yield
    await app[SESSION].close()


def make_app(
    app_engine: Engine, tracker_engine: Engine, *, rasa: Optional[str] = None,
    clock: Callable[[], float] = time.time,
) -> web.Application:
    app = web.Application(middlewares=[_headers], client_max_size=MAX_BODY_BYTES)
    app[CONTEXT] = Context(app_engine, tracker_engine, (rasa or rasa_url()).rstrip("/"), clock)
    widget.add_routes(app, app[CONTEXT].rasa_url)
    app.cleanup_ctx.append(_open_session)
    app.router.add_get("/", _page)
    app.router.add_get("/dashboard", _page)
    app.router.add_get("/health", _health)
    app.router.add_get("/api/analytics/summary", _summary)
    app.router.add_get("/api/analytics/conversations", _conversations)
    app.router.add_post("/api/chat", _chat)
    app.router.add_static("/static/", STATIC, append_version=False)
    return app
