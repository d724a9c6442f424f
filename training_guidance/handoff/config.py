"""The handoff's configuration, from the settings (no secrets in files)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, Optional, Tuple

from ..settings import SettingsError, get_settings

TARGETS = ("folder", "webhook")


class ConfigError(ValueError):
    pass


def data_dir() -> Path:
    return get_settings().resolved_data_dir


def database_url() -> str:
    """TG_DATABASE_URL (e.g. postgresql://user:pw@host/db); default: SQLite in the data folder."""
    return get_settings().records_url


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
        try:
            settings = get_settings()
        except SettingsError as exc:
            raise ConfigError(str(exc)) from None
        targets = settings.handoff_target_names
        unknown = set(targets) - set(TARGETS)
        if unknown or not targets:
            raise ConfigError(f"TG_HANDOFF_TARGETS: use one or both of {TARGETS}, not {sorted(unknown) or 'nothing'}")
        url, token = settings.handoff_webhook_url, settings.handoff_webhook_token
        if "webhook" in targets and not (url and token):
            raise ConfigError("the webhook target needs TG_HANDOFF_WEBHOOK_URL and TG_HANDOFF_WEBHOOK_TOKEN")
        return cls(
            targets=targets,
            folder=settings.handoff_folder_path,
            webhook_url=url,
            webhook_token=token,
            record_retention_days=settings.record_retention_days,
            chat_retention_days=settings.chat_retention_days,
            municipalities=settings.handoff_codes,
        )
