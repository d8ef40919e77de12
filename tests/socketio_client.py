"""A socket.io client speaking Rasa Webchat's protocol to Rasa (python-socketio), for the channel tests.

It records every event it receives, so a test can wait for the next one of a kind, and sends what no
widget would (binary frames, wrong types) as easily as what one does.
"""

from __future__ import annotations

import asyncio
from typing import Any, List, Tuple

import socketio

WAIT_SECONDS = 60.0


class WidgetSocket:
    """``async with WidgetSocket(url) as socket``: one websocket connection to Rasa's ``/socket.io``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: List[Tuple[str, Any]] = []

        @self.client.on("*")
        async def record(event: str, *data: Any) -> None:
            self.received.append((event, data[0] if len(data) == 1 else data))

    async def __aenter__(self) -> WidgetSocket:
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["websocket"])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.disconnect()

    async def next(self, name: str, timeout: float = WAIT_SECONDS) -> Any:
        """The next ``name`` event's data (dropping what came before it), waiting at most ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for index, (event, data) in enumerate(self.received):
                if event == name:
                    del self.received[: index + 1]
                    return data
            if loop.time() > deadline:
                raise AssertionError(f"no {name!r} event; got {self.received}")
            await asyncio.sleep(0.05)

    async def session(self, ask: Any = None) -> str:
        """Ask for a session as rasa-webchat does on connect; the id the server confirmed."""
        await self.client.emit("session_request", {"session_id": ask})
        return str(await self.next("session_confirm"))

    async def utter(self, event: Any) -> None:
        await self.client.emit("user_uttered", event)

    async def say(self, session: str, text: str) -> List[Any]:
        """Send ``text`` and collect the bot's messages until none comes for a second."""
        await self.utter({"message": text, "session_id": session})
        replies = [await self.next("bot_uttered")]
        while True:
            try:
                replies.append(await self.next("bot_uttered", timeout=1.0))
            except AssertionError:
                return replies
