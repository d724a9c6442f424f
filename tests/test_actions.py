"""The Rasa actions as adapters: the tracker's slots → the dialogue core → messages and changed
slots, and the application form through rasa_sdk's FormValidationAction into a real records store.

The conversations run as the Rasa server runs them for this domain (rasa_driver.RasaLike)."""
import json

import pytest

from rasa_driver import RasaLike
from training_guidance.handoff.store import RecordStore

INTERVIEW = {"municipality_code": "0661", "municipality": "Holstebro", "voice": "citizen", "outcome": "stk1",
             "track": "stk1", "facts": {"admitted_to_hospital": False, "hospital_plan": False, "age": 82,
                                        "condition_course": "temporary", "potential_to_improve": True,
                                        "can_train_alone": False, "motivated": True,
                                        "hospital_treatment_same_condition": False}}


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


def after_interview(**extra) -> RasaLike:
    rasa = RasaLike()
    rasa.slots.update(INTERVIEW, **extra)
    return rasa


def until_summary(rasa: RasaLike) -> None:
    rasa.user("/request_application")
    assert rasa.slots["requested_slot"] == "consent"
    rasa.press("Ja, det må I")
    for slot, text in (("citizen_name", "inge hansen"), ("contact_phone", "20 30 40 50"),
                       ("contact_email", "spring over"), ("contact_address", "Søndergade 12, 7500 Holstebro"),
                       ("call_time", "formiddag")):
        assert rasa.slots["requested_slot"] == slot, rasa.text
        rasa.user(text, intent="inform")
    assert rasa.slots["requested_slot"] == "application_confirmed"


# --- action_turn ----------------------------------------------------------------------------------

def test_handlingen_saetter_kun_de_slots_der_aendrer_sig_og_sender_teksten():
    rasa = RasaLike()
    rasa.user("min mor på 82 i holbaek har haft influenza", intent="describe_situation")
    set_now = [e["name"] for e in rasa.events if e.get("event") == "slot"]
    assert {"facts", "municipality_code", "voice", "relation", "asked_fact"} <= set(set_now)
    assert len(set_now) == len(set(set_now))
    assert rasa.slots["facts"]["age"] == 82 and rasa.slots["relation"] == "din mor"
    assert "din mor" in rasa.text


def test_metadata_om_personale_fra_den_offentlige_kanal_giver_ikke_personaletilstand():
    rasa = RasaLike(metadata={"mode": "staff"})
    rasa.user("/greet", intent="greet")
    assert rasa.slots.get("voice") != "staff" and "Opkaldsmanuskript" not in rasa.text


def test_personalekanalen_starter_manuskriptet_med_hvorfor_og_kilde():
    rasa = RasaLike(sender="personale-1", channel="personale", metadata={"mode": "staff"})
    rasa.user("/greet", intent="greet")
    assert rasa.slots["voice"] == "staff" and "Opkaldsmanuskript" in rasa.text
    rasa.user("Holstebro", intent="inform_municipality")
    assert "Hvorfor:" in rasa.text and "Kilde:" in rasa.text


def test_websidens_kommune_bruges_og_siges():
    rasa = RasaLike(metadata={"kommune": "0661"})
    rasa.user("/greet", intent="greet")
    assert rasa.slots["municipality_code"] == "0661" and "Holstebro Kommunes side" in rasa.text


# --- the application -----------------------------------------------------------------------------

def test_privatlivsteksten_kommer_foer_noget_gemmes_og_kommunen_er_dataansvarlig():
    rasa = after_interview()
    rasa.user("/request_application")
    assert "Holstebro Kommune er dataansvarlig" in rasa.text and "90 dage" in rasa.text and "CPR" in rasa.text
    assert [b["title"] for b in rasa.said[-1]["buttons"]] == ["Ja, det må I", "Nej"]
    assert rasa.slots["consent_text"].startswith("Før jeg sender noget")


def test_en_hel_ansoegning_giver_en_kvittering_med_reference_frister_og_telefon(environment):
    rasa = after_interview()
    until_summary(rasa)
    rasa.press("Send ansøgningen")
    assert "TG-2026-000001" in rasa.text and "mandag den 30. november 2026" in rasa.text
    assert "Kilde: Holstebro Kommunes kvalitetsstandard" in rasa.text and "002_10e547d715598fc2" not in rasa.text
    receipt = next(m["custom"]["receipt"] for m in rasa.said if (m.get("custom") or {}).get("receipt"))
    assert receipt["reference"] == "TG-2026-000001" and receipt["deadlines"][0]["date"] == "2026-11-30"
    [record] = records(environment)
    assert record["contact"]["citizen_name"] == "Inge Hansen" and record["channel"] == "rest"
    assert record["consent"]["text"].startswith("Før jeg sender noget")


