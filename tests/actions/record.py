"""Re-record the tracker fixtures from a running assistant (`make run` first).

    .venv/bin/python -m tests.actions.record [http://127.0.0.1:5005]

Each scenario is a real conversation over the REST channel; the tracker Rasa
holds afterwards is saved as the input the action would receive. The tracker
API takes ``RASA_AUTH_TOKEN`` from the environment when the server has one.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

SCENARIOS = {
    "fees_question": ["how much is the fee to send 300 pounds to kenya"],
    "request_human": ["i want to talk to a real person"],
    "unclear_once": ["the thing with the stuff from before"],
    "unclear_twice": ["the thing with the stuff from before", "you know, the other matter, the one with it"],
    "empty_message": [""],
}
OUT = Path(__file__).parent / "trackers"


def post(base: str, path: str, payload: dict | None = None) -> object:
    token = os.environ.get("RASA_AUTH_TOKEN")
    if token:
        path += "?" + urllib.parse.urlencode({"token": token})
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5005"
    for name, messages in SCENARIOS.items():
        sender = f"record-{uuid.uuid4().hex[:8]}"
        for text in messages:
            post(base, "/webhooks/rest/webhook", {"sender": sender, "message": text})
        tracker = post(base, f"/conversations/{sender}/tracker")
        assert isinstance(tracker, dict)
        # The tracker as the action saw it: up to the last user message.
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        tracker["events"] = events[: last_user + 1]
        tracker["slots"] = {slot: None for slot in tracker["slots"]}
        for event in tracker["events"]:
            if event["event"] == "slot":
                tracker["slots"][event["name"]] = event["value"]
        tracker["sender_id"] = name
        (OUT / f"{name}.json").write_text(json.dumps(tracker, indent=1, sort_keys=True) + "\n")
        print(f"recorded {name}: latest intent {tracker['latest_message']['intent']['name']}")


if __name__ == "__main__":
    main()
