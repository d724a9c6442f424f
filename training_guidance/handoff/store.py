"""The records store: applications written once, in one transaction with their audit and outbox
entries, found again by reference, exported, retried and purged.

SQLite by default (a file in the data folder), PostgreSQL by setting TG_DATABASE_URL.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..clock import now as clock_now
from .config import database_url
from .models import (
    DELIVERED, PENDING, RECEIVED, SENT, Application, AuditEntry, OutboxEntry, StatusChange,
)
from .record import SCHEMA, ApplicationDraft

MIGRATIONS = Path(__file__).with_name("migrations")


def danish_year(moment: dt.datetime) -> int:
    """The year in Denmark at ``moment``: a reference made at 23:30 UTC on 31 December is next year's."""
    from babel.dates import get_timezone  # zoneinfo, with pytz as fallback where the OS has no tz data

    return moment.astimezone(get_timezone("Europe/Copenhagen")).year


@dataclass(frozen=True)
class Submitted:
    reference: str
    created: bool  # False: the idempotency key was seen before; nothing new was written


def _engine(url: str) -> sa.engine.Engine:
    kwargs: Dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}  # the relay, the CLI and the action server share the file
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()
    return engine


def alembic_config(connection: sa.engine.Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@functools.lru_cache(maxsize=4)
def shared_store(url: str) -> "RecordStore":
    """One store (and connection pool) per database URL and process, for long-running servers."""
    return RecordStore(url)


class RecordStore:
    """``clock`` stamps every row (and is the relay's clock), so tests move time for both at once."""

    def __init__(self, url: Optional[str] = None, clock: Callable[[], dt.datetime] = clock_now):
        self.url = url or database_url()
        self.clock = clock
        if self.url.startswith("sqlite:///"):
            Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = _engine(self.url)

    # --- schema ---------------------------------------------------------------------------
    def migrate(self, revision: str = "head") -> None:
        from alembic import command

        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:  # batch migrations recreate tables; enforced foreign keys would cascade-delete rows
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                command.upgrade(alembic_config(conn), revision)
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()

    def revision(self) -> Optional[str]:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        self.engine.dispose()

    # --- writing --------------------------------------------------------------------------
    def submit(self, draft: ApplicationDraft, idempotency_key: str, targets: Sequence[str],
               actor: str = "assistent") -> Submitted:
        """Write the application, its first status, an audit entry and its outbox entries in one
        transaction. The same idempotency key again returns the first reference and writes nothing."""
        existing = self.reference_for_key(idempotency_key)
        if existing:
            return Submitted(existing, created=False)
        now = self.clock()
        try:
            with Session(self.engine) as session, session.begin():
                app = Application(
                    idempotency_key=idempotency_key, created_at=now, updated_at=now, status=RECEIVED,
                    municipality_code=draft.municipality_code, municipality_name=draft.municipality_name,
                    standard_file=draft.standard_file, standard_date=draft.standard_date,
                    outcome=draft.assessment["outcome"], facts=draft.facts, assessment=draft.assessment,
                    deadlines=draft.deadline_records(),
                    contact=draft.contact.dict(), applicant_role=draft.applicant.role,
                    applicant=draft.applicant.dict(), consent_version=draft.consent.version,
                    consent_text=draft.consent.text, consent_at=draft.consent.given_at, channel=draft.channel,
                )
                session.add(app)
                session.flush()  # the id gives the reference
                app.reference = f"TG-{danish_year(now)}-{app.id:06d}"
                app.history.append(StatusChange(status=RECEIVED, at=now, note="Ansøgningen er modtaget"))
                for target in dict.fromkeys(targets):
                    app.outbox.append(OutboxEntry(target=target, state=PENDING, attempts=0, next_attempt_at=now,
                                                  created_at=now))
                session.add(AuditEntry(at=now, reference=app.reference, actor=actor, action="oprettet",
                                       detail={"targets": list(dict.fromkeys(targets)), "channel": draft.channel}))
                reference = app.reference
        except IntegrityError:
            # A concurrent submit with the same key won the race; its reference is the answer.
            existing = self.reference_for_key(idempotency_key)
            if existing:
                return Submitted(existing, created=False)
            raise
        return Submitted(reference, created=True)

    def audit(self, session: Session, reference: Optional[str], actor: str, action: str, **detail: Any) -> None:
        session.add(AuditEntry(at=self.clock(), reference=reference, actor=actor, action=action, detail=detail))

    def note(self, reference: Optional[str], actor: str, action: str, **detail: Any) -> None:
        """An audit entry on its own (e.g. an export)."""
        with Session(self.engine) as session, session.begin():
            self.audit(session, reference, actor, action, **detail)

    def set_status(self, session: Session, app: Application, status: str, note: str, actor: str) -> None:
        if app.status == status:
            return
        now = self.clock()
        app.status, app.updated_at = status, now
        app.history.append(StatusChange(status=status, at=now, note=note))
        self.audit(session, app.reference, actor, "status", status=status, note=note)

    def retry(self, reference: str, actor: str = "cli") -> int:
        """Deliver an application again to every target it has not reached; how many deliveries."""
        with Session(self.engine) as session, session.begin():
            app = session.execute(
                select(Application).where(Application.reference == reference).options(selectinload(Application.outbox))
            ).scalar_one_or_none()
            if app is None:
                raise KeyError(reference)
            again = [entry for entry in app.outbox if entry.state != SENT]
            for entry in again:
                entry.state, entry.attempts, entry.next_attempt_at = PENDING, 0, self.clock()
            self.audit(session, reference, actor, "forsøg_igen", targets=[e.target for e in again])
            if again:
                self.set_status(session, app, RECEIVED, "Sendes igen", actor)
            return len(again)

    def purge(self, older_than_days: float, actor: str = "cli", now: Optional[dt.datetime] = None,
              dry_run: bool = False, municipalities: Optional[Iterable[str]] = None,
              except_municipalities: Iterable[str] = ()) -> Dict[str, List[str]]:
        """Delete applications older than the retention period that have reached the municipality.
        Undelivered ones are kept (and reported): deleting them would lose an application.
        ``municipalities`` / ``except_municipalities`` limit it to some kommunekoder (each may have
        its own period)."""
        cutoff = (now or self.clock()) - dt.timedelta(days=older_than_days)
        query = select(Application).where(Application.created_at < cutoff)
        if municipalities is not None:
            query = query.where(Application.municipality_code.in_(list(municipalities)))
        if except_municipalities:
            query = query.where(Application.municipality_code.not_in(list(except_municipalities)))
        with Session(self.engine) as session, session.begin():
            old = session.execute(query).scalars().all()
            deleted = [a.reference for a in old if a.status == DELIVERED]
            kept = [a.reference for a in old if a.status != DELIVERED]
            if not dry_run:
                for app in old:
                    if app.status == DELIVERED:
                        session.delete(app)
                self.audit(session, None, actor, "slettet_efter_frist", references=deleted, kept=kept,
                           days=older_than_days)
            else:
                session.rollback()
        return {"deleted": deleted, "kept_undelivered": kept}

    # --- reading --------------------------------------------------------------------------
    def reference_for_key(self, idempotency_key: str) -> Optional[str]:
        with Session(self.engine) as session:
            return session.execute(
                select(Application.reference).where(Application.idempotency_key == idempotency_key)
            ).scalar_one_or_none()

    def list_applications(self, limit: int = 200, status: Optional[str] = None) -> List[Dict[str, Any]]:
        """Newest first, without contact data: what a list view shows."""
        query = select(Application).order_by(Application.id.desc()).limit(limit)
        if status:
            query = query.where(Application.status == status)
        with Session(self.engine) as session:
            return [_summary(a) for a in session.execute(query).scalars()]

    def get_application(self, reference: str) -> Optional[Dict[str, Any]]:
        """The whole record, as it is handed to the municipality."""
        with Session(self.engine) as session:
            app = session.execute(
                select(Application).where(Application.reference == reference)
                .options(selectinload(Application.history), selectinload(Application.outbox))
            ).scalar_one_or_none()
            return export(app) if app else None

    def audit_trail(self, reference: str) -> List[Dict[str, Any]]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(AuditEntry).where(AuditEntry.reference == reference).order_by(AuditEntry.id)
            ).scalars()
            return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "detail": r.detail} for r in rows]

    def count(self) -> int:
        with Session(self.engine) as session:
            return session.execute(select(sa.func.count(Application.id))).scalar_one()


