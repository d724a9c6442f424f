"""Record real trackers for the action tests: run scripted conversations against the servers and
save each tracker as Rasa's HTTP API returns it (tests/trackers/<name>.json).

Run it after changing the domain or the stories:  .venv/bin/python scripts/record_trackers.py
"""
from __future__ import annotations

import json
import secrets
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from servers import free_port, make_servers  # noqa: E402

# name → the user messages of the conversation; the tracker is saved after the last one.
CONVERSATIONS = {
    "holstebro_transport": ["hej", "jeg bor i holstebro", "hvad koster kørsel?"],
    "cost_before_municipality": ["hvad koster genoptræning for min mor"],
    "herlev_cost_pending": ["hvad koster genoptræning for min mor", "hun bor i herlev"],
    "unknown_municipality": ["hej", "jeg bor i narnia"],
    "aarhus_person": ["hej", "aarhus", "kan jeg tale med et menneske"],
    "holbaek_relative_interview": [
        "min mor på 82 i holbaek har haft influenza og er blevet meget svag", "nej", "nej", "nej", "nej",
    ],
    "holstebro_bad_answer": ["jeg er 80 og bor i holstebro og er faldet", "blå"],
    "staff_start": ["personale"],
    "holstebro_application_send": [
        "jeg bor i holstebro", "jeg vil gerne sende en ansøgning", "ja", "for mig selv", "Inge Hansen",
        "20 30 40 50", "spring over", "spring over", "formiddag", '/inform{"answer": "send"}',
    ],
    "holstebro_application_bad_phone": [
        "jeg bor i holstebro", "jeg vil gerne sende en ansøgning", "ja", "for mig selv", "Inge Hansen", "123",
    ],
}


def main() -> int:
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as tmp:
        servers = make_servers(free_port(), free_port(), Path(tmp), {"TG_RASA_TOKEN": token, "TG_TODAY": "2026-11-23"})
        servers.start()
        try:
            for name, messages in CONVERSATIONS.items():
                for message in messages:
                    body = json.dumps({"sender": name, "message": message}).encode()
                    req = urllib.request.Request(servers.rest_url, data=body, headers={"Content-Type": "application/json"})
                    urllib.request.urlopen(req, timeout=60).read()
                url = f"{servers.url}/conversations/{name}/tracker?token={token}"
                tracker = json.loads(urllib.request.urlopen(url, timeout=30).read())
                out = ROOT / "tests" / "trackers" / f"{name}.json"
                out.write_text(json.dumps(tracker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                print(f"wrote {out.relative_to(ROOT)}")
        finally:
            servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
