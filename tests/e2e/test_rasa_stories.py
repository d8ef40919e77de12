"""Run tests/test_stories.yml with `rasa test core` against the live action server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from frontdoor.launcher import HOST, Services
from frontdoor.paths import ROOT
from tests.e2e.conftest import ACTIONS_PORT, current_model


def test_story_file_passes(services: Services, tmp_path: Path):
    rasa = Path(sys.executable).parent / "rasa"
    env = {
        **os.environ,
        "ACTION_ENDPOINT_URL": f"http://{HOST}:{ACTIONS_PORT}/webhook",
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_URL": f"sqlite:///{tmp_path / 'stories-tracker.db'}",
    }
    result = subprocess.run(
        [str(rasa), "test", "core", "--model", str(current_model()),
         "--stories", "tests/test_stories.yml", "--endpoints", "endpoints.yml",
         "--out", str(tmp_path / "results"), "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
