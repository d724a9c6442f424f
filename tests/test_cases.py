"""Every case in tests/cases/*.yml, run through the engine. Case names are Danish sentences."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from training_guidance.assessment import OUTCOMES, assess

CASE_DIR = Path(__file__).parent / "cases"
DEFAULT_TODAY = dt.date(2026, 11, 23)


def _load_cases():
    for path in sorted(CASE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["municipality"], case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("municipality,case", list(_load_cases()))
def test_case(kb, municipality, case):
    expect = case["expect"]
    today = case.get("today") or DEFAULT_TODAY
    result = assess(case.get("situation") or {}, municipality, today, kb)
    assert expect["outcome"] in OUTCOMES
    reason_ids = [r.id for r in result.reasons]
    caveat_ids = [c.id for c in result.caveats]
    assert result.outcome == expect["outcome"], (reason_ids, result.missing)
    for rid in expect.get("reasons", []):
        assert rid in reason_ids, f"reason {rid!r} missing from {reason_ids}"
    if "failed" in expect:
        assert sorted(r.id for r in result.failed) == sorted(expect["failed"])
    if "missing" in expect:
        assert result.missing == expect["missing"]
    for cid in expect.get("caveats", []):
        assert cid in caveat_ids, f"caveat {cid!r} missing from {caveat_ids}"
    for cid in expect.get("no_caveats", []):
        assert cid not in caveat_ids, f"caveat {cid!r} should not be in {caveat_ids}"
    for cid, words in (expect.get("caveat_texts") or {}).items():
        texts = [c.text for c in result.caveats if c.id == cid]
        assert any(words in t for t in texts), f"caveat {cid!r} does not say {words!r}: {texts}"
    for rid, words in (expect.get("reason_texts") or {}).items():
        texts = [r.text for r in result.reasons if r.id == rid]
        assert any(words in t for t in texts), f"reason {rid!r} does not say {words!r}: {texts}"
    # Every reason and caveat carries a source and Danish text.
    for r in result.reasons:
        assert r.source and r.text
    for c in result.caveats:
        assert c.source and c.text


def test_case_files_cover_all_five_standards(kb):
    codes = {yaml.safe_load(p.read_text(encoding="utf-8"))["municipality"] for p in CASE_DIR.glob("*.yml")}
    assert set(kb.standards) <= codes


# --- What the assistant says for the hard cases (render.py on the engine's results) -------------------

from training_guidance.dialogue import verdict  # noqa: E402
from training_guidance.dialogue.context import Context  # noqa: E402
from training_guidance.dialogue.state import Conversation  # noqa: E402
from training_guidance.dialogue.turn import Replies  # noqa: E402
from training_guidance.texts import Voice  # noqa: E402
from training_guidance.understanding import understand  # noqa: E402


def _said(kb, result, situation, today, voice=Voice()):
    """What the assistant says for an assessment: the short message, then everything behind "Læs mere"."""
    state = Conversation(facts=dict(situation), code=result.municipality_code, voice_kind=voice.kind,
                         relation=voice.relation, outcome=result.outcome, track=result.track)
    out = Replies()
    ctx = Context(kb=kb, today=today)
    verdict.conclude(state, result, ctx, out)
    verdict.read_more(state, ctx, out, result)
    return [r.text for r in out if r.key != "more_or_apply"]


def render_assessment(kb, result, today, voice=Voice(), situation=None):
    return _said(kb, result, situation or {}, today, voice)


def next_steps(kb, result, today, voice=Voice()):
    return next(t for t in _said(kb, result, {}, today, voice) if t.startswith("Sådan kommer du videre"))


def journal_note(kb, result, situation, today):
    state = Conversation(facts=dict(situation), code=result.municipality_code, voice_kind="staff")
    return verdict.journal_note(result, state, Context(kb=kb, today=today))


def test_en_gammel_genoptraeningsplan_for_noget_andet_giver_det_almindelige_interview(kb):
    text = "Jeg fik en genoptræningsplan i 2019 efter en ny hofte. Nu har jeg haft influenza og er blevet svag"
    facts = dict(understand(text, kb).facts, admitted_to_hospital=False)
    result = assess(facts, "0661", DEFAULT_TODAY, kb)
    assert result.outcome == "undetermined" and result.missing[0] == "hospital_plan"
    note = journal_note(kb, result, facts, DEFAULT_TODAY)
    assert "sundhedsloven § 140" not in note.split("Vejledende vurdering:")[1].splitlines()[0]


def test_traening_efter_paragraf_140_gives_af_kommunen_ikke_af_sygehuset(kb):
    result = assess({"admitted_to_hospital": False, "hospital_plan": True}, "0661", DEFAULT_TODAY, kb)
    for voice in (Voice(), Voice("relative", "din mor"), Voice("staff", "borgeren")):
        first = render_assessment(kb, result, DEFAULT_TODAY, voice)[0]
        assert "Kommunen giver træningen ud fra sygehusets plan." in first
        assert "sygehuset, der skal sørge for træningen" not in first
    steps = next_steps(kb, result, DEFAULT_TODAY)
    assert "Det er kommunen, der giver genoptræningen efter sygehusets plan." in steps
    assert "privat sted, som KL har en aftale med" in steps and "inden for 7 dage" in steps
    assert "§ 140, stk. 4" in steps
    note = journal_note(kb, result, {"hospital_plan": True}, DEFAULT_TODAY)
    assert "Kommunen giver træningen" in note


def test_en_borger_der_er_indlagt_nu_faar_at_vide_at_sygehuset_traener_under_indlaeggelsen(kb):
    result = assess({"admitted_to_hospital": True}, "0661", DEFAULT_TODAY, kb)
    first = render_assessment(kb, result, DEFAULT_TODAY, Voice("relative", "din far"))[0]
    assert first.startswith("Mens din far er indlagt, står sygehuset for træningen.")
    assert "Når han kommer hjem, kan kommunen give træning. Det sker efter en plan fra sygehuset." in first
    steps = next_steps(kb, result, DEFAULT_TODAY)
    assert "Spørg på sygehuset, om du får en genoptræningsplan" in steps


def test_journalnotatet_har_aeldreloven_og_datoen_for_de_fem_maaneder_med(kb):
    situation = {"admitted_to_hospital": False, "hospital_plan": False, "age": 72, "condition_course": "temporary",
                 "can_train_alone": False, "potential_to_improve": True, "other_offer_covers_need": False,
                 "months_since_previous_course": 3}
    note = journal_note(kb, assess(situation, "0183", DEFAULT_TODAY, kb), situation, DEFAULT_TODAY)
    assert "- Forbehold: Der er gået fem måneder omkring lørdag den 23. januar 2027." in note
    assert "- Forbehold: Fra 1. juli 2025 gælder ældreloven." in note
    younger = dict(situation, age=60, condition_course="lasting")
    younger.pop("months_since_previous_course")
    note = journal_note(kb, assess(younger, "0661", DEFAULT_TODAY, kb), younger, DEFAULT_TODAY)
    assert "- Forbehold: Ældreloven kan også gælde for borgeren, selv om vedkommende ikke har nået folkepensionsalderen." in note


from training_guidance.readability import lix, plain_text  # noqa: E402


@pytest.mark.parametrize("municipality,case", list(_load_cases()))
def test_vurderingen_i_hvert_tilfaelde_er_let_dansk(kb, municipality, case):
    today = case.get("today") or DEFAULT_TODAY
    result = assess(case.get("situation") or {}, municipality, today, kb)
    for voice in (Voice(), Voice("relative", "din mor")):  # staff read terse notes, not prose
        for message in render_assessment(kb, result, today, voice, case.get("situation") or {}):
            assert lix(message) <= 40 or len(plain_text(message).split()) < 15, (voice.kind, round(lix(message)), message)
