"""Health and readiness, shared by our servers.

``/health`` says the process is alive (nothing else is checked: a load balancer must not take a
healthy server out because the database blinked). ``/ready`` checks what the server needs to do
its work and answers 503 with the failing checks named:

- web server: records store, Rasa, action server, relay heartbeat;
- action server: records store (applications are written from there);
- relay: records store and its own last round.

The relay's heartbeat: the relay writes the time of its last round after every round. With Redis
configured (production: the lock store's Redis, TG_REDIS_*), it goes there, so every server on
every machine reads the same heartbeat; otherwise (one machine, `make run`) to a file in the data
folder. Not a database table: the records store's schema belongs to its migrations, and a row
written every two seconds would only be churn in the backups.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, Mapping, Optional, Tuple

from .settings import Settings, get_settings

HEARTBEAT_KEY = "traeningsguiden:relay:heartbeat"


def heartbeat_stale_after(settings: Settings) -> float:
    """A relay that has not finished a round for this long counts as not running."""
    return max(30.0, 5 * settings.relay_interval)


# --- the relay's heartbeat -------------------------------------------------------------------------
def write_heartbeat(settings: Optional[Settings] = None, now: Optional[float] = None) -> None:
    settings = settings or get_settings()
    stamp = now if now is not None else time.time()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
        try:
            client.set(HEARTBEAT_KEY, repr(stamp), ex=int(heartbeat_stale_after(settings) * 10))
        finally:
            client.close()
        return
    path = settings.relay_heartbeat_file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".heartbeat-")
    with os.fdopen(fd, "w") as fh:
        fh.write(repr(stamp))
    os.replace(tmp, path)


def heartbeat_age(settings: Optional[Settings] = None, now: Optional[float] = None) -> Optional[float]:
    """Seconds since the relay's last round; None when it never wrote one."""
    settings = settings or get_settings()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
        try:
            raw = client.get(HEARTBEAT_KEY)
        finally:
            client.close()
    else:
        try:
            raw = settings.relay_heartbeat_file.read_text()
        except OSError:
            raw = None
    if raw is None:
        return None
    return (now if now is not None else time.time()) - float(raw)


# --- checks ------------------------------------------------------------------------------------------
Check = Callable[[], Optional[str]]  # None when fine, else a short reason (no personal data)


def database_check(url: str) -> Check:
    def check() -> Optional[str]:
        import sqlalchemy as sa

        from .handoff.store import shared_store

        try:
            with shared_store(url).engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            return f"records store: {type(exc).__name__}"
        return None
    return check


def http_check(name: str, url: str, timeout: float = 2.0) -> Check:
    def check() -> Optional[str]:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                return None if resp.status == 200 else f"{name}: HTTP {resp.status}"
        except Exception as exc:  # noqa: BLE001
            return f"{name}: {type(exc).__name__}"
    return check


def relay_check(settings: Optional[Settings] = None) -> Check:
    def check() -> Optional[str]:
        current = settings or get_settings()
        try:
            age = heartbeat_age(current)
        except Exception as exc:  # noqa: BLE001 - Redis away
            return f"relay heartbeat: {type(exc).__name__}"
        if age is None:
            return "relay: no heartbeat yet"
        if age > heartbeat_stale_after(current):
            return f"relay: last round {age:.0f} s ago"
        return None
    return check


def action_health_url(settings: Settings) -> str:
    """The action server's /health, from TG_ACTION_URL (…/webhook) or its port on loopback."""
    if settings.action_url:
        base = settings.action_url.rsplit("/webhook", 1)[0]
        return f"{base.rstrip('/')}/health"
    return f"http://127.0.0.1:{settings.action_port}/health"


def run_checks(checks: Mapping[str, Check]) -> Tuple[bool, Dict[str, str]]:
    """All checks, in parallel (each has its own short timeout); (ready, {name: "ok" | reason})."""
    results: Dict[str, str] = {}

    def one(name: str, check: Check) -> None:
        try:
            results[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001
            results[name] = f"{name}: {type(exc).__name__}"

    threads = [threading.Thread(target=one, args=item, daemon=True) for item in checks.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    for name in checks:
        results.setdefault(name, f"{name}: no answer")
    return all(v == "ok" for v in results.values()), dict(sorted(results.items()))


def ready_body(checks: Mapping[str, Check]) -> Tuple[int, dict]:
    ok, results = run_checks(checks)
    return (200 if ok else 503), {"status": "ready" if ok else "not ready", "checks": results,
                                  "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


# --- a tiny server for processes without one (the relay) ----------------------------------------------
def serve(host: str, port: int, checks: Mapping[str, Check], metrics: Callable[[], Tuple[bytes, str]]) -> ThreadingHTTPServer:
    """/health, /ready and /metrics on a daemon thread; returns the server (``shutdown()`` stops it)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/health":
                self._send(200, json.dumps({"status": "ok"}).encode(), "application/json")
            elif self.path == "/ready":
                status, body = ready_body(checks)
                self._send(status, json.dumps(body).encode(), "application/json")
            elif self.path == "/metrics":
                body, content_type = metrics()
                self._send(200, body, content_type)
            else:
                self._send(404, b'{"error": "not found"}', "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # no access log: nothing to learn from it
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server
