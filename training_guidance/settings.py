"""Every setting of Træningsguiden, in one place: `TG_*` environment variables.

This is the only module that reads the environment. Each field's description is the line of the
configuration table in docs/configuration.md (`python -m training_guidance.settings` writes it;
a test keeps the two equal). Empty variables count as unset.

Tests and the web server may pass a mapping instead of the process environment
(``get_settings(env)``), so a test changes settings without touching ``os.environ``.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional, Tuple

from training_guidance.pydantic_compat import BaseSettings, Field, validator

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PREFIX = "TG_"

# The mapping the next Settings() reads: None means the process environment.
_SOURCE: contextvars.ContextVar[Optional[Mapping[str, str]]] = contextvars.ContextVar("tg_settings_source", default=None)


class SettingsError(ValueError):
    """A setting that makes it unsafe or impossible to start; the message says what to set."""


def _from_source(settings: BaseSettings) -> Dict[str, Any]:
    source = _SOURCE.get()
    env = os.environ if source is None else source
    values = {}
    for name in settings.__fields__:
        raw = env.get(PREFIX + name.upper())
        if raw is not None and raw.strip() != "":
            values[name] = raw.strip()
    return values


class Settings(BaseSettings):
    # --- where things are --------------------------------------------------------------------
    data_dir: Path = Field(PROJECT_ROOT / "data", description="SQLite files (`tracker.db`, `records.db`), server logs, the folder target")
    knowledge_dir: Optional[Path] = Field(None, description="the knowledge files (default `knowledge/`)")
    today: Optional[dt.date] = Field(None, description="pins \"today\" (YYYY-MM-DD) for demos and tests; records are dated that day too")
    env: str = Field("development", description="`production`: staff credentials and a long web secret are required; cookies get `Secure`")

    # --- servers (always on 127.0.0.1 in `make run`) -------------------------------------------
    rasa_port: int = Field(5005, description="Rasa server port")
    action_port: int = Field(5055, description="action server port")
    rasa_host: str = Field(HOST, description="address the Rasa server binds to (`rasa run --interface`)")
    action_host: str = Field(HOST, description="address the action server binds to (its `SANIC_HOST`)")
    web_port: int = Field(5080, description="web page and staff console port")
    rasa_url: Optional[str] = Field(None, description="where the web server reaches Rasa (default `http://127.0.0.1:$TG_RASA_PORT`)")
    rest_url: Optional[str] = Field(None, description="where `make chat` sends messages (default Rasa's REST webhook)")
    endpoints: str = Field("endpoints.yml", description="endpoints file for Rasa; `deploy/endpoints.production.yml` for PostgreSQL + Redis")
    tracker_url: Optional[str] = Field(None, description="Rasa's tracker store, any SQLAlchemy URL (default SQLite `tracker.db` in the data folder)")
    rasa_token: Optional[str] = Field(None, description="enables Rasa's HTTP API (`--enable-api`) protected by this token; unset: only the channels answer")
    action_token: Optional[str] = Field(None, description="bearer token the action server requires on every route but `/health`; it refuses to start without one (`make run` generates one per run)")
    channel_secret: Optional[str] = Field(None, description="secret shared by the web server and the Rasa servers: opens the staff channel (`/webhooks/personale/webhook`), vouches for the client address the web server passes on, signs socket.io session ids. `make run` generates one per run; at least 32 characters in production")
    proxies_count: int = Field(0, ge=0, description="trusted reverse proxies in front of the web server and Rasa that append `X-Forwarded-For` (Sanic `PROXIES_COUNT`); 0: the connection's address is the client's")
    forwarded_secret: Optional[str] = Field(None, description="secret a trusted proxy puts in the RFC 7239 `Forwarded` header (`secret=`; Sanic `FORWARDED_SECRET`); only such a header names the client's address")
    rasa_tuning: bool = Field(True, description="`off` runs Rasa's own (slow) validation of action responses")
    session_max_events: int = Field(40, ge=0, description="Rasa loads about this many recent events of a conversation per message (its state lives in slots: older slot values and the form are carried over; an application's events are kept from its start; `bot/tracker_store.py`), so a message costs about the same at turn 100 as at turn 5; 0: every event since the session start, as stock Rasa")
    relay_interval: float = Field(2.0, description="seconds between the outbox relay's rounds")
    action_url: Optional[str] = Field(None, description="the action server's webhook as Rasa calls it (endpoints files); `/ready` checks its `/health`")
    relay_health_port: Optional[int] = Field(None, description="port of the relay's `/health`, `/ready` and `/metrics` on `TG_WEB_HOST`'s interface (unset: none; the heartbeat is always written)")
    log_format: str = Field("json", description="`json`: our servers log JSON lines (no message texts, no personal data); `text`: plain lines")

    # --- web page and staff console -------------------------------------------------------------
    web_host: str = Field(HOST, description="address the web server binds to (e.g. a private address behind the load balancer)")
    proxies_count: int = Field(0, ge=0, description="trusted proxies in front of the web server: the client address is taken from `X-Forwarded-For` this many hops back (0: the peer's address)")
    forwarded_secret: Optional[str] = Field(None, description="secret the proxy puts into the `Forwarded` header (`secret=`); that header's `for=` is then trusted as the client address")
    web_origin: Optional[str] = Field(None, description="the page's public origin, scheme included (default `http://127.0.0.1:$TG_WEB_PORT`)")
    cors_origins: Optional[str] = Field(None, description="space-separated origins allowed to call the chat from a browser; default: the page's own origin, never `*`")
    staff_user: Optional[str] = Field(None, description="development only: the name of the staff account `make run` creates or updates at start (default `personale`); production has no such account (`tg staff add`)")
    staff_password: Optional[str] = Field(None, description="development only: that account's password (default: random per run, printed by `make run`); never used in production")
    web_secret: Optional[str] = Field(None, description="key for the hashes of user names and addresses in the shared login rate limits (required, at least 32 characters, in production; default random per process)")

    # --- staff single sign-on (OpenID Connect; docs/operations.md: Entra ID, KOMBIT) ------------
    oidc_issuer: Optional[str] = Field(None, description="the OpenID provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`); unset: no single sign-on")
    oidc_client_id: Optional[str] = Field(None, description="this deployment's client id at the provider")
    oidc_client_secret: Optional[str] = Field(None, description="the client secret (from the secret store); the redirect URI to register is `$TG_WEB_ORIGIN/personale/sso/svar`")
    oidc_scopes: str = Field("openid profile email", description="scopes asked for (space-separated; `openid` is always asked)")
    oidc_name_claim: str = Field("preferred_username", description="the claim that is the staff member's user name (falls back to `email`, then `sub`)")
    oidc_roles_claim: str = Field("roles", description="the claim with the staff member's roles (a list or one string)")
    oidc_municipalities_claim: str = Field("kommuner", description="the claim with the kommunekoder the staff member works for (a list or one string)")
    oidc_role_map: Optional[str] = Field(None, description="provider role value → our role, space-separated `value=role` (e.g. `Traeningsguiden.Sagsbehandler=sagsbehandler`); values equal to a role name count without it")
    oidc_municipality_map: Optional[str] = Field(None, description="provider municipality value → kommunekode, space-separated `value=code` (e.g. a municipality's CVR number `12345678=0661`); four-digit values count as kommunekoder without it")

    # --- the handoff ------------------------------------------------------------------------------
    database_url: Optional[str] = Field(None, description="the records store, e.g. `postgresql://user:pw@host/db` (default SQLite `records.db` in the data folder)")
    handoff_targets: str = Field("folder", description="where the relay delivers: `folder`, `webhook` or both")
    handoff_folder: Optional[Path] = Field(None, description="the folder target (default `ansoegninger/` in the data folder)")
    handoff_webhook_url: Optional[str] = Field(None, description="the webhook target (HTTPS; http only on loopback)")
    handoff_webhook_token: Optional[str] = Field(None, description="the webhook target's bearer token")
    handoff_municipalities: Optional[str] = Field(None, description="kommunekoder this deployment sends applications for (default: the five with a standard)")
    record_retention_days: int = Field(90, ge=1, description="days an application is kept after delivery (stated in the privacy notice)")
    chat_retention_days: int = Field(30, ge=1, description="days a chat conversation is kept after its last message")
    municipalities_file: Optional[Path] = Field(None, description="one YAML file with each municipality's handoff targets, retention and staff (`deploy/municipalities.yml`; docs/operations.md); unset: the `TG_HANDOFF_*` and retention settings above for every municipality")

    # --- Redis (production endpoints file only; read there by Rasa) -------------------------------
    redis_host: Optional[str] = Field(None, description="Redis lock store host (production endpoints file)")
    redis_port: Optional[int] = Field(None, description="Redis lock store port")
    redis_db: Optional[int] = Field(None, description="Redis lock store database number")
    redis_password: Optional[str] = Field(None, description="Redis lock store password")

    class Config:
        env_prefix = PREFIX
        allow_mutation = False

        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):  # noqa: ARG003
            return (init_settings, _from_source)

    @validator("rasa_tuning", pre=True)
    def _switch(cls, v: Any) -> Any:
        if isinstance(v, str):
            return v.strip().lower() not in ("off", "0", "false", "no", "nej")
        return v

    @validator("env", "log_format", pre=True)
    def _env_word(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @validator("log_format")
    def _log_format(cls, v: str) -> str:
        if v not in ("json", "text"):
            raise ValueError("use `json` or `text`")
        return v

    # --- derived values ---------------------------------------------------------------------------
    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def resolved_data_dir(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def records_url(self) -> str:
        return self.database_url or f"sqlite:///{self.resolved_data_dir / 'records.db'}"

    @property
    def tracker_store_url(self) -> str:
        return self.tracker_url or f"sqlite:///{self.resolved_data_dir / 'tracker.db'}"

    @property
    def handoff_folder_path(self) -> Path:
        return Path(self.handoff_folder) if self.handoff_folder else self.resolved_data_dir / "ansoegninger"

    @property
    def handoff_target_names(self) -> Tuple[str, ...]:
        return tuple(t for t in re.split(r"[\s,]+", self.handoff_targets) if t)

    @property
    def handoff_codes(self) -> Optional[FrozenSet[str]]:
        codes = self.handoff_municipalities
        return frozenset(c for c in re.split(r"[\s,]+", codes) if c) if codes else None

    @property
    def rasa_base_url(self) -> str:
        return (self.rasa_url or f"http://{HOST}:{self.rasa_port}").rstrip("/")

    @property
    def rest_webhook_url(self) -> str:
        return self.rest_url or f"{self.rasa_base_url}/webhooks/rest/webhook"

    @property
    def web_own_origin(self) -> str:
        return (self.web_origin or f"http://{HOST}:{self.web_port}").rstrip("/")

    @property
    def resolved_municipalities_file(self) -> Optional[Path]:
        path = self.municipalities_file
        if path is None:
            return None
        return path if Path(path).is_absolute() else PROJECT_ROOT / path

    @property
    def relay_heartbeat_file(self) -> Path:
        """Where the relay writes its heartbeat when there is no Redis (one machine)."""
        return self.resolved_data_dir / "relay.heartbeat"

    @property
    def redis_url(self) -> Optional[str]:
        """The lock store's Redis (production); the relay's heartbeat goes there so that every
        server, on any machine, sees it."""
        if not self.redis_host:
            return None
        auth = f":{self.redis_password}@" if self.redis_password else ""
        return f"redis://{auth}{self.redis_host}:{self.redis_port or 6379}/{self.redis_db or 0}"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def oidc_role_pairs(self) -> Dict[str, str]:
        return _pairs(self.oidc_role_map)

    @property
    def oidc_municipality_pairs(self) -> Dict[str, str]:
        return _pairs(self.oidc_municipality_map)

    @property
    def cors_origin_list(self) -> Tuple[str, ...]:
        return tuple(o.rstrip("/") for o in (self.cors_origins or "").split() if o)


def _pairs(text: Optional[str]) -> Dict[str, str]:
    """`a=b c=d` as {"a": "b", "c": "d"}; a value may itself contain `=` only on the left."""
    pairs = {}
    for item in (text or "").split():
        key, sep, value = item.rpartition("=")
        if sep and key and value:
            pairs[key] = value
    return pairs


# Settings by the TG_ variables they were read from: building them (pydantic) cost about a tenth of
# the action server's CPU per message, read three times per action. Settings are immutable.
_BUILT: Dict[Tuple[Tuple[str, str], ...], Settings] = {}
_BUILT_MAX = 64


def get_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """The settings from ``env`` (default: the process environment). Every call looks at the
    variables again, so a test's change of the environment is seen at once; the same variables
    give the same (immutable) object without validating them again."""
    source = os.environ if env is None else env
    key = tuple(sorted((k, v) for k, v in source.items() if k.startswith(PREFIX)))
    built = _BUILT.get(key)
    if built is not None:
        return built
    token = _SOURCE.set(env)
    try:
        settings = Settings()
    except Exception as exc:  # pydantic's ValidationError: name the variable, in plain words
        raise SettingsError(_explain(exc)) from None
    finally:
        _SOURCE.reset(token)
    if len(_BUILT) >= _BUILT_MAX:
        _BUILT.clear()  # many test environments; a server uses one
    _BUILT[key] = settings
    return settings


def _explain(exc: Exception) -> str:
    errors = getattr(exc, "errors", lambda: [])()
    parts = [f"{PREFIX}{str(e['loc'][0]).upper()}: {e['msg']}" for e in errors] or [str(exc)]
    return "; ".join(parts)


def named_secret(name: str, env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """A secret whose variable a settings file names (e.g. a municipality's webhook token in
    deploy/municipalities.yml: `token_env: TG_WEBHOOK_TOKEN_0661`), so no secret is in a file.
    Only `TG_*` names: a file cannot make us read any other variable."""
    if not re.fullmatch(r"TG_[A-Z0-9_]+", name or ""):
        raise SettingsError(f"{name!r}: a secret's variable must be named TG_ and capitals, digits, _")
    value = (os.environ if env is None else env).get(name)
    return value.strip() if value and value.strip() else None


def process_environment() -> Dict[str, str]:
    """A copy of the process environment, for starting child processes (scripts/servers.py)."""
    return dict(os.environ)


def configuration_table() -> str:
    """The markdown table of docs/configuration.md."""
    lines = ["| variable | default | what |", "|---|---|---|"]
    for name, field in Settings.__fields__.items():
        default = field.default
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT).as_posix() + "/" if default.is_relative_to(PROJECT_ROOT) else default
        shown = "–" if default is None else f"`{str(default).lower() if isinstance(default, bool) else default}`"
        lines.append(f"| `{PREFIX}{name.upper()}` | {shown} | {field.field_info.description} |")
    return "\n".join(lines) + "\n"


DOC_HEADER = """# Configuration

Every setting is an environment variable; `training_guidance/settings.py` is the only module that
reads them. This table is generated from it (`.venv311/bin/python -m training_guidance.settings >
docs/configuration.md`); a test checks that it is up to date. Empty variables count as unset. No
secret is stored in the repository.

"""


if __name__ == "__main__":
    sys.stdout.write(DOC_HEADER + configuration_table())
