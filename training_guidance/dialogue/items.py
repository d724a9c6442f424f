"""Knowledge items as a reader reads them: in their voice, with a deadline's date, and the source
named for people ("Holbæk Kommunes kvalitetsstandard, afsnittet »Hvad koster indsatsen?«").
The seed file name stays in payloads and the journal note, for staff."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, List, Optional

from ..deadlines import danish_date, deadline_date, period_words
from ..knowledge import KnowledgeBase, Topic
from ..knowledge.schema import Event, Item, Source
from ..texts import Voice, in_voice, say

_FROM_TODAY = {
    Event.inquiry: "deadline_when_inquiry",
    Event.application_received: "deadline_when_application",
    Event.decision_received: "deadline_when_decision",
    Event.complaint_received: "deadline_when_complaint",
}


def municipality_name(kb: KnowledgeBase, code: Optional[str]) -> str:
    entry = next((m for m in kb.municipalities.municipalities if m.code == code), None)
    return entry.name if entry else (code or "")


def standard_code_for(kb: KnowledgeBase, source: Source) -> Optional[str]:
    """The municipality whose standard a source's document is, if it is one."""
    return next((code for code, s in kb.standards.items() if s.document.file == source.document), None)


def source_for_people(kb: KnowledgeBase, source: Source) -> str:
    """A source as a person reads it: the municipality's standard and its section, or the law."""
    code = standard_code_for(kb, source)
    if code is not None:
        return f"{_standard_name(kb, code)}, afsnittet »{source.section.rstrip('.')}«"
    return f"{source.document}, {source.section}"


def _standard_name(kb: KnowledgeBase, code: str) -> str:
    """"Ishøj Kommunes kvalitetsstandard fra marts 2021": the standard, dated as it dates itself."""
    document = kb.standards[code].document
    when = document.stated_date_words() if document.stated_date else None
    key = "standard_name_dated" if when else "standard_name"
    return say(key, kommune=municipality_name(kb, code), date=when or "")


def sources_line(kb: KnowledgeBase, sources: Iterable[Source]) -> str:
    """"Kilde: …" for one or more sources; sections of one standard are named together."""
    by_document: dict = {}
    for source in sources:
        by_document.setdefault(source.document, [])
        if source.section not in by_document[source.document]:
            by_document[source.document].append(source.section)
    parts: List[str] = []
    for document, sections in by_document.items():
        # "§ 140, stk. 1" is part of "§ 140, stk. 1, og § 84": name the fuller one only.
        sections = [s for s in sections if not any(s != o and o.startswith(s) for o in sections)]
        code = standard_code_for(kb, Source(document=document, section=sections[0]))
        if code is not None:
            names = " og ".join(f"»{s.rstrip('.')}«" for s in sections)
            afsnit = "afsnittet" if len(sections) == 1 else "afsnittene"
            parts.append(f"{_standard_name(kb, code)}, {afsnit} {names}")
        else:
            parts.append(f"{document}, {', '.join(sections)}")
    return say("source_line", sources="; ".join(parts))


def deadline_sentence(item: Item, today: dt.date, voice: Voice) -> Optional[str]:
    """"Henvender du dig i dag, er fristen mandag den 30. november 2026." for a deadline that can
    start today; None for others."""
    period = item.period
    if not period or period.counts_from not in _FROM_TODAY:
        return None
    end = deadline_date(today, period)
    if end is None:
        return None
    what = say("deadline_what_goal" if period.goal else "deadline_what")
    when = say(_FROM_TODAY[period.counts_from], voice)
    return say("deadline_from_today", voice, when=when, what=what, date=f"{danish_date(end)} ({period_words(period)})")


def item_text(item: Item, voice: Voice, today: dt.date, topic: Optional[Topic] = None) -> str:
    """The item's text in the reader's voice, with the date of a deadline that can start today."""
    text = in_voice(item.text.strip(), voice, about_relatives=topic is Topic.relatives)
    date = deadline_sentence(item, today, voice)
    return f"{text} {in_voice(date, voice)}" if date else text


def phone_item(kb: KnowledgeBase, code: Optional[str]) -> Optional[Item]:
    """The standard's item with the municipality's phone number, if it has one."""
    if not code:
        return None
    for item in kb.items(code, Topic.contact) + kb.items(code, Topic.how_to_apply):
        if item.phone:
            return item
    return None


def contact_text(kb: KnowledgeBase, code: Optional[str], voice: Voice = Voice()) -> str:
    """How to reach a person in the municipality, with the phone number and its source if known."""
    if not code:
        return say("call_unknown", voice)
    kommune = municipality_name(kb, code)
    item = phone_item(kb, code)
    if item is None:
        return say("call_no_phone", voice, kommune=kommune)
    hours = f" ({item.phone.hours})" if item.phone.hours else ""
    return (say("call_phone", voice, kommune=kommune, phone=item.phone.number, hours=hours) + " "
            + sources_line(kb, [item.source]))
