"""Demo seed and schema upgrade on SQLite and PostgreSQL: counts, time shift, idempotence, bad files."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontdoor.database import create_schema
from frontdoor.db import main as db_main
from frontdoor.seed import DEMO_CLOCK, DEMO_DIR, parse_time, seed
from frontdoor.transfers.tables import CUSTOMERS, TRANSFER_HISTORY, TRANSFERS

NOW = dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.timezone.utc)


def count(engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_seed_loads_everything_shifted_and_twice_is_a_no_op(db_engine) -> None:
    first = seed(db_engine, now=NOW)
    assert (first.customers_added, first.transfers_added) == (10_000, 2_918)
    assert first.shift == NOW - DEMO_CLOCK
    with (DEMO_DIR / "transfers.csv").open(newline="", encoding="utf-8") as handle:
        sample = next(csv.DictReader(handle))
    with db_engine.connect() as connection:
        row = connection.execute(sa.select(TRANSFERS).where(TRANSFERS.c.reference == sample["reference"])).one()
        teresa = connection.execute(sa.select(CUSTOMERS).where(CUSTOMERS.c.customer_id == "en.GB.0")).one()
        latest = connection.execute(sa.select(sa.func.max(TRANSFERS.c.created_at))).scalar_one()
    assert row.created_at == parse_time(sample["created_at"]) + (NOW - DEMO_CLOCK)
    assert row.promised_by == parse_time(sample["promised_by"]) + (NOW - DEMO_CLOCK)
    assert row.send_amount == Decimal(sample["send_amount"])
    assert (teresa.full_name, teresa.dob, teresa.postcode_key) == ("Teresa Smith", dt.date(1909, 8, 11), "JE0X5SB")
    assert NOW - dt.timedelta(hours=1) < latest <= NOW
    history = count(db_engine, TRANSFER_HISTORY)
    assert history == first.history_added > 2_918

    again = seed(db_engine, now=NOW + dt.timedelta(days=3))
    assert (again.customers_added, again.transfers_added, again.history_added) == (0, 0, 0)
    assert count(db_engine, CUSTOMERS) == 10_000
    assert count(db_engine, TRANSFERS) == 2_918
    assert count(db_engine, TRANSFER_HISTORY) == history


def test_schema_upgrade_is_idempotent(db_engine) -> None:
    create_schema(db_engine)
    create_schema(db_engine)
    names = set(sa.inspect(db_engine).get_table_names())
    assert {"customers", "transfers", "transfer_status_history", "verification_attempts", "lockouts"} <= names


def test_broken_demo_file_is_a_clear_error_and_leaves_nothing(db_engine, tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text((DEMO_DIR / "customers.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "transfers.csv").write_text("reference,customer_id\nZS1,en.GB.0\n", encoding="utf-8")
    with pytest.raises(KeyError):
        seed(db_engine, demo_dir=tmp_path, now=NOW)
    assert count(db_engine, CUSTOMERS) == 0


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_time("2026-08-22T12:14:00")


def test_command_line_upgrade_and_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert db_main(["upgrade"]) == 0
    assert db_main(["seed", "--if-empty"]) == 0
    assert db_main(["seed", "--if-empty"]) == 0
    output = capsys.readouterr().out
    assert "10000 customers" in output and "already has customers" in output
