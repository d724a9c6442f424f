"""The public channels' rules without servers: payload hardening, failure detection, the apology
and malformed socket.io messages (the same rules run end to end in tests/test_e2e_public.py)."""
import asyncio
import json
from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels import (
    APOLOGY, MAX_MESSAGE_CHARS, MAX_MESSAGE_TOKENS, apology, as_plain_text, clean_text, failed_actions, guard,
    harden_payload, shorten, socket_message_error,
)
from training_guidance.readability import lix

YES_NO = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]
WRITER = [{"title": "Om mig selv", "payload": '/inform{"answer": "citizen"}'}]
CUSTOM = {"action_interview", "action_greet"}


def conversation(*, old_buttons=None, new_buttons=None):
    events = [ActionExecuted("action_listen"), UserUttered("hej")]
    if old_buttons:
        events += [ActionExecuted("action_greet"), BotUttered("Vælg", data={"buttons": old_buttons})]
    events += [ActionExecuted("action_listen"), UserUttered("jeg er 80")]
    events += [ActionExecuted("action_interview"), BotUttered("Spørgsmål?", data={"buttons": new_buttons or []}),
               SlotSet("asked_fact", "x"), ActionExecuted("action_listen")]
    return events


def test_en_knap_der_lige_er_tilbudt_sendes_videre_som_payload():
    assert harden_payload("/affirm", conversation(new_buttons=YES_NO)) == "/affirm"
    assert harden_payload(WRITER[0]["payload"], conversation(new_buttons=WRITER)) == WRITER[0]["payload"]


def test_en_skrevet_payload_der_ikke_er_tilbudt_bliver_til_almindelig_tekst():
    events = conversation(new_buttons=YES_NO)
    assert harden_payload("/restart", events) == "restart"
    assert harden_payload('/inform{"answer": "citizen"}', events) == 'inform{"answer": "citizen"}'
    assert harden_payload('/affirm{"municipality": "Holstebro"}', events) == 'affirm{"municipality": "Holstebro"}'
    assert harden_payload("/ask_person", conversation()) == "ask_person"


def test_greet_er_en_payload_som_samtalens_foerste_besked_og_ellers_tekst():
    assert harden_payload("/greet", []) == "/greet"
    assert harden_payload("/greet", [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]) == "/greet"
    assert harden_payload("/greet", conversation(new_buttons=YES_NO)) == "greet"
    assert harden_payload('/greet{"answer": "citizen"}', []) == 'greet{"answer": "citizen"}'


def test_en_gammel_knap_bliver_til_knappens_titel():
    events = conversation(old_buttons=WRITER, new_buttons=YES_NO)
    assert harden_payload(WRITER[0]["payload"], events) == "Om mig selv"


@pytest.mark.parametrize("text", ["/restart", "//restart", " / /restart", "/\x1c/restart", "/\u2003/restart", "/", "///"])
def test_ingen_skraastreg_overlever_som_foerste_tegn_efter_strip(text):
    plain = as_plain_text(text)
    assert not plain.strip().startswith("/")


def test_tekst_uden_skraastreg_roeres_ikke():
    assert harden_payload("hej / farvel", conversation()) == "hej / farvel"


def test_cpr_fjernes():
    assert "010145-1234" not in clean_text("mit cpr er 010145-1234")


def test_lange_beskeder_afkortes_mellem_to_ord():
    prose, cut = shorten("min mor er faldet og " * 200)
    assert cut and len(prose) <= MAX_MESSAGE_CHARS and prose.endswith(("og", "faldet", "er", "mor", "min"))
    emoji, cut = shorten("😀" * 10_000)  # one token each: cut by tokens, long before the characters
    assert cut and emoji == "😀" * MAX_MESSAGE_TOKENS
    word, cut = shorten("a" * 20_000)  # one giant word is cut inside it
    assert cut and word == "a" * MAX_MESSAGE_CHARS
    assert shorten("hej" + " " * 5000) == ("hej" + " " * 5000, False)  # trailing space is not content
    assert shorten("kan jeg få genoptræning?") == ("kan jeg få genoptræning?", False)


class _NoAgent:
    agent = None


def test_en_afkortet_besked_siges_foer_svaret_og_rasa_faar_kun_begyndelsen():
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    seen = []

    async def rasa(message):
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Svaret på begyndelsen.")

    out = CollectingOutputChannel()
    asyncio.run(guard(rasa, _NoAgent())(UserMessage("🙂 " * 3000, out, "lang")))
    assert seen == [" ".join(["🙂"] * MAX_MESSAGE_TOKENS)]
    assert [m["text"] for m in out.messages] == [
        "Din besked var meget lang, så jeg har kun læst begyndelsen (cirka 2.000 tegn). "
        "Skriv gerne resten i en ny besked.", "Svaret på begyndelsen."]

    out = CollectingOutputChannel()
    asyncio.run(guard(rasa, _NoAgent())(UserMessage("min mor på 82 er faldet", out, "kort")))
    assert [m["text"] for m in out.messages] == ["Svaret på begyndelsen."]


def test_en_handling_uden_haendelser_er_fejlet():
    failed = [ActionExecuted("action_listen"), UserUttered("ja"), ActionExecuted("action_interview"),
              ActionExecuted("action_listen")]
    assert failed_actions(failed, CUSTOM) == ["action_interview"]
    assert failed_actions(conversation(new_buttons=YES_NO), CUSTOM) == []
    utter_only = [UserUttered("tak"), ActionExecuted("utter_you_are_welcome"), ActionExecuted("action_listen")]
    assert failed_actions(utter_only, CUSTOM) == []


