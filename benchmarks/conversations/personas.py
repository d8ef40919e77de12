"""Personas for the whole-conversation evaluation, generated from the handbook, the demo data and templates.yml.

Each persona is one customer on one channel with what the handbook says must
happen: contained or handed off, the case category, whether they end verified,
facts the bot must say and things it must never say. Generation is seeded and
deterministic; within every (contact reason, channel) cell half the personas
are for tuning and half are held out.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from benchmarks.conversations import demo, handbook, spoken
from frontdoor.paths import ROOT

TEMPLATES = Path(__file__).with_name("templates.yml")
REASONS = ROOT / "demo" / "contact-reasons.yml"
PER_CELL = 5
VERIFIED = ("transfer_status", "transfer_not_received", "cancel_transfer", "refund_status", "change_recipient_details")
HANDOFF = ("fraud_report", "complaint", "close_account", "request_human")
# A bot that says one of these about a transfer that was not paid out has made a false claim of delivery.
DELIVERY_CLAIM = r"\b(has been|was|is now|got) (delivered|credited|collected|picked up)\b|\bhas arrived\b"
CURRENCY = {"GBP": ("£", "pounds"), "USD": ("$", "dollars"), "EUR": ("€", "euros"), "CAD": ("CAD ", "canadian dollars")}
UNSUPPORTED = ("Brazil", "Australia", "Jamaica", "Egypt", "Vietnam", "Colombia", "Morocco")


@dataclass(frozen=True)
class Identity:
    name: str
    dob: dt.date
    postcode: str
    reference: str


@dataclass(frozen=True)
class FollowUp:
    text: str
    say: Tuple[str, ...]


@dataclass(frozen=True)
class Persona:
    id: str
    channel: str
    reason: str
    kind: str  # general | own_transfer | refuse_identity | handoff
    opening: str
    expect_outcome: str  # contained | handed_off
    expect_verified: Optional[bool]  # None: the handbook leaves it open (closing an account)
    say: Tuple[str, ...] = ()
    never: Tuple[str, ...] = ()
    rephrases: Tuple[str, ...] = ()
    follow_ups: Tuple[FollowUp, ...] = ()
    identity: Optional[Identity] = None
    identity_allowed: bool = False
    handoff_within: Optional[int] = None  # customer turns (the opening is 1) by which the case must exist
    wants_agent: bool = False
    refuses_identity: bool = False
    greet: bool = False
    split: str = "tuning"
    category: Optional[str] = None  # the case category when it differs from the reason asked
    note: str = ""
    fields: Dict[str, Any] = field(default_factory=dict)

    @property
    def expect_category(self) -> str:
        return self.category or self.reason

    @property
    def all_say(self) -> Tuple[str, ...]:
        return self.say + tuple(rx for f in self.follow_ups for rx in f.say)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "id": self.id, "split": self.split, "channel": self.channel, "reason": self.reason, "kind": self.kind,
            "opening": self.opening, "expect_outcome": self.expect_outcome,
            "expect_category": self.expect_category if self.expect_outcome == "handed_off" else None,
            "expect_verified": self.expect_verified,
            "say": list(self.all_say), "never": list(self.never), "note": self.note,
            "follow_ups": [f.text for f in self.follow_ups],
            "transfer": self.identity.reference if self.identity else None,
        }


@lru_cache(maxsize=4)
def load_templates(path: Path = TEMPLATES) -> Dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def contact_reasons(path: Path = REASONS) -> List[str]:
    """Every contact reason that is not conversational glue (the cells the personas must cover)."""
    reasons = yaml.safe_load(path.read_text(encoding="utf-8"))["reasons"]
    return [name for name, spec in reasons.items() if spec["kind"] != "dialogue"]


def secrets_never(profile: demo.Profile) -> Tuple[str, ...]:
    """The customer's own date of birth and postcode, in the forms a reply could carry them."""
    d = profile.dob
    months = d.strftime("%B")
    dates = [d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
             rf"{d.day}(st|nd|rd|th)? (of )?{months} {d.year}", rf"{months} {d.day}(st|nd|rd|th)?,? {d.year}"]
    outward, inward = profile.postcode.split()
    return tuple(dates) + (rf"\b{re.escape(outward)} ?{re.escape(inward)}\b",)


def _amount_text(value: Decimal, currency: str, channel: str) -> str:
    symbol, word = CURRENCY[currency]
    if channel == "voice":
        return spoken.amount(value, word)
    number = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{symbol}{number}" if symbol.strip() == symbol else f"{number} {currency}"


def _partner_rx(name: str) -> str:
    return re.escape(name).replace(r"\-", "[- ]?").replace(r"\ ", "[- ]?")


