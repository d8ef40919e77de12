"""The action executor, the domain and a fresh app database, shared by the action tests."""

from __future__ import annotations

from typing import Any, Dict

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from frontdoor.paths import ROOT


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    from frontdoor.database import get_engine

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return get_engine()
