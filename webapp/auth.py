"""Staff login: the session cookie, the server's own origin, and the client's address as a trusted
proxy names it. Accounts and passwords: training_guidance/handoff/accounts.py.

Sessions and the login back-off live in the records database (training_guidance/handoff/security.py),
shared by every web server instance and kept across restarts."""
from __future__ import annotations

import hashlib
import hmac
import math
from typing import Optional

from sanic.request import Request

COOKIE = "tg_personale"
COOKIE_PATH = "/personale"
SESSION_SECONDS = 8 * 3600  # one working day


def same_origin(origin: Optional[str], own_origin: str) -> bool:
    """True when a browser's Origin header is exactly this server's configured origin (TG_WEB_ORIGIN),
    scheme and port included. The Host header is never used: a client chooses it."""
    if not origin or origin == "null":
        return False
    return origin.rstrip("/").lower() == own_origin.rstrip("/").lower()


def client_address(request: Request) -> str:
    """The client's address: from a trusted proxy's header when the app is configured for one
    (PROXIES_COUNT / FORWARDED_SECRET), else the connection's peer."""
    return request.remote_addr or request.ip or "?"


def keyed(secret: bytes, purpose: str, value: str) -> str:
    """A keyed hash, so the shared store never holds a user name or an address that could be
    recovered by trying every address."""
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def wait_text(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"For mange forsøg. Prøv igen om {minutes} minut{'ter' if minutes > 1 else ''}."


def forwarded_header(address: str, secret: str) -> str:
    """An RFC 7239 Forwarded header that names the client for the Rasa server (bot/channels.py
    trusts it only with ``secret``)."""
    shown = f"[{address}]" if ":" in address and not address.startswith("[") else address
    return f'for="{shown}";secret="{secret}"'
