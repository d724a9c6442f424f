"""One conversation's state: the interview and the application, and how it lives in Rasa's slots.

``Conversation.from_slots`` and ``Conversation.slot_changes`` are the only place that knows slot
names, so the Rasa actions stay adapters: slots → state → a step → changed slots.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional

from ..texts import Voice

SKIPPED = "-"  # an optional application field the user chose not to give (None: not asked yet)

# Application fields in the order the form asks them (also the form's required_slots in the domain).
APPLICATION_FIELDS = [
    "municipality_code", "consent", "applicant_role", "fuldmagt", "applicant_relation", "citizen_name",
    "contact_name", "contact_phone", "contact_email", "contact_address", "call_time", "application_confirmed",
]
OPTIONAL_FIELDS = {"contact_email", "contact_address"}
FINISHED = {"declined", "cancelled", "gave_up", "blocked", "sent"}


@dataclass
class Application:
    """What the application form has collected (slots of the same names)."""

    id: Optional[str] = None             # half of the idempotency key; new for every application
    state: Optional[str] = None          # collecting | declined | cancelled | gave_up | sent
    attempts: int = 0                    # failed answers to the current field
    gave_up_on: Optional[str] = None
    reference: Optional[str] = None      # after the commit
    consent: Optional[bool] = None
    consent_at: Optional[str] = None     # ISO time of the "ja"
    consent_text: Optional[str] = None   # the exact notice shown
    applicant_role: Optional[str] = None
    fuldmagt: Optional[str] = None
    applicant_relation: Optional[str] = None
    citizen_name: Optional[str] = None
    contact_name: Optional[str] = None
    contact_phone: Optional[str] = None
    contact_email: Optional[str] = None
    contact_address: Optional[str] = None
    call_time: Optional[str] = None
    application_confirmed: Optional[bool] = None

    def value(self, name: str) -> Any:
        return getattr(self, name)


@dataclass
class Conversation:
    facts: Dict[str, Any] = field(default_factory=dict)  # fact id (knowledge/facts.yml) → value
    said: List[str] = field(default_factory=list)        # the user's own sentences that gave facts
    code: Optional[str] = None                            # the municipality (kommunekode)
    name: Optional[str] = None                            # its name
    voice_kind: Optional[str] = None                      # citizen | relative | staff; None: not known
    relation: Optional[str] = None                        # "din mor" when a relative writes
    asked: Optional[str] = None                           # the interview's open question
    attempts: int = 0                                     # failed answers to it
    active: bool = False                                  # the interview is under way
    paused: bool = False                                  # the user left the interview for now
    track: Optional[str] = None
    outcome: Optional[str] = None
    more: List[str] = field(default_factory=list)        # answers held back for "Vil du vide mere?"
    pending_questions: List[str] = field(default_factory=list)  # asked before the municipality was known
    recent_questions: List[str] = field(default_factory=list)   # answered last: again if the municipality changes
    offer: Optional[str] = None                           # a yes/no offer just made: "assessment", "more"
    application: Application = field(default_factory=Application)

    @property
    def voice(self) -> Voice:
        return Voice(self.voice_kind or "citizen", self.relation)

    @property
    def staff(self) -> bool:
        return self.voice_kind == "staff"

    def copy(self) -> "Conversation":
        return copy.deepcopy(self)

    # --- slots -----------------------------------------------------------------------------------
    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "Conversation":
        def get(name: str, default: Any = None) -> Any:
            value = slots.get(name)
            return default if value is None else value

        app = Application(**{f.name: _slot_value(slots, _APPLICATION_SLOTS[f.name], f.default)
                             for f in fields(Application)})
        app.attempts = int(app.attempts or 0)
        return cls(
            facts=dict(get("facts", {})), said=list(get("said", [])),
            code=get("municipality_code"), name=get("municipality"),
            voice_kind=get("voice"), relation=get("relation"),
            asked=get("asked_fact"), attempts=int(get("failed_attempts", 0)),
            active=bool(get("interview_active", False)), paused=bool(get("interview_paused", False)),
            track=get("track"), outcome=get("outcome"), more=list(get("more", [])),
            pending_questions=list(get("pending_questions", [])),
            recent_questions=list(get("recent_questions", [])), offer=get("offer"), application=app,
        )

    def to_slots(self) -> Dict[str, Any]:
        values = {
            "facts": dict(self.facts) or None, "said": list(self.said) or None,
            "municipality_code": self.code, "municipality": self.name,
            "voice": self.voice_kind, "relation": self.relation,
            "asked_fact": self.asked, "failed_attempts": float(self.attempts) if self.attempts else None,
            "interview_active": self.active or None, "interview_paused": self.paused or None,
            "track": self.track, "outcome": self.outcome, "more": list(self.more) or None,
            "pending_questions": list(self.pending_questions) or None,
            "recent_questions": list(self.recent_questions) or None, "offer": self.offer,
        }
        for f in fields(Application):
            value = getattr(self.application, f.name)
            if f.name == "attempts":
                value = float(value) if value else None
            values[_APPLICATION_SLOTS[f.name]] = value
        return values

    def slot_changes(self, slots: Mapping[str, Any]) -> Dict[str, Any]:
        """The slots whose value differs from ``slots`` (what the action must set)."""
        return {name: value for name, value in self.to_slots().items() if _differs(slots.get(name), value)}


# Application attribute → slot name (the form's slots keep their own names).
_APPLICATION_SLOTS = {f.name: f.name for f in fields(Application)}
_APPLICATION_SLOTS.update({
    "id": "application_id", "state": "application_state", "attempts": "application_attempts",
    "gave_up_on": "application_gave_up_on", "reference": "application_reference",
})

# Every slot the conversation uses, for the domain check in the tests.
SLOT_NAMES = sorted(set(Conversation().to_slots()) | {"requested_slot"})


def _slot_value(slots: Mapping[str, Any], name: str, default: Any) -> Any:
    value = slots.get(name)
    return default if value is None else value


def _differs(old: Any, new: Any) -> bool:
    def norm(value: Any) -> Any:  # an empty dict or list is stored as no value
        return None if value is None or value == {} or value == [] else value

    old, new = norm(old), norm(new)
    return old != new or type(old) is not type(new) and old is not None
