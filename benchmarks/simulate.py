"""``make simulate N=200``: realistic demo traffic through a running assistant's public endpoints.

Chat goes to Rasa's REST channel, voice to ``POST /webhooks/voice/webhook``
with an n-best list, signed with ``VOICE_WEBHOOK_SECRET`` when it is set.
Utterances for every contact reason come from the held-out NLU sets (typed
and spoken), never from training data. The mix covers knowledge answers with "did that help?" votes (or "has the app's
check already failed 3 times?" after a failed verification), clarifying buttons,
agent requests, transfer questions with wrong identity details, nonsense
(fallbacks) and customers who leave mid-question (abandoned after 30 min).
Bounded: N conversations, a few at a time, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import urlparse

import aiohttp
import yaml

from frontdoor.paths import ROOT
from frontdoor.signing import SIGNATURE_HEADER, sign
from frontdoor.voice import webhook_secret

HELDOUT = {"chat": ROOT / "tests" / "nlu" / "heldout_chat.yml", "voice": ROOT / "tests" / "nlu" / "heldout_voice.yml"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WRONG_DETAILS = ["my name is Sam Taylor, born 3 March 1971, postcode LS1 4AB", "Sam Taylor", "third of march 1971"]
NONSENSE = ["purple monkey dishwasher", "asdf jkl qwerty", "can you sing me a song about the moon"]
KIND_WEIGHTS = {"answer": 45, "agent": 12, "identity": 10, "nonsense": 8, "leave": 10, "topic": 15}


def utterances(path: Path) -> Dict[str, List[str]]:
    """Intent -> plain utterances, entity annotations removed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: Dict[str, List[str]] = {}
    for block in data.get("nlu") or []:
        lines = [line.strip()[2:] for line in str(block.get("examples", "")).splitlines() if line.strip()]
        found[block["intent"]] = [_ANNOTATION.sub(r"\1", line) for line in lines]
    return found


class Customer:
    """One simulated conversation on one channel."""

    def __init__(self, session: aiohttp.ClientSession, base: str, channel: str, rng: random.Random,
                 voice_secret: Optional[bytes] = None) -> None:
        self.session, self.base, self.channel, self.rng = session, base, channel, rng
        self.voice_secret = voice_secret
        self.sender = f"sim-{channel}-{uuid.uuid4().hex[:10]}"

    async def say(self, text: str) -> List[Dict[str, Any]]:
        headers = {"Content-Type": "application/json"}
        if self.channel == "voice":
            confidence = round(self.rng.uniform(0.55, 0.97), 2)
            body: Dict[str, Any] = {"sender": self.sender,
                                    "alternatives": [{"transcript": text, "confidence": confidence}]}
            url = f"{self.base}/webhooks/voice/webhook"
        else:
            body, url = {"sender": self.sender, "message": text, "metadata": {}}, f"{self.base}/webhooks/rest/webhook"
        data = json.dumps(body).encode()
        if self.channel == "voice" and self.voice_secret:
            headers[SIGNATURE_HEADER] = sign(self.voice_secret, data, int(time.time()))
        async with self.session.post(url, data=data, headers=headers) as response:
            response.raise_for_status()
            replies = await response.json(content_type=None)
        return replies if isinstance(replies, list) else []


def _text(replies: List[Dict[str, Any]]) -> str:
    return " ".join(str(r.get("text") or "") for r in replies).lower()


def _buttons(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or [] if b.get("payload")]


async def converse(customer: Customer, kind: str, phrases: Dict[str, List[str]], rng: random.Random) -> None:
    """One scripted customer: opens, follows what the bot asks, sometimes walks away."""
    if rng.random() < 0.5:
        await customer.say(rng.choice(["hi", "hello", "good morning"]))
    reasons = [name for name in phrases if name not in ("greet", "goodbye", "affirm", "deny", "thank", "inform")]
    if kind == "agent":
        replies = await customer.say(rng.choice(phrases.get("request_human") or ["can I talk to a person"]))
        replies = await customer.say("yes")
    elif kind == "identity":
        await customer.say(rng.choice(phrases.get("transfer_status") or ["where is my transfer"]))
        for detail in WRONG_DETAILS:
            replies = await customer.say(detail)
        return
    elif kind == "nonsense":
        for text in rng.sample(NONSENSE, 2):
            replies = await customer.say(text)
        return
    else:
        replies = await customer.say(rng.choice(phrases[rng.choice(reasons)]))
    if kind == "leave":
        return
    if kind == "topic" and _buttons(replies):
        replies = await customer.say(rng.choice(_buttons(replies)))
    if any(question in _text(replies) for question in ("did that answer", "did that help", "already failed")):
        replies = await customer.say("yes" if rng.random() < 0.7 else "no")
    replies = await customer.say(rng.choice(["thanks", "thank you, bye", "bye"]))
    if "welcome" in _text(replies):  # a thank-you gets "anything else?": now the customer leaves
        replies = await customer.say("bye")
    if "rate this" in _text(replies):
        await customer.say(rng.choice(["5", "4", "four", "3", "2", "skip"]))


def _check_loopback(url: str) -> str:
    host = urlparse(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to send simulated traffic to {host!r}: loopback only")
    return url.rstrip("/")


async def simulate(
    base: str, n: int, concurrency: int, voice_share: float, seed: int, voice_secret: Optional[bytes] = None
) -> Counter:
    rng = random.Random(seed)
    phrases = {channel: utterances(path) for channel, path in HELDOUT.items()}
    tally: Counter = Counter()
    limit = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(index: int) -> None:
            local = random.Random(rng.random())
            channel = "voice" if local.random() < voice_share else "chat"
            kind = local.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
            async with limit:
                try:
                    await converse(Customer(session, base, channel, local, voice_secret), kind, phrases[channel], local)
                    tally[f"{channel}/{kind}"] += 1
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    tally[f"error/{type(error).__name__}"] += 1
            if (index + 1) % 20 == 0:
                print(f"  {index + 1}/{n} conversations", flush=True)

        await asyncio.gather(*(one(i) for i in range(n)))
    return tally


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.simulate", description=__doc__)
    parser.add_argument("--conversations", "-n", type=int, default=200)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--voice-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not 1 <= args.conversations <= 5000 or not 1 <= args.concurrency <= 16:
        parser.error("--conversations must be 1..5000 and --concurrency 1..16")
    base = _check_loopback(args.rasa_url)
    print(f"Simulating {args.conversations} conversations against {base} ({args.concurrency} at a time)...")
    tally = asyncio.run(simulate(base, args.conversations, args.concurrency, args.voice_share, args.seed,
                                 webhook_secret()))
    for key, count in sorted(tally.items()):
        print(f"  {key:24} {count}")
    errors = sum(count for key, count in tally.items() if key.startswith("error/"))
    print("Open http://127.0.0.1:8000/dashboard to see them.")
    return 1 if errors == args.conversations else 0


if __name__ == "__main__":
    sys.exit(main())
