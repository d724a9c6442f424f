"""Text → search words: folded, stemmed, synonyms marked, typos mended.

Both the items and the questions go through the same steps, so "svømmehallen", "svommehal" and
"bassin" meet:
1. fold (æ/ae → a, ø/oe → o, å/aa → a) and split into words;
2. questions only: a word the knowledge files never use is mended to the nearest word they do use
   ("massge" → "massage"; small edit distance, same first letter, longer words only), or split
   into two words they use ("telefonnummeret" → "telefon" + "nummeret"); two swapped letters
   count as one typo;
3. Danish Snowball stemming (PyStemmer); a word the file's `stems` names has the stem it gives
   ("ryggen" is the back, not "ryge", to smoke);
4. a phrase of a synonym group ("vælge selv", "frit valg") adds the group's name as a word; a
   few stop words may stand between its words ("selv kan vælge", "hvem er det der træner"); in a
   question, "#" in a phrase stands for a number ("min mor på #" says an age);
5. stop words and the file's `ignore` words are dropped (after step 4, so "hvornår kontakter"
   can still be a phrase).

A question also says whether it is about training at all (the file's `about` words: "træning",
"genoptræne", "terapeut" ...) and which of its words are everyday Danish (wordfreq's frequency
list: "morgen", "ligger", "nye"): ranking.py weighs its words no knowledge file uses by that. A
word that common is not a typo either, so it is not mended.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Set, Tuple

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from ..folding import fold
from .bm25 import STOPWORDS_DANISH
from .synonyms import Synonyms

_WORD = re.compile(r"[^\W_]+|[§#]")
NUMBER = "#"  # in a phrase of the synonyms file: any number of one to three digits, in questions
GROUP_PREFIX = "="
STEM_PREFIX = "~"
GROUP_WEIGHT = 2
MAX_GAP = 3  # stop words allowed between two words of a phrase
TRAINING_STEM = "traning"  # the stem of "træning" (folded), the last part of a compound about training
# Zipf frequency in Danish (wordfreq; 6 is once per million words ... 3 once per billion): from
# REAL_WORD a word is a word, not a typo to mend; from EVERYDAY it is among the commonest ~1,500
# words and says little about what is asked ("i morgen", "ligger", "den nye")
REAL_WORD_ZIPF = 3.0
EVERYDAY_ZIPF = 5.5
# From COMMON it is ordinary Danish ("opkald", "døde", "computer", "motion"): a question that uses
# one the knowledge files do not is not therefore about something else; rare words
# ("storskrald", "høreapparater", "rengøring", "parkering") still say so
COMMON_ZIPF = 4.3

# One thing a question says, as the ways of saying it: each a set of words that must all occur.
Unit = FrozenSet[FrozenSet[str]]


class Analysis(NamedTuple):
    tokens: List[str]   # search words, for BM25
    units: List[Unit]   # the things it says, for coverage
    about: bool         # it names training (an `about` word of the synonyms file)
    everyday: FrozenSet[str] = frozenset()  # stems of its everyday Danish words (questions only)
    common: FrozenSet[str] = frozenset()    # stems of its ordinary, not everyday, Danish words
    elsewhere: bool = False  # it names another municipal service (an `elsewhere` phrase of the file)


def _words(text: str) -> List[str]:
    return [fold(w) for w in _WORD.findall(text or "")]


class Analyzer:
    """Turns text into search words. One per knowledge base: it knows the corpus's words."""

    def __init__(self, synonyms: Synonyms):
        self._stemmer = Stemmer.Stemmer("danish")
        # "ryg" (the back) and "ryger" (smokes) share a Danish stem; the file gives one its own
        self._stem_cache: Dict[str, str] = {fold(w): STEM_PREFIX + fold(name)
                                            for name, words in synonyms.stems.items() for w in words}
        self.stop: Set[str] = {fold(w) for w in STOPWORDS_DANISH} | {
            w for phrase in synonyms.ignore for w in _words(phrase)
        }
        # stem sequence → group names, by length (longest first when matching)
        self._phrases: Dict[Tuple[str, ...], Set[str]] = {}
        self._one_word: Dict[str, Set[str]] = {}  # stem of a one-word phrase → its words as written
        for name, phrases in synonyms.groups.items():
            for phrase in phrases:
                words = _words(phrase)
                stems = tuple(self._stem(w) for w in words)
                if stems:
                    self._phrases.setdefault(stems, set()).add(GROUP_PREFIX + fold(name))
                if len(words) == 1:
                    self._one_word.setdefault(stems[0], set()).add(words[0])
        self._by_first: Dict[str, List[Tuple[Tuple[str, ...], Set[str]]]] = {}
        for stems, names in self._phrases.items():
            self._by_first.setdefault(stems[0], []).append((stems, names))
        self._about: Set[str] = {self._stem(w) for phrase in synonyms.about for w in _words(phrase)}
        # Groups whose every phrase names training ("træning", "genoptræne" ...)
        self._about |= {GROUP_PREFIX + fold(name) for name, phrases in synonyms.groups.items()
                        if all({self._stem(w) for w in _words(p)} <= self._about for p in phrases)}
        # Phrases as folded words, matched as written (not by stem: "nyt pas" is no "passer"), by first word
        self._elsewhere: Dict[str, List[Tuple[str, ...]]] = {}
        for phrase in filter(None, map(_words, synonyms.elsewhere)):
            self._elsewhere.setdefault(phrase[0], []).append(tuple(phrase))
        self._zipf_cache: Dict[str, float] = {}
        self.vocabulary: Counter = Counter()  # folded word → how many texts use it
        self.known: Set[str] = set()          # every search word some text of the corpus has
        self._vocab_list: List[str] = []

    def generic(self, unit: "Unit") -> bool:
        """A unit that only says the question is about training ("træning", "genoptræner"): every
        item of a standard is about that. "en anden fysioterapeut" is not: it is a phrase of the
        group on free choice."""
        return all(way <= self._about for way in unit)

    # -- vocabulary --------------------------------------------------------------------------
    def learn(self, texts: Iterable[str]) -> None:
        """Record the words the knowledge files use: only those are mended towards."""
        for text in texts:
            self.vocabulary.update(set(_words(text)))
        # A word the file gives a stem of its own is a word of this domain, as a group is
        self.known = {self._stem(w) for w in self.vocabulary} | {
            name for names in self._phrases.values() for name in names} | {
            stem for stem in self._stem_cache.values() if stem.startswith(STEM_PREFIX)}
        # A typo of a stop word or an ignored word is mended to it, and so dropped ("komunen" is
        # "kommunen", which says nothing about what is asked), not left as a rare word of its own
        self._vocab_list = [w for w in self.vocabulary if len(w) >= 3 and w not in self.stop] + sorted(
            w for w in self.stop if len(w) >= 5 and w.isalpha())

    # -- steps ----------------------------------------------------------------------------
    def stem(self, word: str) -> str:
        """The search word of a folded word (its stem, or the one the file gives it)."""
        return self._stem(word)

    def _stem(self, word: str) -> str:
        stem = self._stem_cache.get(word)
        if stem is None:
            stem = self._stem_cache[word] = self._stemmer.stemWord(word)
        return stem

    def _zipf(self, word: str) -> float:
        """How common a word (lower case, as typed) is in Danish."""
        z = self._zipf_cache.get(word)
        if z is None:
            z = self._zipf_cache[word] = zipf_frequency(word, "da") if len(self._zipf_cache) < 100_000 else 0.0
        return z

    def _mend(self, word: str) -> List[str]:
        """A question's word as words the corpus uses: itself, a typo mended, or a compound split."""
        if word in self.vocabulary or word in self.stop or len(word) < 5 or not word.isalpha():
            return [word]
        limit = 2 if len(word) >= 8 else 1
        candidates = process.extract(word, self._vocab_list, scorer=OSA.distance,
                                     score_cutoff=limit, limit=8)
        candidates = [(d, -self.vocabulary[w], w) for w, d, _ in candidates if w[0] == word[0]]
        if candidates:
            return [min(candidates)[2]]
        return self._split(word) or [word]

    def _split(self, word: str) -> Optional[List[str]]:
        """A compound of two corpus words ("telefonnummeret" → "telefon", "nummeret")."""
        fallback: Optional[List[str]] = None
        real = False  # whether the fallback's second part is a Danish word
        for cut in range(len(word) - 3, 3, -1):  # longest first part first
            head, tail = word[:cut], word[cut:]
            for first in (head, head[:-1] if head[-1:] in ("s", "e") else None):
                if not first or len(first) < 4 or first not in self.vocabulary or first in self.stop:
                    continue
                rest = [w for w in (self._mend(tail) if len(tail) >= 5 else [tail]) if w in self.vocabulary]
                if rest and len(first) >= 4 and (len(first) >= 5 or len(tail) >= 5 and tail in self.vocabulary):
                    return [first] + rest
                # A short first part only with a known second part: "mail|adressen", not "køre|kort". A
                # second part no knowledge file uses stays, as a word of its own ("borger|service" asks
                # about a service, not about citizens), unless a later cut gives two known parts or a
                # second part that is a Danish word ("hjemme|sygeplejerske", not "hjemme(s)|ygeplejerske")
                if len(first) >= 5 and (fallback is None or not real and self._zipf(tail) >= REAL_WORD_ZIPF):
                    fallback = [first] + ([tail] if len(tail) >= 4 else [])
                    real = self._zipf(tail) >= REAL_WORD_ZIPF
        return fallback

    def _compound(self, word: str) -> Optional[List[str]]:
        """The two parts of a long compound in an item when the knowledge files use both as words
        of their own ("konditionstræning" → "kondition", "træning"): a question that says
        "kondition" finds it."""
        if len(word) < 10 or not word.isalpha():
            return None
        for cut in range(len(word) - 4, 4, -1):
            head, tail = word[:cut], word[cut:]
            if tail not in self.vocabulary or tail in self.stop:
                continue
            for first in (head, head[:-1] if head[-1] in ("s", "e") else None):
                if first and len(first) >= 5 and first in self.vocabulary and first not in self.stop:
                    return [first, tail]
        return None

    @staticmethod
    def _match(phrase: Tuple[str, ...], stems: List[str], content: List[bool], i: int) -> Optional[List[int]]:
        """Where ``phrase`` occurs from word i: its words in order, with at most MAX_GAP stop words
        between two of them ("hvem er det der træner" says "hvem træner"), or None."""
        at = [i]
        for stem in phrase[1:]:
            j = at[-1] + 1
            while j < len(stems) and stems[j] != stem and not content[j] and j - at[-1] <= MAX_GAP:
                j += 1
            if j >= len(stems) or stems[j] != stem or j - at[-1] > MAX_GAP + 1:
                return None
            at.append(j)
        return at

    def tokens(self, text: str, question: bool = False) -> List[str]:
        """The search words of a text (a question if ``question``: its words are mended)."""
        return self.analyse(text, question)[0]

    def analyse(self, text: str, question: bool = False) -> Analysis:
        """Search words, units and whether it is about training. A unit is one thing the text
        says, as the ways an item can say it: a word by its stem or its groups; a phrase of
        several words by its groups or by all of its words that are not stop words ("tlf nummer"
        is not said by "CPR-nummer")."""
        words = _words(text)
        everyday: FrozenSet[str] = frozenset()
        common: FrozenSet[str] = frozenset()
        if question:
            typed = {fold(w): self._zipf(w) for w in (m.lower() for m in _WORD.findall(text or ""))}
            everyday = frozenset(self._stem(w) for w, z in typed.items() if z >= EVERYDAY_ZIPF)
            # a letter or an abbreviation ("p-billet", "tlf") is frequent as a string, not as a word
            common = frozenset(self._stem(w) for w, z in typed.items()
                               if COMMON_ZIPF <= z < EVERYDAY_ZIPF and len(w) >= 4)
            words = [w for word in words
                     for w in ([word] if typed.get(word, 0.0) >= REAL_WORD_ZIPF else self._mend(word))]
        stems = [self._stem(w) for w in words]
        content = [w not in self.stop and not w.isdigit() for w in words]
        out = [s for w, s in zip(words, stems) if w not in self.stop]
        if not question:
            # the first part only: it tells this compound from others ("konditions|træning"); the
            # last is a common word that would count in every item ("service|loven")
            out += [self._stem(parts[0]) for parts in map(self._compound, words) if parts]
        covering: List[Set[str]] = [set() for _ in stems]
        in_phrase: Set[int] = set()       # words of a phrase of two or more words, or of stop words
        units: Set[Unit] = set()
        # In a question a number can stand where a phrase has "#"
        matching = [NUMBER if question and w.isdigit() and len(w) <= 3 else s for w, s in zip(words, stems)]
        # ... and a phrase that names a number matches it as written ("under 18", "fyldt 18")
        starts = [(i, phrase, names, matching) for i in range(len(stems))
                  for phrase, names in self._by_first.get(matching[i], ())]
        if matching != stems:
            starts += [(i, phrase, names, stems) for i in range(len(stems))
                       for phrase, names in self._by_first.get(stems[i], ()) if any(w.isdigit() for w in phrase)]
            starts.sort(key=lambda start: start[0])
        for i, phrase, names, sequence in starts:
            at = self._match(phrase, sequence, content, i)
            if at is None:
                continue
            if len(phrase) == 1 and not content[i] and words[i] not in self._one_word[phrase[0]]:
                continue  # a stop word whose stem a phrase shares: "være" is not "varer"
            # In a question a group counts twice: its phrases were chosen for what people ask.
            out.extend(sorted(names) * (GROUP_WEIGHT if question else 1))
            for j in at:
                covering[j] |= names
            if len(at) > 1 or not content[i]:
                said = frozenset(stems[j] for j in at if content[j])
                units.add(frozenset({frozenset({g}) for g in names} | ({said} if said else set())))
                in_phrase.update(at)
        for j in range(len(stems)):
            if content[j] and j not in in_phrase:
                units.add(frozenset(frozenset({t}) for t in {stems[j]} | covering[j]))
        # (also a compound that ends in training: "bassintræning", "styrketræning")
        about = any(s in self._about or s.endswith(TRAINING_STEM) for s in stems)
        return Analysis(out, sorted(units, key=sorted), about, everyday, common,
                        question and not about and self._names_elsewhere(_words(text)))

    def _names_elsewhere(self, words: List[str]) -> bool:
        """Whether the words hold a phrase of the file's `elsewhere` list, word for word."""
        return any(tuple(words[i:i + len(p)]) == p for i, w in enumerate(words) for p in self._elsewhere.get(w, ()))
