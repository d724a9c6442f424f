"""What the web servers and action servers share about security, in the records database (so every
instance sees the same, and a restart forgets nothing): staff sessions and rate limits.

* **Staff sessions**: a random token (256 bits) in the cookie; the database keeps only its SHA-256,
  the user, the expiry and when it was logged out. A logged-out token stays refused after a
  restart, and two logins never get the same token.
* **Rate limits**: one row per event in a named bucket (``login:user+address:<hash>``,
  ``application:address:<hash>`` ...). Bucket names hold keyed hashes made by the caller, never a
  user name, an address or a conversation id in clear.

  Logins back off: the first ``LOGIN_FREE`` failures in ``LOGIN_WINDOW`` are free, then each
  failure doubles the wait from ``LOGIN_BASE_WAIT`` up to ``LOGIN_MAX_WAIT``. Only failures count
  (an attempt during the wait is refused without being counted or checked), so the wait after the
  last failure is never longer than ``LOGIN_MAX_WAIT``, and the right password always gets in
  again. Applications: at most ``APPLICATIONS_PER_CONVERSATION`` per conversation a day and
  ``APPLICATIONS_PER_ADDRESS`` per client address an hour.

Tables: migration 0003 (migrations/versions/0003_sessions_and_rate_limits.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Mapped, Session

from ..clock import now as clock_now
from .models import Base, UTCDateTime

SESSION_HOURS = 8  # one working day
LOGIN_FREE = 5
LOGIN_ADDRESS_FREE = 20  # all user names from one address together
LOGIN_WINDOW = dt.timedelta(hours=1)
LOGIN_BASE_WAIT = 60.0
LOGIN_MAX_WAIT = 15 * 60.0
APPLICATIONS_PER_CONVERSATION = 3
APPLICATIONS_CONVERSATION_WINDOW = dt.timedelta(days=1)
APPLICATIONS_PER_ADDRESS = 10
APPLICATIONS_ADDRESS_WINDOW = dt.timedelta(hours=1)
KEEP_EVENTS = dt.timedelta(days=2)  # longer than every window


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = sa.Column(sa.String(64), primary_key=True)
    user: Mapped[str] = sa.Column(sa.String(200), nullable=False)
    created_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    expires_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)
    revoked_at: Mapped[Optional[dt.datetime]] = sa.Column(UTCDateTime)


class RateEvent(Base):
    __tablename__ = "rate_events"

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    bucket: Mapped[str] = sa.Column(sa.String(100), nullable=False, index=True)
    at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False, index=True)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def conversation_hash(sender_id: str) -> str:
    """What logs and rate limits say instead of a conversation's id (the only key to it)."""
    return digest(f"conversation:{sender_id}")[:16]


@dataclass(frozen=True)
class Limit:
    bucket: str
    allowed: int
    window: dt.timedelta


class SecurityStore:
    """Sessions and rate limits on an engine (e.g. ``shared_store(url).engine``); ``clock`` as in
    RecordStore, so tests move time."""

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], dt.datetime] = clock_now):
        self.engine = engine
        self.clock = clock

    # --- staff sessions ------------------------------------------------------------------------
    def create_session(self, user: str, hours: float = SESSION_HOURS) -> str:
        """A new random session token for ``user``; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            session.add(StaffSession(token_hash=digest(token), user=user, created_at=now,
                                     expires_at=now + dt.timedelta(hours=hours)))
            session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
        return token

    def session_user(self, token: Optional[str]) -> Optional[str]:
        """The user of a valid session: issued here, not expired, not logged out."""
        if not token or len(token) > 200:
            return None
        with Session(self.engine) as session:
            row = session.get(StaffSession, digest(token))
            if row is None or row.revoked_at is not None or row.expires_at <= self.clock():
                return None
            return row.user

    def revoke(self, token: Optional[str]) -> None:
        if not token:
            return
        with Session(self.engine) as session, session.begin():
            session.execute(update(StaffSession).where(StaffSession.token_hash == digest(token))
                            .values(revoked_at=self.clock()))

    # --- rate events ---------------------------------------------------------------------------
    def _events(self, session: Session, bucket: str, since: dt.datetime) -> Tuple[int, Optional[dt.datetime]]:
        count, last = session.execute(
            select(func.count(RateEvent.id), func.max(RateEvent.at))
            .where(RateEvent.bucket == bucket, RateEvent.at >= since)).one()
        return count, last

    def note(self, buckets: Iterable[str]) -> None:
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            for bucket in buckets:
                session.add(RateEvent(bucket=bucket, at=now))
            session.execute(delete(RateEvent).where(RateEvent.at < now - KEEP_EVENTS))

    def clear(self, buckets: Iterable[str]) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(delete(RateEvent).where(RateEvent.bucket.in_(list(buckets))))

    # --- logins --------------------------------------------------------------------------------
    @staticmethod
    def login_limits(user_key: str, address_key: str) -> Sequence[Limit]:
        """The buckets of a login: this user name from this address, and this address."""
        return (Limit(f"login:user+address:{digest(user_key + '|' + address_key)[:32]}", LOGIN_FREE, LOGIN_WINDOW),
                Limit(f"login:address:{digest(address_key)[:32]}", LOGIN_ADDRESS_FREE, LOGIN_WINDOW))

    def login_wait(self, user_key: str, address_key: str) -> float:
        """Seconds before this user name may try again from this address (0: now)."""
        now = self.clock()
        wait = 0.0
        with Session(self.engine) as session:
            for limit in self.login_limits(user_key, address_key):
                count, last = self._events(session, limit.bucket, now - limit.window)
                if count >= limit.allowed and last is not None:
                    backoff = min(LOGIN_BASE_WAIT * 2 ** (count - limit.allowed), LOGIN_MAX_WAIT)
                    wait = max(wait, backoff - (now - last).total_seconds())
        return max(wait, 0.0)

    def login_failed(self, user_key: str, address_key: str) -> None:
        self.note(limit.bucket for limit in self.login_limits(user_key, address_key))

    def login_succeeded(self, user_key: str, address_key: str) -> None:
        self.clear([self.login_limits(user_key, address_key)[0].bucket])

    # --- applications --------------------------------------------------------------------------
    @staticmethod
    def application_limits(sender_id: str, client_key: Optional[str]) -> Sequence[Limit]:
        limits = [Limit(f"application:conversation:{conversation_hash(sender_id)}",
                        APPLICATIONS_PER_CONVERSATION, APPLICATIONS_CONVERSATION_WINDOW)]
        if client_key:
            limits.append(Limit(f"application:address:{digest(client_key)[:32]}",
                                APPLICATIONS_PER_ADDRESS, APPLICATIONS_ADDRESS_WINDOW))
        return limits

    def application_allowed(self, sender_id: str, client_key: Optional[str]) -> bool:
        """Whether one more application may be stored from this conversation and address."""
        now = self.clock()
        with Session(self.engine) as session:
            return all(self._events(session, limit.bucket, now - limit.window)[0] < limit.allowed
                       for limit in self.application_limits(sender_id, client_key))

    def application_stored(self, sender_id: str, client_key: Optional[str]) -> None:
        self.note(limit.bucket for limit in self.application_limits(sender_id, client_key))
