"""``rasa`` with ``--auth-token`` taken from ``RASA_AUTH_TOKEN``: an argument on the launcher's command line would
show the token in every process listing. Action responses are checked by a validator built once
(``frontdoor.rasa.action_validation``), and an SQLite tracker store commits without an fsync
(``frontdoor.rasa.tracker_sqlite``).

    python -m frontdoor.rasa.serve run --enable-api ...

``run`` also keeps PyTorch out of the server: the sentence encoder runs on
onnxruntime, but spaCy's thinc imports PyTorch whenever it is installed
(about 300 MB of RSS for nothing).
"""

from __future__ import annotations

import os
import sys

from frontdoor.launcher import AUTH_TOKEN_ENV


def forbid_torch() -> None:
    """Make ``import torch`` fail in this process; thinc and transformers then take their torch-free paths."""
    if sys.modules.get("torch") is not None:
        raise RuntimeError("torch is already imported")
    sys.modules["torch"] = None  # type: ignore[assignment]


def main() -> None:
    if sys.argv[1:2] == ["run"]:
        forbid_torch()
    from rasa.__main__ import main as rasa_main

    from frontdoor.rasa import action_validation, tracker_sqlite

    action_validation.install()
    tracker_sqlite.install()
    token = os.environ.get(AUTH_TOKEN_ENV)
    if token:
        sys.argv += ["--auth-token", token]
    rasa_main()


if __name__ == "__main__":
    main()
