"""The records store and the handoff configuration for the actions, created on first use."""
from __future__ import annotations

from training_guidance.handoff.config import HandoffConfig, database_url
from training_guidance.handoff.store import RecordStore, shared_store


def records_store() -> RecordStore:
    """The store for TG_DATABASE_URL (read per call); one connection pool per URL and process."""
    return shared_store(database_url())


def handoff_config() -> HandoffConfig:
    return HandoffConfig.from_env()
