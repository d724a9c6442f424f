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

What a client cannot choose (docs/security.md): the channel label stored with its messages (always
the channel's own name, whatever ``input_channel`` says), staff mode (only the staff channel
``personale``, which needs TG_CHANNEL_SECRET and is what the web server's staff console uses, adds
``{"mode": "staff"}``), and metadata beyond the keys the project uses (``kommune``, a 3-4 digit
kommunekode; anything else is dropped, and more than ``MAX_METADATA_BYTES`` is refused). The
channels add ``client``: a keyed hash of the client's address (as a trusted proxy or the web server
names it), so the action server can limit applications per address without storing the address.
Socket.io session ids are issued and signed by the server; an id it did not issue is refused.
Rasa's ``/`` and ``/version`` do not show the version.
"""
from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import logging
import re
import secrets
import uuid
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from sanic import Blueprint, Sanic, response
from sanic.headers import parse_forwarded
from sanic.request import Request

from training_guidance.cpr import mask_cpr, mask_values

from . import rasa_fixes, rasa_tuning

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000  # the web widget's maxlength
MAX_MESSAGE_TOKENS = 500  # 2,000 characters of Danish prose are about 400 words and signs
MAX_SENDER_CHARS = 128
MAX_BODY_BYTES = 256 * 1024  # 2,000 characters of emoji as JSON escapes are 24 kB; the rest is slack
MAX_METADATA_BYTES = 2048
# Metadata a client may send: only what the project uses, each with the values it may have.
CLIENT_METADATA = {"kommune": re.compile(r"\d{3,4}")}
STAFF_CHANNEL = "personale"  # what tracker.get_latest_input_channel() returns for the staff console
STAFF_SENDER_PREFIX = "personale-"  # staff conversations; the public channels refuse these sender ids
# A chat widget may open a new conversation with "/greet" (the web page does). It has no entities and
# only greets, so it is a payload as the first message of a conversation, and plain text after.
OPENING_PAYLOADS = {"/greet"}
APOLOGY = "Beklager. Der er en teknisk fejl, så jeg kan ikke svare lige nu. Prøv igen om lidt."
CUT_NOTE = ("Din besked var meget lang, så jeg har kun læst begyndelsen (cirka {chars} tegn). "
            "Skriv gerne resten i en ny besked.")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


# --- bodies ----------------------------------------------------------------------------------

def body_error(request: Request, staff: bool = False) -> Optional[str]:
    """Why a REST webhook body is unusable, in Danish, or None when it is fine. Staff conversations'
    sender ids start with STAFF_SENDER_PREFIX, and nobody else's do."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return "Beskeden er for stor."
    try:
        body = request.json
    except Exception:  # sanic raises on invalid JSON
        return "Beskeden er ikke gyldig JSON."
    if not isinstance(body, dict):
        return "Beskeden skal være et JSON-objekt med 'sender' og 'message'."
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return "Feltet 'sender' skal være en tekst på 1-128 tegn."
    if sender.startswith(STAFF_SENDER_PREFIX) != staff:
        return "Feltet 'sender' er ikke gyldigt her."
    if not isinstance(message, str):
        return "Feltet 'message' skal være en tekst."
    return metadata_error(body.get("metadata")) or (
        "Feltet 'input_channel' skal være en tekst."
        if "input_channel" in body and not isinstance(body["input_channel"], (str, type(None))) else None)


def metadata_error(metadata: Any) -> Optional[str]:
    if not isinstance(metadata, (dict, type(None))):
        return "Feltet 'metadata' skal være et JSON-objekt."
    if metadata and len(json.dumps(metadata, ensure_ascii=False).encode()) > MAX_METADATA_BYTES:
        return f"Feltet 'metadata' er for stort (højst {MAX_METADATA_BYTES} byte)."
    return None


def client_metadata(metadata: Any) -> Dict[str, Any]:
    """The metadata keys a client may set (CLIENT_METADATA), with valid values; the rest is dropped:
    "mode", "input_channel" and anything else a client sends never reach the tracker."""
    if not isinstance(metadata, dict):
        return {}
    return {key: metadata[key] for key, valid in CLIENT_METADATA.items()
            if isinstance(metadata.get(key), str) and valid.fullmatch(metadata[key])}


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
    return metadata_error(metadata)


