"""The custom actions, run on trackers recorded from real conversations (scripts/record_trackers.py).

Each test replays the last user turn of a recorded tracker through one action, as the action
server would, and checks the Danish messages and the events.
"""
import json
from pathlib import Path

import pytest

pytest.importorskip("rasa_sdk")
from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from bot.actions.answers import ActionAnswerTopic, ActionContactPerson  # noqa: E402
from bot.actions.municipality import ActionGreet, ActionSetMunicipality  # noqa: E402

TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")


def recorded(name: str, **slot_overrides) -> Tracker:
    """The tracker as it stood before the bot answered the last user message."""
    data = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    events = data["events"]
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    slots = {}
    for event in events[:last_user]:
        if event["event"] == "slot":
            slots[event["name"]] = event["value"]
    slots.update(slot_overrides)
    return Tracker(
        data["sender_id"], slots, events[last_user].get("parse_data") or data["latest_message"],
        events[: last_user + 1], False, None, {}, "action_listen",
    )


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), dispatcher.messages, events


def test_kørsel_i_holstebro_besvares_med_57_kr_og_kilde():
    text, _, events = run(ActionAnswerTopic(), recorded("holstebro_transport"))
    assert "57 kr." in text and "Kilde: 002_10e547d715598fc2.txt" in text
    assert events == []


def test_et_spoergsmaal_foer_kommunen_gemmes_og_kommunen_efterspoerges():
    text, _, events = run(ActionAnswerTopic(), recorded("cost_before_municipality"))
    assert "Hvor bor du" in text
    assert {"event": "slot", "timestamp": None, "name": "pending_topic", "value": "cost"} in events


def test_kommunen_saettes_og_det_ventende_spoergsmaal_besvares():
    tracker = recorded("herlev_cost_pending")
    assert tracker.get_slot("pending_topic") == "cost"
    text, _, events = run(ActionSetMunicipality(), tracker)
    names = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert names == {"municipality": "Herlev", "municipality_code": "0163", "pending_topic": None}
    assert "Herlev Kommunes kvalitetsstandard" in text and "gratis" in text.lower()


def test_en_ukendt_kommune_giver_et_venligt_genspoergsmaal_og_intet_slot():
    text, _, events = run(ActionSetMunicipality(), recorded("unknown_municipality"))
    assert "Den kommune kender jeg ikke" in text
    assert events == []


def test_en_kommune_uden_standard_faar_telefonvejledning_uden_opdigtet_nummer():
    text, _, _ = run(ActionContactPerson(), recorded("aarhus_person"))
    assert "Ring til din kommune" in text


def test_hilsenen_tilbyder_menu_naar_kommunen_kendes():
    tracker = recorded("unknown_municipality", municipality_code="0661")
    _, messages, _ = run(ActionGreet(), tracker)
    assert messages[-1]["buttons"] and messages[-1]["text"] == "Hvad vil du gerne vide?"


from bot.actions.interview import ActionInterview  # noqa: E402


