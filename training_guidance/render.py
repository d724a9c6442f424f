"""Danish text for answers and assessments. Every fact is followed by its source."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import List, Optional

from .assessment import Assessment
from .deadlines import danish_date, deadline_date, period_words
from .knowledge import KnowledgeBase, Topic
from .knowledge.schema import Event, Item, Standard

TOPIC_WORDS = {
    Topic.legal_basis: "lovgrundlaget",
    Topic.purpose: "formålet",
    Topic.target_group: "hvem der kan få træning",
    Topic.excluded: "hvem der ikke kan få træning",
    Topic.included: "hvad træningen indeholder",
    Topic.not_included: "hvad træningen ikke indeholder",
    Topic.place: "hvor træningen foregår",
    Topic.frequency: "hvor ofte man træner",
    Topic.duration: "hvor længe et forløb varer",
    Topic.provider: "hvem der leverer træningen",
    Topic.free_choice: "frit valg af leverandør",
    Topic.cost: "hvad det koster",
    Topic.transport: "kørsel",
    Topic.duties: "afbud og dine pligter",
    Topic.deadlines: "frister og ventetid",
    Topic.how_to_apply: "hvordan man søger",
    Topic.decision: "visitation og afgørelse",
    Topic.complaint: "hvordan man klager",
    Topic.professional_complaint: "klager over det faglige",
    Topic.relatives: "hjælp til pårørende",
    Topic.quality_goals: "kommunens kvalitetsmål",
    Topic.follow_up: "opfølgning",
    Topic.contact: "kontakt",
    Topic.aids: "hjælpemidler og træningsredskaber",
}

OUTCOME_WORDS = {
    "stk1": "Du er sandsynligvis i målgruppen for genoptræning (serviceloven § 86, stk. 1).",
    "stk2": "Du er sandsynligvis i målgruppen for vedligeholdende træning (serviceloven § 86, stk. 2).",
    "sundhedsloven_140": "Din træning hører sandsynligvis under sundhedsloven § 140, ikke under kommunens § 86.",
    "not_eligible": "Du er sandsynligvis ikke i målgruppen for kommunens træning efter § 86.",
    "undetermined": "Vi kan ikke sige, om du er i målgruppen. Det afgør kommunen.",
}

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
        when = f", standarden er fra {standard.document.stated_date.strftime('%d.%m.%Y')}"
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
}
QUESTION_WORDS = {"transport": "kørsel", "cost": "hvad det koster"}


def answer(
    kb: KnowledgeBase,
    code: Optional[str],
    question: str,
    today: dt.date,
    offer: Optional[str] = None,
) -> Answer:
    """The standard's answer to a question for a municipality, or an honest 'we do not know'."""
    plan = QUESTIONS.get(question) or [(Topic(question), None)]
    topic = plan[0][0]
    standard = kb.standard_for(code)
    entry = next((m for m in kb.municipalities.municipalities if m.code == code), None)
    name = entry.name if entry else "din kommune"
    if standard is None:
        lines = [kb.national.items["no_standard"].text.replace("{kommune}", name)]
        lines.extend(_national_lines(kb, topic, today))
        return Answer(False, lines)
    seen, lines = set(), []
    for plan_topic, ids in plan:
        for item in kb.items(code, plan_topic, offer):
            if (ids is None or item.id in ids) and item.text not in seen:
                seen.add(item.text)
                lines.append(item_line(item, today, standard))
    if not lines:
        words = QUESTION_WORDS.get(question) or TOPIC_WORDS[topic]
        lines = [f"{name} Kommunes kvalitetsstandard siger ikke noget om {words}."]
        lines.extend(_national_lines(kb, topic, today))
        lines.append(contact_line(kb, code))
        return Answer(False, lines)
    return Answer(True, lines)


def _national_lines(kb: KnowledgeBase, topic: Topic, today: dt.date) -> List[str]:
    ids = {
        Topic.complaint: ["complaint_deadline", "complaint_how", "reconsideration"],
        Topic.professional_complaint: ["patient_complaints"],
        Topic.legal_basis: ["serviceloven_86_1", "serviceloven_86_2"],
        Topic.relatives: ["forvaltningsloven_8"],
    }.get(topic, [])
    return [item_line(kb.national.items[i], today) for i in ids if i in kb.national.items]


def contact_line(kb: KnowledgeBase, code: Optional[str]) -> str:
    """How to reach a person: the standard's phone number where it has one."""
    for item in kb.items(code, Topic.contact) + kb.items(code, Topic.how_to_apply) if code else []:
        if item.phone:
            hours = f" ({item.phone.hours})" if item.phone.hours else ""
            return f"Ring til kommunen på {item.phone.number}{hours}. {cite(item, kb.standard_for(code))}"
    return "Kontakt din kommune for at tale med en medarbejder. Du finder kontaktoplysninger på kommunens hjemmeside."


def render_assessment(kb: KnowledgeBase, a: Assessment, today: dt.date) -> str:
    lines = [OUTCOME_WORDS[a.outcome], ""]
    if a.reasons:
        lines.append("Derfor:")
        for r in a.reasons:
            mark = "✔" if r.met else "✘"
            lines.append(f"{mark} {r.text} (Kilde: {r.source})")
    if a.alternatives:
        lines.append("")
        lines.append("Det kan du gøre i stedet:")
        lines.extend(f"• {alt}" for alt in dict.fromkeys(a.alternatives))
    if a.caveats:
        lines.append("")
        lines.append("Vær opmærksom på:")
        lines.extend(f"• {c.text}" for c in a.caveats)
    if a.outcome in ("stk1", "stk2", "undetermined") and a.municipality_code:
        deadlines = [
            i for i in kb.items(a.municipality_code, Topic.deadlines, a.track)
            if i.period and i.period.counts_from in _FROM_TODAY
        ]
        if deadlines:
            lines.append("")
            lines.append("Frister, hvis du søger i dag:")
            standard = kb.standard_for(a.municipality_code)
            lines.extend(f"• {item_line(i, today, standard)}" for i in deadlines)
    if a.municipality_code:
        lines.append("")
        lines.append(contact_line(kb, a.municipality_code))
    return "\n".join(lines).strip()
