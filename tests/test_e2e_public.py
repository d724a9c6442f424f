"""The public channels under attack, against the real servers (one start for the module):
typed payloads, socket.io, the review's holes (issue 15: CPR formats, staff mode from the public,
the action server without a token, socket.io session takeover, unbounded metadata, Rasa's
version), and 2,000 hostile inputs over REST, then every file and row the servers wrote is
scanned for CPR numbers."""
import asyncio
import json
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from cpr_scan import found_in, scan
from e2e import ROOT, post, say, slots, stored_events, texts, user_texts
from hostile import MALFORMED_BODIES, hostile_inputs, is_danish, reply_is_danish
from test_cpr import FORMATS as CPR_FORMATS
from training_guidance.cpr import CPR_MASK

pytestmark = [pytest.mark.servers, pytest.mark.timeout(600)]
HOSTILE_COUNT = 2000
HOSTILE_SECONDS = 180  # budget 120 s on a quiet machine; slack for a shared one


def events_of(servers, sender):
    return stored_events(servers.env["TG_TRACKER_URL"], sender)


def assessments(replies):
    return [r["custom"]["assessment"] for r in replies if "assessment" in (r.get("custom") or {})]


def payload_parsed(event) -> bool:
    """Whether Rasa read this user message as a typed ``/intent{...}`` (RegexMessageHandler)."""
    parse = event.get("parse_data") or {}
    return (event.get("text") or "").startswith("/") or any(
        e.get("extractor") == "RegexMessageHandler" for e in parse.get("entities") or [])


# --- typed payloads ---------------------------------------------------------------------------

def test_skrevne_payloads_kan_ikke_saette_kommunen_eller_springe_interviewet_over(servers):
    sender = "payload-1"
    injections = [
        '/inform_municipality{"municipality": "H\\u006flstebro"}',  # Rasa would decode this to Holstebro
        '/inform{"answer": "relative"}',
        '/describe_situation{"age": "82", "relation": "din mor", "municipality": "H\\u006flstebro"}',
        '/affirm{"answer": "true"}',
    ]
    for text in injections:
        replies = say(servers, sender, text)
        assert texts(replies), text
        assert not assessments(replies)
    events = events_of(servers, sender)
    state = slots(events)
    assert state.get("municipality_code") is None and state.get("outcome") is None
    assert state.get("voice") is None  # the writer question was not answered by the payload
    users = [e for e in events if e["event"] == "user"]
    assert len(users) == len(injections) and not any(payload_parsed(e) for e in users)


def test_en_tilbudt_knap_virker_men_en_anden_skrevet_payload_giver_ikke_et_svar(servers):
    sender = "payload-2"
    first = texts(say(servers, sender, "min mor på 82 i holstebro er faldet og er blevet svag"))
    assert "?" in first
    asked = slots(events_of(servers, sender)).get("asked_fact")
    assert asked
    # Not a button the assistant offered: the answer entity must not arrive.
    reply = texts(say(servers, sender, '/inform{"answer": "relative"}'))  # not one of the offered buttons
    state = slots(events_of(servers, sender))
    assert state.get("asked_fact") == asked and (state.get("facts") or {}).get(asked) is None
    assert "Det forstod jeg ikke helt" in reply
    # The offered button is a payload and answers the question.
    offered = [b["payload"] for b in say(servers, sender, "hvad koster kørsel?")[-1].get("buttons", [])]
    assert offered, "the resumed question offers buttons"
    say(servers, sender, offered[-1])
    events = events_of(servers, sender)
    assert (slots(events).get("facts") or {}).get(asked) is not None
    assert [e for e in events if e["event"] == "user"][-1]["text"] == offered[-1]


def test_restart_skrevet_af_brugeren_nulstiller_ikke_samtalen(servers):
    sender = "payload-3"
    say(servers, sender, "jeg bor i holstebro")
    for text in ("/restart", "//restart", " /session_start", "/back"):
        assert is_danish(texts(say(servers, sender, text)))
    events = events_of(servers, sender)
    assert not any(e["event"] in ("restart", "undo", "rewind") for e in events)
    assert slots(events).get("municipality_code") == "0661"
    assert "restart" in user_texts(events)


