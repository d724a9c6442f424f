"""The eligibility interview: ask only what the rules still need, one question at a time.

The engine (``assess``) says which facts are missing, in the order worth asking; facts the user
already gave anywhere in the conversation are never asked again. Two answers that cannot be read
lead to an explanation and a phone number, and the interview moves on without the answer.
"""
from __future__ import annotations

from typing import Any, Optional, Tuple

from ..assessment import DONT_KNOW, assess
from ..knowledge.schema import FactType
from ..texts import Voice, say
from ..understanding import INVALID, parse_answer
from . import verdict
from .context import Context
from .items import contact_text, sources_line
from .state import Conversation
from .turn import Button, Replies, Turn, answer_button, answer_payload

WRITER, MUNICIPALITY = "writer", "municipality"  # questions that steer the interview, not facts
MAX_ATTEMPTS = 2
NATIONAL_FACT_SOURCES = {
    "admitted_to_hospital": "admitted", "hospital_plan": "hospital_plan", "age": "adults_only",
    "condition_course": "serviceloven_88_2",
}


def start(state: Conversation, ctx: Context, out: Replies) -> None:
    state.active, state.paused = True, False
    next_step(state, ctx, out)


def next_step(state: Conversation, ctx: Context, out: Replies, back_to: Optional[str] = None) -> None:
    """Ask the next question the rules need, or give the assessment. When the next question is
    ``back_to`` (asked before a side question), it says "Tilbage til spørgsmålet:"."""
    fact = _next_fact(state, ctx)
    if fact is not None:
        ask(state, fact, ctx, out, prefix=say("back_to_question", state.voice) if fact == back_to else None)
        return
    result = assess(state.facts, state.code, ctx.today, ctx.kb)
    state.asked, state.attempts, state.active = None, 0, False
    state.track, state.outcome = result.track, result.outcome
    verdict.conclude(state, result, ctx, out)


def _next_fact(state: Conversation, ctx: Context) -> Optional[str]:
    if state.voice_kind is None:
        return WRITER
    if state.code is None:
        return MUNICIPALITY
    missing = [f for f in assess(state.facts, state.code, ctx.today, ctx.kb).missing if f != "municipality"]
    return missing[0] if missing else None


def ask(state: Conversation, fact: str, ctx: Context, out: Replies, prefix: Optional[str] = None) -> None:
    """Say the question for ``fact`` (with the rule behind it, for staff) and remember it."""
    voice = state.voice
    text = question_text(fact, ctx, voice)
    if prefix:
        text = f"{prefix} {text}"
    if voice.kind == "staff" and fact in ctx.kb.facts:
        text += "\n" + why_for_staff(fact, state, ctx)
    if fact != state.asked:
        state.attempts = 0
    state.asked = fact
    out.text(f"ask_{fact}", text, buttons_for(fact, ctx, voice))


def question_text(fact: str, ctx: Context, voice: Voice) -> str:
    if fact == WRITER:
        return say("ask_writer", voice)
    if fact == MUNICIPALITY:
        return say("ask_municipality", voice)
    questions = ctx.kb.facts[fact].questions
    template = {"citizen": questions.citizen, "relative": questions.relative, "staff": questions.staff}[voice.kind]
    return template.replace("{who}", voice.who)


def buttons_for(fact: str, ctx: Context, voice: Voice) -> Tuple[Button, ...]:
    dont_know = answer_button("button_dont_know", voice, "dont_know")
    if fact == WRITER:
        return (answer_button("button_myself", voice, "citizen"), answer_button("button_other", voice, "relative"))
    if fact == MUNICIPALITY:
        return ()
    spec = ctx.kb.facts[fact]
    if spec.type is FactType.boolean:
        return (answer_button("button_yes", voice, "yes"), answer_button("button_no", voice, "no"), dont_know)
    if spec.type is FactType.choice:
        return tuple(Button(title, answer_payload(value)) for value, title in spec.choices.items()) + (dont_know,)
    if spec.type is FactType.months_or_never:
        return (answer_button("button_never", voice, "never"), dont_know)
    return (dont_know,)


def why_for_staff(fact: str, state: Conversation, ctx: Context) -> str:
    """For staff: why this question matters, with the rule and its source."""
    why = ctx.kb.facts[fact].why
    standard = ctx.kb.standard_for(state.code)
    if standard is not None:
        offers = [state.track] if state.track in standard.offers else list(standard.offers)
        for key in offers:
            for crit in standard.offers[key].criteria:
                if crit.fact == fact:
                    return say("why_for_staff", why=crit.text,
                               source=sources_line(ctx.kb, [crit.source])[len("Kilde: "):].rstrip("."))
    item = ctx.kb.national.items.get(NATIONAL_FACT_SOURCES.get(fact, ""))
    if item is None:
        return say("why_for_staff_no_source", why=why)
    return say("why_for_staff", why=why, source=f"{item.source.document}, {item.source.section}")


BUTTON_VALUES = {"yes": True, "no": False, "dont_know": DONT_KNOW}


def read_answer(state: Conversation, turn: Turn, text: str, ctx: Context) -> Any:
    """The value the user gave for the open question, or INVALID."""
    fact = state.asked
    if turn.button is not None and fact not in (WRITER, MUNICIPALITY):
        spec = ctx.kb.facts.get(fact)
        if turn.button in BUTTON_VALUES:
            return BUTTON_VALUES[turn.button]
        if spec is not None and (turn.button in spec.choices or turn.button == "never"):
            return turn.button
        return INVALID
    return parse_answer(fact, text, turn.intent, ctx.kb)


def reask(state: Conversation, ctx: Context, out: Replies) -> None:
    """The answer could not be read: ask once more, then explain and move on."""
    state.attempts += 1
    fact = state.asked
    voice = state.voice
    if state.attempts < MAX_ATTEMPTS:
        ask(state, fact, ctx, out, prefix=say("ask_again", voice))
        return
    key = "why_asked_municipality" if fact == MUNICIPALITY else "why_asked"
    out.text(key, f"{say(key, voice)}\n{contact_text(ctx.kb, state.code, voice)}")
    state.asked, state.attempts = None, 0
    if fact == MUNICIPALITY:
        state.active = False
        return
    if fact == WRITER:
        state.voice_kind = "citizen"
    else:
        state.facts[fact] = DONT_KNOW
    next_step(state, ctx, out)
