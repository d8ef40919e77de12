"""The web widget page (``/widget``): Rasa Webchat, vendored, talking socket.io straight to Rasa.

The browser connects to Rasa's socket.io channel itself (not through this app),
so the page's CSP must allow that one origin, and the page learns where it is
from ``/api/webchat``: Rasa's public URL is ``WEBCHAT_SOCKET_URL`` when set
(behind a proxy it differs from the ``RASA_URL`` this app uses), else ``RASA_URL``.
The widget injects its stylesheet as ``<style>`` elements (with ``data:`` fonts),
hence ``'unsafe-inline'`` styles on this page only; scripts stay ``'self'``.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from aiohttp import web

from frontdoor.paths import ROOT

SOCKET_URL_ENV = "WEBCHAT_SOCKET_URL"
SOCKET_PATH = "/socket.io/"
"""Rasa's default ``socketio_path`` (credentials.yml keeps it)."""
PAGE = ROOT / "frontdoor" / "web" / "static" / "widget.html"


@dataclass(frozen=True)
class Webchat:
    socket_url: str
    csp: str


WEBCHAT: web.AppKey[Webchat] = web.AppKey("webchat", Webchat)


def webchat(rasa_url: str) -> Webchat:
    """Where the widget connects and the page's policy; a malformed URL stops the app at start-up."""
    url = (os.environ.get(SOCKET_URL_ENV) or rasa_url).rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{SOCKET_URL_ENV} (or RASA_URL) must be an http(s) URL, not {url!r}")
    socket = "wss" if parts.scheme == "https" else "ws"
    csp = ("default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; "
           f"script-src 'self'; connect-src 'self' {parts.scheme}://{parts.netloc} {socket}://{parts.netloc}; "
           "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    return Webchat(url, csp)


async def page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache",
                                           "Content-Security-Policy": request.app[WEBCHAT].csp})


async def config(request: web.Request) -> web.Response:
    return web.json_response({"socket_url": request.app[WEBCHAT].socket_url, "socket_path": SOCKET_PATH})


def add_routes(app: web.Application, rasa_url: str) -> None:
    app[WEBCHAT] = webchat(rasa_url)
    app.router.add_get("/widget", page)
    app.router.add_get("/api/webchat", config)
