"""Received applications and unanswered questions for the staff console, read from the records store
(training_guidance.handoff), limited to the kommunekoder a staff member may see (``codes``; None: all)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Optional

LIST_KEYS = ("reference", "created_at", "municipality_code", "municipality_name", "outcome", "status",
             "applicant_role")


class RecordsUnavailable(RuntimeError):
    """The records store cannot be read; the message says why, in Danish."""


def _store():
    from training_guidance.handoff.config import database_url
    from training_guidance.handoff.store import shared_store

    return shared_store(database_url())  # TG_DATABASE_URL, default sqlite:///<TG_DATA_DIR or data>/records.db


def _read(method: str, *args: Any) -> Any:
    import sqlalchemy.exc

    try:
        return getattr(_store(), method)(*args)
    except sqlalchemy.exc.OperationalError as exc:  # e.g. no tables yet, or the database is down
        raise RecordsUnavailable(
            "Ansøgningsregistret kan ikke læses. Er det oprettet (tg records migrate)?"
        ) from exc


def outcome_label(outcome: Any) -> Any:
    """The outcome in words, from the assistant's one text catalogue."""
    from training_guidance.dialogue.verdict import outcome_title

    return outcome_title(outcome)


PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    rows: List[Dict[str, Any]]
    next: Optional[int]  # pass as ``before`` for the next page; None on the last page
    total: int


def list_page(before: Optional[int] = None, size: int = PAGE_SIZE, codes: Optional[FrozenSet[str]] = None) -> Page:
    """One page of the applications of ``codes``, newest first, only the list columns (the full
    record is one click away). Keyset paging on the id: a new application never shifts the next page."""
    import sqlalchemy as sa
    import sqlalchemy.exc
    from sqlalchemy.orm import Session

    from training_guidance.handoff.models import Application
    from training_guidance.handoff.store import _summary

    query = sa.select(Application).order_by(Application.id.desc()).limit(size + 1)
    counted = sa.select(sa.func.count(Application.id))
    if codes is not None:
        query = query.where(Application.municipality_code.in_(sorted(codes)))
        counted = counted.where(Application.municipality_code.in_(sorted(codes)))
    if before is not None:
        query = query.where(Application.id < before)
    try:
        with Session(_store().engine) as session:
            found = session.execute(query).scalars().all()
            total = session.execute(counted).scalar_one()
            rows = [{**{key: _summary(app).get(key) for key in LIST_KEYS},
                     "outcome_label": outcome_label(app.outcome)} for app in found[:size]]
            following = found[size - 1].id if len(found) > size else None
    except sqlalchemy.exc.OperationalError as exc:
        raise RecordsUnavailable("Ansøgningsregistret kan ikke læses. Er det oprettet (tg records migrate)?") from exc
    return Page(rows, following, total)


def get_application(reference: str, codes: Optional[FrozenSet[str]] = None) -> Optional[Dict[str, Any]]:
    """The full record; the facts with their Danish labels and values, as a caseworker reads them.
    None when there is none, or it is of a municipality not in ``codes``."""
    from training_guidance.knowledge import cached_knowledge
    from training_guidance.texts.facts import described_facts

    record = _read("get_application", reference)
    if record is not None and codes is not None and record.get("municipality_code") not in codes:
        return None
    if record is not None:
        record["facts"] = dict(described_facts(cached_knowledge(), record.get("facts") or {}))
        record["outcome"] = outcome_label(record.get("outcome"))
        if isinstance(record.get("assessment"), dict):  # drawn as the card: its title and labels
            from training_guidance.dialogue.verdict import card_labels, outcome_title
            from training_guidance.texts import Voice

            assessment = record["assessment"]
            assessment["title"] = outcome_title(assessment.get("outcome"))
            assessment["labels"] = card_labels(Voice("staff"))
    return record


def note(reference: Optional[str], actor: str, action: str, detail: Dict[str, Any]) -> None:
    """An audit entry: who (``actor``: "personale:<name>") saw or did what."""
    import sqlalchemy.exc

    try:
        _store().note(reference, actor, action, **detail)
    except sqlalchemy.exc.OperationalError as exc:
        raise RecordsUnavailable("Ansøgningsregistret kan ikke læses. Er det oprettet (tg records migrate)?") from exc


def unanswered(codes: Optional[FrozenSet[str]]) -> List[Dict[str, Any]]:
    """The unanswered questions per municipality (of ``codes``), municipalities by name, questions
    newest first with how often each was asked."""
    import sqlalchemy.exc

    from training_guidance.handoff.questions import QuestionStore
    from training_guidance.municipalities import find_municipality

    try:
        found = QuestionStore(_store().engine).summary(codes)
    except sqlalchemy.exc.OperationalError as exc:
        raise RecordsUnavailable("Ansøgningsregistret kan ikke læses. Er det oprettet (tg records migrate)?") from exc
    groups: Dict[Optional[str], Dict[str, Any]] = {}
    for row in found:
        if row.municipality_code not in groups:
            entry = find_municipality(row.municipality_code) if row.municipality_code else None
            groups[row.municipality_code] = {
                "kode": row.municipality_code,
                "navn": entry.name if entry else "Ingen kommune nævnt",
                "spoergsmaal": [], "i_alt": 0}
        group = groups[row.municipality_code]
        group["spoergsmaal"].append(row.as_dict())
        group["i_alt"] += row.count
    return sorted(groups.values(), key=lambda g: (g["kode"] is None, g["navn"]))