# --- secrets, client addresses and socket.io session ids -----------------------------------------

class ChannelKeys:
    """TG_CHANNEL_SECRET (shared with the web server and the other Rasa servers), or without it a
    random key for this process: then the staff channel is closed and socket.io session ids do
    not survive a restart. Production refuses to start without a long one."""

    def __init__(self, secret: Optional[str], production: bool = False) -> None:
        if production and (not secret or len(secret) < 32):
            raise RuntimeError("TG_CHANNEL_SECRET skal være sat og mindst 32 tegn, når TG_ENV=production "
                               "(TG_CHANNEL_SECRET must be set, at least 32 characters, in production).")
        self.secret = secret
        self._key = (secret or secrets.token_hex(32)).encode()

    @classmethod
    def from_settings(cls) -> "ChannelKeys":
        from training_guidance.settings import get_settings

        settings = get_settings()
        return cls(settings.channel_secret, settings.production)

    def mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def client_key(self, address: str) -> str:
        """A keyed hash of the client's address: limits per address without storing the address."""
        return self.mac("client", address or "?")

    def new_session_id(self) -> str:
        raw = uuid.uuid4().hex
        return f"{raw}.{self.mac('socketio', raw)}"

    def issued_session_id(self, session_id: Any) -> bool:
        """Whether this server (or one with the same secret) issued ``session_id``."""
        if not isinstance(session_id, str) or len(session_id) != 65:
            return False
        raw, _, mac = session_id.partition(".")
        return bool(re.fullmatch(r"[0-9a-f]{32}", raw)) and hmac.compare_digest(mac, self.mac("socketio", raw))

    def staff_authorized(self, request: Request) -> bool:
        """The web server's staff console: ``Authorization: Bearer <TG_CHANNEL_SECRET>``."""
        if not self.secret:
            return False
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {self.secret}".encode())

    def client_address(self, request: Request) -> str:
        """The client's address: what the web server vouches for (an RFC 7239 ``Forwarded`` header
        with ``secret=<TG_CHANNEL_SECRET>``), else what a trusted proxy says (Sanic's
        PROXIES_COUNT / FORWARDED_SECRET, set from TG_PROXIES_COUNT / TG_FORWARDED_SECRET), else
        the connection's peer."""
        if self.secret:
            vouched = parse_forwarded(request.headers, SimpleNamespace(FORWARDED_SECRET=self.secret))
            if vouched and vouched.get("for"):
                return str(vouched["for"])
        return request.remote_addr or request.ip or ""


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
            secure_rasa_app(app)

    @property
    def agent(self) -> Any:
        app = self.app or Sanic.get_app()
        return getattr(app.ctx, "agent", None)


async def _tracker(agent: Any, sender_id: str) -> Any:
    if agent is None or agent.tracker_store is None:
        return None
    return await agent.tracker_store.retrieve(sender_id)


async def _session_tracker(agent: Any, sender_id: str) -> Any:
    """Every event since the session start, where the tracker store loads only recent ones
    (bot/tracker_store.py); None where ``retrieve`` already gives them all."""
    store = getattr(agent, "tracker_store", None)
    inner = getattr(store, "_tracker_store", store)  # Rasa's FailSafeTrackerStore wraps the configured store
    if not hasattr(inner, "retrieve_session"):
        return None
    return await inner.retrieve_session(sender_id)


async def _recent_events(agent: Any, sender_id: str) -> Optional[List[Any]]:
    """The recent events as the capped tracker store gives them without replaying a tracker
    (bot/tracker_store.py); None where the store cannot (then the tracker is read)."""
    store = getattr(agent, "tracker_store", None)
    inner = getattr(store, "_tracker_store", store)
    if not hasattr(inner, "recent_events"):
        return None
    return await inner.recent_events(sender_id)


