"""HAProxy in front of the Rasa workers of production mode: its config, written by the launcher, and its service.

HAProxy (Debian's package) rather than nginx: it health-checks each worker itself and takes a failing one out of
rotation, and its monitor URI answers 503 while no worker is up, which is what the launcher waits on. Requests are
balanced by fewest open connections, not by sender: the Redis lock store serialises one conversation across
workers (``frontdoor/rasa/lock_store.py``), so stickiness is not needed for correctness.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Sequence

HEALTH_PATH = "/proxy/health"
TURN_TIMEOUT_S = 120
"""A turn queued behind others of its conversation waits for the lock (Rasa's ticket lifetime is 60 s) and runs."""


class MissingProxy(RuntimeError):
    """Production mode was asked for on a machine without HAProxy."""


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or (Path("/usr/sbin/haproxy").is_file() and "/usr/sbin/haproxy")
    if not found:
        raise MissingProxy("production mode needs HAProxy in front of the workers: apt-get install -y haproxy")
    return str(found)


def haproxy_config(host: str, port: int, worker_ports: Sequence[int]) -> str:
    """Listen on ``host:port``, balance over the workers, check each on Rasa's ``/`` every 2 s."""
    servers = "\n".join(f"    server rasa-{n} {host}:{p} check inter 2s fall 2 rise 1"
                        for n, p in enumerate(worker_ports, 1))
    return f"""# Written by frontdoor.launcher --production; regenerated at every start.
global
    maxconn 4096

defaults
    mode http
    option dontlognull
    timeout connect 5s
    timeout client {TURN_TIMEOUT_S}s
    timeout server {TURN_TIMEOUT_S}s
    timeout http-request 10s

frontend rasa
    bind {host}:{port}
    monitor-uri {HEALTH_PATH}
    monitor fail if {{ nbsrv(rasa) lt 1 }}
    default_backend rasa

backend rasa
    balance leastconn
    option httpchk GET /
    http-check expect status 200
    http-response set-header X-Frontdoor-Worker %[srv_name]
{servers}
"""


def write_config(run_dir: Path, host: str, port: int, worker_ports: Sequence[int]) -> Path:
    """The config file HAProxy is started with, under ``run_dir`` (``var/run`` by default)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / f"haproxy-{port}.cfg"
    path.write_text(haproxy_config(host, port, worker_ports), encoding="utf-8")
    return path
