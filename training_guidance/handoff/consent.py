"""The privacy notice shown before anything is stored, and its version.

The text that was shown is stored with the consent, so the municipality can see exactly what the
citizen agreed to. Change CONSENT_VERSION whenever the wording changes.
"""
from __future__ import annotations

CONSENT_VERSION = "2026-11-a"

PRIVACY_NOTICE = (
    "Før jeg sender noget, skal du vide dette:\n"
    "• {kommune} Kommune er dataansvarlig. Kommunen får din ansøgning.\n"
    "• Vi gemmer navn, telefon og evt. e-mail og adresse. Og det, du har fortalt om {whose} situation.\n"
    "• Vi bruger det kun til, at kommunen kan ringe og behandle ansøgningen.\n"
    "• Vi sletter ansøgningen her efter {record_days} dage. Samtalen sletter vi efter {chat_days} dage.\n"
    "• Skriv ikke dit CPR-nummer. Kommunen spørger selv, hvis den skal bruge det.\n"
    "Må vi gemme og sende oplysningerne til kommunen?"
)


def privacy_notice(kommune: str, record_days: int, chat_days: int, whose: str = "din") -> str:
    """``whose``: whose situation the application is about, as the reader says it ("din", "din mors")."""
    return PRIVACY_NOTICE.format(kommune=kommune, record_days=record_days, chat_days=chat_days, whose=whose)


# --- proof of consent, from the conversation's own events -----------------------------------------
# The action that stores an application does not trust its slots (``consent``,
# ``application_confirmed``) alone: it checks in the tracker's raw events (Rasa's event dicts)
# that in this conversation the assistant showed the privacy notice, the user's next message
# said yes, and the user later confirmed the summary. Made-up slots, sent to the action server
# by anyone but Rasa, prove nothing.

NOTICE_START = PRIVACY_NOTICE.split("\n", 1)[0]  # "Før jeg sender noget, skal du vide dette:"
CONSENT_QUESTION = PRIVACY_NOTICE.rsplit("\n", 1)[1]  # "Må vi gemme og sende oplysningerne til kommunen?"
SEND_ANSWER = "send"  # the summary's »Send ansøgningen« button: /inform{"answer": "send"}
YES_WORDS = {"ja", "ja tak", "ok", "okay", "gerne", "det må i"}


def _answer(event: dict) -> tuple:
    """(button value, intent, lower-case text) of a user event."""
    parse = event.get("parse_data") or {}
    value = next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "answer"), None)
    intent = (parse.get("intent") or {}).get("name")
    return value, intent, (event.get("text") or "").strip().lower().rstrip(".!")


def is_notice(event: dict, consent_text: str = "") -> bool:
    """A bot message that shows the privacy notice (and, if given, exactly ``consent_text``)."""
    text = event.get("text") or ""
    return (event.get("event") == "bot" and NOTICE_START in text and CONSENT_QUESTION in text
            and (not consent_text or consent_text in text))


def is_yes(event: dict) -> bool:
    value, intent, text = _answer(event)
    return value == "ja" or intent == "affirm" or text in YES_WORDS


def offers_send(event: dict) -> bool:
    """A bot message with the summary's »Send ansøgningen« button."""
    buttons = (event.get("data") or {}).get("buttons") or []
    return event.get("event") == "bot" and any(
        isinstance(b, dict) and f'"answer": "{SEND_ANSWER}"' in str(b.get("payload") or "") for b in buttons)


def is_send(event: dict) -> bool:
    value, intent, text = _answer(event)
    return value == SEND_ANSWER or intent == "affirm" or text.startswith("send")


def consent_proven(events: list, consent_text: str = "") -> bool:
    """Whether ``events`` (this conversation's raw tracker events) show that, since the last
    session start or restart, the assistant showed the privacy notice (``consent_text`` when
    given), the user's next message after it said yes, and after that the user answered the
    latest summary by sending it."""
    shown = consented = confirmed = False
    waiting_for = None  # "consent" or "confirmation": what the user's next message answers
    for event in events or []:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            shown = consented = confirmed = False
            waiting_for = None
        elif kind == "bot" and is_notice(event, consent_text):
            shown, consented, confirmed, waiting_for = True, False, False, "consent"
        elif kind == "bot" and offers_send(event):
            confirmed, waiting_for = False, "confirmation"
        elif kind == "user":
            if waiting_for == "consent":
                consented = is_yes(event)
            elif waiting_for == "confirmation":
                confirmed = consented and is_send(event)
            waiting_for = None
    return shown and consented and confirmed
