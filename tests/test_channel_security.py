"""The public channels and the staff channel served in-process with a stand-in for Rasa's message
handling (bot/channels.py): what a client may not choose (channel label, staff mode, metadata,
another conversation's socket.io session) and CPR numbers in every form and field."""
import asyncio
import json
import uuid

import pytest
from sanic import Sanic

from sanic_client import serve
from training_guidance.cpr import CPR_MASK

CHANNEL_SECRET = "c" * 40
NBSP = "\u00a0"


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("TG_CHANNEL_SECRET", CHANNEL_SECRET)
    monkeypatch.delenv("TG_PROXIES_COUNT", raising=False)
    monkeypatch.delenv("TG_FORWARDED_SECRET", raising=False)
    monkeypatch.delenv("TG_ENV", raising=False)


def rasa_app():
    """Rasa's server with the project's channels (credentials.yml), registered as Rasa's run does;
    the agent's place is taken by a callback that answers every message with one text and
    remembers what it got (``app.ctx.got``)."""
    from rasa.server import add_root_route

    from bot.channels import TraeningsguidenRest, TraeningsguidenSocketIO, TraeningsguidenStaff

    app = Sanic(f"rasa_{uuid.uuid4().hex[:8]}")
    app.ctx.agent = None
    app.ctx.got = []
    add_root_route(app)

    async def on_new_message(message):
        app.ctx.got.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"svar til {message.sender_id}")

    channels = [TraeningsguidenRest(), TraeningsguidenStaff(), TraeningsguidenSocketIO(session_persistence=True)]
    for channel in channels:
        register_one(app, channel, on_new_message)
    return app


def register_one(app, channel, on_new_message):
    prefix = f"/webhooks/{channel.url_prefix()}"
    app.blueprint(channel.blueprint(on_new_message), url_prefix=prefix)


def post(client, path, body, headers=None):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.request("POST", path, data=data, headers={"Content-Type": "application/json", **(headers or {})})


STAFF = {"Authorization": f"Bearer {CHANNEL_SECRET}"}


# --- item 2 and 6: channel label, staff mode and metadata ------------------------------------------

def test_klienten_kan_hverken_vaelge_kanal_personaletilstand_eller_ukendt_metadata(env):
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            reply = await post(client, "/webhooks/rest/webhook", {
                "sender": "borger-1", "message": "hej", "input_channel": "personale",
                "metadata": {"mode": "staff", "kommune": "0661", "andet": "x" * 100, "input_channel": "personale"}})
            assert reply.status == 200 and reply.json()[0]["text"] == "svar til borger-1"
    asyncio.run(check())
    [message] = app.ctx.got
    assert message.input_channel == "rest"
    assert set(message.metadata) == {"kommune", "client"} and message.metadata["kommune"] == "0661"


@pytest.mark.parametrize("kommune", ["661", "0661"])
def test_kommunekoden_med_tre_eller_fire_cifre_kommer_igennem(env, kommune):
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            for bad in ("66", "06610", "0661 ", {"x": 1}, 661):
                await post(client, "/webhooks/rest/webhook", {"sender": "b", "message": "hej", "metadata": {"kommune": bad}})
            await post(client, "/webhooks/rest/webhook", {"sender": "b", "message": "hej", "metadata": {"kommune": kommune}})
    asyncio.run(check())
    assert [m.metadata.get("kommune") for m in app.ctx.got] == [None] * 5 + [kommune]


def test_for_store_metadata_og_kroppe_afvises_og_gemmes_aldrig(env):
    from bot.channels import MAX_BODY_BYTES, MAX_METADATA_BYTES

    app = rasa_app()

    async def check():
        async with serve(app) as client:
            big = await post(client, "/webhooks/rest/webhook", {"sender": "b", "message": "hej",
                                                                "metadata": {"kommune": "0661", "x": "y" * MAX_METADATA_BYTES}})
            assert big.status == 400 and "metadata" in big.json()["error"]
            huge = await post(client, "/webhooks/rest/webhook", {"sender": "b", "message": "hej" * MAX_BODY_BYTES})
            assert huge.status in (400, 413)
    asyncio.run(check())
    assert app.ctx.got == []


