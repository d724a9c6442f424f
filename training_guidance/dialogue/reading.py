"""Reading any message, in the interview, the application form or between them: the facts it
states are kept, and every question in it is answered for the municipality it is about."""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from .. import answering
from ..municipalities import find_municipality
from ..understanding import lives_elsewhere, understand, writer_tells_of_self
from . import answers, interview
from .context import Context
from .language import beyond_eligibility, fold, looks_like_question, split_message as split
from .state import Conversation
from .turn import Replies, Turn

QUESTION_INTENTS = {"question", "ask_person", "out_of_scope"}
MAX_SAID = 12  # the user's own sentences kept for the journal note
MAX_COMPARED = 3  # municipalities one question is answered for, when it names several
MAX_RECENT = 2    # questions answered again: "og i Horsens?", or the home is said to be elsewhere
MAX_PENDING = 3   # questions kept until the municipality is known


def named_municipality(text: str, ctx: Context) -> Optional[str]:
    entry = find_municipality(text.strip(" .!?"), ctx.kb)
    return entry.code if entry else None


def set_municipality(state: Conversation, code: str, ctx: Context) -> None:
    state.code, state.name = code, ctx.municipality_name(code)


def absorb(state: Conversation, turn: Turn, text: str, ctx: Context) -> bool:
    """Keep every fact the message states (questions state facts too: "kan min mor på 82 med
    parkinson få træning?"), who writes, and where the citizen lives. Whether it gave a fact."""
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
    home = home_municipality(text, state, ctx, turn.page_code)
    if home and home != state.code:
        set_municipality(state, home, ctx)
    return bool(new)


def home_municipality(text: str, state: Conversation, ctx: Context, page_code: Optional[str] = None) -> Optional[str]:
    """Where the citizen lives, if the message says so ("bor i Horsens", "Horsens Kommune"), or the
    one municipality it names while the conversation has none. A question about another
    municipality ("Hvad koster kørsel i Holbæk?") does not move the conversation, nor does a relative
    telling of theirs while the message asks the conversation's or the page's ("min bror i Slagelse
    siger … kan man også få det hos jer")."""
    choice = answering.resolve_municipality(text, state.code, page_code, ctx.kb, citizen_writes=writer_tells_of_self(text))
    # "jeg er min mors eneste barn og bor i Aalborg": a relative's own home is not the citizen's
    elsewhere = lives_elsewhere(state.voice_kind, state.relation)
    mentions = [m for m in choice.mentions if not (m.whose == "writer" and elsewhere)]
    # "hun bor egentlig i Roskilde, men er hos os i Holbæk et par måneder": where she stays and trains
    homes = list(dict.fromkeys(m.code for m in mentions if m.staying)) or \
        list(dict.fromkeys(m.code for m in mentions if m.lives))
    if len(homes) > 1:
        # "jeg bor i Holbæk, og min mor bor i Horsens": the home of the one the conversation is about
        whose = "other" if state.voice_kind == "relative" else "writer" if state.voice_kind == "citizen" else None
        homes = list(dict.fromkeys(m.code for m in mentions if m.lives and m.whose == whose))
    if len(homes) == 1:
        return homes[0]
    if state.code is None and choice.named and choice.code and not choice.ambiguous \
            and len(mentions) == len(choice.mentions):
        return choice.code
    return None


def asks_a_topic(question: str, ctx: Context) -> bool:
    """Whether a question about a person's training also asks about something the standard may
    answer ("kan min mor få træning hjemme i stuen?"): words beyond the eligibility question, the
    person, their age and the municipality."""
    rest = answering.without_names(beyond_eligibility(question), ctx.kb)
    analysis = answering.indexes(ctx.kb).analyzer.analyse(rest, question=True)
    # "hos jer", "også": everyday words say nothing of their own, unless together they are a phrase
    # of the synonyms ("eller er det kun for gamle mennesker"); an age ("min mor på 82") is no topic
    analyzer = answering.indexes(ctx.kb).analyzer
    return any(not analyzer.generic(unit) and not any(t.isdigit() for way in unit for t in way)
               and any(t not in analysis.everyday for way in unit for t in way)
               for unit in analysis.units)


def with_situation(question: str, parts: List[str]) -> str:
    """The question with the situation told before it in the same message, as the answering
    splits the message ("min mor på 88 … kan næsten ikke rejse sig fra stolen. Hvad kan kommunen
    gøre …"): the ranking weighs the story's words and the asking sentence's (answering/ranking.py)."""
    def words(text: str) -> str:  # the answering joins a question's pieces without their commas
        return " ".join(re.findall(r"\w+", fold(text)))

    key = words(question)
    return next((p for p in parts if key and key in words(p)), question)


def national_question(question: str, ctx: Context) -> bool:
    """Whether the national rules answer ``question`` better than any municipality's standard
    would: then it needs no municipality ("hvad er fristen for at klage?"); "hvad koster kørsel?"
    does."""
    national = answering.answer_question(ctx.kb, question, code=None, offer=None, limit=1)
    if not national.found:
        return False
    best = national.hits[0].score
    for code in ctx.kb.standards:
        local = answering.answer_question(ctx.kb, question, code=code, offer=None, limit=1)
        if local.found and local.hits[0].code is not None and local.hits[0].score > best:
            return False
    return True


