"""The interview's state as it lives in slots, and how to ask its next question."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.knowledge import KnowledgeBase
from training_guidance.knowledge.schema import FactType
from training_guidance.render import Voice, question_text, why_asked

from .context import municipality_code

# Questions that are not facts of the situation but steer the interview.
ASK_WRITER = "writer"
ASK_MUNICIPALITY = "municipality"

WRITER_QUESTION = "Skriver du om dig selv eller om en anden?"
MUNICIPALITY_QUESTION = {
    "citizen": "Hvor bor du? Skriv navnet på din kommune.",
    "relative": "Hvor bor {who}? Skriv navnet på kommunen.",
    "staff": "Borgerens kommune?",
}
YES_NO_BUTTONS = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nej", "payload": "/deny"},
    {"title": "Ved ikke", "payload": "/dont_know"},
]


NOT_UNDERSTOOD = (
    "Det forstod jeg desværre ikke. Jeg kan svare på spørgsmål om træning i din kommune. "
    "Du kan også tale med en medarbejder."
)
OUT_OF_SCOPE = (
    "Det kan jeg desværre ikke hjælpe med. Jeg kan svare på spørgsmål om genoptræning og "
    "vedligeholdende træning i din kommune. Fx om prisen, og hvordan du søger."
)
BUTTON_ASSESS = {"title": "Kan jeg få træning?", "payload": "/start_assessment"}
BUTTON_COST = {"title": "Hvad koster det?", "payload": "/ask_cost"}
BUTTON_PERSON = {"title": "Tal med en medarbejder", "payload": "/ask_person"}
NOT_UNDERSTOOD_BUTTONS = [BUTTON_ASSESS, BUTTON_PERSON]


def answer_button(title: str, value: str) -> Dict[str, str]:
    return {"title": title, "payload": '/inform{"answer": "%s"}' % value}


@dataclass
class Interview:
    facts: Dict[str, Any]
    code: Optional[str]
    voice: Voice
    asked: Optional[str]
    attempts: int
    track: Optional[str]
    voice_known: bool = False

    @classmethod
    def from_tracker(cls, tracker: Tracker, kb: KnowledgeBase) -> "Interview":
        facts = {f: tracker.get_slot(f) for f in kb.facts if tracker.get_slot(f) is not None}
        kind = tracker.get_slot("voice") or "citizen"
        who = tracker.get_slot("relation") or ("borgeren" if kind == "staff" else "personen")
        return cls(
            facts=facts,
            code=municipality_code(tracker),
            voice=Voice(kind, who),
            asked=tracker.get_slot("asked_fact"),
            attempts=int(tracker.get_slot("failed_attempts") or 0),
            track=tracker.get_slot("track"),
            voice_known=tracker.get_slot("voice") is not None,
        )


def question_for(kb: KnowledgeBase, fact: str, voice: Voice) -> str:
    if fact == ASK_WRITER:
        return WRITER_QUESTION
    if fact == ASK_MUNICIPALITY:
        return MUNICIPALITY_QUESTION[voice.kind].replace("{who}", voice.who)
    return question_text(kb, fact, voice)


def buttons_for(kb: KnowledgeBase, fact: str) -> List[Dict[str, str]]:
    if fact == ASK_WRITER:
        return [answer_button("Om mig selv", "citizen"), answer_button("Om en anden", "relative")]
    if fact == ASK_MUNICIPALITY:
        return []
    spec = kb.facts[fact]
    if spec.type is FactType.boolean:
        return YES_NO_BUTTONS
    if spec.type is FactType.choice:
        return [answer_button(title, value) for value, title in spec.choices.items()] + [YES_NO_BUTTONS[2]]
    if spec.type is FactType.months_or_never:
        return [answer_button("Aldrig haft et forløb", "never"), YES_NO_BUTTONS[2]]
    return [YES_NO_BUTTONS[2]]


def ask(
    dispatcher: CollectingDispatcher,
    kb: KnowledgeBase,
    fact: str,
    state: Interview,
    prefix: str = "",
) -> List[Dict[Text, Any]]:
    """Utter the question for ``fact`` (with why, for staff) and remember that it was asked."""
    text = prefix + question_for(kb, fact, state.voice)
    if state.voice.kind == "staff" and fact in kb.facts:
        text += "\n" + why_asked(kb, fact, state.code, state.track)
    dispatcher.utter_message(text=text, buttons=buttons_for(kb, fact))
    events = [SlotSet("asked_fact", fact)]
    if fact != state.asked:
        events.append(SlotSet("failed_attempts", 0))
    return events