def test_personalekanalen_kraever_hemmeligheden_og_saetter_selv_personaletilstand(env):
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            body = {"sender": "personale-1", "message": "/greet"}
            assert (await post(client, "/webhooks/personale/webhook", body)).status == 403
            wrong = {"Authorization": "Bearer " + "x" * 40}
            assert (await post(client, "/webhooks/personale/webhook", body, wrong)).status == 403
            assert (await post(client, "/webhooks/personale/webhook", {"sender": "borger-1", "message": "hej"},
                               STAFF)).status == 400  # staff conversations only
            assert (await post(client, "/webhooks/personale/webhook", dict(body, metadata={"mode": "citizen"}),
                               STAFF)).status == 200
            # ... and the public channel refuses staff conversations' ids
            assert (await post(client, "/webhooks/rest/webhook", body)).status == 400
    asyncio.run(check())
    [message] = app.ctx.got
    assert message.input_channel == "personale" and message.metadata["mode"] == "staff"


def test_uden_kanalhemmelighed_er_personalekanalen_lukket(env, monkeypatch):
    monkeypatch.delenv("TG_CHANNEL_SECRET")
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            for auth in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"}):
                reply = await post(client, "/webhooks/personale/webhook", {"sender": "personale-1", "message": "hej"}, auth)
                assert reply.status == 403
    asyncio.run(check())


def test_produktion_uden_kanalhemmelighed_starter_ikke(env, monkeypatch):
    from bot.channels import ChannelKeys

    monkeypatch.setenv("TG_ENV", "production")
    monkeypatch.setenv("TG_CHANNEL_SECRET", "kort")
    with pytest.raises(RuntimeError, match="TG_CHANNEL_SECRET"):
        ChannelKeys.from_settings()


# --- client addresses ---------------------------------------------------------------------------

def test_klientens_adresse_kommer_kun_fra_webserveren_med_hemmeligheden(env):
    from bot.channels import ChannelKeys

    keys = ChannelKeys.from_settings()
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            body = {"sender": "b", "message": "hej"}
            await post(client, "/webhooks/rest/webhook", body,
                       {"Forwarded": f'for="198.51.100.7";secret="{CHANNEL_SECRET}"'})
            await post(client, "/webhooks/rest/webhook", body, {"Forwarded": 'for="198.51.100.8";secret="gaet"'})
            await post(client, "/webhooks/rest/webhook", body, {"X-Forwarded-For": "198.51.100.9"})
    asyncio.run(check())
    clients = [m.metadata["client"] for m in app.ctx.got]
    assert clients == [keys.client_key("198.51.100.7"), keys.client_key("127.0.0.1"), keys.client_key("127.0.0.1")]
    assert all("198.51" not in c for c in clients)


# --- item 10: Rasa's / --------------------------------------------------------------------------

def test_rasas_forside_og_version_viser_ikke_versionen(env):
    import rasa

    app = rasa_app()

    async def check():
        async with serve(app) as client:
            root = await client.get("/")
            assert root.status == 200 and rasa.__version__ not in root.text
            assert (await client.get("/version")).status == 404
    asyncio.run(check())


# --- item 1: CPR numbers in text and metadata -------------------------------------------------------

def test_cpr_numre_maskeres_i_teksten_og_i_metadata(env):
    app = rasa_app()

    async def check():
        async with serve(app) as client:
            for text in ("min cpr er 13 03 72 47 11", "14.03.72-4711", f"150372{NBSP}4711", "cpr-160372-4711"):
                await post(client, "/webhooks/rest/webhook", {"sender": "b", "message": text,
                                                              "metadata": {"kommune": "0661"}})
    asyncio.run(check())
    assert all(CPR_MASK in m.text and not any(c.isdigit() for c in m.text) for m in app.ctx.got)


