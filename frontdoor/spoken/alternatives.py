"""Values the top transcription missed, from the recogniser's other hypotheses and the keypad.

First the top transcription's own values (the normaliser's spans) are
reconciled with what the extractors found: a statistical entity overlapping a
parsed value is dropped (DIET tags "11 August 1909" as an amount) and the
parsed values no deterministic extractor found (postcodes, full dates,
amounts) are added with their offsets.

ASR often gets the intent words right in its best hypothesis and a dictated
value right only in a lower one ("zed ess four oh three ..." vs "said as for
oh three ..."). A reference, postcode, date, amount or currency is taken from
the best-ranked alternative that holds one, only when the message has none
of that entity yet. Keypad digits (DTMF) are exact: eight digits are a
reference ("ZS" + digits) and, when they make a valid DDMMYYYY date, a date
too (the form asking for one of them picks its own); six digits may be DDMMYY.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from frontdoor.spoken.candidates import rank_prior
from frontdoor.spoken.dates import parse_date
from frontdoor.spoken.normalise import Span, normalise_transcript
from frontdoor.spoken.text import MAX_ALTERNATIVES

Entity = dict[str, Any]

FILLABLE = ("transfer_reference", "postcode", "date", "amount", "currency")
EXTRACTOR = "NBestEntityFiller"
STATISTICAL_EXTRACTORS = frozenset({"DIETClassifier"})
MAX_SCANNED_CHARS = 4_000
"""Alternatives are read best first until this much text has been normalised: bounds the cost of a hostile turn
(20 hypotheses of 2,000 characters) while covering any real n-best list."""
DTMF_REFERENCE_CONFIDENCE = 0.99
DTMF_DATE_CONFIDENCE = 0.5
"""Eight keypad digits are more often a reference than a date; both are offered, the reference first."""


def scored_alternatives(raw: object) -> list[tuple[str, float]]:
    """``metadata.alternatives`` ([{transcript, confidence}], best first) as (text, confidence); junk skipped.

    A missing or invalid confidence falls back to the rank prior, so a lower hypothesis never counts as certain.
    """
    if not isinstance(raw, list | tuple):
        return []
    out: list[tuple[str, float]] = []
    for index, item in enumerate(raw[:MAX_ALTERNATIVES]):
        if not isinstance(item, Mapping):
            continue
        transcript = item.get("transcript")
        if not isinstance(transcript, str) or not transcript.strip():
            continue
        confidence = item.get("confidence")
        if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            out.append((transcript, rank_prior(index)))
        else:
            out.append((transcript, float(confidence)))
    return out


def reconcile_with_transcript(entities: list[Entity], spans: Sequence[Span], confidence: float = 1.0) -> list[Entity]:
    """The message's entities checked against the values parsed from its own (normalised) text.

    Parsed values win over the statistical extractor on their spans, as in ``EntityMerger``: a DIET entity
    overlapping a parsed value is dropped, and each parsed value no deterministic extractor already found is added
    with its offsets.
    """
    kept = [e for e in entities if isinstance(e, Mapping) and not _overlaps_statistical(e, spans)]
    for span in spans:
        if not any(e.get("entity") == span.entity and _overlap(e, span) for e in kept):
            kept.append(_entity(span.entity, span.value, confidence, "transcript", span.heard)
                        | {"start": span.start, "end": span.end})
    return sorted(kept, key=lambda e: int(e.get("start", 0)) if isinstance(e.get("start"), int) else 0)


def _overlap(entity: Mapping[str, Any], span: Span) -> bool:
    start, end = entity.get("start"), entity.get("end")
    return isinstance(start, int) and isinstance(end, int) and span.start < end and start < span.end


def _overlaps_statistical(entity: Mapping[str, Any], spans: Sequence[Span]) -> bool:
    return entity.get("extractor") in STATISTICAL_EXTRACTORS and any(_overlap(entity, span) for span in spans)


def fill_from_alternatives(
    entities: list[Entity],
    alternatives: object,
    dtmf: object = None,
    today: Optional[dt.date] = None,
    skip: Optional[str] = None,
) -> list[Entity]:
    """Entities to add: one per fillable type the message lacks, from the best alternative (or DTMF) holding it.

    ``skip`` is the transcript the message text came from, already reconciled (see above).
    """
    present = {str(entity.get("entity")) for entity in entities if isinstance(entity, Mapping)}
    added: list[Entity] = []
    scanned = 0
    for index, (transcript, confidence) in enumerate(scored_alternatives(alternatives)):
        if all(kind in present for kind in FILLABLE) or scanned >= MAX_SCANNED_CHARS:
            break
        if transcript == skip:
            continue
        scanned += len(transcript)
        for span in normalise_transcript(transcript, today=today).spans:
            if span.entity in FILLABLE and span.entity not in present:
                present.add(span.entity)
                added.append(_entity(span.entity, span.value, confidence, f"alternative:{index}", span.heard))
    digits = dtmf_digits(dtmf)
    if digits:
        for kind, value, confidence in _dtmf_values(digits, today):
            if kind not in present:
                present.add(kind)
                added.append(_entity(kind, value, confidence, "dtmf", digits))
    return added


def dtmf_digits(dtmf: object) -> str:
    """The digits of a keypad entry ("4031*8822#" -> "40318822"); anything else gives ""."""
    if not isinstance(dtmf, str) or len(dtmf) > 32:
        return ""
    return "".join(c for c in dtmf if c in "0123456789")


def _dtmf_values(digits: str, today: Optional[dt.date]) -> list[tuple[str, str, float]]:
    out: list[tuple[str, str, float]] = []
    if len(digits) == 8:
        out.append(("transfer_reference", "ZS" + digits, DTMF_REFERENCE_CONFIDENCE))
    if len(digits) in (6, 8):
        dates = parse_date(f"{digits[:2]} {digits[2:4]} {digits[4:]}", today=today)
        if dates:
            out.append(("date", dates[0].value.isoformat(), DTMF_DATE_CONFIDENCE))
    return out


def _entity(kind: str, value: str, confidence: float, source: str, heard: str) -> Entity:
    """No ``start``/``end``: the value is not in the message text; ``source`` says where it came from."""
    return {
        "entity": kind,
        "value": value,
        "extractor": EXTRACTOR,
        "confidence_entity": round(confidence, 4),
        "source": source,
        "text": heard,
    }
