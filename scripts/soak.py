"""Load and soak: 50 concurrent conversations for 3 minutes, then every message checked in the
tracker store. Prints the figures; exits 1 on any error or any missing or misordered message.

  make soak                      starts its own servers on free loopback ports
  .venv311/bin/python scripts/soak.py --url http://127.0.0.1:5005 --tracker-url sqlite:////…/tracker.db
                                 against servers that are already running (`make run`)
  options: --users 50 --seconds 180
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import our_conversation, percentile  # noqa: E402
from servers import free_port, make_servers  # noqa: E402
from training_guidance.settings import get_settings  # noqa: E402


def stored_user_texts(tracker_url: str, senders: List[str]) -> Dict[str, List[str]]:
    import sqlalchemy as sa

    engine = sa.create_engine(tracker_url)
    found: Dict[str, List[str]] = {s: [] for s in senders}
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id"))
            for sender, data in rows:
                if sender in found:
                    found[sender].append(json.loads(data).get("text"))
    finally:
        engine.dispose()
    return found


def soak(url: str, tracker_url: str, users: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    sent: Dict[str, List[str]] = {}
    latencies: List[float] = []
    errors: List[str] = []
    lock = threading.Lock()
    run_id = f"soak-{int(time.time())}"

    def user(index: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            sender = f"{run_id}-{index}-{n}"
            n += 1
            messages: List[str] = []
            with lock:
                sent[sender] = messages
            try:
                ms = our_conversation(url, sender, messages)
                with lock:
                    latencies.extend(ms)
            except Exception as exc:  # noqa: BLE001 - every failure counts
                with lock:
                    errors.append(f"{sender}: {exc!r}")

    began = time.monotonic()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(user, range(users)))
    elapsed = time.monotonic() - began

    stored = stored_user_texts(tracker_url, list(sent))
    missing = {s: (m, stored[s]) for s, m in sent.items() if stored[s] != m}
    turns = sum(len(m) for m in sent.values())
    print(f"\nSoak: {users} concurrent conversations for {elapsed:.0f} s (load average now {os.getloadavg()[0]:.2f})")
    print("| measure | value |\n|---|---|")
    print(f"| conversations (full interviews) | {len(sent)} |")
    print(f"| messages sent | {turns} |")
    print(f"| messages per second | {turns / elapsed:.1f} |")
    if latencies:
        print(f"| latency p50 / p95 / p99 | {percentile(latencies, 50):.0f} / {percentile(latencies, 95):.0f} / "
              f"{percentile(latencies, 99):.0f} ms |")
    print(f"| errors | {len(errors)} |")
    print(f"| conversations with a missing or misordered message in the tracker store | {len(missing)} |")
    for line in errors[:10]:
        print("  error:", line)
    for sender, (want, got) in list(missing.items())[:5]:
        print(f"  {sender}: sent {want}, stored {got}")
    return 1 if errors or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="base URL of running servers, e.g. http://127.0.0.1:5005")
    parser.add_argument("--tracker-url", help="their tracker store (SQLAlchemy URL); default TG_TRACKER_URL")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=180)
    args = parser.parse_args()
    if args.url:
        tracker_url = args.tracker_url or get_settings().tracker_url
        if not tracker_url:
            parser.error("--tracker-url (or TG_TRACKER_URL) is needed to check the stored messages")
        return soak(args.url.rstrip("/") + "/webhooks/rest/webhook", tracker_url, args.users, args.seconds)
    with tempfile.TemporaryDirectory() as tmp:
        servers = make_servers(free_port(), free_port(), Path(tmp), {"TG_TODAY": "2026-11-23"})
        print(f"Starting servers (tracker store {servers.env['TG_TRACKER_URL']}) ...", flush=True)
        servers.start()
        try:
            return soak(servers.rest_url, servers.env["TG_TRACKER_URL"], args.users, args.seconds)
        finally:
            servers.stop()


if __name__ == "__main__":
    sys.exit(main())
