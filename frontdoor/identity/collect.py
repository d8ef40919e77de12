"""Collecting the three identity details across turns, in any order and several at once."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Optional, Sequence

from frontdoor.identity.evidence import Evidence
from frontdoor.identity.extract import extract_details
from frontdoor.identity.verifier import Answers

DETAILS = ("name", "dob", "postcode")


def collect_details(
    requested: Optional[str], alternatives: Sequence[str], today: Optional[dt.date] = None
) -> Dict[str, object]:
    """The details one message gives: each one a message states outright, else the requested one.

    The requested detail keeps every alternative (the verifier scores them
    all); it counts only when something complete was understood, never
    depending on whether it matches, so a re-ask reveals nothing.
    """
    heard: List[str] = [a for a in alternatives if a and a.strip()]
    if not heard:
        return {}
    found = extract_details(heard, today)
    given: Dict[str, object] = {}
    if found.postcode:
        given["postcode"] = found.postcode
    if found.dob_text:
        given["dob"] = found.dob_text
    if found.name and (requested == "name" or len(given) > 0):
        given["name"] = found.name
    if requested in DETAILS and not given and Evidence(today=today).add(requested, heard):
        given[requested] = heard
    return given


def answers_from(details: Dict[str, object]) -> Answers:
    return Answers(name=details.get("name"), dob=details.get("dob"), postcode=details.get("postcode"))
