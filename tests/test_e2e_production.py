"""The production layout end to end, as `make prod` starts it (scripts/prod.py): HAProxy with
deploy/haproxy/haproxy.cfg in front of two Rasa servers and two web servers, the action server with
its token, the relay, PostgreSQL and Redis, every process of ours started from its systemd unit.

Conversations go through HAProxy, each message to the least busy Rasa server; two messages of one
conversation sent to both servers at once are served one after the other; one Rasa server is
killed in the middle of an interview and the conversation goes on; an application is delivered once, to its own
municipality's folder; a staff login made on one web server holds on the other; every server
answers /health, /ready and /metrics; the logs are JSON lines without what people wrote.
The conversation that alternates between the two Rasa servers (Redis lock store) was
tests/test_e2e_scaleout.py's own start of two servers; it runs here on the same layout."""
import http.client
import json
import os
import re
import shutil
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from e2e import ROOT, ensure_model, say, slots, stored_events, texts
from prod import Layout
from test_e2e_application import apply_until_summary, buttons

pytestmark = [pytest.mark.servers, pytest.mark.timeout(1200)]

OPENING = "min mor på 82 i holstebro er faldet og er blevet meget svag"
CPR = "010145-1234"


@pytest.fixture(scope="module")
def layout():
    reuse = os.environ.get("TG_TEST_PRODUCTION_DIR")  # a layout `scripts/prod.sh up --dir` started (debugging)
    if reuse:
        yield Layout.load(Path(reuse))
        return
    ensure_model()
    # PostgreSQL runs as its own user, which must be able to reach the folder (pytest's are 0700).
    base = Path(tempfile.mkdtemp(prefix="tg-prod-"))
    base.chmod(0o755)
    running = Layout(base / "prod", extra_env={"TG_TODAY": "2026-11-23", "TG_RELAY_INTERVAL": "1"})
    began = time.monotonic()
    running.up()
    print(f"\nproduction layout ready in {time.monotonic() - began:.0f} s")
    yield running
    running.down()
    shutil.rmtree(base, ignore_errors=True)


def request(url, body=None, headers=None, method=None, source="127.0.0.1"):
    """(status, headers, text); ``source`` is the client's own loopback address."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=(source, 0))
    data = body if body is None or isinstance(body, (bytes, str)) else json.dumps(body)
    all_headers = {"Content-Type": "application/json"} if data is not None and not isinstance(body, str) else {}
    all_headers.update(headers or {})
    try:
        conn.request(method or ("POST" if data is not None else "GET"), parts.path + (f"?{parts.query}" if parts.query else ""),
                     body=data, headers=all_headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode(errors="replace")
    finally:
        conn.close()


def chat(layout, sender, message):
    """One message through HAProxy's public REST route; the replies and the Rasa server that answered."""
    status, headers, body = request(layout.rest_url, {"sender": sender, "message": message})
    assert status == 200, body
    return json.loads(body), headers.get("x-tg-rasa")


def offered(replies):
    found = [b for r in replies for b in r.get("buttons", []) if b["title"] != "Ved ikke"]
    assert found, texts(replies)
    return found[-1]["payload"]


def assessment_of(replies):
    found = [r["custom"]["assessment"] for r in replies if "assessment" in (r.get("custom") or {})]
    return found[0] if found else None


def server_changes(layout):
    """HAProxy's own lines about servers going down or up (why a conversation moved)."""
    log = (layout.logs / "haproxy.log").read_text(encoding="utf-8", errors="replace")
    return "\n".join(line for line in log.splitlines() if " is DOWN" in line or " is UP" in line)


def user_messages(layout, sender):
    return [e["text"] for e in stored_events(layout.state["databases"]["tracker"], sender) if e["event"] == "user"]


def secret(layout, name):
    return json.loads((layout.root / "secrets.json").read_text())[name]


def test_en_samtale_gennem_haproxy_gemmes_i_postgresql_hvilken_rasa_server_der_end_svarer(layout):
    sender, sent, served_by = "prod-haproxy", [OPENING], set()
    replies, server = chat(layout, sender, OPENING)
    served_by.add(server)
    for _ in range(12):
        payload = offered(replies)
        replies, server = chat(layout, sender, payload)
        sent.append(payload)
        served_by.add(server)
        if assessment_of(replies):
            break
    assessment = assessment_of(replies)
    assert assessment and assessment["municipality"]["code"] == "0661"
    assert served_by <= {"rasa1", "rasa2"}, server_changes(layout)  # each message to the least busy one
    assert user_messages(layout, sender) == sent
    assert_turns_one_after_another(stored_events(layout.state["databases"]["tracker"], sender))

    # The web page's chat API, through HAProxy, reaches Rasa through HAProxy's internal side.
    status, _, body = request(f"{layout.public_url}/api/besked",
                              {"sender": str(uuid.uuid4()), "message": "hvad koster kørsel i holstebro?"},
                              headers={"Origin": layout.public_url})
    assert status == 200 and texts(json.loads(body)).strip()


