"""An application is stored only when the conversation's own events prove consent and confirmation
(training_guidance/handoff/consent.py: consent_proven), at most a few per conversation and address,
with the channel label the server set; a failed save logs a hash, not the conversation id."""
import logging

import pytest

pytest.importorskip("rasa_sdk")
from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from bot.actions.application import ActionApplicationDone  # noqa: E402
from training_guidance.handoff import security as sec  # noqa: E402
from training_guidance.handoff.consent import consent_proven, privacy_notice  # noqa: E402
from training_guidance.handoff.store import RecordStore  # noqa: E402
from training_guidance.readability import lix  # noqa: E402
from training_guidance.texts import say  # noqa: E402

TOO_MANY = say("application_too_many")

NOTICE = privacy_notice("Holstebro", 90, 30)
SLOTS = {"municipality_code": "0661", "municipality": "Holstebro", "voice": "citizen", "outcome": "stk1",
         "track": "stk1", "facts": {"admitted_to_hospital": False, "hospital_plan": False, "age": 82,
                                    "condition_course": "temporary", "potential_to_improve": True,
                                    "can_train_alone": False, "motivated": True,
                                    "hospital_treatment_same_condition": False},
         "consent": True, "consent_text": NOTICE, "consent_at": "2026-11-23T09:30:00+00:00",
         "applicant_role": "citizen", "citizen_name": "Inge Hansen", "contact_phone": "20 30 40 50",
         "contact_email": "-", "contact_address": "-", "call_time": "formiddag", "application_confirmed": True,
         "application_id": "a1", "application_state": "collecting"}


def bot(text, *answers):
    return {"event": "bot", "text": text,
            "data": {"buttons": [{"title": a, "payload": f'/inform{{"answer": "{a}"}}'} for a in answers]}}


def user(text, intent="inform", answer=None, channel="rest"):
    entities = [{"entity": "answer", "value": answer}] if answer else []
    return {"event": "user", "text": text, "input_channel": channel,
            "parse_data": {"intent": {"name": intent}, "entities": entities}}


def conversation(consent=None, confirm=None, notice=NOTICE, channel="rest"):
    """The events of a whole application as Rasa keeps them."""
    consent = consent or user('/inform{"answer": "ja"}', answer="ja", channel=channel)
    confirm = confirm or user('/inform{"answer": "send"}', answer="send", channel=channel)
    return [
        {"event": "action", "name": "action_listen"}, user("jeg vil søge", "request_application", channel=channel),
        {"event": "action", "name": "action_ask_consent"}, bot(notice, "ja", "nej"),
        {"event": "slot", "name": "consent_text", "value": NOTICE}, {"event": "action", "name": "action_listen"},
        consent, bot("Hvad er dit fulde navn?"), user("Inge Hansen", channel=channel),
        bot("Hvilket nummer kan kommunen ringe til dig på?"), user("20 30 40 50", channel=channel),
        bot("Her er ansøgningen til Holstebro Kommune:\n…\nEr det rigtigt?", "send", "ret_citizen_name", "annuller"),
        {"event": "action", "name": "action_listen"}, confirm,
        {"event": "action", "name": "application_form"}, {"event": "slot", "name": "application_confirmed", "value": True},
    ]


def test_samtykke_og_bekraeftelse_i_samtalen_er_bevist():
    assert consent_proven(conversation(), NOTICE)
    assert consent_proven(conversation(consent=user("ja", "affirm"), confirm=user("send den", "inform")), NOTICE)


def test_opfundne_slots_uden_haendelser_beviser_intet():
    assert not consent_proven([], NOTICE)
    assert not consent_proven([user('/inform{"answer": "send"}', answer="send")], NOTICE)


@pytest.mark.parametrize("events", [
    conversation(consent=user('/inform{"answer": "nej"}', answer="nej")),
    conversation(consent=user("måske")),
    conversation(confirm=user('/inform{"answer": "ret_citizen_name"}', answer="ret_citizen_name")),
    conversation(notice="Må vi gemme og sende oplysningerne til kommunen?"),  # only the question, not the notice
    conversation()[:-3],  # the summary was never answered
    conversation() + [{"event": "restart"}],
    conversation() + [{"event": "session_started"}],
    [e for e in conversation() if e.get("event") != "bot" or "Før jeg sender" not in e["text"]],
    [dict(e, event="user") if e.get("event") == "bot" and "Før jeg sender" in e["text"] else e
     for e in conversation()],  # the user typed the notice's text
], ids=["nej", "uklart svar", "ret i stedet for send", "kun spørgsmålet", "ingen bekræftelse", "genstart",
        "ny session", "ingen privatlivstekst", "brugeren skrev teksten"])