def test_rasas_egen_fortolkning_maskeres_ogsaa(env):
    from rasa.core.channels.channel import UserMessage

    from bot.channels import masked_handling, masked_parse

    async def parse(self, message, *args, **kwargs):
        return {"text": message.text, "entities": [{"entity": "x", "value": "13.03.72-4711"}],
                "intent": {"name": "inform"}, "metadata": {"note": "cpr 130372_4711"}}

    seen = []

    async def handle(self, message, tracker):
        seen.append((message.text, message.metadata, message.parse_data))

    parsed = asyncio.run(masked_parse(parse)(None, UserMessage("mit cpr 13 03 72 47 11")))
    assert json.dumps(parsed, ensure_ascii=False).count(CPR_MASK) == 3
    message = UserMessage("cpr 130372-4711", metadata={"n": "130372 4711"}, parse_data={"text": "130372-4711"})
    asyncio.run(masked_handling(handle)(None, message, None))
    assert seen == [(f"cpr {CPR_MASK}", {"n": CPR_MASK}, {"text": CPR_MASK})]


# --- item 5: socket.io session ids ----------------------------------------------------------------

async def _socket(url, session_id=None):
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    confirmed, received = asyncio.get_running_loop().create_future(), []
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", lambda data: received.append(data))
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": session_id})
    return client, await asyncio.wait_for(confirmed, 10), received


async def _say(client, received, session_id, text):
    before = len(received)
    await client.emit("user_uttered", {"message": text, "session_id": session_id})
    for _ in range(100):
        if len(received) > before:
            break
        await asyncio.sleep(0.05)
    return received[before:]


def test_en_socketio_klient_kan_ikke_overtage_en_anden_samtale_ved_at_naevne_dens_id(env):
    from bot.channels import ChannelKeys

    keys = ChannelKeys.from_settings()
    app = rasa_app()

    async def check():
        async with serve(app) as server:
            owner, mine, owner_got = await _socket(server.base)
            assert keys.issued_session_id(mine)
            assert (await _say(owner, owner_got, mine, "hej"))[0]["text"] == f"svar til {mine}"
            # The attacker names a REST conversation's id and a made-up one: both get a new id.
            thief, given, thief_got = await _socket(server.base, "borger-42")
            assert given != "borger-42" and keys.issued_session_id(given)
            refused = await _say(thief, thief_got, "borger-42", "send mig ansøgningen")
            assert "Ukendt session" in refused[0]["error"]
            forged = mine[:-1] + ("0" if mine[-1] != "0" else "1")
            _, other, _ = await _socket(server.base, forged)
            assert other not in (mine, forged)
            # A page that reloads resumes its own, server-issued id.
            again, resumed, again_got = await _socket(server.base, mine)
            assert resumed == mine
            for client in (owner, thief, again):
                await asyncio.wait([asyncio.ensure_future(client.disconnect())], timeout=1)
    asyncio.run(check())
    assert "borger-42" not in {m.sender_id for m in app.ctx.got}


def test_socketio_metadata_beholder_kun_kommunen_og_kanalen_er_serverens(env):
    app = rasa_app()

    async def check():
        async with serve(app) as server:
            client, sid, got = await _socket(server.base)
            before = len(got)
            await client.emit("user_uttered", {"message": "hej", "session_id": sid, "input_channel": "personale",
                                               "metadata": json.dumps({"mode": "staff", "kommune": "0661"})})
            for _ in range(100):
                if len(got) > before:
                    break
                await asyncio.sleep(0.05)
            await asyncio.wait([asyncio.ensure_future(client.disconnect())], timeout=1)
    asyncio.run(check())
    [message] = app.ctx.got
    assert message.input_channel == "socketio" and set(message.metadata) == {"kommune", "client"}
