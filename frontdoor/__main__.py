"""``python -m frontdoor <command>``: the project's ops commands, one subcommand per capability.

A capability adds itself by appending its ``register(subparsers)`` to
``COMMANDS``; each registered command sets ``run(args, engine) -> exit code``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, List, Optional

from sqlalchemy.engine import Engine

from frontdoor.analytics import report as analytics_report
from frontdoor.database import create_schema, get_engine
from frontdoor.handoff import cli as handoff_cli

COMMANDS: List[Callable[[Any], None]] = [handoff_cli.register, analytics_report.register]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m frontdoor", description="Frontdoor ops commands.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None, engine: Optional[Engine] = None) -> int:
    """Run one command against ``engine`` (default: the app database from ``DATABASE_URL``)."""
    args = build_parser().parse_args(argv)
    if engine is None:
        engine = get_engine()
        create_schema(engine)
    return int(args.run(args, engine))


if __name__ == "__main__":
    sys.exit(main())
