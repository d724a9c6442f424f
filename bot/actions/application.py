"""The application form's adapters: start it, read each answer (rasa_sdk's FormValidationAction:
`required_slots`, `extract_<slot>`, `validate_<slot>`), ask each field, and store it at the end.
What is asked, how an answer is read and what is said all live in training_guidance.dialogue."""
from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from training_guidance import clock
from training_guidance.dialogue import application
from training_guidance.handoff.config import HandoffConfig
from training_guidance.handoff.consent import consent_proven
from training_guidance.handoff.security import SecurityStore, conversation_hash
from training_guidance.handoff.store import RecordStore, shared_store
from training_guidance.settings import get_settings

from . import adapter

log = logging.getLogger(__name__)


def records_store() -> RecordStore:
    """One store (and connection pool) per database URL and process."""
    return shared_store(get_settings().records_url)


class ActionStartApplication(Action):
    def name(self) -> Text:
        return "action_start_application"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = adapter.conversation(tracker)
        application.start(state, uuid.uuid4().hex)
        return adapter.slot_events(tracker.slots, state, {"requested_slot": None})


class ValidateApplicationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_application_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        return application.required_fields(adapter.conversation(tracker), adapter.context(tracker))

    def _extract(self, name: str, tracker: Tracker) -> Dict[Text, Any]:
        """The answer to the field just asked, and only that: nothing when the form starts."""
        if tracker.get_slot("requested_slot") != name or not _user_just_answered(tracker):
            return {}
        return {name: application.extract(name, adapter.turn(tracker)) or ""}

    def _validate(self, name: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != name or not _user_just_answered(tracker):
            # Rasa also validates slots the conversation filled before the form (the municipality,
            # who applies): those were read when they were said, not from this message.
            return {name: value}
        before = dict(tracker.slots)
        state = adapter.conversation(tracker)
        application.setattr_field(state, name, None)  # the raw answer is not the field's value yet
        state, result = application.validate(name, value, adapter.turn(tracker), state, adapter.context(tracker), clock.now)
        adapter.utter(dispatcher, result.replies)
        changes = state.slot_changes(before)
        changes.setdefault(name, application.value_of(state, name))
        return changes

    def extract_municipality_code(self, dispatcher, tracker, domain): return self._extract("municipality_code", tracker)  # noqa: E704,E501
    def extract_consent(self, dispatcher, tracker, domain): return self._extract("consent", tracker)  # noqa: E704
    def extract_applicant_role(self, dispatcher, tracker, domain): return self._extract("applicant_role", tracker)  # noqa: E704,E501
    def extract_fuldmagt(self, dispatcher, tracker, domain): return self._extract("fuldmagt", tracker)  # noqa: E704
    def extract_applicant_relation(self, dispatcher, tracker, domain): return self._extract("applicant_relation", tracker)  # noqa: E704,E501
    def extract_citizen_name(self, dispatcher, tracker, domain): return self._extract("citizen_name", tracker)  # noqa: E704,E501
    def extract_contact_name(self, dispatcher, tracker, domain): return self._extract("contact_name", tracker)  # noqa: E704,E501
    def extract_contact_phone(self, dispatcher, tracker, domain): return self._extract("contact_phone", tracker)  # noqa: E704,E501
    def extract_contact_email(self, dispatcher, tracker, domain): return self._extract("contact_email", tracker)  # noqa: E704,E501
    def extract_contact_address(self, dispatcher, tracker, domain): return self._extract("contact_address", tracker)  # noqa: E704,E501
    def extract_call_time(self, dispatcher, tracker, domain): return self._extract("call_time", tracker)  # noqa: E704
    def extract_application_confirmed(self, dispatcher, tracker, domain): return self._extract("application_confirmed", tracker)  # noqa: E704,E501

    def validate_municipality_code(self, value, dispatcher, tracker, domain): return self._validate("municipality_code", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_consent(self, value, dispatcher, tracker, domain): return self._validate("consent", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_applicant_role(self, value, dispatcher, tracker, domain): return self._validate("applicant_role", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_fuldmagt(self, value, dispatcher, tracker, domain): return self._validate("fuldmagt", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_applicant_relation(self, value, dispatcher, tracker, domain): return self._validate("applicant_relation", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_citizen_name(self, value, dispatcher, tracker, domain): return self._validate("citizen_name", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_contact_name(self, value, dispatcher, tracker, domain): return self._validate("contact_name", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_contact_phone(self, value, dispatcher, tracker, domain): return self._validate("contact_phone", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_contact_email(self, value, dispatcher, tracker, domain): return self._validate("contact_email", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_contact_address(self, value, dispatcher, tracker, domain): return self._validate("contact_address", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_call_time(self, value, dispatcher, tracker, domain): return self._validate("call_time", value, dispatcher, tracker)  # noqa: E704,E501
    def validate_application_confirmed(self, value, dispatcher, tracker, domain): return self._validate("application_confirmed", value, dispatcher, tracker)  # noqa: E704,E501


def _user_just_answered(tracker: Tracker) -> bool:
    """Rasa runs the validation right after the user's message (the last action before the form's
    own run is action_listen), and also when the form starts, which is no answer."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    if actions and actions[-1] == "application_form":
        actions = actions[:-1]
    return bool(actions) and actions[-1] == "action_listen"


class AskField(Action):
    """`action_ask_<field>`: the form's question for one field, in the reader's voice."""

    field = ""

    def name(self) -> Text:
        return f"action_ask_{self.field}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = adapter.conversation(tracker)
        replies, remember = application.ask(self.field, state, adapter.context(tracker))
        adapter.utter(dispatcher, replies)
        if "consent_text" in remember:
            state.application.consent_text = remember["consent_text"]
        return adapter.slot_events(tracker.slots, state)


class AskMunicipalityCode(AskField):
    field = "municipality_code"


class AskConsent(AskField):
    field = "consent"


class AskApplicantRole(AskField):
    field = "applicant_role"


class AskFuldmagt(AskField):
    field = "fuldmagt"


class AskApplicantRelation(AskField):
    field = "applicant_relation"


class AskCitizenName(AskField):
    field = "citizen_name"


class AskContactName(AskField):
    field = "contact_name"


class AskContactPhone(AskField):
    field = "contact_phone"


class AskContactEmail(AskField):
    field = "contact_email"


class AskContactAddress(AskField):
    field = "contact_address"


class AskCallTime(AskField):
    field = "call_time"


class AskApplicationConfirmed(AskField):
    field = "application_confirmed"


class ActionApplicationDone(Action):
    """After the form: store the application and show the receipt, or say why nothing was stored."""

    def name(self) -> Text:
        return "action_application_done"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        before, state, ctx = dict(tracker.slots), adapter.conversation(tracker), adapter.context(tracker)
        app = state.application
        if app.state == "sent" and app.reference:  # asked again: the stored application's own receipt
            stored = records_store().get_application(app.reference) or {}
            adapter.utter(dispatcher, application.receipt(state, ctx, app.reference, stored.get("deadlines") or []))
            return adapter.slot_events(before, state)
        # Slots can be set by anyone who reaches the action server; the conversation's own events cannot.
        proven = consent_proven(tracker.events, app.consent_text or "")
        reason, replies = application.closing(state, ctx, proven)
        if reason:
            adapter.utter(dispatcher, replies)
            return adapter.slot_events(before, state)
        channel = tracker.get_latest_input_channel() or "ukendt"  # set by the server, never the client
        key = f"{tracker.sender_id}:{app.id}"
        client = (tracker.latest_message.get("metadata") or {}).get("client")  # a keyed hash (bot/channels.py)
        try:
            limits = SecurityStore(records_store().engine)
            if not records_store().reference_for_key(key) and not limits.application_allowed(tracker.sender_id, client):
                adapter.utter(dispatcher, application.too_many(state, ctx))
                return adapter.slot_events(before, state)
            draft = application.draft_for(state, ctx, channel)
            targets = HandoffConfig.from_env().for_municipality(state.code).targets  # its own municipality's
            submitted = records_store().submit(draft, key, targets)
            if submitted.created:
                limits.application_stored(tracker.sender_id, client)
        except Exception:  # the database is away, the disk is full …: no receipt, nothing lost
            # The conversation id is the only key to a citizen's conversation: log its hash.
            log.exception("application of conversation %s could not be stored", conversation_hash(tracker.sender_id))
            adapter.utter(dispatcher, application.failed_to_store(state, ctx))
            return adapter.slot_events(before, state)
        deadlines = draft.deadline_records() if submitted.created else (
            (records_store().get_application(submitted.reference) or {}).get("deadlines") or [])
        adapter.utter(dispatcher, application.receipt(state, ctx, submitted.reference, deadlines))
        return adapter.slot_events(before, state)