def _summary(app: Application) -> Dict[str, Any]:
    return {
        "reference": app.reference,
        "created_at": app.created_at.isoformat(),
        "municipality_code": app.municipality_code,
        "municipality_name": app.municipality_name,
        "outcome": app.outcome,
        "status": app.status,
        "applicant_role": app.applicant_role,
    }


def export(app: Application) -> Dict[str, Any]:
    """The record in the handover format (JSON-able; schema name in ``schema``)."""
    record = _summary(app)
    record.update({
        "schema": SCHEMA,
        "updated_at": app.updated_at.isoformat(),
        "standard": {"file": app.standard_file,
                     "date": app.standard_date.isoformat() if app.standard_date else None},
        "facts": app.facts,
        "assessment": app.assessment,
        "deadlines": app.deadlines,
        "contact": app.contact,
        "applicant": app.applicant,
        "consent": {"version": app.consent_version, "text": app.consent_text,
                    "given_at": app.consent_at.isoformat()},
        "channel": app.channel,
        "status_history": [{"status": h.status, "at": h.at.isoformat(), "note": h.note} for h in app.history],
        "deliveries": [{"target": o.target, "state": o.state, "attempts": o.attempts,
                        "delivered_at": o.delivered_at.isoformat() if o.delivered_at else None,
                        "last_error": o.last_error} for o in app.outbox],
    })
    return record


def iter_references(store: RecordStore, references: Iterable[str]) -> Iterable[Dict[str, Any]]:
    for reference in references:
        record = store.get_application(reference)
        if record is None:
            raise KeyError(reference)
        yield record
