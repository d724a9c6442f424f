"""Plain Danish: the catalogue, the interview's questions, every assessment and every item as a
reader reads it have LIX ≤ 40 (sources and web addresses aside), and every voice reads right."""
import datetime as dt

import pytest

from training_guidance.assessment import assess
from training_guidance.dialogue import verdict
from training_guidance.dialogue.context import Context
from training_guidance.dialogue.interview import question_text
from training_guidance.dialogue.state import Conversation
from training_guidance.dialogue.turn import Replies
from training_guidance.readability import lix
from training_guidance.texts import Voice, catalogue, in_voice, say

TODAY = dt.date(2026, 11, 23)
LIMIT = 40
READERS = [Voice("citizen"), Voice("relative", "din mor"), Voice("relative", "din far")]
VALUES = {"kommune": "Holstebro", "phone": "9611 4800", "hours": "", "reference": "TG-2026-000001", "date": "mandag",
          "what": "et navn", "text": "Tekst.", "label": "Alder", "step": "Ring til kommunen.", "sources": "x",
          "section": "x", "offer": "genoptræning", "when": "Henvender du dig i dag", "why": "x", "source": "x",
          "value": "x", "relation": "søn", "fuldmagt": "ja", "outcome": "x", "basis": "x", "facts": "x", "file": "x",
          "covered": "genoptræning"}


def test_lix_er_lav_for_let_tekst_og_hoej_for_tung_tekst():
    assert lix("Du kan få kørsel. Det koster 57 kr. pr. gang.") < 25
    assert lix("Kommunalbestyrelsens serviceniveaubeslutninger vedrørende genoptræningsforløb "
               "fastsættes administrativt efter konkret individuel helhedsvurdering.") > 60


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_katalogets_tekster_er_let_dansk_for_borgere_og_paaroerende(key):
    for voice in READERS:
        text = say(key, voice, **VALUES)
        assert lix(text) <= LIMIT or len(text.split()) < 10, (key, voice.kind, round(lix(text)), text)


def test_katalogets_tekster_findes_for_alle_tre_laesere_og_bruger_kun_kendte_felter():
    for key in catalogue():
        for voice in READERS + [Voice("staff")]:
            say(key, voice, **VALUES)  # raises on a missing value


def test_interviewets_spoergsmaal_er_let_dansk(kb):
    ctx = Context(kb=kb, today=TODAY)
    for fact in kb.facts:
        for voice in READERS:
            text = question_text(fact, ctx, voice)
            assert lix(text) <= LIMIT, (fact, voice.kind, round(lix(text)))
            assert "{who}" not in text


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
def test_vurderingen_er_kort_og_let_dansk_for_alle_kommuner_og_stemmer(kb, situation):
    ctx = Context(kb=kb, today=TODAY)
    for code in [*kb.standards, "0751"]:
        result = assess(situation, code, TODAY, kb)
        for voice in READERS:
            state = Conversation(facts=dict(situation), code=code, voice_kind=voice.kind, relation=voice.relation,
                                 outcome=result.outcome, track=result.track)
            out = Replies()
            verdict.conclude(state, result, ctx, out)
            short = next(r for r in out if r.key == "assessment").text
            assert len(short.splitlines()) <= 8, short
            assert lix(short) <= LIMIT + 5, (code, voice.kind, round(lix(short)), short)


@pytest.mark.parametrize("text, mother, staff", [
    ("Du skal bo i Holbæk Kommune.", "Din mor skal bo i Holbæk Kommune.", "Borgeren skal bo i Holbæk Kommune."),
    ("Har du ret til gratis fysioterapi? Så kan du ikke få træning hos os.",
     "Har din mor ret til gratis fysioterapi? Så kan hun ikke få træning hos os.",
     "Har borgeren ret til gratis fysioterapi? Så kan vedkommende ikke få træning hos os."),
    ("Du skal henvende dig til kommunen.", "Din mor skal henvende sig til kommunen.",
     "Borgeren skal henvende sig til kommunen."),
    ("Vi ringer til dig.", "Vi ringer til hende.", "Vi ringer til borgeren."),
    ("Du kan træne på centret, i dit hjem eller i naturen.", "Din mor kan træne på centret, i sit hjem eller i naturen.",
     "Borgeren kan træne på centret, i sit hjem eller i naturen."),
    ("Henvender du dig i dag, er målet mandag.", "Henvender din mor sig i dag, er målet mandag.",
     "Henvender borgeren sig i dag, er målet mandag."),
    ("Du skal selv melde afbud til din terapeut.", "Din mor skal selv melde afbud til sin terapeut.",
     "Borgeren skal selv melde afbud til sin terapeut."),
    ("Du kan som pårørende få hjælp.", "Du kan som pårørende få hjælp.", "Den pårørende kan som pårørende få hjælp."),
])
def test_standardernes_du_form_skrives_i_laeserens_stemme(text, mother, staff):
    assert in_voice(text, Voice("relative", "din mor")) == mother
    assert in_voice(text, Voice("staff")) == staff
    assert in_voice(text, Voice("citizen")) == text


def test_en_regel_om_paaroerende_taler_til_den_der_laeser_den():
    """An item of the topic "relatives" that speaks to the relative stays "du" for a relative; one
    that speaks to the citizen about "dine pårørende" is about the person written about."""
    mother = Voice("relative", "din mor")
    to_relative = "Er du pårørende? Så kan du få en samtale med en pårørendekonsulent."
    assert in_voice(to_relative, mother, about_relatives=True) == to_relative
    to_citizen = "Dine pårørende kan bede om et træningsforløb til dig."
    assert in_voice(to_citizen, mother, about_relatives=True) == "Din mors pårørende kan bede om et træningsforløb til hende."
