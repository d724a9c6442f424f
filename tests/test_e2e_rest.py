"""A conversation over REST with both servers running on free loopback ports."""
import json

import pytest

from e2e import post, say, texts

pytestmark = [pytest.mark.servers, pytest.mark.timeout(900)]


def test_assistenten_hilser_paa_dansk_og_spoerger_om_kommunen(servers):
    reply = texts(say(servers, "borger-1", "hej"))
    assert "Træningsguiden" in reply and "robot" in reply
    assert "Hvor bor du? Skriv navnet på din kommune" in reply


def test_kommunen_huskes_og_kørsel_i_holstebro_koster_57_kr_med_kilde(servers):
    reply = texts(say(servers, "borger-1", "jeg bor i holstebro"))
    assert "Holstebro Kommunes regler" in reply
    reply = texts(say(servers, "borger-1", "hvad koster kørsel?"))
    assert "57 kr." in reply
    assert "Kilde: Holstebro Kommunes kvalitetsstandard, afsnittet »Genoptræning – Kørsel«" in reply
    assert "002_10e547d715598fc2" not in reply
    assert "1. januar 2023" in reply


def test_et_spoergsmaal_foer_kommunen_besvares_naar_kommunen_kendes(servers):
    reply = texts(say(servers, "borger-2", "hvad koster transport"))
    assert "Hvilken kommune bor du i?" in reply
    reply = texts(say(servers, "borger-2", "Holstebro"))
    assert "57 kr." in reply


def test_en_kommune_uden_kvalitetsstandard_faar_et_aerligt_svar(servers):
    say(servers, "borger-3", "hej")
    reply = texts(say(servers, "borger-3", "aarhus"))
    assert "Vi har ikke Aarhus Kommunes egne regler" in reply


def test_samtalen_overlever_en_genstart_af_serverne(servers, data_dir):
    say(servers, "borger-4", "jeg bor i holstebro")
    servers.stop()
    servers.start()
    reply = texts(say(servers, "borger-4", "hvad koster kørsel"))
    assert "57 kr." in reply and "Hvor bor du" not in reply
    assert (data_dir / "tracker.db").exists()


@pytest.mark.parametrize("body", [b"[]", b"not json", b'{"sender": 1, "message": "hej"}', b'{"sender": "x"}',
                                  b'{"sender": "", "message": "hej"}', b'"hej"', b'{"sender": "x", "message": "hej", "metadata": []}'])
def test_en_ugyldig_besked_faar_400_med_en_kort_fejl_og_ikke_500(servers, body):
    status, reply = post(servers.rest_url, body)
    assert status == 400
    assert "error" in json.loads(reply)


def test_et_cpr_nummer_bliver_aldrig_gemt_og_brugeren_advares(servers, data_dir):
    reply = texts(say(servers, "cpr-1", "min mor på 82 i holstebro har cpr 010145-1234 og er faldet"))
    assert "Skriv ikke dit CPR-nummer her" in reply
    # the tracker store writes ahead (WAL): what is stored lies in tracker.db and tracker.db-wal until a
    # checkpoint, so both are read (alone, this test found its events only in the -wal file)
    stored = b"".join(p.read_bytes() for p in data_dir.glob("tracker.db*"))
    assert b"010145-1234" not in stored and b"0101451234" not in stored
    assert "CPR-nummer fjernet".encode() in stored


LONG_QUESTIONS = ["hvad koster kørsel?", "hvor lang tid varer et forløb?", "kan jeg klage over afgørelsen?",
                  "tak for hjælpen"]


def test_en_samtale_paa_over_100_beskeder_husker_kommunen_og_gemmer_hver_besked(servers):
    """Rasa loads only the recent events of a long conversation (bot/tracker_store.py): the
    municipality given in the first message still answers the 100th, and every message is stored once."""
    from e2e import stored_events, slots, user_texts

    assert "Holstebro Kommunes regler" in texts(say(servers, "lang-100-beskeder", "jeg bor i holstebro"))
    sent = ["jeg bor i holstebro"]
    for i in range(104):
        message = LONG_QUESTIONS[i % len(LONG_QUESTIONS)]
        reply = texts(say(servers, "lang-100-beskeder", message))
        sent.append(message)
        assert reply.strip(), f"no answer at turn {i + 2}"
        if message == "hvad koster kørsel?":
            assert "57 kr." in reply and "Holstebro Kommunes kvalitetsstandard" in reply, f"turn {i + 2}: {reply}"
    events = stored_events(servers.env["TG_TRACKER_URL"], "lang-100-beskeder")
    assert user_texts(events) == sent
    assert len(events) > 300  # far more than the 40 events Rasa loads per message
    assert slots(events)["municipality_code"] == "0661"
