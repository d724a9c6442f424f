"""Staff mode only from the staff console's channel: typing "personale" in the public chat, or
sending {"mode": "staff"} over a public channel, never starts it (bot/actions/municipality.py)."""
import pytest

pytest.importorskip("rasa_sdk")
from test_actions import recorded, run  # noqa: E402

from bot.actions.municipality import ActionGreet, ActionStartStaffMode, staff_channel  # noqa: E402


def delivered(tracker, channel, metadata):
    tracker.latest_message = dict(tracker.latest_message, metadata=metadata)
    tracker.events[-1] = dict(tracker.events[-1], input_channel=channel, metadata=metadata)
    return tracker


@pytest.mark.parametrize("channel,metadata", [("rest", {}), ("rest", {"mode": "staff"}), ("socketio", {"mode": "staff"}),
                                              ("personale", {}), ("", {"mode": "staff"})])
def test_personale_skrevet_i_den_offentlige_chat_starter_ikke_manuskriptet(channel, metadata, monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    tracker = delivered(recorded("staff_start"), channel, metadata)
    assert not staff_channel(tracker)
    text, _, events = run(ActionStartStaffMode(), tracker)
    assert text.startswith("Opkaldsmanuskriptet er kun for kommunens personale.") and "Ring til" in text
    assert "Borgerens kommune?" not in text and events == []


def test_hilsen_med_personale_metadata_paa_en_offentlig_kanal_er_en_almindelig_hilsen(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    text, _, events = run(ActionGreet(), delivered(recorded("staff_start"), "rest", {"mode": "staff"}))
    assert "Jeg er Træningsguiden" in text and "Opkaldsmanuskript" not in text
    assert not any(e.get("name") == "voice" for e in events)


def test_personalets_kanal_med_personale_metadata_starter_manuskriptet(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    tracker = delivered(recorded("staff_start"), "personale", {"mode": "staff"})
    assert staff_channel(tracker)
    text, _, events = run(ActionGreet(), tracker)
    assert text.startswith("Opkaldsmanuskript for personale") and {"voice": "staff"}.items() <= {
        e["name"]: e["value"] for e in events if e.get("event") == "slot"}.items()
