"""Plain Danish: every response the assistant can send has LIX ≤ 40 (sources and web addresses aside)."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from training_guidance.assessment import assess
from training_guidance.readability import lix
from training_guidance.render import NATIONAL_QUESTIONS, QUESTIONS, Voice, answer, question_text, render_assessment

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)
LIMIT = 40
VOICES = [Voice("citizen"), Voice("relative", "din mor"), Voice("staff", "borgeren")]


def test_lix_er_lav_for_let_tekst_og_hoej_for_tung_tekst():
    assert lix("Du kan få kørsel. Det koster 57 kr. pr. gang.") < 25
    assert lix("Kommunalbestyrelsens serviceniveaubeslutninger vedrørende genoptræningsforløb "
               "fastsættes administrativt efter konkret individuel helhedsvurdering.") > 60


def test_domaenets_svar_er_let_dansk():
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        for variant in variants:
            assert lix(variant["text"]) <= LIMIT, (name, round(lix(variant["text"])))


def test_handlingernes_faste_tekster_er_let_dansk():
    from bot.actions import state

    from bot.actions.municipality import GREETING

    texts = (state.NOT_UNDERSTOOD, state.OUT_OF_SCOPE, state.WRITER_QUESTION, GREETING,
             state.MUNICIPALITY_QUESTION["citizen"], state.MUNICIPALITY_QUESTION["relative"])
    for text in texts:
        assert lix(text) <= LIMIT, (text, round(lix(text)))


def test_spoergsmaalene_i_interviewet_er_let_dansk(kb):
    for fact in kb.facts:
        for voice in VOICES[:2]:  # staff questions are terse labels, not prose
            text = question_text(kb, fact, voice)
            assert lix(text) <= LIMIT, (fact, voice.kind, round(lix(text)))


@pytest.mark.parametrize("question", sorted(set(QUESTIONS) | set(NATIONAL_QUESTIONS)))
def test_svar_fra_standarderne_er_let_dansk(kb, question):
    for code in [*kb.standards, "0751"]:
        text = answer(kb, code, question, TODAY).text
        assert lix(text) <= LIMIT, (code, question, round(lix(text)), text)


SITUATIONS = [
    {"admitted_to_hospital": True},
    {"admitted_to_hospital": False, "hospital_plan": False, "age": 17},
    {"admitted_to_hospital": False, "hospital_plan": False, "age": 80, "condition_course": "temporary",
     "potential_to_improve": True, "can_train_alone": False, "hospital_treatment_same_condition": False,
     "motivated": True, "vederlagsfri_fysioterapi": False, "lives_at_home": True, "only_reason_is_cost": False,
     "other_offer_covers_need": False, "months_since_previous_course": "never"},
    {"admitted_to_hospital": False, "hospital_plan": False, "age": 70, "condition_course": "lasting",
     "can_train_alone": False, "motivated": True, "lives_in_care_centre": True, "other_offer_covers_need": False},
    {"admitted_to_hospital": False, "hospital_plan": False, "age": 60, "condition_course": "temporary",
     "can_train_alone": True, "potential_to_improve": True},
]


@pytest.mark.parametrize("situation", SITUATIONS, ids=["indlagt", "barn", "genoptræning", "vedligehold", "kan selv"])
def test_vurderingen_er_let_dansk_for_alle_kommuner_og_stemmer(kb, situation):
    for code in [*kb.standards, "0751"]:
        result = assess(situation, code, TODAY, kb)
        for voice in VOICES:
            for message in render_assessment(kb, result, TODAY, voice):
                assert lix(message) <= LIMIT, (code, voice.kind, round(lix(message)), message)


def test_et_spoergsmaal_om_afbud_siger_aerligt_naar_standarden_ikke_naevner_afbud(kb):
    holstebro = answer(kb, "0661", "cancellation", TODAY)
    assert not holstebro.found and holstebro.lines[0].startswith("Om afbud står der ikke noget")
    ishoej = answer(kb, "0183", "cancellation", TODAY)
    assert ishoej.found and "afbud" in ishoej.text.lower()
