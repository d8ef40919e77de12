"""A server module run as ``python -m``, with cProfile switched on and off by signals.

    python -m benchmarks.profiled OUT.prof frontdoor.rasa.serve run --enable-api ...
    python -m benchmarks.profiled OUT.prof rasa_sdk --actions actions --port 5055

SIGUSR1 starts profiling the main thread (where both Sanic servers handle every request), SIGUSR2 stops it
and writes ``OUT.prof``. Start-up (loading TensorFlow, the model, the knowledge index) and warm-up messages
are thus left out of the profile. Used by ``benchmarks.profile_turn`` only.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from types import FrameType
from typing import Optional


def main() -> None:
    out, module, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    profile = cProfile.Profile()

    def start(_signal: int, _frame: Optional[FrameType]) -> None:
        profile.enable()

    def stop(_signal: int, _frame: Optional[FrameType]) -> None:
        profile.disable()
        profile.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
