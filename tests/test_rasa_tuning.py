"""The Rasa speed-ups change nothing but the time: the action server's responses are accepted and
rejected exactly as by Rasa's own check, event types resolve to the same classes, the classifier gets
the same matrix."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
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
    monkeypatch.setattr(LogisticRegressionClassifier, "_create_X", LogisticRegressionClassifier.__dict__["_create_X"])
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.__dict__["run"])
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


def _events_of_every_type():
    """One real event of each type the schema knows, as Rasa serialises it."""
    from datetime import datetime

    from rasa.shared.core import events as ev

    return [e.as_dict() for e in [
        ev.UserUttered("hej", intent={"name": "greet", "confidence": 0.9},
                       entities=[{"entity": "by", "value": "Ishøj", "start": 0, "end": 5}],
                       parse_data={"intent_ranking": [{"name": "greet", "confidence": 0.9}]}, input_channel="rest"),
        ev.ActionExecuted("action_turn", policy="RulePolicy", confidence=1.0),
        ev.SlotSet("facts", {"age": 82, "relation": "mor"}), ev.EntitiesAdded([{"entity": "by", "value": "Ishøj"}]),
        ev.DefinePrevUserUtteredFeaturization(True), ev.ReminderCancelled(name="r"),
        ev.ReminderScheduled("remind", datetime(2026, 1, 2, 3, 4), name="r"), ev.ActionExecutionRejected("a", "p", 0.5),
        ev.LegacyFormValidation(True), ev.LoopInterrupted(True), ev.LegacyForm("application_form"),
        ev.ActiveLoop("application_form"), ev.AllSlotsReset(), ev.ConversationResumed(), ev.ConversationPaused(),
        ev.FollowupAction("action_listen"), ev.StoryExported(), ev.Restarted(), ev.UserUtteranceReverted(),
        ev.ActionReverted(), ev.BotUttered("Hvor bor du?", data={"buttons": [{"title": "Ishøj", "payload": "/x"}]}),
        ev.SessionStarted(), ev.AgentUttered("tekst"),
    ]] + [{"event": "form", "name": "application_form", "timestamp": None},  # Rasa 2's form events, which
          {"event": "form_validation", "validate": True, "timestamp": None}]  # Rasa 3 writes as active_loop


def _mutations(value):
    """The value itself, and for a dict: each key removed, and each value replaced by another type
    (one level down as well)."""
    yield value
    if isinstance(value, dict):
        yield {**value, "event": "slot" if value.get("event") != "slot" else "user"}  # another type's name
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for other in (None, 5, 1.5, "x", True, [], {}, [1], {"a": 1}):
                yield {**value, key: other}
            if isinstance(value[key], (dict, list)) and value[key]:
                inner = value[key] if isinstance(value[key], dict) else value[key][0]
                if isinstance(inner, dict):
                    for mutated in list(_mutations(inner))[1:]:
                        yield {**value, key: mutated if isinstance(value[key], dict) else [mutated]}


def test_kontrollen_pr_haendelsestype_er_gyldig_i_praecis_de_samme_tilfaelde(monkeypatch):
    """Every event type, and hundreds of broken variants of each (a field missing, a field of
    another type, one level down too), alone and after a valid event: the check by the event's own
    type accepts exactly what the full schema accepts."""
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    full = validators.validator_for(schema)(schema)
    fast = rasa_tuning.EventTypeValidator.for_schema(schema, validators.validator_for(schema))
    assert fast is not None
    events = _events_of_every_type()
    assert {e["event"] for e in events} == set(fast.by_type)  # every type in the schema is tried
    valid = events[1]
    cases = 0
    for event in events:
        assert full.is_valid({"events": [event]}), event
        for mutated in _mutations(event):
            for response in ({"events": [mutated]}, {"events": [valid, mutated], "responses": [{"text": "x"}]}):
                assert fast.is_valid(response) == full.is_valid(response), response
                cases += 1
    for response in VALID + INVALID + [{"events": [5]}, {"events": [None]}, {"events": [{}]}, {"responses": {}}]:
        assert fast.is_valid(response) == full.is_valid(response), response
    assert cases > 1000


def test_klassifikatorens_input_er_den_samme_matrix_som_rasas():
    """Messages with the features two count-vector featurizers give (sequence and sentence, text
    and other attributes), one with none: the stacked features equal Rasa's own _create_X, value by
    value, in the same columns."""
    import numpy as np
    import scipy.sparse as sp
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    rng = np.random.default_rng(7)

    def message(tokens, widths=(40, 300)):
        m = Message(data={TEXT: "x"})
        for origin, width in zip(("words", "chars"), widths):
            for kind, rows in ((FEATURE_TYPE_SEQUENCE, tokens), (FEATURE_TYPE_SENTENCE, 1)):
                m.add_features(Features(sp.random(rows, width, density=0.2, format="coo", random_state=rng),
                                        kind, TEXT, origin))
            m.add_features(Features(sp.random(1, width, density=0.3, format="coo", random_state=rng),
                                    FEATURE_TYPE_SENTENCE, "intent", origin))
        return m

    messages = [message(n) for n in (1, 3, 7)]
    stock = LogisticRegressionClassifier.__dict__["_create_X"]
    if isinstance(stock, staticmethod):  # the tuning was applied in this process (by the channels' tests)
        stock = rasa_tuning.stock_create_x
    for batch in (messages, messages[:1]):
        ours, theirs = rasa_tuning.stacked_features(batch), stock(None, batch)
        assert ours.shape == theirs.shape == (len(batch), 340)
        assert np.array_equal(ours.toarray(), theirs.toarray())


def test_en_slot_kopieres_som_copy_copy_goer_det_uden_pickle_protokollen():
    """Every slot of the domain and every slot class Rasa has: the same class, the same attributes
    (the very same objects, as a shallow copy), a new instance; changing the copy's value leaves
    the original alone; and a tracker built with the fast copy has the same slots as stock Rasa's."""
    import copy as copymodule

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.slots import AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, ListSlot, TextSlot
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(rasa_tuning_root() / "bot" / "domain.yml"))
    extra = [TextSlot("t", [], initial_value="x"), BooleanSlot("b", [], initial_value=True),
             FloatSlot("f", [], max_value=2.0, min_value=-1.0), ListSlot("l", [], initial_value=[1]),
             CategoricalSlot("c", [], values=["a", "b"]), AnySlot("a", [], initial_value={"k": 1})]
    slots = list(domain.slots) + extra
    assert {type(s) for s in slots} >= {TextSlot, BooleanSlot, FloatSlot, ListSlot, CategoricalSlot, AnySlot}
    for slot in slots:
        fast = rasa_tuning.shallow_copy(slot)
        stock = copymodule._reconstruct(slot, None, *slot.__reduce_ex__(4))
        assert type(fast) is type(stock) is type(slot) and fast is not slot
        assert fast.__dict__.keys() == stock.__dict__.keys()
        assert all(fast.__dict__[k] is stock.__dict__[k] for k in stock.__dict__)
        fast.value = "ændret"
        assert slot.value != "ændret"

    class Pickled(TextSlot):  # a slot class with its own pickling goes the usual way
        type_name = "pickled"

        def __getstate__(self):
            state = dict(self.__dict__)
            state["copied"] = True
            return state

    odd = Pickled("p", [])
    assert rasa_tuning.shallow_copy(odd).__dict__["copied"] is True

    rasa_tuning.apply()  # as the Rasa server does (once per process)
    events = [SlotSet("municipality_code", "0661"), SlotSet("facts", {"age": 82})]
    tracker = DialogueStateTracker.from_events("kopi", events, domain.slots)
    assert tracker.current_slot_values()["municipality_code"] == "0661"
    assert all(tracker.slots[s.name] is not s for s in domain.slots)
    assert all(s.value is None or s.name not in ("municipality_code", "facts") for s in domain.slots)


