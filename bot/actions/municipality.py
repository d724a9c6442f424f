from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.municipalities import find_municipality
from training_guidance.render import Voice, contact_line

from .answers import utter_answer
from .context import knowledge, municipality_code, page_municipality, page_municipality_slots, today
from .interview import ActionInterview
from .state import ASK_MUNICIPALITY, BUTTON_ASSESS, BUTTON_COST, BUTTON_PERSON, Interview

ASK_MUNICIPALITY_TEXT = "Hvor bor du? Skriv navnet på din kommune, fx Holstebro."
GREETING = (
    "Hej! Jeg er Træningsguiden. Du skriver med en robot og ikke et menneske. Jeg svarer på "
    "spørgsmål om træning i din kommune. Jeg kan give dig råd. Men det er kommunen, der afgør sagen."
)
MENU_BUTTONS = [
    BUTTON_ASSESS, BUTTON_COST, {"title": "Hvad koster kørsel?", "payload": "/ask_transport"}, BUTTON_PERSON,
]


STAFF_CHANNEL = "personale"  # bot/channels.py: only the web server's staff console can use it
STAFF_ONLY = "Opkaldsmanuskriptet er kun for kommunens personale."


def staff_channel(tracker: Tracker) -> bool:
    """Whether this turn came from the staff console: metadata {"mode": "staff"} on the staff
    channel. The public channels drop a client's "mode" and label messages themselves, so
    neither typing "personale" nor sending metadata starts staff mode."""
    metadata = tracker.latest_message.get("metadata") or {}
    return (isinstance(metadata, dict) and metadata.get("mode") == "staff"
            and tracker.get_latest_input_channel() == STAFF_CHANNEL)


def staff_requested(tracker: Tracker) -> bool:
    """Staff mode is started by the staff channel only."""
    return staff_channel(tracker) and tracker.get_slot("voice") != "staff"


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if staff_requested(tracker):
            return ActionStartStaffMode().run(dispatcher, tracker, domain)
        dispatcher.utter_message(
            text=GREETING
        )
        events = page_municipality_slots(tracker)
        if events:  # the web page told us where the user lives
            dispatcher.utter_message(text=page_municipality_text(page_municipality(tracker)))
        if municipality_code(tracker):
            dispatcher.utter_message(text="Hvad vil du gerne vide?", buttons=MENU_BUTTONS)
        else:
            dispatcher.utter_message(text=ASK_MUNICIPALITY_TEXT)
        return events


def page_municipality_text(entry) -> str:
    """Say which municipality's rules apply when the web page chose it, so the user can correct it."""
    if knowledge().standard_for(entry.code):
        return f"Du er på {entry.name} Kommunes side. Jeg svarer ud fra kommunens regler."
    return (f"Du er på {entry.name} Kommunes side. Vi har ikke kommunens egne regler. "
            "Jeg kan fortælle om de regler, der gælder i hele landet.")


class ActionStartStaffMode(Action):
    def name(self) -> Text:
        return "action_start_staff_mode"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge()
        if not staff_channel(tracker):  # "personale" typed in the public chat
            dispatcher.utter_message(text=f"{STAFF_ONLY} {contact_line(kb, municipality_code(tracker))}")
            return []
        dispatcher.utter_message(
            text="Opkaldsmanuskript for personale. Stil spørgsmålene til borgeren. Under hvert spørgsmål "
            "står reglen og kilden. Til sidst får du et journalnotat."
        )
        state = Interview.from_tracker(tracker, kb)
        state.voice, state.voice_known = Voice("staff", "borgeren"), True
        events = [SlotSet("voice", "staff"), SlotSet("relation", "borgeren"), SlotSet("interview_active", True)]
        return events + ActionInterview().next_step(dispatcher, kb, state)


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
        kb = knowledge()
        found = _mentioned_municipality(tracker)
        if found is None:
            if tracker.get_slot("asked_fact"):  # the interview's own re-ask and its limits apply
                return ActionInterview().run(dispatcher, tracker, domain)
            dispatcher.utter_message(
                text="Den kommune kender jeg ikke. Skriv navnet på kommunen, fx Holstebro eller Herlev."
            )
            return []
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
        if tracker.get_slot("interview_active"):
            state = Interview.from_tracker(tracker, kb)
            state.code = found.code
            if state.asked == ASK_MUNICIPALITY:
                state.asked = None
            return events + ActionInterview().next_step(dispatcher, kb, state)
        if not pending:
            dispatcher.utter_message(text="Hvad vil du gerne vide?", buttons=MENU_BUTTONS)
        return events
