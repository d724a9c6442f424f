"""The outbox relay: delivers each application to the configured targets, at least once.

A delivery is claimed with a short lease (so two relays never send the same entry at the same
time), sent outside any database transaction, and its result recorded in a new one. Failures are
retried with exponential backoff; after MAX_ATTEMPTS the entry is marked failed and the application
'fejlet' — visible in `tg records list` and sent again by `tg records retry`. Every attempt is audited.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from .config import HandoffConfig
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookTarget:
    """POST the record as JSON with a bearer token; the reference is also the Idempotency-Key,
    so the receiver can ignore a repeat. HTTPS only, except on loopback (tests, local proxies)."""

    name = "webhook"

    def __init__(self, url: str, token: str, timeout: float = 10.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
            raise ValueError("the webhook URL must use https (http only on loopback)")
        self.url, self.token, self.timeout = url, token, timeout

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


def targets_from_config(config: HandoffConfig) -> Dict[str, object]:
    targets: Dict[str, object] = {}
    if "folder" in config.targets:
        targets["folder"] = FolderTarget(config.folder)
    if "webhook" in config.targets:
        targets["webhook"] = WebhookTarget(config.webhook_url or "", config.webhook_token or "")
    return targets


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
    def __init__(self, store: RecordStore, targets: Dict[str, object],
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
        target = self.targets.get(target_name)
        error: Optional[str] = None
        if target is None:
            error = f"målet '{target_name}' er ikke sat op (TG_HANDOFF_TARGETS)"
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
            if error is None:
                entry.state, entry.delivered_at, entry.last_error = SENT, now, None
                if all(e.state == SENT for e in app.outbox):
                    self.store.set_status(session, app, DELIVERED, "Overført til kommunen", "relay")
                report.delivered.append(f"{reference}:{target_name}")
            elif entry.attempts >= self.max_attempts:
                entry.state, entry.last_error = GAVE_UP, error
                self.store.set_status(session, app, FAILED,
                                      f"Kunne ikke overføres efter {entry.attempts} forsøg: {error}"[:300], "relay")
                report.failed.append(f"{reference}:{target_name}")
            else:
                entry.last_error, entry.next_attempt_at = error, now + backoff(entry.attempts)
                report.retrying.append(f"{reference}:{target_name}")

    def run_forever(self, interval: float = 5.0, should_stop: Callable[[], bool] = lambda: False,
                    on_round: Optional[Callable[[], object]] = None) -> None:
        while not should_stop():
            try:
                if on_round is not None:
                    on_round()
                report = self.run_once()
                if report:
                    log.info("relay: delivered %s, retrying %s, failed %s",
                             report.delivered, report.retrying, report.failed)
            except Exception:  # the database may be away for a while; keep going
                log.exception("relay round failed")
            for _ in range(int(interval * 10)):
                if should_stop():
                    return
                time.sleep(0.1)


def _handover_view(record: Mapping) -> Dict:
    """What the municipality receives: the record without the relay's own bookkeeping."""
    return {k: v for k, v in record.items() if k != "deliveries"}
