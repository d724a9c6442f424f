"""The outbox relay: delivers each application to the configured targets, at least once.

With a municipalities file (TG_MUNICIPALITIES_FILE) each application goes to its own
municipality's targets only; an application of a municipality that is not in the file is not
delivered anywhere (it waits, then is 'fejlet', visible in `tg records list`).

A delivery is claimed with a short lease (so two relays never send the same entry at the same
time), sent outside any database transaction, and its result recorded in a new one. Failures are
retried with exponential backoff; after MAX_ATTEMPTS the entry is marked failed and the application
'fejlet' — visible in `tg records list` and sent again by `tg records retry`. Every attempt is audited.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Union

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from .. import metrics
from .config import HandoffConfig, check_webhook_url
from .models import DELIVERED, FAILED, GAVE_UP, PENDING, SENT, Application, OutboxEntry
from .store import RecordStore, export

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)
LEASE = dt.timedelta(minutes=2)  # a claimed entry is not claimed again before this has passed


class DeliveryError(Exception):
    pass


class FolderTarget:
    """One JSON file per application, written atomically; a repeat overwrites with the same content."""

    name = "folder"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def deliver(self, record: Mapping) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(record, fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.folder / f"{record['reference']}.json")
        except OSError as exc:
            raise DeliveryError(f"mappen kunne ikke skrives: {exc.strerror or exc}") from exc


class WebhookTarget:
    """POST the record as JSON with a bearer token; the reference is also the Idempotency-Key,
    so the receiver can ignore a repeat. HTTPS only, except on loopback (tests, local proxies)."""

    name = "webhook"

    def __init__(self, url: str, token: str, timeout: float = 10.0):
        self.url, self.token, self.timeout = check_webhook_url(url), token, timeout

    def deliver(self, record: Mapping) -> None:
        body = json.dumps(record, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": str(record["reference"]),
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if not 200 <= response.status < 300:
                    raise DeliveryError(f"HTTP {response.status}")
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"ingen forbindelse: {getattr(exc, 'reason', exc)}") from exc


class MunicipalTargets:
    """Each municipality's own targets (TG_MUNICIPALITIES_FILE). A code that is not configured
    has none: its applications are never sent to another municipality's target."""

    def __init__(self, by_code: Mapping[str, Mapping[str, object]]):
        self.by_code = {code: dict(targets) for code, targets in by_code.items()}

    def get(self, code: str, name: str) -> Optional[object]:
        return self.by_code.get(code, {}).get(name)


Targets = Union[Mapping[str, object], MunicipalTargets]


def _targets(config: HandoffConfig) -> Dict[str, object]:
    targets: Dict[str, object] = {}
    if "folder" in config.targets:
        targets["folder"] = FolderTarget(config.folder)
    if "webhook" in config.targets:
        targets["webhook"] = WebhookTarget(config.webhook_url or "", config.webhook_token or "")
    return targets


def targets_from_config(config: HandoffConfig) -> Targets:
    """The deployment's targets; with a municipalities file, each municipality's own."""
    if config.by_code:
        return MunicipalTargets({code: _targets(config.for_municipality(code)) for code in config.by_code})
    return _targets(config)


def target_for(targets: Targets, code: str, name: str) -> Optional[object]:
    if isinstance(targets, MunicipalTargets):
        return targets.get(code, name)
    return targets.get(name)


def outbox_backlog(store: RecordStore) -> Dict[str, float]:
    """Waiting and given-up deliveries, and the age of the oldest waiting one (for /metrics)."""
    with Session(store.engine) as session:
        rows = dict(session.execute(
            select(OutboxEntry.state, sa.func.count(OutboxEntry.id)).group_by(OutboxEntry.state)).all())
        oldest = session.execute(
            select(sa.func.min(OutboxEntry.created_at)).where(OutboxEntry.state == PENDING)).scalar_one_or_none()
    if oldest is not None and oldest.tzinfo is None:  # an aggregate bypasses the column's type on SQLite
        oldest = dt.datetime.fromisoformat(str(oldest)).replace(tzinfo=dt.timezone.utc)
    age = (store.clock() - oldest).total_seconds() if oldest is not None else 0.0
    return {"pending": rows.get(PENDING, 0), "failed": rows.get(GAVE_UP, 0), "oldest_pending_seconds": max(age, 0.0)}


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, ... capped at 1 hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass
class RelayReport:
    delivered: List[str] = field(default_factory=list)
    retrying: List[str] = field(default_factory=list)
    failed: List[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.delivered or self.retrying or self.failed)


