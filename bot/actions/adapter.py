"""What every action shares: the conversation from the tracker's slots, the user's turn, the
context of this deployment, and the replies written to the dispatcher with the changed slots."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance import clock, metrics
from training_guidance.dialogue.context import Context
from training_guidance.dialogue.state import Conversation
from training_guidance.dialogue.turn import Replies, Turn
from training_guidance.handoff.config import HandoffConfig
from training_guidance.handoff.questions import note_unanswered
from training_guidance.knowledge import cached_knowledge
from training_guidance.settings import get_settings

STAFF_CHANNEL = "personale"  # the channel only the authenticated staff console reaches
_LOOKS_LIKE_PAYLOAD = re.compile(r"^\s*[a-z_]+\s*\{")


def context(tracker: Optional[Tracker] = None) -> Context:
    """This deployment's context; with a tracker, the retention periods of its municipality."""
    settings = get_settings()
    config = HandoffConfig.from_env()
    code = tracker.get_slot("municipality_code") if tracker is not None else None
    own = config.for_municipality(code)
    return Context(kb=cached_knowledge(settings.knowledge_dir), today=clock.today(),
                   handoff_codes=config.municipalities, record_retention_days=own.record_retention_days,
                   chat_retention_days=own.chat_retention_days)


def conversation(tracker: Tracker) -> Conversation:
    return Conversation.from_slots(tracker.slots)


def turn(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    button = next(tracker.get_latest_entity_values("answer"), None) if text.startswith("/") else None
    if not text.startswith("/") and _LOOKS_LIKE_PAYLOAD.match(text):
        intent = {}  # a typed payload the channel turned into text: its words are no answer
    metadata = message.get("metadata") or {}
    code = metadata.get("kommune") if isinstance(metadata, dict) else None
    page_code = code.strip().zfill(4) if isinstance(code, str) and re.fullmatch(r"\s*\d{3,4}\s*", code) else None
    staff = isinstance(metadata, dict) and metadata.get("mode") == "staff" \
        and tracker.get_latest_input_channel() == STAFF_CHANNEL
    return Turn(text=text, intent=intent.get("name"), confidence=float(intent.get("confidence") or 0.0),
                button=button, page_code=page_code, staff=staff)


def utter(dispatcher: CollectingDispatcher, replies: Replies) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=[b.as_dict() for b in reply.buttons],
                                 json_message=reply.custom)
        count(reply.meta)


def count(meta: Optional[Dict[str, Any]]) -> None:
    """What a reply's meta says is worth counting: outcomes, questions found or not, applications."""
    if not meta:
        return
    if "outcome" in meta:
        metrics.assessment(meta["outcome"], meta.get("code"))
    if "found" in meta:
        for _ in range(1 + len(meta.get("more_questions", []))):
            metrics.question(meta["found"], meta.get("code"))
        note_unanswered(meta)  # for the content owners: CPR-masked, no sender id (handoff/questions.py)
    if meta.get("application"):
        metrics.application(meta.get("code"))


def slot_events(before: Dict[str, Any], after: Conversation, extra: Optional[Dict[str, Any]] = None) -> List[Dict]:
    changes = after.slot_changes(before)
    changes.update(extra or {})
    return [SlotSet(name, value) for name, value in changes.items()]
