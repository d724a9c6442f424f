"""Pydantic models for the knowledge files.

Every fact a user can be told is an ``Item``: Danish text, optional structured value, a source and
the date it is valid from. Unknown keys are rejected so that a typo in a YAML file fails loudly.
"""
from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any, Dict, List, Optional, Union

from training_guidance.pydantic_compat import BaseModel, Extra, Field, root_validator, validator

SLUG = re.compile(r"^[a-z0-9_]+$")


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Source(Strict):
    """Where a fact comes from: a seed file and its section heading, or a law and its paragraph."""

    document: str = Field(..., min_length=3)
    section: str = Field(..., min_length=1)
    note: Optional[str] = None

    def cite(self) -> str:
        return f"{self.document}, {self.section}"


class AmountUnit(str, Enum):
    per_day = "per_day"
    per_return_trip = "per_return_trip"
    per_attendance = "per_attendance"
    per_item = "per_item"
    per_stay_day = "per_stay_day"
    once = "once"


class Amount(Strict):
    value: float = Field(..., ge=0)
    currency: str = "DKK"
    unit: AmountUnit

    @validator("currency")
    def _dkk(cls, v: str) -> str:
        if v != "DKK":
            raise ValueError("only DKK amounts are supported")
        return v


class PeriodUnit(str, Enum):
    working_days = "working_days"
    days = "days"
    weeks = "weeks"
    months = "months"
    minutes = "minutes"
    hours = "hours"


class DeadlineKind(str, Enum):
    contact = "contact"              # the municipality contacts the citizen
    visitation = "visitation"        # assessment visit / first conversation takes place
    start = "start"                  # training starts
    decision = "decision"            # written decision sent
    refusal_reasons = "refusal_reasons"  # written reasons for a refusal
    hearing = "hearing"              # partshøring before a refusal
    complaint = "complaint"          # the citizen's deadline to complain
    reconsideration = "reconsideration"  # municipality reconsiders a complaint
    duration = "duration"            # length of a course (not a deadline)
    other = "other"


class Event(str, Enum):
    """What a period counts from. Only some can be turned into a date from 'today'."""

    inquiry = "inquiry"                      # the citizen contacts the municipality
    application_received = "application_received"
    visitation = "visitation"                # the assessment conversation/visit
    grant = "grant"                          # the grant (bevilling) is given / received by provider
    decision_received = "decision_received"  # the citizen receives the decision
    complaint_received = "complaint_received"
    discharge = "discharge"                  # discharge from hospital
    course_start = "course_start"
    previous_course_end = "previous_course_end"


class Period(Strict):
    value: float = Field(..., gt=0)
    unit: PeriodUnit
    kind: DeadlineKind = DeadlineKind.other
    counts_from: Optional[Event] = None
    upper_bound: bool = True  # "senest"/"op til": the value is a maximum
    goal: bool = False        # a quality goal ("det tilstræbes", "kvalitetsmål"), not a promised deadline


class Phone(Strict):
    number: str
    hours: Optional[str] = None

    @validator("number")
    def _danish_number(cls, v: str) -> str:
        if len(re.sub(r"\D", "", v)) != 8:
            raise ValueError(f"a Danish phone number has 8 digits: {v!r}")
        return v


class Item(Strict):
    id: str
    text: str = Field(..., min_length=3)
    source: Source
    valid_from: Optional[dt.date] = None
    amount: Optional[Amount] = None
    free: Optional[bool] = None  # for cost items: no charge
    period: Optional[Period] = None
    phone: Optional[Phone] = None
    url: Optional[str] = None
    email: Optional[str] = None
    address: Optional[str] = None
    # A national rule that is true only where the municipality's standard is not known here
    # ("Vi har ikke din kommunes kvalitetsstandard"): never an answer for one whose standard is
    only_without_standard: bool = False
    # False: a sentence the assessment uses ("Din kommunes kvalitetsstandard nævner ikke denne slags
    # træning"), true only in its context, so never an answer to a question
    answerable: bool = True
    # An item about children (17): no answer to a question that gives an older age ("min far er
    # kun 66, er han for ung til genoptræning")
    max_age: Optional[int] = Field(None, ge=0, le=120)
    # An item for someone who has not reached folkepensionsalderen ("ældreloven kan også gælde for
    # dig, selv om du ikke har nået folkepensionsalderen"): no answer for someone older than any
    # cohort's pension age ("min far på 71")
    below_pension_age: bool = False

    @validator("id")
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError(f"ids are lower-case slugs: {v!r}")
        return v


