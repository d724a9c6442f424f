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
