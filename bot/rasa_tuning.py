"""Two performance fixes to Rasa 3.6, applied in the Rasa server process by the project's channels.

Rasa 3.6 checks every response of the action server with ``jsonschema.validate(response,
schema)``. ``jsonschema.validate`` first checks the *schema itself* against the JSON Schema
meta-schema (draft 2020-12), every call; for Rasa's large events schema that took 27 ms per custom
action on the development machine, against 0.6 ms for checking the response alone, and was 41 %
of the Rasa server's CPU time in a py-spy profile under load (README, "Benchmarks and load").

``apply()`` replaces ``RemoteAction._validate_action_result`` with the same check on a validator
built once: the same schema, the same validator class, the same error (jsonschema's
``best_match``, which ``validate`` raises) with the same message Rasa adds.

``Event.resolve_by_type``, called for every event read from the tracker store, walks the whole
tree of Event subclasses (``all_subclasses``, recursive, with an ``inspect.isabstract`` check per
class) to find the class of a type name: 80,000 calls and about 2.4 ms of CPU per message in a
profile of the interview. ``apply()`` looks the name up in a table built from the same walk, in
the same order (the first class with that name wins, as in Rasa), and asks Rasa's own function for a
name the table does not know (so an unknown name gets Rasa's default or error).

Set ``TG_RASA_TUNING=off`` to run stock Rasa (the benchmark does, to measure the difference).
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Text

_applied = False


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
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.core.events import Event

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate would on every call
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
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
    Event.resolve_by_type = staticmethod(cached_resolve_by_type(Event.resolve_by_type))  # type: ignore[method-assign]
    _applied = True
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
