"""Danish text for answers and assessments. Every fact is followed by its source."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from .assessment import Assessment
from .deadlines import danish_date, deadline_date, period_words
from .knowledge import KnowledgeBase, Topic
from .knowledge.schema import Event, Item, Standard


@dataclass(frozen=True)
class Voice:
    """Who the assistant is talking to: the citizen, a relative about "din mor", or staff."""

    kind: str = "citizen"  # citizen | relative | staff
    who: str = "personen"  # the citizen as a relative refers to them ("din mor")


OUTCOME_WORDS = {
    "stk1": "Det ser ud til, at {object} kan få genoptræning. Det er træning efter serviceloven § 86, stk. 1.",
    "stk2": "Det ser ud til, at {object} kan få vedligeholdende træning. Det er træning efter serviceloven § 86, stk. 2.",
    # § 140 training is given by the municipality, after the hospital's plan; the hospital trains
    # only a citizen who is admitted now.
    "sundhedsloven_140": (
        "Det ser ud til, at {object} skal have genoptræning efter sundhedsloven § 140. "
        "Det er kommunen, der giver træningen ud fra sygehusets genoptræningsplan."
    ),
    "sundhedsloven_140_admitted": (
        "Mens {object} er indlagt, står sygehuset for træningen. Når {object} kommer hjem, kan kommunen "
        "give træning. Det sker efter en plan fra sygehuset. Det står i sundhedsloven § 140."
    ),
    "not_eligible": "Det ser ud til, at {object} ikke kan få kommunens træning efter § 86.",
    "undetermined": "Jeg kan ikke sige, om {object} kan få træning. Det vurderer kommunen.",
}


def outcome_sentence(outcome: str, voice: Voice) -> str:
    obj = {"citizen": "du", "relative": voice.who, "staff": "borgeren"}[voice.kind]
    return OUTCOME_WORDS[outcome].format(object=obj)


def outcome_key(a: Assessment) -> str:
    """The OUTCOME_WORDS key for an assessment: § 140 reads differently for a citizen admitted now."""
    if a.outcome == "sundhedsloven_140" and any(r.id == "admitted" for r in a.reasons):
        return "sundhedsloven_140_admitted"
    return a.outcome


# Events from which a date can be counted when the citizen acts today.
_FROM_TODAY = {
    Event.inquiry: "Hvis du henvender dig i dag",
    Event.application_received: "Hvis kommunen får din ansøgning i dag",
    Event.decision_received: "Hvis du får afgørelsen i dag",
    Event.complaint_received: "Hvis kommunen får din klage i dag",
}


@dataclass
class Answer:
    found: bool
    lines: List[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def cite(item: Item, standard: Optional[Standard] = None) -> str:
    if item.valid_from:
        when = f", gælder fra {item.valid_from.strftime('%d.%m.%Y')}"
    elif standard is not None and standard.document.stated_date:
        when = f", standarden er fra {standard.document.stated_date_words()}"  # "marts 2021": no invented day
    else:
        when = ""
    return f"(Kilde: {item.source.cite()}{when})"


def item_line(item: Item, today: dt.date, standard: Optional[Standard] = None) -> str:
    """The item's text, its date if it is a deadline that can start today, and its source."""
    line = item.text
    period = item.period
    if period and period.counts_from in _FROM_TODAY:
        end = deadline_date(today, period)
        if end:
            what = "målet" if period.goal else "fristen"
            line += f" {_FROM_TODAY[period.counts_from]}, er {what} {danish_date(end)} ({period_words(period)})."
    return f"{line} {cite(item, standard)}"


# A question a citizen asks → the topics (and optionally item ids) that answer it, in order.
QUESTIONS = {
    "transport": [(Topic.cost, {"transport"}), (Topic.transport, None)],
    "cost": [(Topic.cost, None)],
    "duration": [(Topic.duration, None)],
    "frequency": [(Topic.frequency, None)],
    "place": [(Topic.place, None)],
    "content": [(Topic.included, None)],
    "not_included": [(Topic.not_included, None)],
    "deadlines": [(Topic.deadlines, None)],
    "apply": [(Topic.how_to_apply, None)],
    "complaint": [(Topic.complaint, None), (Topic.professional_complaint, None)],
    "cancellation": [(Topic.duties, None)],
    "relatives": [(Topic.relatives, None)],
}
# Questions the national rules answer, whatever the municipality.
NATIONAL_QUESTIONS = {
    "hospital_plan": ["hospital_plan", "sundhedsloven_140_delivery", "sundhedsloven_140_start"],
    "vederlagsfri": ["sundhedsloven_140a"],
    "difference": ["temporary_loss", "lasting_need"],
    "privacy": ["personal_data"],
}
# Always added to a municipal answer on these questions (the law behind the local rule).
NATIONAL_ADDITIONS = {
    "complaint": ["complaint_deadline", "complaint_how", "reconsideration", "digital_post", "patient_complaints"],
    "relatives": ["forvaltningsloven_8"],
}
# Questions whose topic is broader than the question: the answer must mention one of these words.
MUST_MENTION = {"cancellation": r"afbud|melde fra|aflys"}
QUESTION_TOPIC_WORDS = {"cancellation": "afbud"}
OFFER_TITLES = {"stk1": "Genoptræning", "stk2": "Vedligeholdende træning"}


