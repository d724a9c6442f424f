"""Reading any message, in the interview, the application form or between them: the facts it
states are kept, and every question in it is answered for the municipality it is about."""
from __future__ import annotations

from typing import List, Optional

from .. import answering
from ..municipalities import find_municipality
from ..understanding import understand
from . import answers, interview
from .context import Context
from .language import looks_like_question, split_message as split
from .state import Conversation
from .turn import Replies, Turn

QUESTION_INTENTS = {"question", "ask_person", "out_of_scope"}
MAX_SAID = 12  # the user's own sentences kept for the journal note


def named_municipality(text: str, ctx: Context) -> Optional[str]:
    entry = find_municipality(text.strip(" .!?"), ctx.kb)
    return entry.code if entry else None


def set_municipality(state: Conversation, code: str, ctx: Context) -> None:
    state.code, state.name = code, ctx.municipality_name(code)


def absorb(state: Conversation, turn: Turn, text: str, ctx: Context) -> bool:
    """Keep every fact the message states, who writes, and where the citizen lives."""
    if not text or turn.is_button:
        return False
    understood = understand(text, ctx.kb)
    if understood.relation and not state.staff:
        state.voice_kind, state.relation = "relative", understood.relation
    elif understood.writer and state.voice_kind is None:
        state.voice_kind = understood.writer
    new = {k: v for k, v in understood.facts.items() if state.facts.get(k) != v}
    state.facts.update(new)
    if new:
        state.said = (state.said + [text[:200]])[-MAX_SAID:]
    lives = understood.municipality_code
    changed = False
    if lives and lives != state.code:
        set_municipality(state, lives, ctx)
        changed = True
    return bool(new) or changed


def answer_questions(state: Conversation, questions: List[str], turn: Turn, ctx: Context, out: Replies) -> bool:
    """Answer every question; whether any was answered (or its municipality asked for)."""
    answered = False
    for question in questions:
        resolved = answering.resolve_municipality(question, state.code, turn.page_code, ctx.kb)
        if resolved.ambiguous:
            out.say("ask_which_municipality", state.voice)
            state.pending_question = question
            answered = True
            continue
        code = resolved.code
        if code and state.code is None:
            set_municipality(state, code, ctx)
        if code is None:
            national = answering.answer_question(ctx.kb, question, code=None, offer=None, limit=1)
            if not national.found:
                out.say("ask_municipality_for_question", state.voice)
                state.pending_question = question
                state.asked = interview.MUNICIPALITY
                answered = True
                continue
        if not looks_like_question(question) and turn.intent not in QUESTION_INTENTS | {None}:
            probe = answering.answer_question(ctx.kb, question, code=code, offer=None, limit=1)
            if not probe.found:
                continue  # a statement that is not a question after all
        answers.answer(state, question, ctx, code, resolved.named, out)
        answered = True
    return answered
