"""What the assistant says while it takes an application: plain Danish, one question at a time."""
from __future__ import annotations

from typing import Dict, List

from training_guidance.handoff.contact import CALL_TIMES
from training_guidance.render import Voice

BUTTON_APPLY = {"title": "Send en ansøgning til kommunen", "payload": "/request_application"}
BUTTON_APPLY_ANYWAY = {"title": "Søg alligevel", "payload": "/request_application"}
BUTTON_RETRY = {"title": "Prøv at sende igen", "payload": "/submit_application"}
SKIP = {"title": "Spring over", "payload": '/inform{"answer": "spring_over"}'}
CANCEL = {"title": "Annuller", "payload": '/inform{"answer": "annuller"}'}


def answer(title: str, value: str) -> Dict[str, str]:
    return {"title": title, "payload": '/inform{"answer": "%s"}' % value}


def possessive(voice: Voice) -> str:
    """'din', 'din mors', 'borgerens': whose name, address, situation."""
    if voice.kind == "relative":
        return f"{voice.who}s"
    return "borgerens" if voice.kind == "staff" else "din"


QUESTIONS = {
    "municipality_code": {
        "citizen": "Hvor bor du? Skriv navnet på din kommune.",
        "relative": "Hvor bor {who}? Skriv navnet på kommunen.",
        "staff": "Borgerens kommune?",
    },
    "applicant_role": {
        "citizen": "Søger du for dig selv eller for en anden?",
        "relative": "Søger du for dig selv eller for en anden?",
        "staff": "Hvem søger?",
    },
    "fuldmagt": {
        "citizen": "Har du en fuldmagt på skrift?",
        "relative": "Har du en fuldmagt på skrift fra {who}? Kommunen skal bruge den for at tale med dig om sagen.",
        "staff": "Har den pårørende en skriftlig fuldmagt?",
    },
    "applicant_relation": {
        "citizen": "Hvad er du for personen? Skriv fx datter, søn eller ægtefælle.",
        "relative": "Hvad er du for {who}? Skriv fx datter, søn eller ægtefælle.",
        "staff": "Den pårørendes relation til borgeren?",
    },
    "citizen_name": {
        "citizen": "Hvad er dit fulde navn?",
        "relative": "Hvad er {whose} fulde navn?",
        "staff": "Borgerens fulde navn?",
    },
    "contact_name": {
        "citizen": "Hvad er dit fulde navn?",
        "relative": "Og hvad er dit eget fulde navn?",
        "staff": "Den pårørendes navn?",
    },
    "contact_phone": {
        "citizen": "Hvilket nummer kan kommunen ringe til dig på?",
        "relative": "Hvilket nummer kan kommunen ringe til dig på?",
        "staff": "Telefonnummer, som kommunen skal ringe til?",
    },
    "contact_email": {
        "citizen": "Vil du også give din e-mail? Det er frivilligt. Skriv den, eller tryk 'Spring over'.",
        "relative": "Vil du også give din e-mail? Det er frivilligt. Skriv den, eller tryk 'Spring over'.",
        "staff": "E-mail (frivilligt)?",
    },
    "contact_address": {
        "citizen": "Vil du skrive din adresse? Det er frivilligt. Skriv den, eller tryk 'Spring over'.",
        "relative": "Vil du skrive {whose} adresse? Det er frivilligt. Skriv den, eller tryk 'Spring over'.",
        "staff": "Borgerens adresse (frivilligt)?",
    },
    "call_time": {
        "citizen": "Hvornår på dagen passer det bedst, at kommunen ringer?",
        "relative": "Hvornår på dagen passer det bedst, at kommunen ringer til dig?",
        "staff": "Hvornår må kommunen ringe?",
    },
}

BUTTONS: Dict[str, List[Dict[str, str]]] = {
    "consent": [answer("Ja, det må I", "ja"), answer("Nej", "nej")],
    "applicant_role": [answer("For mig selv", "citizen"), answer("For en anden", "relative")],
    "fuldmagt": [answer("Ja", "ja"), answer("Nej", "nej"), answer("Ved ikke", "ved_ikke")],
    "contact_email": [SKIP],
    "contact_address": [SKIP],
    "call_time": [answer(title.split(" (")[0], value) for value, title in CALL_TIMES.items()],
    "application_confirmed": [
        answer("Send ansøgningen", "send"), answer("Ret navn", "ret_citizen_name"),
        answer("Ret telefon", "ret_contact_phone"), answer("Ret e-mail", "ret_contact_email"),
        answer("Ret adresse", "ret_contact_address"), answer("Ret tidspunkt", "ret_call_time"), CANCEL,
    ],
}

STAFF_READ_ALOUD = "Læs op for borgeren:\n"
NO_FULDMAGT = (
    "Det er i orden. Kommunen beder om en fuldmagt, når den ringer. "
    "Uden den kan kommunen kun tale med {who} selv om sagen."
)
CANCELLED = "Ansøgningen er annulleret. Jeg har ikke gemt noget."
DECLINED = "Så gemmer jeg ikke noget. Du kan altid søge ved at ringe til kommunen."
GAVE_UP = "Jeg kan ikke sende ansøgningen uden {what}. Du kan søge ved at ringe til kommunen."
NOT_SERVED = (
    "Herfra kan jeg ikke sende en ansøgning til {kommune} Kommune. "
    "Kontakt kommunen, så hjælper de dig med at søge."
)
HOSPITAL = "Du skal ikke søge. Sygehuset sender genoptræningsplanen til kommunen."
SUBMIT_FAILED = (
    "Det lykkedes ikke at sende ansøgningen. Der er ikke gemt noget. "
    "Prøv igen om lidt. Du kan også ringe til kommunen."
)
RECEIPT = (
    "Tak. Ansøgningen er gemt og sendes nu til {kommune} Kommune.\n"
    "Dit referencenummer er {reference}. Skriv det gerne ned."
)
NEXT_NONE = "Kvalitetsstandarden siger ikke, hvornår kommunen kontakter dig. Ring til kommunen, hvis du ikke hører fra den."
NEXT_HEADER = "Det sker nu:"
CPR_WARNING = "Skriv ikke et CPR-nummer her. Vi har ikke brug for det, og vi gemmer det ikke."
FIELD_WORDS = {"citizen_name": "et navn", "contact_name": "et navn", "contact_phone": "et telefonnummer",
               "applicant_relation": "at vide, hvem du er", "applicant_role": "at vide, hvem der søger", "call_time": "et tidspunkt",
               "municipality_code": "en kommune", "consent": "dit ja"}
