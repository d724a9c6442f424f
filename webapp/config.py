"""The web server's settings, all from the environment (see the README's configuration table)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Mapping, MutableMapping, Optional, Tuple

HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 5080
DEFAULT_STAFF_USER = "personale"


class ConfigError(RuntimeError):
    """A setting that makes it unsafe or impossible to start; the message says what to set."""


def is_production(env: Mapping[str, str]) -> bool:
    return (env.get("TG_ENV") or "").strip().lower() == "production"


def web_port(env: Mapping[str, str]) -> int:
    return int(env.get("TG_WEB_PORT") or DEFAULT_WEB_PORT)


def own_origin(env: Mapping[str, str]) -> str:
    """The origin the page is served from (TG_WEB_ORIGIN when behind a proxy)."""
    return (env.get("TG_WEB_ORIGIN") or f"http://{HOST}:{web_port(env)}").rstrip("/")


def cors_origins(env: Mapping[str, str]) -> Tuple[str, ...]:
    """Origins allowed to call from a browser: TG_CORS_ORIGINS, else exactly the page's own origin."""
    configured = tuple(o.rstrip("/") for o in (env.get("TG_CORS_ORIGINS") or "").split() if o)
    if "*" in configured:
        raise ConfigError("TG_CORS_ORIGINS må ikke være '*'. Skriv de origins, der må bruge chatten "
                          "(TG_CORS_ORIGINS must list origins, never '*').")
    return configured or (own_origin(env),)


def ensure_staff_credentials(env: MutableMapping[str, str]) -> Optional[str]:
    """Make sure TG_STAFF_USER and TG_STAFF_PASSWORD are in ``env``.

    Production without them is refused. In development a random password is generated for this
    run, put into ``env`` and returned so the run command can print it; None when it was set."""
    user, password = env.get("TG_STAFF_USER"), env.get("TG_STAFF_PASSWORD")
    if user and password:
        return None
    if is_production(env):
        raise ConfigError(
            "Personalekonsollen kræver TG_STAFF_USER og TG_STAFF_PASSWORD, når TG_ENV=production. "
            "Serveren starter ikke uden. (The staff console needs TG_STAFF_USER and TG_STAFF_PASSWORD "
            "in production; the web server will not start without them.)"
        )
    env["TG_STAFF_USER"] = user or DEFAULT_STAFF_USER
    if password:
        return None
    env["TG_STAFF_PASSWORD"] = secrets.token_urlsafe(12)
    return env["TG_STAFF_PASSWORD"]


@dataclass(frozen=True)
class WebConfig:
    port: int
    rasa_url: str
    origin: str
    cors_origins: Tuple[str, ...]
    staff_user: str
    staff_password: str
    secret: bytes
    production: bool
    tracker_url: Optional[str]

    @classmethod
    def from_env(cls, env: Optional[MutableMapping[str, str]] = None) -> "WebConfig":
        env = os.environ if env is None else env
        ensure_staff_credentials(env)
        secret = env.get("TG_WEB_SECRET")
        if is_production(env) and secret is not None and len(secret) < 32:
            raise ConfigError("TG_WEB_SECRET skal være mindst 32 tegn (must be at least 32 characters).")
        return cls(
            port=web_port(env),
            rasa_url=(env.get("TG_RASA_URL") or f"http://{HOST}:{env.get('TG_RASA_PORT') or 5005}").rstrip("/"),
            origin=own_origin(env),
            cors_origins=cors_origins(env),
            staff_user=env["TG_STAFF_USER"],
            staff_password=env["TG_STAFF_PASSWORD"],
            secret=secret.encode() if secret else secrets.token_bytes(32),
            production=is_production(env),
            tracker_url=env.get("TG_TRACKER_URL") or None,
        )
