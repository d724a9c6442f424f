"""Questions the assistant could not answer from the standard, for the municipality's content owners.

The dialogue core marks such a reply (training_guidance/dialogue/answers.py: meta ``{"question": …,
"code": …, "found": False}``); the action server's adapter passes every reply's meta to
``note_unanswered``. Stored: the question with CPR numbers masked (training_guidance/cpr.py) and cut
to ``MAX_TEXT`` characters, the kommunekode and the date. Never the sender id or anything else of the
conversation. Kept as long as the chats (TG_CHAT_RETENTION_DAYS or the municipality's own
``chat_retention_days``; training_guidance/handoff/retention.py).

Table: migration 0004.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Mapped, Session

from ..clock import danish_date
from ..clock import now as clock_now
from ..cpr import mask_cpr
from .models import Base, UTCDateTime

log = logging.getLogger(__name__)
MAX_TEXT = 500


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    municipality_code: Mapped[Optional[str]] = sa.Column(sa.String(4), index=True)
    asked_on: Mapped[dt.date] = sa.Column(sa.Date, nullable=False)  # the Danish date
    created_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)  # for retention
    question: Mapped[str] = sa.Column(sa.String(MAX_TEXT), nullable=False)
    # The question folded (lower case, single spaces, no closing punctuation): repeats count together.
    folded: Mapped[str] = sa.Column(sa.String(MAX_TEXT), nullable=False, index=True)


def cleaned(question: str) -> str:
    text, _ = mask_cpr(question)
    text = " ".join(text.split())
    return text[:MAX_TEXT]


def folded(question: str) -> str:
    return re.sub(r"[\s?!.,:;]+$", "", " ".join(question.lower().split()))[:MAX_TEXT]


@dataclass(frozen=True)
class QuestionSummary:
    municipality_code: Optional[str]
    question: str  # the latest wording
    count: int
    first_asked: dt.date
    last_asked: dt.date

    def as_dict(self) -> Dict[str, Any]:
        return {"kommunekode": self.municipality_code, "spoergsmaal": self.question, "antal": self.count,
                "foerst": self.first_asked.isoformat(), "senest": self.last_asked.isoformat()}


class QuestionStore:
    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], dt.datetime] = clock_now):
        self.engine = engine
        self.clock = clock

    def note(self, question: str, code: Optional[str]) -> bool:
        """Store one unanswered question; False when there is nothing to store."""
        text = cleaned(question or "")
        if not text.strip():
            return False
        code = code if isinstance(code, str) and re.fullmatch(r"\d{4}", code) else None
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            session.add(UnansweredQuestion(municipality_code=code, asked_on=danish_date(now), created_at=now,
                                           question=text, folded=folded(text)))
        return True

    def summary(self, codes: Optional[Iterable[str]] = None, limit: int = 200) -> List[QuestionSummary]:
        """Each question once per municipality with how often it was asked, the newest first.
        ``codes``: only these municipalities (None: all, questions without a municipality too)."""
        q = UnansweredQuestion
        query = (select(q.municipality_code, q.folded, func.count(q.id), func.min(q.asked_on), func.max(q.asked_on),
                        func.max(q.id))
                 .group_by(q.municipality_code, q.folded)
                 .order_by(func.max(q.asked_on).desc(), func.count(q.id).desc(), func.max(q.id).desc())
                 .limit(limit))
        if codes is not None:
            query = query.where(q.municipality_code.in_(sorted(codes)))
        with Session(self.engine) as session:
            rows = session.execute(query).all()
            latest = dict(session.execute(select(q.id, q.question).where(q.id.in_([r[5] for r in rows]))).all()) \
                if rows else {}
        return [QuestionSummary(code, latest.get(last_id, key), count, first, last)
                for code, key, count, first, last, last_id in rows]

    def purge(self, older_than_days: float, municipalities: Optional[Iterable[str]] = None,
              except_municipalities: Iterable[str] = (), now: Optional[dt.datetime] = None) -> int:
        """Delete questions older than the period (as the chats they came from); how many.
        ``except_municipalities`` keeps questions without a municipality in the purge."""
        cutoff = (now or self.clock()) - dt.timedelta(days=older_than_days)
        query = delete(UnansweredQuestion).where(UnansweredQuestion.created_at < cutoff)
        if municipalities is not None:
            query = query.where(UnansweredQuestion.municipality_code.in_(list(municipalities)))
        excluded = list(except_municipalities)
        if excluded:
            query = query.where(sa.or_(UnansweredQuestion.municipality_code.is_(None),
                                       UnansweredQuestion.municipality_code.not_in(excluded)))
        with Session(self.engine) as session, session.begin():
            return session.execute(query).rowcount or 0

    def purge_by_municipality(self, days_by_code: Mapping[str, float], default_days: float) -> int:
        done = sum(self.purge(days, municipalities=[code]) for code, days in sorted(days_by_code.items()))
        return done + self.purge(default_days, except_municipalities=list(days_by_code))


def note_unanswered(meta: Optional[Dict[str, Any]], database_url: Optional[str] = None) -> bool:
    """Called with every reply's meta (bot/actions/adapter.py): stores the question when the
    standard had no answer. Never fails the reply: a store that cannot be written is logged."""
    if not meta or meta.get("found") is not False or not isinstance(meta.get("question"), str):
        return False
    # one "not found" reply may stand for several questions of the message ("more_questions")
    questions = [meta["question"], *(q for q in meta.get("more_questions", []) if isinstance(q, str))]
    try:
        from .config import database_url as configured_url
        from .store import shared_store

        store = QuestionStore(shared_store(database_url or configured_url()).engine)
        return all([store.note(question, meta.get("code")) for question in questions])
    except Exception as exc:  # noqa: BLE001 - the citizen's answer matters more than the statistics
        log.warning("unanswered question not stored: %s", type(exc).__name__)
        return False

