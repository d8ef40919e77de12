"""Headless Chromium driven over the Chrome DevTools protocol (aiohttp websocket), for the page tests.

Collects uncaught exceptions, console errors and browser log errors (CSP
violations, failed loads) so a test can assert a page produced none.
Skips with the reason when Chromium is missing on a dev box; under CI it
must be there (``.ci/run`` installs Debian's package).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from typing import Any, Dict, List, Optional

import aiohttp
import pytest

from tests.conftest import IN_CI

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
WAIT_SECONDS = 60.0


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if IN_CI:
        pytest.fail("chromium is not installed (CI=true: .ci/run installs it with apt-get)")
    pytest.skip("chromium is not installed; `apt-get install -y chromium` to run the browser tests")


class Browser:
    """One headless Chromium with one page; use ``async with Browser() as page``."""

    def __init__(self) -> None:
        self.errors: List[str] = []
        self._profile = tempfile.TemporaryDirectory(prefix="frontdoor-chromium-", ignore_cleanup_errors=True)
        self._process: Optional[subprocess.Popen] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._socket: Optional[aiohttp.ClientWebSocketResponse] = None
        self._pending: Dict[int, asyncio.Future] = {}
        self._events: List[Dict[str, Any]] = []
        self._next_id = 0
        self._reader: Optional[asyncio.Task] = None

    async def __aenter__(self) -> Browser:
        self._process = subprocess.Popen(
            [chromium_path(), *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        port = await asyncio.to_thread(self._devtools_port)
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(t for t in targets if t.get("type") == "page")
        self._socket = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        for domain in ("Page", "Runtime", "Log"):
            await self.send(f"{domain}.enable")
        return self

    def _devtools_port(self) -> int:
        assert self._process is not None and self._process.stderr is not None
        for line in self._process.stderr:
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                return int(match.group(1))
        raise RuntimeError("chromium exited before opening the DevTools port")

    async def __aexit__(self, *exc: object) -> None:
        if self._reader:
            self._reader.cancel()
        if self._socket:
            await self._socket.close()
        if self._session:
            await self._session.close()
        if self._process:
            self._stop(self._process)
        self._profile.cleanup()

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        """Stop Chromium and its helper processes (its own process group), so none still writes the profile."""
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            process.wait()

    async def _read(self) -> None:
        assert self._socket is not None
        async for message in self._socket:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._pending:
                self._pending.pop(data["id"]).set_result(data)
                continue
            self._events.append(data)
            self._record_error(data)

    def _record_error(self, event: Dict[str, Any]) -> None:
        method, params = event.get("method"), event.get("params") or {}
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails") or {}
            self.errors.append(f"exception: {(details.get('exception') or {}).get('description') or details}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            words = [str(a.get("value", a.get("description"))) for a in params["args"]]
            self.errors.append("console: " + " ".join(words))
        elif method == "Log.entryAdded" and (params.get("entry") or {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")

    async def send(self, method: str, **params: Any) -> Dict[str, Any]:
        assert self._socket is not None
        self._next_id += 1
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self._socket.send_json({"id": self._next_id, "method": method, "params": params})
        reply = await asyncio.wait_for(future, WAIT_SECONDS)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result") or {})

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_for("document.readyState === 'complete'")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return (result.get("result") or {}).get("value")

    async def wait_for(self, expression: str, timeout: float = WAIT_SECONDS) -> Any:
        """Poll until ``expression`` is truthy; a page that never gets there fails with the expression."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"page never satisfied {expression!r}; errors: {self.errors}")
            await asyncio.sleep(0.2)

    async def type_and_send(self, text: str, box: str = "#message") -> None:
        """Type into the chat box (CSS selector ``box``) key by key, then press Enter (the keyboard path a
        customer uses)."""
        await self.evaluate(f"document.querySelector({json.dumps(box)}).focus()")
        await self.send("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            await self.send("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                            windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
