"""Where the project's data lives, overridable from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_path(env_var: str, default: str) -> Path:
    """A path from ``env_var`` or, by default, relative to the project root."""
    value = os.environ.get(env_var)
    return Path(value) if value else ROOT / default