class Generator:
    """Fills the templates with seeded choices; one instance builds the whole persona set."""

    def __init__(self, seed: int, templates: Optional[Dict[str, Any]] = None) -> None:
        self.rng = random.Random(seed)
        self.t = templates or load_templates()
        self.used: set = set()
        self.counter = 0
        self.corridors = handbook.corridors()

    # --- parameterised facts -------------------------------------------------------
    def compute(
        self, kind: str, channel: str, forced: Optional[Dict[str, Any]] = None
    ) -> Tuple[Dict[str, str], List[str], List[str]]:
        rng, c = self.rng, self.corridors
        values: Dict[str, str] = {}
        say: List[str] = []
        never: List[str] = []
        if kind in ("fee", "fee_cash"):
            method = "cash_pickup" if kind == "fee_cash" else "bank_deposit"
            options = [n for n, x in c.items() if x.cash_pickup] if method == "cash_pickup" else list(c)
            amount = Decimal(rng.choice(["200", "350", "750", "1500", "3000"]))
            currency = rng.choice(handbook.CURRENCIES)
            country = rng.choice(options)
            if forced:
                amount, currency, country = forced["amount"], forced["currency"], forced["country"]
            right = handbook.fee(amount, currency, method)
            values.update(amount=_amount_text(amount, currency, channel), country=country)
            if right.endswith("%"):
                say.append(handbook.fee_regex(right) + "|" + re.escape(f"{amount * Decimal('0.0025'):.2f}"))
                never.append(handbook.wrong_fee_regex(""))
            else:
                say.append(handbook.fee_regex(right))
                base = handbook.fee(amount, currency)
                never.append(handbook.wrong_fee_regex(right, allowed=(base,) if method == "cash_pickup" else ()))
        elif kind == "bank_days":
            country = rng.choice([n for n, x in c.items() if x.bank_deposit])
            values["country"] = country
            slow = country in ("India", "Pakistan", "Bangladesh")
            say.append(r"(2|two) (business|working) days" if slow else r"same day|(1|one) (business|working) day")
        elif kind == "unsupported_country":
            values["country"] = rng.choice(UNSUPPORTED)
            say.append(r"(not|n't|no)\b.{0,40}(support|send|available|offer|serve|possible)")
        elif kind == "mobile_partners":
            country = rng.choice([n for n, x in c.items() if x.mobile_money])
            values["country"] = country
            say.extend(_partner_rx(p) for p in c[country].mobile_money)
        elif kind == "cash_available":
            country = rng.choice(list(c))
            values["country"] = country
            if c[country].cash_pickup:
                say.append(r"cash")
                never.append(r"(no|not|isn't|n't)\b.{0,25}cash pick")
            else:
                say.append(r"(no|not|isn't|n't)\b.{0,40}cash|cash.{0,40}(\bnot\b|n't)")
        if channel == "voice" and "country" in values:
            values["country"] = values["country"].lower()
        return values, say, never

    def _fill(self, text: str, values: Dict[str, str]) -> str:
        defaults = {"partner": self.rng.choice([p for x in self.corridors.values() for p in x.mobile_money]),
                    "country": self.rng.choice(["Kenya", "Ghana", "Nigeria", "Philippines"])}
        return text.format(**{**defaults, **values})

    # --- persona kinds -------------------------------------------------------------
    def general(self, reason: str, channel: str, item: Dict[str, Any], forced: Optional[Dict[str, Any]] = None,
                variant: Optional[int] = None) -> Persona:
        values, say, never = self.compute(item.get("compute", ""), channel, forced)
        phrasings = item[channel]
        first = variant if variant is not None else self.rng.randrange(len(phrasings))
        ordered = phrasings[first:] + phrasings[:first]
        texts = [self._fill(p, values) for p in ordered]
        return self._persona(
            reason, channel, "general", texts[0], "contained", False, tuple(item.get("say", [])) + tuple(say),
            tuple(item.get("never", [])) + tuple(never), rephrases=tuple(texts[1:]), note=item["id"],
        )

    def follow_up(self, channel: str, exclude: str) -> FollowUp:
        """A general question on another topic, asked once the first matter is settled."""
        items = [i for r, group in self.t["general"].items() if r != exclude for i in group if not i.get("compute")]
        item = self.rng.choice(items)
        return FollowUp(self._fill(self.rng.choice(item[channel]), {}), tuple(item.get("say", [])))

    def own(self, reason: str, channel: str, status: str, style: str, **pick: Any) -> Persona:
        transfer = demo.pick(status, self.used, index=self.rng.randrange(1000), **pick)
        profile = demo.profiles()[transfer.customer_id]
        outcome, category_say, never, note = expectation(reason, transfer)
        # Taxonomy: a transfer overdue past its promised time is transfer_not_received, whatever was asked.
        category = "transfer_not_received" if transfer.overdue else None
        symbol = CURRENCY[transfer.currency][1 if channel == "voice" else 0]
        amount = _amount_text(transfer.amount, transfer.currency, channel) if symbol else str(transfer.amount)
        values = {
            "reference": spoken.reference(transfer.reference) if channel == "voice" else transfer.reference,
            "recipient": transfer.recipient.lower() if channel == "voice" else transfer.recipient,
            "first_recipient": transfer.recipient.split()[0].lower() if channel == "voice"
            else transfer.recipient.split()[0],
            "amount": amount,
        }
        texts = [self._fill(p, values) for p in self.t["own_transfer"][reason][style][channel]]
        self.rng.shuffle(texts)
        identity = Identity(profile.full_name, profile.dob, profile.postcode, transfer.reference)
        return self._persona(
            reason, channel, "own_transfer", texts[0], outcome, True, category_say,
            secrets_never(profile) + never, identity=identity, identity_allowed=True,
            category=category, note=f"{style}; {note}",
            fields={"status": transfer.status, "payment_method": transfer.payment_method},
        )

    def refusing(self, reason: str, channel: str) -> Persona:
        base = self.own(reason, channel, "delivered", self.rng.choice(["reference", "named"]))
        asked = self.general(reason, channel, self.rng.choice(self.t["general"][reason]))
        refusal = (r"(can't|cannot|can not|unable to|won't be able to|not able to|without)\b.{0,60}"
                   r"(transfer|account|check)")
        return replace(
            base, kind="refuse_identity", expect_outcome="contained", expect_verified=False,
            say=(refusal,), refuses_identity=True, never=base.never,
            follow_ups=(FollowUp(asked.opening, asked.say),), note="declines the identity check, then asks: "
            + asked.note,
        )

    def handoff(self, reason: str, channel: str, index: int) -> Persona:
        spec = self.t["handoff"][reason]
        texts = spec[channel]
        return self._persona(
            reason, channel, "handoff", texts[index % len(texts)], "handed_off",
            None if reason == "close_account" else False, tuple(spec.get("say", [])), (),
            identity_allowed=reason == "close_account", handoff_within=1 if reason == "fraud_report" else None,
            wants_agent=True, note="reports fraud: to the fraud team at once" if reason == "fraud_report" else "",
        )

    def _persona(self, reason: str, channel: str, kind: str, opening: str, outcome: str, verified: Optional[bool],
                 say: Sequence[str], never: Sequence[str], **extra: Any) -> Persona:
        self.counter += 1
        return Persona(
            id=f"{channel}-{reason}-{self.counter:03d}", channel=channel, reason=reason, kind=kind, opening=opening,
            expect_outcome=outcome, expect_verified=verified, say=tuple(say), never=tuple(never),
            greet=self.rng.random() < 0.3, **extra,
        )


