"""Assess a citizen's situation against the national rules and the municipality's standard.

Plain Python: facts in, outcome with sourced reasons, missing facts and caveats out. The order of
the steps is documented in docs/engine-rules.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import clock
from .deadlines import danish_date, months_have_passed_on
from .knowledge import KnowledgeBase, Source, Standard, Topic, cached_knowledge
from .knowledge.schema import CourseCover, Criterion, FactType, Op
from .pension_age import has_reached_pension_age

OUTCOMES = ("stk1", "stk2", "sundhedsloven_140", "not_eligible", "undetermined")
NEVER = "never"
DONT_KNOW = "dont_know"  # the user was asked and does not know: never asked again

# The course of the condition → the track when the standard says nothing else, and the national
# reason that explains it. A standard can put a course in its other offer (Offer.courses).
DEFAULT_TRACK = {"temporary": "stk1", "gradual": "stk2", "lasting": "stk2"}
COURSE_REASON = {"temporary": "temporary_loss", "gradual": "gradual_decline", "lasting": "lasting_need"}
HOSPITAL_FACTS = (("admitted_to_hospital", "admitted"), ("hospital_plan", "hospital_plan"))

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
    def __init__(self, kb: KnowledgeBase, code: Optional[str], today: dt.date):
        self.kb = kb
        self.today = today
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
    """Assess ``situation`` (fact id → value; unknown facts absent or None) for a kommunekode on
    ``today`` (default: the assistant's clock), which picks dated rules and dates in caveats."""
    kb = kb or cached_knowledge()
    today = today or clock.today()
    b = _Builder(kb, municipality, today)
    r = b.result

    if municipality is None:
        r.missing.append("municipality")

    _decide(situation, b)

    # Caveats that hold whatever the outcome.
    b.caveat("guidance_not_decision")
    _aeldreloven(situation, b)
    if r.outcome == "not_eligible" and any(x.id == "child" for x in r.failed):
        b.caveat("child")
        for _, topic, item in b.standard.all_items() if b.standard is not None else []:
            if topic is Topic.children:  # what this standard itself says about children
                b.caveat("child_in_standard", item.text, item.source)
    if b.standard is not None:
        doc = b.standard.document
        if doc.stated_date:
            b.caveat(
                "standard_date",
                f"Svaret bygger på kommunens kvalitetsstandard fra {doc.stated_date_words()}. Den kan "
                "være ændret siden. Spørg kommunen, om den stadig gælder.",
                Source(document=doc.file, section="Kvalitetsstandardens dato"),
            )
        else:
            item = b.national["standard_date_unknown"]
            b.caveat("standard_date", item.text, item.source)
    elif municipality is not None:
        b.caveat("no_standard")
    return r


def _aeldreloven(situation: Mapping[str, Any], b: _Builder) -> None:
    """Ældreloven may be the legal basis instead of § 86, refused or not; not for hospital training
    (sundhedsloven § 140 is health law), and not before the law applies."""
    r, today = b.result, b.today
    valid_from = b.national["aeldreloven"].valid_from
    if r.outcome == "sundhedsloven_140" or (valid_from and today < valid_from):
        return
    age = situation.get("age")
    if age == DONT_KNOW:
        b.caveat("aeldreloven")
        return
    if not isinstance(age, (int, float)) or age < b.kb.national.adult_age:
        return
    reached = has_reached_pension_age(b.kb.national.parameters["pension_age"], int(age), today)
    if reached is not False:  # reached, or maybe (the birth date decides)
        b.caveat("aeldreloven")
    elif situation.get("condition_course") in ("gradual", "lasting"):
        # § 2, stk. 2: below pension age when the need matches that of pension-age citizens: a
        # lasting or age-like decline, not a sudden loss that training is expected to restore.
        b.caveat("aeldreloven_under_pension_age")


def _track(course: str, standard: Optional[Standard]) -> Tuple[str, Optional[CourseCover]]:
    if standard is not None:
        for key, offer in standard.offers.items():
            for cover in offer.courses:
                if cover.course == course:
                    return key, cover
    return DEFAULT_TRACK[course], None


def _decide(situation: Mapping[str, Any], b: _Builder) -> None:
    r = b.result
    # 1. National routing: the hospital comes first, for children too (§ 140 has no age limit).
    hospital_missing = []
    for fact, rid in HOSPITAL_FACTS:
        if situation.get(fact) is True:
            r.outcome = "sundhedsloven_140"
            r.missing, r.unanswered = [], []
            b.national_reason(rid)
            return
        if not _known(situation, fact):
            _note_unknown(r, situation, fact)
            if situation.get(fact) != DONT_KNOW:
                hospital_missing.append(fact)
    if not _known(situation, "age"):
        _note_unknown(r, situation, "age")
    elif situation["age"] < b.kb.national.adult_age:
        if hospital_missing:  # ask about the hospital and a genoptræningsplan before refusing
            r.missing = [f for f in r.missing if f in hospital_missing or f == "municipality"]
            return
        r.outcome = "not_eligible"
        r.missing = []
        b.national_reason("child", met=False, item_id="adults_only")
        return

    # 2. The track follows from the course of the condition (and the standard's own courses).
    course = situation.get("condition_course") if _known(situation, "condition_course") else None
    if course not in DEFAULT_TRACK:
        course = None
    cover: Optional[CourseCover] = None
    if course is not None:
        r.track, cover = _track(course, b.standard)

    # 3. A stated vederlagsfri fysioterapi for the same condition: no second offer for the same
    # need, whatever the track and whether the standard describes it.
    if situation.get("vederlagsfri_fysioterapi") is True:
        _course_reason(b, course, cover)
        b.national_reason("vederlagsfri", met=False, item_id="sundhedsloven_140a")
        offer = b.standard.offers.get(r.track) if b.standard is not None and r.track else None
        for crit in offer.criteria if offer is not None else []:
            if _known(situation, crit.fact):  # the standard's own exclusion, and what else is known
                _apply(b, crit, situation[crit.fact])
        r.outcome = "not_eligible"
        r.missing = []
        return

    if course is None:
        _note_unknown(r, situation, "condition_course")
        return
    _course_reason(b, course, cover)

    # 4. No local rules to apply: the municipality decides.
    if b.standard is None:
        return
    offer = b.standard.offers.get(r.track)
    if offer is None:
        b.caveat("no_offer_for_track")
        return

    # 5. The standard's own criteria, in the order the file gives them.
    soft_failures = False
    for crit in offer.criteria:
        if not _known(situation, crit.fact):
            if crit.ask:
                _note_unknown(r, situation, crit.fact)
            continue
        if not _apply(b, crit, situation[crit.fact]) and crit.when_not_met == "undetermined":
            soft_failures = True
    failed_ids = {x.id for x in r.failed}
    if any(c.when_not_met == "not_eligible" and c.id in failed_ids for c in offer.criteria):
        r.outcome = "not_eligible"
        r.missing = []
    elif soft_failures:
        # The standard names another route, or a starting point that the municipality may depart
        # from; the remaining criteria are still worth asking, since they can exclude.
        r.outcome = "undetermined"
    elif not r.missing and not r.unanswered:
        r.outcome = r.track


def _course_reason(b: _Builder, course: Optional[str], cover: Optional[CourseCover]) -> None:
    if cover is not None:
        b.result.reasons.append(Reason("course_in_target_group", cover.text, cover.source.cite()))
    elif course is not None:
        b.national_reason(COURSE_REASON[course])


def _apply(b: _Builder, crit: Criterion, value: Any) -> bool:
    """Add the criterion as a reason (met or not) and what follows when it is not met."""
    r = b.result
    fact_type = b.kb.facts[crit.fact].type
    met = criterion_met(crit, value, fact_type)
    r.reasons.append(Reason(crit.id, crit.text, crit.source.cite(), met))
    if not met:
        if crit.instead:
            r.alternatives.append(crit.instead)
        if crit.date_text and fact_type is FactType.months_or_never and isinstance(value, (int, float)):
            when = months_have_passed_on(b.today, int(value), int(float(crit.value)))
            b.caveat("date_when_met", crit.date_text.format(date=danish_date(when)), crit.source)
    return met
