"""Received applications for the staff console, read from the records store (issue #5)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

LIST_KEYS = ("reference", "created_at", "municipality_code", "municipality_name", "outcome", "status",
             "applicant_role")


class RecordsUnavailable(RuntimeError):
    """The records store is not installed or cannot be opened."""


def _store():
    try:
        from training_guidance.handoff.store import RecordStore
    except ImportError as exc:  # the store lands with issue #5
        raise RecordsUnavailable("Ansøgningsregistret er ikke installeret.") from exc
    try:
        return RecordStore(url=None)  # TG_DATABASE_URL, default sqlite:///<TG_DATA_DIR>/records.db
    except Exception as exc:  # noqa: BLE001 - a broken database must not take the console down
        raise RecordsUnavailable(f"Ansøgningsregistret kan ikke åbnes: {type(exc).__name__}") from exc


def list_applications(limit: int = 200) -> List[Dict[str, Any]]:
    """Newest first, only the list columns (the full record is one click away)."""
    rows = _store().list_applications(limit=limit)
    return [{key: row.get(key) for key in LIST_KEYS} for row in rows]


def get_application(reference: str) -> Optional[Dict[str, Any]]:
    return _store().get_application(reference)