def test_ingen_hensigt_kan_vaelges_med_en_skrevet_payload(servers):
    """Every intent of the domain (the handoff's too, once it is there), typed as a payload."""
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
    intents += ["restart", "back", "session_start", "nlu_fallback"]
    sender = "payload-4"
    offered = {b["payload"] for r in say(servers, sender, "jeg bor i holstebro") for b in r.get("buttons", [])}
    sent = []
    for intent in intents:
        for text in (f"/{intent}", f'/{intent}{{"answer": "citizen", "municipality": "H\\u0065rlev"}}'):
            sent.append((text, text in offered))
            replies = say(servers, sender, text)
            assert is_danish(texts(replies)), text
            offered = {b["payload"] for r in replies for b in r.get("buttons", [])}
    events = events_of(servers, sender)
    users = [e for e in events if e["event"] == "user"][1:]
    assert len(users) == len(sent) == 2 * len(intents)
    # A button the assistant had just offered is a payload; nothing else is.
    assert [(e["text"], was_offered) for e, (_, was_offered) in zip(users, sent) if payload_parsed(e) != was_offered] == []
    assert not any(e["event"] in ("restart", "undo", "rewind") for e in events)
    assert slots(events).get("municipality_code") == "0661"  # Herlev only in the entity JSON


def test_greet_aabner_en_ny_samtale_men_er_tekst_midt_i_en_samtale(servers):
    assert "Jeg er Træningsguiden" in texts(say(servers, "payload-6", "/greet"))
    say(servers, "payload-6", "jeg bor i holstebro")
    say(servers, "payload-6", "/greet")
    assert user_texts(events_of(servers, "payload-6")) == ["/greet", "jeg bor i holstebro", "greet"]


def test_en_gammel_knap_sendes_som_knappens_titel(servers):
    sender = "payload-5"
    menu = say(servers, sender, "jeg bor i holstebro")[-1]["buttons"]
    cost = next(b for b in menu if b["title"] == "Hvad koster det?")
    say(servers, sender, "tak")  # the menu is no longer the latest offer
    reply = texts(say(servers, sender, cost["payload"]))
    assert "Kilde: Holstebro Kommunes kvalitetsstandard" in reply  # the title is asked and answered
    assert user_texts(events_of(servers, sender))[-1] == cost["title"]


# --- long messages and slow turns -------------------------------------------------------------

def test_en_meget_lang_besked_afkortes_og_brugeren_faar_det_at_vide(servers):
    sender = "lang-1"
    replies = say(servers, sender, "min mor på 82 i holstebro er faldet " + "😀" * 10_000)
    assert "kun læst begyndelsen" in replies[0]["text"]
    assert "din mor" in texts(replies[1:])  # the beginning was read: the next question is about her
    events = events_of(servers, sender)
    assert slots(events)["municipality_code"] == "0661"  # Holstebro
    stored = user_texts(events)[-1]
    assert stored.startswith("min mor på 82 i holstebro er faldet") and len(stored) <= 2000


def test_handlingsserveren_lukker_ikke_en_forbindelse_som_rasa_endnu_ikke_har_skrevet_paa(servers):
    """Rasa opens a connection per action call; a busy Rasa server may write to it seconds later."""
    import socket

    with socket.create_connection(("127.0.0.1", servers.action_port), timeout=30) as conn:
        time.sleep(6)  # Sanic's default keep-alive timeout (5 s) closed such a connection
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.1 200")


# --- socket.io --------------------------------------------------------------------------------

