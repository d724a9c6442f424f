"""The facts of a situation in Danish words, for summaries, the journal note and the staff view."""
from __future__ import annotations

from typing import Any, List, Mapping, Tuple

from . import say

_WORDS = {"dont_know": "answer_dont_know", "never": "fact_never"}


def fact_value(fact: Any, value: Any) -> str:
    if value is True:
        return say("answer_yes")
    if value is False:
        return say("answer_no")
    if isinstance(value, str) and value in _WORDS:
        return say(_WORDS[value])
    return fact.choices.get(value, str(value)) if fact.choices else str(value)


def described_facts(kb, situation: Mapping[str, Any]) -> List[Tuple[str, str]]:
    """The known facts as (Danish label, Danish value), in the order of knowledge/facts.yml."""
    return [(fact.label, fact_value(fact, situation[fact_id])) for fact_id, fact in kb.facts.items()
            if situation.get(fact_id) is not None]
