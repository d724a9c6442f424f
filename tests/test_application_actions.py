"""The application conversation, action by action: consent first, only the needed details, a
summary to correct, one record per application, and a receipt only after the commit."""
import json

import pytest
import sqlalchemy as sa

pytest.importorskip("rasa_sdk")
from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from bot.actions import application_text as t  # noqa: E402
from bot.actions.application import (  # noqa: E402
    ActionApplicationDone, ActionAskApplicationConfirmed, ActionAskConsent, ActionPrepareApplication,
    ValidateApplicationForm, apply_button,
)
from training_guidance.handoff.store import RecordStore  # noqa: E402
from training_guidance.readability import lix  # noqa: E402

INTERVIEW = {"municipality_code": "0661", "municipality": "Holstebro", "voice": "citizen", "outcome": "stk1",
             "track": "stk1", "admitted_to_hospital": False, "hospital_plan": False, "age": 82,
             "condition_course": "temporary", "potential_to_improve": True, "can_train_alone": False,
             "motivated": True, "hospital_treatment_same_condition": False}


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    monkeypatch.setenv("TG_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("TG_DATABASE_URL", url)
    RecordStore(url).migrate()
    return url


def records(url):
    store = RecordStore(url)
    try:
        return [store.get_application(r["reference"]) for r in store.list_applications()]
    finally:
        store.dispose()


class Conversation:
    """Slots as the Rasa server keeps them; each turn runs an action on a tracker built from them."""

    def __init__(self, sender="borger-1", **slots):
        self.sender, self.slots, self.messages = sender, dict(slots), []
        self.history = []  # what the assistant said and the user answered, as Rasa's events

    def tracker(self, text="", intent=None, value=None, confidence=0.95, latest_action="action_listen"):
        entities = [{"entity": "answer", "value": value}] if value is not None else []
        message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": entities}
        # As Rasa's FormAction builds it: ... the previous action, the user's message (when the
        # user just answered), then the form's own execution.
        events = self.history + [{"event": "action", "name": "action_listen"},
                                 {"event": "user", "text": text, "input_channel": "rest", "parse_data": message}]
        if latest_action != "action_listen":
            events.append({"event": "action", "name": latest_action})
        events.append({"event": "action", "name": "application_form"})
        return Tracker(self.sender, dict(self.slots), message, events, False, None,
                       {"name": "application_form"}, "application_form")

    def run(self, action, tracker):
        dispatcher = CollectingDispatcher()
        events = action.run(dispatcher, tracker, {})
        for e in events:
            if e["event"] == "slot":
                self.slots[e["name"]] = e["value"]
        self.messages = dispatcher.messages
        self.history += [{"event": "bot", "text": m.get("text"), "data": {"buttons": m.get("buttons") or []}}
                         for m in dispatcher.messages]
        return events

    @property
    def text(self):
        return "\n".join(m.get("text") or "" for m in self.messages)

    def start(self):
        self.run(ActionPrepareApplication(), self.tracker(latest_action="action_listen"))
        events = self.run(ValidateApplicationForm(), self.tracker(latest_action="action_prepare_application"))
        if self.slots.get("requested_slot"):
            self.ask()
        return events

    def say(self, text, intent="inform", value=None, confidence=0.95):
        """The form's turn: validate the answer, then ask for the next slot (as Rasa's FormAction does)."""
        tracker = self.tracker(text, intent, value, confidence)
        self.history.append(tracker.events[-2])  # the user's message stays in the conversation
        events = self.run(ValidateApplicationForm(), tracker)
        said = self.messages
        if events and self.slots.get("requested_slot"):
            self.ask()
        self.messages = said + self.messages
        return events

    def click(self, value):
        return self.say(f'/inform{{"answer": "{value}"}}', "inform", value)

    def ask(self):
        """What the form asks next: the action_ask_<slot> for the requested slot."""
        from bot.actions import application

        slot = self.slots["requested_slot"]
        action = {"consent": ActionAskConsent(), "application_confirmed": ActionAskApplicationConfirmed()}.get(slot) or next(
            cls() for cls in application.ASK_ACTIONS if cls.slot == slot)
        self.run(action, self.tracker(latest_action="application_form"))
        return self.text

    def done(self):
        self.run(ActionApplicationDone(), self.tracker(latest_action="application_form"))
        return self.text


def citizen_until_summary(conv):
    conv.start()
    assert conv.slots["requested_slot"] == "consent"
    conv.click("ja")
    for slot, text in (("citizen_name", "inge hansen"), ("contact_phone", "20 30 40 50"),
                       ("contact_email", "spring over"), ("contact_address", "Søndergade 12, 7500 Holstebro"),
                       ("call_time", "formiddag")):
        assert conv.slots["requested_slot"] == slot
        conv.say(text)
    assert conv.slots["requested_slot"] == "application_confirmed"


def test_borgeren_faar_privatlivsteksten_foer_noget_gemmes_og_kommunen_er_dataansvarlig():
    conv = Conversation(**INTERVIEW)
    conv.start()
    text = conv.ask()
    assert "Holstebro Kommune er dataansvarlig" in text and "90 dage" in text and "30 dage" in text
    assert "CPR-nummer" in text and [b["title"] for b in conv.messages[0]["buttons"]] == ["Ja, det må I", "Nej"]
    assert conv.slots["consent_text"].startswith("Før jeg sender noget")


def test_et_nej_til_samtykke_gemmer_intet_og_giver_telefonnummeret(environment):
    conv = Conversation(**INTERVIEW)
    conv.start()
    conv.click("nej")
    assert conv.slots["requested_slot"] is None and conv.slots["application_state"] == "declined"
    text = conv.done()
    assert "gemmer jeg ikke noget" in text and "9611 4800" in text
    assert records(environment) == []


def test_en_hel_ansoegning_giver_en_kvittering_med_reference_frister_og_telefon(environment):
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    summary = conv.ask()
    assert "• Navn: Inge Hansen" in summary and "• Telefon: 20 30 40 50" in summary
    assert "• E-mail: ikke oplyst" in summary and "Formiddag" in summary and "genoptræning" in summary
    conv.click("send")
    assert conv.slots["application_confirmed"] is True and conv.slots["requested_slot"] is None
    text = conv.done()
    assert "Dit referencenummer er TG-2026-000001" in text
    # Holstebro aims to call within 1 week of the inquiry: from Monday 23 November 2026.
    assert "senest mandag den 30. november 2026" in text and "Kilde: 002_10e547d715598fc2.txt" in text
    assert "9611 4800" in text
    receipt = next(m["custom"]["receipt"] for m in conv.messages if m.get("custom"))
    assert receipt["reference"] == "TG-2026-000001" and receipt["deadlines"][0]["date"] == "2026-11-30"
    [record] = records(environment)
    assert record["contact"] == {"citizen_name": "Inge Hansen", "contact_name": None, "phone": "20 30 40 50",
                                 "email": None, "address": "Søndergade 12, 7500 Holstebro", "call_time": "formiddag"}
    assert record["applicant"] == {"role": "citizen", "relation": None, "fuldmagt": None}
    assert record["assessment"]["outcome"] == "stk1" and record["facts"]["age"] == 82
    assert record["consent"]["text"] == conv.slots["consent_text"] and record["channel"] == "rest"


def test_et_dobbeltklik_paa_send_giver_samme_kvittering_og_en_post(environment):
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    conv.click("send")
    before = dict(conv.slots)
    first = conv.done()
    again = conv.done()  # the second click reaches the finished application
    assert "TG-2026-000001" in first and "TG-2026-000001" in again
    conv.slots = before  # the action server answered, but Rasa never got the events: a retry
    assert "TG-2026-000001" in conv.done()
    assert len(records(environment)) == 1


def test_en_fejl_i_databasen_giver_ingen_kvittering_og_et_nyt_forsoeg_giver_en_post(environment, monkeypatch):
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    conv.click("send")
    monkeypatch.setenv("TG_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # nothing listens there
    text = conv.done()
    assert "Det lykkedes ikke at sende ansøgningen" in text and "TG-" not in text and "9611 4800" in text
    assert conv.messages[-1]["buttons"] == [t.BUTTON_RETRY]
    assert conv.slots.get("application_reference") is None
    monkeypatch.setenv("TG_DATABASE_URL", environment)
    assert "TG-2026-000001" in conv.done()
    assert len(records(environment)) == 1


def test_et_forkert_telefonnummer_giver_en_hjaelp_og_samme_spoergsmaal_igen():
    conv = Conversation(**INTERVIEW)
    citizen_until_summary_partial = conv
    conv.start()
    conv.click("ja")
    conv.say("inge hansen")
    conv.say("123")
    assert "8 cifre" in conv.text and conv.slots["requested_slot"] == "contact_phone"
    assert conv.slots["application_attempts"] == 1
    conv.say("ring til mig")
    conv.say("ved ikke")
    assert conv.slots["application_state"] == "gave_up" and conv.slots["requested_slot"] is None
    text = citizen_until_summary_partial.done()
    assert "uden et telefonnummer" in text and "9611 4800" in text


def test_et_sidespoergsmaal_bliver_afvist_af_formularen_saa_reglerne_kan_svare():
    conv = Conversation(**INTERVIEW)
    conv.start()
    conv.click("ja")
    assert conv.say("hvad koster det?", intent="ask_cost", confidence=0.97) == []
    assert conv.slots["requested_slot"] == "citizen_name" and conv.slots.get("citizen_name") is None
    # After the answer the form comes back and asks the same question again.
    conv.run(ValidateApplicationForm(), conv.tracker(latest_action="action_answer_topic"))
    assert conv.slots["requested_slot"] == "citizen_name"


def test_i_opsummeringen_kan_telefonnummeret_rettes():
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    conv.click("ret_contact_phone")
    assert conv.slots["contact_phone"] is None and conv.slots["application_confirmed"] is None
    assert conv.slots["requested_slot"] == "contact_phone"
    conv.say("30 40 50 60")
    assert conv.slots["requested_slot"] == "application_confirmed" and "30 40 50 60" in conv.ask()


def test_en_paaroerende_bliver_spurgt_om_fuldmagt_relation_og_eget_navn(environment):
    conv = Conversation(**dict(INTERVIEW, voice="relative", relation="din mor"))
    conv.start()
    assert conv.slots["applicant_role"] == "relative"
    assert "det, du har fortalt om din mors situation" in conv.text
    conv.click("ja")
    assert conv.slots["requested_slot"] == "fuldmagt"
    assert "fuldmagt på skrift fra din mor" in conv.ask()
    conv.click("nej")
    assert "beder om en fuldmagt" in conv.text
    conv.say("jeg er hendes datter")
    assert conv.slots["applicant_relation"] == "datter" and conv.ask() == "Hvad er din mors fulde navn?"
    conv.say("Inge Hansen")
    assert conv.ask() == "Og hvad er dit eget fulde navn?"
    for text in ("Mette Hansen", "40 50 60 70", "spring over", "spring over", "eftermiddag"):
        conv.say(text)
    assert "Kontaktperson: Mette Hansen (datter, fuldmagt: nej)" in conv.ask()
    conv.click("send")
    conv.done()
    [record] = records(environment)
    assert record["applicant"] == {"role": "relative", "relation": "datter", "fuldmagt": "nej"}
    assert record["contact"]["contact_name"] == "Mette Hansen" and record["contact"]["citizen_name"] == "Inge Hansen"


def test_et_cpr_nummer_i_et_svar_giver_en_advarsel_og_gemmes_ikke(environment):
    conv = Conversation(**INTERVIEW)
    conv.start()
    conv.click("ja")
    conv.say("Inge [CPR-nummer fjernet]")  # the channel has masked it already
    assert "Skriv ikke et CPR-nummer her" in conv.text and conv.slots["requested_slot"] == "citizen_name"
    assert conv.slots.get("citizen_name") is None


def test_annuller_stopper_ansoegningen_og_intet_gemmes(environment):
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    conv.click("annuller")
    assert conv.slots["application_state"] == "cancelled" and conv.slots["requested_slot"] is None
    assert "annulleret" in conv.done() and records(environment) == []


def test_en_kommune_uden_standard_kan_ikke_faa_en_ansoegning_herfra():
    conv = Conversation(**dict(INTERVIEW, municipality_code="0751", municipality="Aarhus"))
    conv.start()
    assert conv.slots["requested_slot"] is None
    assert "Herfra kan jeg ikke sende en ansøgning til Aarhus Kommune" in conv.done()
    assert apply_button("stk1", "0751") is None and apply_button("not_eligible", "0661") == t.BUTTON_APPLY_ANYWAY


def test_med_en_genoptraeningsplan_skal_man_ikke_soege():
    conv = Conversation(**dict(INTERVIEW, outcome="sundhedsloven_140"))
    conv.start()
    assert "Du skal ikke søge" in conv.done()
    assert apply_button("sundhedsloven_140", "0661") is None


def test_uden_kendt_kommune_spoerges_foerst_om_kommunen():
    conv = Conversation(voice="citizen")
    conv.start()
    assert conv.slots["requested_slot"] == "municipality_code"
    conv.say("narnia")
    assert "Den kommune kender jeg ikke" in conv.text
    conv.say("jeg bor i Ishøj")
    assert conv.slots["municipality_code"] == "0183" and conv.slots["requested_slot"] == "consent"


def test_personalet_faar_privatlivsteksten_til_at_laese_op():
    conv = Conversation(**dict(INTERVIEW, voice="staff", relation="borgeren"))
    conv.start()
    assert conv.ask().startswith("Læs op for borgeren:") and conv.slots["applicant_role"] == "staff"


def test_ansoegningens_tekster_er_let_dansk():
    from training_guidance.handoff.consent import privacy_notice

    texts = [privacy_notice("Holstebro", 90, 30, "din mors"), t.NO_FULDMAGT.format(who="din mor"), t.CANCELLED, t.DECLINED, t.GAVE_UP.format(what="et navn"),
             t.NOT_SERVED.format(kommune="Aarhus"), t.HOSPITAL, t.SUBMIT_FAILED, t.NEXT_NONE, t.CPR_WARNING,
             t.RECEIPT.format(kommune="Holstebro", reference="TG-2026-000001")]
    texts += [q.format(who="din mor", whose="din mors") for v in t.QUESTIONS.values() for k, q in v.items()
              if k != "staff"]
    for text in texts:
        assert lix(text) <= 40, (text, round(lix(text)))


def test_cpr_nummeret_findes_ikke_i_databasen_efter_en_ansoegning(environment):
    """Even if a CPR number got past the channel, no answer that holds one is stored."""
    conv = Conversation(**INTERVIEW)
    conv.start()
    conv.click("ja")
    conv.say("Inge Hansen 010145-1234")
    assert conv.slots.get("citizen_name") is None
    conv.say("Inge Hansen")
    conv.say("0101451234")
    assert "CPR-nummer" in conv.text and conv.slots.get("contact_phone") is None
    conv.say("20 30 40 50")
    conv.say("Søndergade 12, 010145 1234 Holstebro")
    assert conv.slots.get("contact_email") is None or conv.slots["requested_slot"] == "contact_email"
    for text in ("spring over", "Søndergade 12, 7500 Holstebro", "formiddag"):
        conv.say(text)
    conv.click("send")
    assert "TG-2026-000001" in conv.done()
    engine = sa.create_engine(environment)
    with engine.connect() as c:
        dump = json.dumps([list(map(str, r)) for table in ("applications", "audit_log", "outbox", "status_history")
                           for r in c.execute(sa.text(f"SELECT * FROM {table}"))])
    engine.dispose()
    assert "Inge Hansen" in dump
    assert "010145" not in dump and "0101451234" not in dump


def test_at_bede_om_at_soege_igen_efter_en_fejl_sender_den_samme_ansoegning(environment, monkeypatch):
    conv = Conversation(**INTERVIEW)
    citizen_until_summary(conv)
    conv.click("send")
    monkeypatch.setenv("TG_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    conv.done()
    monkeypatch.setenv("TG_DATABASE_URL", environment)
    application_id = conv.slots["application_id"]
    conv.start()  # "jeg vil gerne sende ansøgningen igen": request_application
    assert conv.slots["application_id"] == application_id and conv.slots["requested_slot"] is None
    assert "TG-2026-000001" in conv.done()
    assert len(records(environment)) == 1
