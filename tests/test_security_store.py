"""Staff sessions and rate limits in the records database (training_guidance/handoff/security.py),
on SQLite and PostgreSQL: random tokens, logout that survives a restart, login back-off per user
name and address that never locks the right password out for good, application limits."""
import pytest
import sqlalchemy as sa

from training_guidance.handoff import security as sec
from training_guidance.handoff.store import RecordStore


@pytest.fixture
def security(database_url, clock):
    store = RecordStore(database_url, clock=clock)
    store.migrate()
    yield sec.SecurityStore(store.engine, clock=clock)
    store.dispose()


def test_migration_0003_opretter_tabellerne_og_kan_rulles_tilbage(database_url):
    from alembic import command

    from training_guidance.handoff.store import alembic_config

    store = RecordStore(database_url)
    store.migrate()
    assert store.revision() == "0004"
    assert {"staff_sessions", "rate_events"} <= set(sa.inspect(store.engine).get_table_names())
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")
    assert store.revision() == "0002" and "staff_sessions" not in sa.inspect(store.engine).get_table_names()
    store.migrate()
    assert store.revision() == "0004"
    store.dispose()


def test_to_logins_i_samme_sekund_faar_forskellige_tilfaeldige_sessioner(security):
    first, second = security.create_session("anna"), security.create_session("anna")
    assert first != second and len(first) >= 40
    assert security.session_user(first) == security.session_user(second) == "anna"
    assert security.session_user("gaet") is None and security.session_user(None) is None


def test_databasen_gemmer_kun_sessionens_hash(security, database_url):
    token = security.create_session("anna")
    with security.engine.connect() as conn:
        stored = [row[0] for row in conn.execute(sa.text("SELECT token_hash FROM staff_sessions"))]
    assert token not in stored and sec.digest(token) in stored


def test_en_logget_ud_session_virker_ikke_igen_heller_ikke_efter_en_genstart(database_url, clock):
    store = RecordStore(database_url, clock=clock)
    store.migrate()
    token = sec.SecurityStore(store.engine, clock=clock).create_session("anna")
    sec.SecurityStore(store.engine, clock=clock).revoke(token)
    store.dispose()
    restarted = RecordStore(database_url, clock=clock)  # a new process: nothing kept in memory
    assert sec.SecurityStore(restarted.engine, clock=clock).session_user(token) is None
    restarted.dispose()


def test_en_session_udloeber_efter_en_arbejdsdag(security, clock):
    token = security.create_session("anna")
    clock.advance(hours=sec.SESSION_HOURS - 0.1)
    assert security.session_user(token) == "anna"
    clock.advance(hours=0.2)
    assert security.session_user(token) is None


def test_fem_forkerte_adgangskoder_giver_en_ventetid_der_vokser_men_har_et_loft(security, clock):
    for _ in range(sec.LOGIN_FREE - 1):
        security.login_failed("anna", "1.2.3.4")
        assert security.login_wait("anna", "1.2.3.4") == 0
    security.login_failed("anna", "1.2.3.4")
    assert security.login_wait("anna", "1.2.3.4") == pytest.approx(sec.LOGIN_BASE_WAIT)
    waits = []
    for _ in range(8):  # the attacker waits each time and tries again
        clock.advance(seconds=security.login_wait("anna", "1.2.3.4"))
        security.login_failed("anna", "1.2.3.4")
        waits.append(security.login_wait("anna", "1.2.3.4"))
    assert waits[:3] == [120.0, 240.0, 480.0] and max(waits) == sec.LOGIN_MAX_WAIT
    clock.advance(seconds=sec.LOGIN_MAX_WAIT)
    assert security.login_wait("anna", "1.2.3.4") == 0  # the right password gets in again


def test_en_angriber_laaser_ikke_personalet_paa_en_anden_adresse_eller_et_andet_brugernavn_ude(security):
    for _ in range(50):
        security.login_failed("anna", "6.6.6.6")
    assert security.login_wait("anna", "6.6.6.6") > 0
    assert security.login_wait("anna", "10.0.0.7") == 0  # the same user at her own desk
    assert security.login_wait("bo", "10.0.0.7") == 0


def test_mange_brugernavne_fra_en_adresse_bremses_ogsaa(security):
    for i in range(sec.LOGIN_ADDRESS_FREE):
        security.login_failed(f"bruger{i}", "6.6.6.6")
    assert security.login_wait("endnu-en", "6.6.6.6") > 0


def test_et_rigtigt_login_nulstiller_brugerens_fejl_fra_adressen(security):
    for _ in range(sec.LOGIN_FREE - 1):
        security.login_failed("anna", "1.2.3.4")
    security.login_succeeded("anna", "1.2.3.4")
    security.login_failed("anna", "1.2.3.4")
    assert security.login_wait("anna", "1.2.3.4") == 0


def test_gamle_fejl_glemmes(security, clock):
    for _ in range(sec.LOGIN_FREE):
        security.login_failed("anna", "1.2.3.4")
    clock.advance(hours=2)
    security.login_failed("anna", "1.2.3.4")
    assert security.login_wait("anna", "1.2.3.4") == 0


def test_ansoegninger_begraenses_pr_samtale_og_pr_adresse(security, clock):
    for _ in range(sec.APPLICATIONS_PER_CONVERSATION):
        assert security.application_allowed("samtale-1", "klient-a")
        security.application_stored("samtale-1", "klient-a")
    assert not security.application_allowed("samtale-1", "klient-b")
    assert security.application_allowed("samtale-2", "klient-a")
    for i in range(sec.APPLICATIONS_PER_ADDRESS - sec.APPLICATIONS_PER_CONVERSATION):
        security.application_stored(f"samtale-x{i}", "klient-a")
    assert not security.application_allowed("samtale-ny", "klient-a")
    assert security.application_allowed("samtale-ny", "klient-c")
    clock.advance(hours=1, minutes=1)
    assert security.application_allowed("samtale-ny", "klient-a")
    assert not security.application_allowed("samtale-1", "klient-c")  # a day per conversation
    clock.advance(days=1)
    assert security.application_allowed("samtale-1", "klient-c")


def test_spandene_navngiver_hverken_bruger_adresse_eller_samtale(security, database_url):
    security.login_failed("anna", "1.2.3.4")
    security.application_stored("borger-samtale-42", "klient")
    with security.engine.connect() as conn:
        buckets = " ".join(row[0] for row in conn.execute(sa.text("SELECT bucket FROM rate_events")))
    assert "anna" not in buckets and "1.2.3.4" not in buckets and "borger-samtale-42" not in buckets


def test_samtalens_hash_er_stabil_og_viser_ikke_id():
    assert sec.conversation_hash("abc") == sec.conversation_hash("abc") != sec.conversation_hash("abd")
    assert "abc" not in sec.conversation_hash("abc") and len(sec.conversation_hash("abc")) == 16


def test_gamle_haendelser_slettes(security, clock):
    security.login_failed("anna", "1.2.3.4")
    clock.advance(days=3)
    security.login_failed("bo", "1.2.3.5")
    with security.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM rate_events")).scalar_one() == 2  # not 4
