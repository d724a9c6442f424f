from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.render import answer, contact_line

from .context import knowledge, municipality_code, today

# Intent → the question the engine answers.
INTENT_QUESTIONS = {
    "ask_transport": "transport",
    "ask_cost": "cost",
}


def utter_answer(dispatcher: CollectingDispatcher, code: str, question: str, day: dt.date) -> None:
    result = answer(knowledge(), code, question, day)
    dispatcher.utter_message(text=result.text)


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        question = INTENT_QUESTIONS.get(intent or "")
        if question is None:
            dispatcher.utter_message(response="utter_default")
            return []
        code = municipality_code(tracker)
        if not code:
            # Answer as soon as we know where the citizen lives.
            dispatcher.utter_message(text="Det svarer jeg gerne på. Hvilken kommune bor du i?")
            return [SlotSet("pending_topic", question)]
        utter_answer(dispatcher, code, question, today())
        return []


class ActionContactPerson(Action):
    def name(self) -> Text:
        return "action_contact_person"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=contact_line(knowledge(), municipality_code(tracker)))
        return []