class Topic(str, Enum):
    legal_basis = "legal_basis"
    purpose = "purpose"
    target_group = "target_group"
    excluded = "excluded"            # who cannot receive it
    included = "included"            # what the training contains
    not_included = "not_included"    # massage, pool training, bath help ...
    place = "place"
    frequency = "frequency"
    duration = "duration"
    provider = "provider"
    free_choice = "free_choice"
    cost = "cost"
    transport = "transport"
    duties = "duties"                # cancellation, lateness, no-shows, infections, smoking
    deadlines = "deadlines"
    how_to_apply = "how_to_apply"
    decision = "decision"            # visitation og afgørelse
    complaint = "complaint"
    professional_complaint = "professional_complaint"
    relatives = "relatives"
    quality_goals = "quality_goals"
    follow_up = "follow_up"
    contact = "contact"
    aids = "aids"                    # hjælpemidler / training equipment
    children = "children"            # what the standard says about children (under 18)


class Op(str, Enum):
    is_true = "is_true"
    is_false = "is_false"
    gte = "gte"
    lt = "lt"
    eq = "eq"
    ne = "ne"


class Criterion(Strict):
    """A rule of the target group. Met when ``fact op value``; not met → not in the target group."""

    id: str
    fact: str
    op: Op
    value: Optional[Union[int, float, str]] = None
    text: str = Field(..., min_length=3)       # the rule, in Danish, as the citizen should read it
    instead: Optional[str] = None               # where to go instead when it is not met
    # What failing it means: most rules exclude; some leave the decision to the municipality
    # (e.g. Herlev stk. 2: plejecenter residents, or citizens the municipality visits otherwise;
    # Ishøj's five months, which hold only "som udgangspunkt").
    when_not_met: str = "not_eligible"
    # False: the rule counts only when the citizen has said so; the interview never asks for it
    # (e.g. Horsens' "dækket af andre igangværende indsatser" for a stated vederlagsfri fysioterapi).
    ask: bool = True
    # For a `gte` rule on a months fact that is not met: a Danish sentence with {date}, the day on
    # which the months will have passed (Ishøj: "Der er gået fem måneder omkring {date}.").
    date_text: Optional[str] = None
    source: Source

    @validator("when_not_met")
    def _effect(cls, v: str) -> str:
        if v not in ("not_eligible", "undetermined"):
            raise ValueError("when_not_met is not_eligible or undetermined")
        return v

    @validator("id")
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError(f"ids are lower-case slugs: {v!r}")
        return v

    @root_validator(skip_on_failure=True)
    def _value_matches_op(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        op, value = values["op"], values.get("value")
        if op in (Op.is_true, Op.is_false) and value is not None:
            raise ValueError(f"{op.value} takes no value")
        if op in (Op.gte, Op.lt, Op.eq, Op.ne) and value is None:
            raise ValueError(f"{op.value} needs a value")
        date_text = values.get("date_text")
        if date_text is not None and (op is not Op.gte or "{date}" not in date_text):
            raise ValueError("date_text goes with op gte and must contain {date}")
        return values


Topics = Dict[Topic, List[Item]]


def _check_topic_items(topics: Topics) -> Topics:
    for topic, items in topics.items():
        if not items:
            raise ValueError(f"topic {topic.value!r} is empty: leave it out instead")
        for item in items:
            if topic is Topic.deadlines and item.period is None:
                raise ValueError(f"deadline item {item.id!r} needs a period")
            if topic is Topic.cost and item.amount is None and item.free is None:
                raise ValueError(f"cost item {item.id!r} needs an amount or free: true/false")
    return topics


class CourseCover(Strict):
    """A course of the condition that the standard puts in this offer although the national default
    puts it in the other one (Holbæk: "svækket over tid" is in its target group for genoptræning)."""

    course: str                                 # a choice of the fact condition_course
    text: str = Field(..., min_length=3)        # why, in Danish, as the citizen should read it
    source: Source


class Offer(Strict):
    """One kind of training (§ 86 stk. 1 or stk. 2) as one standard describes it."""

    title: str
    topics: Topics
    criteria: List[Criterion] = []
    courses: List[CourseCover] = []

    @validator("topics")
    def _topics(cls, v: Topics) -> Topics:
        if Topic.legal_basis not in v:
            raise ValueError("an offer needs its legal_basis")
        return _check_topic_items(v)


class Place(Strict):
    """A place in the municipality that its standard names ("Lærkegaard Center"): a citizen staying
    there lives in that municipality, so a message that names it names the municipality."""
    name: str
    source: Source


class Municipality(Strict):
    code: str
    name: str
    places: List[Place] = []

    @validator("code")
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"\d{4}", v):
            raise ValueError(f"kommunekode has four digits: {v!r}")
        return v


class DatePrecision(str, Enum):
    day = "day"
    month = "month"


_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{2})$")


