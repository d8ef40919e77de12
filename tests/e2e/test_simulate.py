"""`make simulate` against the real assistant: its conversations land in the analytics figures on both channels."""

from __future__ import annotations

import sqlalchemy as sa

from benchmarks.simulate import simulate
from frontdoor.analytics.ingest import ingest
from frontdoor.analytics.summary import Filters, conversations
from frontdoor.analytics.tracker import tracker_engine
from frontdoor.database import create_schema, make_engine
from frontdoor.handoff.outbox import HANDOFF_CASES
from frontdoor.launcher import HOST, Services
from tests.e2e.conftest import RASA_PORT, VOICE_SECRET


async def test_simulated_traffic_is_counted_per_channel(services: Services) -> None:
    tally = await simulate(f"http://{HOST}:{RASA_PORT}", 8, 2, 0.5, seed=7, voice_secret=VOICE_SECRET.encode())
    assert sum(tally.values()) == 8
    assert not [key for key in tally if key.startswith("error/")], tally
    env = services.specs[0].env
    app, tracker = make_engine(env["DATABASE_URL"]), tracker_engine(env["TRACKER_URL"])
    try:
        create_schema(app)
        ingest(app, tracker)
        rows = [row for row in conversations(app, Filters(), page_size=200)["conversations"]
                if row["conversation_id"].startswith("sim-")]
        with tracker.connect() as connection:
            senders = connection.execute(sa.text(
                "SELECT COUNT(DISTINCT sender_id) FROM events WHERE sender_id LIKE 'sim-%'")).scalar_one()
        with app.connect() as connection:
            handed = set(connection.execute(sa.select(HANDOFF_CASES.c.conversation_id)).scalars())
    finally:
        app.dispose()
        tracker.dispose()
    assert len(rows) == senders == 8
    by_channel = {channel: sum(1 for r in rows if r["channel"] == channel) for channel in ("chat", "voice")}
    expected = {channel: sum(n for key, n in tally.items() if key.startswith(channel + "/"))
                for channel in ("chat", "voice")}
    assert by_channel == expected
    # Nobody has been idle 30 minutes yet: handed off exactly when there is a case; the others were closed
    # with the bot's goodbye (contained at once) or are still in progress.
    assert {r["conversation_id"] for r in rows if r["outcome"] == "handed_off"} == handed & {
        r["conversation_id"] for r in rows}
    assert {r["outcome"] for r in rows} <= {"handed_off", "contained", "in_progress"}
