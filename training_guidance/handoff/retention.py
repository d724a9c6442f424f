"""Retention: delete what is older than the configured periods, by hand (`tg records purge`) or
once a day from the relay process, so nothing outlives what the privacy notice promises.

With a municipalities file each municipality has its own periods: its applications by their
kommunekode, its chats by the conversation's last `municipality_code` slot, and the questions the
assistant could not answer (handoff/questions.py) by their kommunekode with the chats' period. A chat that never
named a municipality, and any application of a code not in the file, get the file's defaults.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import sqlalchemy as sa

from .config import HandoffConfig
from .conversations import purge_conversations, tracker_url_from_env
from .questions import QuestionStore
from .store import RecordStore

log = logging.getLogger(__name__)

_events = sa.table("events", sa.column("id", sa.Integer), sa.column("sender_id", sa.String),
                   sa.column("type_name", sa.String), sa.column("timestamp", sa.Float), sa.column("data", sa.Text))


@dataclass
class PurgeResult:
    records: Dict[str, List[str]]
    conversations: int
    questions: int = 0  # unanswered questions, kept as long as the chats (handoff/questions.py)


def purge_all(store: RecordStore, record_days: float, chat_days: float, tracker_url: Optional[str] = None,
              actor: str = "cli", config: Optional[HandoffConfig] = None) -> PurgeResult:
    """Purge with one period for all, or (``config`` with a municipalities file) each municipality's own;
    ``record_days`` / ``chat_days`` are then the periods for what no municipality claims."""
    questions = QuestionStore(store.engine, clock=store.clock)
    if config is None or not config.by_code:
        records = store.purge(record_days, actor=actor)
        conversations = purge_conversations(chat_days, tracker_url or tracker_url_from_env())
        return PurgeResult(records, conversations, questions.purge(chat_days))
    records: Dict[str, List[str]] = {"deleted": [], "kept_undelivered": []}
    for code, own in sorted(config.by_code.items()):
        done = store.purge(own.record_retention_days, actor=actor, municipalities=[code])
        for key in records:
            records[key] += done[key]
    done = store.purge(record_days, actor=actor, except_municipalities=list(config.by_code))
    for key in records:
        records[key] += done[key]
    chat_periods = {code: float(own.chat_retention_days) for code, own in config.by_code.items()}
    conversations = purge_conversations_by_municipality(tracker_url or tracker_url_from_env(), chat_periods,
                                                        float(chat_days))
    return PurgeResult(records, conversations, questions.purge_by_municipality(chat_periods, float(chat_days)))


def purge_conversations_by_municipality(url: str, days_by_code: Dict[str, float], default_days: float,
                                        now: Optional[float] = None) -> int:
    """Delete conversations whose last event is older than their municipality's period; how many.

    Only conversations older than the shortest period are looked at; for each, the municipality is
    the last value of its `municipality_code` slot (Rasa's SQLTrackerStore keeps a slot event as a
    row with type_name 'slot' and the event as JSON in ``data``)."""
    now = now if now is not None else time.time()
    shortest = min([default_days, *days_by_code.values()])
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        with engine.begin() as conn:
            last = dict(conn.execute(
                sa.select(_events.c.sender_id, sa.func.max(_events.c.timestamp)).group_by(_events.c.sender_id)
                .having(sa.func.max(_events.c.timestamp) < now - shortest * 86400)).all())
            codes: Dict[str, Optional[str]] = {}
            senders = list(last)
            for start in range(0, len(senders), 500):
                rows = conn.execute(
                    sa.select(_events.c.sender_id, _events.c.data)
                    .where(_events.c.sender_id.in_(senders[start:start + 500]), _events.c.type_name == "slot",
                           _events.c.data.like('%"municipality_code"%'))
                    .order_by(_events.c.id))
                for sender, data in rows:
                    event = json.loads(data)
                    if event.get("name") == "municipality_code":
                        codes[sender] = event.get("value")
            old = [sender for sender, at in last.items()
                   if at < now - days_by_code.get(codes.get(sender) or "", default_days) * 86400]
            for start in range(0, len(old), 500):
                conn.execute(sa.delete(_events).where(_events.c.sender_id.in_(old[start:start + 500])))
        return len(old)
    finally:
        engine.dispose()


class DailyPurge:
    """Called on every relay round; purges when the period has passed (and on the first call)."""

    def __init__(self, store: RecordStore, config: HandoffConfig, every_hours: float,
                 clock: Callable[[], float] = time.monotonic):
        self.store, self.config, self.every, self.clock = store, config, every_hours * 3600, clock
        self.last: Optional[float] = None

    def __call__(self) -> Optional[PurgeResult]:
        if self.every <= 0 or (self.last is not None and self.clock() - self.last < self.every):
            return None
        self.last = self.clock()
        try:
            result = purge_all(self.store, self.config.record_retention_days, self.config.chat_retention_days,
                               actor="relay", config=self.config)
        except Exception:  # the tracker store may not exist yet; try again next period
            log.exception("retention purge failed")
            return None
        log.info("retention: %d records deleted, %d kept (not delivered), %d conversations and %d unanswered "
                 "questions deleted", len(result.records["deleted"]), len(result.records["kept_undelivered"]),
                 result.conversations, result.questions)
        return result
