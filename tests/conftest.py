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


def require_haproxy() -> str:
    """HAProxy's binary, as production mode finds it; skip (fail under CI) without it."""
    from frontdoor.proxy import MissingProxy, haproxy_binary

    try:
        return haproxy_binary()
    except MissingProxy as error:
        if IN_CI:
            pytest.fail(f"{error} (CI=true: the scale-out tests must run, see .ci/run)")
        pytest.skip(f"{error}; install it to run these tests")


POSTGRES_URL = os.environ.get("FRONTDOOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL leg of ``db_engine`` ``postgres``, so ``make test-unit`` can run without the server."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_engine") == "postgresql":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest, tmp_path):
    """A fresh app database on each backend, every registered table created and empty.

    PostgreSQL runs get a schema of their own (search_path), so tests never
    see each other's rows and code under test uses plain table names.
    """
    import uuid

    from frontdoor.database import create_schema, make_engine

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
        create_schema(engine)
        yield engine
        engine.dispose()
        return
    require_server("PostgreSQL", "127.0.0.1", 5432)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    create_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
