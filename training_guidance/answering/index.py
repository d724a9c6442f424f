"""The search index: every item of a municipality's standard and the national items, per municipality.

Built once per knowledge base and kept (``indexes``). Each item is indexed with its text, its
section heading, the offer's title and the words knowledge/synonyms.yml gives its topic, its
structured fields and the item itself. Items that say the same - the same text (for stk. 1 and
stk. 2, or under two topics), or one's words inside another's for the same offers - are one entry,
which carries every key, topic and offer and shows the fuller wording.
"""
from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from ..folding import fold
from ..knowledge import KnowledgeBase
from ..knowledge.schema import Item, Standard, Topic
from ..municipalities import find_mentions
from .analysis import Analysis, Analyzer, Unit
from .bm25 import bm25s
from .keys import item_key
from .synonyms import Synonyms, knowledge_dir, load_synonyms

# A question's word that no knowledge file uses weighs this times the most telling known word;
# in a question that names training it is probably the situation, so it weighs less. Both tuned on
# the development questions.
UNKNOWN_WEIGHT = 3.0
UNKNOWN_WEIGHT_ABOUT = 0.25
EVERYDAY_WEIGHT = 0.25  # an everyday Danish word of no synonym group ("i morgen", "ligger")
COMMON_WEIGHT = 1.5     # an ordinary Danish word no knowledge file uses weighs half as much as a rare one
# Less length normalisation than the default (0.75): an item's document is its text plus words
# added from the synonyms file, so a long document is not a wordy one. Tuned on the development
# questions.
BM25_K1, BM25_B = 1.5, 0.6


@dataclass
class Entry:
    """One answerable item (or several that say the same)."""

    keys: List[str]
    code: Optional[str]                 # None: a national item
    item: Item
    offers: List[str]                   # ["stk1", "stk2"]; [] for national items
    topic: Optional[Topic]
    section: str
    words: List[str] = field(default_factory=list)  # extra words from the synonyms file
    topics: List[Topic] = field(default_factory=list)  # every merged item's topic
    members: List["Member"] = field(default_factory=list)  # the items it stands for
    _same: str = ""                     # the text as compared for "says the same"

    @property
    def key(self) -> str:
        return self.keys[0]

    def member_for(self, offer: Optional[str]) -> Optional["Member"]:
        """The item to show and cite when the offer is known: the offer's own wording and section."""
        own = [m for m in self.members if offer in m.offers]
        return max(own, key=lambda m: (len(m.offers) == 1, len(m.item.text)), default=None)


@dataclass(frozen=True)
class Member:
    key: str
    offers: Tuple[str, ...]
    item: Item
    topic: Optional[Topic]


