"""Helpers for end-to-end tests: start the real servers and talk to them over REST."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from servers import MODEL, Servers, free_port, make_servers  # noqa: E402


def ensure_model() -> None:
    """Train if the model is missing or stale (a no-op when `make test` has just trained)."""
    subprocess.run([str(ROOT / "scripts" / "train.sh")], check=True, cwd=ROOT)
    assert MODEL.exists()


def start(data_dir: Path, extra_env: Optional[Dict[str, str]] = None, web: bool = False) -> Servers:
    """Both bot servers on free loopback ports; with ``web``, the web server (webapp/) too."""
    ensure_model()
    servers = make_servers(free_port(), free_port(), data_dir, extra_env, web_port=free_port() if web else None)
    return servers.start()


def post(url: str, body: object, timeout: float = 60.0):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def say(servers: Servers, sender: str, message: str, metadata: Optional[dict] = None) -> List[dict]:
    body = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    status, replies = post(servers.rest_url, body)
    assert status == 200, replies
    return replies


def say_as_staff(servers: Servers, sender: str, message: str) -> List[dict]:
    """A message on the staff console's channel, as the web server sends it (bot/channels.py):
    the sender id starts with "personale-", and only the channel secret opens it."""
    req = urllib.request.Request(
        f"{servers.url}/webhooks/personale/webhook", data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {servers.env['TG_CHANNEL_SECRET']}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


def texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def stored_events(tracker_url: str, sender: str) -> List[dict]:
    """Every event of one conversation as Rasa's SQL tracker store keeps it, in stored order."""
    import sqlalchemy as sa

    engine = sa.create_engine(tracker_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def slots(events: List[dict]) -> Dict[str, object]:
    """The slots after these events (a restart would clear them)."""
    values: Dict[str, object] = {}
    for event in events:
        if event["event"] == "slot":
            values[event["name"]] = event["value"]
        elif event["event"] == "restart":
            values.clear()
    return values


def user_texts(events: List[dict]) -> List[str]:
    return [e.get("text") or "" for e in events if e["event"] == "user"]
