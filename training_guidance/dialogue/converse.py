"""One step of the conversation: state + the user's message → new state + replies.

Every message is read the same way, whatever the NLU guessed and wherever it comes: its facts
(age, relation, municipality, the situation) are kept, an answer to the open question is taken,
every question in it is answered from the standard, and then the interview goes on — or not, if
the user only wanted to know something. The NLU's intent is a hint; the text decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .. import answering
from ..cpr import CPR_MASK, mask_cpr
from ..texts import say
from ..understanding import INVALID, understand
from . import answers, interview, reading, verdict
from .context import Context
from .items import contact_text, municipality_name, phone_item
from .language import (asks_for_reference, asks_for_staff_mode, fold, has_content, is_english, is_greeting_only,
                       is_restart, is_thanks,
                       looks_like_question, yes_or_no,
                       split_message, wants_assessment, wants_out, wants_person, wants_read_more)
from .state import Conversation
from .turn import Reply, Replies, Turn, answer_button, button, reply

SOCIAL = {"thanks": "thanks_reply", "goodbye": "goodbye", "bot_challenge": "bot_challenge"}
# Buttons that ask a question: the answer value → the catalogue key of the button's title.
BUTTON_QUESTIONS = {"ask_cost": "button_cost", "ask_transport": "button_transport", "ask_complaint": "button_complaint"}
STARTS_INTERVIEW = {"describe_situation", "start_assessment"}


def respond(state: Conversation, turn: Turn, ctx: Context) -> Tuple[Conversation, Replies]:
    """The conversation after ``turn``, and what the assistant says."""
    state, out = state.copy(), Replies()
    text, had_cpr = mask_cpr(turn.text or "")
    if had_cpr or CPR_MASK in text:
        out.say("cpr_warning", state.voice)
    # "gen optræning", "otte og firs" (dictated), "… om ugen.. nej vent, jeg mener hvor længe varer det"
    text = answering.corrected(answering.as_typed(text.strip()))
    if turn.staff and not state.staff and _start_staff_script(state, turn, text, ctx, out):
        return state, out
    new_page = _use_page_municipality(state, turn, ctx)
    if _change_of_course(state, turn, text, ctx, out, new_page):
        return state, out
    if turn.button in BUTTON_QUESTIONS:
        text = say(BUTTON_QUESTIONS[turn.button], state.voice)  # the button's title is the question
        turn = Turn(text=text, intent="question", confidence=1.0, page_code=turn.page_code)
    read = _read_message(state, turn, text, ctx, out)
    if read is None:
        return state, out  # the user left the interview; their question is answered
    if state.active:
        _go_on_with_interview(state, turn, text, read, ctx, out)
    else:
        _outside_interview(state, turn, text, read, ctx, out)
    return state, _without_repeats(out)


def _answer_again(state: Conversation, recent: List[str], follow: Tuple[Tuple[str, ...], Optional[str]],
                  ctx: Context, out: Replies) -> None:
    """The questions just answered, for the municipalities and the kind of training a follow-up
    names ("og i Horsens?": each under "I Horsens Kommune:"; "hvad med vedligeholdende?")."""
    codes, offer = follow
    for code in codes or (state.code,):
        for question in recent:
            answers.answer(state, reading.for_offer(question, offer), ctx, code, bool(codes), out,
                           one_of_several=len(codes) > 1, offer=offer)
    state.recent_questions = recent


def _without_repeats(out: Replies) -> Replies:
    """An answer whose every sentence the assessment of the same turn says again is left out: the
    assessment already gives it as a reason, with its source."""
    assessment = next((r.text for r in out.items if r.key == "assessment"), None)
    if assessment is None:
        return out
    kept = [r for r in out.items if r.key != "answer" or not answers.said_in(r.text, assessment)]
    if len(kept) < len(out.items):
        out.items[:] = kept
    return out


@dataclass
class _Read:
    """What one message gave: an answer or facts (progress), questions answered, the situation."""

    progress: bool
    gave_facts: bool
    answered: bool
    eligibility: List[str]
    code_before: Optional[str]
    asked_at_start: Optional[str]


def _start_staff_script(state: Conversation, turn: Turn, text: str, ctx: Context, out: Replies) -> bool:
    """The staff channel's first message: the script starts (unless the message is a situation)."""
    state.voice_kind, state.relation = "staff", None
    out.say("staff_intro", state.voice)
    _use_page_municipality(state, turn, ctx)
    if not text or text.startswith("/") or is_greeting_only(text) or asks_for_staff_mode(text):
        interview.start(state, ctx, out)
        return True
    return False


