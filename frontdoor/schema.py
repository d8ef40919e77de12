"""Imports every module that owns app-database tables, so ``create_schema`` sees them all."""

from frontdoor.handoff import outbox
from frontdoor.knowledge import feedback

__all__ = ["feedback", "outbox"]
