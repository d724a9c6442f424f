"""Drafts for the records tests, built the way the assistant builds them."""
import datetime as dt

from training_guidance.handoff.consent import CONSENT_VERSION, privacy_notice
from training_guidance.handoff.record import build_draft
from training_guidance.knowledge import cached_knowledge

TODAY = dt.date(2026, 11, 23)
FACTS = {"admitted_to_hospital": False, "hospital_plan": False, "age": 82, "condition_course": "temporary",
         "potential_to_improve": True, "can_train_alone": False, "motivated": True,
         "hospital_treatment_same_condition": False}


def draft(code="0661", facts=None, **contact):
    kb = cached_knowledge()
    details = {"citizen_name": "Inge Hansen", "phone": "20 30 40 50", "call_time": "formiddag"}
    details.update(contact)
    return build_draft(
        kb, code, dict(FACTS if facts is None else facts), details, {"role": "citizen"},
        privacy_notice("Holstebro", 90, 30), CONSENT_VERSION,
        dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc), "rest", TODAY,
    )
