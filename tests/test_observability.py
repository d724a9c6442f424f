"""Metrics, JSON log lines, the relay's heartbeat and readiness, and the web server's production
settings (bind address, trusted proxies, a required secret)."""
import io
import json
import logging

import pytest

from training_guidance import health, metrics
from training_guidance.logging_json import configure
from training_guidance.settings import get_settings


def value(name, **labels):
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_dialogkernen_kan_taelle_vurderinger_og_spoergsmaal_pr_kommune():
    before = value("tg_assessments_total", outcome="stk1", municipality="0661")
    metrics.assessment("stk1", "0661")
    assert value("tg_assessments_total", outcome="stk1", municipality="0661") == before + 1
    found, missing = (value("tg_questions_total", result=r, municipality="0615") for r in ("answered", "not_found"))
    metrics.question(found=True, code="0615")
    metrics.question(found=False, code="0615")
    assert value("tg_questions_total", result="answered", municipality="0615") == found + 1
    assert value("tg_questions_total", result="not_found", municipality="0615") == missing + 1


def test_etiketter_kan_ikke_baere_fritekst_eller_personoplysninger():
    metrics.assessment("Min mor hedder Inge", "010145-1234")
    metrics.question(found=False, code=None)
    body, content_type = metrics.exposition()
    assert content_type.startswith("text/plain")
    assert b"Inge" not in body and b"010145-1234" not in body
    # Every label value of every sample (a number such as a timestamp may contain any digits)
    from prometheus_client.parser import text_string_to_metric_families

    labels = {v for family in text_string_to_metric_families(body.decode()) for sample in family.samples
              for v in sample.labels.values()}
    assert not any("Inge" in v or "010145" in v for v in labels), labels
    assert value("tg_assessments_total", outcome="ukendt", municipality="ukendt") >= 1


def test_leveringer_og_ventetid_taelles():
    metrics.delivery("webhook", ok=False, gave_up=True)
    assert value("tg_deliveries_failed_total", target="webhook") >= 1
    with metrics.timed("web", "citizen_message"):
        pass
    assert value("tg_request_seconds_count", server="web", route="citizen_message") >= 1


def test_udbakkens_koe_vises_fra_registret_og_en_nede_database_giver_ingen_fejl_i_skrabet():
    metrics.watch_outbox("test", lambda: {"pending": 3, "failed": 1, "oldest_pending_seconds": 42.0})
    assert value("tg_outbox_pending") == 3 and value("tg_outbox_failed") == 1 and value("tg_records_store_up") == 1

    def away():
        raise ConnectionError("database away")

    metrics.watch_outbox("test", away)
    assert value("tg_records_store_up") == 0 and value("tg_outbox_pending") == 0


def test_loglinjer_er_json_uden_cpr_og_uden_fejlens_tekst():
    stream = io.StringIO()
    configure("relay", stream=stream, env={})
    log = logging.getLogger("training_guidance.test")
    log.info("delivered %s", "TG-2026-000001", extra={"target": "folder", "noget_andet": "nej"})
    try:
        raise ValueError("INSERT failed for Inge Hansen 010145-1234")
    except ValueError:
        log.exception("could not store")
    log.warning("a number 010145-1234 slipped in")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["event"] == "delivered TG-2026-000001" and lines[0]["target"] == "folder"
    assert "noget_andet" not in lines[0] and lines[0]["component"] == "relay"
    assert lines[1]["error"] == "ValueError" and "Inge" not in json.dumps(lines[1])
    assert "010145" not in stream.getvalue()
    configure("relay", stream=io.StringIO(), env={"TG_LOG_FORMAT": "text"})
    assert not isinstance(logging.getLogger().handlers[0].formatter, type(None))
    logging.getLogger().handlers.clear()


def test_relaeets_hjerteslag_i_en_fil_uden_redis_og_hvornaar_det_er_for_gammelt(tmp_path):
    settings = get_settings({"TG_DATA_DIR": str(tmp_path), "TG_RELAY_INTERVAL": "2"})
    check = health.relay_check(settings)
    assert check() == "relay: no heartbeat yet"
    health.write_heartbeat(settings, now=1000.0)
    assert health.heartbeat_age(settings, now=1010.0) == pytest.approx(10.0)
    assert (tmp_path / "relay.heartbeat").exists()
    health.write_heartbeat(settings)
    assert check() is None
    health.write_heartbeat(settings, now=0.0)
    assert check().startswith("relay: last round")


def test_parathed_navngiver_det_der_fejler(tmp_path):
    status, body = health.ready_body({
        "database": health.database_check(f"sqlite:///{tmp_path / 'records.db'}"),
        "rasa": health.http_check("rasa", "http://127.0.0.1:9/"),
    })
    assert status == 503 and body["checks"]["database"] == "ok"
    assert body["checks"]["rasa"].startswith("rasa: ")


def test_handlingsserverens_health_findes_fra_dens_webhook_adresse():
    settings = get_settings({"TG_ACTION_URL": "http://actions.internal:5055/webhook"})
    assert health.action_health_url(settings) == "http://actions.internal:5055/health"
    assert health.action_health_url(get_settings({"TG_ACTION_PORT": "6055"})) == "http://127.0.0.1:6055/health"


def test_webserveren_i_produktion_kraever_en_lang_faelles_noegle_og_kan_binde_og_stole_paa_proxyen():
    from webapp.config import ConfigError, WebConfig

    base = {"TG_ENV": "production", "TG_STAFF_USER": "anna", "TG_STAFF_PASSWORD": "x" * 20,
            "TG_CHANNEL_SECRET": "c" * 40}
    with pytest.raises(ConfigError, match="TG_WEB_SECRET"):
        WebConfig.from_env(dict(base))
    with pytest.raises(ConfigError, match="TG_WEB_SECRET"):
        WebConfig.from_env(dict(base, TG_WEB_SECRET="kort"))
    config = WebConfig.from_env(dict(base, TG_WEB_SECRET="s" * 40, TG_WEB_HOST="10.0.0.7",
                                     TG_PROXIES_COUNT="1", TG_FORWARDED_SECRET="proxy-hemmelighed"))
    assert config.host == "10.0.0.7" and config.proxies_count == 1 and config.forwarded_secret == "proxy-hemmelighed"
    assert WebConfig.from_env({}).host == "127.0.0.1"  # development: loopback

    from webapp.server import create_app

    app = create_app(config, security=object())  # no records database needed to read the routes
    assert app.config.PROXIES_COUNT == 1 and app.config.FORWARDED_SECRET == "proxy-hemmelighed"
    assert {"/health", "/ready", "/metrics", "/sundhed"} <= {f"/{r.path}" for r in app.router.routes}
