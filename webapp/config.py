"""The web server's settings (training_guidance.settings; see docs/configuration.md)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Mapping, MutableMapping, Optional, Tuple
from urllib.parse import urlsplit

from training_guidance.handoff.config import ConfigError as HandoffConfigError
from training_guidance.handoff.config import HandoffConfig
from training_guidance.settings import HOST, Settings, SettingsError, get_settings, process_environment

from .oidc import OidcConfig

DEFAULT_STAFF_USER = "personale"


class ConfigError(RuntimeError):
    """A setting that makes it unsafe or impossible to start; the message says what to set."""


def _settings(env: Optional[Mapping[str, str]]) -> Settings:
    try:
        return get_settings(env)
    except SettingsError as exc:
        raise ConfigError(str(exc)) from None


def cors_origins(env: Optional[Mapping[str, str]] = None) -> Tuple[str, ...]:
    """Origins allowed to call from a browser: TG_CORS_ORIGINS, else exactly the page's own origin."""
    settings = _settings(env)
    configured = settings.cors_origin_list
    if "*" in configured:
        raise ConfigError("TG_CORS_ORIGINS må ikke være '*'. Skriv de origins, der må bruge chatten "
                          "(TG_CORS_ORIGINS must list origins, never '*').")
    return configured or (settings.web_own_origin,)


def ensure_staff_credentials(env: MutableMapping[str, str]) -> Optional[str]:
    """Development: make sure TG_STAFF_USER and TG_STAFF_PASSWORD are in ``env``, the name and
    password of the development account that scripts/servers.py creates or updates at start. A
    random password is generated for this run, put into ``env`` and returned so the run command can
    print it; None when it was set. Production: nothing (no such account; `tg staff add`)."""
    settings = _settings(env)
    if settings.production:
        return None
    env["TG_STAFF_USER"] = settings.staff_user or DEFAULT_STAFF_USER
    if settings.staff_password:
        return None
    env["TG_STAFF_PASSWORD"] = secrets.token_urlsafe(12)
    return env["TG_STAFF_PASSWORD"]


def handoff_config(env: Mapping[str, str]) -> HandoffConfig:
    try:
        return HandoffConfig.from_env(env)
    except HandoffConfigError as exc:
        raise ConfigError(str(exc)) from None


@dataclass(frozen=True)
class WebConfig:
    port: int
    rasa_url: str
    origin: str  # TG_WEB_ORIGIN, scheme included: what Origin must be, and what the page's snippet names
    cors_origins: Tuple[str, ...]
    staff_user: Optional[str]  # development: the account scripts/servers.py makes (printed); production: None
    secret: bytes  # keys the hashes of user names and addresses in the shared rate-limit store
    production: bool
    tracker_url: Optional[str]
    host: str = HOST  # TG_WEB_HOST: the address to bind to
    database_url: str = ""  # sessions and rate limits (training_guidance/handoff/security.py)
    channel_secret: Optional[str] = None  # the staff channel and the client address passed to Rasa
    proxies_count: int = 0  # Sanic PROXIES_COUNT / TG_PROXIES_COUNT: trusted proxies in front of this server
    forwarded_secret: Optional[str] = None  # Sanic FORWARDED_SECRET / TG_FORWARDED_SECRET
    oidc: Optional[OidcConfig] = None  # staff single sign-on (TG_OIDC_*); None: user names and passwords only
    handoff: Optional[HandoffConfig] = None  # the municipalities file: which staff may see which municipality

    @classmethod
    def from_env(cls, env: Optional[MutableMapping[str, str]] = None) -> "WebConfig":
        env = process_environment() if env is None else env  # a copy, filled in for this run
        ensure_staff_credentials(env)
        settings = _settings(env)
        secret = settings.web_secret
        if settings.production:
            # Several instances must sign with one key, and a restart must not log everyone out.
            for name, value in (("TG_WEB_SECRET", secret), ("TG_CHANNEL_SECRET", settings.channel_secret)):
                if not value or len(value) < 32:
                    raise ConfigError(f"{name} skal være sat og mindst 32 tegn, når TG_ENV=production "
                                      f"({name} must be set, at least 32 characters, in production).")
        origin = settings.web_own_origin
        if urlsplit(origin).scheme not in ("http", "https") or not urlsplit(origin).netloc:
            raise ConfigError(f"TG_WEB_ORIGIN skal være fx https://traeningsguiden.holstebro.dk, ikke {origin!r} "
                              "(TG_WEB_ORIGIN must be an origin with its scheme).")
        return cls(
            port=settings.web_port,
            rasa_url=settings.rasa_base_url,
            origin=origin,
            cors_origins=cors_origins(env),
            staff_user=None if settings.production else settings.staff_user,
            secret=secret.encode() if secret else secrets.token_bytes(32),
            production=settings.production,
            tracker_url=settings.tracker_url,
            host=settings.web_host,
            database_url=settings.records_url,
            channel_secret=settings.channel_secret,
            proxies_count=settings.proxies_count,
            forwarded_secret=settings.forwarded_secret,
            oidc=OidcConfig.from_settings(settings, origin),
            handoff=handoff_config(env),
        )
