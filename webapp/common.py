"""What the citizen and staff routes share: input checks and short JSON errors in Danish."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

from sanic import response
from sanic.request import Request

# \Z, not $: "$" also matches before a trailing newline, so "<uuid>\n" passed.
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MAX_MESSAGE = 2000
NOT_ANSWERING = "Træningsguiden svarer ikke lige nu. Prøv igen om lidt."


def error(message: str, status: int) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


def json_body(request: Request) -> Optional[Dict[str, Any]]:
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def message_error(body: Dict[str, Any]) -> Optional[str]:
    """Why a chat message body is unusable (sender must be a UUID), or None."""
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not UUID.match(sender):
        return "Ugyldigt samtale-id."
    if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE:
        return f"Beskeden skal være 1-{MAX_MESSAGE} tegn."
    return None
