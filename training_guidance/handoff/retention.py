"""Retention: delete what is older than the configured periods, by hand (`tg records purge`) or
once a day from the relay process, so nothing outlives what the privacy notice promises."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from .config import HandoffConfig
from .conversations import purge_conversations, tracker_url_from_env
from .store import RecordStore

log = logging.getLogger(__name__)


@dataclass
class PurgeResult:
    records: Dict[str, List[str]]
    conversations: int


def purge_all(store: RecordStore, record_days: float, chat_days: float, tracker_url: Optional[str] = None,
              actor: str = "cli") -> PurgeResult:
    records = store.purge(record_days, actor=actor)
    conversations = purge_conversations(chat_days, tracker_url or tracker_url_from_env())
    return PurgeResult(records, conversations)


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
                               actor="relay")
        except Exception:  # the tracker store may not exist yet; try again next period
            log.exception("retention purge failed")
            return None
        log.info("retention: %d records deleted, %d kept (not delivered), %d conversations deleted",
                 len(result.records["deleted"]), len(result.records["kept_undelivered"]), result.conversations)
        return result