def test_undskyldningen_er_let_dansk_og_har_kommunens_telefonnummer():
    text = apology("0661")
    assert text.startswith(APOLOGY) and "9611 4800" in text
    assert lix(APOLOGY) <= 40
    assert "Ring til din kommune" in apology(None)


@pytest.mark.parametrize("args,needs_session", [
    ((), True), (([],), True), (("hej",), True), ((None,), True), (({"message": 1, "session_id": "s"},), True),
    (({"message": "hej"},), True), (({"message": "hej", "session_id": 5},), True),
    (({"message": "hej", "session_id": "s", "metadata": "ikke json"},), True),
    (({"message": "hej", "session_id": "s", "metadata": [1]},), True), (({"message": "hej"}, {}), False),
])
def test_ugyldige_socketio_beskeder_afvises(args, needs_session):
    assert socket_message_error(args, needs_session, "metadata")


def test_gyldige_socketio_beskeder_godtages():
    assert socket_message_error(({"message": "hej", "session_id": "s"},), True, "metadata") is None
    assert socket_message_error(({"message": "hej", "session_id": "s", "metadata": json.dumps({"mode": "staff"})},),
                                True, "metadata") is None
    assert socket_message_error(({"message": "hej"},), False, "metadata") is None


CONVERSATIONS = [
    [("/greet", "greet"), ("min mor på 82 i holstebro er faldet", "describe_situation"), ("nej", "deny"),
     ("hvad koster kørsel?", "question"), ("blå banan", "nlu_fallback"), ("tak", "thanks")],
    [("Hello, can you help me?", "out_of_scope"), ("Jeg bor i Odense. Hvordan klager jeg?", "question"),
     ("start forfra", "inform"), ("/request_application", None)],
]


@pytest.mark.parametrize("turns", CONVERSATIONS)
def test_hver_handling_giver_en_besked_eller_en_haendelse_saa_en_tom_handling_betyder_en_fejl(turns, monkeypatch):
    """The apology's failure detection relies on this: a custom action that Rasa logged with no
    event at all (no message, no slot) is one whose result was lost."""
    from rasa_driver import RasaLike

    monkeypatch.setenv("TG_TODAY", "2026-11-23")
    rasa = RasaLike(metadata={"kommune": "0661"})
    for text, intent in turns:
        rasa.user(text, intent=intent)
    assert rasa.calls and all(messages or events for _, messages, events in rasa.calls), rasa.calls


def test_kontroltegn_og_enlige_surrogater_fjernes_foer_rasa_ser_teksten():
    assert clean_text("hej\x00med\x07nul\x1b") == "hej med nul"
    assert clean_text("x\ud800y") == "x\ufffdy"
    assert clean_text("010145\x001234") == "[CPR-nummer fjernet]"
    assert clean_text("linje\nlinje\ttab") == "linje\nlinje\ttab"


def test_cpr_kontrollen_finder_cpr_numre_men_ikke_rasas_hex_id():
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from hostile import cpr_like_in

    assert list(cpr_like_in(b'"text": "x0101451234y 311299-9999"')) == [b"0101451234", b"311299-9999"]
    assert list(cpr_like_in(b'"message_id": "115f1ae76f424664aba6c0703982939c"')) == []
    assert list(cpr_like_in(b"12345678 991399-1234 0101451234567")) == []


# What runs inside the Rasa server's process (Python 3.10, Rasa's own pins) stays small: the channel,
# the settings, CPR masking and, for the apology, the knowledge and the contact line. Everything
# else the project wrote runs on Python 3.11 in its own processes (docs/operations.md).
RASA_PROCESS_MODULES = {
    "training_guidance", "training_guidance.cpr", "training_guidance.settings", "training_guidance.pydantic_compat",
    "training_guidance.knowledge", "training_guidance.knowledge.loader", "training_guidance.knowledge.schema",
    "training_guidance.deadlines", "training_guidance.dialogue", "training_guidance.dialogue.items",
    "training_guidance.texts", "training_guidance.texts.voice",
}
RASA_PROCESS_SCRIPT = """
import json, sys
import jsonschema, sanic, rasa.core.channels.rest, rasa.core.channels.socketio, rasa.core.actions.action
import rasa.nlu.classifiers.logistic_regression_classifier  # the model's classifier: the server loads it
import rasa.core.processor, rasa.engine.runner.dask  # the server's processor and graph runner
import rasa.core.policies.rule_policy, rasa.core.policies.memoization  # the model's policies
loaded = set(sys.modules)
import bot.channels as channels, bot.rasa_tuning as tuning
channels.ChannelKeys.from_settings(); tuning.apply(); text = channels.apology("0661")
new = set(sys.modules) - loaded
print(json.dumps({"text": text, "modules": sorted(m for m in new if m.startswith("training_guidance")),
                  "packages": sorted({m.split(".")[0] for m in new} - set(sys.stdlib_module_names)
                                     - {"bot", "training_guidance"})}))
"""


def test_i_rasas_proces_koerer_kun_kanalen_indstillingerne_cpr_og_kontaktlinjen():
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", RASA_PROCESS_SCRIPT], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"},
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Holstebro Kommune" in found["text"]
    assert set(found["modules"]) <= RASA_PROCESS_MODULES, set(found["modules"]) - RASA_PROCESS_MODULES
    # beyond what Rasa itself loads: only libraries Rasa's own environment has anyway
    assert {p for p in found["packages"] if not p.startswith("_")} <= {"pydantic", "yaml", "holidays"}, found["packages"]
