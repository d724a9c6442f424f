"""Staff login: credentials from the environment, a signed session cookie, a brake on guessing."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections import defaultdict, deque
from typing import Deque, Dict, Optional
from urllib.parse import urlsplit

COOKIE = "tg_personale"
COOKIE_PATH = "/personale"
SESSION_SECONDS = 8 * 3600  # one working day
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def make_session(secret: bytes, user: str, now: Optional[float] = None) -> str:
    """'<user>.<expiry>.<HMAC-SHA256>' — nothing secret inside, but it cannot be forged or extended."""
    expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
    body = f"{_b64(user.encode())}.{expires}"
    return f"{body}.{_mac(secret, body)}"


def session_user(secret: bytes, token: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The user a valid, unexpired session token belongs to, else None."""
    if not token or token.count(".") != 2:
        return None
    user_b64, expires, mac = token.split(".")
    if not hmac.compare_digest(mac, _mac(secret, f"{user_b64}.{expires}")):
        return None
    try:
        if int(expires) < (now if now is not None else time.time()):
            return None
        return _unb64(user_b64).decode()
    except ValueError:
        return None


def credentials_match(user: str, password: str, want_user: str, want_password: str) -> bool:
    # Compare both in constant time, and always both, so timing tells nothing.
    user_ok = hmac.compare_digest(user.encode(), want_user.encode())
    password_ok = hmac.compare_digest(password.encode(), want_password.encode())
    return user_ok and password_ok


def same_origin(origin: Optional[str], host: str) -> bool:
    """True when a browser's Origin header names this server's own host (and port)."""
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


class LoginBrake:
    """At most MAX_FAILURES failed logins per client address in FAILURE_WINDOW seconds."""

    def __init__(self) -> None:
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> Deque[float]:
        failures = self._failures[client]
        while failures and failures[0] < now - FAILURE_WINDOW:
            failures.popleft()
        return failures

    def blocked(self, client: str, now: Optional[float] = None) -> bool:
        return len(self._recent(client, now if now is not None else time.monotonic())) >= MAX_FAILURES

    def failed(self, client: str, now: Optional[float] = None) -> None:
        self._recent(client, now if now is not None else time.monotonic()).append(
            now if now is not None else time.monotonic()
        )

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)
