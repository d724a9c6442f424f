"""Personal staff accounts (training_guidance/handoff/accounts.py) on SQLite and PostgreSQL: argon2
hashes, roles and municipalities, single sign-on accounts, disabling; `tg staff`; what a staff
member may see with and without a municipalities file; `tg records --by` and the audit log."""
import io
import json

import pytest
import sqlalchemy as sa

from records_helpers import draft
from training_guidance.cli import main
from training_guidance.handoff import accounts as acc
from training_guidance.handoff.config import HandoffConfig
from training_guidance.handoff.security import SecurityStore

PASSWORD = "en-lang-adgangskode"


def cheap_hasher():
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def accounts(record_store, clock):
    return acc.AccountStore(record_store.engine, clock=clock, hasher=cheap_hasher())


def test_en_konto_gemmer_kun_en_argon2id_hash_og_kender_kun_sin_egen_adgangskode(accounts, record_store):
    accounts.add("anne", "sagsbehandler", ["0661"], PASSWORD, by="test")
    with record_store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM staff_accounts WHERE name = 'anne'")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    member = accounts.authenticate("anne", PASSWORD)
    assert member == acc.StaffMember("anne", "sagsbehandler", ("0661",))
    assert member.actor == "personale:anne"
    assert accounts.authenticate("anne", PASSWORD + "x") is None
    assert accounts.authenticate("ukendt", PASSWORD) is None
    assert accounts.list()[0]["last_login_at"] == "2026-11-23T10:00:00+00:00"


def test_standardparametrene_er_argon2id_med_mindst_64_mib():
    hasher = acc.password_hasher()
    assert hasher.type.name == "ID" and hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 2


