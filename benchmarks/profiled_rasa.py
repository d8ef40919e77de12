"""Rasa as ``frontdoor.rasa.serve`` runs it, with cProfile switched on and off by signals.

    python -m benchmarks.profiled_rasa OUT.prof run --enable-api ...

SIGUSR1 starts profiling the main thread (where Rasa handles every message), SIGUSR2 stops it and writes
``OUT.prof``. Start-up (loading TensorFlow and the model) and warm-up messages are thus left out of the profile.
Used by ``benchmarks.profile_turn`` only.
"""

from __future__ import annotations

import cProfile
import signal
import sys
from types import FrameType
from typing import Optional


def main() -> None:
    out, rasa_args = sys.argv[1], sys.argv[2:]
    profile = cProfile.Profile()

    def start(_signal: int, _frame: Optional[FrameType]) -> None:
        profile.enable()

    def stop(_signal: int, _frame: Optional[FrameType]) -> None:
        profile.disable()
        profile.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = ["rasa", *rasa_args]
    from frontdoor.rasa.serve import main as serve

    serve()


if __name__ == "__main__":
    main()
