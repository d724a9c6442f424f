"""Assess a citizen's situation against the national rules and the municipality's standard.

Plain Python: facts in, outcome with sourced reasons, missing facts and caveats out. The order of
the steps is documented in docs/engine-rules.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from babel.dates import format_date

from .knowledge import KnowledgeBase, Source, Standard, cached_knowledge
from .knowledge.schema import Criterion, FactType, Op

OUTCOMES = ("stk1", "stk2", "sundhedsloven_140", "not_eligible", "undetermined")
NEVER = "never"
DONT_KNOW = "dont_know"  # the user was asked and does not know: never asked again

LEGAL_BASIS = {
    "stk1": "Serviceloven § 86, stk. 1 (genoptræning)",
    "stk2": "Serviceloven § 86, stk. 2 (vedligeholdende træning)",
    "sundhedsloven_140": "Sundhedsloven § 140 (genoptræning efter udskrivning)",
}


@dataclass(frozen=True)
class Reason:
    id: str
    text: str
    source: str
    met: bool = True

    def as_payload(self) -> Dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class Caveat:
    id: str
    text: str
    source: str


@dataclass
class Assessment:
    outcome: str
    municipality_code: Optional[str]
    municipality_name: Optional[str]
    track: Optional[str]  # stk1/stk2 once the course of the condition is known
    reasons: List[Reason] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)
    unanswered: List[str] = field(default_factory=list)  # asked, but the user did not know
    caveats: List[Caveat] = field(default_factory=list)
    alternatives: List[str] = field(default_factory=list)
    standard_file: Optional[str] = None
    standard_date: Optional[dt.date] = None

    @property
    def legal_basis(self) -> str:
        key = self.outcome if self.outcome in LEGAL_BASIS else self.track
        return LEGAL_BASIS.get(key or "", "")

    @property
    def failed(self) -> List[Reason]:
        return [r for r in self.reasons if not r.met]

    def as_payload(self) -> Dict[str, Any]:
        """The `assessment` custom payload the channels and the web page render from."""
        municipality = (
            {"code": self.municipality_code, "name": self.municipality_name}
            if self.municipality_code
            else None
        )
        return {
            "outcome": self.outcome,
            "municipality": municipality,
            "legal_basis": self.legal_basis,
            "reasons": [r.as_payload() for r in self.reasons],
            "caveats": [c.text for c in self.caveats],
        }


def criterion_met(criterion: Criterion, value: Any, fact_type: FactType) -> bool:
    op, target = criterion.op, criterion.value
    if op is Op.is_true:
        return value is True
    if op is Op.is_false:
        return value is False
    if fact_type is FactType.months_or_never and value == NEVER:
        return {Op.gte: True, Op.lt: False, Op.ne: True, Op.eq: target == NEVER}[op]
    if op is Op.eq:
        return value == target
    if op is Op.ne:
        return value != target
    if op is Op.gte:
        return float(value) >= float(target)
    return float(value) < float(target)  # Op.lt


def _known(situation: Mapping[str, Any], fact: str) -> bool:
    return situation.get(fact) not in (None, DONT_KNOW)


def _note_unknown(result: "Assessment", situation: Mapping[str, Any], fact: str) -> None:
    """An unknown fact is asked (missing) unless the user already said they do not know."""
    bucket = result.unanswered if situation.get(fact) == DONT_KNOW else result.missing
    if fact not in bucket:
        bucket.append(fact)


class _Builder:
    def __init__(self, kb: KnowledgeBase, code: Optional[str]):
        self.kb = kb
        self.national = kb.national.items
        entry = next((m for m in kb.municipalities.municipalities if m.code == code), None)
        self.standard: Optional[Standard] = kb.standard_for(code)
        name = entry.name if entry else (self.standard.municipality.name if self.standard else None)
        self.result = Assessment(
            outcome="undetermined",
            municipality_code=code,
            municipality_name=name,
            track=None,
            standard_file=self.standard.document.file if self.standard else None,
            standard_date=self.standard.document.stated_date if self.standard else None,
        )

    def national_reason(self, rid: str, met: bool = True, item_id: Optional[str] = None) -> None:
        item = self.national[item_id or rid]
        self.result.reasons.append(Reason(rid, item.text, item.source.cite(), met))

    def caveat(self, cid: str, text: Optional[str] = None, source: Optional[Source] = None) -> None:
        item = self.national.get(cid)
        self.result.caveats.append(
            Caveat(cid, text or item.text, (source or item.source).cite())
        )


def assess(
    situation: Mapping[str, Any],
    municipality: Optional[str],
    today: Optional[dt.date] = None,
    kb: Optional[KnowledgeBase] = None,
) -> Assessment:
    """Assess ``situation`` (fact id → value; unknown facts absent or None) for a kommunekode."""
    kb = kb or cached_knowledge()
    b = _Builder(kb, municipality)
    r = b.result
    age = situation.get("age") if _known(situation, "age") else None

    if municipality is None:
        r.missing.append("municipality")

    _decide(situation, b)

    # Caveats that hold whatever the outcome.
    b.caveat("guidance_not_decision")
    # Ældreloven may change the legal basis for anyone of pension age, refused or not; hospital
    # training under sundhedsloven § 140 is not affected.
    if age is not None and age >= kb.national.pension_age and r.outcome != "sundhedsloven_140":
        b.caveat("aeldreloven")
    if r.outcome == "not_eligible" and any(x.id == "child" for x in r.failed):
        b.caveat("child")
    if b.standard is not None:
        doc = b.standard.document
        if doc.stated_date:
            when = format_date(doc.stated_date, "MMMM y", locale="da_DK")
            b.caveat(
                "standard_date",
                f"Svaret bygger på kommunens kvalitetsstandard fra {when}. Den kan være ændret siden. "
                "Spørg kommunen, om den stadig gælder.",
                Source(document=doc.file, section="Kvalitetsstandardens dato"),
            )
        else:
            item = b.national["standard_date_unknown"]
            b.caveat("standard_date", item.text, item.source)
    elif municipality is not None:
        b.caveat("no_standard")
    return r


def _decide(situation: Mapping[str, Any], b: _Builder) -> None:
    r = b.result
    # 1. National routing: the hospital and children are outside § 86.
    for fact, rid in (("admitted_to_hospital", "admitted"), ("hospital_plan", "hospital_plan")):
        value = situation.get(fact)
        if value is True:
            r.outcome = "sundhedsloven_140"
            r.missing, r.unanswered = [], []
            b.national_reason(rid)
            return
        if not _known(situation, fact):
            _note_unknown(r, situation, fact)
    if not _known(situation, "age"):
        _note_unknown(r, situation, "age")
    elif situation["age"] < b.kb.national.adult_age:
        r.outcome = "not_eligible"
        r.missing, r.unanswered = [], []
        b.national_reason("child", met=False, item_id="adults_only")
        return

    # 2. The track follows from the course of the condition.
    if not _known(situation, "condition_course"):
        _note_unknown(r, situation, "condition_course")
        return
    course = situation["condition_course"]
    r.track = "stk1" if course == "temporary" else "stk2"
    b.national_reason("temporary_loss" if r.track == "stk1" else "lasting_need")

    # 3. No local rules to apply: the municipality decides.
    if b.standard is None:
        return
    offer = b.standard.offers.get(r.track)
    if offer is None:
        b.caveat("no_offer_for_track")
        return

    # 4. The standard's own criteria, in the order the file gives them.
    soft_failures = False
    for crit in offer.criteria:
        if not _known(situation, crit.fact):
            _note_unknown(r, situation, crit.fact)
            continue
        met = criterion_met(crit, situation[crit.fact], b.kb.facts[crit.fact].type)
        r.reasons.append(Reason(crit.id, crit.text, crit.source.cite(), met))
        if not met:
            if crit.when_not_met == "undetermined":
                soft_failures = True
            if crit.instead:
                r.alternatives.append(crit.instead)
    failed_ids = {x.id for x in r.failed}
    if any(c.when_not_met == "not_eligible" and c.id in failed_ids for c in offer.criteria):
        r.outcome = "not_eligible"
        r.missing = []
    elif soft_failures:
        # The standard names another route that the municipality judges; the remaining
        # criteria are still worth asking, since they can exclude.
        r.outcome = "undetermined"
    elif not r.missing and not r.unanswered:
        r.outcome = r.track
