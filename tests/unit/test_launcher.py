"""The launcher refuses to start a service whose port another process already answers on."""

from __future__ import annotations

import http.server
import sys
import threading
from pathlib import Path

import pytest

from frontdoor.launcher import Services, ServiceSpec


def test_a_port_already_in_use_is_an_error_not_a_silent_reuse(tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        spec = ServiceSpec("twin", [sys.executable, "-c", "import time; time.sleep(30)"], url)
        with pytest.raises(RuntimeError, match="already answers"):
            Services([spec], tmp_path / "log").start()
    finally:
        server.shutdown()
