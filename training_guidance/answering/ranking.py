"""Answer a question from every item of a municipality's standard and the national rules.

The question is stripped of municipality names (they say where, not what), turned into search
words (analysis.py) and ranked with BM25 (bm25s) against the municipality's index. A municipality
without a standard is ranked against the national items alone. ``found`` is False only when no
item matches well enough: then the standard does not say anything about it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..folding import fold
from ..knowledge import KnowledgeBase
from ..knowledge.schema import Item, Topic
from ..municipalities import MunicipalityChoice, resolve_municipality
from ..pension_age import highest_pension_age
from ..understanding import stated_age, writer_lives_elsewhere, writer_tells_of_self
from .index import Entry, indexes, without_names
from .offers import named_offer
from .dictation import as_typed
from .splitting import (asking_sentence, question_word_first, sentence_before, split_questions,
                        without_confirmations, without_frames)

# Chosen on the development questions (docs/answering.md tells which parts were measured when).
MIN_SCORE = 0.5               # BM25 score below which an item does not answer the question
MIN_COVERAGE = 0.2            # an item must say at least this (weighted) share of what is asked
MIN_COVERAGE_NATIONAL = 0.35  # without a standard: the few national items are general, so more
RELATIVE = 0.45               # further items only with this share of the best item's score
NATIONAL_WEIGHT = 0.7         # where a standard says it, its own words come before the national rule
CANDIDATES = 10               # how far down the ranking items are checked for coverage
COVERAGE_MIX = 2.0            # order candidates by score × (COVERAGE_MIX + coverage)
STORY_MIX = 1.0               # … + STORY_MIX × the whole message's coverage, when one sentence asks
CHILD_WEIGHT = 2.0            # items about children (max_age), for a question about someone under 18
# An answer whose best item says less than this share of the question is the nearest the standard
# comes, not surely what was asked: on the blind parts heldout7-14 such a first item was the
# labelled one 36 % of the time (26 of 73), against 61 % above it. The conversation says so.
SURE_COVERAGE = 0.35


# An age the question gives: "min far er kun 66", "min mor på 82", "en 17-årig", "jeg er 70 år"
# A question that asks for an address ("hvad er adressen", "adressen på hjemmesiden") is answered by an
# item that gives one: a street, web or e-mail address
_ASKS_ADDRESS = re.compile(r"\badresse", re.IGNORECASE)
_COMPLAINT = re.compile(r"\bklage")
# ... and one that asks for a phone number ("hvad er tlf nr") by an item that gives one or says
# where to find it ("I brevet … kan du se, hvornår du kan ringe"): Ishøj's standard gives none, and
# "terapeuterne taler med dig" is no number
_ASKS_PHONE = re.compile(r"\btlf\b|\btelefonn|\btelefon\s*(?:nr|nummer)|\bnummeret\b|\bhvilket\s+nummer",
                         re.IGNORECASE)
_GIVES_PHONE = re.compile(r"\bring|nummer", re.IGNORECASE)


# Words quoted in a question: 'enkelt problem', "kan træne i en klub", »…« (two words or more)
_QUOTED = re.compile(r"(?:(?<=\s)|^)'([^'\n]+\s[^'\n]+)'|\"([^\"\n]+\s[^\"\n]+)\"|»([^«\n]+\s[^«\n]+)«|“([^”\n]+\s[^”\n]+)”")


MAX_SENTENCES_BACK = 2
# "Hvorfor ikke?", "Hvordan kan det passe?": why, of what was just said - not the purpose of training
_BARE_WHY = re.compile(r"^\s*(?:og\s+|men\s+)?(?:hvorfor(?:\s+(?:ikke|det|dog|sa|egentlig|nu))*"
                       r"|hvordan\s+kan\s+det\s+(?:vaere|vare|passe)(?:\s+(?:rigtigt|sadan))?)\s*[?!.]*\s*$")


# "… bærer på en resistent bakterie, MRSA. Skal jeg sige det til dem på træningscenteret?": what is
# to be told is the sentence before (folded: "fortælle" is "fortalle", "nævne" "navne")
_TELL_IT = re.compile(r"\b(?:sige|siger|fortalle|fortaller|navne|oplyse|oplyser|melde|melder)\s+(?:\w+\s+)?det\b")


def _names_known(analysis, index) -> bool:
    """Whether a question names something a knowledge file says (not only "vanvittigt", "gør")."""
    known = index.analyzer.known
    return any(any(way <= known for way in unit) for unit in analysis.units)


def age_fits(item: Item, age: int, pension_age: float = float("inf")) -> bool:
    """Whether an item about an age group holds for someone of ``age`` (``pension_age``: an age
    from which everyone has reached folkepensionsalderen)."""
    return (item.max_age is None or age <= item.max_age) and not (item.below_pension_age and age > pension_age)


@dataclass(frozen=True)
class Hit:
    key: str                        # "0661:stk1:transport", "0661:phone", "national:complaint_deadline"
    keys: Tuple[str, ...]           # every item this hit stands for (the same words in several places)
    item: Item
    offers: Tuple[str, ...]         # ("stk1", "stk2"), ("stk2",), () for national items
    topic: Optional[Topic]          # None for national items
    section: str                    # the source's section heading
    score: float
    code: Optional[str]             # kommunekode; None for national items
    coverage: float = 1.0           # the (weighted) share of the question the item says

    @property
    def national(self) -> bool:
        return self.code is None


@dataclass(frozen=True)
class Answer:
    question: str
    code: Optional[str]
    offer: Optional[str]
    found: bool
    hits: Tuple[Hit, ...]

    @property
    def sure(self) -> bool:
        """Whether the best item says enough of the question to be its answer, not only the nearest."""
        return bool(self.hits) and self.hits[0].coverage >= SURE_COVERAGE


def _hit(entry: Entry, score: float, offer: Optional[str], coverage: float) -> Hit:
    member = entry.member_for(offer) if offer else None
    if member is None:
        return Hit(entry.key, tuple(entry.keys), entry.item, tuple(entry.offers), entry.topic,
                   entry.section, float(score), entry.code, coverage)
    keys = (member.key,) + tuple(k for k in entry.keys if k != member.key)
    return Hit(member.key, keys, member.item, tuple(entry.offers), member.topic,
               member.item.source.section, float(score), entry.code, coverage)


def answer_question(kb: KnowledgeBase, question: str, code: Optional[str] = None,
                    offer: Optional[str] = None, limit: int = 3, age: Optional[int] = None) -> Answer:
    """The best one to ``limit`` items that answer ``question`` for municipality ``code``.

    ``offer`` ("stk1"/"stk2") keeps to that offer's items (and the national ones); None: the
    offer the question names (named_offer), else both. The caller decides ``code`` (see resolve_municipality); items of another municipality
    are never returned. ``age``: the person's age when known from elsewhere (the conversation);
    an age the question gives comes first."""
    question = as_typed(question)  # "gen optræning" (dictated) as typed; split_questions did it already
    index = indexes(kb).for_code(code)
    offer = offer or named_offer(question)
    # "… Passer det?" asks about the claim before it: "passer" is not what it is about
    analysis = index.analyzer.analyse(without_names(without_frames(without_confirmations(question)), kb),
                                      question=True)
    tokens, units = analysis.tokens, analysis.units
    if analysis.elsewhere:
        # "sneen på vores vej er ikke ryddet. Hvem skal jeg klage til?": another service's matter,
        # though "klage" is in every standard; the conversation says who else to ask
        return Answer(question, code, offer, False, ())
    # "min far er 89 … efter en slem influenza kan han ikke gå ned til postkassen. … Kan han få hjælp
    # til at træne sig op igen": the story before the question may be about anything. The sentence
    # that asks counts twice in the score (its words are what is asked; the story's still count
    # once: it often names the topic), and an item that answers it answers the question (coverage).
    asking = asking_sentence(question)
    quoted = _QUOTED.findall(question)
    if asking and quoted:
        # "fik afslag, fordi det er et 'enkelt problem' … er det virkelig en grund?": the words the
        # writer quotes (what they were told) are what the question is about
        asking = " ".join([asking] + [q for pair in quoted for q in pair if q])
    said = index.analyzer.analyse(without_names(without_frames(asking), kb), question=True) if asking else None
    # "Jeg vil klage over det faglige, ikke over afgørelsen. Hvor gør man det?": a question that names
    # nothing the knowledge files say asks about the sentence before it - past an outcry that names
    # nothing either ("… for min hofte, og nu siger kommunen nej. Det er da vanvittigt! Hvorfor ikke?")
    first = asking  # the earliest sentence taken so far; while it is the asking one, ``said`` is its reading
    # "… MRSA … Han starter på mandag. Skal vi fortælle det til træningscenteret?": what is to be told
    # may lie further back than the sentence before, which names something of its own
    told = bool(asking and _TELL_IT.search(fold(asking)))
    for _ in range(MAX_SENTENCES_BACK if said is not None else 0):
        alone = said if first is asking else index.analyzer.analyse(without_names(without_frames(first), kb),
                                                                     question=True)
        before = (sentence_before(question, first)
                  if told or not _names_known(alone, index) or _BARE_WHY.match(fold(first)) else None)
        if not before:
            break
        first, asking = before, f"{before} {asking}"
        said = index.analyzer.analyse(without_names(without_frames(asking), kb), question=True)
    scores = index.scores(tokens + (said.tokens if said else [])).astype(np.float64)
    if len(index.entries) and code in indexes(kb).by_code:
        scores = np.where(index.national, scores * NATIONAL_WEIGHT, scores)
    age = stated_age(question, kb) or age
    child = age is not None and age < 18
    # the age from which everyone has reached folkepensionsalderen: only needed when an age is known
    oldest = highest_pension_age(kb.national.parameters["pension_age"]) if age is not None else float("inf")
    if child:
        # "mit barnebarn på 14 …": the rules for children answer it, whatever else the story says
        scores = np.where(index.for_children, scores * CHILD_WEIGHT, scores)
    mask = index.offer_mask(offer)
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    order = np.argsort(-scores, kind="stable")[:CANDIDATES]
    min_coverage = MIN_COVERAGE if code in indexes(kb).by_code else MIN_COVERAGE_NATIONAL
    # BM25 counts matching words; coverage says how much of the question an item answers. Among
    # the best-scoring items, one that answers all of it comes before one that repeats a word of
    # it often ("ergoterapeut til at spise": the item about eating, not every one naming ergo).
    weights = index.weights(analysis)
    coverage = {int(i): index.coverage(i, units, weights) for i in order if scores[i] >= MIN_SCORE}
    story: Dict[int, float] = {}  # the whole message's coverage, where the story may count
    if said is not None:
        said_weights = index.weights(said)
        asked = {i: index.coverage(i, said.units, said_weights) for i in coverage}
        # The item that also fits the story before the asking sentence comes first ("kom hjem med en
        # genoptræningsplan … skal vi betale noget": the plan's free training, not the price of
        # transport; "sad over en time i kørslen. er det meningen?": the travel time). A question
        # word asks for something the answer must say: then only such items gain ("bor i Herlev og
        # er faldet i hjemmet. Hvad koster det?": a price, not who can get training).
        wh = question_word_first(asking or "")
        story = {i: c for i, c in coverage.items() if asked[i] > 0 or not wh}
        coverage = {i: max(c, asked[i]) for i, c in coverage.items()}
    order = sorted(coverage, key=lambda i: -scores[i] * (COVERAGE_MIX + coverage[i] + STORY_MIX * story.get(i, 0.0)))
    hits: List[Hit] = []
    floor = MIN_SCORE
    # (an address for a complaint, where the standard gives none: how to complain answers it - "hvor
    # sender vi klagen hen? Der står ingen adresse nogen steder")
    wants_address = bool(_ASKS_ADDRESS.search(question)) and not _COMPLAINT.search(fold(question))
    wants_phone = bool(_ASKS_PHONE.search(asking or question))
    # "får han træning mens han ligger der": with nothing but "træning" in common, every item ties
    # and the first would be a rule on children. An item must say something of what is asked
    # besides training - unless training is all the question names ("hvad er genoptræning?").
    # (A word no knowledge file uses is said by no item either: it does not count here.)
    known = index.analyzer.known
    specific = [u for u in units if not index.analyzer.generic(u) and any(way <= known for way in u)]
    for i in order:
        if len(hits) == limit:
            break
        if scores[i] < floor or coverage[i] < min_coverage:
            continue  # it matches, but on too little of what was asked
        if specific and not any(index.says(i, u) for u in specific):
            continue  # it shares only "træning" with the question
        item = index.entries[i].item
        if wants_address and not (item.address or item.url or item.email):
            continue  # "hvad er adressen på aktivitetscentret": an item on the centre without one is no answer
        if wants_phone and not (item.phone or _GIVES_PHONE.search(item.text)):
            continue  # "hvad er tlf nr": "terapeuterne taler med dig" gives no number
        if age is not None and not age_fits(item, age, oldest):
            continue  # "min far er kun 66": the rules for children are no answer; "min far på 71":
            # nor are those for someone under the pension age
        hits.append(_hit(index.entries[i], scores[i], offer, coverage[i]))
        # The best item that says enough sets the bar for the others; one that matched on too
        # little of the question does not
        floor = max(floor, RELATIVE * float(scores[i])) if len(hits) == 1 else floor
    if child:
        # The rules for children come first for a child, however little of the story they share
        # (also one that shares no word with the story: "mit barnebarn på 14 … genoptræningshold")
        children = [int(i) for i in np.argsort(-scores, kind="stable")
                    if index.for_children[i] and age_fits(index.entries[int(i)].item, age)]
        if children and all(h.key not in index.entries[children[0]].keys for h in hits):
            hits = [_hit(index.entries[children[0]], scores[children[0]], offer, 1.0)] + hits[:limit - 1]
    return Answer(question, code, offer, bool(hits), tuple(hits))


@dataclass(frozen=True)
class MessageAnswer:
    municipality: MunicipalityChoice    # which municipality, and whether the message named it
    answers: Tuple[Answer, ...]         # one per question in the message, in order


def message_municipality(kb: KnowledgeBase, text: str, conversation_code: Optional[str] = None,
                         page_code: Optional[str] = None) -> MunicipalityChoice:
    """The municipality a message is answered for: ``resolve_municipality``, knowing who writes (a
    son's own home, "jeg bor i Aalborg", is not his mother's)."""
    return resolve_municipality(text, conversation_code, page_code, kb, writer_elsewhere=writer_lives_elsewhere(text),
                                citizen_writes=writer_tells_of_self(text))


def answer_message(kb: KnowledgeBase, text: str, conversation_code: Optional[str] = None,
                   page_code: Optional[str] = None, offer: Optional[str] = None,
                   limit: int = 3) -> MessageAnswer:
    """Every question of a message, answered for the municipality it is about.

    When the message names several municipalities without saying which is home, nothing is
    answered (``municipality.ambiguous``): the caller answers for each or asks which one is meant."""
    choice = message_municipality(kb, text, conversation_code, page_code)
    if choice.ambiguous:
        return MessageAnswer(choice, ())
    return MessageAnswer(choice, tuple(answer_question(kb, part, code=choice.code, offer=offer, limit=limit)
                                       for part in split_questions(text)))