def test_en_ansoegning_leveres_en_gang_og_kun_til_sin_egen_kommunes_mappe(layout):
    sender = "prod-ansoegning"
    summary = apply_until_summary(layout, sender)
    receipt = say(layout, sender, buttons(summary)["Send ansøgningen"])
    reference = next(r["custom"]["receipt"]["reference"] for r in receipt if r.get("custom"))
    delivered = layout.data / "ansoegninger" / "0661" / f"{reference}.json"
    for _ in range(60):
        if delivered.exists():
            break
        time.sleep(0.5)
    assert json.loads(delivered.read_text(encoding="utf-8"))["reference"] == reference
    first_write = delivered.stat().st_mtime_ns
    time.sleep(3)  # three more rounds of the relay: nothing is sent again
    assert delivered.stat().st_mtime_ns == first_write
    assert [p.parent.name for p in layout.data.rglob(f"{reference}.json")] == ["0661"]
    engine = sa.create_engine(layout.state["databases"]["records"])
    try:
        with engine.connect() as conn:
            outbox = conn.execute(sa.text(
                "SELECT o.target, o.state, o.attempts FROM outbox o JOIN applications a ON a.id = o.application_id "
                "WHERE a.reference = :r"), {"r": reference}).all()
            attempts = conn.execute(sa.text(
                "SELECT count(*) FROM audit_log WHERE reference = :r AND action = 'leveringsforsøg'"),
                {"r": reference}).scalar_one()
    finally:
        engine.dispose()
    assert [tuple(row) for row in outbox] == [("folder", "delivered", 1)] and attempts == 1


def test_privatlivssiden_naevner_den_kommunes_egne_slettefrister(layout):
    """deploy/municipalities.yml: Horsens keeps chats 14 days and applications 60, Holstebro 30 and 90."""
    for code, chat_days, record_days in (("0615", 14, 60), ("0661", 30, 90)):
        status, _, page = request(f"{layout.public_url}/privatliv?kommune={code}")
        assert status == 200
        assert f"efter {chat_days} dage" in page and f"ansøgningen her efter {record_days} dage" in page


def login(base_url, password, source="127.0.0.1", forged=None, origin=None):
    # The configured origin (TG_WEB_ORIGIN: HAProxy's public address), whichever web server is asked.
    headers = {"Origin": origin or base_url, "Content-Type": "application/x-www-form-urlencoded", **(forged or {})}
    body = urllib.parse.urlencode({"brugernavn": "personale", "adgangskode": password})
    return request(f"{base_url}/personale/login", body, headers=headers, source=source)


def test_et_personalelogin_paa_den_ene_webserver_gaelder_paa_den_anden(layout):
    first, second = (f"http://127.0.0.1:{p}" for p in layout.state["ports"]["web"])
    status, headers, _ = login(first, secret(layout, "TG_STAFF_PASSWORD"), origin=layout.public_url)
    assert status == 303, headers
    cookie = headers["set-cookie"].split(";", 1)[0]
    for base in (first, second, layout.public_url, layout.public_url):  # HAProxy: both, in turn
        status, _, body = request(f"{base}/personale/api/ansoegninger", headers={"Cookie": cookie})
        assert status == 200 and "ansoegninger" in json.loads(body)
    status, _, _ = request(f"{second}/personale/api/ansoegninger")
    assert status == 401


def test_klientens_adresse_kommer_fra_haproxy_og_ikke_fra_en_header_klienten_selv_sender(layout):
    """The login brake counts by client address. Behind HAProxy that address comes from the
    Forwarded header HAProxy sets with the shared secret; a client's own X-Forwarded-For or
    Forwarded header changes nothing, and another client is not blocked."""
    statuses = []
    for attempt in range(12):  # 5 per web server; a shared brake blocks sooner
        forged = {"X-Forwarded-For": f"10.9.8.{attempt}", "Forwarded": f"for=10.9.8.{attempt}"}
        status, _, _ = login(layout.public_url, "forkert", source="127.0.0.2", forged=forged)
        statuses.append(status)
        if status == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401}, statuses
    status, _, _ = login(layout.public_url, "forkert", source="127.0.0.3")
    assert status == 401


