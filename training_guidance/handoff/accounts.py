"""Personal staff accounts: who may log in to the staff console, in what role, for which municipalities.

* **Local accounts** (`tg staff add`): a user name, an argon2id password hash (argon2-cffi; never the
  password), a role and the kommunekoder the account is for.
* **Single sign-on accounts** are written at each login from the identity provider's claims
  (webapp/oidc.py): the issuer and subject identify the person, the role and the municipalities come
  from the claims. No password. ``tg staff disable`` stops them here even when the provider still
  says yes.

A disabled account cannot log in, and its sessions end at once (every request checks the account).

What a staff member sees is decided in ``visible_codes``: the account's municipalities, limited by
the municipalities file where a deployment has one (training_guidance/handoff/config.py).

Tables: migration 0004 (migrations/versions/0004_staff_accounts_and_questions.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.orm import Mapped, Session

from ..clock import now as clock_now
from .models import Base, UTCDateTime

# What each role may do in the staff console. Every role may use the call script.
CALL_SCRIPT, APPLICATIONS, QUESTIONS = "opkald", "ansoegninger", "spoergsmaal"
ROLES: Dict[str, FrozenSet[str]] = {
    "sagsbehandler": frozenset({CALL_SCRIPT, APPLICATIONS, QUESTIONS}),  # caseworker: applications too
    "indholdsansvarlig": frozenset({CALL_SCRIPT, QUESTIONS}),  # content owner: what the standard lacks
    "borgerservice": frozenset({CALL_SCRIPT}),  # call centre: the call script only
}
ALL = "*"  # an account for every municipality (a deployment for one municipality, development)
MIN_PASSWORD = 12
NAME = re.compile(r"^[A-Za-z0-9._@+-]{1,200}\Z")
CODE = re.compile(r"^\d{4}\Z")
LOCAL = "lokal"


class AccountError(ValueError):
    """Why an account cannot be made or changed, in Danish (the CLI prints it)."""


class StaffAccount(Base):
    __tablename__ = "staff_accounts"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject", name="uq_staff_accounts_issuer_subject"),)

    id: Mapped[int] = sa.Column(sa.Integer, primary_key=True)
    name: Mapped[str] = sa.Column(sa.String(200), nullable=False, unique=True)
    role: Mapped[str] = sa.Column(sa.String(30), nullable=False)
    municipalities: Mapped[List[str]] = sa.Column(sa.JSON, nullable=False)
    password_hash: Mapped[Optional[str]] = sa.Column(sa.String(300))  # None: single sign-on only
    issuer: Mapped[Optional[str]] = sa.Column(sa.String(300))  # single sign-on: the provider ...
    subject: Mapped[Optional[str]] = sa.Column(sa.String(300))  # ... and its id of the person
    enabled: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    created_by: Mapped[str] = sa.Column(sa.String(200), nullable=False)
    updated_at: Mapped[dt.datetime] = sa.Column(UTCDateTime, nullable=False)
    last_login_at: Mapped[Optional[dt.datetime]] = sa.Column(UTCDateTime)


@dataclass(frozen=True)
class StaffMember:
    """A logged-in staff member as the console sees them."""

    name: str
    role: str
    municipalities: Tuple[str, ...]  # kommunekoder, or ("*",) for all
    source: str = LOCAL  # "lokal" or the single sign-on issuer

    @property
    def actor(self) -> str:
        """How the audit log names this staff member."""
        return actor_for(self.name)

    def may(self, permission: str) -> bool:
        return permission in ROLES.get(self.role, frozenset())


def actor_for(name: str) -> str:
    return f"personale:{name}"


def visible_codes(member: StaffMember, handoff) -> Optional[FrozenSet[str]]:
    """The kommunekoder whose applications and questions ``member`` may see; None: all of them.

    Both must agree: the account's own municipalities (``tg staff add --kommune``, or the single
    sign-on claim) and, where the deployment has a municipalities file, the file (only the
    municipalities it lists, and only staff its ``staff`` list names where it has one)."""
    own = None if ALL in member.municipalities else frozenset(member.municipalities)
    allowed = handoff.visible_codes(member.name) if handoff is not None else None
    if own is None:
        return allowed
    return own if allowed is None else own & allowed


def may_see(member: StaffMember, handoff, code: Optional[str]) -> bool:
    codes = visible_codes(member, handoff)
    return codes is None or (code is not None and code in codes)


def check_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise AccountError("Brugernavnet må kun have bogstaver a-z, tal og . _ @ + - (højst 200 tegn).")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Ukendt rolle {role!r}. Brug en af: {', '.join(ROLES)}.")
    return role


def check_municipalities(codes: Iterable[str]) -> List[str]:
    """Kommunekoder (four digits) or "alle"/"*"; at least one."""
    out: List[str] = []
    for code in codes:
        code = code.strip()
        if code.lower() in ("alle", ALL):
            return [ALL]
        if not CODE.match(code):
            raise AccountError(f"{code!r} er ikke en kommunekode (fire cifre, fx 0661) eller 'alle'.")
        if code not in out:
            out.append(code)
    if not out:
        raise AccountError("Giv kontoen mindst én kommune (--kommune 0661) eller --kommune alle.")
    return sorted(out)


def check_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn.")
    if password.strip().lower() == name.lower():
        raise AccountError("Adgangskoden må ikke være brugernavnet.")
    return password


def password_hasher():
    """argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def _member(row: StaffAccount) -> StaffMember:
    return StaffMember(row.name, row.role, tuple(row.municipalities or ()), row.issuer or LOCAL)


