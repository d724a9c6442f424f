"""The Rasa speed-ups change nothing but the time: the action server's responses are accepted and
rejected exactly as by Rasa's own check, event types resolve to the same classes, the classifier gets
the same matrix."""
import ast
import copy
import importlib
import inspect
import logging

import pytest
import structlog
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.policy import Policy
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.trackers import DialogueStateTracker
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
    monkeypatch.setattr(Policy, "format_tracker_states", Policy.__dict__["format_tracker_states"])
    monkeypatch.setattr(DialogueStateTracker, "past_states", DialogueStateTracker.__dict__["past_states"])
    for name in rasa_tuning.LOG_COPYING_MODULES:
        module = importlib.import_module(name)
        monkeypatch.setattr(module, "copy", module.copy)
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
            if "kaput" in parts.values():
                raise RuntimeError(f"{self.name}: kaput")  # Rasa wraps dask's RuntimeError
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
@pytest.mark.parametrize("message", ["hej", "boom", "kaput"])
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


def _debug_calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "debug" and getattr(node.func.value, "id", "") == "structlogger"]


@pytest.mark.parametrize("name", rasa_tuning.LOG_COPYING_MODULES)
def test_rasa_kopierer_kun_det_den_logger_paa_debug_niveau(name):
    """The copies skipped when debug messages are filtered out are all made for such a message:
    every copy.deepcopy in the module is inside a structlogger.debug call, and the rule policy's
    formatted states go nowhere else. (Guards a Rasa upgrade: a copy made for other use would
    fail here.)"""
    tree = ast.parse(inspect.getsource(importlib.import_module(name)))
    in_logs = {id(n) for call in _debug_calls(tree) for n in ast.walk(call)}
    copies = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and n.func.attr == "deepcopy"]
    assert copies and all(id(c) in in_logs for c in copies)
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        formatted = {target.id for n in ast.walk(function) if isinstance(n, ast.Assign)
                     and isinstance(n.value, ast.Call) and getattr(n.value.func, "attr", "") == "format_tracker_states"
                     for target in n.targets}
        uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id in formatted
                and isinstance(n.ctx, ast.Load)]
        assert all(id(u) in in_logs for u in uses), function.name


def test_logkopierne_laves_kun_naar_debug_beskeder_logges(stock_and_tuned):
    states = [{"user": {"intent": "question"}, "prev_action": {"action_name": "action_listen"}}]
    saved = structlog.get_config()
    try:
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
        assert not rasa_tuning.debug_logged()
        assert rasa_tuning.LOG_COPY.deepcopy(states) is states
        assert Policy.format_tracker_states(states) == ""
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
        assert rasa_tuning.debug_logged()
        copied = rasa_tuning.LOG_COPY.deepcopy(states)
        assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]
        assert "user intent: question" in Policy.format_tracker_states(states)
        assert rasa_tuning.LOG_COPY.copy is copy.copy  # the rest of the module as it is
    finally:
        structlog.configure(**saved)


def test_de_huskede_tilstande_er_rasas_egne_ved_hver_tur():
    """At every turn of a conversation (user message, action, slots, the form opened and closed),
    for every combination of arguments the policies use: the same states as Rasa computes; a
    caller that changes its copy (as the featurizer does) changes nothing for the next."""
    from pathlib import Path

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

    domain = Domain.load(str(Path(__file__).resolve().parents[1] / "bot" / "domain.yml"))
    stock = DialogueStateTracker.__dict__["past_states"]
    stock = getattr(stock, "__wrapped__", stock)
    remembered = rasa_tuning.remembered_past_states(stock)
    tracker = DialogueStateTracker("huske", domain.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(ActionExecuted("action_listen"))
    arguments = [{}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["asked_fact"], "loops": []}},
                 {"omit_unset_slots": True, "rule_only_data": {"slots": [], "loops": ["application_form"]}}]
    for turn in range(12):
        tracker.update(UserUttered(f"svar {turn}", intent={"name": "inform" if turn % 2 else "question", "confidence": 0.9}))
        for step in ([ActionExecuted("action_turn"), SlotSet("asked_fact", f"f{turn}")],
                     [ActionExecuted("application_form"), ActiveLoop("application_form" if turn in (4, 5) else None)],
                     [ActionExecuted("action_listen")]):
            for event in step:
                tracker.update(event)
            for kwargs in arguments:
                expected = stock(tracker, domain, **kwargs)
                first = remembered(tracker, domain, **kwargs)
                assert first == expected
                first[-1].clear()  # the featurizer's deletions
                for state in first:
                    for part in state.values():
                        part.clear()
                assert remembered(tracker, domain, **kwargs) == expected


