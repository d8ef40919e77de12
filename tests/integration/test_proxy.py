"""HAProxy as the launcher configures it: its health URL answers 503 until a worker is up, then forwards to it and
names the worker in ``X-Frontdoor-Worker``."""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from frontdoor.proxy import HEALTH_PATH, write_config
from tests.conftest import require_haproxy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    """The HTTP status, or 0 while nothing listens yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0


def _eventually(url: str, status: int, timeout: float = 15.0) -> int:
    deadline = time.monotonic() + timeout
    while (seen := _status(url)) != status and time.monotonic() < deadline:
        time.sleep(0.2)
    return seen


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


def test_health_follows_the_workers_and_replies_name_the_worker(tmp_path: Path) -> None:
    binary = require_haproxy()
    proxy_port, worker_port = _free_port(), _free_port()
    config = write_config(tmp_path, "127.0.0.1", proxy_port, [worker_port])
    process = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    worker = None
    try:
        health = f"http://127.0.0.1:{proxy_port}{HEALTH_PATH}"
        assert _eventually(health, 503) == 503, "no worker up: not healthy"
        worker = http.server.HTTPServer(("127.0.0.1", worker_port), Hello)
        threading.Thread(target=worker.serve_forever, daemon=True).start()
        assert _eventually(health, 200) == 200, "the worker passed its check"
        with urllib.request.urlopen(f"http://127.0.0.1:{proxy_port}/", timeout=5) as response:
            assert (response.read(), response.headers["X-Frontdoor-Worker"]) == (b"hello", "rasa-1")
    finally:
        process.terminate()
        process.wait(timeout=15)
        if worker is not None:
            worker.shutdown()
