"""The application handoff: privacy notice and consent, the few contact details, a summary to
confirm or correct, then one transaction in the records store and a receipt after the commit.

`application_form` is a Rasa form; `validate_application_form` reads every answer (the slots use
custom mappings) and decides which slot comes next. A side question the answer cannot be read as is
rejected, so the rules answer it and return to the form.
"""
from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
import re
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from training_guidance import clock
from training_guidance.deadlines import danish_date
from training_guidance.handoff import contact as fields
from training_guidance.handoff.consent import CONSENT_VERSION, consent_proven, privacy_notice
from training_guidance.handoff.record import build_draft
from training_guidance.handoff.security import TOO_MANY_APPLICATIONS, SecurityStore, conversation_hash
from training_guidance.municipalities import find_municipality
from training_guidance.render import Voice, contact_line, outcome_sentence
from training_guidance.understanding import CPR_MASK, understand

from . import application_text as t
from .context import knowledge, today
from .records import handoff_config, records_store

log = logging.getLogger(__name__)

FORM = "application_form"
# Every slot the form can ask, in the order it asks them (also the form's list in the domain).
FORM_SLOTS = [
    "municipality_code", "consent", "applicant_role", "fuldmagt", "applicant_relation", "citizen_name",
    "contact_name", "contact_phone", "contact_email", "contact_address", "call_time", "application_confirmed",
]
OPTIONAL = {"contact_email", "contact_address"}
SKIPPED = "-"  # an optional field the user chose not to give (None means: not asked yet)
MAX_ATTEMPTS = 3
# Intents that are questions of their own: while the form waits for an answer it cannot read,
# the rules answer these and come back to the form.
SIDE_INTENTS = {
    "ask_cost", "ask_transport", "ask_duration", "ask_frequency", "ask_place", "ask_content", "ask_not_included",
    "ask_deadlines", "ask_apply", "ask_complaint", "ask_cancellation", "ask_relatives", "ask_hospital_plan",
    "ask_vederlagsfri", "ask_difference", "ask_privacy", "ask_person", "bot_challenge",
}
QUESTION_WORDS = ("hvad", "hvordan", "hvorfor", "hvornår", "hvor", "hvem", "hvilke", "kan", "må", "skal", "får")
CANCEL = re.compile(r"^\s*(annuller\w*|fortryd\w*|afbryd\w*|stop|glem det|jeg vil ikke (søge|alligevel)\w*)\b", re.I)
FINISHED = {"declined", "cancelled", "gave_up", "blocked", "sent"}
RESET_SLOTS = FORM_SLOTS[1:] + ["application_state", "application_attempts", "application_reference",
                                "consent_at", "consent_text"]


def voice_of(tracker: Tracker) -> Voice:
    kind = tracker.get_slot("voice") or "citizen"
    who = tracker.get_slot("relation") or ("borgeren" if kind == "staff" else "personen")
    return Voice(kind, who)


def served(code: str) -> bool:
    """Whether this deployment sends applications for the municipality (TG_HANDOFF_MUNICIPALITIES,
    default: every municipality with a quality standard)."""
    codes = handoff_config().municipalities
    return code in (codes if codes is not None else knowledge().standards)


def blocked_reason(tracker: Tracker) -> Optional[str]:
    """Why no application can be sent from here, in Danish, or None."""
    code = tracker.get_slot("municipality_code")
    if tracker.get_slot("outcome") == "sundhedsloven_140":
        return t.HOSPITAL
    if code and not served(code):
        entry = find_municipality(code, knowledge())
        return t.NOT_SERVED.format(kommune=entry.name if entry else code)
    return None


def apply_button(outcome: Optional[str], code: Optional[str]) -> Optional[Dict[str, str]]:
    """The button that starts an application, where one can be sent from here."""
    if outcome == "sundhedsloven_140" or not code or not served(code):
        return None
    return t.BUTTON_APPLY_ANYWAY if outcome == "not_eligible" else t.BUTTON_APPLY


