"""Faults mid-interview against the real servers: the action server killed, the Rasa server
killed and started again. The conversation must survive both with its slots."""
import os
import signal
import time

import pytest

from e2e import say, slots, start, stored_events, texts
from servers import HOST, _get

pytestmark = [pytest.mark.servers, pytest.mark.timeout(600)]
OPENING = "min mor på 82 i holstebro er faldet og er blevet meget svag"
HOLSTEBRO_PHONE = "9611 4800"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("tg-faults"), {"TG_TODAY": "2026-11-23"})
    yield running
    running.stop()


def kill(servers, name):
    """SIGKILL: no clean shutdown, as in a crash."""
    proc = servers.processes.pop(name)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def wait_for(url, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _get(url) == 200:
            return
        time.sleep(0.3)
    raise TimeoutError(url)


def state(servers, sender):
    return slots(stored_events(servers.env["TG_TRACKER_URL"], sender))


def answer_with_a_button(servers, sender, replies):
    """Press the first offered button that is not 'Ved ikke'."""
    buttons = [b for r in replies for b in r.get("buttons", []) if b["title"] != "Ved ikke"]
    assert buttons, texts(replies)
    return say(servers, sender, buttons[-1]["payload"]), buttons[-1]["payload"]


def interview_two_steps(servers, sender):
    replies = say(servers, sender, OPENING)
    replies, _ = answer_with_a_button(servers, sender, replies)
    before = state(servers, sender)
    assert before.get("municipality_code") == "0661" and before.get("asked_fact")
    return replies, before


def test_handlingsserveren_doer_midt_i_interviewet_og_samtalen_fortsaetter_bagefter(servers):
    sender = "fault-actions"
    replies, before = interview_two_steps(servers, sender)
    buttons = [b for r in replies for b in r.get("buttons", []) if b["title"] != "Ved ikke"]

    kill(servers, "actions")
    failed = say(servers, sender, buttons[-1]["payload"])
    text = texts(failed)
    assert text.startswith("Beklager. Der er en teknisk fejl") and HOLSTEBRO_PHONE in text, text
    assert state(servers, sender) == before  # nothing lost, nothing half-done

    servers.start_action_server()
    wait_for(f"http://{HOST}:{servers.action_port}/health")
    again = say(servers, sender, buttons[-1]["payload"])
    after = state(servers, sender)
    assert "teknisk fejl" not in texts(again)
    assert after["facts"].get(before["asked_fact"]) is not None  # the question is answered now
    assert before["facts"].items() <= after["facts"].items()
    assert {k: v for k, v in before.items() if k not in ("asked_fact", "failed_attempts", "facts")}.items() <= after.items()


def test_rasa_serveren_genstartes_midt_i_interviewet_og_samtalen_hentes_fra_databasen(servers):
    sender = "fault-rasa"
    replies, before = interview_two_steps(servers, sender)

    kill(servers, "rasa")
    servers.start_rasa_server()
    wait_for(f"{servers.url}/")
    assert state(servers, sender) == before

    again, _ = answer_with_a_button(servers, sender, replies)
    reply = texts(again)
    assert "Hvor bor" not in reply and "Hej! Jeg er Træningsguiden" not in reply
    after = state(servers, sender)
    assert after["facts"].get(before["asked_fact"]) is not None
    assert after.get("municipality_code") == "0661" and after.get("relation") == before.get("relation")
