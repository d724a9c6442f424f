"""The cached validation of action server responses accepts and rejects exactly what Rasa's does."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

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
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # restored afterwards
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


def test_haendelsestyperne_findes_som_rasa_finder_dem():
    stock = Event.__dict__["resolve_by_type"].__func__
    cached = rasa_tuning.cached_resolve_by_type(stock)
    names = sorted({cls.type_name for cls in all_subclasses(Event)})
    assert len(names) > 20 and "slot" in names and "user" in names
    for name in names:
        assert cached(name) is stock(name)
        assert cached(name, Event) is stock(name, Event)
    assert cached("topic") is stock("topic") is None  # Rasa's backwards compatibility
    assert cached("no_such_event", Event) is stock("no_such_event", Event) is Event
    for fn in (cached, stock):
        with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
            fn("no_such_event")


def test_kontrollen_kan_slaas_fra(monkeypatch):
    monkeypatch.setattr(rasa_tuning, "_applied", False)
    monkeypatch.setenv("TG_RASA_TUNING", "off")
    assert rasa_tuning.apply() is False