class Relay:
    def __init__(self, store: RecordStore, targets: Targets,
                 clock: Optional[Callable[[], dt.datetime]] = None, max_attempts: int = MAX_ATTEMPTS):
        # The store's clock by default: due times are written by the store and compared here.
        self.store, self.targets, self.max_attempts = store, targets, max_attempts
        self.clock = clock or store.clock

    def _claim(self, now: dt.datetime, limit: int) -> List[int]:
        """Due entries, each taken with a lease by a conditional update (safe with several relays).

        Each claim is its own short transaction whose first statement is the write, so SQLite takes
        the write lock before it reads and PostgreSQL re-checks the condition after a concurrent claim."""
        with Session(self.store.engine) as session:
            due = session.execute(
                select(OutboxEntry.id)
                .where(OutboxEntry.state == PENDING, OutboxEntry.next_attempt_at <= now)
                .order_by(OutboxEntry.next_attempt_at).limit(limit)
            ).scalars().all()
        claimed = []
        for entry_id in due:
            with self.store.engine.begin() as conn:
                result = conn.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.id == entry_id, OutboxEntry.next_attempt_at <= now,
                           OutboxEntry.state == PENDING)
                    .values(next_attempt_at=now + LEASE)
                )
            if result.rowcount == 1:
                claimed.append(entry_id)
        return claimed

    def run_once(self, limit: int = 50) -> RelayReport:
        report = RelayReport()
        for entry_id in self._claim(self.clock(), limit):
            self._deliver(entry_id, report)
        return report

    def _deliver(self, entry_id: int, report: RelayReport) -> None:
        with Session(self.store.engine) as session:
            entry = session.get(OutboxEntry, entry_id)
            app = session.execute(
                select(Application).where(Application.id == entry.application_id)
                .options(selectinload(Application.history), selectinload(Application.outbox))
            ).scalar_one()
            record, reference, target_name = export(app), app.reference, entry.target
            code = app.municipality_code
        target = target_for(self.targets, code, target_name)
        error: Optional[str] = None
        if target is None:
            where = ("for kommune " + code + " (TG_MUNICIPALITIES_FILE)") if isinstance(self.targets, MunicipalTargets) \
                else "(TG_HANDOFF_TARGETS)"
            error = f"målet '{target_name}' er ikke sat op {where}"
        else:
            try:
                target.deliver(_handover_view(record))
            except DeliveryError as exc:
                error = str(exc)[:400]
            except Exception as exc:  # a bug in a target must not stop the relay or lose the entry
                log.exception("delivery of %s to %s failed", reference, target_name)
                error = f"{type(exc).__name__}: {exc}"[:400]
        self._record_result(entry_id, reference, target_name, error, report)

    def _record_result(self, entry_id: int, reference: str, target_name: str, error: Optional[str],
                       report: RelayReport) -> None:
        now = self.clock()
        with Session(self.store.engine) as session, session.begin():
            entry = session.get(OutboxEntry, entry_id)
            app = session.execute(
                select(Application).where(Application.id == entry.application_id)
                .options(selectinload(Application.outbox), selectinload(Application.history))
            ).scalar_one()
            entry.attempts += 1
            self.store.audit(session, reference, "relay", "leveringsforsøg", target=target_name,
                             attempt=entry.attempts, ok=error is None, error=error)
            gave_up = error is not None and entry.attempts >= self.max_attempts
            metrics.delivery(target_name, ok=error is None, gave_up=gave_up)
            if error is None:
                entry.state, entry.delivered_at, entry.last_error = SENT, now, None
                if all(e.state == SENT for e in app.outbox):
                    self.store.set_status(session, app, DELIVERED, "Overført til kommunen", "relay")
                report.delivered.append(f"{reference}:{target_name}")
            elif gave_up:
                entry.state, entry.last_error = GAVE_UP, error
                self.store.set_status(session, app, FAILED,
                                      f"Kunne ikke overføres efter {entry.attempts} forsøg: {error}"[:300], "relay")
                report.failed.append(f"{reference}:{target_name}")
            else:
                entry.last_error, entry.next_attempt_at = error, now + backoff(entry.attempts)
                report.retrying.append(f"{reference}:{target_name}")

    def run_forever(self, interval: float = 5.0, should_stop: Callable[[], bool] = lambda: False,
                    on_round: Optional[Callable[[], object]] = None,
                    on_success: Optional[Callable[[], object]] = None) -> None:
        """Rounds until ``should_stop``; ``on_success`` after each round that reached the database
        (the heartbeat: a relay whose database is away is not doing its work)."""
        while not should_stop():
            try:
                if on_round is not None:
                    on_round()
                report = self.run_once()
                if report:
                    log.info("relay: delivered %s, retrying %s, failed %s",
                             report.delivered, report.retrying, report.failed)
                if on_success is not None:
                    on_success()
            except Exception:  # the database may be away for a while; keep going
                log.exception("relay round failed")
            for _ in range(int(interval * 10)):
                if should_stop():
                    return
                time.sleep(0.1)


def _handover_view(record: Mapping) -> Dict:
    """What the municipality receives: the record without the relay's own bookkeeping."""
    return {k: v for k, v in record.items() if k != "deliveries"}
