"""Rasa's SQL tracker store, read-only: its ``events`` table and where to find it.

The columns are those of ``rasa.core.tracker_store.SQLTrackerStore.SQLEvent``
(Rasa 3.6); slot events carry the slot name in ``action_name``, so most rows
can be skipped without parsing their JSON.
"""

from __future__ import annotations

import os
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.paths import ROOT

DEFAULT_TRACKER_URL = f"sqlite:///{ROOT / 'var' / 'tracker.db'}"


def events_table(metadata: Optional[sa.MetaData] = None, name: str = "events") -> sa.Table:
    """Rasa's events table (benchmarks and tests create it with exactly these columns)."""
    return sa.Table(
        name,
        metadata if metadata is not None else sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


def tracker_url() -> str:
    """``TRACKER_URL`` (the URL Rasa's endpoints.yml uses), else ``var/tracker.db`` under the project."""
    url = os.environ.get("TRACKER_URL") or DEFAULT_TRACKER_URL
    if url == "sqlite:///var/tracker.db":
        return DEFAULT_TRACKER_URL
    return url


def tracker_engine(url: Optional[str] = None) -> Engine:
    """A plain engine on the tracker store: no pragmas, Rasa owns that database."""
    url = url or tracker_url()
    if url.startswith("sqlite"):
        return sa.create_engine(url, future=True, connect_args={"timeout": 30})
    return sa.create_engine(url, future=True, pool_pre_ping=True)
