"""Imports every module that owns app-database tables, so ``create_schema`` sees them all."""

from frontdoor.knowledge import feedback

__all__ = ["feedback"]