def needed_slots(tracker: Tracker) -> List[str]:
    """The slots this application still needs, in order; [] ends the form."""
    if tracker.get_slot("application_state") in FINISHED:
        return []
    if not tracker.get_slot("municipality_code"):
        return ["municipality_code"]
    if blocked_reason(tracker) or tracker.get_slot("consent") is False:
        return []
    role = tracker.get_slot("applicant_role")
    slots = ["municipality_code", "consent", "applicant_role"]
    if role == "relative":
        slots += ["fuldmagt", "applicant_relation"]
    slots.append("citizen_name")
    if role == "relative":
        slots.append("contact_name")
    return slots + ["contact_phone", "contact_email", "contact_address", "call_time", "application_confirmed"]


def next_slot(tracker: Tracker) -> Optional[str]:
    return next((s for s in needed_slots(tracker) if tracker.get_slot(s) is None), None)


class ActionPrepareApplication(Action):
    """Start a new application: a new id (half of its idempotency key) and who applies, if known."""

    def name(self) -> Text:
        return "action_prepare_application"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if (tracker.get_slot("application_state") == "collecting" and tracker.get_slot("application_confirmed")
                and tracker.get_slot("application_id")):
            return []  # confirmed but not stored (the database failed): the form completes and sends it
        events = [SlotSet(slot, None) for slot in RESET_SLOTS]
        events += [SlotSet("application_id", uuid.uuid4().hex), SlotSet("application_state", "collecting"),
                   SlotSet("application_attempts", 0), SlotSet("asked_fact", None),
                   SlotSet("interview_active", False)]
        voice = tracker.get_slot("voice")
        if voice in ("citizen", "relative", "staff"):
            events.append(SlotSet("applicant_role", voice))
        return events


def _answer_value(tracker: Tracker) -> Optional[str]:
    return next(tracker.get_latest_entity_values("answer"), None)


def _looks_like_question(text: str) -> bool:
    words = text.strip().lower().split()
    return text.strip().endswith("?") or bool(words and words[0] in QUESTION_WORDS)


def _yes_no(value: Optional[str], intent: Optional[str], text: str) -> Optional[bool]:
    low = text.strip().lower().rstrip(".!")
    if value == "ja" or intent == "affirm" or low in ("ja", "ja tak", "ok", "okay", "gerne", "det må i"):
        return True
    if value == "nej" or intent == "deny" or low in ("nej", "nej tak", "nej, det må i ikke"):
        return False
    return None


CORRECTIONS = (("navn", "citizen_name"), ("telefon", "contact_phone"), ("nummer", "contact_phone"),
               ("mail", "contact_email"), ("adresse", "contact_address"), ("tid", "call_time"))


def read_answer(slot: str, text: str, intent: Optional[str], value: Optional[str], tracker: Tracker) -> Dict[str, Any]:
    """The slot updates for an answer to ``slot``; raises fields.InvalidField with a Danish hint."""
    if slot == "municipality_code":
        kb = knowledge()
        code = understand(text, kb).municipality_code if not value else None
        found = find_municipality(code or value or text, kb)
        if not found:
            raise fields.InvalidField("Den kommune kender jeg ikke. Skriv navnet, fx Holstebro.")
        return {"municipality_code": found.code, "municipality": found.name}
    if slot == "consent":
        answer = _yes_no(value, intent, text)
        if answer is None:
            raise fields.InvalidField("Svar ja eller nej.")
        updates: Dict[str, Any] = {"consent": answer}
        if answer:
            updates["consent_at"] = clock.now().isoformat()
        else:
            updates["application_state"] = "declined"
        return updates
    if slot == "applicant_role":
        low = text.lower()
        role = value if value in ("citizen", "relative") else (
            "relative" if ("anden" in low or "pårørende" in low or "min " in low) else
            "citizen" if ("mig selv" in low or low.strip() in ("mig", "selv")) else None)
        if role is None:
            raise fields.InvalidField("Tryk på 'For mig selv' eller 'For en anden'.")
        updates = {"applicant_role": role}
        if role == "relative" and tracker.get_slot("voice") != "relative":
            updates.update({"voice": "relative", "relation": tracker.get_slot("relation") or "personen"})
        return updates
    if slot == "fuldmagt":
        answer = value if value in ("ja", "nej", "ved_ikke") else (
            "ved_ikke" if intent == "dont_know" else {True: "ja", False: "nej"}.get(_yes_no(None, intent, text)))
        if answer is None:
            raise fields.InvalidField("Svar ja, nej eller ved ikke.")
        return {"fuldmagt": answer}
    if slot == "applicant_relation":
        return {slot: fields.parse_relation(text)}
    if slot in ("citizen_name", "contact_name"):
        return {slot: fields.parse_name(text)}
    if slot == "contact_phone":
        return {slot: fields.parse_phone(text)}
    if slot == "contact_email":
        return {slot: SKIPPED if value == "spring_over" else (fields.parse_email(text) or SKIPPED)}
    if slot == "contact_address":
        return {slot: SKIPPED if value == "spring_over" else (fields.parse_address(text) or SKIPPED)}
    if slot == "call_time":
        return {slot: value if value in fields.CALL_TIMES else fields.parse_call_time(text)}
    if slot == "application_confirmed":
        low = text.lower()
        if value == "send" or intent == "affirm" or low.startswith("send"):
            return {slot: True}
        target = value[4:] if value and value.startswith("ret_") else next(
            (s for word, s in CORRECTIONS if word in low), None)
        if target in FORM_SLOTS:
            return {target: None, slot: None}
        raise fields.InvalidField("Tryk på 'Send ansøgningen'. Eller tryk på det, du vil rette.")
    raise fields.InvalidField("Det forstod jeg ikke.")


