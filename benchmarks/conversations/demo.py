"""The demo tenant's customers and transfers (``demo/*.csv``), as the seeded database holds them.

Seeding shifts every timestamp by (now - demo clock), so a transfer's age and
whether it is overdue are the same at any real time: they are computed here
against the demo clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

from benchmarks.conversations.handbook import is_overdue
from frontdoor.paths import ROOT

DEMO = ROOT / "demo"
DEMO_CLOCK = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
REVIEW_HOURS = 48  # handbook section 5


@dataclass(frozen=True)
class Profile:
    customer_id: str
    first_name: str
    last_name: str
    dob: dt.date
    postcode: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoTransfer:
    reference: str
    customer_id: str
    amount: Decimal
    currency: str
    country: str
    method: str
    partner: str
    recipient: str
    payment_method: str
    status: str
    promised_by: dt.datetime
    status_since: dt.datetime

    @property
    def overdue(self) -> bool:
        return self.status == "sent_to_partner" and is_overdue(self.method, self.promised_by, DEMO_CLOCK)

    @property
    def review_overdue(self) -> bool:
        return self.status == "in_review" and DEMO_CLOCK - self.status_since > dt.timedelta(hours=REVIEW_HOURS)


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@lru_cache(maxsize=1)
def profiles(path: Path = DEMO / "customers.csv") -> Dict[str, Profile]:
    with path.open(encoding="utf-8") as handle:
        return {
            row["scenario_id"]: Profile(row["scenario_id"], row["name_first"], row["name_last"],
                                        dt.date.fromisoformat(row["dob"]), row["postcode"])
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def transfers(path: Path = DEMO / "transfers.csv") -> List[DemoTransfer]:
    found = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            history = json.loads(row["status_history"])
            found.append(DemoTransfer(
                row["reference"], row["customer_id"], Decimal(row["send_amount"]), row["send_currency"],
                row["receive_country"], row["delivery_method"], row["payout_partner"], row["recipient_name"],
                row["payment_method"], row["status"], _time(row["promised_by"]), _time(history[-1]["at"]),
            ))
    return found


def customer_transfers(customer_id: str) -> List[DemoTransfer]:
    return [t for t in transfers() if t.customer_id == customer_id]


def pick(status: str, used: set, *, overdue: Optional[bool] = None, review_overdue: Optional[bool] = None,
         method: Optional[str] = None, index: int = 0) -> DemoTransfer:
    """The ``index``-th unused transfer in ``status`` whose customer has no other picked transfer.

    One persona per customer: a customer's checks never interfere (lockouts, "which transfer?" lists).
    """
    matches = [
        t for t in transfers()
        if t.status == status and t.customer_id not in used and t.customer_id in profiles()
        and (overdue is None or t.overdue == overdue)
        and (review_overdue is None or t.review_overdue == review_overdue)
        and (method is None or t.method == method)
    ]
    if not matches:
        raise LookupError(f"no unused demo transfer in {status}")
    chosen = matches[index % len(matches)]
    used.add(chosen.customer_id)
    return chosen
