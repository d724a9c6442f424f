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