def expectation(reason: str, t: demo.DemoTransfer) -> Tuple[str, Tuple[str, ...], Tuple[str, ...], str]:
    """What the handbook says happens to this customer's request on this transfer: outcome, says, nevers, note."""
    paid_out = t.status in ("delivered", "collected")
    false_delivery = () if paid_out else (DELIVERY_CLAIM,)
    refund_time = handbook.REFUND_PERIOD[t.payment_method]
    if reason == "transfer_status":
        if t.overdue or t.review_overdue:
            return "handed_off", (r"agent",), false_delivery, f"{t.status}, overdue: an agent chases it"
        facts = {"delivered": r"delivered|credited", "collected": r"collected|picked up", "refunded": r"refund",
                 "ready_for_pickup": r"ready|collect"}
        return "contained", (facts[t.status],), false_delivery, t.status
    if reason == "transfer_not_received":
        return "handed_off", (r"agent",), false_delivery, f"{t.status}, past its promised time: an agent chases it"
    if reason == "cancel_transfer":
        if paid_out:
            return ("handed_off", (r"(can't|cannot|can not|couldn't|haven't|not)\b.{0,40}cancel", r"recall"),
                    (r"\b(is|been|now) cancelled",), f"{t.status}: too late to cancel, recall by an agent")
        return ("contained", (r"cancel", r"refund|back to your", refund_time), false_delivery,
                f"{t.status}: cancelled free")
    if reason == "refund_status":
        if demo.DEMO_CLOCK - t.status_since > dt.timedelta(days=7):  # past 5 business days: the money should be back
            return "handed_off", (r"refund",), false_delivery, f"refund sent {t.status_since:%d %b}, now late: an agent"
        return "contained", (r"refund", refund_time), false_delivery, f"{t.status} ({t.payment_method})"
    if reason == "change_recipient_details":
        if paid_out or t.status == "ready_for_pickup":
            return ("handed_off", (r"(can't|cannot|can not|couldn't|not)\b.{0,40}(change|correct|fix|edit)",),
                    false_delivery, f"{t.status}: only an agent can act")
        return "contained", (r"\b(done|updated|changed|corrected)\b",), false_delivery, f"{t.status}: corrected"
    raise ValueError(reason)


