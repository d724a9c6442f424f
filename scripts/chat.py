"""A terminal chat with the assistant served by `make run` (REST channel)."""
from __future__ import annotations

import json
import sys
import urllib.request
import uuid

from training_guidance.settings import get_settings

URL = get_settings().rest_webhook_url


def send(sender: str, message: str) -> list:
    body = json.dumps({"sender": sender, "message": message}).encode()
    req = urllib.request.Request(URL, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def main() -> int:
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Træningsguiden i terminalen. Skriv 'farvel' eller tryk Ctrl-D for at stoppe.\n")
    buttons: list = []
    while True:
        try:
            text = input("Dig: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = send(sender, text)
        except OSError as exc:
            print(f"Kan ikke nå assistenten på {URL} ({exc}). Kører 'make run'?", file=sys.stderr)
            return 1
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"Træningsguiden: {reply['text']}")
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}")
        if text.lower() in {"farvel", "bye"}:
            return 0


if __name__ == "__main__":
    sys.exit(main())