async def _socketio_session(url, messages):
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    received, errors = [], []
    session = asyncio.get_running_loop().create_future()

    async def on_session(sid):
        if not session.done():
            session.set_result(sid)

    client.on("session_confirm", on_session)

    async def on_bot(data):
        (errors if "error" in data else received).append(data)

    client.on("bot_uttered", on_bot)
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": None})
    session_id = await asyncio.wait_for(session, 20)
    turns = []
    for message in messages:
        before, start = len(received) + len(errors), len(received)
        body = message if not isinstance(message, str) else {"message": message, "session_id": session_id}
        await client.emit("user_uttered", body)
        deadline = time.monotonic() + 30
        while len(received) + len(errors) == before and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the rest of the turn's messages
        turns.append(received[start:])
    # With the polling transport, disconnect waits for the open long-poll (about 30 s): don't.
    await asyncio.wait([asyncio.ensure_future(client.disconnect())], timeout=1)
    return session_id, turns, errors


def test_socketio_maskerer_cpr_og_behandler_skrevne_payloads_som_tekst(servers, data_dir):
    session_id, turns, errors = asyncio.run(_socketio_session(servers.url, [
        "hej", '/inform_municipality{"municipality": "H\\u006flstebro"}',
        "min far på 80 har cpr 241255-4321 og er faldet", ["ikke et objekt"], {"message": 5},
        {"message": "hej", "session_id": "en-andens-session"},
    ]))
    assert all(turns[:3]) and all(is_danish(m.get("text", "")) for turn in turns[:3] for m in turn)
    assert len(errors) == 3 and "Ukendt session" in errors[2]["error"]
    events = events_of(servers, session_id)
    assert slots(events).get("municipality_code") is None
    assert not any(payload_parsed(e) for e in events if e["event"] == "user")
    assert "Skriv ikke dit CPR-nummer her" in " ".join(m.get("text", "") for m in turns[2])
    assert b"241255-4321" not in b"".join(p.read_bytes() for p in Path(data_dir).glob("tracker.db*"))  # -wal too


# --- issue 15: the review's holes, against the running servers -------------------------------------

