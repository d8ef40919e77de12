"""Imports every module that owns app-database tables, so ``create_schema`` sees them all."""

from frontdoor.handoff import outbox
from frontdoor.identity import tables as identity_tables
from frontdoor.knowledge import feedback
from frontdoor.transfers import tables as transfer_tables

__all__ = ["feedback", "identity_tables", "outbox", "transfer_tables"]
