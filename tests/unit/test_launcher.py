"""The launcher refuses to start a service whose port another process already answers on, or production mode
without its secrets; production mode's workers, action servers and HAProxy config."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from frontdoor.launcher import MissingSecret, Services, ServiceSpec, assistant_specs, production_specs
from tests.conftest import require_haproxy


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


@pytest.mark.parametrize(
    ("present", "missing"),
    [({}, "VOICE_WEBHOOK_SECRET and RASA_AUTH_TOKEN"), ({"RASA_AUTH_TOKEN": "t"}, "VOICE_WEBHOOK_SECRET in"),
     ({"VOICE_WEBHOOK_SECRET": "s"}, "RASA_AUTH_TOKEN in"), ({"VOICE_WEBHOOK_SECRET": "", "RASA_AUTH_TOKEN": "t"},
                                                             "VOICE_WEBHOOK_SECRET in")],
)
def test_production_mode_refuses_to_start_without_its_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, present: dict, missing: str
) -> None:
    for name in ("VOICE_WEBHOOK_SECRET", "RASA_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(MissingSecret, match=f"production mode needs {missing}"):
        assistant_specs(tmp_path / "model.tar.gz", production=True, extra_env=present)
    assistant_specs(tmp_path / "model.tar.gz", extra_env=present)  # the embedded default starts without them


def test_production_mode_passes_the_token_through_the_environment_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VOICE_WEBHOOK_SECRET", "voice-secret")
    monkeypatch.setenv("RASA_AUTH_TOKEN", "api-token")
    rasa = next(spec for spec in assistant_specs(tmp_path / "m.tar.gz", production=True) if spec.name == "rasa")
    assert rasa.command[rasa.command.index("--endpoints") + 1] == "endpoints.production.yml"
    assert rasa.command[1:3] == ["-m", "frontdoor.rasa.serve"]
    assert not [arg for arg in rasa.command if "api-token" in arg or "voice-secret" in arg]
    assert rasa.command[rasa.command.index("-i") + 1] == "127.0.0.1"


def test_the_command_line_exits_with_the_missing_secret_before_starting_anything(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VOICE_WEBHOOK_SECRET", "RASA_AUTH_TOKEN")}
    done = subprocess.run(
        [sys.executable, "-m", "frontdoor.launcher", "--model", str(tmp_path / "m.tar.gz"), "--production",
         "--log-dir", str(tmp_path / "log")],
        env={**env, "RASA_AUTH_TOKEN": "t"}, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "Not starting: production mode needs VOICE_WEBHOOK_SECRET in the environment" in done.stderr
    assert not (tmp_path / "log").exists()


def test_production_runs_pairs_of_action_server_and_rasa_behind_haproxy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_haproxy()
    monkeypatch.setenv("VOICE_WEBHOOK_SECRET", "voice-secret")
    monkeypatch.setenv("RASA_AUTH_TOKEN", "api-token")
    specs = production_specs(tmp_path / "m.tar.gz", 2, tmp_path / "run", proxy_port=6000, actions_port=6100)
    assert [spec.name for spec in specs] == ["actions-1", "rasa-1", "actions-2", "rasa-2", "haproxy"]
    for n, rasa_port in ((1, 6001), (2, 6002)):
        rasa = next(spec for spec in specs if spec.name == f"rasa-{n}")
        assert rasa.command[rasa.command.index("-p") + 1] == str(rasa_port)
        assert rasa.command[rasa.command.index("--endpoints") + 1] == "endpoints.production.yml"
        assert rasa.env["ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{6100 + n - 1}/webhook"  # its own action server
    proxy = specs[-1]
    assert proxy.health_url == "http://127.0.0.1:6000/proxy/health"
    config = Path(proxy.command[proxy.command.index("-f") + 1])
    assert config.parent == tmp_path / "run"
    assert "bind 127.0.0.1:6000" in config.read_text()
    check = subprocess.run([proxy.command[0], "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr


def test_production_refuses_worker_ports_that_run_into_the_action_ports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_haproxy()
    monkeypatch.setenv("VOICE_WEBHOOK_SECRET", "voice-secret")
    monkeypatch.setenv("RASA_AUTH_TOKEN", "api-token")
    with pytest.raises(ValueError, match="overlap"):
        production_specs(tmp_path / "m.tar.gz", 3, tmp_path / "run", proxy_port=6000, actions_port=6002)


def test_workers_need_production_mode(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frontdoor.launcher", "--model", str(tmp_path / "m.tar.gz"), "--workers", "2",
         "--log-dir", str(tmp_path / "log")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "--workers needs --production" in done.stderr
    assert not (tmp_path / "log").exists()