def _change_of_course(state: Conversation, turn: Turn, text: str, ctx: Context, out: Replies, new_page: bool) -> bool:
    """Messages that are not about the situation: an offer's answer, »Læs mere«, start over,
    English, "personale", a greeting, the reference number. Whether one was handled."""
    offer, state.offer = state.offer, None  # an offer is answered by the next message, or forgotten
    # "ok tak" to »Vil du vide mere?« is thanks, "ja tak" is yes
    said_yes = yes_or_no(text) if offer and not turn.button and not is_thanks(text) else None
    if turn.button == "more" or offer == "more" and said_yes:
        answers.answer_more(state, ctx, out)
        _resume(state, ctx, out)
    elif offer in ("verdict_apply", "verdict_more") and wants_read_more(text):
        verdict.read_more(state, ctx, out)
    elif offer in ("verdict_apply", "verdict_more") and said_yes is not None and len(text.split()) <= 3:
        # "Vil du søge, eller vil du vide mere?" - "ja" does not say which
        if not said_yes:
            out.say("verdict_declined", state.voice)
        elif offer == "verdict_more":
            verdict.read_more(state, ctx, out)
        else:
            out.say("verdict_which", state.voice, buttons=verdict.closing_buttons(state, ctx))
            state.offer = offer
    elif offer == "assessment" and said_yes is not None and len(text.split()) <= 5:
        if said_yes:
            interview.start(state, ctx, out)
        else:
            out.say("interview_paused", state.voice, buttons=_menu(state, ctx))
    elif turn.button == "read_more":
        verdict.read_more(state, ctx, out)
    elif is_restart(text):
        _restart(state, turn, ctx, out)
    elif is_english(text):
        out.add(_english(state, ctx))
    elif asks_for_staff_mode(text) and not state.staff:
        out.text("staff_only", f"{say('staff_only', state.voice)}\n{contact_text(ctx.kb, state.code, state.voice)}")
    elif is_greeting_only(text) or turn.intent == "greet" and text.startswith("/"):
        _greet(state, ctx, out, new_page)
    elif asks_for_reference(text) and not state.asked:
        reference = state.application.reference
        out.say("reference_again" if reference else "reference_none", state.voice, reference=reference or "")
    else:
        return False
    return True


