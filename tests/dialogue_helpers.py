"""Conversations with the dialogue core, without Rasa: what a user writes → what the assistant says.

`Talk` keeps the state between turns as the Rasa actions keep it in slots (it goes through
``to_slots``/``from_slots`` every turn, so the slot mapping is tested too), and checks every reply
against the plain-Danish rules the product promises (``check_reply``)."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import List, Optional

from training_guidance.dialogue.context import Context
from training_guidance.dialogue.converse import respond
from training_guidance.dialogue.state import Conversation
from training_guidance.dialogue.turn import Replies, Turn
from training_guidance.knowledge import cached_knowledge
from training_guidance.readability import lix

TODAY = dt.date(2026, 11, 23)
MAX_LINES = 12
SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def context(today: dt.date = TODAY, **kw) -> Context:
    return Context(kb=cached_knowledge(), today=today, **kw)


def button_value(payload: str) -> Optional[str]:
    if payload.startswith("/inform"):
        return json.loads(payload[len("/inform"):])["answer"]
    return None


class Talk:
    def __init__(self, page: Optional[str] = None, staff: bool = False, today: dt.date = TODAY,
                 strict: bool = True, **state):
        self.ctx = context(today)
        self.slots = Conversation(**state).to_slots()
        self.page, self.staff = page, staff
        self.history: List[Replies] = []
        self.strict = strict  # False: plain-Danish problems are collected in .problems, not raised
        self.problems: List[str] = []

    @property
    def state(self) -> Conversation:
        return Conversation.from_slots(self.slots)

    def say(self, text: str, intent: Optional[str] = None, confidence: float = 0.9) -> Replies:
        return self._turn(Turn(text=text, intent=intent, confidence=confidence if intent else 0.0,
                               page_code=self.page, staff=self.staff))

    def press(self, title: str) -> Replies:
        """Press the offered button with this title (it must be in the last reply)."""
        offered = [b for r in self.history[-1] for b in r.buttons]
        chosen = next((b for b in offered if b.title == title), None)
        assert chosen is not None, f"no button {title!r} in {[b.title for b in offered]}"
        value = button_value(chosen.payload)
        intent = chosen.payload[1:].split("{")[0]
        return self._turn(Turn(text=chosen.payload, intent=intent, confidence=1.0, button=value,
                               page_code=self.page, staff=self.staff))

    def _turn(self, turn: Turn) -> Replies:
        state, replies = respond(Conversation.from_slots(self.slots), turn, self.ctx)
        self.slots.update(state.slot_changes(self.slots))
        for reply in replies:
            try:
                check_reply(reply.text, staff=self.staff or reply.key == "journal_note")
            except AssertionError as problem:
                if self.strict:
                    raise
                self.problems.append(str(problem))
        self.history.append(replies)
        return replies


def check_reply(text: str, staff: bool = False) -> None:
    """The plain-Danish promises for every message the assistant sends."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) <= MAX_LINES or staff, f"{len(lines)} lines: {text}"
    if not staff:
        assert not SEED_FILE.search(text), f"a seed file name in a citizen's text: {text}"
    assert "Reglerne taler til" not in text
    prose = re.sub(r"\((?:Kilde: )?[^()]*(?:\([^()]*\)[^()]*)*\)|\bKilde:[^\n]*", "", text)  # citations may repeat
    sentences = [s.strip() for s in _SENTENCE.split(prose) if len(s.strip()) > 25]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, f"repeated in one reply: {repeated}"
    if not staff:
        assert lix(text) <= 40 or len(text.split()) < 12, f"LIX {lix(text):.0f}: {text}"