def previous_action(tracker: Tracker) -> Optional[str]:
    """The action before this run of the form. Rasa shows the validation action a tracker that ends
    with the form's own execution, so the one before it tells whether the user just answered
    (action_listen), or the form starts or comes back after a side question."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    if actions and actions[-1] == FORM:
        actions = actions[:-1]
    return actions[-1] if actions else None


class ValidateApplicationForm(Action):
    """Reads the answer to the requested slot and names the next one (custom slot mappings)."""

    def name(self) -> Text:
        return "validate_application_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        answered = previous_action(tracker) == "action_listen"
        if not requested or not answered:  # the form starts, or comes back after a side question
            return [SlotSet("requested_slot", next_slot(tracker))]
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        intent = (latest.get("intent") or {}).get("name")
        confidence = (latest.get("intent") or {}).get("confidence") or 0.0
        value = _answer_value(tracker)
        if CPR_MASK in text:
            dispatcher.utter_message(text=t.CPR_WARNING)
        if value == "annuller" or CANCEL.match(text):
            return [SlotSet("application_state", "cancelled"), SlotSet("requested_slot", None)]
        try:
            updates = read_answer(requested, text, intent, value, tracker)
        except fields.InvalidField as problem:
            if value is None and intent in SIDE_INTENTS and confidence >= 0.5:
                return []  # a question of its own: rejected, so the rules answer it
            return self._invalid(dispatcher, tracker, requested, str(problem))
        if (value is None and intent in SIDE_INTENTS and confidence >= 0.8 and _looks_like_question(text)
                and requested not in ("consent", "application_confirmed")):
            return []  # "hvad koster det?" would pass as a name; it is a question
        events = [SlotSet(k, v) for k, v in updates.items()] + [SlotSet("application_attempts", 0)]
        tracker.slots.update(updates)
        if requested == "fuldmagt" and updates["fuldmagt"] != "ja":
            dispatcher.utter_message(text=t.NO_FULDMAGT.format(who=voice_of(tracker).who))
        return events + [SlotSet("requested_slot", next_slot(tracker))]

    def _invalid(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, hint: str) -> List[Dict[Text, Any]]:
        attempts = int(tracker.get_slot("application_attempts") or 0) + 1
        if slot in OPTIONAL and attempts >= 2:
            dispatcher.utter_message(text="Det springer vi over.")
            tracker.slots[slot] = SKIPPED
            return [SlotSet(slot, SKIPPED), SlotSet("application_attempts", 0),
                    SlotSet("requested_slot", next_slot(tracker))]
        if attempts >= MAX_ATTEMPTS:
            return [SlotSet("application_state", "gave_up"), SlotSet("application_gave_up_on", slot),
                    SlotSet("requested_slot", None)]
        dispatcher.utter_message(text=hint)
        return [SlotSet(slot, None), SlotSet("application_attempts", attempts), SlotSet("requested_slot", slot)]


class AskApplicationField(Action, ABC):
    """`action_ask_<slot>`: the question for one slot, in the voice of the conversation."""

    slot = ""

    @abstractmethod
    def _concrete(self) -> None:
        """Only the per-slot subclasses below are actions."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        voice = voice_of(tracker)
        templates = t.QUESTIONS[self.slot]
        text = templates[voice.kind].format(who=voice.who, whose=t.possessive(voice))
        dispatcher.utter_message(text=text, buttons=t.BUTTONS.get(self.slot, []))
        return []