OWN_SLOTS, REFUSE_SLOT = (0, 2, 5, 6), 4  # in a verified reason's cell of 7; slots 1 and 3 are general questions
OWN_PLAN = {  # (status, style, pick filters) per verified reason, cycled per persona
    "transfer_status": [("delivered", "reference", {}), ("in_review", "named", {"review_overdue": True}),
                        ("collected", "named", {}), ("refunded", "reference", {}),
                        ("sent_to_partner", "reference", {"overdue": True})],
    "transfer_not_received": [("sent_to_partner", "reference", {"overdue": True}),
                              ("sent_to_partner", "named", {"overdue": True})],
    "cancel_transfer": [("in_review", "reference", {}), ("delivered", "named", {}), ("in_review", "named", {}),
                        ("collected", "reference", {})],
    "refund_status": [("refunded", "reference", {}), ("refunded", "named", {})],
    "change_recipient_details": [("in_review", "reference", {"method": "mobile_money"}),
                                 ("delivered", "named", {}), ("in_review", "named", {"method": "bank_deposit"})],
}


def generate(seed: int = 2026, per_cell: int = PER_CELL) -> List[Persona]:
    """Every contact reason on chat and voice, ``per_cell`` personas each, half tuning and half held out."""
    g = Generator(seed)
    personas: List[Persona] = []
    forced_voice_fee = {"amount": Decimal("200"), "currency": "GBP", "country": "Ghana"}
    for reason in contact_reasons():
        for channel in ("chat", "voice"):
            cell: List[Persona] = []
            items = g.t["general"].get(reason, [])
            size = per_cell + 2 if reason in VERIFIED else per_cell  # transfers are most of real traffic
            for i in range(size):
                if reason in VERIFIED:
                    plan = OWN_PLAN[reason]
                    if i in OWN_SLOTS:
                        status, style, pick = plan[(OWN_SLOTS.index(i) + (channel == "voice")) % len(plan)]
                        cell.append(g.own(reason, channel, status, style, **pick))
                    elif i == REFUSE_SLOT:
                        cell.append(g.refusing(reason, channel))
                    else:
                        cell.append(g.general(reason, channel, items[(i + (channel == "voice")) % len(items)]))
                elif reason in HANDOFF:
                    if items and i == per_cell - 1:
                        cell.append(g.general(reason, channel, items[0]))
                    else:
                        cell.append(g.handoff(reason, channel, i))
                else:
                    forced = forced_voice_fee if (reason, channel, i) == ("fees", "voice", 0) else None
                    cell.append(g.general(reason, channel, items[i % len(items)], forced, 0 if forced else None))
            personas.extend(_with_follow_ups(g, cell))
    return split(personas, seed)


def _with_follow_ups(g: Generator, cell: List[Persona]) -> List[Persona]:
    """Contained customers often ask one more thing before leaving."""
    out = []
    for p in cell:
        # Drawn for every persona, so changing one expectation does not reshuffle the others.
        roll, extra = g.rng.random(), g.follow_up(p.channel, p.reason)
        if p.expect_outcome == "contained" and not p.follow_ups and roll < 0.5:
            p = replace(p, follow_ups=(extra,))
        out.append(p)
    return out


def split(personas: Sequence[Persona], seed: int) -> List[Persona]:
    """Seeded, stratified halves: within each (reason, channel) cell, shuffled, alternately tuning / held out."""
    rng = random.Random(f"split-{seed}")
    cells: Dict[Tuple[str, str], List[int]] = {}
    for index, p in enumerate(personas):
        cells.setdefault((p.reason, p.channel), []).append(index)
    marks: Dict[int, str] = {}
    turn = 0
    for key in sorted(cells):
        indices = cells[key][:]
        rng.shuffle(indices)
        for index in indices:
            marks[index] = "heldout" if turn % 2 else "tuning"
            turn += 1
    return [replace(p, split=marks[i]) for i, p in enumerate(personas)]
