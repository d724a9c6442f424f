from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.render import NATIONAL_QUESTIONS, answer, contact_line

from .application import apply_button
from .context import knowledge, municipality_code, today
from .state import NOT_UNDERSTOOD, NOT_UNDERSTOOD_BUTTONS, Interview, ask

# Intent → the question the engine answers.
INTENT_QUESTIONS = {
    "ask_transport": "transport",
    "ask_cost": "cost",
    "ask_duration": "duration",
    "ask_frequency": "frequency",
    "ask_place": "place",
    "ask_content": "content",
    "ask_not_included": "not_included",
    "ask_deadlines": "deadlines",
    "ask_apply": "apply",
    "ask_complaint": "complaint",
    "ask_cancellation": "cancellation",
    "ask_relatives": "relatives",
    "ask_hospital_plan": "hospital_plan",
    "ask_vederlagsfri": "vederlagsfri",
    "ask_difference": "difference",
    "ask_privacy": "privacy",
}


def offer_in_question(text: str, track: Optional[str]) -> Optional[str]:
    """stk. 1 or stk. 2 when the question names it; else the track of the assessment, if any."""
    low = text.lower()
    if "vedligehold" in low or "stk. 2" in low or "stk 2" in low:
        return "stk2"
    if "genoptræn" in low or "genoptraen" in low or "stk. 1" in low or "stk 1" in low:
        return "stk1"
    return track


def utter_answer(dispatcher: CollectingDispatcher, code: Optional[str], question: str, day: dt.date,
                 offer: Optional[str] = None) -> None:
    result = answer(knowledge(), code, question, day, offer)
    dispatcher.utter_message(text=result.text)


def resume_interview(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """After a side question, ask the interview's open question again."""
    kb = knowledge()
    state = Interview.from_tracker(tracker, kb)
    if not state.asked:
        return []
    return ask(dispatcher, kb, state.asked, state, prefix="Tilbage til spørgsmålet: ")


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question = INTENT_QUESTIONS.get(intent or "")
        if question is None:
            dispatcher.utter_message(text=NOT_UNDERSTOOD, buttons=NOT_UNDERSTOOD_BUTTONS)
            return []
        code = municipality_code(tracker)
        if not code and question not in NATIONAL_QUESTIONS:
            # Answer as soon as we know where the citizen lives.
            dispatcher.utter_message(text="Det svarer jeg gerne på. Hvor bor du? Skriv navnet på din kommune.")
            return [SlotSet("pending_topic", question)]
        offer = offer_in_question(tracker.latest_message.get("text") or "", tracker.get_slot("track"))
        utter_answer(dispatcher, code, question, today(), offer)
        if tracker.active_loop_name == "application_form":
            return []  # the form asks its question again
        if question == "apply" and not tracker.get_slot("asked_fact"):
            button = apply_button(tracker.get_slot("outcome"), code)
            if button:
                dispatcher.utter_message(text="Jeg kan også sende en ansøgning til kommunen for dig.", buttons=[button])
        return resume_interview(dispatcher, tracker)


class ActionContactPerson(Action):
    def name(self) -> Text:
        return "action_contact_person"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=contact_line(knowledge(), municipality_code(tracker)))
        return resume_interview(dispatcher, tracker)
