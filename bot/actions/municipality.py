from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.municipalities import find_municipality

from .answers import utter_answer
from .context import knowledge, municipality_code, today

ASK_MUNICIPALITY = "Hvilken kommune bor du i? Skriv fx Holstebro."
MENU_BUTTONS = [
    {"title": "Hvad koster det?", "payload": "/ask_cost"},
    {"title": "Hvad koster kørsel?", "payload": "/ask_transport"},
    {"title": "Tal med en medarbejder", "payload": "/ask_person"},
]


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(
            text="Hej! Jeg er Træningsguiden, en digital assistent. Jeg hjælper med genoptræning og "
            "vedligeholdende træning i din kommune. Jeg giver vejledning, ikke afgørelser."
        )
        if municipality_code(tracker):
            dispatcher.utter_message(text="Hvad vil du gerne vide?", buttons=MENU_BUTTONS)
        else:
            dispatcher.utter_message(text=ASK_MUNICIPALITY)
        return []


def _mentioned_municipality(tracker: Tracker):
    kb = knowledge()
    for value in tracker.get_latest_entity_values("municipality"):
        found = find_municipality(value, kb)
        if found:
            return found
    return find_municipality(tracker.latest_message.get("text") or "", kb)


class ActionSetMunicipality(Action):
    def name(self) -> Text:
        return "action_set_municipality"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        found = _mentioned_municipality(tracker)
        if found is None:
            dispatcher.utter_message(
                text="Den kommune kender jeg ikke. Skriv navnet på kommunen, fx Holstebro eller Herlev."
            )
            return []
        kb = knowledge()
        events: List[Dict[Text, Any]] = [SlotSet("municipality", found.name), SlotSet("municipality_code", found.code)]
        if kb.standard_for(found.code):
            dispatcher.utter_message(text=f"Tak. Jeg svarer ud fra {found.name} Kommunes kvalitetsstandard.")
        else:
            dispatcher.utter_message(
                text=f"Tak. Vi har ikke {found.name} Kommunes kvalitetsstandard. "
                "Jeg kan fortælle om de regler, der gælder i hele landet."
            )
        pending: Optional[str] = tracker.get_slot("pending_topic")
        if pending:
            utter_answer(dispatcher, found.code, pending, today())
            events.append(SlotSet("pending_topic", None))
        else:
            dispatcher.utter_message(text="Hvad vil du gerne vide?", buttons=MENU_BUTTONS)
        return events
