"""The public channels (REST and socket.io) as the public sees them.

Both channels, through one wrapper around the callback Rasa gives a channel (`guard`):

* CPR-like numbers are masked before Rasa sees the text, so a CPR number never reaches the tracker
  store. A long message is cut to its first ``MAX_MESSAGE_CHARS`` characters and
  ``MAX_MESSAGE_TOKENS`` words or symbols, and the user is told so: DIET's attention grows with the
  square of the tokens, and 10,000 emoji (one token each) held the Rasa server for 6-30 seconds.
* Payload hardening. Rasa's own syntax lets anyone type ``/intent{"entity": "value"}`` (or
  ``/restart``) and so pick an intent and entities directly. Here a message that starts with "/"
  counts as a payload only when it is exactly one of the buttons the assistant offered since the
  user's previous message. Otherwise it reaches Rasa as plain text: a payload the assistant offered
  earlier in the conversation becomes that button's title (so an old button still means what it
  says), anything else loses its leading slashes ("/restart" arrives as "restart"). The one
  exception is "/greet" as the very first message of a conversation (chat widgets open with it).
  Rasa's RegexMessageHandler only parses text that starts with "/" after ``str.strip()``, so
  plain text can never be read as an intent.
* When a turn sends nothing because something failed (the action server is down, the tracker
  store failed), the user gets a short Danish apology with the municipality's phone number. The
  failed action's events are lost (Rasa logs the action with no events), so the slots stay as
  they were and the conversation continues once the action server is back.

Malformed bodies get HTTP 400 with a short JSON error on REST (stock Rasa 3.6 answers 500 to
e.g. ``[]``); on socket.io the sender gets ``{"error": ...}`` on the bot event instead of the
message being dropped with a server-side exception.
"""
from __future__ import annotations

import inspect
import json
import logging
import os
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from sanic import Blueprint, Sanic, response
from sanic.request import Request

from training_guidance.understanding import mask_cpr

from . import rasa_tuning

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000  # the web widget's maxlength
MAX_MESSAGE_TOKENS = 500  # 2,000 characters of Danish prose are about 400 words and signs
MAX_SENDER_CHARS = 128
# A chat widget may open a new conversation with "/greet" (the web page does). It has no entities and
# only greets, so it is a payload as the first message of a conversation, and plain text after.
OPENING_PAYLOADS = {"/greet"}
APOLOGY = "Beklager. Der er en teknisk fejl, så jeg kan ikke svare lige nu. Prøv igen om lidt."
CUT_NOTE = ("Din besked var meget lang, så jeg har kun læst begyndelsen (cirka {chars} tegn). "
            "Skriv gerne resten i en ny besked.")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


# --- bodies ----------------------------------------------------------------------------------

def body_error(request: Request) -> Optional[str]:
    """Why a REST webhook body is unusable, in Danish, or None when it is fine."""
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
    if "input_channel" in body and not isinstance(body["input_channel"], (str, type(None))):
        return "Feltet 'input_channel' skal være en tekst."
    return None


def socket_message_error(args: Tuple[Any, ...], needs_session: bool, metadata_key: str) -> Optional[str]:
    """Why a socket.io user message is unusable, in Danish, or None when it is fine."""
    if len(args) != 1 or not isinstance(args[0], dict):
        return "Beskeden skal være et JSON-objekt med 'message'."
    data = args[0]
    if not isinstance(data.get("message", ""), str):
        return "Feltet 'message' skal være en tekst."
    session_id = data.get("session_id")
    if needs_session and (not isinstance(session_id, str) or not session_id.strip()
                          or len(session_id) > MAX_SENDER_CHARS):
        return "Feltet 'session_id' skal være en tekst på 1-128 tegn."
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return "Feltet 'metadata' skal være et JSON-objekt."
    if not isinstance(metadata, (dict, type(None))):
        return "Feltet 'metadata' skal være et JSON-objekt."
    return None


# --- text ------------------------------------------------------------------------------------

# Control characters other than tab and newlines (NUL breaks PostgreSQL text) and lone surrogates
# (spaCy cannot encode them: the message failed inside Rasa's NLU).
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]")


_TOKENS = re.compile(r"\w+|[^\w\s]")  # like spaCy's count, or more (every emoji part is one)


