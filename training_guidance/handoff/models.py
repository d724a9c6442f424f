"""The records store's tables (SQLAlchemy 1.4, 2.0-style typed models).

An application is written together with its first status, an audit entry and one outbox entry per
delivery target, in one transaction (store.py). Alembic migrations (migrations/) create the tables;
the models here describe the newest revision.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, registry, relationship

mapper_registry = registry()
Base = mapper_registry.generate_base()

# Statuses as the municipality reads them.
RECEIVED, DELIVERED, FAILED = "modtaget", "overført", "fejlet"
# Outbox entry states.
PENDING, SENT, GAVE_UP = "pending", "delivered", "failed"


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC on the way in and out, also on SQLite (which stores naive text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[dt.datetime], dialect) -> Optional[dt.datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use UTC-aware datetimes")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Optional[dt.datetime], dialect) -> Optional[dt.datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    reference: Mapped[Optional[str]] = sa.Column(sa.String(20), unique=True)
    idempotency_key: Mapped[str] = sa.Column(sa.String(200), nullable=False, unique=True)
    created_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)
    updated_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    status: Mapped[str] = sa.Column(sa.String(20), nullable=False)
    municipality_code: Mapped[str] = sa.Column(sa.String(4), nullable=False)
    municipality_name: Mapped[str] = sa.Column(sa.String(100), nullable=False)
    standard_file: Mapped[Optional[str]] = sa.Column(sa.String(200))
    standard_date: Mapped[Optional[dt.date]] = sa.Column(sa.Date)
    outcome: Mapped[str] = sa.Column(sa.String(30), nullable=False)
    facts: Mapped[Dict[str, Any]] = sa.Column(sa.JSON, nullable=False)
    assessment: Mapped[Dict[str, Any]] = sa.Column(sa.JSON, nullable=False)
    deadlines: Mapped[List[Dict[str, Any]]] = sa.Column(sa.JSON, nullable=False)
    contact: Mapped[Dict[str, Any]] = sa.Column(sa.JSON, nullable=False)
    applicant_role: Mapped[str] = sa.Column(sa.String(20), nullable=False)
    applicant: Mapped[Dict[str, Any]] = sa.Column(sa.JSON, nullable=False)
    consent_version: Mapped[str] = sa.Column(sa.String(20), nullable=False)
    consent_text: Mapped[str] = sa.Column(sa.Text, nullable=False)
    consent_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    channel: Mapped[str] = sa.Column(sa.String(30), nullable=False)

    history: Mapped[List["StatusChange"]] = relationship(
        "StatusChange", order_by="StatusChange.id", cascade="all, delete-orphan", back_populates="application"
    )
    outbox: Mapped[List["OutboxEntry"]] = relationship(
        "OutboxEntry", order_by="OutboxEntry.id", cascade="all, delete-orphan", back_populates="application"
    )


class StatusChange(Base):
    __tablename__ = "status_history"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    application_id: Mapped[int] = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = sa.Column(sa.String(20), nullable=False)
    at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    note: Mapped[Optional[str]] = sa.Column(sa.String(300))

    application: Mapped[Application] = relationship("Application", back_populates="history")


class OutboxEntry(Base):
    """One delivery of one application to one target; the relay works through these."""

    __tablename__ = "outbox"
    __table_args__ = (sa.UniqueConstraint("application_id", "target", name="uq_outbox_application_target"),)

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    application_id: Mapped[int] = sa.Column(
        sa.Integer, sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False
    )
    target: Mapped[str] = sa.Column(sa.String(20), nullable=False)
    state: Mapped[str] = sa.Column(sa.String(20), nullable=False, index=True)
    attempts: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)
    last_error: Mapped[Optional[str]] = sa.Column(sa.String(500))
    created_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    delivered_at: Mapped[Optional[dt.datetime]] = sa.Column(UTCDateTime)

    application: Mapped[Application] = relationship("Application", back_populates="outbox")


class AuditEntry(Base):
    """Who did what to which record. Never personal data: the reference identifies the record."""

    __tablename__ = "audit_log"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)
    reference: Mapped[Optional[str]] = sa.Column(sa.String(20), index=True)
    actor: Mapped[str] = sa.Column(sa.String(210), nullable=False)  # "personale:<name>", "cli:<os user>" ...
    action: Mapped[str] = sa.Column(sa.String(40), nullable=False)
    detail: Mapped[Dict[str, Any]] = sa.Column(sa.JSON, nullable=False, default=dict)
