"""Performance fixes to Rasa 3.6, applied in the Rasa server process by the project's channels.

Rasa 3.6 checks every response of the action server with ``jsonschema.validate(response,
schema)``. ``jsonschema.validate`` first checks the *schema itself* against the JSON Schema
meta-schema (draft 2020-12), every call; for Rasa's large events schema that took 27 ms per custom
action on the development machine, against 0.6 ms for checking the response alone, and was 41 %
of the Rasa server's CPU time in a py-spy profile under load (README, "Benchmarks and load").

``apply()`` replaces ``RemoteAction._validate_action_result`` with the same check on a validator
built once: the same schema, the same validator class, the same error (jsonschema's
``best_match``, which ``validate`` raises) with the same message Rasa adds.

Even built once, the check cost about 9 ms for a response with a dozen events: the schema says
each event is ``oneOf`` 23 event schemas, so jsonschema tries all 23 on every event. Each of them
requires its own ``event`` name (``const``, all different), so exactly one can match: the one named
by the event. ``EventTypeValidator`` checks each event against that one schema only (plus what
every event must have) and the rest of the response without the events: valid in exactly the same
cases, about 20 times faster. A response it finds invalid goes through the full check, which
raises the same error as before.

``Event.resolve_by_type``, called for every event read from the tracker store, walks the whole
tree of Event subclasses (``all_subclasses``, recursive, with an ``inspect.isabstract`` check per
class) to find the class of a type name: 80,000 calls and about 2.4 ms of CPU per message in a
profile of the interview. ``apply()`` looks the name up in a table built from the same walk, in
the same order (the first class with that name wins, as in Rasa), and asks Rasa's own function for a
name the table does not know (so an unknown name gets Rasa's default or error).

``LogisticRegressionClassifier._create_X`` gets a message's features with Rasa's
``get_sparse_features``, which deep-copies the first featurizer's matrix and stacks the next onto
it, then stacks the result again with an empty dense matrix. ``stacked_features`` stacks the same
matrices once, in the same order (the order the featurizers added them, as Rasa's combination
does): the same matrix, without the copies.

Every tracker Rasa makes (loading one, and again for each prior state the policies featurise)
copies each of the domain's slots with ``copy.copy`` (35 here), which goes through the pickle
protocol (``__reduce_ex__``, ``copyreg``, ``_reconstruct``): about a tenth of the Rasa server's CPU
in a profile under load. ``apply()`` gives ``Slot`` a ``__copy__`` that does what that protocol
does for such a class - a new instance of the same class, its ``__dict__`` updated with the
original's - and leaves any slot class that defines its own pickling or ``__slots__`` to
``copy.copy``'s usual way.

Rasa runs its model graph three times per message (understanding, then a prediction after the
message and after the action) through ``DaskGraphRunner.run``: each run works out the part of the
graph the targets need (``minimal_graph_schema``, recursively), builds a dask graph of it, and hands
it to dask's local scheduler, whose queues and callbacks cost more than the bookkeeping they do for
a graph of a dozen nodes run one at a time. ``run_graph`` keeps the graph built per set of targets
(the schema does not change once loaded) and evaluates it in dependency order itself: each node is
called once, with its dependencies' outputs in the order its ``needs`` names them, exactly the
call dask makes (``(node, *needs)``; an input is a value, not a task), on the same thread, and a
node's error surfaces as before.

Rasa's processor and its two policies deep-copy what they log at debug level (the parse data,
the events, every featurised state, and the states formatted as text for the rule policy's log)
before they call ``structlogger.debug`` - also when the level filters the call out, as it does
unless the server runs with ``--debug``: about a tenth of the server's CPU. In those three
modules (and only for calls whose result is an argument of ``structlogger.debug``;
tests/test_rasa_tuning.py reads their source to hold Rasa to that) ``copy.deepcopy`` and
``format_tracker_states`` do their work only when debug messages are logged; otherwise the log
gets the object itself, which it then discards unread.

After a user's message the rule policy works out the conversation's past states twice (once to
match rules on the message's text, once on its intent), the same states each time: a replay of
every event in the tracker (``DialogueStateTracker.past_states``), about a fifth of the CPU of a
prediction. ``remembered_past_states`` keeps the states per tracker for as long as its events
are the same (their number and the last one) and the arguments are the same, and hands each
caller its own copy of the state dictionaries (the featurizer deletes the intent or the text
from the last one).

Rasa calls the action server with ``EndpointConfig.request``, which makes a new aiohttp
``ClientSession`` - its own connection pool - for every call and closes it afterwards: a new TCP
connection, accepted by the action server, for every action, about a twentieth of the Rasa
server's CPU under load. ``kept_session`` hands ``request`` the event loop's one session for that
endpoint (same headers, authentication and timeout), which a caller's ``async with`` does not
close, so calls reuse its connections. An idle connection is dropped after KEEPALIVE_SECONDS, less
than the action server's keep-alive (120 s, scripts/servers.py) and than a load balancer's idle
timeout would be, so the server does not close a connection the client is about to reuse. A call
that fails is not sent again (an action that hands in an application must not run twice): it
fails as a call on a new connection would. ``close_kept_sessions`` closes a loop's sessions when
the server stops.

Before it reads a message's intent, the processor asks ``Domain.is_empty()``, which compares the
domain's whole ``as_dict()`` with that of a new empty domain built from scratch, every message:
about a thirtieth of the server's CPU. ``remembered_is_empty`` keeps the answer on the domain,
as Rasa keeps the domain's other derived values (``lazy_property``): a loaded domain does not
change.

Set ``TG_RASA_TUNING=off`` to run stock Rasa (the benchmark does, to measure the difference).
"""
from __future__ import annotations

