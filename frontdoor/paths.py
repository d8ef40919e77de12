"""Where the project's data lives, overridable from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_path(env_var: str, default: str) -> Path:
    """A path from ``env_var`` or, by default, relative to the project root."""
    value = os.environ.get(env_var)
    return Path(value) if value else ROOT / default


def shared_data() -> Path:
    """The public benchmark data sets: ``$FRONTDOOR_SHARED_DATA``, else ``../shared/data`` beside the project."""
    return Path(os.environ.get("FRONTDOOR_SHARED_DATA") or ROOT.parent / "shared" / "data")