def _read_message(state: Conversation, turn: Turn, text: str, ctx: Context, out: Replies) -> Optional[_Read]:
    """The answer to the open question, every fact, every question answered. None when the user
    leaves the interview ("nej, jeg vil bare vide hvad det koster")."""
    statements, questions = split_message(text) if not turn.is_button else ([text], [])
    code_before, asked_at_start = state.code, state.asked
    # Only the turn just before: "nej vent, hun bor i Horsens" corrects what was just answered
    recent, state.recent_questions = state.recent_questions, []
    progress = _take_answer(state, turn, text, statements, questions, ctx)
    follow = reading.follow_up(text, ctx) if recent and not progress and not turn.is_button else None
    if follow is not None:  # "og i Horsens?", "hvad med vedligeholdende?": the same questions again
        _answer_again(state, recent, follow, ctx, out)
        return _Read(False, False, True, [], code_before, asked_at_start)
    gave_facts = reading.absorb(state, turn, text, ctx)
    if wants_out(text) and (state.active or state.asked):
        state.active, state.paused, state.asked, state.attempts = False, True, None, 0
        reading.answer_questions(state, questions or [text], turn, ctx, out, message=text)
        out.say("interview_paused", state.voice, buttons=(button("button_continue", state.voice, "/start_assessment"),))
        return None
    # "Kan min mor få træning?" is answered by the interview that assesses her, not by one item;
    # "... hjemme i stuen?" also by the item on where, when the standard has one.
    # ("min mor er 90 kan hun få træning hjemme" is one: a question without its question mark)
    eligibility = [q for q in questions + statements if wants_assessment(q)]
    questions = [q for q in questions if q not in eligibility]
    topical = [q for q in eligibility if reading.asks_a_topic(q, ctx)]
    answered = bool(topical) and reading.answer_questions(state, topical, turn, ctx, out, only_if_found=True,
                                                          message=text)
    answered = (reading.answer_questions(state, questions, turn, ctx, out, message=text) if questions
                else False) or answered
    if state.code != code_before and state.code and not answered:
        key = "municipality_set" if ctx.has_standard(state.code) else "municipality_set_no_standard"
        out.say(key, state.voice, kommune=state.name)
        again = [q for q in recent if not reading.asked_of_another(q, ctx)]
        if code_before and again:
            # "nej vent, hun bor faktisk i Horsens": what was just answered for Holbæk, for Horsens
            for question in again:
                answers.answer(state, question, ctx, state.code, False, out)
            state.recent_questions = again
            answered = True
    if state.pending_questions and state.code and state.asked != interview.MUNICIPALITY:
        answer_pending(state, ctx, out)
        answered = True
    return _Read(progress or gave_facts, gave_facts, answered, eligibility, code_before, asked_at_start)


def _go_on_with_interview(state: Conversation, turn: Turn, text: str, read: _Read, ctx: Context,
                          out: Replies) -> None:
    answered = read.answered
    if not read.progress and not answered:
        # A request for a person, thanks or "er du en robot?" in the middle: say it, then ask again.
        if wants_person(text) or turn.intent == "ask_person":
            out.text("contact", contact_text(ctx.kb, state.code, state.voice))
            answered = True
        elif turn.intent in SOCIAL and turn.confidence >= 0.6 or is_thanks(text):
            out.say(SOCIAL.get(turn.intent, "thanks_reply"), state.voice)
            answered = True
    if read.progress or not state.asked:
        # After answering a question of theirs, the same interview question again says so.
        interview.next_step(state, ctx, out, back_to=read.asked_at_start if answered else None)
    elif answered:
        interview.ask(state, state.asked, ctx, out, prefix=_say_back(state))
    else:
        interview.reask(state, ctx, out)


def _outside_interview(state: Conversation, turn: Turn, text: str, read: _Read, ctx: Context, out: Replies) -> None:
    starts = bool(read.eligibility) or turn.intent == "start_assessment" or (
        not read.answered and not state.paused
        and (read.gave_facts or turn.intent in STARTS_INTERVIEW and turn.confidence >= 0.5))
    if starts:
        interview.start(state, ctx, out)
    elif read.answered:
        if read.gave_facts and not state.outcome:  # a situation as well: offer the assessment, never force it
            out.say("offer_assessment", state.voice, buttons=(button("button_yes", state.voice, "/start_assessment"),))
            state.offer = "assessment"
    elif is_thanks(text):  # "tak", "mange tak for hjælpen", whatever the NLU made of it
        out.say("thanks_reply", state.voice)
    elif not turn.is_button and has_content(text) and not wants_person(text) \
            and turn.intent not in {*SOCIAL, "greet", "ask_person", "affirm", "deny", "dont_know"} \
            and reading.answer_questions(state, [text], turn, ctx, out, only_if_found=True):
        pass  # "svømmehal holbæk": not a question by its form, but the standard answers it
    elif wants_person(text) or turn.intent == "ask_person":
        out.text("contact", contact_text(ctx.kb, state.code, state.voice))
    elif state.code != read.code_before and state.code:
        out.say("what_now", state.voice, buttons=_menu(state, ctx))
    elif turn.intent in SOCIAL:
        out.say(SOCIAL[turn.intent], state.voice)
    elif state.asked == interview.MUNICIPALITY:
        interview.reask(state, ctx, out)
    else:
        key = "out_of_scope" if turn.intent == "out_of_scope" else "not_understood"
        out.say(key, state.voice, buttons=_menu(state, ctx))


