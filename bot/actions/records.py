"""The records store and the handoff configuration for the actions, created on first use."""
from __future__ import annotations

import functools

from training_guidance.handoff.config import HandoffConfig, database_url
from training_guidance.handoff.store import RecordStore


@functools.lru_cache(maxsize=4)
def _store(url: str) -> RecordStore:
    return RecordStore(url)


def records_store() -> RecordStore:
    """One store (and connection pool) per database URL and process; TG_DATABASE_URL is read per call."""
    return _store(database_url())


def handoff_config() -> HandoffConfig:
    return HandoffConfig.from_env()
