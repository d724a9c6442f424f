"""The chat conversations Rasa keeps in its SQL tracker store: delete one, or purge old ones.

Rasa 3.6's SQLTrackerStore keeps every event as a row of the table ``events`` (``sender_id``,
``timestamp`` in Unix seconds). Deleting the rows deletes the conversation; nothing else holds it.
"""
from __future__ import annotations

import time
from typing import Optional

import sqlalchemy as sa

from ..settings import get_settings

_events = sa.table("events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float))


def tracker_url_from_env() -> str:
    """The tracker store's URL as the servers use it (TG_TRACKER_URL, else data/tracker.db)."""
    return get_settings().tracker_store_url


def _has_events_table(engine: sa.engine.Engine) -> bool:
    return sa.inspect(engine).has_table("events")


def delete_conversation(sender_id: str, url: Optional[str] = None) -> int:
    """Delete every stored event of one conversation; the number of events deleted."""
    engine = sa.create_engine(url or tracker_url_from_env(), future=True)
    try:
        if not _has_events_table(engine):
            return 0
        with engine.begin() as conn:
            return conn.execute(sa.delete(_events).where(_events.c.sender_id == sender_id)).rowcount
    finally:
        engine.dispose()


def purge_conversations(older_than_days: float, url: Optional[str] = None, now: Optional[float] = None) -> int:
    """Delete conversations whose last event is older than the retention period; how many."""
    cutoff = (now if now is not None else time.time()) - older_than_days * 86400
    engine = sa.create_engine(url or tracker_url_from_env(), future=True)
    try:
        if not _has_events_table(engine):
            return 0
        last = sa.select(_events.c.sender_id).group_by(_events.c.sender_id).having(
            sa.func.max(_events.c.timestamp) < cutoff
        )
        with engine.begin() as conn:
            old = [row[0] for row in conn.execute(last)]
            for start in range(0, len(old), 500):
                conn.execute(sa.delete(_events).where(_events.c.sender_id.in_(old[start:start + 500])))
        return len(old)
    finally:
        engine.dispose()
