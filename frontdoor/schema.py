"""Imports every module that owns app-database tables, so ``create_schema`` sees them all."""

from frontdoor.analytics import csat as analytics_csat
from frontdoor.analytics import tables as analytics_tables
from frontdoor.handoff import outbox
from frontdoor.identity import tables as identity_tables
from frontdoor.knowledge import feedback
from frontdoor.transfers import tables as transfer_tables

__all__ = ["analytics_csat", "analytics_tables", "feedback", "identity_tables", "outbox", "transfer_tables"]
