"""Several municipalities in one deployment: one file (TG_MUNICIPALITIES_FILE) gives each
kommunekode its own targets, retention and staff; the relay never sends an application to another
municipality's target, and each municipality's periods are the ones applied."""
import asyncio
import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml

from records_helpers import draft
from test_records_relay import TOKEN, municipality  # noqa: F401 - the webhook receiver fixture
from training_guidance.handoff.config import ConfigError, HandoffConfig
from training_guidance.handoff.relay import Relay, outbox_backlog, targets_from_config
from training_guidance.handoff.retention import purge_all, purge_conversations_by_municipality

ROOT = Path(__file__).resolve().parents[1]
HOLSTEBRO, HORSENS, HERLEV = "0661", "0615", "0163"


def write(tmp_path, text):
    path = tmp_path / "municipalities.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def two_municipalities(tmp_path, webhook_url):
    """Holstebro to a folder, Horsens to a webhook whose token is in the environment."""
    return write(tmp_path, f"""
        defaults: {{record_retention_days: 120, chat_retention_days: 45}}
        municipalities:
          "{HOLSTEBRO}":
            name: Holstebro
            folder: ud/holstebro
            record_retention_days: 90
            chat_retention_days: 30
            staff: [anne]
          "{HORSENS}":
            name: Horsens
            webhook: {{url: "{webhook_url}", token_env: TG_WEBHOOK_TOKEN_0615}}
            record_retention_days: 60
            chat_retention_days: 14
            staff: [bo, anne]
        """)


def config_for(tmp_path, path, **extra):
    env = {"TG_DATA_DIR": str(tmp_path), "TG_MUNICIPALITIES_FILE": str(path), **extra}
    return HandoffConfig.from_env(env)


def submit(store, config, code, key):
    """As the assistant submits: with the targets its municipality has."""
    return store.submit(draft(code=code), key, config.for_municipality(code).targets).reference


def test_eksempelfilen_i_deploy_er_gyldig_og_kender_hver_kommunekode(tmp_path):
    config = config_for(tmp_path, ROOT / "deploy" / "municipalities.yml")
    raw = yaml.safe_load((ROOT / "knowledge" / "municipalities.yml").read_text(encoding="utf-8"))
    known = {m["code"] for m in raw["municipalities"]}
    assert config.municipalities and config.municipalities <= known
    assert config.for_municipality(HORSENS).record_retention_days == 60
    assert config.for_municipality(HOLSTEBRO).folder == tmp_path / "ansoegninger" / HOLSTEBRO


@pytest.mark.parametrize("body, words", [
    ('municipalities: {"661": {folder: ud}}', "municipalities"),
    ('municipalities: {"0661": {name: Holstebro}}', "give the municipality a target"),
    ('municipalities: {"0661": {folder: ud, farve: blå}}', "farve"),
    ('municipalities: {"0661": {webhook: {url: "http://sag.holstebro.dk/x", token_env: TG_T}}}', "https"),
    ('municipalities: {"0661": {webhook: {url: "https://sag.holstebro.dk/x", token: hemmelig}}}', "token"),
    ('municipalities: {"0661": {webhook: {url: "https://sag.holstebro.dk/x", token_env: HOME}}}', "token_env"),
    ('municipalities: {"0661": {folder: ud, record_retention_days: 0}}', "record_retention_days"),
    ('municipalities: {}', "at least one"),
    ('municipalities: [0661', "YAML"),
])
def test_en_forkert_fil_afvises_med_sti_felt_og_grund(tmp_path, body, words):
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        config_for(tmp_path, path)
    assert str(path) in str(err.value) and words in str(err.value)


def test_et_webhook_token_laeses_fra_den_navngivne_variabel_og_skal_vaere_sat(tmp_path):
    path = two_municipalities(tmp_path, "https://sag.horsens.dk/ind")
    with pytest.raises(ConfigError, match="TG_WEBHOOK_TOKEN_0615 is not set"):
        config_for(tmp_path, path)
    config = config_for(tmp_path, path, TG_WEBHOOK_TOKEN_0615=TOKEN)
    assert config.for_municipality(HORSENS).webhook_token == TOKEN
    assert TOKEN not in path.read_text()


def test_relaeet_leverer_hver_ansoegning_kun_til_sin_egen_kommunes_maal(tmp_path, record_store, municipality):  # noqa: F811
    config = config_for(tmp_path, two_municipalities(tmp_path, municipality.url), TG_WEBHOOK_TOKEN_0615=TOKEN)
    assert config.municipalities == {HOLSTEBRO, HORSENS}
    assert config.for_municipality(HOLSTEBRO).targets == ("folder",)
    assert config.for_municipality(HORSENS).targets == ("webhook",)
    holstebro = [submit(record_store, config, HOLSTEBRO, f"h{i}") for i in range(2)]
    horsens = [submit(record_store, config, HORSENS, f"s{i}") for i in range(2)]
    # An application of a municipality not in the file (e.g. made before it was removed) goes nowhere.
    stray = record_store.submit(draft(code=HERLEV), "herlev", ["folder"]).reference

    report = Relay(record_store, targets_from_config(config)).run_once()

    assert sorted(report.delivered) == sorted([f"{r}:folder" for r in holstebro] + [f"{r}:webhook" for r in horsens])
    folder = tmp_path / "ud" / "holstebro"
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(holstebro)
    assert {r["reference"] for r in municipality.received} == set(horsens)
    assert {r["municipality_code"] for r in municipality.received} == {HORSENS}
    assert report.retrying == [f"{stray}:folder"]
    trail = record_store.audit_trail(stray)
    assert "kommune 0163" in trail[-1]["detail"]["error"]
    assert not list(tmp_path.rglob(f"{stray}.json"))
    assert outbox_backlog(record_store)["pending"] == 1


