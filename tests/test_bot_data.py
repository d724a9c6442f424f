"""The bot's data stays in step with the knowledge: the lookup table is generated, not hand-edited."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import gen_lookup  # noqa: E402


def test_opslagstabellen_med_kommuner_er_genereret_fra_vidensbasen():
    assert gen_lookup.TARGET.read_text(encoding="utf-8") == gen_lookup.render(), \
        "run: .venv/bin/python scripts/gen_lookup.py"


def test_domaenet_har_et_slot_for_hver_oplysning_som_reglerne_bruger(kb):
    import yaml

    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    assert set(kb.facts) <= set(domain["slots"])
    for fact in kb.facts:
        assert domain["slots"][fact]["influence_conversation"] is False  # the engine decides, not the policy


def test_hver_spoergsmaals_intent_har_et_svar_i_handlingen():
    import yaml

    from bot.actions.answers import INTENT_QUESTIONS
    from training_guidance.render import NATIONAL_QUESTIONS, QUESTIONS

    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    asks = {i for i in domain["intents"] if i.startswith("ask_") and i != "ask_person"}
    assert asks == set(INTENT_QUESTIONS)
    assert set(INTENT_QUESTIONS.values()) <= set(QUESTIONS) | set(NATIONAL_QUESTIONS)
