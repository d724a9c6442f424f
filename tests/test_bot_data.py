"""The Rasa shell stays in step with the dialogue core: one slot per state field, every intent to
the one adapter, the form's fields as the core asks them, every action in the domain registered."""
import inspect
from pathlib import Path

import yaml

from training_guidance.dialogue.state import APPLICATION_FIELDS, SLOT_NAMES

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
APPLICATION_INTENTS = {"request_application", "submit_application"}


def _rules():
    rules = []
    for path in (ROOT / "bot" / "data").glob("*.yml"):
        rules += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules") or []
    return rules


def test_domaenets_slots_er_praecis_samtalens_tilstand():
    assert sorted(DOMAIN["slots"]) == sorted(s for s in SLOT_NAMES if s != "requested_slot")
    assert all(slot["influence_conversation"] is False for slot in DOMAIN["slots"].values())


def test_hver_intent_gaar_til_samtalen_undtagen_ansoegningens():
    turned = {r["steps"][0]["intent"] for r in _rules()
              if r["steps"][0].get("intent") and r["steps"][1].get("action") == "action_turn"}
    assert turned == set(DOMAIN["intents"]) - APPLICATION_INTENTS | {"nlu_fallback"}


def test_nlu_data_og_domaenet_har_de_samme_intents():
    nlu = yaml.safe_load((ROOT / "bot" / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    test = yaml.safe_load((ROOT / "tests" / "nlu" / "test_nlu.yml").read_text(encoding="utf-8"))["nlu"]
    assert {b["intent"] for b in nlu} == set(DOMAIN["intents"])
    assert {b["intent"] for b in test} <= set(DOMAIN["intents"])


def test_formularens_felter_er_kernens():
    assert DOMAIN["forms"]["application_form"]["required_slots"] == APPLICATION_FIELDS


def test_hver_handling_i_domaenet_er_registreret_og_ingen_handling_kalder_en_anden():
    import bot.actions  # noqa: F401
    from rasa_sdk import Action

    found, todo = {}, list(Action.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("bot.actions") and not inspect.isabstract(cls) and getattr(cls, "field", True) != "":
            found[cls().name()] = cls
    assert set(DOMAIN["actions"]) == set(found)
    for cls in found.values():
        source = inspect.getsource(cls)
        assert "Action()" not in source and ".run(" not in source, f"{cls.__name__} calls another action"