def shorten(text: str) -> Tuple[str, bool]:
    """The start of ``text`` that Rasa reads, cut between two words or signs, and whether anything
    was cut: at most MAX_MESSAGE_CHARS characters and MAX_MESSAGE_TOKENS words or signs."""
    end = 0
    for count, token in enumerate(_TOKENS.finditer(text), 1):
        if count > MAX_MESSAGE_TOKENS or token.end() > MAX_MESSAGE_CHARS:
            return (text[:end].rstrip() or text[:MAX_MESSAGE_CHARS]), True  # one giant word: cut inside it
        end = token.end()
    if len(text) > MAX_MESSAGE_CHARS and text[MAX_MESSAGE_CHARS:].strip():
        return text[:MAX_MESSAGE_CHARS], True
    return text, False


def clean_text(text: Optional[str]) -> str:
    """Drop unsafe characters and mask CPR-like numbers (last, so nothing done after it can join
    digits into a new CPR-like number)."""
    text = _UNSAFE_CHARS.sub(lambda m: "\ufffd" if m.group(0) >= "\ud800" else " ", text or "")
    return mask_cpr(text)[0].strip()


def offered_buttons(events: Iterable[Any]) -> Tuple[Set[str], Dict[str, str]]:
    """The button payloads offered since the user's previous message, and every payload offered
    earlier in the conversation with its title."""
    recent: Set[str] = set()
    earlier: Dict[str, str] = {}
    seen_user = False
    for event in reversed(list(events)):
        kind = getattr(event, "type_name", None)
        if kind == "user":
            seen_user = True
        elif kind == "bot":
            for button in (event.data or {}).get("buttons") or []:
                payload, title = button.get("payload"), button.get("title")
                if not isinstance(payload, str):
                    continue
                if not seen_user:
                    recent.add(payload.strip())
                elif isinstance(title, str):
                    earlier.setdefault(payload.strip(), title)
    return recent, earlier


def as_plain_text(text: str) -> str:
    """The text without the leading slashes (and the whitespace around them) that make Rasa read
    a message as ``/intent{entities}``; ``str.strip()`` is exactly what RegexMessageHandler uses."""
    text = text.strip()
    while text.startswith(INTENT_MESSAGE_PREFIX):
        text = text[len(INTENT_MESSAGE_PREFIX):].strip()
    return text


def harden_payload(text: str, events: Iterable[Any]) -> str:
    """What a message that starts with "/" may reach Rasa as (see the module docstring)."""
    if not text.startswith(INTENT_MESSAGE_PREFIX):
        return text
    events = list(events)
    if text in OPENING_PAYLOADS and not any(getattr(e, "type_name", None) == "user" for e in events):
        return text
    recent, earlier = offered_buttons(events)
    if text in recent:
        return text
    if text in earlier:
        return earlier[text]
    return as_plain_text(text)


# --- action failures -------------------------------------------------------------------------

def failed_actions(events: Iterable[Any], custom_actions: Set[str]) -> List[str]:
    """Custom actions of the latest turn whose events were lost.

    Every custom action of this bot returns at least one message or event (tests/test_channels.py
    runs them all on the recorded trackers), so a custom action that Rasa logged with no event
    before the next action ran failed: that is what Rasa 3.6's processor does when the action
    server cannot be reached or answers with an error (it logs the action and drops its events).
    The channel only looks when the whole turn sent no message."""
    turn: List[Any] = []
    for event in reversed(list(events)):
        if getattr(event, "type_name", None) == "user":
            break
        turn.append(event)
    turn.reverse()
    failed = []
    for i, event in enumerate(turn):
        if getattr(event, "type_name", None) != "action" or event.action_name not in custom_actions:
            continue
        following = turn[i + 1] if i + 1 < len(turn) else None
        if following is None or getattr(following, "type_name", None) == "action":
            failed.append(event.action_name)
    return failed


def apology(code: Optional[str]) -> str:
    """The apology with how to reach a person in the municipality (its phone number if known)."""
    try:
        from training_guidance.knowledge import cached_knowledge
        from training_guidance.dialogue.items import contact_text
        from training_guidance.settings import get_settings

        contact = contact_text(cached_knowledge(get_settings().knowledge_dir), code)
    except Exception:  # the knowledge must never stop the apology
        logger.exception("channels.apology.contact_line_failed")
        contact = "Ring til din kommune, hvis du vil tale med en person."
    return f"{APOLOGY} {contact}"


# --- the wrapper -----------------------------------------------------------------------------

class _AppRef:
    """The Sanic app the channel is registered on (its ctx.agent is Rasa's agent)."""

    def __init__(self) -> None:
        self.app: Optional[Sanic] = None

    def attach(self, blueprint: Blueprint) -> None:
        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self.app = app

    @property
    def agent(self) -> Any:
        app = self.app or Sanic.get_app()
        return getattr(app.ctx, "agent", None)