def _slots(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_interviewet_tager_det_sidste_svar_og_spoerger_videre_eller_giver_vurderingen():
    tracker = recorded("holbaek_relative_interview")
    asked = tracker.get_slot("asked_fact")
    assert asked is not None
    text, messages, events = run(ActionInterview(), tracker)
    assert _slots(events)[asked] is False  # the recorded last answer was "nej"
    payloads = [m["custom"]["assessment"] for m in messages if (m.get("custom") or {}).get("assessment")]
    if payloads:
        assert payloads[0]["municipality"] == {"code": "0316", "name": "Holbæk"}
        assert all(r["source"] for r in payloads[0]["reasons"])
    else:  # one more question, in third person
        assert "din mor" in text


def test_en_paaroerendes_foerste_besked_giver_relation_alder_kommune_og_forloeb_paa_en_gang():
    tracker = recorded("holbaek_relative_interview")
    first = next(e for e in tracker.events if e["event"] == "user")
    first_turn = Tracker(tracker.sender_id, {}, first["parse_data"], [first], False, None, {}, "action_listen")
    text, _, events = run(ActionInterview(), first_turn)
    slots = _slots(events)
    assert slots["relation"] == "din mor" and slots["voice"] == "relative"
    assert slots["age"] == 82 and slots["municipality_code"] == "0316" and slots["condition_course"] == "temporary"
    assert slots["asked_fact"] == "admitted_to_hospital"
    assert "Er din mor indlagt på sygehuset lige nu?" in text


def test_et_uforstaaeligt_svar_giver_et_venligt_genspoergsmaal_med_knapper():
    tracker = recorded("holstebro_bad_answer")
    text, messages, events = run(ActionInterview(), tracker)
    assert text.startswith("Det forstod jeg ikke helt.")
    assert messages[-1]["buttons"]
    assert _slots(events)["failed_attempts"] == 1


def test_andet_uforstaaelige_svar_forklarer_tilbyder_telefon_og_gaar_videre():
    tracker = recorded("holstebro_bad_answer", failed_attempts=1)
    asked = tracker.get_slot("asked_fact")
    text, _, events = run(ActionInterview(), tracker)
    assert "Jeg spørger, fordi" in text and "9611 4800" in text
    assert _slots(events)[asked] == "dont_know"
    assert _slots(events)["asked_fact"] != asked


def test_cpr_nummer_i_en_besked_giver_en_advarsel_og_bruges_ikke():
    tracker = recorded("holstebro_bad_answer")
    tracker.latest_message = dict(tracker.latest_message, text="hun har cpr 010145-1234")
    text, _, events = run(ActionInterview(), tracker)
    assert "Skriv ikke dit CPR-nummer her" in text
    assert "010145" not in str(events)


def test_personale_starter_manuskriptet_og_faar_korte_spoergsmaal():
    from bot.actions.municipality import ActionStartStaffMode

    tracker = recorded("staff_start")  # as the staff console's channel delivers it (bot/channels.py)
    tracker.latest_message = dict(tracker.latest_message, metadata={"mode": "staff"})
    tracker.events[-1] = dict(tracker.events[-1], input_channel="personale")
    text, _, events = run(ActionStartStaffMode(), tracker)
    assert "Opkaldsmanuskript" in text and "Borgerens kommune?" in text
    assert _slots(events)["voice"] == "staff"


# --- the application, on recorded conversations -------------------------------------------------

from bot.actions.application import ActionApplicationDone, ValidateApplicationForm  # noqa: E402


@pytest.fixture
def records_db(monkeypatch, tmp_path):
    from training_guidance.handoff.store import RecordStore

    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("TG_DATABASE_URL", url)
    store = RecordStore(url)
    store.migrate()
    yield store
    store.dispose()


def test_klik_paa_send_i_en_optaget_samtale_afslutter_formularen_og_giver_en_kvittering(records_db):
    tracker = recorded("holstebro_application_send")
    assert tracker.get_slot("requested_slot") == "application_confirmed"
    assert tracker.get_slot("consent") is True and tracker.get_slot("citizen_name") == "Inge Hansen"
    _, _, events = run(ValidateApplicationForm(), tracker)
    assert _slots(events) == {"application_confirmed": True, "application_attempts": 0, "requested_slot": None}
    done = recorded("holstebro_application_send", application_confirmed=True, requested_slot=None)
    text, messages, events = run(ActionApplicationDone(), done)
    assert "Dit referencenummer er TG-2026-000001" in text
    assert _slots(events) == {"application_reference": "TG-2026-000001", "application_state": "sent"}
    record = records_db.get_application("TG-2026-000001")
    assert record["contact"]["citizen_name"] == "Inge Hansen" and record["consent"]["text"].startswith("Før jeg")
    assert record["channel"] == "rest"


def test_et_forkert_telefonnummer_i_en_optaget_samtale_giver_en_hjaelp_og_samme_spoergsmaal():
    tracker = recorded("holstebro_application_bad_phone")
    assert tracker.get_slot("requested_slot") == "contact_phone"
    text, _, events = run(ValidateApplicationForm(), tracker)
    assert "8 cifre" in text
    assert _slots(events) == {"contact_phone": None, "application_attempts": 1, "requested_slot": "contact_phone"}
