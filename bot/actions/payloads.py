"""The `assessment` custom payload: everything a web page needs to show the assessment as a card."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List

from training_guidance.knowledge import KnowledgeBase
from training_guidance.render import Voice, next_steps, outcome_sentence

_SOURCE = re.compile(r"^(?P<text>.*?)\s*\(Kilde: (?P<source>[^()]*(?:\([^()]*\)[^()]*)*)\)$")


def split_source(line: str) -> Dict[str, str]:
    """'• Ring til ... (Kilde: X)' → {"text": "Ring til ...", "source": "X"}; no source → ""."""
    line = line.strip().lstrip("•").strip()
    match = _SOURCE.match(line)
    if not match:
        return {"text": line, "source": ""}
    return {"text": match["text"], "source": match["source"]}


def text_parts(messages: List[str]) -> List[str]:
    """The text messages a channel sends for these texts (Rasa splits a text at blank lines)."""
    return [part for message in messages for part in message.strip().split("\n\n")]


def assessment_payload(kb: KnowledgeBase, result, day: dt.date, voice: Voice, messages: List[str]) -> Dict[str, Any]:
    """The engine's payload plus the outcome in words, which reasons are met, next steps with
    their dates, and the text messages the card stands for (a page shows the card instead)."""
    payload = result.as_payload()
    parts = text_parts(messages)
    payload.update({
        "headline": parts[0] if parts else outcome_sentence(result.outcome, voice),
        "reasons": [{**reason.as_payload(), "met": reason.met} for reason in result.reasons],
        "unanswered": [kb.facts[f].label for f in result.unanswered if f in kb.facts],
        "alternatives": list(dict.fromkeys(result.alternatives)),
        "next_steps": [split_source(line) for line in next_steps(kb, result, day, voice).splitlines()[1:]],
        "replaces_texts": parts,
    })
    return payload
