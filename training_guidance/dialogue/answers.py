"""Questions answered from the whole standard, for the municipality the question is about.

Every question in a message is answered: the best one or two items of that municipality's standard
and the national rules, in the reader's voice, with one source line; the rest waits behind
"Vil du vide mere?". A municipality named in the question wins over the conversation's, and the
answer says which one it is for. Nothing found: the standard says nothing about it, and who to ask.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from .. import answering
from ..knowledge.schema import Item, Topic
from ..texts import Voice, say
from .context import Context
from .items import contact_text, item_text, municipality_name, sources_line
from .state import Conversation
from .turn import Replies, answer_button

# Not after an abbreviation: "§ 86, stk. 2." is one sentence, whose "2." another item also ends with
_SENTENCE = re.compile(r"(?<=[.!?])(?<!\bstk\.)(?<!\bnr\.)(?<!\bkl\.)(?<!\bca\.)(?<!\bjf\.)(?<!\bfx\.)"
                       r"\s+(?=[A-ZÆØÅ0-9»\"])")
SHOWN = 2            # items shown at once; more on request
CLOSE_ENOUGH = 0.6  # a second item is shown when its score is this close to the best (0.75 left out the
# labelled answer of 40 questions over the question set whose second item held it; replies grew from 450 to
# 486 characters on average)
CLOSE_ENOUGH_SHORT = 0.5  # … or this close, for a question of a few words ("hvad koster det?")
SHORT_QUESTION = 4
SAME_SENTENCE = 90   # rapidfuzz token-set ratio from which a sentence says nothing new
MAX_LINES = 5


@dataclass(frozen=True)
class Found:
    key: str
    item: Item
    offers: Tuple[str, ...]
    topic: Optional[Topic]
    code: Optional[str]  # None: a national rule


def answer(state: Conversation, question: str, ctx: Context, code: Optional[str], named: bool,
           out: Replies, one_of_several: bool = False, ranked: Optional[str] = None,
           offer: Optional[str] = None) -> None:
    """Answer one question for municipality ``code`` (named in the question or not).
    ``one_of_several``: the question names several municipalities and is answered for each; each
    answer says which municipality it is for and gives its best item only. ``ranked``: the question
    with the situation told before it, which is ranked; the question alone is what is noted (an
    unanswered question is kept for the content owners, the user's story is not). ``offer``: the
    kind of training a follow-up names ("hvad med vedligeholdende?"), before the question's own."""
    voice, kb = state.voice, ctx.kb
    ranked = ranked or question
    question = answering.asking_sentence(question) or question  # noted without the story before it
    offer = offer or answering.named_offer(ranked) or state.track
    age = state.facts.get("age")
    result = answering.answer_question(kb, ranked, code=code, offer=offer, limit=SHOWN + 3,
                                       age=age if isinstance(age, int) else None)
    hits = [_found(h) for h in result.hits] if result.found else []
    lines: List[str] = []
    if one_of_several or code and code != state.code and state.code is not None or (
            named and code and not state.code):
        lines.append(say("answer_for_municipality", voice, kommune=municipality_name(kb, code)))
    standard = kb.standard_for(code) if code else None
    if standard is not None and offer and offer not in standard.offers:
        # "hvad koster vedligeholdende træning i Holbæk": its standard is about genoptræning only.
        # A national rule about that kind of training is given ("hvad er vedligeholdende
        # træning?"), not another ("gratis" in the rule on genoptræningsplaner is no price of it).
        lines.append(say("offer_not_in_standard", voice, kommune=municipality_name(kb, code),
                         covered=" og ".join(say(f"offer_{o}", voice) for o in standard.offers),
                         offer=say(f"offer_{offer}", voice)))
        hits = [h for h in hits if answering.named_offer(h.item.text) == offer]
        if not hits:
            lines.append(contact_text(kb, code, voice))
            out.text("answer_not_found", "\n".join(lines), meta={"question": question, "code": code, "found": False})
            return
    if code and not ctx.has_standard(code) and hits:
        lines.append(say("no_standard_national", voice, kommune=municipality_name(kb, code)))
    if not hits:
        key = ("not_in_standard" if code and ctx.has_standard(code) else "not_in_national_for" if code
               else "not_in_national")
        lines.append(say(key, voice, kommune=municipality_name(kb, code) if code else ""))
        lines.append(contact_text(kb, code, voice))
        text = "\n".join(lines)
        said = next((r for r in out.items if r.key == "answer_not_found" and r.text == text and r.meta), None)
        if said is not None:  # "hvad er tlf nr og hvornår har I åbent": said once for both, both noted
            said.meta.setdefault("more_questions", []).append(question)
            return
        out.text("answer_not_found", text, meta={"question": question, "code": code, "found": False})
        return
    both = offer is None and standard is not None and len(standard.offers) > 1
    score = {h.key: h.score for h in result.hits}
    short = len(re.findall(r"\w+", question)) <= SHORT_QUESTION
    shown, held = _choose(hits, [score[f.key] for f in hits], both_offers=both,
                          close_enough=CLOSE_ENOUGH_SHORT if short else CLOSE_ENOUGH)
    if one_of_several:
        shown, held = shown[:1], []
    # "hvornår har I åbent og hvad er tlf": the second answer does not repeat the first's sentences
    earlier = [s for r in out.items if r.key == "answer" for line in r.text.splitlines()
               if not line.startswith("Kilde:") for s in _sentences(line)]
    if earlier and not one_of_several:
        voice_text = {f.key: _sentences(item_text(f.item, voice, ctx.today, f.topic)) for f in shown}
        fresh = [f for f in shown if not all(_said_before(s, earlier) for s in voice_text[f.key])]
        if not fresh:
            out.text("answer_above", "\n".join(lines + [say("answer_above", voice)]),
                     meta={"question": question, "code": code, "found": True, "sure": result.sure})
            return
        shown = fresh
    if not result.sure:  # "må jeg sidde med inde i salen": the nearest item, said to be so
        lines.append(say("answer_nearest", voice))
    lines.extend(_render(shown, state, ctx, said=earlier))
    if not result.sure:
        lines.append(contact_text(kb, code, voice))  # whom to ask what the standard may not say
    buttons = ()
    if held:
        state.more = [h.key for h in held]
        state.offer = "more"  # "ja" answers "Vil du vide mere?" too
        buttons = (answer_button("button_more", voice, "more"),)
    else:
        state.more = []
    out.text("answer", "\n".join(lines), buttons,
             meta={"question": question, "code": code, "found": True, "sure": result.sure})


def answer_more(state: Conversation, ctx: Context, out: Replies) -> None:
    """The answers held back for "Vil du vide mere?"."""
    found = [f for f in (_lookup(ctx, key) for key in state.more) if f is not None]
    state.more = []
    if not found:
        out.say("no_more", state.voice)
        return
    out.text("answer_more", "\n".join(_render(found[:3], state, ctx)))
    state.more = [f.key for f in found[3:]]


def _found(hit) -> Found:
    return Found(hit.key, hit.item, tuple(hit.offers), hit.topic, hit.code)


def _choose(hits: Sequence[Found], scores: Sequence[float], both_offers: bool = False,
            close_enough: float = CLOSE_ENOUGH) -> Tuple[List[Found], List[Found]]:
    """The best item, and the next that says something new when it scores close to it; the rest
    that says something new is held for "Vil du vide mere?". ``both_offers``: the kind of training
    is not known and the standard has both: when the best item holds for one of them, the second
    shown is the best for the other ("hvad koster det": vedligeholdende 25 kr., genoptræning gratis)."""
    best = scores[0] if scores else 0.0
    shown = [hits[0]]
    said = _sentences(hits[0].item.text)
    fresh = []
    for hit, score in zip(hits[1:], scores[1:]):
        sentences = _sentences(hit.item.text)
        if all(_said_before(s, said) for s in sentences):
            continue  # two items of a standard often say the same in other words
        fresh.append(hit)
        said += sentences
    close = [h for h, score in zip(hits[1:], scores[1:])
             if h in fresh and best and score >= close_enough * best and len(h.item.text) < 400]
    if both_offers and len(hits[0].offers) == 1:
        other = [h for h in close if hits[0].offers[0] not in h.offers]
        close = other or close
    if close and (close[0] is fresh[0] or both_offers and len(hits[0].offers) == 1):
        shown.append(close[0])
    held = [h for h in fresh if h not in shown]
    return shown, held


def _sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _said_before(sentence: str, said: Sequence[str]) -> bool:
    """The same sentence, or one whose words another already said ("Du skal selv betale for
    kørsel." after "Du skal selv betale for kørsel til og fra træning.")."""
    return any(fuzz.token_set_ratio(sentence, other, processor=default_process) >= SAME_SENTENCE
               for other in said)


def _render(found: Sequence[Found], state: Conversation, ctx: Context,
            said: Sequence[str] = ()) -> List[str]:
    """The items in the reader's voice, each sentence once (``said``: sentences said already in
    this turn), with one source line."""
    voice = state.voice
    lines: List[str] = []
    seen: set = set()
    said = list(said)
    used: List[Found] = []
    for f in found:
        # Items often repeat a sentence of another: each sentence is said once.
        sentences = _sentences(item_text(f.item, voice, ctx.today, f.topic))
        fresh = [s for s in sentences if not _said_before(s, said)]
        if not fresh:
            continue
        said += fresh
        text = " ".join(fresh)
        note = _offer_note(f, state, ctx, voice)
        if note and note not in seen:  # "Det gælder for vedligeholdende træning" once
            seen.add(note)
            text = f"{text} {note}"
        lines.append(text)
        used.append(f)
    lines.append(sources_line(ctx.kb, [f.item.source for f in used]))
    return lines


def _offer_note(f: Found, state: Conversation, ctx: Context, voice: Voice) -> Optional[str]:
    """An answer that holds for only one of the standard's two offers says which."""
    standard = ctx.kb.standard_for(f.code)
    if f.code is None or standard is None or len(standard.offers) < 2 or len(f.offers) != 1:
        return None
    if state.track == f.offers[0]:
        return None
    return say("offer_only", voice, offer=say(f"offer_{f.offers[0]}", voice))


def _lookup(ctx: Context, key: str) -> Optional[Found]:
    """A held-back answer by its key ("0661:stk1:transport", "national:complaint_deadline")."""
    code = None if key.startswith("national:") else key.split(":")[0]
    for entry in answering.indexes(ctx.kb).for_code(code).entries:
        if key in entry.keys:
            return Found(entry.key, entry.item, tuple(entry.offers), entry.topic, entry.code)
    return None


def contact(state: Conversation, ctx: Context, code: Optional[str], out: Replies) -> None:
    out.text("contact", contact_text(ctx.kb, code, state.voice))


def said_in(answer_text: str, other: str) -> bool:
    """Whether every sentence of an answer (its source line aside) is said in ``other`` too."""
    said = _sentences(other)
    sentences = [s for line in answer_text.splitlines() if not line.startswith("Kilde:")
                 for s in _sentences(line)]
    return bool(sentences) and all(_said_before(s, said) for s in sentences)