import asyncio
import copy
import importlib
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

import numpy as np

_applied = False
# Rasa's modules whose every copy.deepcopy is an argument of structlogger.debug (see the docstring)
LOG_COPYING_MODULES = ("rasa.core.processor", "rasa.core.policies.rule_policy", "rasa.core.policies.memoization")
stock_create_x: Optional[Callable[..., Any]] = None
stock_session: Optional[Callable[..., Any]] = None


def enabled() -> bool:
    from training_guidance.settings import get_settings

    return get_settings().rasa_tuning


def apply() -> bool:
    """Patch once per process; whether the fix is active."""
    global _applied
    if _applied or not enabled():
        return _applied
    from jsonschema import validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.core.events import Event

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate would on every call
    validator = validator_class(schema)
    fast = EventTypeValidator.for_schema(schema, validator_class)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        if fast is not None and fast.is_valid(result):
            return True
        error = best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    global stock_create_x
    if not isinstance(LogisticRegressionClassifier.__dict__["_create_X"], staticmethod):
        stock_create_x = LogisticRegressionClassifier.__dict__["_create_X"]  # Rasa's, for the tests
    LogisticRegressionClassifier._create_X = staticmethod(stacked_features)  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(cached_resolve_by_type(Event.resolve_by_type))  # type: ignore[method-assign]
    from rasa.shared.core.slots import Slot

    Slot.__copy__ = shallow_copy  # type: ignore[attr-defined]
    from rasa.engine.runner.dask import DaskGraphRunner

    DaskGraphRunner.run = run_graph  # type: ignore[method-assign]
    from rasa.core.policies.policy import Policy

    for module in LOG_COPYING_MODULES:
        importlib.import_module(module).copy = LOG_COPY  # type: ignore[attr-defined]
    from rasa.shared.core.trackers import DialogueStateTracker

    DialogueStateTracker.past_states = remembered_past_states(  # type: ignore[method-assign]
        DialogueStateTracker.past_states)
    stock_format = Policy.format_tracker_states
    Policy.format_tracker_states = staticmethod(  # type: ignore[method-assign]
        lambda states: stock_format(states) if debug_logged() else "")
    from rasa.shared.core.domain import Domain

    Domain.is_empty = remembered_is_empty(Domain.is_empty)  # type: ignore[method-assign]
    from rasa.utils.endpoints import EndpointConfig

    global stock_session
    if EndpointConfig.__dict__["session"] is not kept_session:
        stock_session = EndpointConfig.__dict__["session"]  # Rasa's, for the tests
    EndpointConfig.session = kept_session  # type: ignore[method-assign]
    _applied = True
    return True


def remembered_is_empty(stock: Callable[..., bool]) -> Callable[..., bool]:
    """``Domain.is_empty`` worked out once per domain (see the module's docstring)."""
    if getattr(stock, "remembered", False):
        return stock

    def is_empty(self: Any) -> bool:
        known = self.__dict__.get("_tg_is_empty")
        if known is None:
            known = self.__dict__["_tg_is_empty"] = stock(self)
        return known

    is_empty.remembered = True  # type: ignore[attr-defined]
    return is_empty


KEEPALIVE_SECONDS = 4.0
# (event loop, url, headers, auth) → (that loop, its session)
_KEPT: Dict[Tuple[Any, ...], Tuple[Any, Any]] = {}