def metric(text, name, **labels):
    """The value of one sample in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}", 1)[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_hver_server_svarer_paa_health_ready_og_metrics(layout):
    ports = layout.state["ports"]
    for port in ports["web"]:
        assert request(f"http://127.0.0.1:{port}/health")[0] == 200
        status, _, body = request(f"http://127.0.0.1:{port}/ready")
        assert status == 200 and json.loads(body)["checks"] == {
            "actions": "ok", "database": "ok", "rasa": "ok", "relay": "ok"}
    web_metrics = "".join(request(f"http://127.0.0.1:{p}/metrics")[2] for p in ports["web"])
    assert sum(metric(web_metrics, "tg_messages_total", channel="web") for _ in [0]) >= 1
    assert "tg_outbox_pending" in web_metrics and "tg_request_seconds_bucket" in web_metrics

    actions = f"http://127.0.0.1:{ports['actions']}"
    token = {"Authorization": f"Bearer {secret(layout, 'TG_ACTION_TOKEN')}"}
    assert request(f"{actions}/health")[0] == 200
    assert request(f"{actions}/ready")[0] == 401  # like every route but /health: the token
    assert request(f"{actions}/ready", headers=token)[0] == 200
    status, _, action_metrics = request(f"{actions}/metrics", headers=token)
    assert status == 200 and metric(action_metrics, "tg_request_seconds_count", server="actions", route="webhook") > 0

    import redis  # the relay's heartbeat is in the lock store's Redis, for servers on any machine

    client = redis.Redis(host="127.0.0.1", port=layout.state["redis_port"])
    try:
        assert client.get("traeningsguiden:relay:heartbeat") is not None
    finally:
        client.close()
    assert not (layout.data / "relay.heartbeat").exists()

    relay = f"http://127.0.0.1:{ports['relay']}"
    assert request(f"{relay}/health")[0] == 200
    status, _, body = request(f"{relay}/ready")
    assert status == 200 and json.loads(body)["checks"] == {"database": "ok", "relay": "ok"}
    relay_metrics = request(f"{relay}/metrics")[2]
    assert metric(relay_metrics, "tg_deliveries_total", target="folder", result="delivered") >= 1
    assert metric(relay_metrics, "tg_outbox_pending") == 0 and metric(relay_metrics, "tg_records_store_up") == 1

    for port in ports["rasa"]:
        assert request(f"http://127.0.0.1:{port}/")[0] == 200  # Rasa's own
    for path in ("/ready", "/metrics"):  # not from outside
        assert request(f"{layout.public_url}{path}")[0] == 404
    stats = request(f"http://127.0.0.1:{ports['stats']}/metrics")[2]
    assert metric(stats, "haproxy_backend_active_servers", proxy="rasa") == 2


def test_logfilerne_er_json_linjer_uden_det_folk_skrev(layout):
    status, _, _ = request(f"{layout.public_url}/api/besked",
                           {"sender": str(uuid.uuid4()), "message": f"mit cpr er {CPR} og jeg bor i holstebro"},
                           headers={"Origin": layout.public_url})
    assert status == 200
    ours = {name: (layout.logs / name).read_text(encoding="utf-8").splitlines()
            for name in [*(f"{u}.log" for u in layout.web_units), "traeningsguiden-relay.service.log"]}
    actions = (layout.logs / "traeningsguiden-actions.service.log").read_text(encoding="utf-8").splitlines()
    ours["actions"] = actions[next(i for i, line in enumerate(actions) if "Starting plugins" in line) + 1:]
    for name, lines in ours.items():
        entries = [json.loads(line) for line in lines if line.strip()]  # every line is one JSON object
        assert entries and all({"time", "level", "logger", "event"} <= set(e) for e in entries), name
    for path in layout.logs.iterdir():  # ours, Rasa's and HAProxy's
        text = path.read_text(encoding="utf-8", errors="replace")
        for written in (CPR, "010145", "Inge Hansen", "20 30 40 50", "Søndergade", "faldet og er blevet meget svag"):
            assert written not in text, (path.name, written)


class Direct:
    """One Rasa server without HAProxy (for tests/e2e.py's say())."""

    def __init__(self, port):
        self.rest_url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"


def redis_commands(layout):
    import redis

    client = redis.Redis(host="127.0.0.1", port=layout.state["redis_port"])
    try:
        return client.info("stats")["total_commands_processed"]
    finally:
        client.close()


def test_en_samtale_skiftevis_paa_to_rasa_servere_beholder_tilstand_og_raekkefoelge(layout):
    """What happens when routing moves a conversation (a server added or gone): one message at a
    time, state and order hold with the PostgreSQL tracker store and the Redis lock store."""
    instances = [Direct(port) for port in layout.state["ports"]["rasa"]]
    sender, sent = "prod-skiftevis", [OPENING]
    commands_before = redis_commands(layout)
    replies = say(instances[0], sender, OPENING)
    for turn in range(1, 12):
        payload = offered(replies)
        replies = say(instances[turn % 2], sender, payload)
        sent.append(payload)
        if assessment_of(replies):
            break
    assessment = assessment_of(replies)
    assert assessment and assessment["municipality"]["code"] == "0661" and len(sent) >= 3
    events = stored_events(layout.state["databases"]["tracker"], sender)
    assert [e["text"] for e in events if e["event"] == "user"] == sent  # every message, once, in order
    assert_turns_one_after_another(events)
    state = slots(events)
    assert state["municipality_code"] == "0661" and state["outcome"] == assessment["outcome"]
    assert redis_commands(layout) > commands_before  # the lock store is Redis


def assert_turns_one_after_another(events):
    """Each message's actions end with action_listen before the next message is read."""
    kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events]
    for i, kind in enumerate(kinds):
        if kind == "user" and i > 0:
            previous = [k for k in kinds[:i] if k not in ("slot", "bot", "user_featurization")]
            assert previous[-1] == "action_listen", kinds[max(0, i - 6):i + 1]