def _same_form(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def _standard_entries(code: str, standard: Standard, synonyms: Synonyms) -> List[Entry]:
    entries: List[Entry] = []
    every_offer = list(standard.offers)
    for offer, topic, item in standard.all_items():
        key = item_key(code, offer, item.id)
        offers = [offer] if offer else list(every_offer)
        same = _same_form(item.text)
        merged = False
        for entry in entries:
            identical = entry._same == same
            contained = entry.offers == offers and (
                f" {same} " in f" {entry._same} " or f" {entry._same} " in f" {same} ")
            if identical or contained:
                if len(same) > len(entry._same):  # keep the fuller wording
                    entry.item, entry.section, entry._same = item, item.source.section, same
                entry.keys.append(key)
                entry.members.append(Member(key, tuple(offers), item, topic))
                if topic not in entry.topics:
                    entry.topics.append(topic)
                entry.offers.extend(o for o in offers if o not in entry.offers)
                merged = True
                break
        if not merged:
            entries.append(Entry([key], code, item, offers, topic, item.source.section, topics=[topic],
                                 members=[Member(key, tuple(offers), item, topic)], _same=same))
    for entry in entries:
        entry.offers.sort()
        # "Genoptræning (serviceloven § 86, stk. 1)": the name of the offer, not its paragraph, which
        # would make every item an answer to "hvilken lov"
        title_words = [re.sub(r"\(.*?\)", " ", standard.offers[o].title) for o in entry.offers]
        topic_words = [w for t in entry.topics for w in synonyms.topics.get(t, [])]
        entry.words = title_words + topic_words + _item_words(entry, synonyms)
    return entries


def _item_words(entry: Entry, synonyms: Synonyms) -> List[str]:
    words = [w for name, ws in synonyms.fields.items() if getattr(entry.item, name, None) is not None for w in ws]
    return words + [w for k in entry.keys for w in synonyms.items.get(k, [])]


def _national_entries(kb: KnowledgeBase, synonyms: Synonyms) -> List[Entry]:
    out = []
    for item in kb.national.items.values():
        if not item.answerable:
            continue
        key = item_key(None, None, item.id)
        entry = Entry([key], None, item, [], None, item.source.section)
        entry.words = _item_words(entry, synonyms)
        out.append(entry)
    return out


class SearchIndex:
    """BM25 over one municipality's items and the national items (or the national ones alone)."""

    def __init__(self, entries: List[Entry], analyzer: Analyzer, plain: Callable[[str], str] = str):
        self.entries = entries
        self.analyzer = analyzer
        self._plain = plain
        corpus = [self._document(e) for e in entries]
        self.words = [frozenset(doc) for doc in corpus]
        self._df = Counter(token for words in self.words for token in words)
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.bm25.index(corpus, show_progress=False)
        self.national = np.array([e.code is None for e in entries])
        self.for_children = np.array([e.item.max_age is not None for e in entries])
        self._offer_masks: Dict[str, np.ndarray] = {}

    def _document(self, entry: Entry) -> List[str]:
        a = self.analyzer
        tokens = a.tokens(self._plain(entry.item.text)) + a.tokens(entry.section)
        for words in entry.words:
            tokens += a.tokens(words)
        return tokens or [""]

    def offer_mask(self, offer: Optional[str]) -> Optional[np.ndarray]:
        """Entries that hold for ``offer`` (and every national entry); None: all of them."""
        if offer is None:
            return None
        mask = self._offer_masks.get(offer)
        if mask is None:
            mask = np.array([e.code is None or offer in e.offers for e in self.entries])
            self._offer_masks[offer] = mask
        return mask

    def weight(self, unit: Unit, question: Optional[Analysis] = None) -> float:
        """How much a unit of a question tells: the inverse document frequency (as BM25 weighs a
        word) of its commonest way of being said here; a thing no item says weighs the most. A
        word no knowledge file uses weighs more still - unless it is everyday Danish
        (``question.everyday``: "i morgen"), ordinary Danish (``question.common``: "opkald",
        "computer") or the question names training (``question.about``): "storskrald" is what is
        asked, "lårbenshalsbrud" in a question about genoptræning is the situation."""
        everyday = question.everyday if question else frozenset()
        n = len(self.entries)
        df = max((min(self._df.get(t, 0) for t in way) for way in unit), default=0)
        weight = math.log(1 + (n - df + 0.5) / (df + 0.5))
        if all(way <= everyday for way in unit):
            weight *= EVERYDAY_WEIGHT  # an everyday word of no group, known or not
        elif not any(way <= self.analyzer.known for way in unit):
            if question is not None and question.about:
                weight *= UNKNOWN_WEIGHT_ABOUT
            elif question is not None and all(way <= question.common for way in unit):
                weight *= COMMON_WEIGHT
            else:
                weight *= UNKNOWN_WEIGHT
        return weight

    def weights(self, question: Analysis) -> List[float]:
        """The weight of each of the question's units (the same for every entry)."""
        return [self.weight(u, question) for u in question.units]

    def says(self, i: int, unit: Unit) -> bool:
        """Whether entry i says the unit, in any of its ways."""
        return any(way <= self.words[i] for way in unit)

    def coverage(self, i: int, units: List[Unit], weights: List[float]) -> float:
        """The weighted share of a question's units that entry i says (``weights``: from ``weights``)."""
        total = sum(weights)
        if not total:
            return 0.0
        return sum(w for u, w in zip(units, weights) if self.says(i, u)) / total

    def scores(self, tokens: List[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(len(self.entries), dtype=np.float32)
        return self.bm25.get_scores(tokens)


@dataclass
class Indexes:
    analyzer: Analyzer
    by_code: Dict[str, SearchIndex]     # municipalities with a standard
    national: SearchIndex               # for every other municipality

    def for_code(self, code: Optional[str]) -> SearchIndex:
        return self.by_code.get(code or "", self.national)


# id(kb) → (kb, indexes); holding kb keeps its id from being reused by another object.
_CACHE: Dict[int, Tuple[KnowledgeBase, Indexes]] = {}
_LOCK = threading.Lock()


def build_indexes(kb: KnowledgeBase, synonyms: Optional[Synonyms] = None) -> Indexes:
    synonyms = synonyms or load_synonyms(knowledge_dir(kb))
    analyzer = Analyzer(synonyms)
    national = _national_entries(kb, synonyms)
    per_code = {code: _standard_entries(code, st, synonyms) for code, st in kb.standards.items()}
    texts: List[str] = []
    for entries in [national, *per_code.values()]:
        for e in entries:
            texts += [e.item.text, e.section, *e.words]
    texts += [p for phrases in synonyms.groups.values() for p in phrases]
    analyzer.learn(texts)
    with_standard = [e for e in national if not e.item.only_without_standard]

    def plain(text: str) -> str:
        return without_names(text, kb)

    return Indexes(
        analyzer,
        {code: SearchIndex(entries + with_standard, analyzer, plain) for code, entries in per_code.items()},
        SearchIndex(national, analyzer, plain),
    )


def without_names(text: str, kb: KnowledgeBase) -> str:
    """Municipality names blanked out, whatever they name (a home, the page, a hospital's town):
    they say where, not what. "bo i Holbæk Kommune" keeps
    "kommune", so an item says "bo i kommunen" as a question about moving away would. A place the
    standard names stays ("på Lærkegaard": a temporary stay, which items speak of)."""
    for m in reversed(find_mentions(text, kb, any_role=True)):
        if m.place:
            continue  # "på Lærkegaard": a place of temporary stay says what, too
        rest = " kommune " if text[m.start:m.end].lower().endswith("kommune") else " "
        text = text[:m.start] + rest + text[m.end:]
    return text


def indexes(kb: KnowledgeBase) -> Indexes:
    """The indexes of a knowledge base, built on first use and kept."""
    cached = _CACHE.get(id(kb))
    if cached is not None:
        return cached[1]
    with _LOCK:
        cached = _CACHE.get(id(kb))
        if cached is None:
            cached = (kb, build_indexes(kb))
            _CACHE[id(kb)] = cached
        return cached[1]