def _municipality_name(kb: KnowledgeBase, code: Optional[str]) -> str:
    entry = next((m for m in kb.municipalities.municipalities if m.code == code), None)
    return entry.name if entry else "din kommune"


def answer(
    kb: KnowledgeBase,
    code: Optional[str],
    question: str,
    today: dt.date,
    offer: Optional[str] = None,
) -> Answer:
    """The answer to a question for a municipality, with sources, or an honest 'we do not know'."""
    if question in NATIONAL_QUESTIONS:
        return Answer(True, _national_lines(kb, NATIONAL_QUESTIONS[question], today))
    plan = QUESTIONS.get(question) or [(Topic(question), None)]
    standard = kb.standard_for(code)
    name = _municipality_name(kb, code)
    national = _national_lines(kb, NATIONAL_ADDITIONS.get(question, []), today)
    if standard is None:
        lines = [kb.national.items["no_standard"].text.replace("{kommune}", name)]
        return Answer(False, lines + national + [contact_line(kb, code)])
    offers = [offer] if offer in standard.offers else list(standard.offers)
    per_offer = {key: _lines_for(kb, code, plan, key, today, standard) for key in offers}
    distinct = {tuple(v) for v in per_offer.values() if v}
    lines: List[str] = []
    if len(distinct) > 1:  # the standard answers differently for stk. 1 and stk. 2
        for key, offer_lines in per_offer.items():
            if offer_lines:
                lines.append(f"{OFFER_TITLES[key]}:")
                lines.extend(offer_lines)
    elif distinct:
        lines.extend(next(iter(distinct)))
    if not lines:
        lines = [f"Det står ikke i den kvalitetsstandard, vi har fra {name} Kommune."]
        return Answer(False, lines + national + [contact_line(kb, code)])
    must = MUST_MENTION.get(question)
    if must and not any(re.search(must, line, re.IGNORECASE) for line in lines):
        # The topic has items, but none answers this exact question: say so before the rest.
        lines.insert(0, f"Om {QUESTION_TOPIC_WORDS[question]} står der ikke noget i kvalitetsstandarden fra {name} Kommune. "
                        "Men den siger dette om dine pligter:")
        return Answer(False, lines + national + [contact_line(kb, code)])
    return Answer(True, lines + national)


def _lines_for(kb, code, plan, offer, today, standard) -> List[str]:
    seen, lines = set(), []
    for plan_topic, ids in plan:
        for item in kb.items(code, plan_topic, offer):
            if (ids is None or item.id in ids) and item.text not in seen:
                seen.add(item.text)
                lines.append(item_line(item, today, standard))
    return lines


def _national_lines(kb: KnowledgeBase, ids: List[str], today: dt.date) -> List[str]:
    return [item_line(kb.national.items[i], today) for i in ids if i in kb.national.items]


def contact_line(kb: KnowledgeBase, code: Optional[str]) -> str:
    """How to reach a person: the standard's phone number where it has one."""
    for item in kb.items(code, Topic.contact) + kb.items(code, Topic.how_to_apply) if code else []:
        if item.phone:
            hours = f" ({item.phone.hours})" if item.phone.hours else ""
            return f"Ring til kommunen på {item.phone.number}{hours}. {cite(item, kb.standard_for(code))}"
    return "Ring til din kommune, hvis du vil tale med en person. Nummeret står på kommunens hjemmeside."


# --- the interview --------------------------------------------------------------------------

def question_text(kb: KnowledgeBase, fact: str, voice: Voice) -> str:
    questions = kb.facts[fact].questions
    if voice.kind == "relative":
        return questions.relative.replace("{who}", voice.who)
    return questions.staff if voice.kind == "staff" else questions.citizen


NATIONAL_FACT_SOURCES = {
    "admitted_to_hospital": "admitted", "hospital_plan": "hospital_plan", "age": "adults_only",
    "condition_course": "serviceloven_88_2",
}


def why_asked(kb: KnowledgeBase, fact: str, code: Optional[str], track: Optional[str]) -> str:
    """For staff: why this question matters, with the rule and its source."""
    why = kb.facts[fact].why
    standard = kb.standard_for(code)
    if standard is not None:
        offers = [track] if track in standard.offers else list(standard.offers)
        for key in offers:
            for crit in standard.offers[key].criteria:
                if crit.fact == fact:
                    return f"Hvorfor: {crit.text} (Kilde: {crit.source.cite()})"
    item = kb.national.items.get(NATIONAL_FACT_SOURCES.get(fact, ""))
    return f"Hvorfor: {why} (Kilde: {item.source.cite()})" if item else f"Hvorfor: {why}"