class AccountStore:
    """Staff accounts on an engine (e.g. ``shared_store(url).engine``); ``clock`` as in RecordStore.
    ``hasher``: an argon2 PasswordHasher (tests pass a cheaper one)."""

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], dt.datetime] = clock_now, hasher=None):
        self.engine = engine
        self.clock = clock
        self.hasher = hasher or password_hasher()
        self._dummy: Optional[str] = None

    # --- local accounts ------------------------------------------------------------------------
    def add(self, name: str, role: str, municipalities: Iterable[str], password: str, by: str,
            update_existing: bool = False) -> StaffMember:
        """A new local account (or, with ``update_existing``, the same name given this role,
        municipalities and password, and enabled again)."""
        check_name(name)
        check_role(role)
        codes = check_municipalities(municipalities)
        check_password(password, name)
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            row = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
            if row is not None and (not update_existing or row.issuer):
                raise AccountError(f"Kontoen {name!r} findes allerede." + (
                    " Den er fra single sign-on." if row.issuer else " Brug tg staff passwd eller --update."))
            if row is None:
                row = StaffAccount(name=name, created_at=now, created_by=by)
                session.add(row)
            row.role, row.municipalities, row.enabled, row.updated_at = role, codes, True, now
            row.password_hash = self.hasher.hash(password)
            return _member(row)

    def set_password(self, name: str, password: str) -> None:
        check_password(password, name)
        with Session(self.engine) as session, session.begin():
            row = self._local(session, name)
            row.password_hash, row.updated_at = self.hasher.hash(password), self.clock()

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Disable (or enable again) an account, local or single sign-on. A disabled account's
        sessions end at once; they are also revoked in the session store."""
        with Session(self.engine) as session, session.begin():
            row = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
            if row is None:
                raise AccountError(f"Kontoen {name!r} findes ikke.")
            row.enabled, row.updated_at = enabled, self.clock()
            if not enabled:
                from .security import StaffSession

                session.execute(update(StaffSession).where(StaffSession.user == name, StaffSession.revoked_at.is_(None))
                                .values(revoked_at=self.clock()))

    def _local(self, session: Session, name: str) -> StaffAccount:
        row = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
        if row is None:
            raise AccountError(f"Kontoen {name!r} findes ikke.")
        if row.issuer:
            raise AccountError(f"Kontoen {name!r} logger ind med single sign-on og har ingen adgangskode her.")
        return row

    def authenticate(self, name: str, password: str) -> Optional[StaffMember]:
        """The member when ``name`` is an enabled local account and ``password`` is its password.
        An unknown name costs one hash too, so the time tells nothing about which names exist."""
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        with Session(self.engine) as session:
            row = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
            stored = row.password_hash if row is not None and row.password_hash else None
        try:
            self.hasher.verify(stored or self._dummy_hash(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or stored is None or not row.enabled:
            return None
        with Session(self.engine) as session, session.begin():
            fresh = session.get(StaffAccount, row.id)
            fresh.last_login_at = self.clock()
            if self.hasher.check_needs_rehash(stored):  # stronger parameters since it was set
                fresh.password_hash = self.hasher.hash(password)
            return _member(fresh)

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            import secrets

            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    # --- single sign-on ------------------------------------------------------------------------
    def sso_login(self, issuer: str, subject: str, name: str, role: str, municipalities: Sequence[str]) -> StaffMember:
        """Write the account of a single sign-on login (role and municipalities from this login's
        claims) and return it. Refused (AccountError) when it is disabled here, or when ``name``
        is already a local account or another person's."""
        check_name(name)
        check_role(role)
        codes = check_municipalities(municipalities)
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            row = session.execute(select(StaffAccount).where(StaffAccount.issuer == issuer,
                                                             StaffAccount.subject == subject)).scalar_one_or_none()
            same_name = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
            if same_name is not None and same_name is not row:
                raise AccountError(f"Brugernavnet {name!r} findes allerede her som en anden konto.")
            if row is None:
                row = StaffAccount(name=name, issuer=issuer, subject=subject, enabled=True, created_at=now,
                                   created_by=f"sso:{issuer}"[:200])
                session.add(row)
            if not row.enabled:
                raise AccountError("Kontoen er spærret her.")
            row.name, row.role, row.municipalities, row.updated_at, row.last_login_at = name, role, codes, now, now
            return _member(row)

    # --- reading -------------------------------------------------------------------------------
    def member(self, name: Optional[str]) -> Optional[StaffMember]:
        """The enabled account of a session's user, else None."""
        if not name:
            return None
        with Session(self.engine) as session:
            row = session.execute(select(StaffAccount).where(StaffAccount.name == name)).scalar_one_or_none()
            return _member(row) if row is not None and row.enabled else None

    def list(self) -> List[Dict[str, object]]:
        with Session(self.engine) as session:
            rows = session.execute(select(StaffAccount).order_by(StaffAccount.name)).scalars().all()
            return [{"name": r.name, "role": r.role, "municipalities": list(r.municipalities or ()),
                     "enabled": r.enabled, "source": r.issuer or LOCAL,
                     "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None} for r in rows]


def ensure_development_account(database_url: str, name: str, password: str,
                               env: Optional[Dict[str, str]] = None) -> StaffMember:
    """`make run` (scripts/servers.py): the development account, for every municipality, with this
    run's password; made or updated at each start. Never in production."""
    from ..settings import get_settings
    from .store import RecordStore

    if get_settings(env).production:
        raise AccountError("Ingen udviklingskonto i produktion: opret personlige konti med tg staff add.")
    store = RecordStore(database_url)
    try:
        return AccountStore(store.engine).add(name, "sagsbehandler", [ALL], password, by="make run",
                                              update_existing=True)
    finally:
        store.dispose()
