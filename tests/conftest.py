"""Shared fixtures: paths and the database servers used by the database tests."""

from __future__ import annotations

import os
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def require_server(name: str, host: str, port: int) -> None:
    """Skip with the reason on a newcomer's machine; fail under CI, never skip silently."""
    if port_open(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: database tests must run, see .ci/run)")
    pytest.skip(f"{message}; start it to run these tests")