class _NotClosedOnExit:
    """``async with`` over a kept session: it is entered and left as a new one, but stays open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def kept_session(self: Any) -> _NotClosedOnExit:
    """``EndpointConfig.session`` for calls made in an event loop: the loop's one session for this
    endpoint, configured as Rasa configures a new one, with its connections kept."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    key = (id(loop), self.url, tuple(sorted(self.headers.items())), auth)
    kept = _KEPT.get(key)
    if kept is None or kept[0] is not loop or kept[1].closed:
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))
        kept = _KEPT[key] = (loop, session)
    return _NotClosedOnExit(kept[1])


async def close_kept_sessions() -> None:
    """Close the running loop's kept sessions (when the server stops)."""
    loop = asyncio.get_running_loop()
    for key, (owner, session) in list(_KEPT.items()):
        if owner is loop:
            del _KEPT[key]
            await session.close()


def stacked_features(messages: List[Any]) -> Any:
    """The classifier's input: per message, its text's sentence features, sparse then dense, each
    kind in the order the featurizers added them; one row per message (see the module docstring)."""
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
    from scipy.sparse import csr_matrix, hstack, vstack

    sentences = [[f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
                 for message in messages]
    if sentences and all(sentence and all(f.is_sparse() for f in sentence) for sentence in sentences):
        return _sparse_rows([[f.features for f in sentence] for sentence in sentences])
    rows = []
    for sentence in sentences:
        parts = [f.features for f in sentence if f.is_sparse()] or [csr_matrix([])]
        dense = [f.features for f in sentence if f.is_dense()]
        parts.append(csr_matrix(np.concatenate(dense, axis=-1)) if dense else csr_matrix([]))
        rows.append(hstack(parts))
    return vstack(rows)


def _sparse_rows(rows: List[List[Any]]) -> Any:
    """One CSR row per message from its sparse sentence features (one row each), side by side: the
    matrix ``vstack(hstack(...))`` gives, built from the parts' own arrays. scipy's ``hstack`` and
    ``vstack`` of one-row matrices cost three times the rest of the classifier's input (the
    usual case: the count-vector featurizers' features, no dense ones)."""
    from scipy.sparse import csr_matrix

    data, indices, indptr, widths = [], [], [0], set()
    for parts in rows:
        offset = 0
        for part in parts:
            row = part.tocsr()
            row.sum_duplicates()  # the canonical form (sorted, summed) that hstack's result has too
            data.append(row.data)
            indices.append(row.indices + offset)
            offset += row.shape[1]
        indptr.append(indptr[-1] + sum(len(d) for d in data[len(data) - len(parts):]))
        widths.add(offset)
    if len(widths) != 1:
        raise ValueError(f"messages with features of different widths: {sorted(widths)}")
    return csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                      shape=(len(rows), widths.pop()))


class EventTypeValidator:
    """Validity of an action response by the schema of each event's own type (module docstring)."""

    def __init__(self, outer: Any, by_type: Dict[Text, Any]) -> None:
        self.outer = outer
        self.by_type = by_type

    @classmethod
    def for_schema(cls, schema: Dict[Text, Any], validator_class: Any) -> Optional["EventTypeValidator"]:
        """None when the schema does not have the shape this relies on (then the full check runs)."""
        try:
            items = schema["properties"]["events"]["items"]
            branches = items["oneOf"]
            names = [branch["properties"]["event"]["const"] for branch in branches]
        except (KeyError, TypeError):
            return None
        if len(set(names)) != len(names) or set(items) != {"type", "properties", "required", "oneOf"}:
            return None
        common = {key: value for key, value in items.items() if key != "oneOf"}
        by_type = {name: validator_class({"allOf": [common, branch]}) for name, branch in zip(names, branches)}
        outer = {**schema, "properties": {**schema["properties"], "events": {
            key: value for key, value in schema["properties"]["events"].items() if key != "items"}}}
        validator_class.check_schema(outer)
        return cls(validator_class(outer), by_type)

    def is_valid(self, result: Any) -> bool:
        if not self.outer.is_valid(result):
            return False
        for event in result.get("events", []):
            name = event.get("event") if isinstance(event, dict) else None
            validator = self.by_type.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True


def cached_resolve_by_type(stock: Callable[..., Any]) -> Callable[..., Any]:
    """``Event.resolve_by_type`` with a table of the known type names (see the module docstring)."""
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    table: Dict[Text, Any] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        table.setdefault(cls.type_name, cls)

    def resolve_by_type(type_name: Text, default: Optional[Any] = None) -> Optional[Any]:
        cls = table.get(type_name)
        return cls if cls is not None else stock(type_name, default)

    return resolve_by_type


