"""Load the demo tenant (``demo/customers.csv``, ``demo/transfers.csv``) into the app database.

Every timestamp is shifted by (now - demo clock) so that recent transfers stay
recent (``shared/company/README.md``). Rows already present are skipped, so
seeding twice adds nothing; inserts are batched so the whole tenant loads in
seconds on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from frontdoor.database import create_schema
from frontdoor.dbtypes import utcnow
from frontdoor.paths import ROOT
from frontdoor.spoken.postcodes import compact
from frontdoor.transfers.tables import CUSTOMERS, TRANSFER_HISTORY, TRANSFERS

DEMO_CLOCK = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
DEMO_DIR = ROOT / "demo"
BATCH = 2000


@dataclass(frozen=True)
class SeedResult:
    customers_added: int
    transfers_added: int
    history_added: int
    shift: dt.timedelta


def parse_time(text: str) -> dt.datetime:
    """The demo files' ISO 8601 UTC timestamps ("2026-08-22T12:14:00Z")."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {text!r}")
    return value


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _insert(connection: sa.engine.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def seed(engine: Engine, demo_dir: Path = DEMO_DIR, now: Optional[dt.datetime] = None) -> SeedResult:
    """Create the schema if needed and add the demo rows that are not there yet."""
    create_schema(engine)
    now = now or utcnow()
    shift = now - DEMO_CLOCK
    customers = _read(demo_dir / "customers.csv")
    transfers = _read(demo_dir / "transfers.csv")
    with engine.begin() as connection:
        known_customers = set(connection.execute(sa.select(CUSTOMERS.c.customer_id)).scalars())
        known_transfers = set(connection.execute(sa.select(TRANSFERS.c.reference)).scalars())
        new_customers = [
            {
                "customer_id": row["scenario_id"],
                "first_name": row["name_first"],
                "last_name": row["name_last"],
                "full_name": row["name"],
                "dob": dt.date.fromisoformat(row["dob"]),
                "postcode": row["postcode"],
                "postcode_key": compact(row["postcode"]),
                "sex": row["sex"] or None,
                "email": row["email"] or None,
                "created_at": now,
            }
            for row in customers
            if row["scenario_id"] not in known_customers
        ]
        new_transfers: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for row in transfers:
            if row["reference"] in known_transfers:
                continue
            events = json.loads(row["status_history"])
            new_transfers.append(
                {
                    "reference": row["reference"],
                    "customer_id": row["customer_id"],
                    "created_at": parse_time(row["created_at"]) + shift,
                    "send_currency": row["send_currency"],
                    "send_amount": Decimal(row["send_amount"]),
                    "fee": Decimal(row["fee"]),
                    "fx_rate": Decimal(row["fx_rate"]),
                    "receive_country": row["receive_country"],
                    "receive_currency": row["receive_currency"],
                    "receive_amount": Decimal(row["receive_amount"]),
                    "delivery_method": row["delivery_method"],
                    "payout_partner": row["payout_partner"],
                    "recipient_name": row["recipient_name"],
                    "recipient_phone": row["recipient_phone"],
                    "payment_method": row["payment_method"],
                    "status": row["status"],
                    "promised_by": parse_time(row["promised_by"]) + shift,
                    "updated_at": parse_time(events[-1]["at"]) + shift if events else now,
                }
            )
            history += [
                {"reference": row["reference"], "status": e["status"], "at": parse_time(e["at"]) + shift}
                | {"source": "seed"}
                for e in events
            ]
        _insert(connection, CUSTOMERS, new_customers)
        _insert(connection, TRANSFERS, new_transfers)
        _insert(connection, TRANSFER_HISTORY, history)
    return SeedResult(len(new_customers), len(new_transfers), len(history), shift)
