"""Talk to the Rasa server's REST channel on behalf of the page and the staff console."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import aiohttp


class RasaUnavailable(RuntimeError):
    """The Rasa server did not answer, or answered with an error."""


def clean_replies(replies: Any) -> List[Dict[str, Any]]:
    """Only what the page renders: text, buttons (title + payload) and custom payloads."""
    cleaned: List[Dict[str, Any]] = []
    for reply in replies if isinstance(replies, list) else []:
        if not isinstance(reply, dict):
            continue
        out: Dict[str, Any] = {}
        if isinstance(reply.get("text"), str):
            out["text"] = reply["text"]
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in reply.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        if buttons:
            out["buttons"] = buttons
        if isinstance(reply.get("custom"), dict):
            out["custom"] = reply["custom"]
        if out:
            cleaned.append(out)
    return cleaned


async def send(session: aiohttp.ClientSession, rasa_url: str, sender: str, message: str,
               metadata: Optional[Dict[str, Any]], channel: str = "rest",
               headers: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
    """``channel``: "rest" for citizens, "personale" for the staff console (bot/channels.py);
    ``headers``: the staff channel's authorization and the client's address (webapp/auth.py)."""
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    try:
        async with session.post(f"{rasa_url}/webhooks/{channel}/webhook", json=body, headers=headers or {}) as resp:
            if resp.status != 200:
                raise RasaUnavailable(f"Rasa answered HTTP {resp.status}")
            return clean_replies(await resp.json(content_type=None))
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
