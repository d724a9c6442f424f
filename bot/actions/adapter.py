"""What every action shares: the conversation from the tracker's slots, the user's turn, the
context of this deployment, and the replies written to the dispatcher with the changed slots."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance import clock
from training_guidance.dialogue.context import Context
from training_guidance.dialogue.state import Conversation
from training_guidance.dialogue.turn import Replies, Turn
from training_guidance.handoff.config import HandoffConfig
from training_guidance.knowledge import cached_knowledge
from training_guidance.settings import get_settings

STAFF_CHANNEL = "personale"  # the channel only the authenticated staff console reaches


def context() -> Context:
    settings = get_settings()
    config = HandoffConfig.from_env()
    return Context(kb=cached_knowledge(settings.knowledge_dir), today=clock.today(),
                   handoff_codes=config.municipalities, record_retention_days=config.record_retention_days,
                   chat_retention_days=config.chat_retention_days)


def conversation(tracker: Tracker) -> Conversation:
    return Conversation.from_slots(tracker.slots)


def turn(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    button = next(tracker.get_latest_entity_values("answer"), None) if text.startswith("/") else None
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


def slot_events(before: Dict[str, Any], after: Conversation, extra: Optional[Dict[str, Any]] = None) -> List[Dict]:
    changes = after.slot_changes(before)
    changes.update(extra or {})
    return [SlotSet(name, value) for name, value in changes.items()]
