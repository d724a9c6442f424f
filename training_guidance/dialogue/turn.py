"""One user message as the dialogue core sees it, and what the assistant says back."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..texts import Voice, say


@dataclass(frozen=True)
class Turn:
    text: str                          # what the user wrote (CPR numbers already masked by the channel)
    intent: Optional[str] = None       # the NLU's guess: a hint, never the only evidence
    confidence: float = 0.0
    button: Optional[str] = None       # the value of an offered answer button ('/inform{"answer": …}')
    page_code: Optional[str] = None    # the kommunekode the web page is set up for (metadata)
    staff: bool = False                # the authenticated staff channel (set by the server)

    @property
    def is_button(self) -> bool:
        return self.button is not None or self.text.startswith("/")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        return {"title": self.title, "payload": self.payload}


def answer_payload(value: str) -> str:
    """The payload of an answer button: the `inform` intent with the `answer` entity."""
    return "/inform" + json.dumps({"answer": value}, ensure_ascii=False)


def button(key: str, voice: Voice, payload: str, **values: Any) -> Button:
    return Button(say(key, voice, **values), payload)


def answer_button(key: str, voice: Voice, value: str, **values: Any) -> Button:
    return Button(say(key, voice, **values), answer_payload(value))


@dataclass(frozen=True)
class Reply:
    """A message: ``key`` names what it is (a catalogue key, or a name for composed messages),
    ``text`` is the Danish as the reader reads it."""

    key: str
    text: str
    buttons: Tuple[Button, ...] = ()
    custom: Optional[Dict[str, Any]] = None
    # Not sent: what the deployment may count or keep ("question": a question the standard did
    # not answer, for the content owners; "outcome": an assessment's outcome).
    meta: Optional[Dict[str, Any]] = None


def reply(key: str, voice: Voice, buttons: Tuple[Button, ...] = (), custom: Optional[dict] = None,
          **values: Any) -> Reply:
    return Reply(key, say(key, voice, **values), tuple(buttons), custom)


@dataclass
class Replies:
    """The messages of one turn, in order."""

    items: List[Reply] = field(default_factory=list)

    def add(self, item: Reply) -> "Replies":
        self.items.append(item)
        return self

    def say(self, key: str, voice: Voice, buttons: Tuple[Button, ...] = (), **values: Any) -> "Replies":
        return self.add(reply(key, voice, buttons, **values))

    def text(self, key: str, text: str, buttons: Tuple[Button, ...] = (), custom: Optional[dict] = None,
             meta: Optional[dict] = None) -> "Replies":
        return self.add(Reply(key, text, tuple(buttons), custom, meta))

    @property
    def keys(self) -> List[str]:
        return [r.key for r in self.items]

    @property
    def texts(self) -> str:
        return "\n".join(r.text for r in self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
