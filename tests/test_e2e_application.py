"""Applications end to end: both servers and the outbox relay running, the records in a real
PostgreSQL server. A citizen applies over REST and gets a receipt; the municipality sees the record in
the CLI and as a JSON file; the database goes away at submit and a retry gives one record."""
import json
import os
import subprocess
import time

import pytest
import sqlalchemy as sa

from e2e import ROOT, say, start, texts

pytestmark = [pytest.mark.servers, pytest.mark.timeout(900)]
CPR = "010145-1234"


@pytest.fixture(scope="module")
def database(postgres_server):
    return postgres_server.create_database("tg_e2e_records")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tg-application")


@pytest.fixture(scope="module")
def servers(database, data_dir):
    running = start(data_dir, {"TG_TODAY": "2026-11-23", "TG_DATABASE_URL": database, "TG_RELAY_INTERVAL": "1"})
    yield running
    running.stop()


def tg(database, *args):
    env = dict(os.environ, TG_DATABASE_URL=database)
    return subprocess.run([str(ROOT / ".venv311" / "bin" / "tg"), "records", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def buttons(replies):
    return {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}


def apply_until_summary(servers, sender, name="Inge Hansen"):
    """A citizen in Holstebro asks to apply and answers every question; returns the summary turn."""
    say(servers, sender, "jeg bor i holstebro")
    notice = say(servers, sender, "jeg vil gerne sende en ansøgning")
    assert "Holstebro Kommune er dataansvarlig" in texts(notice)
    asked = say(servers, sender, buttons(notice)["Ja, det må I"])
    if "Søger du for dig selv" in texts(asked):  # skipped when the conversation knows who writes
        asked = say(servers, sender, "for mig selv")
    assert "Hvad er dit fulde navn?" in texts(asked)
    say(servers, sender, name)
    say(servers, sender, "20 30 40 50")
    say(servers, sender, "spring over")
    say(servers, sender, "Søndergade 12, 7500 Holstebro")
    summary = say(servers, sender, "formiddag")
    assert "Her er ansøgningen til Holstebro Kommune" in texts(summary)
    return summary


def test_en_borger_soeger_og_faar_en_kvittering_som_kommunen_kan_se_og_eksportere(servers, database, data_dir):
    summary = apply_until_summary(servers, "ansoeger-1")
    receipt = say(servers, "ansoeger-1", buttons(summary)["Send ansøgningen"])
    text = texts(receipt)
    assert "Dit referencenummer er TG-2026-" in text and "9611 4800" in text
    assert "senest mandag den 30. november 2026" in text
    reference = next(r["custom"]["receipt"]["reference"] for r in receipt if r.get("custom"))

    shown = tg(database, "show", reference)
    assert shown.returncode == 0 and "Borger: Inge Hansen" in shown.stdout and "Telefon: 20 30 40 50" in shown.stdout
    exported = json.loads(tg(database, "export", reference).stdout)
    assert exported["reference"] == reference and exported["contact"]["address"] == "Søndergade 12, 7500 Holstebro"

    delivered = data_dir / "ansoegninger" / f"{reference}.json"
    for _ in range(30):  # the relay runs every second
        if delivered.exists():
            break
        time.sleep(0.5)
    assert json.loads(delivered.read_text(encoding="utf-8"))["reference"] == reference
    for _ in range(20):
        if tg(database, "list", "--status", "overført").stdout.count(reference):
            break
        time.sleep(0.5)
    assert reference in tg(database, "list", "--status", "overført").stdout


def test_efter_en_lang_samtale_kan_borgeren_stadig_soege(servers, database, data_dir):
    """Rasa loads only the recent events of a long conversation; the application's own events, from
    which the action server proves consent, are kept from the turn the application started."""
    for i in range(60):
        assert texts(say(servers, "ansoeger-lang", ["hvad koster kørsel?", "tak for hjælpen"][i % 2])).strip()
    summary = apply_until_summary(servers, "ansoeger-lang", name="Lang Samtale")
    receipt = say(servers, "ansoeger-lang", buttons(summary)["Send ansøgningen"])
    assert "Dit referencenummer er TG-2026-" in texts(receipt)


def test_databasen_er_vaek_ved_indsendelsen_ingen_kvittering_og_et_nyt_forsoeg_giver_en_post(
        servers, database, postgres_server):
    before = sa.create_engine(database)
    with before.connect() as c:
        count = c.execute(sa.text("SELECT count(*) FROM applications")).scalar_one()
    before.dispose()

    summary = apply_until_summary(servers, "ansoeger-2", name="Ole Jensen")
    postgres_server.halt()
    try:
        failed = say(servers, "ansoeger-2", buttons(summary)["Send ansøgningen"])
    finally:
        postgres_server.start()
    text = texts(failed)
    assert "Det lykkedes ikke at sende ansøgningen" in text and "referencenummer" not in text
    assert "9611 4800" in text

    receipt = say(servers, "ansoeger-2", buttons(failed)["Prøv at sende igen"])
    assert "Dit referencenummer er TG-2026-" in texts(receipt)
    again = say(servers, "ansoeger-2", buttons(failed)["Prøv at sende igen"])  # a second click
    assert texts(again) == texts(receipt)
    engine = sa.create_engine(database)
    with engine.connect() as c:
        rows = c.execute(sa.text("SELECT contact FROM applications")).all()
    engine.dispose()
    assert len(rows) == count + 1
    assert sum("Ole Jensen" in json.dumps(r[0]) for r in rows) == 1


def test_et_cpr_nummer_i_ansoegningen_findes_hverken_i_posten_eller_i_samtalen(servers, database, data_dir):
    say(servers, "ansoeger-3", "jeg bor i holstebro")
    say(servers, "ansoeger-3", "jeg vil gerne sende en ansøgning")
    asked = say(servers, "ansoeger-3", "ja")
    if "Søger du for dig selv" in texts(asked):
        say(servers, "ansoeger-3", "for mig selv")
    warned = say(servers, "ansoeger-3", f"Inge Hansen {CPR}")
    assert "CPR-nummer" in texts(warned)
    for answer in ("Inge Hansen", f"mit nummer er 20 30 40 50 og cpr {CPR}", "20 30 40 50", "spring over",
                   "spring over", "eftermiddag", '/inform{"answer": "send"}'):
        last = say(servers, "ansoeger-3", answer)
    assert "referencenummer" in texts(last)

    stored = b"".join(p.read_bytes() for p in data_dir.glob("tracker.db*"))  # the -wal file too
    assert CPR.encode() not in stored
    assert CPR.replace("-", "").encode() not in stored
    engine = sa.create_engine(database)
    with engine.connect() as c:
        dump = json.dumps([[str(v) for v in row] for table in ("applications", "audit_log", "outbox", "status_history")
                           for row in c.execute(sa.text(f"SELECT * FROM {table}"))])
    engine.dispose()
    assert "Inge Hansen" in dump and "010145" not in dump
