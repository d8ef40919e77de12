"""App-database commands: ``python -m frontdoor.db upgrade`` (create missing tables) and ``seed`` (demo tenant).

``upgrade`` is create-if-missing and safe to run at every start: tables only
ever gain new siblings so far; a change to an existing table will need a real
migration tool. ``DATABASE_URL`` selects the database (default SQLite ``var/frontdoor.db``).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Optional

import sqlalchemy as sa

from frontdoor.database import create_schema, get_engine
from frontdoor.seed import seed
from frontdoor.transfers.tables import CUSTOMERS


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m frontdoor.db", description=__doc__)
    parser.add_argument("command", choices=("upgrade", "seed"))
    parser.add_argument("--if-empty", action="store_true", help="seed only when there are no customers yet")
    args = parser.parse_args(argv)
    engine = get_engine()
    url = engine.url.render_as_string(hide_password=True)
    started = time.perf_counter()
    create_schema(engine)
    if args.command == "upgrade":
        print(f"schema up to date on {url}")
        return 0
    if args.if_empty:
        with engine.connect() as connection:
            if connection.execute(sa.select(sa.func.count()).select_from(CUSTOMERS)).scalar_one():
                print(f"{url} already has customers; not seeding")
                return 0
    result = seed(engine)
    print(
        f"seeded {url}: {result.customers_added} customers, {result.transfers_added} transfers, "
        f"{result.history_added} status events added (time shift {result.shift}) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