def rasa_tuning_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


class _Counted:
    calls = []


def _graph_components():
    from rasa.engine.graph import GraphComponent

    class Join(GraphComponent):
        """Joins its inputs in the order its needs name them; counts its calls."""

        def __init__(self, name):
            self.name = name

        @classmethod
        def create(cls, config, model_storage, resource, execution_context):
            return cls(config["name"])

        def join(self, **parts):
            _Counted.calls.append(self.name)
            if "boom" in parts.values():
                raise ValueError(f"{self.name}: boom")
            return f"{self.name}(" + ",".join(f"{k}={v}" for k, v in parts.items()) + ")"

    return Join


def _runner(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    Join = _graph_components()

    def node(name, needs, target=False):
        return SchemaNode(needs=needs, uses=Join, constructor_name="create", fn="join",
                          config={"name": name}, is_target=target)

    # a diamond: both targets need "shared", which needs the input and "leaf"
    schema = GraphSchema({
        "leaf": node("leaf", {}),
        "shared": node("shared", {"x": "__message__", "y": "leaf"}),
        "first": node("first", {"b": "shared", "a": "leaf"}, target=True),
        "second": node("second", {"s": "shared"}, target=True),
        "unused": node("unused", {"s": "shared"}),
    })
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner(schema, storage, ExecutionContext(schema, "test"))


@pytest.mark.parametrize("targets", [None, ["second"], ["first", "second"], ["second", "first"]])
@pytest.mark.parametrize("message", ["hej", "boom"])
def test_grafen_koeres_uden_dask_med_samme_resultat_og_samme_kald(tmp_path, targets, message):
    runner = _runner(tmp_path)

    def outcome(run):
        _Counted.calls = []
        try:
            result = run(runner, inputs={"__message__": message}, targets=targets)
        except Exception as error:  # the node's own error, as dask raises it
            result = (type(error), str(error))
        return result, sorted(_Counted.calls)

    stock = outcome(DaskGraphRunner.__dict__["run"])
    tuned = outcome(rasa_tuning.run_graph)
    assert tuned == stock
    assert tuned == outcome(rasa_tuning.run_graph)  # the graph kept for these targets runs the same again
    if message == "hej":
        assert stock[1].count("shared") == 1 and "unused" not in stock[1]  # each node once, only what is needed
