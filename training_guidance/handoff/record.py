"""The application record handed to the municipality: what the citizen told, what the engine found,
who to call, and the consent. Validated here, so the store never holds a malformed record."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from training_guidance.pydantic_compat import BaseModel, Extra, Field, root_validator, validator

from ..assessment import Assessment, assess
from ..deadlines import deadline_date
from ..knowledge import KnowledgeBase, Topic
from ..knowledge.schema import Event
from ..cpr import mask_values
from . import contact as fields

SCHEMA = "traeningsguiden.ansoegning/1"
# A deadline in the receipt must count from something that happens when the application is sent.
_COUNTS_FROM_SUBMISSION = (Event.application_received, Event.inquiry)


def mask_deep(value: Any) -> Any:
    """Every string inside ``value`` with CPR-like numbers masked."""
    return mask_values(value)[0]


class _Model(BaseModel):
    class Config:
        extra = Extra.forbid


class Contact(_Model):
    citizen_name: str
    contact_name: Optional[str] = None  # the relative's own name; None when the citizen writes
    phone: str
    email: Optional[str] = None
    address: Optional[str] = None
    call_time: str

    _name = validator("citizen_name", allow_reuse=True)(fields.parse_name)
    _phone = validator("phone", allow_reuse=True)(fields.parse_phone)

    @validator("contact_name")
    def _contact_name(cls, v: Optional[str]) -> Optional[str]:
        return fields.parse_name(v) if v else None

    @validator("email")
    def _email(cls, v: Optional[str]) -> Optional[str]:
        return fields.parse_email(v) if v else None

    @validator("address")
    def _address(cls, v: Optional[str]) -> Optional[str]:
        return fields.parse_address(v) if v else None

    @validator("call_time")
    def _call_time(cls, v: str) -> str:
        if v not in fields.CALL_TIMES:
            raise ValueError(f"call_time must be one of {sorted(fields.CALL_TIMES)}")
        return v


class Applicant(_Model):
    role: str
    relation: Optional[str] = None
    fuldmagt: Optional[str] = None  # ja | nej | ved_ikke, for a relative

    @validator("role")
    def _role(cls, v: str) -> str:
        if v not in fields.ROLES:
            raise ValueError(f"role must be one of {sorted(fields.ROLES)}")
        return v

    @validator("fuldmagt")
    def _fuldmagt(cls, v: Optional[str]) -> Optional[str]:
        if v not in (None, "ja", "nej", "ved_ikke"):
            raise ValueError("fuldmagt must be ja, nej or ved_ikke")
        return v


class Consent(_Model):
    version: str
    text: str = Field(..., min_length=20)
    given_at: dt.datetime


class Deadline(_Model):
    text: str
    date: dt.date
    source: str
    goal: bool = False


class ApplicationDraft(_Model):
    """Everything but the reference, the timestamps and the status, which the store adds."""

    municipality_code: str = Field(..., regex=r"^\d{4}$")
    municipality_name: str
    standard_file: Optional[str] = None
    standard_date: Optional[dt.date] = None
    facts: Dict[str, Any] = {}
    assessment: Dict[str, Any]
    deadlines: List[Deadline] = []
    contact: Contact
    applicant: Applicant
    consent: Consent
    channel: str = "ukendt"

    @root_validator(pre=True)
    def _masked(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        """Every field, not only the free text: no CPR number reaches the store or the municipality."""
        return mask_deep(values)

    def deadline_records(self) -> List[Dict[str, Any]]:
        """The deadlines as the record stores them (JSON: dates as ISO strings)."""
        return [d.dict() | {"date": d.date.isoformat()} for d in self.deadlines]


def submission_deadlines(kb: KnowledgeBase, code: str, track: Optional[str], day: dt.date) -> List[Deadline]:
    """The standard's deadlines that start when the application is sent, as dates from ``day``."""
    found: List[Deadline] = []
    for item in kb.items(code, Topic.deadlines, track):
        period = item.period
        if period is None or period.counts_from not in _COUNTS_FROM_SUBMISSION:
            continue
        end = deadline_date(day, period)
        if end and not any(d.text == item.text for d in found):
            found.append(Deadline(text=item.text, date=end, source=item.source.cite(), goal=period.goal))
    return found


def assessment_record(result: Assessment) -> Dict[str, Any]:
    return {
        "outcome": result.outcome,
        "legal_basis": result.legal_basis,
        "track": result.track,
        "reasons": [{"text": r.text, "source": r.source, "met": r.met} for r in result.reasons],
        "caveats": [{"text": c.text, "source": c.source} for c in result.caveats],
        "not_clarified": list(result.missing) + list(result.unanswered),
    }


def build_draft(
    kb: KnowledgeBase,
    code: str,
    facts: Dict[str, Any],
    contact: Dict[str, Any],
    applicant: Dict[str, Any],
    consent_text: str,
    consent_version: str,
    consent_at: dt.datetime,
    channel: str,
    today: dt.date,
) -> ApplicationDraft:
    """The draft for a conversation's facts: the engine assesses again, so the record carries the
    same reasons and sources the citizen was shown, and the standard it used."""
    result = assess(facts, code, today, kb)
    standard = kb.standard_for(code)
    return ApplicationDraft(
        municipality_code=code,
        municipality_name=result.municipality_name or code,
        standard_file=standard.document.file if standard else None,
        standard_date=standard.document.stated_date if standard else None,
        facts={k: v for k, v in facts.items() if v is not None},
        assessment=assessment_record(result),
        deadlines=submission_deadlines(kb, code, result.track, today),
        contact=contact,
        applicant=applicant,
        consent={"version": consent_version, "text": consent_text, "given_at": consent_at},
        channel=channel,
    )
