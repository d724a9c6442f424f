"""Alembic migrations: an empty database goes to the newest schema, and a database on the previous
schema (0001) keeps its applications, with status history and deliveries carried over."""
import datetime as dt
import json

import sqlalchemy as sa

from training_guidance.handoff.relay import FolderTarget, Relay
from training_guidance.handoff.store import RecordStore


def tables(store):
    return set(sa.inspect(store.engine).get_table_names())


def test_en_tom_database_faar_det_nyeste_skema(database_url):
    store = RecordStore(database_url)
    assert store.revision() is None
    store.migrate()
    assert store.revision() == "0004"
    assert {"applications", "audit_log", "outbox", "status_history", "alembic_version", "staff_sessions",
            "staff_accounts", "unanswered_questions"} <= tables(store)
    store.migrate()  # a second run changes nothing
    assert store.revision() == "0004"
    store.dispose()


def test_det_tidligere_skema_opgraderes_og_beholder_sine_ansoegninger(database_url, tmp_path):
    store = RecordStore(database_url)
    store.migrate("0001")
    at = dt.datetime(2026, 10, 1, 8, 0)
    with store.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO applications (id, reference, idempotency_key, created_at, updated_at, status, "
            "municipality_code, municipality_name, outcome, facts, assessment, deadlines, contact, applicant_role, "
            "consent_version, consent_text, consent_at, channel) VALUES (1, 'TG-2026-000001', 'gammel', :at, :at, "
            "'modtaget', '0615', 'Horsens', 'stk2', :facts, :assessment, '[]', :contact, 'relative', 'v0', "
            "'Samtykketekst fra den gamle version', :at, 'rest')"),
            {"at": at, "facts": json.dumps({"age": 75}), "assessment": json.dumps({"outcome": "stk2", "reasons": []}),
             "contact": json.dumps({"citizen_name": "Ole Jensen", "phone": "30 40 50 60", "call_time": "formiddag"})})
        conn.execute(sa.text("INSERT INTO outbox (application_id, delivered, created_at) VALUES (1, :no, :at)"),
                     {"no": False, "at": at})
    store.migrate()
    assert store.revision() == "0004"
    record = store.get_application("TG-2026-000001")
    assert record["applicant"] == {"role": "relative"}
    assert [h["status"] for h in record["status_history"]] == ["modtaget"]
    assert record["deliveries"] == [{"target": "folder", "state": "pending", "attempts": 0, "delivered_at": None,
                                     "last_error": None}]
    # The carried-over delivery is still made.
    assert Relay(store, {"folder": FolderTarget(tmp_path)}).run_once().delivered == ["TG-2026-000001:folder"]
    assert (tmp_path / "TG-2026-000001.json").exists()
    store.dispose()


def test_nedgradering_til_det_tidligere_skema_og_op_igen_virker(database_url):
    from alembic import command

    from training_guidance.handoff.store import alembic_config

    store = RecordStore(database_url)
    store.migrate()
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert store.revision() == "0001" and "status_history" not in tables(store)
    store.migrate()
    assert store.revision() == "0004"
    store.dispose()
