"""The cached validation of action server responses accepts and rejects exactly what Rasa's does."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_tuning

VALID = [
    {"events": [{"event": "slot", "timestamp": None, "name": "asked_fact", "value": "age"}],
     "responses": [{"text": "Hvor gammel er du?", "buttons": [{"title": "Ved ikke", "payload": "/dont_know"}]}]},
    {"events": [], "responses": []},
    {},
]
INVALID = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "slot"},
    {"responses": [1]},
    [],
]



@pytest.fixture
def stock_and_tuned(monkeypatch):
    stock = RemoteAction._validate_action_result
    monkeypatch.setattr(rasa_tuning, "_applied", False)
    monkeypatch.setenv("TG_RASA_TUNING", "on")
    assert rasa_tuning.apply()
    tuned = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", stock)
    assert tuned is not stock
    return stock, tuned


def outcome(fn, result):
    try:
        return fn(RemoteAction.__new__(RemoteAction), result)
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("result", VALID + INVALID)
def test_den_hurtige_kontrol_giver_samme_svar_og_fejl_som_rasas_egen(stock_and_tuned, result):
    stock, tuned = stock_and_tuned
    assert outcome(tuned, result) == outcome(stock, result)


def test_kontrollen_kan_slaas_fra(monkeypatch):
    monkeypatch.setattr(rasa_tuning, "_applied", False)
    monkeypatch.setenv("TG_RASA_TUNING", "off")
    assert rasa_tuning.apply() is False