async def _tracker(agent: Any, sender_id: str) -> Any:
    if agent is None or agent.tracker_store is None:
        return None
    return await agent.tracker_store.retrieve(sender_id)


def guard(on_new_message: OnNewMessage, app_ref: _AppRef) -> OnNewMessage:
    """Wrap Rasa's callback with masking, payload hardening and the apology on failure."""

    async def guarded(message: UserMessage) -> None:
        agent = app_ref.agent
        text, cut = shorten(message.text or "")
        text = clean_text(text)
        if cut:  # before the answer, which is to the first part only
            await message.output_channel.send_text_message(
                message.sender_id, CUT_NOTE.format(chars=f"{MAX_MESSAGE_CHARS:,}".replace(",", ".")))
        if text.startswith(INTENT_MESSAGE_PREFIX):
            try:
                tracker = await _tracker(agent, message.sender_id)
                text = harden_payload(text, tracker.events if tracker else [])
            except Exception:  # no tracker, no payloads: plain text is always safe
                logger.exception("channels.payload.tracker_failed")
                text = as_plain_text(text)
        message.text = text

        sent = 0
        output = message.output_channel
        send_response = output.send_response

        async def counted(*args: Any, **kwargs: Any) -> None:
            nonlocal sent
            sent += 1
            await send_response(*args, **kwargs)

        output.send_response = counted  # type: ignore[method-assign]
        failed = False
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("channels.message.failed")  # the text is not logged: it may be personal
            failed = True
        finally:
            output.send_response = send_response  # type: ignore[method-assign]
        if sent:
            return
        code = None
        try:
            tracker = await _tracker(agent, message.sender_id)
            if tracker is not None:
                custom = {a for a in agent.domain.user_actions if not a.startswith("utter_")}
                failed = failed or bool(failed_actions(tracker.events, custom))
                code = tracker.get_slot("municipality_code")
        except Exception:
            logger.exception("channels.apology.tracker_failed")
            failed = True
        if failed:
            await output.send_text_message(message.sender_id, apology(code))

    return guarded


# --- the channels ----------------------------------------------------------------------------

class TraeningsguidenRest(RestInput):
    """Served at /webhooks/rest/webhook, like Rasa's own REST channel."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[Text]:
        # Masked here as well, so Rasa's own error log never holds a CPR number. The guard cuts it
        # to what Rasa reads (and says so); this only bounds the work on a huge body.
        return clean_text((req.json.get("message") or "")[:10 * MAX_MESSAGE_CHARS])

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rasa_tuning.apply()
        app_ref = _AppRef()
        webhook = super().blueprint(guard(on_new_message, app_ref))
        app_ref.attach(webhook)

        @webhook.middleware("request")
        async def reject_malformed(request: Request):
            if request.method == "POST":
                error = body_error(request)
                if error:
                    return response.json({"error": error}, status=400)
            return None

        return webhook


class TraeningsguidenSocketIO(SocketIOInput):
    """Rasa's socket.io channel (same URL, events and options) with the same guard as REST.

    Two fixes to Rasa 3.6's handlers: with the python-socketio that Rasa 3.6 resolves to,
    ``AsyncServer.enter_room`` is a coroutine that Rasa never awaits, so with session persistence
    no reply ever reached the client; here it is awaited. And a message may only use a session id
    that this connection asked for (``session_request``), so one client cannot write into another
    client's conversation by sending its session id."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rasa_tuning.apply()
        app_ref = _AppRef()
        socketio_webhook = super().blueprint(guard(on_new_message, app_ref))
        app_ref.attach(socketio_webhook)
        sio = self.sio
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]

        async def session_request(sid: Text, *args: Any) -> None:
            data = args[0] if args and isinstance(args[0], dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > MAX_SENDER_CHARS:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        async def checked_message(sid: Text, *args: Any) -> None:
            error = socket_message_error(args, self.session_persistence, self.metadata_key or "metadata")
            if not error and self.session_persistence and args[0]["session_id"] not in sio.rooms(sid, namespace):
                error = "Ukendt session. Start samtalen igen."
            if error:
                await sio.emit(self.bot_message_evt, {"error": error}, room=sid, namespace=namespace)
                return
            await handle_message(sid, args[0])

        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=checked_message, namespace=self.namespace)
        return socketio_webhook
