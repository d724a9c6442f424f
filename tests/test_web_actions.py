"""What the web page adds to the actions: the page's municipality from message metadata, and an
`assessment` payload complete enough to show as a card (met/not met, next steps with dates)."""
import datetime as dt

import pytest

pytest.importorskip("rasa_sdk")
from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from bot.actions.context import municipality_code, page_municipality_slots  # noqa: E402
from bot.actions.interview import ActionInterview  # noqa: E402
from bot.actions.municipality import ActionGreet  # noqa: E402
from bot.actions.payloads import assessment_payload, split_source, text_parts  # noqa: E402
from training_guidance.assessment import assess  # noqa: E402
from training_guidance.render import Voice, render_assessment  # noqa: E402

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("TG_TODAY", TODAY.isoformat())


def turn(text, intent, metadata=None, **slots):
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [], "metadata": metadata or {}}
    return Tracker("web-test", slots, message, [{"event": "user", "text": text, "parse_data": message}],
                   False, None, {}, "action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_hilsenen_kender_kommunen_fra_websiden_og_spoerger_ikke():
    messages, slots = run(ActionGreet(), turn("/greet", "greet", {"kommune": "0661"}))
    assert slots == {"municipality_code": "0661", "municipality": "Holstebro"}
    assert "Du er på Holstebro Kommunes side" in texts(messages)
    assert "Hvor bor du" not in texts(messages)
    assert messages[-1]["text"] == "Hvad vil du gerne vide?" and messages[-1]["buttons"]


def test_en_kommune_uden_standard_fra_websiden_faar_et_aerligt_svar():
    messages, slots = run(ActionGreet(), turn("/greet", "greet", {"kommune": "0751"}))
    assert slots["municipality"] == "Aarhus"
    assert "Vi har ikke kommunens egne regler" in texts(messages)


@pytest.mark.parametrize("metadata", [{}, {"kommune": "9999"}, {"kommune": "abc"}, {"kommune": 661}, {"mode": "x"}])
def test_uden_gyldig_kommunekode_spoerges_der_som_foer(metadata):
    messages, slots = run(ActionGreet(), turn("/greet", "greet", metadata))
    assert slots == {}
    assert "Hvor bor du?" in texts(messages)


def test_den_kommune_brugeren_selv_har_nævnt_vinder_over_sidens():
    tracker = turn("hvad koster det", "ask_cost", {"kommune": "0661"}, municipality_code="0163")
    assert municipality_code(tracker) == "0163"
    assert page_municipality_slots(tracker) == []


def test_interviewet_spoerger_ikke_om_kommunen_naar_siden_kender_den():
    tracker = turn("min mand har parkinson og bliver langsomt dårligere. han er 74", "describe_situation",
                   {"kommune": "0661"})
    messages, slots = run(ActionInterview(), tracker)
    assert slots["municipality_code"] == "0661" and slots["municipality"] == "Holstebro"
    assert slots["asked_fact"] != "municipality"
    assert "Hvor bor" not in texts(messages)


def test_vurderingen_sendes_som_kort_med_opfyldt_kilder_og_datoer():
    tracker = turn("nej", "deny", {"kommune": "0661"}, voice="relative", relation="din mand", municipality_code="0661",
                   age=74, condition_course="lasting", admitted_to_hospital=False, hospital_plan=False,
                   asked_fact="can_train_alone", interview_active=True)
    messages, slots = run(ActionInterview(), tracker)
    payload = next(m["custom"]["assessment"] for m in messages if (m.get("custom") or {}).get("assessment"))
    assert payload["outcome"] == "stk2" and slots["outcome"] == "stk2"
    assert payload["headline"].startswith("Det ser ud til, at din mand kan få vedligeholdende træning")
    assert payload["reasons"] and all(r["met"] is True and r["source"] for r in payload["reasons"])
    steps = " ".join(s["text"] for s in payload["next_steps"])
    assert "mandag den 7. december 2026" in steps and "mandag den 21. december 2026" in steps
    assert all(s["source"] for s in payload["next_steps"])
    # The card stands for exactly the text messages the channel sends for the assessment.
    sent = [part for m in messages for part in text_parts([m["text"]]) if m.get("text")]
    assert payload["replaces_texts"] and all(part in sent for part in payload["replaces_texts"])
    assert "Vil du vide mere?" not in payload["replaces_texts"]


def test_et_kriterie_der_ikke_er_opfyldt_markeres_som_ikke_opfyldt(kb):
    result = assess({"admitted_to_hospital": False, "hospital_plan": False, "age": 17}, "0661", TODAY, kb)
    payload = assessment_payload(kb, result, TODAY, Voice(), render_assessment(kb, result, TODAY, Voice()))
    assert payload["outcome"] == "not_eligible"
    assert any(r["met"] is False for r in payload["reasons"])


def test_kilden_skilles_fra_teksten_ogsaa_med_parenteser_i_kilden():
    assert split_source("• Klag senest 4 uger efter. (Kilde: Ankestyrelsen: klagevejledning (ast.dk), Klagefrist)") == {
        "text": "Klag senest 4 uger efter.", "source": "Ankestyrelsen: klagevejledning (ast.dk), Klagefrist"}
    assert split_source("• Ring til kommunen.") == {"text": "Ring til kommunen.", "source": ""}


def test_saetningen_om_sidens_kommune_er_let_dansk(kb):
    from bot.actions.municipality import page_municipality_text
    from training_guidance.municipalities import find_municipality
    from training_guidance.readability import lix

    for code in ("0661", "0751"):
        text = page_municipality_text(find_municipality(code, kb))
        assert lix(text) <= 40, (text, round(lix(text)))