def test_en_svag_hash_skiftes_til_den_staerke_ved_naeste_login(record_store, clock):
    weak = acc.AccountStore(record_store.engine, clock=clock, hasher=cheap_hasher())
    weak.add("anne", "sagsbehandler", ["0661"], PASSWORD, by="test")
    from argon2 import PasswordHasher

    stronger = acc.AccountStore(record_store.engine, clock=clock,
                                hasher=PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.authenticate("anne", PASSWORD)
    with record_store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM staff_accounts WHERE name = 'anne'")).scalar_one()
    assert "m=2048,t=2" in stored


def test_forkerte_oplysninger_afvises_med_en_dansk_forklaring(accounts):
    with pytest.raises(acc.AccountError, match="mindst 12 tegn"):
        accounts.add("anne", "sagsbehandler", ["0661"], "kort", by="test")
    with pytest.raises(acc.AccountError, match="Ukendt rolle"):
        accounts.add("anne", "chef", ["0661"], PASSWORD, by="test")
    with pytest.raises(acc.AccountError, match="kommunekode"):
        accounts.add("anne", "sagsbehandler", ["661x"], PASSWORD, by="test")
    with pytest.raises(acc.AccountError, match="Brugernavnet"):
        accounts.add("anne hansen", "sagsbehandler", ["0661"], PASSWORD, by="test")
    accounts.add("anne", "sagsbehandler", ["0661"], PASSWORD, by="test")
    with pytest.raises(acc.AccountError, match="findes allerede"):
        accounts.add("anne", "sagsbehandler", ["0615"], PASSWORD, by="test")
    updated = accounts.add("anne", "indholdsansvarlig", ["0615", "0661", "0615"], PASSWORD + "2", by="test",
                           update_existing=True)
    assert updated.role == "indholdsansvarlig" and updated.municipalities == ("0615", "0661")
    assert accounts.add("bo", "borgerservice", ["alle"], PASSWORD, by="test").municipalities == ("*",)


def test_en_spaerret_konto_kan_ikke_logge_ind_og_dens_sessioner_slutter_med_det_samme(accounts, record_store, clock):
    accounts.add("anne", "sagsbehandler", ["0661"], PASSWORD, by="test")
    sessions = SecurityStore(record_store.engine, clock=clock)
    token = sessions.create_session("anne")
    accounts.set_enabled("anne", False)
    assert accounts.authenticate("anne", PASSWORD) is None
    assert accounts.member("anne") is None and sessions.session_user(token) is None
    accounts.set_enabled("anne", True)
    assert accounts.authenticate("anne", PASSWORD) is not None
    assert sessions.session_user(token) is None  # a revoked session stays revoked


def test_single_sign_on_skriver_kontoen_fra_kravene_ved_hvert_login(accounts):
    first = accounts.sso_login("https://login.example", "sub-1", "anne@holstebro.dk", "sagsbehandler", ["0661"])
    assert first.source == "https://login.example" and first.municipalities == ("0661",)
    again = accounts.sso_login("https://login.example", "sub-1", "anne@holstebro.dk", "indholdsansvarlig",
                               ["0661", "0615"])
    assert again.role == "indholdsansvarlig" and again.municipalities == ("0615", "0661")
    assert len(accounts.list()) == 1 and accounts.list()[0]["source"] == "https://login.example"
    assert accounts.authenticate("anne@holstebro.dk", "") is None  # no password to guess
    with pytest.raises(acc.AccountError, match="single sign-on"):
        accounts.set_password("anne@holstebro.dk", PASSWORD)
    accounts.set_enabled("anne@holstebro.dk", False)
    with pytest.raises(acc.AccountError, match="spærret"):
        accounts.sso_login("https://login.example", "sub-1", "anne@holstebro.dk", "sagsbehandler", ["0661"])
    accounts.add("bo", "sagsbehandler", ["0661"], PASSWORD, by="test")
    with pytest.raises(acc.AccountError, match="findes allerede"):  # another person may not take over "bo"
        accounts.sso_login("https://login.example", "sub-2", "bo", "sagsbehandler", ["0661"])


def two_municipalities(tmp_path, staff_0661="[anne, bo]"):
    path = tmp_path / "kommuner.yml"
    path.write_text(f"""
municipalities:
  "0661": {{name: Holstebro, folder: ud/0661, staff: {staff_0661}}}
  "0615": {{name: Horsens, folder: ud/0615}}
""", encoding="utf-8")
    return HandoffConfig.from_env({"TG_MUNICIPALITIES_FILE": str(path), "TG_DATA_DIR": str(tmp_path)})


def test_kontoen_og_kommunefilen_skal_begge_give_adgang(tmp_path):
    config = two_municipalities(tmp_path)
    anne = acc.StaffMember("anne", "sagsbehandler", ("0661", "0615"))
    assert acc.visible_codes(anne, config) == {"0661", "0615"}  # 0615 lists no staff: the account decides
    carl = acc.StaffMember("carl", "sagsbehandler", ("0661", "0615"))
    assert acc.visible_codes(carl, config) == {"0615"}  # 0661 lists its staff, and carl is not among them
    everywhere = acc.StaffMember("bo", "sagsbehandler", ("*",))
    assert acc.visible_codes(everywhere, config) == {"0661", "0615"}  # never a municipality the file lacks
    assert acc.may_see(anne, config, "0615") and not acc.may_see(carl, config, "0661")
    assert not acc.may_see(anne, config, "0163") and not acc.may_see(anne, config, None)
    single = HandoffConfig.from_env({"TG_DATA_DIR": str(tmp_path)})
    assert acc.visible_codes(anne, single) == {"0661", "0615"} and acc.visible_codes(everywhere, single) is None


# --- tg staff and tg records --by --------------------------------------------------------------------
@pytest.fixture
def env(tmp_path, monkeypatch, record_store, database_url):
    monkeypatch.setenv("TG_DATABASE_URL", database_url)
    monkeypatch.setenv("TG_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(acc, "password_hasher", cheap_hasher)
    return tmp_path


def tg(capsys, monkeypatch, *args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_tg_staff_opretter_lister_spaerrer_og_skifter_adgangskode(env, capsys, monkeypatch, record_store):
    code, out, _ = tg(capsys, monkeypatch, "staff", "add", "anne", "--role", "sagsbehandler", "--kommune", "0661",
                      "--kommune", "0615", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "anne" in out and "0615, 0661" in out
    code, _, err = tg(capsys, monkeypatch, "staff", "add", "anne", "--role", "sagsbehandler", "--kommune", "0661",
                      "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2 and "findes allerede" in err
    code, _, err = tg(capsys, monkeypatch, "staff", "add", "bo", "--role", "borgerservice", "--kommune", "0661",
                      "--password-stdin", stdin="kort\n")
    assert code == 2 and "mindst 12 tegn" in err
    code, out, _ = tg(capsys, monkeypatch, "staff", "passwd", "anne", "--password-stdin", stdin="et-helt-nyt-kodeord\n")
    assert code == 0
    store = acc.AccountStore(record_store.engine, hasher=cheap_hasher())
    assert store.authenticate("anne", "et-helt-nyt-kodeord") and not store.authenticate("anne", PASSWORD)
    code, out, _ = tg(capsys, monkeypatch, "staff", "disable", "anne")
    assert code == 0 and "spærret" in out
    code, out, _ = tg(capsys, monkeypatch, "staff", "list")
    assert "anne" in out and "spærret" in out and "sagsbehandler" in out and "lokal" in out
    actions = [e["action"] for e in record_store_audit(record_store)]
    assert actions == ["konto_oprettet", "adgangskode_skiftet", "konto_spærret"]


def record_store_audit(record_store):
    with record_store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, actor FROM audit_log WHERE reference IS NULL ORDER BY id")).all()
    return [{"action": a, "actor": b} for a, b in rows]


def test_tg_records_by_viser_kun_kontoens_kommuner_og_logger_personalets_id(env, capsys, monkeypatch, record_store):
    holstebro = record_store.submit(draft("0661"), "k1", ["folder"]).reference
    horsens = record_store.submit(draft("0615"), "k2", ["folder"]).reference
    acc.AccountStore(record_store.engine, hasher=cheap_hasher()).add("bo", "sagsbehandler", ["0615"], PASSWORD, by="t")
    code, out, _ = tg(capsys, monkeypatch, "records", "list", "--by", "bo")
    assert code == 0 and horsens in out and holstebro not in out
    code, _, err = tg(capsys, monkeypatch, "records", "show", holstebro, "--by", "bo")
    assert code == 1 and "Ukendt reference" in err  # as if it did not exist
    code, out, _ = tg(capsys, monkeypatch, "records", "show", horsens, "--by", "bo")
    assert code == 0 and "Horsens" in out
    code, out, _ = tg(capsys, monkeypatch, "records", "export", "--by", "bo")
    assert [r["reference"] for r in json.loads(out)] == [horsens]
    code, _, err = tg(capsys, monkeypatch, "records", "export", holstebro, "--by", "bo")
    assert code == 1
    code, _, err = tg(capsys, monkeypatch, "records", "list", "--by", "ukendt")
    assert code == 2 and "ingen aktiv personalekonto" in err
    trail = record_store.audit_trail(horsens)
    assert [(e["action"], e["actor"]) for e in trail[1:]] == [("vist", "personale:bo"), ("eksporteret", "personale:bo")]
    assert record_store.audit_trail(holstebro)[1:] == []  # refused views leave nothing behind
    listed = [e for e in record_store_audit(record_store) if e["action"] == "liste_vist"]
    assert listed == [{"action": "liste_vist", "actor": "personale:bo"}]


def test_udviklingskontoen_laves_og_opdateres_ved_start_men_aldrig_i_produktion(record_store, monkeypatch):
    monkeypatch.setattr(acc, "password_hasher", cheap_hasher)
    acc.ensure_development_account(record_store.url, "personale", "foerste-koerslens-kode", {})
    acc.ensure_development_account(record_store.url, "personale", "anden-koerslens-kode", {})
    store = acc.AccountStore(record_store.engine, hasher=cheap_hasher())
    assert store.authenticate("personale", "anden-koerslens-kode").municipalities == ("*",)
    assert store.authenticate("personale", "foerste-koerslens-kode") is None
    with pytest.raises(acc.AccountError, match="produktion"):
        acc.ensure_development_account(record_store.url, "personale", "tredje-koerslens-kode", {"TG_ENV": "production"})