async def payload_text(agent: Any, sender_id: str, text: str) -> str:
    """``harden_payload`` on the conversation's events. A payload that is not one of the latest
    buttons is looked up again in the whole session, since the tracker store loads only the recent
    events of a long conversation and an old button should still mean what it says."""
    events = await _recent_events(agent, sender_id)
    if events is None:
        tracker = await _tracker(agent, sender_id)
        events = list(tracker.events) if tracker else []
    hardened = harden_payload(text, events)
    if hardened != text and events:
        session = await _session_tracker(agent, sender_id)
        if session is not None and len(session.events) > len(events):
            hardened = harden_payload(text, session.events)
    return hardened


def secure_rasa_app(app: Sanic) -> None:
    """Once per Rasa server: trust only the configured proxies for client addresses, hide Rasa's
    version, and mask CPR numbers in whatever Rasa parses and stores, whichever way a message
    arrives (the HTTP API too, when it is on)."""
    if getattr(app.ctx, "traeningsguiden_secured", False):
        return
    app.ctx.traeningsguiden_secured = True
    from training_guidance.settings import get_settings

    settings = get_settings()
    app.config.PROXIES_COUNT = settings.proxies_count or None
    app.config.FORWARDED_SECRET = settings.forwarded_secret

    async def no_version(request: Request):
        if request.path == "/":
            return response.text("ok")
        if request.path == "/version":
            return response.json({"error": "not found"}, status=404)
        return None

    app.register_middleware(no_version, "request")
    mask_rasa_processing()


_processing_masked = False


