"""`action_turn`: every message outside the application form goes through the dialogue core."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.dialogue.converse import respond

from . import adapter


class ActionTurn(Action):
    def name(self) -> Text:
        return "action_turn"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state, replies = respond(adapter.conversation(tracker), adapter.turn(tracker), adapter.context())
        adapter.utter(dispatcher, replies)
        return adapter.slot_events(tracker.slots, state)