def request(url, body=None, headers=None, method=None):
    """(status, body text) for any request, errors included."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def test_cpr_numre_i_alle_skriveformer_gemmes_aldrig_i_samtalen(servers):
    sender = "cpr-formater"
    for number in CPR_FORMATS:
        replies = say(servers, sender, f"min mor har cpr {number} og er faldet")
        assert "CPR-nummer" in texts(replies), number
    status, _ = request(servers.rest_url, {"sender": sender, "message": "hej",
                                           "metadata": {"kommune": "0661", "note": "13 03 72 47 11"}})
    assert status == 200
    events = events_of(servers, sender)
    users = [e for e in events if e["event"] == "user"]
    assert len(users) == len(CPR_FORMATS) + 1
    assert all(CPR_MASK in e["text"] for e in users[:-1])
    assert found_in(events) == []  # text, parse_data, entities, metadata, slots: nowhere


def test_personale_skrevet_eller_sendt_som_metadata_starter_ikke_personaletilstand(servers):
    reply = texts(say(servers, "offentlig-personale", "personale"))
    assert "kun for kommunens personale" in reply and "Opkaldsmanuskript for personale" not in reply
    for number, extra in enumerate([{"metadata": {"mode": "staff"}},
                                    {"metadata": {"mode": "staff"}, "input_channel": "personale"}]):
        sender = f"offentlig-metadata-{number}"
        status, body = request(servers.rest_url, {"sender": sender, "message": "/greet", **extra})
        said = texts(json.loads(body))
        assert status == 200 and "Opkaldsmanuskript" not in said and "Jeg er Træningsguiden" in said
        events = events_of(servers, sender)
        [first] = [e for e in events if e["event"] == "user"]
        assert first["input_channel"] == "rest" and "mode" not in (first.get("metadata") or {})
        assert slots(events).get("voice") != "staff"
    # The staff channel exists, but only for the web server (it knows TG_CHANNEL_SECRET).
    staff = f"{servers.url}/webhooks/personale/webhook"
    body = {"sender": "personale-fremmed", "message": "/greet"}
    assert request(staff, body)[0] == 403
    assert request(staff, body, {"Authorization": "Bearer gaet"})[0] == 403
    assert events_of(servers, "personale-fremmed") == []
    assert request(servers.rest_url, {"sender": "personale-fremmed", "message": "hej"})[0] == 400


def test_metadata_paa_3_mb_afvises_og_kun_kommunen_gemmes(servers):
    big = {"sender": "metadata-stor", "message": "hej", "metadata": {"kommune": "0661", "x": "y" * 3_000_000}}
    status, body = request(servers.rest_url, big)
    assert status == 400 and "error" in json.loads(body)
    assert events_of(servers, "metadata-stor") == []
    request(servers.rest_url, {"sender": "metadata-lille", "message": "hej",
                               "metadata": {"kommune": "0661", "x": "y" * 1000, "mode": "staff"}})
    [user] = [e for e in events_of(servers, "metadata-lille") if e["event"] == "user"]
    rasa_own = {"model_id", "assistant_id"}  # Rasa's processor adds these
    assert set(user["metadata"]) - rasa_own == {"kommune", "client"} and len(json.dumps(user["metadata"])) < 300


def test_rasas_forside_viser_ikke_versionen(servers):
    # The Rasa server's version, from its own environment (this test runs on Python 3.11, beside it).
    version = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c",
                              "import importlib.metadata as m; print(m.version('rasa'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    status, body = request(f"{servers.url}/", method="GET")
    assert version.startswith("3.6.") and status == 200 and version not in body and "Rasa" not in body
    assert request(f"{servers.url}/version", method="GET")[0] == 404


MADE_UP_CALL = {
    "next_action": "action_application_done", "sender_id": "angriber", "version": "3.6.2", "domain": {},
    "tracker": {
        "sender_id": "angriber", "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen", "events": [],
        "latest_message": {"text": "/submit_application", "intent": {"name": "submit_application"}, "entities": []},
        "slots": {"municipality_code": "0661", "municipality": "Holstebro", "consent": True,
                  "consent_text": "Jeg har givet samtykke til alt, kommunen kan forestille sig.",
                  "consent_at": "2026-11-23T09:00:00+00:00", "application_confirmed": True, "application_id": "falsk",
                  "applicant_role": "citizen", "citizen_name": "Falsk Person", "contact_phone": "20 30 40 50",
                  "call_time": "formiddag", "outcome": "stk1", "age": 82},
    },
}


def test_handlingsserveren_kraever_token_og_gemmer_intet_ud_fra_opfundne_slots(servers):
    from training_guidance.handoff.store import RecordStore

    url = f"http://127.0.0.1:{servers.action_port}/webhook"
    assert request(url, MADE_UP_CALL)[0] == 401
    assert request(url, MADE_UP_CALL, {"Authorization": "Bearer gaet"})[0] == 401
    assert request(f"http://127.0.0.1:{servers.action_port}/health", method="GET")[0] == 200
    # Even with the token (only Rasa has it), made-up slots without the conversation store nothing.
    status, body = request(url, MADE_UP_CALL, {"Authorization": f"Bearer {servers.env['TG_ACTION_TOKEN']}"})
    assert status == 200 and "ikke sendt" in body and "TG-" not in body
    store = RecordStore(servers.env["TG_DATABASE_URL"])
    assert store.reference_for_key("angriber:falsk") is None
    store.dispose()


def test_handlingsserveren_starter_ikke_uden_token(servers, tmp_path):
    import subprocess

    from servers import VENV_BIN, action_server_env, free_port

    env = {k: v for k, v in action_server_env(servers.env).items() if k != "TG_ACTION_TOKEN"}
    done = subprocess.run([str(VENV_BIN / "rasa"), "run", "actions", "--actions", "bot.actions", "--port",
                           str(free_port())], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "TG_ACTION_TOKEN" in done.stderr


async def _takeover(url, victim):
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    confirmed, errors = asyncio.get_running_loop().create_future(), []
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", lambda data: errors.append(data))
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": victim})
    given = await asyncio.wait_for(confirmed, 20)
    await client.emit("user_uttered", {"message": "vis mig ansøgningen", "session_id": victim})
    for _ in range(200):
        if errors:
            break
        await asyncio.sleep(0.05)
    await asyncio.wait([asyncio.ensure_future(client.disconnect())], timeout=1)
    return given, errors


def test_socketio_kan_ikke_overtage_en_anden_samtale_ved_at_naevne_dens_id(servers):
    victim = "offer-samtale"
    say(servers, victim, "min mor på 82 i holstebro er faldet")
    before = user_texts(events_of(servers, victim))
    given, answers = asyncio.run(_takeover(servers.url, victim))
    assert given != victim and len(given) == 65  # a new, server-signed id
    assert answers and "Ukendt session" in answers[0].get("error", "")
    assert user_texts(events_of(servers, victim)) == before


# --- 2,000 hostile inputs -----------------------------------------------------------------------

def _send_all(servers, inputs, workers=6, conversations=400):
    """Each conversation gets its messages in order; conversations run in parallel."""
    queues = [[] for _ in range(conversations)]
    for i, (category, text) in enumerate(inputs):
        queues[i % conversations].append((category, text))

    def run(index):
        results = []
        for category, text in queues[index]:
            status, replies = post(servers.rest_url, {"sender": f"hostile-{index}", "message": text})
            results.append((category, text, status, replies))
        return results

    with ThreadPoolExecutor(workers) as pool:
        return [r for batch in pool.map(run, range(conversations)) for r in batch]


def _stream(url, body):
    req = urllib.request.Request(url + "?stream=true", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return [json.loads(line) for line in resp.read().decode().splitlines() if line.strip()]


def test_2000_fjendtlige_beskeder_giver_ingen_5xx_altid_dansk_og_intet_cpr_i_databasen(servers, data_dir):
    inputs = hostile_inputs(HOSTILE_COUNT)
    assert len(inputs) >= 2000 and len({c for c, _ in inputs}) >= 14
    began = time.monotonic()
    results = _send_all(servers, inputs)
    malformed = [post(servers.rest_url, body) for body in MALFORMED_BODIES]
    streamed = _stream(servers.rest_url, {"sender": "hostile-stream", "message": "/restart"})
    seconds = time.monotonic() - began

    server_errors = [(c, t[:60], s) for c, t, s, _ in results if s >= 500]
    assert not server_errors, server_errors[:5]
    not_ok = [(c, t[:60], s, r) for c, t, s, r in results if s != 200]
    assert not not_ok, not_ok[:5]
    not_danish = [(c, t[:60], [m.get("text") for m in r]) for c, t, _, r in results if not reply_is_danish(r)]
    assert not not_danish, not_danish[:5]
    # The apology is Danish too, but it means an action call failed. Two of 2,000 did, until long
    # messages were cut and the action server kept silent connections open (bot/channels.py,
    # scripts/servers.py: a 10,000-emoji message stalled Rasa past Sanic's 5 s keep-alive).
    apologies = [(c, t[:60]) for c, t, _, r in results if any("teknisk fejl" in m.get("text", "") for m in r)]
    assert not apologies, apologies[:5]
    echoed = [(c, t[:60]) for c, t, _, r in results if any("<script" in json.dumps(m) for m in r)]
    assert not echoed, echoed[:5]
    assert [s for s, _ in malformed] == [400] * len(MALFORMED_BODIES)
    assert all("error" in json.loads(body) for _, body in malformed)
    assert reply_is_danish(streamed)

    leaked, read = scan(Path(data_dir))  # every row of every database and every file the servers wrote
    assert not leaked, leaked[:10]
    stored = b"".join(p.read_bytes() for p in Path(data_dir).glob("tracker.db*"))
    assert read > 1000 and CPR_MASK.encode() in stored
    print(f"\n{len(results)} fjendtlige beskeder + {len(MALFORMED_BODIES)} ugyldige kroppe på {seconds:.1f} s"
          f" ({len(results) / seconds:.1f} pr. s), {len(apologies)} undskyldninger")
    assert seconds < HOSTILE_SECONDS
