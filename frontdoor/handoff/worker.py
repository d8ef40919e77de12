"""``python -m frontdoor.handoff.worker``: deliver outbox cases until SIGTERM or SIGINT.

Run one or more next to the action server; they share the app database
(``DATABASE_URL``) and never deliver the same row at the same time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import List, Optional

from sqlalchemy.engine import Engine

from frontdoor.database import create_schema, get_engine
from frontdoor.handoff.config import Delivery, delivery_settings, webhook_secret
from frontdoor.handoff.delivery import DeliveryWorker
from frontdoor.redaction import configure_redacted_logging

log = logging.getLogger("frontdoor.handoff.worker")


async def serve(engine: Engine, settings: Delivery, secret: bytes) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if settings.lease_seconds <= settings.timeout_seconds:
        log.warning("lease %g s should exceed the timeout %g s", settings.lease_seconds, settings.timeout_seconds)
    worker = DeliveryWorker(engine, settings, secret)
    try:
        await worker.run(stop)
    finally:
        await worker.close()
    log.info("delivery worker %s stopped cleanly", worker.worker_id)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.handoff.worker", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    configure_redacted_logging(logging.DEBUG if args.verbose else logging.INFO)
    engine = get_engine()
    create_schema(engine)
    asyncio.run(serve(engine, delivery_settings(), webhook_secret()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
