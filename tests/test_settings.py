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
    assert abs((moved - clock.system_now()) + dt.timedelta(days=40)) < dt.timedelta(minutes=1)


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
