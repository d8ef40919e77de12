"""A stand-in LibreTranslate server on loopback: the published ``/translate`` and ``/detect`` contract.

Translation is a fixed dictionary (into English) and a ``[fr] ...`` marker (out of English), so tests know
every answer. Requests are checked as LibreTranslate checks them: a missing ``q``/``source``/``target`` or an
unsupported language is a 400 ``{"error"}``, a wrong ``api_key`` a 403; ``fail_with`` forces a status and
``delay`` a slow answer (a timeout for the client).
"""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any, Dict, List, Optional

from aiohttp import web

LANGUAGES = ("en", "fr", "es", "de", "tr")
"""Turkish is one the local detector does not know: only the server can tell it."""
INTO_ENGLISH: Dict[str, str] = {
    "je voudrais savoir combien coûte un envoi de 500 livres vers le kenya":
        "how much does it cost to send 500 GBP to Kenya",
    "quiero hablar con un agente por favor ahora mismo": "I want to speak to an agent please right now",
    "wie hoch sind die gebühren für eine überweisung nach kenia": "what are the fees for a transfer to Kenya",
    "param nerede lütfen yardım edin": "where is my money please help",
}
_MARKERS = {"fr": ("je", "voudrais", "vers", "combien"), "es": ("quiero", "hablar", "por"),
            "de": ("wie", "sind", "die", "nach"), "tr": ("param", "nerede", "lütfen", "yardım")}


class StandInLibreTranslate:
    """Runs in its own thread and event loop, so sync e2e tests and async unit tests can both use it."""

    def __init__(self, api_key: Optional[str] = None) -> None:
        self.api_key = api_key
        self.fail_with: Optional[int] = None
        self.delay = 0.0
        self.requests: List[Dict[str, Any]] = []
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> StandInLibreTranslate:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *_: Any) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/translate", self._translate)
        app.router.add_post("/detect", self._detect)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def _body(self, request: web.Request) -> Dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text='{"error": "Invalid request: body is not JSON"}',
                                     content_type="application/json") from None
        self.requests.append({"path": request.path, **body})
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with:
            raise _error(self.fail_with, "Translation failed")
        if self.api_key is not None and body.get("api_key") != self.api_key:
            raise _error(403, "Invalid API key")
        if not isinstance(body.get("q"), str):
            raise _error(400, "Invalid request: missing q parameter")
        return dict(body)

    async def _translate(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        source, target = body.get("source"), body.get("target")
        for name in ("source", "target"):
            if not body.get(name):
                raise _error(400, f"Invalid request: missing {name} parameter")
        for code in (source, target):
            if code not in LANGUAGES:
                raise _error(400, f"{code} is not supported")
        text = str(body["q"])
        if target == "en":
            translated = INTO_ENGLISH.get(" ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()), text)
        else:
            translated = f"[{target}] {text}"
        return web.json_response({"translatedText": translated})

    async def _detect(self, request: web.Request) -> web.Response:
        words = str((await self._body(request))["q"]).lower().split()
        scores = {code: 100.0 * sum(w in markers for w in words) / max(len(words), 1)
                  for code, markers in _MARKERS.items()}
        best = max(scores, key=lambda code: scores[code])
        if scores[best] == 0:
            return web.json_response([{"confidence": 90.0, "language": "en"}])
        return web.json_response([{"confidence": min(100.0, 4 * scores[best]), "language": best}])


def _error(status: int, message: str) -> web.HTTPException:
    kind = {400: web.HTTPBadRequest, 403: web.HTTPForbidden, 429: web.HTTPTooManyRequests}.get(
        status, web.HTTPInternalServerError)
    return kind(text=f'{{"error": "{message}"}}', content_type="application/json")
