"""What every action needs: the knowledge base, today's date and the conversation's municipality."""
from __future__ import annotations

import datetime as dt
import os
from typing import Optional

from rasa_sdk import Tracker

from training_guidance.knowledge import KnowledgeBase, cached_knowledge


def knowledge() -> KnowledgeBase:
    # Loaded on first use, not at import: the action server starts fast and fails loudly per call.
    return cached_knowledge(os.environ.get("TG_KNOWLEDGE_DIR") or None)


def today() -> dt.date:
    """Today's date; TG_TODAY (YYYY-MM-DD) pins it for tests and demos."""
    pinned = os.environ.get("TG_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def municipality_code(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot("municipality_code")
