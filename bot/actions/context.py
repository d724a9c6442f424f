"""What every action needs: the knowledge base, today's date and the conversation's municipality."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from training_guidance import clock
from training_guidance.knowledge import KnowledgeBase, cached_knowledge
from training_guidance.knowledge.schema import MunicipalityEntry
from training_guidance.municipalities import find_municipality
from training_guidance.settings import get_settings


def knowledge() -> KnowledgeBase:
    # Loaded on first use, not at import: the action server starts fast and fails loudly per call.
    return cached_knowledge(get_settings().knowledge_dir)


def today() -> dt.date:
    """Today's date; TG_TODAY (YYYY-MM-DD) pins it for tests and demos."""
    return clock.today()


def page_municipality(tracker: Tracker) -> Optional[MunicipalityEntry]:
    """The municipality a web page is set up for: message metadata {"kommune": "0661"} (kommunekode)."""
    metadata = tracker.latest_message.get("metadata") or {}
    code = metadata.get("kommune") if isinstance(metadata, dict) else None
    if not isinstance(code, str) or not re.fullmatch(r"\d{3,4}", code.strip()):
        return None
    return find_municipality(code, knowledge())


def municipality_code(tracker: Tracker) -> Optional[str]:
    """The municipality the user named, else the one the web page was set up for."""
    code = tracker.get_slot("municipality_code")
    if code:
        return code
    page = page_municipality(tracker)
    return page.code if page else None


def page_municipality_slots(tracker: Tracker) -> List[Dict[str, Any]]:
    """Remember the page's municipality, unless the conversation already has one."""
    if tracker.get_slot("municipality_code"):
        return []
    page = page_municipality(tracker)
    return [SlotSet("municipality_code", page.code), SlotSet("municipality", page.name)] if page else []