def test_to_beskeder_i_en_samtale_paa_to_rasa_servere_paa_samme_tid_betjenes_efter_hinanden(layout):
    """The race of Rasa 3.6's own Redis lock store (docs/deployment.md): two messages of one
    conversation reach two servers at once. With the atomic lock store one waits for the other:
    both are stored, once each, and neither's actions run into the other's."""
    from concurrent.futures import ThreadPoolExecutor

    instances = [Direct(port) for port in layout.state["ports"]["rasa"]]
    for round_ in range(3):
        sender = f"prod-samtidig-{round_}"
        say(instances[0], sender, "jeg bor i holstebro")
        questions = ["hvad koster kørsel", "hvordan klager jeg"]
        with ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(lambda pair: say(instances[pair[0]], sender, pair[1]), enumerate(questions)))
        assert all("Kilde:" in texts(r) for r in replies), replies
        events = stored_events(layout.state["databases"]["tracker"], sender)
        users = [e["text"] for e in events if e["event"] == "user"]
        assert users[0] == "jeg bor i holstebro" and sorted(users[1:]) == sorted(questions), users
        assert_turns_one_after_another(events)


def test_handlingsserveren_kraever_token_og_svarer_kun_paa_health_uden(layout):
    actions = f"http://127.0.0.1:{layout.state['ports']['actions']}"
    assert request(f"{actions}/webhook", {"next_action": "action_greet", "tracker": {}})[0] == 401
    assert request(f"{actions}/webhook", b"[]")[0] == 401
    assert request(f"{actions}/health")[0] == 200


def test_en_rasa_server_draebes_midt_i_interviewet_og_samtalen_fortsaetter_paa_den_anden(layout):
    """Runs last: it leaves one Rasa server dead."""
    sender = "prod-nedbrud"
    replies, _ = chat(layout, sender, OPENING)
    payload = offered(replies)
    replies, first = chat(layout, sender, payload)
    sent = [OPENING, payload]
    before = slots(stored_events(layout.state["databases"]["tracker"], sender))
    assert before["municipality_code"] == "0661"

    dead = layout.rasa_units[int(first[-1]) - 1]  # the server that answered last: rasa1 → the first unit
    layout.kill(dead)
    served_by = set()
    for _ in range(12):
        payload = offered(replies)
        replies, server = chat(layout, sender, payload)  # HAProxy sends it on to the living one
        sent.append(payload)
        served_by.add(server)
        assert not texts(replies).startswith("Beklager"), texts(replies)
        if assessment_of(replies):
            break
    assert served_by == {"rasa2" if first == "rasa1" else "rasa1"}
    assessment = assessment_of(replies)
    assert assessment and assessment["municipality"]["code"] == "0661"
    events = stored_events(layout.state["databases"]["tracker"], sender)
    assert [e["text"] for e in events if e["event"] == "user"] == sent
    after = slots(events)
    assert after["municipality_code"] == "0661" and after["relation"] == before["relation"]