def answer_questions(state: Conversation, questions: List[str], turn: Turn, ctx: Context, out: Replies,
                     only_if_found: bool = False, message: Optional[str] = None) -> bool:
    """Answer every question; whether any was answered (or its municipality asked for).
    ``only_if_found``: a message that may not be a question at all says nothing when no item fits.
    ``message``: the whole message, whose situation before a question is ranked with it."""
    answered = False
    asked_for_municipality = False  # asked once, however many questions wait for the answer
    parts = answering.split_questions(message) if message else []
    recent: List[str] = []
    for asked in questions:
        question = with_situation(asked, parts)
        resolved = answering.resolve_municipality(question, state.code, turn.page_code, ctx.kb,
                                                  writer_elsewhere=lives_elsewhere(state.voice_kind, state.relation),
                                                  citizen_writes=writer_tells_of_self(message or question))
        home = home_municipality(question, state, ctx, turn.page_code) if resolved.ambiguous else None
        if home:  # "jeg bor i Ishøj, min mor bor i Herlev. Hvad koster kørsel?" from a relative
            resolved = answering.MunicipalityChoice(home, True, False, resolved.named_codes, resolved.mentions, "text")
        if resolved.ambiguous:
            # "hvad koster kørsel i Holbæk og i Horsens?": each municipality's own answer, each
            # saying whose it is; one guessed for all would give one municipality's fact as another's.
            for code in resolved.named_codes[:MAX_COMPARED]:
                answers.answer(state, asked, ctx, code, True, out, one_of_several=True, ranked=question)
            answered = True
            continue
        code = resolved.code
        if code is None:
            if not national_question(question, ctx):
                if only_if_found:
                    continue
                if not asked_for_municipality:
                    out.say("ask_municipality_for_question", state.voice)
                    asked_for_municipality = True
                # the latest few, once each: a user who never says where they live would otherwise
                # make every later message carry all they asked (the slot grew with the conversation)
                waiting = [q for q in state.pending_questions if q != asked] + [asked]
                state.pending_questions = waiting[-MAX_PENDING:]
                state.asked = interview.MUNICIPALITY
                answered = True
                continue
        if only_if_found or not looks_like_question(question) and turn.intent not in QUESTION_INTENTS | {None}:
            probe = answering.answer_question(ctx.kb, question, code=code, offer=None, limit=1)
            if not probe.found:
                continue  # a statement that is not a question after all
        if code and state.code is None:
            set_municipality(state, code, ctx)
        answers.answer(state, asked, ctx, code, resolved.named, out, ranked=question)
        answered = True
        recent.append(asked)
    if recent:
        state.recent_questions = recent[-MAX_RECENT:]
    return answered


def asked_of_another(question: str, ctx: Context) -> bool:
    """Whether a question named a municipality that is not said to be home ("hvad koster kørsel i
    Holbæk?"): it is not asked again when the user then says the home is elsewhere."""
    mentions = answering.resolve_municipality(question, kb=ctx.kb).mentions
    return bool(mentions) and not any(m.lives for m in mentions)


# An elliptical follow-up: "og i Horsens?", "hvad med Ishøj", "hvad så i Herlev Kommune", "end
# vedligeholdende træning?", or the name alone - not "hvad er vedligeholdende træning?"
_FOLLOW_UP_OPENER = re.compile(r"^\s*(?:(?:og|men)\s+)?(?:hvad|hvordan)\s+(?:med|sa)\b|^\s*(?:og|men|end|ogsa)\b")
_FOLLOW_UP_WORDS = frozenset("i for hos ved kommune kommunen der det sa nu hvis samme ogsa stedet omvendt".split())
_OFFER_WORDS = re.compile(r"\b(?:vedligehold\w*|genoptr\w*|tr[ae]ning\w*|stk|\d+|§)\b")


def follow_up(text: str, ctx: Context) -> Optional[Tuple[Tuple[str, ...], Optional[str]]]:
    """(the municipalities, the kind of training) a message names when that is all it says: it asks
    the question just answered again for them ("og i Horsens?", "hvad med vedligeholdende?").
    None for anything else."""
    codes = tuple(dict.fromkeys(m.code for m in answering.resolve_municipality(text, kb=ctx.kb).mentions))
    offer = answering.named_offer(text)
    if not codes and not offer:
        return None
    rest = _OFFER_WORDS.sub(" ", fold(answering.without_names(text, ctx.kb)))
    opener = _FOLLOW_UP_OPENER.match(rest)
    words = re.findall(r"\w+", rest[opener.end():] if opener else rest)
    if len(words) > 4 or any(w not in _FOLLOW_UP_WORDS for w in words):
        return None
    return codes, offer


def for_offer(question: str, offer: Optional[str]) -> str:
    """The question about the other kind of training, when a follow-up asks so ("hvad er
    vedligeholdende træning?" … "hvad med genoptræning?" → "hvad er genoptræning?")."""
    return (answering.about_offer(question, offer) if offer in ("stk1", "stk2") else None) or question