def masked_parse(parse: Callable[..., Awaitable[Dict[str, Any]]]) -> Callable[..., Awaitable[Dict[str, Any]]]:
    """``MessageProcessor.parse_message`` whose result (text, entities, everything) is CPR-masked."""

    async def parse_message(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        if isinstance(message.text, str):
            message.text = mask_cpr(message.text)[0]
        return mask_values(await parse(self, message, *args, **kwargs))[0]

    return parse_message


def masked_handling(handle: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """``MessageProcessor._handle_message_with_tracker`` storing only masked text and metadata."""

    async def handle_message_with_tracker(self: Any, message: UserMessage, *args: Any, **kwargs: Any) -> None:
        if isinstance(message.text, str):
            message.text = mask_cpr(message.text)[0]
        message.metadata = mask_values(message.metadata)[0]
        if message.parse_data:
            message.parse_data = mask_values(message.parse_data)[0]
        await handle(self, message, *args, **kwargs)

    return handle_message_with_tracker


def mask_rasa_processing() -> None:
    """Patch Rasa's message processor once per process (the channels already mask; this also
    covers messages that do not come through a channel, e.g. the HTTP API)."""
    global _processing_masked
    if _processing_masked:
        return
    from rasa.core.processor import MessageProcessor

    MessageProcessor.parse_message = masked_parse(MessageProcessor.parse_message)  # type: ignore[assignment]
    MessageProcessor._handle_message_with_tracker = masked_handling(  # type: ignore[assignment]
        MessageProcessor._handle_message_with_tracker)
    _processing_masked = True


def guard(on_new_message: OnNewMessage, app_ref: _AppRef, channel: Optional[str] = None) -> OnNewMessage:
    """Wrap Rasa's callback with masking, payload hardening and the apology on failure. The
    message's channel label is ``channel``, never what the client said."""

    async def guarded(message: UserMessage) -> None:
        agent = app_ref.agent
        if channel:
            message.input_channel = channel
        message.metadata = mask_values(message.metadata)[0] if message.metadata else message.metadata
        text, cut = shorten(message.text or "")
        text = clean_text(text)
        if cut:  # before the answer, which is to the first part only
            await message.output_channel.send_text_message(
                message.sender_id, CUT_NOTE.format(chars=f"{MAX_MESSAGE_CHARS:,}".replace(",", ".")))
        if text.startswith(INTENT_MESSAGE_PREFIX):
            try:
                text = await payload_text(agent, message.sender_id, text)
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

    staff = False

    def __init__(self) -> None:
        super().__init__()
        self.keys = ChannelKeys.from_settings()

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Optional[Text]:
        # Masked here as well, so Rasa's own error log never holds a CPR number. The guard cuts it
        # to what Rasa reads (and says so); this only bounds the work on a huge body.
        return clean_text((req.json.get("message") or "")[:10 * MAX_MESSAGE_CHARS])

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()  # never the client's "input_channel"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = client_metadata(request.json.get("metadata"))
        metadata["client"] = self.keys.client_key(self.keys.client_address(request))
        return metadata

    def refusal(self, request: Request) -> Optional[response.HTTPResponse]:
        """The answer to a request this channel will not take, or None."""
        if request.method == "POST":
            error = body_error(request, staff=self.staff)
            if error:
                return response.json({"error": error}, status=400)
        return None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rasa_fixes.apply()
        rasa_tuning.apply()
        app_ref = _AppRef()
        webhook = super().blueprint(guard(on_new_message, app_ref, self.name()))
        app_ref.attach(webhook)

        @webhook.middleware("request")
        async def reject(request: Request):
            return self.refusal(request)

        @webhook.listener("after_server_stop")
        async def close_sessions(app, loop):
            await rasa_tuning.close_kept_sessions()

        return webhook


class TraeningsguidenStaff(TraeningsguidenRest):
    """The staff console's channel, /webhooks/personale/webhook: only the web server, which knows
    TG_CHANNEL_SECRET, can use it, and only it turns on staff mode (``{"mode": "staff"}``).
    Sender ids start with STAFF_SENDER_PREFIX."""

    staff = True

    @classmethod
    def name(cls) -> Text:
        return STAFF_CHANNEL

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return {**(super().get_metadata(request) or {}), "mode": "staff"}

    def refusal(self, request: Request) -> Optional[response.HTTPResponse]:
        if not self.keys.staff_authorized(request):
            return response.json({"error": "Kun for personalekonsollen."}, status=403)
        return super().refusal(request)


class TraeningsguidenSocketIO(SocketIOInput):
    """Rasa's socket.io channel (same URL, events and options) with the same guard as REST.

    Fixes to Rasa 3.6's handlers: with the python-socketio that Rasa 3.6 resolves to,
    ``AsyncServer.enter_room`` is a coroutine that Rasa never awaits, so with session persistence
    no reply ever reached the client; here it is awaited. Session ids are issued by the server and
    signed (``ChannelKeys.new_session_id``): a ``session_request`` may resume an id only when this
    server issued it, otherwise it gets a new one, so nobody can join another conversation's room
    (and receive its replies) by naming its id. A message may only use a session id that this
    connection holds. Metadata: only CLIENT_METADATA, plus ``client``."""

    MAX_PACKET_BYTES = 64 * 1024

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        rasa_fixes.apply()
        rasa_tuning.apply()
        keys = ChannelKeys.from_settings()
        app_ref = _AppRef()
        socketio_webhook = super().blueprint(guard(on_new_message, app_ref, self.name()))
        app_ref.attach(socketio_webhook)
        sio = self.sio
        sio.eio.max_http_buffer_size = self.MAX_PACKET_BYTES
        namespace = self.namespace or "/"
        handle_message = sio.handlers[namespace][self.user_message_evt]
        connect = sio.handlers[namespace]["connect"]
        clients: Dict[str, str] = {}  # connection id -> client key

        async def checked_connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            request = environ.get("sanic.request")
            clients[sid] = keys.client_key(keys.client_address(request) if request is not None else "")
            accepted = await connect(sid, environ, auth)
            if accepted is False:
                clients.pop(sid, None)
            return accepted

        async def disconnect(sid: Text, *args: Any) -> None:
            clients.pop(sid, None)

        async def session_request(sid: Text, *args: Any) -> None:
            data = args[0] if args and isinstance(args[0], dict) else {}
            session_id = data.get("session_id")
            if not keys.issued_session_id(session_id):
                session_id = keys.new_session_id()  # an id this server did not issue is never joined
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
            data = dict(args[0])
            metadata = data.get(self.metadata_key or "metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            data[self.metadata_key or "metadata"] = {**client_metadata(metadata), "client": clients.get(sid, "")}
            await handle_message(sid, data)

        sio.on("connect", handler=checked_connect, namespace=self.namespace)
        sio.on("disconnect", handler=disconnect, namespace=self.namespace)
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=checked_message, namespace=self.namespace)
        return socketio_webhook
