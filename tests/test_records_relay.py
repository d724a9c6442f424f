"""The outbox relay: at least once, with backoff, every attempt audited, nothing lost when a
target is down, and a delivery that keeps failing stays visible until it is sent again."""
import datetime as dt
import http.server
import json
import threading

import pytest

from records_helpers import draft
from training_guidance.handoff.config import ConfigError, HandoffConfig
from training_guidance.handoff.relay import FolderTarget, Relay, WebhookTarget, backoff

TOKEN = "hemmelig-test-token"


class Municipality(http.server.BaseHTTPRequestHandler):
    """A municipality's webhook receiver that can be down."""

    def do_POST(self):  # noqa: N802
        server = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.requests.append((self.headers, body))
        if server.down:
            self.send_response(503)
            self.end_headers()
            return
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.send_response(401)
            self.end_headers()
            return
        server.received.append(json.loads(body))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def municipality():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Municipality)
    server.down, server.requests, server.received = False, [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/ansoegninger"
    yield server
    server.shutdown()


def submit(store, key="k", targets=("folder",)):
    return store.submit(draft(), key, list(targets)).reference


def test_mappen_faar_en_json_fil_pr_ansoegning_en_gang(record_store, tmp_path):
    ref = submit(record_store)
    relay = Relay(record_store, {"folder": FolderTarget(tmp_path / "ud")})
    assert relay.run_once().delivered == [f"{ref}:folder"]
    assert not relay.run_once()  # nothing left to do
    files = list((tmp_path / "ud").iterdir())
    assert [f.name for f in files] == [f"{ref}.json"]
    handed = json.loads(files[0].read_text(encoding="utf-8"))
    assert handed["reference"] == ref and handed["contact"]["citizen_name"] == "Inge Hansen"
    assert "deliveries" not in handed
    record = record_store.get_application(ref)
    assert record["status"] == "overført"
    assert [h["status"] for h in record["status_history"]] == ["modtaget", "overført"]


def test_webhook_faar_token_og_idempotensnoegle(record_store, municipality):
    ref = submit(record_store, targets=["webhook"])
    Relay(record_store, {"webhook": WebhookTarget(municipality.url, TOKEN)}).run_once()
    headers, _ = municipality.requests[0]
    assert headers["Authorization"] == f"Bearer {TOKEN}" and headers["Idempotency-Key"] == ref
    assert [r["reference"] for r in municipality.received] == [ref]


def test_et_nede_maal_holder_ansoegningen_ventende_og_leverer_en_gang_naar_det_er_oppe(record_store, municipality, clock):
    ref = submit(record_store, targets=["webhook"])
    relay = Relay(record_store, {"webhook": WebhookTarget(municipality.url, TOKEN)})
    municipality.down = True
    assert relay.run_once().retrying == [f"{ref}:webhook"]
    assert not relay.run_once()  # backoff: not due again yet
    clock.advance(seconds=31)
    assert relay.run_once().retrying == [f"{ref}:webhook"]
    clock.advance(seconds=59)
    assert not relay.run_once()  # the second wait is 60 s
    clock.advance(seconds=2)
    relay.run_once()
    assert len(municipality.requests) == 3 and not municipality.received
    assert record_store.get_application(ref)["status"] == "modtaget"

    municipality.down = False
    clock.advance(minutes=3)
    assert relay.run_once().delivered == [f"{ref}:webhook"]
    clock.advance(hours=5)
    assert not relay.run_once()
    assert [r["reference"] for r in municipality.received] == [ref]  # delivered once
    record = record_store.get_application(ref)
    assert record["status"] == "overført" and record["deliveries"][0]["attempts"] == 4
    attempts = [e for e in record_store.audit_trail(ref) if e["action"] == "leveringsforsøg"]
    assert [a["detail"]["ok"] for a in attempts] == [False, False, False, True]
    assert attempts[0]["detail"]["error"] == "HTTP 503"


def test_en_levering_der_bliver_ved_med_at_fejle_bliver_fejlet_og_kan_sendes_igen(record_store, tmp_path, clock):
    ref = submit(record_store)
    blocked = tmp_path / "ikke-en-mappe"
    blocked.write_text("en fil, hvor mappen skulle være")
    relay = Relay(record_store, {"folder": FolderTarget(blocked)}, max_attempts=3)
    for _ in range(3):
        relay.run_once()
        clock.advance(hours=2)
    assert relay.run_once().failed == [] and record_store.get_application(ref)["status"] == "fejlet"
    assert [r["reference"] for r in record_store.list_applications(status="fejlet")] == [ref]

    blocked.unlink()
    assert record_store.retry(ref) == 1
    assert record_store.get_application(ref)["status"] == "modtaget"
    assert relay.run_once().delivered == [f"{ref}:folder"]
    statuses = [h["status"] for h in record_store.get_application(ref)["status_history"]]
    assert statuses == ["modtaget", "fejlet", "modtaget", "overført"]
    assert record_store.retry(ref) == 0


def test_to_relaeer_paa_samme_tid_leverer_hver_ansoegning_en_gang(record_store, municipality):
    refs = [submit(record_store, key=f"k{i}", targets=["webhook"]) for i in range(12)]
    relays = [Relay(record_store, {"webhook": WebhookTarget(municipality.url, TOKEN)}) for _ in range(2)]
    threads = [threading.Thread(target=r.run_once, kwargs={"limit": 12}) for r in relays]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["reference"] for r in municipality.received) == sorted(refs)


def test_en_webhook_uden_https_afvises_undtagen_paa_loopback():
    with pytest.raises(ValueError):
        WebhookTarget("http://kommune.example/ansoegninger", TOKEN)
    WebhookTarget("https://kommune.example/ansoegninger", TOKEN)
    WebhookTarget("http://127.0.0.1:9/x", TOKEN)


def test_backoff_fordobles_og_stopper_ved_en_time():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_webhook_maalet_kraever_adresse_og_token(monkeypatch):
    monkeypatch.setenv("TG_HANDOFF_TARGETS", "folder webhook")
    with pytest.raises(ConfigError, match="TG_HANDOFF_WEBHOOK_URL"):
        HandoffConfig.from_env()
    monkeypatch.setenv("TG_HANDOFF_WEBHOOK_URL", "https://kommune.example/x")
    monkeypatch.setenv("TG_HANDOFF_WEBHOOK_TOKEN", TOKEN)
    assert HandoffConfig.from_env().targets == ("folder", "webhook")
    monkeypatch.setenv("TG_HANDOFF_TARGETS", "fax")
    with pytest.raises(ConfigError, match="fax"):
        HandoffConfig.from_env()
