"""Past one machine: two Rasa servers with the production endpoints (PostgreSQL tracker store,
Redis lock store, action server token), one stateless action server, one conversation whose
messages alternate between the two Rasa servers. State and message order must hold."""
import secrets
import urllib.parse

import pytest

from e2e import ensure_model, post, say, slots, stored_events, texts
from servers import HOST, free_port, make_servers
from test_e2e_faults import answer_with_a_button

pytestmark = [pytest.mark.servers, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, postgres_server, redis_server):
    import uuid

    tracker_url = postgres_server.create_database(f"tg_scale_{uuid.uuid4().hex[:8]}")
    redis = urllib.parse.urlsplit(redis_server.url)
    env = {
        "TG_TODAY": "2026-11-23", "TG_ENDPOINTS": "deploy/endpoints.production.yml",
        "TG_TRACKER_URL": tracker_url, "TG_REDIS_HOST": redis.hostname, "TG_REDIS_PORT": str(redis.port),
        "TG_REDIS_DB": (redis.path or "/0").strip("/") or "0", "TG_REDIS_PASSWORD": redis.password or "",
        "TG_ACTION_TOKEN": secrets.token_urlsafe(24),
    }
    ensure_model()
    action_port = free_port()
    first = make_servers(free_port(), action_port, tmp_path_factory.mktemp("tg-rasa-a"), env)
    second = make_servers(free_port(), action_port, tmp_path_factory.mktemp("tg-rasa-b"), env)
    (first.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    (second.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    first.start_action_server()
    first.start_rasa_server()
    second.start_rasa_server()  # both load at the same time
    try:
        first.wait_ready()
        second.wait_ready()
    except Exception:
        first.stop()
        second.stop()
        raise
    yield first, second, tracker_url, redis_server
    second.stop()
    first.stop()


def redis_commands(redis_server):
    import redis

    client = redis.Redis.from_url(redis_server.url)
    try:
        return client.info("stats")["total_commands_processed"]
    finally:
        client.close()


def test_en_samtale_skiftevis_paa_to_rasa_servere_beholder_tilstand_og_raekkefoelge(cluster):
    first, second, tracker_url, redis_server = cluster
    sender = "scale-1"
    commands_before = redis_commands(redis_server)
    sent, instances = [], [first, second]
    replies = say(first, sender, "min mor på 82 i holstebro er faldet og er blevet meget svag")
    sent.append("min mor på 82 i holstebro er faldet og er blevet meget svag")
    assessment = None
    for turn in range(1, 12):
        servers = instances[turn % 2]
        replies, payload = answer_with_a_button(servers, sender, replies)
        sent.append(payload)
        found = [r["custom"]["assessment"] for r in replies if "assessment" in (r.get("custom") or {})]
        if found:
            assessment = found[0]
            break
        assert "?" in texts(replies), texts(replies)
    assert assessment is not None, "no assessment after 12 turns across two servers"
    assert assessment["municipality"]["code"] == "0661"
    assert len(sent) >= 3  # both servers answered at least once

    events = stored_events(tracker_url, sender)
    users = [e["text"] for e in events if e["event"] == "user"]
    assert users == sent  # every message, once, in order
    # Each user message is followed by its own actions and action_listen before the next one.
    kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events]
    for i, kind in enumerate(kinds):
        if kind == "user" and i > 0:
            previous = [k for k in kinds[:i] if k not in ("slot", "bot", "user_featurization")]
            assert previous[-1] == "action_listen", kinds[max(0, i - 6):i + 1]
    state = slots(events)
    assert state["municipality_code"] == "0661" and state["outcome"] == assessment["outcome"]
    assert state["relation"] == "din mor"
    assert redis_commands(redis_server) > commands_before  # the lock store is Redis


def test_handlingsserveren_kraever_token_og_svarer_kun_paa_helbred_uden(cluster):
    first, *_ = cluster
    status, _ = post(f"http://{HOST}:{first.action_port}/webhook", {"next_action": "action_greet", "tracker": {}})
    assert status == 401
    status, _ = post(f"http://{HOST}:{first.action_port}/webhook", b"[]")
    assert status == 401
    from servers import _get

    assert _get(f"http://{HOST}:{first.action_port}/health") == 200
