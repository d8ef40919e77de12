"""Start the Frontdoor services on loopback, wait until they answer, stop them together.

``make run`` uses it from the command line; the HTTP tests use ``Services`` as a
library, so the tests exercise the very same start-up path a user runs.
Production mode (``make run-production``) refuses to start without the secrets
that guard what customers said: the voice webhook's signing secret and the
token of Rasa's HTTP API. It runs ``--workers`` pairs of Rasa and action
server (one per core by default) behind HAProxy (``frontdoor/proxy.py``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from frontdoor.paths import ROOT
from frontdoor.proxy import HEALTH_PATH, MissingProxy, haproxy_binary, write_config

HOST = "127.0.0.1"
AUTH_TOKEN_ENV = "RASA_AUTH_TOKEN"
"""Token of Rasa's HTTP API (trackers, ``/model/parse``): callers send it as ``?token=``."""
PRODUCTION_ENDPOINTS = "endpoints.production.yml"


def production_secrets() -> Tuple[str, str]:
    """The variables production mode refuses to start without. Imported here, not at the top: the launcher only
    supervises, and ``frontdoor.voice`` brings SQLAlchemy and JWT along (30 MB the launcher does not need)."""
    from frontdoor.voice import SECRET_ENV as VOICE_SECRET_ENV

    return VOICE_SECRET_ENV, AUTH_TOKEN_ENV


class MissingSecret(RuntimeError):
    """Production mode was asked for without a secret it cannot run safely without."""


def require_production_secrets(environ: Dict[str, str]) -> None:
    missing = [name for name in production_secrets() if not environ.get(name)]
    if missing:
        raise MissingSecret(f"production mode needs {' and '.join(missing)} in the environment (docs/deploy.md)")


@dataclass
class ServiceSpec:
    name: str
    command: List[str]
    health_url: Optional[str]
    """None for a service without HTTP (the handoff worker): started, not waited for."""
    env: Dict[str, str] = field(default_factory=dict)


@dataclass
class Services:
    """A group of child processes started in order and stopped in reverse."""

    specs: List[ServiceSpec]
    log_dir: Path
    startup_timeout: float = 180.0
    processes: List[subprocess.Popen] = field(default_factory=list)

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for spec in self.specs:
                self._start_one(spec)
        except BaseException:
            self.stop()
            raise

    def _start_one(self, spec: ServiceSpec) -> None:
        if spec.health_url is not None and _answers(spec.health_url):
            # Another process holds the port: waiting on its health URL would silently talk to it.
            raise RuntimeError(f"{spec.name}: {spec.health_url} already answers; is another instance running?")
        with open(self.log_dir / f"{spec.name}.log", "ab") as log:
            process = subprocess.Popen(
                spec.command,
                cwd=ROOT,
                env={**os.environ, **spec.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        if spec.health_url is None:
            return
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{spec.name} exited with code {process.returncode}; "
                    f"see {self.log_dir / (spec.name + '.log')}"
                )
            if _answers(spec.health_url):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{spec.name} did not answer {spec.health_url} in time")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> Services:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        # HTTPException: e.g. a poll of a free port in the ephemeral range that connected to itself.
        return False


def assistant_specs(
    model: Path,
    rasa_port: int = 5005,
    actions_port: int = 5055,
    endpoints: Optional[str] = None,
    extra_env: Optional[Dict[str, str]] = None,
    production: bool = False,
    web_port: int = 8000,
) -> List[ServiceSpec]:
    """The action server, then Rasa with its HTTP API, both bound to loopback.

    Rasa's API requires ``RASA_AUTH_TOKEN`` when it is set (always in production); ``frontdoor.rasa.serve``
    passes it, so it never shows in a process listing. CORS admits the web app on ``web_port``: its widget
    page talks socket.io to Rasa from that origin.
    """
    env = {
        "SANIC_HOST": HOST,
        "ACTION_ENDPOINT_URL": f"http://{HOST}:{actions_port}/webhook",
        # numpy's OpenBLAS otherwise keeps a second thread busy-waiting after every product, even the
        # 372 x 384 one of a knowledge search: 49 ms of CPU per message, taken from Rasa (`make profile-turn`).
        "OPENBLAS_NUM_THREADS": "1",
        **(extra_env or {}),
    }
    if production:
        require_production_secrets({**os.environ, **env})
    endpoints = endpoints or (PRODUCTION_ENDPOINTS if production else "endpoints.yml")
    return [
        ServiceSpec(
            name="actions",
            command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                     "--port", str(actions_port)],
            health_url=f"http://{HOST}:{actions_port}/health",
            env=env,
        ),
        ServiceSpec(
            name="rasa",
            command=[sys.executable, "-m", "frontdoor.rasa.serve", "run", "--enable-api", "-i", HOST,
                     "-p", str(rasa_port), "--model", str(model),
                     "--endpoints", endpoints, "--credentials", "credentials.yml",
                     "--cors", f"http://{HOST}:{web_port}"],
            # Sanic opens the port only once the model is loaded; ``/`` answers without the token.
            health_url=f"http://{HOST}:{rasa_port}/",
            env=env,
        ),
    ]


