"""The few contact details an application needs, read from what people type, with Danish errors.

Each ``parse_*`` returns the clean value or raises ``InvalidField`` with a short Danish message that
tells the user what to write instead.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from ..cpr import CPR_MASK, contains_cpr, mask_cpr

SKIP_WORDS = {"spring over", "nej", "nej tak", "ingen", "har ikke", "har ingen", "skip", "-", "ved ikke", "vil ikke"}
CALL_TIMES = {
    "formiddag": "Formiddag (kl. 8-12)",
    "eftermiddag": "Eftermiddag (kl. 12-16)",
    "hele_dagen": "Hele dagen (kl. 8-16)",
}
ROLES = {"citizen": "Borgeren selv", "relative": "Pårørende", "staff": "Medarbejder i kommunen"}


class InvalidField(ValueError):
    """The text is not a valid value; ``str(exc)`` is the Danish explanation."""


def _refuse_cpr(text: str, hint: str) -> None:
    """A CPR number is never a valid part of a field: say so, with what to write instead."""
    if contains_cpr(text or "") or CPR_MASK in (text or ""):
        raise InvalidField(f"Det ligner et CPR-nummer. Skriv ikke CPR-nummeret. {hint}")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", mask_cpr(text or "")[0])
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")  # no control characters
    return " ".join(text.split())


def is_skip(text: str) -> bool:
    return _clean(text).lower().strip(".!") in SKIP_WORDS


_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'’-])*$")
# Replies that are answers, not names: the question before the name was often a yes/no question,
# and "Ja" must not become the applicant's name.
NOT_NAMES = {
    "ja", "jo", "jep", "jah", "nej", "nix", "ok", "okay", "okey", "tak", "ja tak", "nej tak", "hej", "hejsa",
    "goddag", "yes", "no", "fint", "godt", "klart", "måske", "ved ikke", "ved det ikke", "spring over",
    "stop", "hjælp", "send", "ingen", "intet", "mig", "mig selv", "min mor", "min far", "borgeren",
}


def parse_name(text: str) -> str:
    name = _clean(text)
    for prefix in ("jeg hedder ", "hun hedder ", "han hedder ", "navnet er ", "mit navn er ", "det er "):
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
    name = name.strip(" .,!")
    if "[CPR-nummer fjernet]" in name or any(ch.isdigit() for ch in name):
        raise InvalidField("Skriv kun navnet, uden tal.")
    if not (2 <= len(name) <= 100) or not _NAME.match(name) or " ".join(name.lower().split()) in NOT_NAMES:
        raise InvalidField("Skriv for- og efternavn, fx Inge Hansen.")
    return " ".join(part[:1].upper() + part[1:] if part.islower() else part for part in name.split())


def parse_phone(text: str) -> str:
    """A Danish phone number: 8 digits, first digit 2-9, optionally +45/0045. Returned as '12 34 56 78'."""
    raw = _clean(text)
    if "[CPR-nummer fjernet]" in raw:
        raise InvalidField("Det ligner et CPR-nummer. Skriv dit telefonnummer med 8 cifre, fx 20 30 40 50.")
    digits = re.sub(r"[\s().-]", "", raw)
    digits = re.sub(r"^(\+45|0045)", "", digits)
    if not re.fullmatch(r"\d+", digits or "x"):
        found = re.findall(r"(?<!\d)(?:\+45|0045)?[\s-]?((?:\d[\s-]?){8})(?!\d)", raw)
        if len(found) != 1:
            raise InvalidField("Skriv et dansk telefonnummer med 8 cifre, fx 20 30 40 50.")
        digits = re.sub(r"\D", "", found[0])
    if len(digits) != 8:
        raise InvalidField("Et dansk telefonnummer har 8 cifre. Skriv det fx sådan: 20 30 40 50.")
    if digits[0] in "01":
        raise InvalidField("Det nummer kan vi ikke ringe til. Skriv et dansk nummer med 8 cifre, fx 20 30 40 50.")
    return " ".join(digits[i:i + 2] for i in range(0, 8, 2))


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")


def parse_email(text: str) -> Optional[str]:
    """An e-mail address, or None when the user skips it."""
    if is_skip(text):
        return None
    _refuse_cpr(text, "Skriv kun e-mailadressen, fx inge@eksempel.dk, eller skriv 'spring over'.")
    email = _clean(text).strip(" .,")
    if not _EMAIL.match(email) or len(email) > 200:
        raise InvalidField("Det ligner ikke en e-mailadresse. Skriv fx inge@eksempel.dk, eller skriv 'spring over'.")
    return email.lower()


def parse_address(text: str) -> Optional[str]:
    """A postal address as written, or None when the user skips it."""
    if is_skip(text):
        return None
    _refuse_cpr(text, "Skriv kun adressen, fx Søndergade 12, 7500 Holstebro.")
    address = _clean(text).strip(" ,")
    if not (5 <= len(address) <= 200) or not re.search(r"[^\W\d_]", address):
        raise InvalidField("Skriv vej, husnummer og postnummer, fx Søndergade 12, 7500 Holstebro. Eller skriv 'spring over'.")
    return address


def parse_call_time(text: str) -> str:
    low = _clean(text).lower()
    if "hele" in low or "lige meget" in low or "ligemeget" in low or "når som helst" in low or "alle" in low:
        return "hele_dagen"
    if "eftermiddag" in low or re.search(r"\b(1[2-6])\b", low):
        return "eftermiddag"
    if "formiddag" in low or "morgen" in low or re.search(r"\b(0?[89]|1[01])\b", low):
        return "formiddag"
    raise InvalidField("Vælg formiddag, eftermiddag eller hele dagen.")


def parse_relation(text: str) -> str:
    """What the relative is to the citizen: 'datter', 'søn', 'ægtefælle' ..."""
    value = _clean(text).lower().strip(" .!")
    for prefix in ("jeg er hendes ", "jeg er hans ", "jeg er ", "hendes ", "hans ", "min ", "mit "):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if not (2 <= len(value) <= 40) or not re.fullmatch(r"[^\W\d_][^\W\d_ -]*(?: [^\W\d_-]+)?", value):
        raise InvalidField("Skriv fx datter, søn, ægtefælle eller nabo.")
    return value