def test_fri_tekst_virker_hvor_der_er_knapper():
    rasa = after_interview(voice="relative", relation="din mor")
    rasa.user("/request_application")
    rasa.user("ja", intent="affirm")
    assert rasa.slots["consent"] is True and rasa.slots["requested_slot"] == "fuldmagt"
    rasa.user("ja det har jeg", intent="affirm")
    rasa.user("søn", intent="inform")
    assert rasa.slots["applicant_relation"] == "søn"
    rasa.user("Inge Hansen")
    rasa.user("Peter Hansen")
    rasa.user("20304050")
    rasa.user("nej tak")
    rasa.user("spring over")
    rasa.user("helst efter kl 15")
    assert rasa.slots["call_time"] == "eftermiddag"
    assert rasa.slots["requested_slot"] == "application_confirmed"


def test_et_sidespoergsmaal_i_formularen_besvares_og_feltet_spoerges_igen():
    rasa = after_interview()
    rasa.user("/request_application")
    rasa.press("Ja, det må I")
    assert rasa.slots["requested_slot"] == "citizen_name"
    rasa.user("hvad koster kørsel?", intent="question")
    assert "57 kr" in rasa.text and "Kilde:" in rasa.text
    assert rasa.slots.get("citizen_name") is None and rasa.slots["requested_slot"] == "citizen_name"
    assert "fulde navn" in rasa.said[-1]["text"]


def test_et_forkert_telefonnummer_giver_en_hjaelp_og_samme_spoergsmaal():
    rasa = after_interview()
    rasa.user("/request_application")
    rasa.press("Ja, det må I")
    rasa.user("Inge Hansen")
    rasa.user("123")
    assert "8 cifre" in rasa.text and rasa.slots["requested_slot"] == "contact_phone"


def test_et_nej_til_samtykke_gemmer_intet_og_giver_telefonnummeret(environment):
    rasa = after_interview()
    rasa.user("/request_application")
    rasa.press("Nej")
    assert "gemmer jeg ikke noget" in rasa.text and "9611 4800" in rasa.text
    assert records(environment) == []


def test_annuller_stopper_ansoegningen_og_intet_gemmes(environment):
    rasa = after_interview()
    rasa.user("/request_application")
    rasa.press("Ja, det må I")
    rasa.user("annuller")
    assert "annulleret" in rasa.text and records(environment) == []


def test_et_cpr_nummer_i_et_svar_giver_en_advarsel_og_gemmes_ikke(environment):
    rasa = after_interview()
    rasa.user("/request_application")
    rasa.press("Ja, det må I")
    rasa.user("Inge Hansen 010150-1234")
    assert "CPR-nummer" in rasa.text
    assert "010150" not in json.dumps(rasa.slots)


def test_et_dobbeltklik_paa_send_giver_samme_kvittering_og_en_post(environment):
    rasa = after_interview()
    until_summary(rasa)
    rasa.press("Send ansøgningen")
    first = rasa.text
    rasa.user("/submit_application")
    assert "TG-2026-000001" in first and "TG-2026-000001" in rasa.text
    assert len(records(environment)) == 1


def test_en_fejl_i_databasen_giver_ingen_kvittering_og_et_nyt_forsoeg_giver_en_post(environment, monkeypatch):
    from training_guidance.handoff.store import RecordStore as Store

    rasa = after_interview()
    until_summary(rasa)
    original = Store.submit

    def broken(*args, **kwargs):
        raise RuntimeError("databasen er væk")

    monkeypatch.setattr(Store, "submit", broken)
    rasa.press("Send ansøgningen")
    assert "ikke gemt" in rasa.text and "TG-" not in rasa.text
    monkeypatch.setattr(Store, "submit", original)
    rasa.press("Prøv at sende igen")
    assert "TG-2026-000001" in rasa.text and len(records(environment)) == 1


def test_et_direkte_kald_med_opdigtede_slots_gemmer_intet(environment):
    """Slots say consent and confirmation; the conversation's own events do not."""
    rasa = after_interview(consent=True, application_confirmed=True, application_id="x" * 32,
                           consent_text="Jeg finder selv på en tekst.", consent_at="2026-11-23T10:00:00+00:00",
                           citizen_name="Inge Hansen", contact_phone="20 30 40 50", call_time="formiddag",
                           application_state="collecting")
    rasa.user("/submit_application")
    assert records(environment) == [] and "ikke sendt" in rasa.text


def test_en_paaroerende_bliver_spurgt_om_fuldmagt_relation_og_eget_navn(environment):
    rasa = after_interview(voice="relative", relation="din mor")
    rasa.user("/request_application")
    assert "din mors situation" in rasa.text
    rasa.press("Ja, det må I")
    assert rasa.slots["requested_slot"] == "fuldmagt" and "din mor" in rasa.text
    rasa.press("Nej")
    assert "kan kommunen kun tale med din mor" in rasa.text
    assert rasa.slots["requested_slot"] == "applicant_relation"


def test_med_en_genoptraeningsplan_skal_man_ikke_soege():
    rasa = after_interview(outcome="sundhedsloven_140")
    rasa.user("/request_application")
    assert "skal ikke søge" in rasa.text


def test_en_kommune_uden_standard_kan_ikke_faa_en_ansoegning_herfra():
    rasa = after_interview(municipality_code="0461", municipality="Odense")
    rasa.user("/request_application")
    assert "kan jeg ikke sende en ansøgning til Odense Kommune" in rasa.text
