"""The handoff's configuration, from the settings (no secrets in files).

One deployment may serve several municipalities. Then one YAML file (TG_MUNICIPALITIES_FILE,
e.g. deploy/municipalities.yml) says, per kommunekode, where its applications go (a folder, a
webhook whose token is read from a TG_* variable the file names), how long they and the chats are
kept, and which staff may see them. A municipality that is not in the file gets no applications.
Without the file, the TG_HANDOFF_* and retention settings apply to every municipality.
"""
from __future__ import annotations

import functools
import ipaddress
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, FrozenSet, List, Mapping, Optional, Tuple

import yaml
from training_guidance.pydantic_compat import BaseModel, Extra, Field, ValidationError, conint, constr, root_validator, validator

from ..settings import SettingsError, get_settings, named_secret

TARGETS = ("folder", "webhook")


class ConfigError(ValueError):
    pass


def data_dir() -> Path:
    return get_settings().resolved_data_dir


def database_url() -> str:
    """TG_DATABASE_URL (e.g. postgresql://user:pw@host/db); default: SQLite in the data folder."""
    return get_settings().records_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(url: str) -> str:
    """HTTPS only, except on loopback (tests, a local proxy)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
        raise ValueError("the webhook URL must use https (http only on loopback)")
    return url


# --- the municipalities file (pydantic: a wrong file fails with the field and the reason) ---------
class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class WebhookSpec(_Strict):
    url: str
    token_env: constr(regex=r"^TG_[A-Z0-9_]+$") = Field(  # type: ignore[valid-type]
        ..., description="the TG_* variable that holds the bearer token (never the token itself)")

    _url = validator("url", allow_reuse=True)(check_webhook_url)


class MunicipalitySpec(_Strict):
    name: Optional[str] = None  # for people reading the file
    folder: Optional[Path] = None  # relative: inside the data folder
    webhook: Optional[WebhookSpec] = None
    record_retention_days: Optional[conint(ge=1)] = None  # type: ignore[valid-type]
    chat_retention_days: Optional[conint(ge=1)] = None  # type: ignore[valid-type]
    # Who may see this municipality's applications besides what their accounts allow; left out:
    # the staff accounts' own scope decides (e.g. from single sign-on).
    staff: Optional[List[constr(min_length=1, max_length=200)]] = None  # type: ignore[valid-type]

    @root_validator(skip_on_failure=True)
    def _a_target(cls, values):
        if values.get("folder") is None and values.get("webhook") is None:
            raise ValueError("give the municipality a target: folder, webhook or both")
        return values


class Defaults(_Strict):
    record_retention_days: Optional[conint(ge=1)] = None  # type: ignore[valid-type]
    chat_retention_days: Optional[conint(ge=1)] = None  # type: ignore[valid-type]


class MunicipalitiesFile(_Strict):
    defaults: Defaults = Defaults()
    municipalities: Dict[constr(regex=r"^\d{4}$"), MunicipalitySpec]  # type: ignore[valid-type]

    @validator("municipalities")
    def _not_empty(cls, v):
        if not v:
            raise ValueError("name at least one municipality")
        return v


def load_municipalities_file(path: Path) -> MunicipalitiesFile:
    """The file, read and checked once per version of it (its modification time and size): every
    message's action asks for it, and parsing the YAML cost the action server more CPU than the
    rest of the message (a profile of the production layout). An edited file is read again; a
    file that fails is not remembered, so it fails again until it is mended."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    return _parsed_municipalities_file(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed_municipalities_file(path: str, _mtime_ns: int, _size: int) -> MunicipalitiesFile:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if isinstance(raw, dict) and isinstance(raw.get("municipalities"), dict):
        # YAML reads an unquoted 0661 as a number; a kommunekode is four digits as text
        raw["municipalities"] = {(f"{k:04d}" if isinstance(k, int) else k): v for k, v in raw["municipalities"].items()}
    try:
        return MunicipalitiesFile.parse_obj(raw)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {where}") from None


