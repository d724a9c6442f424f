"""Staff mode only from the staff console's channel: typing "personale" in the public chat, or
sending {"mode": "staff"} over a public channel, never starts it (bot/actions/adapter.py: the turn
is staff only when the server's staff channel set the mode)."""
import pytest

from rasa_driver import RasaLike


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")


@pytest.mark.parametrize("channel,metadata", [("rest", {}), ("rest", {"mode": "staff"}), ("socketio", {"mode": "staff"}),
                                              ("personale", {}), ("", {"mode": "staff"})])
@pytest.mark.parametrize("text", ["personale", "/greet"])
def test_personale_skrevet_eller_sendt_i_den_offentlige_chat_starter_ikke_manuskriptet(channel, metadata, text):
    rasa = RasaLike(channel=channel, metadata=metadata)
    rasa.user(text, intent="greet" if text == "/greet" else None)
    assert rasa.slots.get("voice") != "staff"
    assert "Opkaldsmanuskript." not in rasa.text and "Borgerens kommune?" not in rasa.text
    if text == "personale":
        assert "kun for kommunens personale" in rasa.text


def test_personalets_kanal_med_personale_metadata_starter_manuskriptet():
    rasa = RasaLike(sender="personale-1", channel="personale", metadata={"mode": "staff"})
    rasa.user("/greet", intent="greet")
    assert rasa.slots["voice"] == "staff" and rasa.text.startswith("Opkaldsmanuskript")
    assert "Borgerens kommune?" in rasa.text
