"""The app database: one SQLAlchemy 1.4 engine for every capability's tables.

SQLite (``var/frontdoor.db``) is the embedded default; production sets
``DATABASE_URL`` to PostgreSQL. Each capability module owns its tables and
registers them on ``METADATA`` so ``create_schema`` builds all of them.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Dict, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.paths import ROOT

METADATA = sa.MetaData()
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'frontdoor.db'}"

_engines: Dict[str, Engine] = {}
_lock = threading.Lock()


def database_url() -> str:
    """``DATABASE_URL`` from the environment, else the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings every capability relies on.

    SQLite gets WAL and a busy timeout so the action server, the web app and
    the delivery worker can share the file; foreign keys are switched on.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = sa.create_engine(url, future=True, connect_args={"timeout": 30}, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return sa.create_engine(url, future=True, pool_pre_ping=True, **kwargs)


def get_engine(url: Optional[str] = None) -> Engine:
    """The process-wide engine for ``url`` (default: ``database_url()``), its schema created on first use."""
    key = url or database_url()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = make_engine(key)
            create_schema(engine)
            _engines[key] = engine
        return engine


def create_schema(engine: Engine) -> None:
    """Create every registered table that does not exist yet (safe at every start)."""
    import frontdoor.schema  # noqa: F401  (registers every capability's tables)

    METADATA.create_all(engine, checkfirst=True)
