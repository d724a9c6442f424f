"""The eligibility interview: take every fact a message gives, ask what the engine still needs,
one question at a time, then give the assessment with its sources and the structured payload."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance.assessment import DONT_KNOW, assess
from training_guidance.municipalities import find_municipality
from training_guidance.render import Voice, contact_line, journal_note, render_assessment
from training_guidance.understanding import CPR_MASK, INVALID, mask_cpr, parse_answer, understand

from .application import apply_button
from .context import knowledge, page_municipality_slots, today
from .payloads import assessment_payload
from .state import ASK_MUNICIPALITY, ASK_WRITER, BUTTON_COST, BUTTON_PERSON, NOT_UNDERSTOOD, NOT_UNDERSTOOD_BUTTONS, OUT_OF_SCOPE, Interview, ask

CPR_WARNING = (
    "Skriv ikke dit CPR-nummer her. Vi har ikke brug for det, og vi gemmer det ikke."
)
STARTS_INTERVIEW = {"describe_situation", "start_assessment"}
MAX_ATTEMPTS = 2


def _writer_from_text(text: str) -> Optional[str]:
    """Answers to "Skriver du om dig selv eller om en anden?" in the user's own words."""
    low = text.lower()
    if "anden" in low or "pårørende" in low or "paaroerende" in low:
        return "relative"
    if "mig selv" in low or low.strip() in ("mig", "selv", "mig selv"):
        return "citizen"
    return None


def _answer_entity(tracker: Tracker) -> Optional[str]:
    return next(tracker.get_latest_entity_values("answer"), None)


class ActionInterview(Action):
    def name(self) -> Text:
        return "action_interview"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge()
        state = Interview.from_tracker(tracker, kb)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text, had_cpr = mask_cpr(tracker.latest_message.get("text") or "")
        if had_cpr or CPR_MASK in text:  # the REST channel masks it before it is stored
            dispatcher.utter_message(text=CPR_WARNING)
        understood = understand(text, kb) if not text.startswith("/") else None
        button_value = _answer_entity(tracker)
        events: List[Dict[Text, Any]] = page_municipality_slots(tracker)
        new_facts: Dict[str, Any] = dict(understood.facts) if understood else {}
        code = state.code

        # Who is writing, and about whom.
        if understood and understood.relation and state.voice.kind != "staff":
            events += [SlotSet("voice", "relative"), SlotSet("relation", understood.relation)]
            state.voice, state.voice_known = Voice("relative", understood.relation), True
        elif understood and understood.writer and not state.voice_known:
            events.append(SlotSet("voice", understood.writer))
            state.voice, state.voice_known = Voice(understood.writer, state.voice.who), True

        # The answer to the question we asked last.
        asked = state.asked
        answered = False
        if asked == ASK_WRITER:
            choice = button_value or (understood.writer if understood else None) or _writer_from_text(text)
            if choice in ("citizen", "relative"):
                answered = True
                events.append(SlotSet("voice", choice))
                state.voice, state.voice_known = Voice(choice, state.voice.who), True
        elif asked == ASK_MUNICIPALITY:
            found = find_municipality(text, kb) if understood and not understood.municipality_code else None
            if understood and understood.municipality_code:
                code, answered = understood.municipality_code, True
            elif found:
                code, answered = found.code, True
        elif asked:
            value = button_value if button_value is not None else parse_answer(asked, text, intent, kb)
            if value is not INVALID:
                new_facts[asked] = value
                answered = True
            elif asked in new_facts:
                answered = True

        if understood and understood.municipality_code:
            code = understood.municipality_code
        progress = bool(new_facts) or code != state.code or answered
        if asked and not progress:
            return events + self._reask(dispatcher, kb, state)
        if not asked and not progress and intent not in STARTS_INTERVIEW:
            reply = OUT_OF_SCOPE if intent == "out_of_scope" else NOT_UNDERSTOOD
            dispatcher.utter_message(text=reply, buttons=NOT_UNDERSTOOD_BUTTONS)
            return events

        # Remember what we learnt.
        for fact, value in new_facts.items():
            if fact in kb.facts:
                state.facts[fact] = value
                events.append(SlotSet(fact, value))
        if code != state.code:
            entry = find_municipality(code, kb)
            events += [SlotSet("municipality_code", code), SlotSet("municipality", entry.name if entry else None)]
            state.code = code
        events.append(SlotSet("interview_active", True))
        return events + self.next_step(dispatcher, kb, state)

    def _reask(self, dispatcher: CollectingDispatcher, kb, state: Interview) -> List[Dict[Text, Any]]:
        attempts = state.attempts + 1
        fact = state.asked
        if attempts < MAX_ATTEMPTS:
            events = ask(dispatcher, kb, fact, state, prefix="Det forstod jeg ikke helt. ")
            return events + [SlotSet("failed_attempts", attempts)]
        # Never loop: explain, offer a person, and move on without the answer.
        why = kb.facts[fact].why if fact in kb.facts else "Reglerne afhænger af, hvor du bor."
        dispatcher.utter_message(
            text=f"Jeg spørger, fordi: {why} Du kan også tale med en medarbejder. {contact_line(kb, state.code)}"
        )
        if fact == ASK_MUNICIPALITY:
            return [SlotSet("asked_fact", None), SlotSet("failed_attempts", 0), SlotSet("interview_active", False)]
        if fact == ASK_WRITER:
            state.voice, state.voice_known = Voice("citizen", state.voice.who), True
            events = [SlotSet("voice", "citizen")]
        else:
            state.facts[fact] = DONT_KNOW
            events = [SlotSet(fact, DONT_KNOW)]
        state.asked = None
        return events + [SlotSet("failed_attempts", 0)] + self.next_step(dispatcher, kb, state)

    def next_step(self, dispatcher: CollectingDispatcher, kb, state: Interview) -> List[Dict[Text, Any]]:
        """Ask the next question the rules need, or give the assessment."""
        if not state.voice_known:
            return ask(dispatcher, kb, ASK_WRITER, state)
        if state.code is None:
            return ask(dispatcher, kb, ASK_MUNICIPALITY, state)
        result = assess(state.facts, state.code, today(), kb)
        missing = [f for f in result.missing if f != "municipality"]
        if missing:
            return ask(dispatcher, kb, missing[0], state)
        return self.conclude(dispatcher, kb, state, result)

    def conclude(self, dispatcher: CollectingDispatcher, kb, state: Interview, result) -> List[Dict[Text, Any]]:
        day = today()
        messages = render_assessment(kb, result, day, state.voice)
        dispatcher.utter_message(
            text=messages[0], json_message={"assessment": assessment_payload(kb, result, day, state.voice, messages)}
        )
        for message in messages[1:]:
            dispatcher.utter_message(text=message)
        if state.voice.kind == "staff":
            note = journal_note(kb, result, state.facts, day)
            dispatcher.utter_message(text=note, json_message={"journal_note": note})
        more = [BUTTON_COST, {"title": "Hvordan klager jeg?", "payload": "/ask_complaint"}, BUTTON_PERSON]
        apply = apply_button(result.outcome, state.code)
        dispatcher.utter_message(
            text="Vil du søge, eller vil du vide mere?" if apply else "Vil du vide mere?",
            buttons=([apply] if apply else []) + more,
        )
        return [
            SlotSet("asked_fact", None), SlotSet("failed_attempts", 0),
            SlotSet("interview_active", False), SlotSet("track", result.track),
            SlotSet("outcome", result.outcome),
        ]
