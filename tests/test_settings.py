"""One settings module: it alone reads the environment, and the documented table is its own."""
import ast
import datetime as dt
from pathlib import Path

import pytest

from training_guidance import clock
from training_guidance.settings import DOC_HEADER, SettingsError, configuration_table, get_settings

ROOT = Path(__file__).resolve().parents[1]
OUR_CODE = ["training_guidance", "bot", "webapp", "rasa_sdk_plugins", "scripts"]


def _reads_environment(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv") for a in node.names):
            return True
    return False


def test_kun_indstillingsmodulet_laeser_miljoeet():
    readers = [str(p.relative_to(ROOT)) for folder in OUR_CODE for p in (ROOT / folder).rglob("*.py")
               if _reads_environment(p)]
    assert readers == ["training_guidance/settings.py"]


def test_konfigurationstabellen_i_docs_er_genereret_fra_indstillingerne():
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == DOC_HEADER + configuration_table(), \
        "run: .venv311/bin/python -m training_guidance.settings > docs/configuration.md"


def test_tomme_variabler_taeller_som_ikke_sat_og_standarderne_gaelder():
    settings = get_settings({"TG_DATABASE_URL": "", "TG_RECORD_RETENTION_DAYS": " "})
    assert settings.records_url.startswith("sqlite:///") and settings.records_url.endswith("records.db")
    assert settings.record_retention_days == 90 and settings.rasa_tuning is True


def test_en_forkert_vaerdi_naevner_variablen():
    with pytest.raises(SettingsError, match="TG_RECORD_RETENTION_DAYS"):
        get_settings({"TG_RECORD_RETENTION_DAYS": "tre"})
    with pytest.raises(SettingsError, match="TG_CHAT_RETENTION_DAYS"):
        get_settings({"TG_CHAT_RETENTION_DAYS": "0"})


def test_en_fastlaast_dag_flytter_hele_uret_men_ikke_klokkeslaettet(monkeypatch):
    real_today = clock.today()
    pinned = real_today - dt.timedelta(days=40)
    monkeypatch.setenv("TG_TODAY", pinned.isoformat())
    assert clock.today() == pinned
    moved = clock.now()
    assert clock.danish_date(moved) == pinned
    # the Danish time of day runs on (40 days may cross a change to or from summer time)
    here, then = clock.system_now().astimezone(clock.DENMARK), moved.astimezone(clock.DENMARK)
    minutes = abs((here.hour * 60 + here.minute) - (then.hour * 60 + then.minute))
    assert min(minutes, 24 * 60 - minutes) <= 1


@pytest.mark.parametrize("system, pinned, danish", [
    # late evening in winter, pinned to a day of summer time: still that day, at 23.30
    ("2026-11-27T22:30:00+00:00", "2026-10-18", "2026-10-18T23:30:00+02:00"),
    # early morning in summer time, pinned to a winter day
    ("2026-07-01T22:15:00+00:00", "2026-01-10", "2026-01-10T00:15:00+01:00"),
    # no change of time between them
    ("2026-11-27T10:00:00+00:00", "2026-11-20", "2026-11-20T11:00:00+01:00"),
])
def test_en_fastlaast_dag_holder_den_danske_dato_og_klokkeslaet_hen_over_sommertid(monkeypatch, system, pinned, danish):
    monkeypatch.setattr(clock, "system_now", lambda: dt.datetime.fromisoformat(system))
    monkeypatch.setenv("TG_TODAY", pinned)
    clock._shift.cache_clear()
    try:
        moved = clock.now()
        assert moved.tzinfo is not None and moved.utcoffset() == dt.timedelta(0)
        assert moved == dt.datetime.fromisoformat(danish)
        assert clock.danish_date(moved) == clock.today() == dt.date.fromisoformat(pinned)
    finally:
        clock._shift.cache_clear()


def test_de_samme_variabler_giver_de_samme_indstillinger_en_aendring_ses_straks(monkeypatch):
    monkeypatch.setenv("TG_RECORD_RETENTION_DAYS", "30")
    first = get_settings()
    assert get_settings() is first  # not validated again on every call (three times per action)
    monkeypatch.setenv("TG_RECORD_RETENTION_DAYS", "31")
    assert get_settings().record_retention_days == 31
    monkeypatch.delenv("TG_RECORD_RETENTION_DAYS")
    assert get_settings().record_retention_days == 90
    assert get_settings({"TG_RECORD_RETENTION_DAYS": "30"}) is first  # a mapping with the same values
    with pytest.raises(Exception):
        first.record_retention_days = 1  # shared, so immutable