def _ask_class(slot: str) -> type:
    return type(f"Ask_{slot}", (AskApplicationField,), {"slot": slot, "_concrete": lambda self: None})


ASK_ACTIONS = [_ask_class(s) for s in t.QUESTIONS]  # the rasa_sdk registry finds subclasses


class ActionAskConsent(Action):
    """The privacy notice, then the question. The text shown is kept and stored with the consent."""

    def name(self) -> Text:
        return "action_ask_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        config, voice = handoff_config(), voice_of(tracker)
        kommune = tracker.get_slot("municipality") or "Din"
        notice = privacy_notice(kommune, config.record_retention_days, config.chat_retention_days,
                                whose=t.possessive(voice))
        shown = (t.STAFF_READ_ALOUD + notice) if voice.kind == "staff" else notice
        dispatcher.utter_message(text=shown, buttons=t.BUTTONS["consent"])
        return [SlotSet("consent_text", notice)]


def summary(tracker: Tracker) -> str:
    voice = voice_of(tracker)
    role = tracker.get_slot("applicant_role")

    def shown(slot: str) -> str:
        value = tracker.get_slot(slot)
        return "ikke oplyst" if value in (None, SKIPPED) else str(value)

    lines = [f"Her er ansøgningen til {tracker.get_slot('municipality')} Kommune:",
             f"• Navn: {shown('citizen_name')}"]
    if role == "relative":
        fuldmagt = {"ja": "ja", "nej": "nej", "ved_ikke": "ved ikke"}.get(tracker.get_slot("fuldmagt"), "ikke oplyst")
        lines.append(f"• Kontaktperson: {shown('contact_name')} ({shown('applicant_relation')}, fuldmagt: {fuldmagt})")
    lines += [
        f"• Telefon: {shown('contact_phone')}",
        f"• E-mail: {shown('contact_email')}",
        f"• Adresse: {shown('contact_address')}",
        f"• Ring helst: {fields.CALL_TIMES.get(tracker.get_slot('call_time'), 'ikke oplyst')}",
    ]
    outcome = tracker.get_slot("outcome")
    if outcome:
        lines.append(f"• Min vurdering: {outcome_sentence(outcome, voice)}")
    lines.append("Er det rigtigt?")
    return "\n".join(lines)


class ActionAskApplicationConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_application_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=summary(tracker), buttons=t.BUTTONS["application_confirmed"])
        return []