def render_assessment(kb: KnowledgeBase, a: Assessment, today: dt.date, voice: Voice = Voice()) -> List[str]:
    """The assessment as a few short messages: outcome and reasons, caveats, next steps."""
    first = [outcome_sentence(outcome_key(a), voice)]
    if voice.kind == "relative":
        first.append(f"Reglerne taler til {voice.who} som \"du\".")
    if a.reasons:
        first.append("")
        first.append("Derfor:")
        for r in a.reasons:
            first.append(f"{'✔' if r.met else '✘'} {r.text} (Kilde: {r.source})")
    for fact in a.unanswered:
        first.append(f"? {kb.facts[fact].label}: ikke oplyst. Det afgør kommunen.")
    messages = ["\n".join(first)]
    if a.alternatives:
        messages.append("\n".join(["Det kan du gøre i stedet:"] + [f"• {x}" for x in dict.fromkeys(a.alternatives)]))
    if a.caveats:
        messages.append("\n".join(["Vær opmærksom på:"] + [f"• {c.text}" for c in a.caveats]))
    messages.append(next_steps(kb, a, today, voice))
    return messages


def next_steps(kb: KnowledgeBase, a: Assessment, today: dt.date, voice: Voice = Voice()) -> str:
    lines = ["Sådan kommer du videre:"]
    code = a.municipality_code
    standard = kb.standard_for(code)
    if a.outcome == "sundhedsloven_140" and outcome_key(a) == "sundhedsloven_140_admitted":
        lines.extend(f"• {x}" for x in _national_lines(kb, ["admitted_next"], today))
    elif a.outcome == "sundhedsloven_140":  # the municipality delivers it; the 7-day rule
        lines.extend(f"• {x}" for x in _national_lines(kb, ["sundhedsloven_140_delivery", "sundhedsloven_140_start"], today))
    elif a.outcome in ("stk1", "stk2", "undetermined") and standard is not None:
        for item in kb.items(code, Topic.how_to_apply, a.track)[:3]:
            lines.append(f"• {item_line(item, today, standard)}")
        deadlines = [i for i in kb.items(code, Topic.deadlines, a.track) if i.period and i.period.counts_from in _FROM_TODAY]
        lines.extend(f"• {item_line(i, today, standard)}" for i in deadlines)
    if a.outcome != "sundhedsloven_140":
        lines.extend(f"• {x}" for x in _national_lines(kb, ["complaint_deadline"], today))
    if voice.kind == "relative":
        lines.extend(f"• {x}" for x in _national_lines(kb, ["forvaltningsloven_8"], today))
        if standard is not None:  # the municipality's own help for relatives, where it has some
            lines.extend(f"• {item_line(i, today, standard)}" for i in kb.items(code, Topic.relatives, a.track)[:2])
    lines.append(f"• {contact_line(kb, code)}")
    return "\n".join(lines)


def journal_note(kb: KnowledgeBase, a: Assessment, situation: dict, today: dt.date) -> str:
    """A Danish note for the case system: what was said, what it points to, and why."""
    lines = [
        f"Journalnotat – Træningsguiden (vejledning, ikke afgørelse), {danish_date(today)}",
        f"Kommune: {a.municipality_name or 'ikke oplyst'}" + (f" ({a.municipality_code})" if a.municipality_code else ""),
        "Oplyst af borger/pårørende:",
    ]
    lines.extend(f"- {label}: {value}" for label, value in described_facts(kb, situation))
    lines.append(f"Vejledende vurdering: {outcome_sentence(outcome_key(a), Voice('staff'))}")
    if a.legal_basis:
        lines.append(f"Lovgrundlag: {a.legal_basis}")
    for r in a.reasons:
        lines.append(f"- {'Opfyldt' if r.met else 'Ikke opfyldt'}: {r.text} (Kilde: {r.source})")
    if a.missing or a.unanswered:
        lines.append("Ikke afklaret: " + ", ".join(kb.facts[f].label for f in a.missing + a.unanswered if f in kb.facts))
    # The caveats too (ældreloven, the date five months have passed, children's rules ...): the
    # note is the record of what the caller was told. The standard's file follows below.
    for c in a.caveats:
        if c.id not in ("guidance_not_decision", "standard_date"):
            lines.append(f"- Forbehold: {c.text} (Kilde: {c.source})")
    if a.standard_file:
        lines.append(f"Kvalitetsstandard: {a.standard_file}")
    return "\n".join(lines)


def described_facts(kb: KnowledgeBase, situation: dict) -> List[Tuple[str, str]]:
    """The known facts as (Danish label, Danish value), in the order of knowledge/facts.yml."""
    return [(fact.label, _fact_value(fact, situation[fact_id])) for fact_id, fact in kb.facts.items()
            if situation.get(fact_id) is not None]


def _fact_value(fact, value) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if value == "dont_know":
        return "ved ikke"
    if value == "never":
        return "aldrig"
    return fact.choices.get(value, str(value)) if fact.choices else str(value)
