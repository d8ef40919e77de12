"""``python -m frontdoor.web [--host 127.0.0.1] [--port 8000]``: chat page, dashboard, analytics API (``make web``)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import List, Optional

from aiohttp import web

from frontdoor.analytics.tracker import tracker_engine
from frontdoor.database import get_engine
from frontdoor.redaction import configure_redacted_logging
from frontdoor.web.app import make_app, rasa_url

log = logging.getLogger("frontdoor.web")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.web", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    configure_redacted_logging()
    app_engine, tracker = get_engine(), tracker_engine()
    log.info("web app on http://%s:%d/ (dashboard /dashboard, Rasa %s)", args.host, args.port, rasa_url())
    web.run_app(make_app(app_engine, tracker), host=args.host, port=args.port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
