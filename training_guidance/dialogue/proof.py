"""Proof, from a conversation's own events, that the user gave consent and confirmed the summary.

Slots can be set by anyone who can call the action server; the events are the conversation as Rasa
recorded it. An application is stored only when, in this conversation, the assistant showed the
privacy notice and the user's next message said yes, and after that the assistant showed the
summary and the user's next message sent it. Events are Rasa's event dicts (plain JSON).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

from .language import fold

_YES = re.compile(r"^(?:ja|jo|jep|ok|okay|gerne|fint|det\s+ma\s+i|ja\s+tak|selvfolgelig|klart|yes)\b")
_SEND = re.compile(r"^(?:send\w*|ja|jo|ok|okay|det\s+er\s+rigtigt|korrekt)\b")


def _answer_entity(event: Dict[str, Any]) -> Optional[str]:
    text = event.get("text") or ""
    if not text.startswith("/"):
        return None
    for entity in (event.get("parse_data") or {}).get("entities") or []:
        if entity.get("entity") == "answer":
            return str(entity.get("value"))
    return None


def _reply_after(events: List[Dict[str, Any]], start: int) -> Optional[Dict[str, Any]]:
    """The first user message after index ``start``, if no other bot question came between."""
    for event in events[start + 1:]:
        if event.get("event") == "user":
            return event
    return None


def consent_and_confirmation(events: Iterable[Dict[str, Any]], notice: Optional[str]) -> bool:
    """True when the notice ``notice`` was shown and answered yes, and a later summary was sent."""
    events = [e for e in events if e.get("event") in ("user", "bot")]
    if not notice:
        return False
    consent_at = None
    for i, event in enumerate(events):
        if event.get("event") == "bot" and notice in (event.get("text") or ""):
            answer = _reply_after(events, i)
            value = _answer_entity(answer) if answer else None
            text = fold((answer or {}).get("text") or "")
            if answer and (value == "ja" or value is None and _YES.match(text)):
                consent_at = i
    if consent_at is None:
        return False
    for i, event in enumerate(events[consent_at + 1:], start=consent_at + 1):
        if event.get("event") == "bot" and _is_summary(event):
            answer = _reply_after(events, i)
            value = _answer_entity(answer) if answer else None
            text = fold((answer or {}).get("text") or "")
            if answer and (value == "send" or value is None and _SEND.match(text)):
                return True
    return False


def _is_summary(event: Dict[str, Any]) -> bool:
    buttons = (event.get("data") or {}).get("buttons") or []
    return any('"send"' in (b.get("payload") or "") for b in buttons)