# --- what the handoff uses ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MunicipalityHandoff:
    """One municipality's own handoff: its targets, retention and the staff who may see its applications."""

    code: str
    name: Optional[str]
    targets: Tuple[str, ...]
    folder: Optional[Path]
    webhook_url: Optional[str]
    webhook_token: Optional[str]
    record_retention_days: int
    chat_retention_days: int
    staff: Optional[FrozenSet[str]]  # None: the file does not limit who sees it (the accounts decide)


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
    # Per municipality, from TG_MUNICIPALITIES_FILE; empty: the settings above for every municipality.
    by_code: Mapping[str, MunicipalityHandoff] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "HandoffConfig":
        try:
            settings = get_settings(env)
        except SettingsError as exc:
            raise ConfigError(str(exc)) from None
        file = settings.resolved_municipalities_file
        if file is not None:
            return cls.from_file(file, env)
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

    @classmethod
    def from_file(cls, path: Path, env: Optional[Mapping[str, str]] = None) -> "HandoffConfig":
        """The municipalities file decides; its defaults fall back to TG_*_RETENTION_DAYS."""
        settings = get_settings(env)
        spec = load_municipalities_file(path)
        record_days = spec.defaults.record_retention_days or settings.record_retention_days
        chat_days = spec.defaults.chat_retention_days or settings.chat_retention_days
        by_code: Dict[str, MunicipalityHandoff] = {}
        for code, m in spec.municipalities.items():
            token = None
            if m.webhook is not None:
                token = named_secret(m.webhook.token_env, env)
                if not token:
                    raise ConfigError(f"{path}: municipalities.{code}.webhook: {m.webhook.token_env} is not set "
                                      "(the webhook's bearer token)")
            folder = None
            if m.folder is not None:
                folder = m.folder if m.folder.is_absolute() else settings.resolved_data_dir / m.folder
            by_code[code] = MunicipalityHandoff(
                code=code, name=m.name,
                targets=tuple(t for t, on in (("folder", folder), ("webhook", m.webhook)) if on is not None),
                folder=folder, webhook_url=m.webhook.url if m.webhook else None, webhook_token=token,
                record_retention_days=m.record_retention_days or record_days,
                chat_retention_days=m.chat_retention_days or chat_days,
                staff=None if m.staff is None else frozenset(m.staff),
            )
        return cls(targets=(), folder=settings.handoff_folder_path, record_retention_days=record_days,
                   chat_retention_days=chat_days, municipalities=frozenset(by_code), by_code=by_code)

    def for_municipality(self, code: Optional[str]) -> "HandoffConfig":
        """The configuration as one municipality sees it: its targets and retention periods.
        Without a municipalities file (or for a code not in it) the deployment's own."""
        own = self.by_code.get(code or "")
        if own is None:
            return self
        return replace(self, targets=own.targets, folder=own.folder or self.folder, webhook_url=own.webhook_url,
                       webhook_token=own.webhook_token, record_retention_days=own.record_retention_days,
                       chat_retention_days=own.chat_retention_days)

    def staff_may_see(self, user: str, code: str) -> bool:
        """Whether the file lets a staff member see this municipality's applications: it is in the
        file and its ``staff`` list (if it has one) names the user. Without a municipalities file the
        file limits nothing (one municipality per deployment). The account's own scope is the other
        half of the decision (training_guidance/handoff/accounts.py: visible_codes)."""
        if not self.by_code:
            return True
        own = self.by_code.get(code)
        return own is not None and (own.staff is None or user in own.staff)

    def visible_codes(self, user: str) -> Optional[FrozenSet[str]]:
        """The kommunekoder whose applications the file lets ``user`` see; None: no limit."""
        if not self.by_code:
            return None
        return frozenset(code for code in self.by_code if self.staff_may_see(user, code))
