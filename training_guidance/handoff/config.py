"""The handoff's configuration, from the environment only (no secrets in files)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("folder", "webhook")


class ConfigError(ValueError):
    pass


def data_dir() -> Path:
    return Path(os.environ.get("TG_DATA_DIR") or PROJECT_ROOT / "data")


def database_url() -> str:
    """TG_DATABASE_URL (e.g. postgresql://user:pw@host/db); default: SQLite in the data folder."""
    url = os.environ.get("TG_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(data_dir() / 'records.db').resolve()}"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of days, not {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1")
    return value


@dataclass(frozen=True)
class HandoffConfig:
    targets: Tuple[str, ...] = ("folder",)
    folder: Path = field(default_factory=lambda: data_dir() / "ansoegninger")
    webhook_url: Optional[str] = None
    webhook_token: Optional[str] = None
    record_retention_days: int = 90
    chat_retention_days: int = 30
    # Kommunekoder the deployment may send applications for; None: every municipality with a standard.
    municipalities: Optional[FrozenSet[str]] = None

    @classmethod
    def from_env(cls) -> "HandoffConfig":
        targets = tuple(t for t in re.split(r"[\s,]+", os.environ.get("TG_HANDOFF_TARGETS", "folder")) if t)
        unknown = set(targets) - set(TARGETS)
        if unknown or not targets:
            raise ConfigError(f"TG_HANDOFF_TARGETS: use one or both of {TARGETS}, not {sorted(unknown) or 'nothing'}")
        url = os.environ.get("TG_HANDOFF_WEBHOOK_URL") or None
        token = os.environ.get("TG_HANDOFF_WEBHOOK_TOKEN") or None
        if "webhook" in targets and not (url and token):
            raise ConfigError("the webhook target needs TG_HANDOFF_WEBHOOK_URL and TG_HANDOFF_WEBHOOK_TOKEN")
        codes = os.environ.get("TG_HANDOFF_MUNICIPALITIES")
        return cls(
            targets=targets,
            folder=Path(os.environ.get("TG_HANDOFF_FOLDER") or data_dir() / "ansoegninger"),
            webhook_url=url,
            webhook_token=token,
            record_retention_days=_int("TG_RECORD_RETENTION_DAYS", 90),
            chat_retention_days=_int("TG_CHAT_RETENTION_DAYS", 30),
            municipalities=frozenset(re.split(r"[\s,]+", codes.strip())) if codes and codes.strip() else None,
        )