def production_specs(
    model: Path,
    workers: int,
    run_dir: Path,
    proxy_port: int = 5005,
    actions_port: int = 5055,
    endpoints: Optional[str] = None,
    extra_env: Optional[Dict[str, str]] = None,
    web_port: int = 8000,
) -> List[ServiceSpec]:
    """``workers`` pairs of action server and Rasa, then HAProxy on ``proxy_port`` balancing over the Rasa workers.

    Worker ``n`` (from 1) listens on ``proxy_port + n`` and calls its own action server on ``actions_port + n - 1``:
    a pair scales as one unit and an action call never crosses the proxy (``docs/deploy.md``). HAProxy starts last,
    once every worker answers, and so stops first.
    """
    require_production_secrets({**os.environ, **(extra_env or {})})
    if not 1 <= workers <= 32:
        raise ValueError("--workers must be 1..32")
    worker_ports = [proxy_port + n for n in range(1, workers + 1)]
    action_ports = [actions_port + n for n in range(workers)]
    if set(worker_ports) & set(action_ports):
        raise ValueError(f"worker ports {worker_ports} overlap the action ports {action_ports}: move --actions-port")
    binary = haproxy_binary()
    specs: List[ServiceSpec] = []
    for n in range(1, workers + 1):
        pair = assistant_specs(model, worker_ports[n - 1], action_ports[n - 1], endpoints, extra_env, production=True,
                               web_port=web_port)
        specs += [ServiceSpec(f"{spec.name}-{n}", spec.command, spec.health_url, spec.env) for spec in pair]
    config = write_config(run_dir, HOST, proxy_port, worker_ports)
    specs.append(ServiceSpec("haproxy", [binary, "-db", "-f", str(config)], f"http://{HOST}:{proxy_port}{HEALTH_PATH}"))
    return specs


def handoff_specs(queue_port: int = 8001, extra_env: Optional[Dict[str, str]] = None) -> List[ServiceSpec]:
    """The handoff delivery worker, plus the reference queue unless ``HANDOFF_WEBHOOK_URL`` names a real one."""
    env = dict(extra_env or {})
    worker = ServiceSpec("handoff-worker", [sys.executable, "-m", "frontdoor.handoff.worker"], None, env)
    if os.environ.get("HANDOFF_WEBHOOK_URL") and "HANDOFF_WEBHOOK_URL" not in env:
        return [worker]
    env.setdefault("HANDOFF_WEBHOOK_URL", f"http://{HOST}:{queue_port}/cases")
    queue = ServiceSpec(
        name="queue",
        command=[sys.executable, "-m", "frontdoor.queue", "--host", HOST, "--port", str(queue_port)],
        health_url=f"http://{HOST}:{queue_port}/health",
        env=env,
    )
    return [queue, worker]


def web_specs(port: int = 8000, rasa_port: int = 5005) -> List[ServiceSpec]:
    """The web app (chat page, dashboard, analytics API), proxying chat to this Rasa."""
    return [ServiceSpec(
        name="web",
        command=[sys.executable, "-m", "frontdoor.web", "--host", HOST, "--port", str(port)],
        health_url=f"http://{HOST}:{port}/health",
        env={"RASA_URL": f"http://{HOST}:{rasa_port}"},
    )]


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Frontdoor assistant locally.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--production", action="store_true",
                        help=f"{PRODUCTION_ENDPOINTS}; needs the voice secret and {AUTH_TOKEN_ENV} (docs/deploy.md)")
    parser.add_argument("--endpoints", help=f"default endpoints.yml, or {PRODUCTION_ENDPOINTS} with --production")
    parser.add_argument("--workers", type=int,
                        help="Rasa workers behind HAProxy, each with its own action server (--production only; "
                             "default one per core)")
    parser.add_argument("--rasa-port", type=int, default=5005, help="Rasa, or HAProxy with --production")
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--web-port", type=int, default=8000)
    parser.add_argument("--queue-port", type=int, default=8001, help="reference queue (unless HANDOFF_WEBHOOK_URL)")
    parser.add_argument("--log-dir", type=Path, default=ROOT / "var" / "log")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "var" / "run", help="where HAProxy's config is written")
    args = parser.parse_args()
    if args.workers is not None and not args.production:
        parser.error("--workers needs --production: workers share PostgreSQL and Redis, not SQLite files")
    workers = args.workers or os.cpu_count() or 1
    try:
        if args.production:
            assistant = production_specs(args.model, workers, args.run_dir, args.rasa_port, args.actions_port,
                                         args.endpoints, web_port=args.web_port)
        else:
            assistant = assistant_specs(args.model, args.rasa_port, args.actions_port, args.endpoints,
                                        web_port=args.web_port)
    except (MissingSecret, MissingProxy, ValueError) as error:
        parser.exit(2, f"Not starting: {error}\n")
    services = Services(handoff_specs(args.queue_port) + assistant + web_specs(args.web_port, args.rasa_port),
                        args.log_dir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.production:
        print(f"Starting {workers} action server(s) and Rasa worker(s) (each loads the model, ~30 s), HAProxy and "
              "the web app...")
    else:
        print("Starting the action server, Rasa (loading the model takes ~30 s) and the web app...")
    try:
        services.start()
        print(
            "\nFrontdoor is running:\n"
            f"  Rasa API and REST channel  http://{HOST}:{args.rasa_port}"
            "  (POST /webhooks/rest/webhook; the API needs ?token= when RASA_AUTH_TOKEN is set)\n"
            + (f"  Behind HAProxy             {workers} Rasa worker(s) on ports {args.rasa_port + 1}.."
               f"{args.rasa_port + workers}, action servers on {args.actions_port}..{args.actions_port + workers - 1}\n"
               if args.production else f"  Action server              http://{HOST}:{args.actions_port}/health\n") +
            f"  Chat page and dashboard    http://{HOST}:{args.web_port}/  and  /dashboard\n"
            f"  Web widget (socket.io)     http://{HOST}:{args.web_port}/widget\n"
            f"  Handoff queue              {os.environ.get('HANDOFF_WEBHOOK_URL') or f'http://{HOST}:{args.queue_port}/'}\n"
            f"  Logs                       {args.log_dir}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while all(p.poll() is None for p in services.processes):
            time.sleep(1)
        print("A service stopped unexpectedly; see the logs.", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nStopping...")
    finally:
        services.stop()


if __name__ == "__main__":
    main()