async def _calls_to_a_counting_server(calls: int, config_kwargs=None):
    """Rasa's ``EndpointConfig.request`` ``calls`` times against a local server that counts the TCP
    connections it accepts and records each request's headers."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    seen, peers = [], set()

    async def webhook(request):
        peers.add(request.transport.get_extra_info("peername"))
        seen.append(dict(request.headers))
        if (await request.json()).get("fail"):
            return web.json_response({"error": "nej"}, status=400)
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"Authorization": "Bearer hemmelig"},
                              **(config_kwargs or {}))
    answers = [await endpoint.request(json={"next_action": "action_x"}, method="post") for _ in range(calls)]
    failure = None
    try:
        await endpoint.request(json={"fail": True}, method="post")
    except Exception as exc:  # noqa: BLE001 - the error Rasa's RemoteAction handles
        failure = exc
    await rasa_tuning.close_kept_sessions()
    await runner.cleanup()
    return answers, seen, peers, failure


def test_kaldene_til_handlingsserveren_genbruger_forbindelsen_med_samme_svar_og_fejl(monkeypatch):
    import asyncio

    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    stock = rasa_tuning.stock_session or EndpointConfig.session
    monkeypatch.setattr(EndpointConfig, "session", stock)
    stock_answers, stock_seen, stock_peers, stock_failure = asyncio.run(_calls_to_a_counting_server(5))
    monkeypatch.setattr(EndpointConfig, "session", rasa_tuning.kept_session)
    answers, seen, peers, failure = asyncio.run(_calls_to_a_counting_server(5))
    assert len(stock_peers) == 6  # Rasa's own: a new connection per call
    assert len(peers) == 1        # kept: one connection for all six calls
    assert answers == stock_answers == [{"events": [], "responses": []}] * 5
    assert all(h["Authorization"] == "Bearer hemmelig" for h in seen + stock_seen)
    assert isinstance(failure, ClientResponseError) and isinstance(stock_failure, ClientResponseError)
    assert (failure.status, failure.text) == (stock_failure.status, stock_failure.text) == (400, b'{"error": "nej"}')
    assert rasa_tuning._KEPT == {}  # closed when the server stops


def test_en_lukket_session_eller_en_ny_loekke_faar_en_ny_session(monkeypatch):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setattr(EndpointConfig, "session", rasa_tuning.kept_session)
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook", basic_auth={"username": "a", "password": "b"})

    async def two_sessions():
        first = endpoint.session().session
        again = endpoint.session().session
        await first.close()
        after_close = endpoint.session().session
        from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

        assert after_close.auth.login == "a" and after_close.timeout.total == DEFAULT_REQUEST_TIMEOUT  # as Rasa
        await rasa_tuning.close_kept_sessions()
        return first, again, after_close

    first, again, after_close = asyncio.run(two_sessions())
    assert first is again and after_close is not first
    other_loop = asyncio.run(two_sessions())[0]
    assert other_loop is not first


def test_om_domaenet_er_tomt_svares_som_rasa_svarer_uden_at_bygge_et_tomt_domaene_hver_gang(monkeypatch):
    from pathlib import Path

    from rasa.shared.core.domain import Domain

    stock = Domain.is_empty.__closure__[0].cell_contents if getattr(Domain.is_empty, "remembered", False) \
        else Domain.is_empty
    ours = Domain.load(str(Path(__file__).resolve().parents[1] / "bot" / "domain.yml"))
    cases = [Domain.empty(), Domain.from_dict({"intents": ["hej"]}), ours, Domain.from_dict({})]
    expected = [stock(d) for d in cases]
    assert expected == [True, False, False, True]
    remembered = rasa_tuning.remembered_is_empty(stock)
    built = []
    real_empty = Domain.empty.__func__
    monkeypatch.setattr(Domain, "empty", classmethod(lambda cls: built.append(1) or real_empty(cls)))
    assert [remembered(d) for d in cases] == expected
    calls = len(built)
    assert [remembered(d) for d in cases] == expected  # again: from the domain, nothing built
    assert len(built) == calls
    assert rasa_tuning.remembered_is_empty(remembered) is remembered  # applied once