def test_hver_kommune_faar_sine_egne_slettefrister(tmp_path, record_store, clock, municipality):  # noqa: F811
    config = config_for(tmp_path, two_municipalities(tmp_path, municipality.url), TG_WEBHOOK_TOKEN_0615=TOKEN)
    holstebro, horsens = submit(record_store, config, HOLSTEBRO, "h"), submit(record_store, config, HORSENS, "s")
    other = record_store.submit(draft(code=HERLEV), "herlev", ["folder"]).reference
    Relay(record_store, targets_from_config(config)).run_once()
    clock.advance(days=70)  # past Horsens' 60 days, within Holstebro's 90 and the default 120
    done = purge_all(record_store, config.record_retention_days, config.chat_retention_days,
                     tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}", config=config)
    assert done.records["deleted"] == [horsens]
    assert record_store.get_application(holstebro) and record_store.get_application(other)
    clock.advance(days=25)  # 95 days: Holstebro's too
    done = purge_all(record_store, config.record_retention_days, config.chat_retention_days,
                     tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}", config=config)
    assert done.records == {"deleted": [holstebro], "kept_undelivered": []}
    clock.advance(days=30)  # 125 days: past the default; Herlev's was never delivered, so it is kept
    done = purge_all(record_store, config.record_retention_days, config.chat_retention_days,
                     tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}", config=config)
    assert done.records == {"deleted": [], "kept_undelivered": [other]}


def rasa_conversation(store, sender, ts, code=None):
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("hej", timestamp=ts))
    if code:
        tracker.update(SlotSet("municipality_code", code, timestamp=ts))
    asyncio.run(store.save(tracker))


@pytest.mark.rasa  # writes conversations with Rasa's own tracker store (Python 3.10)
def test_samtaler_slettes_efter_den_kommunes_frist_de_sidst_naevnte(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = SQLTrackerStore(host=url)
    now = dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc).timestamp()
    day = 86400
    rasa_conversation(store, "horsens-20", now - 20 * day, HORSENS)      # > 14: deleted
    rasa_conversation(store, "holstebro-20", now - 20 * day, HOLSTEBRO)  # < 30: kept
    rasa_conversation(store, "holstebro-40", now - 40 * day, HOLSTEBRO)  # > 30: deleted
    rasa_conversation(store, "ingen-40", now - 40 * day)                 # default 45: kept
    rasa_conversation(store, "ingen-50", now - 50 * day)                 # > 45: deleted
    deleted = purge_conversations_by_municipality(url, {HORSENS: 14, HOLSTEBRO: 30}, 45, now=now)
    assert deleted == 3
    left = {s for s in ("horsens-20", "holstebro-20", "holstebro-40", "ingen-40", "ingen-50")
            if asyncio.run(store.retrieve(s)) is not None}
    assert left == {"holstebro-20", "ingen-40"}


def test_personalet_ser_kun_de_kommuner_filen_giver_dem(tmp_path):
    config = config_for(tmp_path, two_municipalities(tmp_path, "https://sag.horsens.dk/ind"),
                        TG_WEBHOOK_TOKEN_0615=TOKEN)
    assert config.visible_codes("anne") == {HOLSTEBRO, HORSENS}
    assert config.visible_codes("bo") == {HORSENS}
    assert config.visible_codes("ukendt") == frozenset()
    assert config.staff_may_see("bo", HORSENS) and not config.staff_may_see("bo", HOLSTEBRO)
    assert not config.staff_may_see("anne", HERLEV)
    single = HandoffConfig.from_env({"TG_DATA_DIR": str(tmp_path)})
    assert single.visible_codes("hvem-som-helst") is None and single.staff_may_see("x", HERLEV)


def test_uden_fil_gaelder_de_fælles_indstillinger_for_alle(tmp_path):
    config = HandoffConfig.from_env({"TG_DATA_DIR": str(tmp_path), "TG_RECORD_RETENTION_DAYS": "50"})
    assert config.for_municipality(HOLSTEBRO) is config
    assert config.targets == ("folder",) and config.record_retention_days == 50 and not config.by_code


def test_filen_laeses_en_gang_pr_udgave_og_igen_naar_den_aendres(tmp_path):
    """Every message's action asks for the file: it is parsed once per version, and an edited file
    (or one that became broken) counts at once."""
    from training_guidance.handoff.config import load_municipalities_file

    path = write(tmp_path, f"""
        municipalities:
          "{HOLSTEBRO}": {{name: Holstebro, folder: ud/holstebro}}
        """)
    first = load_municipalities_file(path)
    assert load_municipalities_file(path) is first  # not parsed again
    write(tmp_path, f"""
        municipalities:
          "{HOLSTEBRO}": {{name: Holstebro, folder: ud/holstebro}}
          "{HORSENS}": {{name: Horsens, folder: ud/horsens}}
        """)
    assert set(load_municipalities_file(path).municipalities) == {HOLSTEBRO, HORSENS}
    write(tmp_path, "municipalities: [ikke, en, tabel\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="not valid YAML"):
            load_municipalities_file(path)
