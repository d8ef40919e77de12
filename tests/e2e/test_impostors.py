"""Informed impostors over the REST channel: each class of issue 13 fails the check and hears no transfer detail;
bad input to the identity questions gets a polite re-ask and counts as one attempt at most."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa

from benchmarks.impostors import CLASSES, claim_for, typed_date
from frontdoor.identity.decision import Profile
from frontdoor.identity.tables import VERIFICATION_ATTEMPTS
from frontdoor.transfers.tables import CUSTOMERS, TRANSFERS
from tests.e2e.conftest import Bot, texts
from tests.e2e.test_identity_transfers import a_transfer, db  # noqa: F401 (module fixture)


def profiles(engine) -> List[Profile]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(CUSTOMERS).order_by(CUSTOMERS.c.customer_id).limit(400)).all()
    return [Profile(r.customer_id, r.first_name, r.last_name, r.dob, r.postcode) for r in rows]


def secrets_of(engine, who: Dict[str, Any]) -> List[str]:
    """What an impostor must never hear: the transfer's details and the profile's own."""
    with engine.connect() as connection:
        transfer = connection.execute(sa.select(TRANSFERS).where(TRANSFERS.c.reference == who["reference"])).one()
    dob = who["dob"] if isinstance(who["dob"], dt.date) else dt.date.fromisoformat(str(who["dob"]))
    return [transfer.recipient_name, transfer.recipient_phone, f"{transfer.send_amount:.2f}", transfer.receive_country,
            transfer.payout_partner, str(who["postcode"]), dob.strftime("%d/%m/%Y"), dob.isoformat()]


def attempt(bot: Bot, engine, kind: str, index: int) -> tuple[str, List[str]]:
    """One impostor of ``kind`` asks about a delivered transfer and answers the three questions."""
    who = a_transfer(engine, "delivered", index=10 + index)
    target = Profile(who["customer_id"], who["first_name"], who["last_name"],
                     who["dob"] if isinstance(who["dob"], dt.date) else dt.date.fromisoformat(str(who["dob"])),
                     who["postcode"])
    rng = random.Random(index)
    claim = claim_for(kind, target, rng, profiles(engine))
    sender = f"imp-{kind}-{uuid.uuid4().hex[:8]}"
    heard = [texts(bot.say(sender, f"where is my transfer {who['reference']}?"))]
    heard.append(texts(bot.say(sender, f"{claim.first} {claim.last}")))
    heard.append(texts(bot.say(sender, typed_date(rng, claim.dob, claim))))
    heard.append(texts(bot.say(sender, claim.postcode)))
    return " ".join(heard), secrets_of(engine, who)


@pytest.mark.parametrize("kind", CLASSES)
def test_an_informed_impostor_fails_and_hears_no_transfer_detail(bot: Bot, db, kind: str):  # noqa: F811
    said, secrets = attempt(bot, db, kind, CLASSES.index(kind))
    assert "You're verified" not in said and "delivered" not in said, said
    for secret in secrets:
        assert secret not in said, (kind, secret)


BAD_ANSWERS = {
    "binary": "\x00\x01\x02\xff\xfe",
    "huge": "A" * 10_000,
    "emoji": "🙂🎉🔥",
    "markup": "<img src=x onerror=alert(1)>",
    "sql": "Robert'); DROP TABLE customers;--",
}


@pytest.mark.parametrize("name", sorted(BAD_ANSWERS))
def test_bad_input_to_the_identity_questions_is_re_asked_politely(bot: Bot, db, name: str):  # noqa: F811
    who = a_transfer(db, "delivered", index=30 + sorted(BAD_ANSWERS).index(name))
    sender = f"badid-{name}-{uuid.uuid4().hex[:8]}"
    assert "check it's you" in texts(bot.say(sender, f"where is my transfer {who['reference']}"))
    for _ in range(2):  # re-asked politely, twice, without counting an attempt
        reply = texts(bot.say(sender, BAD_ANSWERS[name]))
        # binary is cleaned to an empty message, which gets the empty-message reply; both ask again
        assert ("couldn't read that" in reply or name == "binary") and "full name" in reply, reply
    reply = texts(bot.say(sender, BAD_ANSWERS[name]))  # a third in a row: put through, as a misunderstanding
    assert ("agent" in reply or name == "binary") and "Traceback" not in reply, reply
    with db.connect() as connection:
        attempts = connection.execute(
            sa.select(sa.func.count()).where(VERIFICATION_ATTEMPTS.c.conversation_id == sender)
        ).scalar_one()
    assert attempts == 0
    assert bot.request("GET", "/status")[0] == 200
