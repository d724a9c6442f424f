"""`tg records`: the municipality lists, shows, exports, retries and purges; and the chat
conversations in Rasa's own SQL tracker store are deleted one by one or by age."""
import asyncio
import json
import time

import pytest

from records_helpers import draft
from training_guidance.cli import main
from training_guidance.handoff.conversations import delete_conversation, purge_conversations


@pytest.fixture
def env(tmp_path, monkeypatch, record_store, database_url):
    monkeypatch.setenv("TG_DATABASE_URL", database_url)
    monkeypatch.setenv("TG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TG_TRACKER_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("TG_HANDOFF_FOLDER", str(tmp_path / "ud"))
    return tmp_path


def tg(capsys, *args):
    code = main(["records", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def rasa_trackers(url, conversations):
    """Conversations saved by Rasa's own SQLTrackerStore: sender id → timestamp of its events."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(host=url)
    for sender, ts in conversations.items():
        tracker = DialogueStateTracker(sender, [])
        tracker.update(UserUttered("hej", timestamp=ts))
        tracker.update(BotUttered("Hej! Jeg er Træningsguiden.", timestamp=ts + 1))
        asyncio.run(store.save(tracker))
    return store


def test_listen_viser_og_eksporten_giver_posten_som_json(env, record_store, capsys):
    ref = record_store.submit(draft(), "k1", ["folder"]).reference
    code, out, _ = tg(capsys, "list")
    assert code == 0 and ref in out and "Holstebro" in out and "modtaget" in out
    code, out, _ = tg(capsys, "show", ref)
    assert code == 0 and "Borger: Inge Hansen" in out and "Telefon: 20 30 40 50" in out
    assert "Kilde: 002_10e547d715598fc2.txt" in out and "oprettet" in out
    assert "  Alder: 82" in out
    code, out, _ = tg(capsys, "export", ref)
    assert code == 0 and json.loads(out)["reference"] == ref
    code, out, _ = tg(capsys, "export", "--out", str(env / "alle.json"))
    assert [r["reference"] for r in json.loads((env / "alle.json").read_text(encoding="utf-8"))] == [ref]
    trail = record_store.audit_trail(ref)
    assert [e["action"] for e in trail] == ["oprettet", "vist", "eksporteret", "eksporteret"]
    assert all(e["actor"].startswith("cli:") and len(e["actor"]) > 4 for e in trail[1:])  # the OS user


def test_en_ukendt_reference_giver_en_klar_fejl(env, capsys):
    code, _, err = tg(capsys, "show", "TG-2026-999999")
    assert code == 1 and "Ukendt reference: TG-2026-999999" in err


def test_relay_en_gang_overfoerer_og_retry_sender_igen(env, record_store, capsys):
    ref = record_store.submit(draft(), "k1", ["folder"]).reference
    code, out, _ = tg(capsys, "relay", "--once")
    assert code == 0 and "Overført: 1" in out
    assert (env / "ud" / f"{ref}.json").exists()
    code, out, _ = tg(capsys, "retry", ref)
    assert "allerede overført" in out


@pytest.mark.rasa  # writes conversations with Rasa's own tracker store (Python 3.10)
def test_purge_sletter_gamle_samtaler_i_rasas_tracker_store(env, capsys):
    now = time.time()
    url = f"sqlite:///{env / 'tracker.db'}"
    store = rasa_trackers(url, {"gammel": now - 40 * 86400, "ny": now - 3600})
    code, out, _ = tg(capsys, "purge")
    assert code == 0 and "Samtaler ældre end 30 dage: 1 slettet" in out
    assert asyncio.run(store.retrieve("gammel")) is None
    assert asyncio.run(store.retrieve("ny")) is not None


@pytest.mark.rasa  # writes conversations with Rasa's own tracker store (Python 3.10)
def test_en_samtale_kan_slettes_helt(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = rasa_trackers(url, {"slet-mig": time.time(), "behold-mig": time.time()})
    assert delete_conversation("slet-mig", url) == 2
    assert asyncio.run(store.retrieve("slet-mig")) is None
    assert asyncio.run(store.retrieve("behold-mig")) is not None
    assert delete_conversation("findes-ikke", url) == 0


def test_sletning_i_en_tom_database_goer_ingenting(tmp_path):
    url = f"sqlite:///{tmp_path / 'tom.db'}"
    assert delete_conversation("x", url) == 0 and purge_conversations(30, url) == 0


@pytest.mark.rasa  # writes conversations with Rasa's own tracker store (Python 3.10)
def test_relaeet_sletter_gamle_data_en_gang_i_doegnet(env, record_store):
    from training_guidance.handoff.config import HandoffConfig
    from training_guidance.handoff.retention import DailyPurge

    now = time.time()
    store = rasa_trackers(f"sqlite:///{env / 'tracker.db'}", {"gammel": now - 40 * 86400})
    ticks = [0.0]
    job = DailyPurge(record_store, HandoffConfig.from_env(), every_hours=24, clock=lambda: ticks[0])
    assert job().conversations == 1 and asyncio.run(store.retrieve("gammel")) is None
    ticks[0] = 3600.0
    assert job() is None  # not again within the day
    ticks[0] = 25 * 3600.0
    assert job() is not None
    assert DailyPurge(record_store, HandoffConfig.from_env(), every_hours=0)() is None