# --- the parts of a step ---------------------------------------------------------------------------

def _use_page_municipality(state: Conversation, turn: Turn, ctx: Context) -> bool:
    """The web page's municipality, until the user names one."""
    if state.code or not turn.page_code:
        return False
    name = ctx.municipality_name(turn.page_code)
    if not name:
        return False
    state.code, state.name = turn.page_code, name
    return True


def _greet(state: Conversation, ctx: Context, out: Replies, new_page: bool) -> None:
    voice = state.voice
    out.say("greeting", voice)
    if state.code and new_page:
        key = "page_municipality" if ctx.has_standard(state.code) else "page_municipality_no_standard"
        out.say(key, voice, kommune=state.name)
    if state.code:
        out.say("what_now", voice, buttons=_menu(state, ctx))
    else:
        out.say("ask_municipality", voice)
        state.asked = interview.MUNICIPALITY


def _restart(state: Conversation, turn: Turn, ctx: Context, out: Replies) -> None:
    """"Start forfra": everything forgotten but the staff script and the page's municipality."""
    fresh = Conversation(voice_kind="staff" if state.staff else None)
    _use_page_municipality(fresh, turn, ctx)
    out.say("restarted", fresh.voice)
    if fresh.staff:
        interview.start(fresh, ctx, out)
    else:
        _greet(fresh, ctx, out, new_page=fresh.code is not None)
    state.__dict__.update(fresh.__dict__)


def _english(state: Conversation, ctx: Context) -> Reply:
    item = phone_item(ctx.kb, state.code)
    if item is None:
        return reply("english", state.voice)
    return reply("english_phone", state.voice, kommune=municipality_name(ctx.kb, state.code), phone=item.phone.number)


def _take_answer(state: Conversation, turn: Turn, text: str, statements: List[str], questions: List[str],
                 ctx: Context) -> bool:
    """Read the answer to the interview's open question; whether one was given."""
    asked = state.asked
    if not asked or state.paused and not state.active and asked != interview.MUNICIPALITY:
        return False
    said = " ".join(statements) if statements else ("" if questions else text)
    if asked == interview.WRITER:
        choice = turn.button if turn.button in ("citizen", "relative") else _writer_in(said)
        if choice:
            state.voice_kind = choice
            state.asked, state.attempts = None, 0
            return True
        return False
    if asked == interview.MUNICIPALITY:
        found = understand(text, ctx.kb).municipality_code or reading.named_municipality(text, ctx)
        if found:
            reading.set_municipality(state, found, ctx)
            state.asked, state.attempts = None, 0
            return True
        return False
    if not said:
        return False
    value = interview.read_answer(state, turn, said, ctx)
    if value is INVALID:
        return False
    state.facts[asked] = value
    state.asked, state.attempts = None, 0
    return True


def _writer_in(text: str) -> Optional[str]:
    low = fold(text)
    if re.search(r"\b(anden|andre|parorende|min|mit|vores|hende|ham|hun|han)\b", low):
        return "relative"
    if re.search(r"\b(mig|selv|jeg)\b", low):
        return "citizen"
    return None


def _resume(state: Conversation, ctx: Context, out: Replies) -> None:
    if state.active and state.asked:
        interview.ask(state, state.asked, ctx, out, prefix=_say_back(state))


def _say_back(state: Conversation) -> str:
    return say("back_to_question", state.voice)


def _menu(state: Conversation, ctx: Context):
    voice = state.voice
    assess_key = "button_assess_relative" if voice.kind == "relative" else "button_assess"
    return (button(assess_key, voice, "/start_assessment"), answer_button("button_cost", voice, "ask_cost"),
            button("button_person", voice, "/ask_person"))


def answer_pending(state: Conversation, ctx: Context, out: Replies) -> None:
    """The questions asked before the municipality was known, answered now."""
    questions, state.pending_questions = state.pending_questions, []
    for question in questions:
        answers.answer(state, question, ctx, state.code, False, out)