class ActionApplicationDone(Action):
    """After the form: send and show the receipt, or say why nothing was stored."""

    def name(self) -> Text:
        return "action_application_done"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge()
        code = tracker.get_slot("municipality_code")
        phone = contact_line(kb, code)
        state = tracker.get_slot("application_state")
        if state == "sent" and tracker.get_slot("application_reference"):
            return self._receipt(dispatcher, tracker, tracker.get_slot("application_reference"))
        reason = blocked_reason(tracker)
        message = {
            "cancelled": t.CANCELLED,
            "declined": t.DECLINED,
            "gave_up": t.GAVE_UP.format(what=t.FIELD_WORDS.get(tracker.get_slot("application_gave_up_on"), "svaret")),
        }.get(state) or reason
        if message is None and not (tracker.get_slot("consent") is True
                                     and tracker.get_slot("application_confirmed") is True
                                     and tracker.get_slot("application_id")
                                     and consent_proven(tracker.events, tracker.get_slot("consent_text") or "")):
            message = t.CANCELLED  # e.g. a retry button from an earlier, unfinished application, or made-up slots
        if message:
            dispatcher.utter_message(text=f"{message}\n{phone}")
            return [SlotSet("application_state", state if state in FINISHED else "cancelled")]
        return self._submit(dispatcher, tracker, phone)

    def _submit(self, dispatcher: CollectingDispatcher, tracker: Tracker, phone: str) -> List[Dict[Text, Any]]:
        kb, config = knowledge(), handoff_config()
        facts = {fact: tracker.get_slot(fact) for fact in kb.facts if tracker.get_slot(fact) is not None}
        role = tracker.get_slot("applicant_role")
        optional = {s: (None if tracker.get_slot(s) in (None, SKIPPED) else tracker.get_slot(s))
                    for s in ("contact_email", "contact_address")}
        key = f"{tracker.sender_id}:{tracker.get_slot('application_id')}"
        client = (tracker.latest_message.get("metadata") or {}).get("client")  # bot/channels.py
        try:
            limits = SecurityStore(records_store().engine)
            if not records_store().reference_for_key(key) and not limits.application_allowed(tracker.sender_id, client):
                dispatcher.utter_message(text=f"{TOO_MANY_APPLICATIONS}\n{phone}")
                return [SlotSet("application_state", "cancelled")]
            draft = build_draft(
                kb, tracker.get_slot("municipality_code"), facts,
                contact={"citizen_name": tracker.get_slot("citizen_name"), "phone": tracker.get_slot("contact_phone"),
                         "contact_name": tracker.get_slot("contact_name"), "email": optional["contact_email"],
                         "address": optional["contact_address"], "call_time": tracker.get_slot("call_time")},
                applicant={"role": role, "relation": tracker.get_slot("applicant_relation"),
                           "fuldmagt": tracker.get_slot("fuldmagt")},
                consent_text=tracker.get_slot("consent_text") or "", consent_version=CONSENT_VERSION,
                consent_at=dt.datetime.fromisoformat(tracker.get_slot("consent_at")),
                channel=tracker.get_latest_input_channel() or "ukendt",  # set by the server, never the client
                today=today(),
            )
            submitted = records_store().submit(draft, key, config.targets)
            if submitted.created:
                limits.application_stored(tracker.sender_id, client)
        except Exception:  # the database is away, the disk is full ...: no receipt, nothing lost
            # The conversation id is the only key to a citizen's conversation: log its hash.
            log.exception("application of conversation %s could not be stored", conversation_hash(tracker.sender_id))
            dispatcher.utter_message(text=f"{t.SUBMIT_FAILED}\n{phone}", buttons=[t.BUTTON_RETRY])
            return []
        events = [SlotSet("application_reference", submitted.reference), SlotSet("application_state", "sent")]
        if not submitted.created:  # a retry of a stored application: its own deadlines, not today's
            return events + self._receipt(dispatcher, tracker, submitted.reference)
        return events + self._receipt(dispatcher, tracker, submitted.reference, draft.deadline_records())

    def _receipt(self, dispatcher: CollectingDispatcher, tracker: Tracker, reference: str,
                 deadlines: Optional[List[Dict[str, Any]]] = None) -> List[Dict[Text, Any]]:
        """The receipt; ``deadlines`` as stored in the record (read from the store when not given)."""
        kb = knowledge()
        if deadlines is None:
            deadlines = (records_store().get_application(reference) or {}).get("deadlines") or []
        code = tracker.get_slot("municipality_code")
        entry = find_municipality(code, kb) if code else None
        kommune = tracker.get_slot("municipality") or (entry.name if entry else "")
        lines = [t.RECEIPT.format(kommune=kommune, reference=reference), "", t.NEXT_HEADER]
        for deadline in deadlines:
            day = danish_date(dt.date.fromisoformat(deadline["date"]))
            lines.append(f"• {deadline['text']} Det vil sige senest {day}. (Kilde: {deadline['source']})")
        if not deadlines:
            lines.append(f"• {t.NEXT_NONE}")
        lines.append(f"• {contact_line(kb, code)}")
        payload = {"receipt": {"reference": reference, "municipality": {"code": code, "name": kommune},
                               "deadlines": deadlines}}
        dispatcher.utter_message(text="\n".join(lines), json_message=payload)
        return []
