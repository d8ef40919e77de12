"""``rasa`` with ``--auth-token`` taken from ``RASA_AUTH_TOKEN``: an argument on the launcher's command line would
show the token in every process listing. Action responses are checked by a validator built once
(``frontdoor.rasa.action_validation``).

    python -m frontdoor.rasa.serve run --enable-api ...
"""

from __future__ import annotations

import os
import sys

from frontdoor.launcher import AUTH_TOKEN_ENV


def main() -> None:
    from rasa.__main__ import main as rasa_main

    from frontdoor.rasa import action_validation

    action_validation.install()
    token = os.environ.get(AUTH_TOKEN_ENV)
    if token:
        sys.argv += ["--auth-token", token]
    rasa_main()


if __name__ == "__main__":
    main()