_PICKLING = ("__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__getnewargs__", "__getnewargs_ex__")
_plain_classes: Dict[type, bool] = {}


def _plain(cls: type) -> bool:
    """Whether ``copy.copy`` copies instances of ``cls`` by the default protocol alone: no class in
    its MRO (but ``object``) defines a pickling hook or non-empty ``__slots__`` (``abc.ABC``, a base
    of ``Slot``, has empty ones)."""
    plain = _plain_classes.get(cls)
    if plain is None:
        ancestors = [klass for klass in cls.__mro__ if klass is not object]
        plain = _plain_classes[cls] = not any(
            name in vars(klass) for klass in ancestors for name in _PICKLING) and not any(
            vars(klass).get("__slots__") for klass in ancestors)
    return plain


def shallow_copy(self: Any) -> Any:
    """``copy.copy(slot)`` without the pickle protocol (see the module docstring)."""
    cls = type(self)
    if not _plain(cls):
        return copy._reconstruct(self, None, *self.__reduce_ex__(4))  # type: ignore[attr-defined]
    new = cls.__new__(cls)
    new.__dict__.update(self.__dict__)
    return new


def run_graph(self: Any, inputs: Optional[Dict[Text, Any]] = None,
              targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """``DaskGraphRunner.run`` without dask's scheduler (see the module docstring)."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    built = self.__dict__.setdefault("_tg_graphs", {})
    key = tuple(run_targets)
    graph = built.get(key)
    if graph is None:
        graph = built[key] = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
    graph = dict(graph)
    if inputs:
        self._add_inputs_to_graph(inputs, graph)
    done: Dict[Text, Any] = {}

    def value(name: Text) -> Any:
        if name in done:
            return done[name]
        task = graph[name]
        if task and callable(task[0]):
            # a name that is no node stays the name itself, as in dask
            result = task[0](*(value(need) if need in graph else need for need in task[1:]))
        else:
            result = task  # an input: (name, value), as dask returns a tuple that is not a task
        done[name] = result
        return result

    try:
        return dict(value(target) for target in run_targets)
    except RuntimeError as e:  # as Rasa wraps dask's (a node's own, or a cycle's)
        raise GraphRunError("Error running runner.") from e


def debug_logged() -> bool:
    """Whether Rasa's structlog loggers log debug messages: its filtering logger makes a level that
    is filtered out a function named ``_nop``."""
    import structlog

    wrapper = structlog.get_config().get("wrapper_class")
    return getattr(getattr(wrapper, "debug", None), "__name__", "") != "_nop"


class _CopyForLogs:
    """The ``copy`` module as LOG_COPYING_MODULES see it: ``deepcopy`` copies only when the debug
    message it is made for will be logged."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: Optional[Dict[int, Any]] = None) -> Any:
        return copy.deepcopy(value, memo) if debug_logged() else value


LOG_COPY = _CopyForLogs()


def _frozen(value: Any) -> Any:
    """A hashable form of ``rule_only_data`` (a dict of lists of names)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in value)
    return value


def remembered_past_states(stock: Callable[..., Any]) -> Callable[..., Any]:
    """``DialogueStateTracker.past_states`` kept while the tracker's events stay the same (see the
    module docstring)."""

    def past_states(self: Any, domain: Any, omit_unset_slots: bool = False, ignore_rule_only_turns: bool = False,
                    rule_only_data: Optional[Dict[Text, Any]] = None) -> List[Dict[Text, Any]]:
        events = self.events
        last = events[-1] if events else None
        memo = self.__dict__.get("_tg_past_states")
        if memo is None or memo[0] != len(events) or memo[1] is not last:
            memo = self.__dict__["_tg_past_states"] = (len(events), last, {})
        key = (id(domain), omit_unset_slots, ignore_rule_only_turns, _frozen(rule_only_data))
        kept = memo[2].get(key)
        if kept is None or kept[0] is not domain:
            kept = memo[2][key] = (domain, stock(self, domain, omit_unset_slots=omit_unset_slots,
                                                 ignore_rule_only_turns=ignore_rule_only_turns,
                                                 rule_only_data=rule_only_data))
        # a state is {"user": {...}, "prev_action": {...}, ...} whose values are strings and tuples
        return [{part: dict(values) for part, values in state.items()} for state in kept[1]]

    past_states.__wrapped__ = stock  # type: ignore[attr-defined]
    return past_states