class Document(Strict):
    file: str
    title: str
    # The adopted/approved date the document states. "2021-03" when it names only the month
    # ("vedtaget ... marts 2021"): stored as the 1st with precision month, never shown as a day.
    stated_date: Optional[dt.date] = None
    stated_date_precision: DatePrecision = DatePrecision.day
    stated_date_text: Optional[str] = None      # the document's own words for that date

    @root_validator(pre=True)
    def _month_only(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        raw = values.get("stated_date")
        m = _MONTH_ONLY.match(raw) if isinstance(raw, str) else None
        if m:
            if "stated_date_precision" in values:
                raise ValueError("a month-only stated_date sets its own precision")
            values = dict(values, stated_date=f"{raw}-01", stated_date_precision=DatePrecision.month)
        return values

    def stated_date_words(self) -> Optional[str]:
        """The stated date in Danish, as precise as the document: '13. december 2023', 'marts 2021'."""
        if self.stated_date is None:
            return None
        from babel.dates import format_date

        pattern = "MMMM y" if self.stated_date_precision is DatePrecision.month else "d. MMMM y"
        return format_date(self.stated_date, pattern, locale="da_DK")


class Standard(Strict):
    municipality: Municipality
    document: Document
    topics: Topics = {}                          # applies to every offer in the standard
    offers: Dict[str, Offer]

    @validator("offers")
    def _offer_keys(cls, v: Dict[str, Offer]) -> Dict[str, Offer]:
        bad = set(v) - {"stk1", "stk2"}
        if bad:
            raise ValueError(f"offers are 'stk1' and/or 'stk2', not {sorted(bad)}")
        if not v:
            raise ValueError("a standard describes at least one offer")
        return v

    @validator("topics")
    def _topics(cls, v: Topics) -> Topics:
        return _check_topic_items(v)

    def all_items(self):
        """(offer key or None, topic, item) for every item in the standard."""
        for topic, items in self.topics.items():
            for item in items:
                yield None, topic, item
        for key, offer in self.offers.items():
            for topic, items in offer.topics.items():
                for item in items:
                    yield key, topic, item


class FactType(str, Enum):
    boolean = "boolean"
    integer = "integer"
    choice = "choice"
    months_or_never = "months_or_never"


class Questions(Strict):
    citizen: str     # "du"
    relative: str    # third person; {who} is replaced by e.g. "din mor" / "personen"
    staff: str       # terse, for the call-centre script


class Fact(Strict):
    type: FactType
    label: str                       # short Danish name, for summaries and journal notes
    questions: Questions
    why: str                         # why it is asked, in Danish
    choices: Dict[str, str] = {}     # for type choice: value → Danish button title
    minimum: Optional[int] = None
    maximum: Optional[int] = None

    @root_validator(skip_on_failure=True)
    def _choices(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if values["type"] is FactType.choice and not values.get("choices"):
            raise ValueError("a choice fact needs choices")
        return values


class ParameterValue(Strict):
    """One value of a dated parameter: a number, or a schedule (e.g. folkepensionsalder by birth
    date: the first birth date of each cohort → its age)."""

    value: Union[float, Dict[dt.date, float]]
    source: Optional[Source] = None              # the law or text in force from this date


class Parameter(Strict):
    """A national value that changes with time, in the style of OpenFisca's parameters: each key of
    ``values`` is the date from which its value applies, and the engine takes the one in force on
    ``today``. Before the first date the parameter has no value (asking is an error)."""

    description: str
    unit: str
    source: Source
    values: Dict[dt.date, ParameterValue]

    @validator("values")
    def _not_empty(cls, v: Dict[dt.date, ParameterValue]) -> Dict[dt.date, ParameterValue]:
        if not v:
            raise ValueError("a parameter needs at least one dated value")
        return v

    def at(self, day: dt.date) -> ParameterValue:
        applying = [start for start in self.values if start <= day]
        if not applying:
            raise ValueError(f"no value in force on {day.isoformat()} (first: {min(self.values).isoformat()})")
        return self.values[max(applying)]


class National(Strict):
    """National rules: law texts and parameters the engine and the answers use."""

    items: Dict[str, Item]
    parameters: Dict[str, Parameter]
    adult_age: int = 18

    @validator("parameters")
    def _engine_parameters(cls, v: Dict[str, Parameter]) -> Dict[str, Parameter]:
        if "pension_age" not in v:
            raise ValueError("the engine needs the parameter 'pension_age'")
        return v

    @validator("items")
    def _ids_match_keys(cls, v: Dict[str, Item]) -> Dict[str, Item]:
        for key, item in v.items():
            if key != item.id:
                raise ValueError(f"item under {key!r} has id {item.id!r}")
        return v


class MunicipalityEntry(Strict):
    code: str
    name: str
    region: str
    aliases: List[str] = []
    # Towns inside the municipality ("Jyderup" is in Holbæk Kommune): a message naming one names it
    towns: List[str] = []

    @validator("code")
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"\d{4}", v):
            raise ValueError(f"kommunekode has four digits: {v!r}")
        return v


class MunicipalityList(Strict):
    source: Source
    towns_source: Optional[Source] = None
    municipalities: List[MunicipalityEntry]
