"""Real servers on loopback: the action server and `rasa run` with the trained model."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import sqlalchemy as sa

from frontdoor.launcher import HOST, Services, assistant_specs, handoff_specs, web_specs
from frontdoor.model_hash import model_path
from frontdoor.paths import ROOT
from tests.browser import chromium_path
from tests.conftest import POSTGRES_URL, require_server

RASA_PORT = int(os.environ.get("FRONTDOOR_TEST_RASA_PORT", "15005"))
ACTIONS_PORT = int(os.environ.get("FRONTDOOR_TEST_ACTIONS_PORT", "15055"))
QUEUE_PORT = int(os.environ.get("FRONTDOOR_TEST_QUEUE_PORT", "18001"))
WEB_PORT = int(os.environ.get("FRONTDOOR_TEST_WEB_PORT", "18000"))
"""The web app of the page tests; Rasa's CORS admits it (the widget talks socket.io to Rasa from there)."""
TOKEN_SECRET = "e2e-token-secret-with-at-least-32-bytes!!"
VOICE_SECRET = "e2e-voice-webhook-secret"
VOICE_PATH = "/webhooks/voice/webhook"
TWILIO_TOKEN = "e2e-twilio-auth-token"
TWILIO_WAIT_URL = "https://hold.example.com/zurisend"
IN_HOURS = "2026-12-03T12:00:00Z"
"""The handoff clock of the shared servers (``FRONTDOOR_CLOCK``): noon in London, phone agents at work."""


def voice_signature(body: bytes, secret: str, at: Optional[int] = None) -> str:
    """``X-Frontdoor-Signature`` as a gateway computes it, with hmac directly (not the code under test)."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def current_model() -> Path:
    """``$FRONTDOOR_MODEL``, else the model trained from this tree (not the newest file: wrong after a revert)."""
    named = os.environ.get("FRONTDOOR_MODEL")
    if named:
        return Path(named)
    model = model_path()
    if not model.is_file():
        pytest.fail(f"{model.relative_to(ROOT)} (the model of the current tree) is missing: run `make train` "
                    "(make test does), or name a model with FRONTDOOR_MODEL=")
    return model


class Bot:
    """A customer talking to the running assistant over the REST channel, or a gateway over the voice channel.

    With ``api_token`` every request carries Rasa's ``?token=``; with ``voice_secret`` voice turns are signed.
    """

    def __init__(self, rasa_port: int, api_token: Optional[str] = None, voice_secret: Optional[str] = None) -> None:
        self.base = f"http://{HOST}:{rasa_port}"
        self.api_token, self.voice_secret = api_token, voice_secret

    def request(self, method: str, path: str, body: Optional[bytes] = None,
                headers: Optional[Dict[str, str]] = None) -> tuple[int, bytes]:
        if self.api_token:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode({"token": self.api_token})
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers=headers or {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def voice(self, body: bytes) -> tuple[int, bytes]:
        """POST a call turn, signed when the server has a secret."""
        headers = {"Content-Type": "application/json"}
        if self.voice_secret:
            headers["X-Frontdoor-Signature"] = voice_signature(body, self.voice_secret)
        return self.request("POST", VOICE_PATH, body, headers)

    def say(self, sender: str, text: Any, metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        status, body = self.request("POST", "/webhooks/rest/webhook", json.dumps(payload).encode())
        assert status == 200, body
        return json.loads(body)

    def tracker(self, sender: str) -> Dict[str, Any]:
        status, body = self.request("GET", f"/conversations/{sender}/tracker")
        assert status == 200, body
        return json.loads(body)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("servers")
    env = {
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "DATABASE_URL": f"sqlite:///{tmp / 'app.db'}",
        "QUEUE_DATABASE_URL": f"sqlite:///{tmp / 'queue.db'}",
        "HANDOFF_WEBHOOK_URL": f"http://{HOST}:{QUEUE_PORT}/cases",
        "HANDOFF_POLL_SECONDS": "0.2",
        "CUSTOMER_TOKEN_SECRET": TOKEN_SECRET,
        "VOICE_WEBHOOK_SECRET": VOICE_SECRET,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WAIT_URL": TWILIO_WAIT_URL,
        "TWILIO_PUBLIC_URL": "",  # Twilio signs the URL it calls: here the loopback one
        "TWILIO_QUEUE": "", "TWILIO_DIAL": "",  # config/handoff.yml's queue, whatever the shell exports
        "RASA_AUTH_TOKEN": "",  # the embedded default, whatever the developer's shell exports
        "FRONTDOOR_CLOCK": IN_HOURS,  # phone agents are working, whatever the time the tests run
    }
    subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, **env}, check=True,
                   stdout=subprocess.DEVNULL)
    group = Services(
        handoff_specs(QUEUE_PORT, env) + assistant_specs(current_model(), RASA_PORT, ACTIONS_PORT, extra_env=env,
                                                         web_port=WEB_PORT),
        log_dir=tmp / "logs",
    )
    with group:
        yield group


@pytest.fixture(scope="session")
def web(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app as `make run` starts it, on the assistant's databases; only for the page tests, which need
    Chromium (skipped without it, failed under CI)."""
    chromium_path()
    specs = web_specs(WEB_PORT, RASA_PORT)
    for spec in specs:
        spec.env.update({name: services.specs[0].env[name] for name in ("DATABASE_URL", "TRACKER_URL")})
    with Services(specs, log_dir=tmp_path_factory.mktemp("web-logs")):
        yield f"http://{HOST}:{WEB_PORT}"


@pytest.fixture(scope="session")
def app_db(services: Services) -> str:
    """The app database the servers under test write to."""
    return next(spec.env["DATABASE_URL"] for spec in services.specs if spec.name == "actions")


class Queue:
    """The reference queue receiver the handoff worker delivers to."""

    def __init__(self, port: int) -> None:
        self.base = f"http://{HOST}:{port}"

    def cases(self) -> List[Dict[str, Any]]:
        with urllib.request.urlopen(self.base + "/cases", timeout=10) as response:
            body = json.loads(response.read())
        return body["cases"] if isinstance(body, dict) else body

    def cases_for(self, conversation_id: str, timeout: float = 30.0) -> List[Dict[str, Any]]:
        """The cases of one conversation, waiting (bounded) for the worker to deliver at least one."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.cases() if (c.get("case") or c).get("conversation_id") == conversation_id]
            if found or time.monotonic() > deadline:
                return [c.get("case") or c for c in found]
            time.sleep(0.3)


@pytest.fixture(scope="session")
def queue(services: Services) -> Queue:
    return Queue(QUEUE_PORT)


@pytest.fixture(scope="session")
def bot(services: Services) -> Bot:
    return Bot(RASA_PORT, voice_secret=VOICE_SECRET)


def texts(replies: List[Dict[str, Any]]) -> str:
    return " ".join(r.get("text") or "" for r in replies)


@pytest.fixture(scope="module")
def schema_url():
    """The app database in a PostgreSQL schema of its own, seeded with the demo tenant, dropped afterwards."""
    require_server("PostgreSQL", "127.0.0.1", 5432)
    schema = f"e2e_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    subprocess.run([sys.executable, "-m", "frontdoor.db", "seed"], env={**os.environ, "DATABASE_URL": url},
                   check=True, stdout=subprocess.DEVNULL)
    yield url
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()
