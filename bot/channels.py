"""The REST channel as the public sees it: malformed bodies get a 400 with a short JSON error
(stock Rasa 3.6 answers 500 to e.g. `[]`), and CPR-like numbers are masked before Rasa sees the
text, so they never reach the tracker store."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from training_guidance.understanding import mask_cpr

MAX_MESSAGE_CHARS = 5000
MAX_SENDER_CHARS = 128


def body_error(request: Request) -> Optional[str]:
    """Why a webhook body is unusable, in Danish, or None when it is fine."""
    try:
        body = request.json
    except Exception:  # sanic raises on invalid JSON
        return "Beskeden er ikke gyldig JSON."
    if not isinstance(body, dict):
        return "Beskeden skal være et JSON-objekt med 'sender' og 'message'."
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return "Feltet 'sender' skal være en tekst på 1-128 tegn."
    if not isinstance(message, str):
        return "Feltet 'message' skal være en tekst."
    if "metadata" in body and not isinstance(body["metadata"], (dict, type(None))):
        return "Feltet 'metadata' skal være et JSON-objekt."
    return None


class TraeningsguidenRest(RestInput):
    """Served at /webhooks/rest/webhook, like Rasa's own REST channel."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[Text]:
        text = (req.json.get("message") or "")[:MAX_MESSAGE_CHARS]
        return mask_cpr(text)[0]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def reject_malformed(request: Request):
            if request.method == "POST":
                error = body_error(request)
                if error:
                    return response.json({"error": error}, status=400)
            return None

        return webhook
