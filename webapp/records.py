"""Received applications for the staff console, read from the records store (training_guidance.handoff)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

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


def list_page(before: Optional[int] = None, size: int = PAGE_SIZE) -> Page:
    """One page of every application, newest first, only the list columns (the full record is one
    click away). Keyset paging on the id: a new application never shifts the next page."""
    import sqlalchemy as sa
    import sqlalchemy.exc
    from sqlalchemy.orm import Session

    from training_guidance.handoff.models import Application
    from training_guidance.handoff.store import _summary

    query = sa.select(Application).order_by(Application.id.desc()).limit(size + 1)
    if before is not None:
        query = query.where(Application.id < before)
    try:
        with Session(_store().engine) as session:
            found = session.execute(query).scalars().all()
            total = session.execute(sa.select(sa.func.count(Application.id))).scalar_one()
            rows = [{**{key: _summary(app).get(key) for key in LIST_KEYS},
                     "outcome_label": outcome_label(app.outcome)} for app in found[:size]]
            following = found[size - 1].id if len(found) > size else None
    except sqlalchemy.exc.OperationalError as exc:
        raise RecordsUnavailable("Ansøgningsregistret kan ikke læses. Er det oprettet (tg records migrate)?") from exc
    return Page(rows, following, total)


def get_application(reference: str) -> Optional[Dict[str, Any]]:
    """The full record; the facts with their Danish labels and values, as a caseworker reads them."""
    from training_guidance.knowledge import cached_knowledge
    from training_guidance.texts.facts import described_facts

    record = _read("get_application", reference)
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