def test_uden_vist_tekst_ja_og_bekraeftelse_er_samtykket_ikke_bevist(events):
    assert not consent_proven(events, NOTICE)


def test_den_gemte_samtykketekst_skal_vaere_den_viste():
    assert not consent_proven(conversation(), "En helt anden tekst, som borgeren aldrig så.")


def test_en_ny_opsummering_skal_bekraeftes_igen():
    events = conversation()
    events += [bot("Her er ansøgningen … Er det rigtigt?", "send", "annuller")]
    assert not consent_proven(events, NOTICE)
    assert consent_proven(events + [user('/inform{"answer": "send"}', answer="send")], NOTICE)


# --- the action -----------------------------------------------------------------------------------

@pytest.fixture
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    monkeypatch.setenv("TG_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("TG_DATABASE_URL", url)
    store = RecordStore(url)
    store.migrate()
    yield store
    store.dispose()


def done(events, sender="borger-1", metadata=None, **slots):
    latest = next((e for e in reversed(events) if e["event"] == "user"), {"parse_data": {}})
    message = dict(latest.get("parse_data") or {}, text=latest.get("text"), metadata=metadata or {})
    tracker = Tracker(sender, dict(SLOTS, **slots), message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = ActionApplicationDone().run(dispatcher, tracker, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), result


def test_et_direkte_kald_med_opfundne_slots_gemmer_intet(environment):
    text, _ = done([{"event": "action", "name": "action_listen"}, user("/submit_application", "submit_application")])
    assert "ikke sendt" in text and environment.count() == 0


def test_en_rigtig_samtale_gemmes_med_den_kanal_serveren_satte(environment):
    text, _ = done(conversation())
    assert "Dit referencenummer er TG-2026-000001" in text
    assert environment.get_application("TG-2026-000001")["channel"] == "rest"


def test_personalets_kanal_staar_paa_posten(environment):
    text, _ = done(conversation(channel="personale"), sender="personale-1", voice="staff", applicant_role="staff")
    assert "TG-2026-000001" in text
    assert environment.get_application("TG-2026-000001")["channel"] == "personale"


def test_for_mange_ansoegninger_fra_samme_adresse_gemmes_ikke(environment):
    limits = sec.SecurityStore(environment.engine)
    for i in range(sec.APPLICATIONS_PER_ADDRESS):
        limits.application_stored(f"anden-samtale-{i}", "klient-x")
    text, events = done(conversation(), metadata={"client": "klient-x"})
    assert TOO_MANY in text and "9611 4800" in text and environment.count() == 0
    assert {"event": "slot", "name": "application_state", "value": "cancelled", "timestamp": None} in events
    text, _ = done(conversation(), metadata={"client": "klient-y"})
    assert "TG-2026-000001" in text


def test_for_mange_ansoegninger_fra_samme_samtale_gemmes_ikke(environment):
    for i in range(sec.APPLICATIONS_PER_CONVERSATION):
        assert "TG-2026-" in done(conversation(), application_id=f"a{i}")[0]
    assert TOO_MANY in done(conversation(), application_id="a-ny")[0]
    assert environment.count() == sec.APPLICATIONS_PER_CONVERSATION
    assert "TG-2026-000001" in done(conversation(), application_id="a0")[0]  # a retry of a stored one


def test_en_fejlet_gemning_logger_en_hash_af_samtalens_id_ikke_id(environment, monkeypatch, caplog):
    monkeypatch.setenv("TG_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # nothing listens there
    with caplog.at_level(logging.ERROR):
        text, _ = done(conversation(), sender="d5f6c1e2-0b7a-4c1e-9f3a-2b8c7d6e5f40")
    assert "Det lykkedes ikke at sende ansøgningen" in text
    assert "d5f6c1e2-0b7a-4c1e-9f3a-2b8c7d6e5f40" not in caplog.text
    assert sec.conversation_hash("d5f6c1e2-0b7a-4c1e-9f3a-2b8c7d6e5f40") in caplog.text


def test_beskeden_om_for_mange_ansoegninger_er_let_dansk():
    assert lix(TOO_MANY) <= 40
