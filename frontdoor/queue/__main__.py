"""``python -m frontdoor.queue [--host 127.0.0.1] [--port 8001]``: run the reference queue (``make queue``)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional

from aiohttp import web

from frontdoor.database import make_engine
from frontdoor.handoff.config import webhook_secret
from frontdoor.queue.app import make_app
from frontdoor.queue.store import create_queue_schema, queue_database_url
from frontdoor.redaction import configure_redacted_logging

log = logging.getLogger("frontdoor.queue")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.queue", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--database-url", default=None, help="default: $QUEUE_DATABASE_URL or var/queue.db")
    args = parser.parse_args(argv)
    configure_redacted_logging()
    engine = make_engine(args.database_url or queue_database_url())
    create_queue_schema(engine)
    log.info("reference queue on http://%s:%d/ (cases in %s)", args.host, args.port, engine.url)
    web.run_app(make_app(engine, webhook_secret()), host=args.host, port=args.port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
