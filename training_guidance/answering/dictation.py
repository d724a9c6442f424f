"""A message as speech-to-text writes it, read as if typed.

Older users dictate on their phones. The recogniser splits compounds ("gen optræning", "vedlige
holdende", "hjemme hjælpen", "aktivitets centret"), writes numbers as words ("hun er otte og
firs", "efter tolv uger") and leaves spoken fillers ("øh", "øhm"). ``as_typed`` joins what the
knowledge files write as one word, writes numbers as digits and drops the fillers, so that every
reader after it (the splitter, the ranking, the facts) sees the message as it would have been typed.

Two words are joined only when the knowledge files use the joined word ("genoptræning",
"hjemmehjælpen") and neither is a stop word ("hver dag" stays: every day is not a weekday); with
the linking "s" the compound has where that is the word ("kvalitet standard", typed by someone who
rarely writes, is "kvalitetsstandard").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Optional

from ..folding import fold

# Danish numbers as words (folded): "otte og firs" is 88, "en og halvfjerds" 71
_UNITS = {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9}
_TEENS = {"ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
          "sytten": 17, "atten": 18, "nitten": 19}
_TENS = {"tyve": 20, "tredive": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50, "tres": 60,
         "halvfjerds": 70, "firs": 80, "halvfems": 90}
_UNIT_RX = "|".join(_UNITS)
_TENS_RX = "|".join(sorted(_TENS, key=len, reverse=True))
_TEENS_RX = "|".join(sorted(_TEENS, key=len, reverse=True))
# What a small number counts, for the units alone ("to gange om ugen", "tre uger", "fire år"); not
# "en"/"et" (an article) nor "to" before anything else
_COUNTED = (r"(?:gange?|uger?|ugers|dage?|dages|hverdage?|maneder?|maneders|ar|ars|timer?|minutter?|"
            r"traninger|traningsgange)")
# "otte og firs", and a tens word alone ("firs år")
_COMPOUND = re.compile(rf"\b(?:({_UNIT_RX})\s+og\s+)?({_TENS_RX})\b")
_TEEN = re.compile(rf"\b({_TEENS_RX})\b(?=\s+(?:{_COUNTED}|ar\b|arig))")
_SMALL = re.compile(rf"\b(?!en\b|et\b)({_UNIT_RX})\b(?=\s+{_COUNTED}\b)")
_FILLER = re.compile(r"(?<![\w-])(?:øh+m?|øhm+|æh+m?|ehm+|hmm+|oeh+m?|du\s+ved(?=\s+hv))(?![\w-])[,.]?\s*",
                     re.IGNORECASE)  # "han er lidt nærig du ved hvad koster det": "du ved" is a filler
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _fold_letters(text: str) -> str:
    """Lower case with æøå as a/o/a, letter for letter, so that positions stay (``fold`` also
    shortens "aa" and "ae")."""
    return text.lower().translate(_LETTERS)


_LETTERS = str.maketrans("æøå", "aoa")


def spoken_numbers(text: str) -> str:
    """Numbers said as words, as digits: "otte og firs" → "88", "tolv uger" → "12 uger"."""
    folded = _fold_letters(text)
    out, last = [], 0
    spans = []
    for m in _COMPOUND.finditer(folded):
        value = _TENS[m.group(2)] + (_UNITS[m.group(1)] if m.group(1) else 0)
        spans.append((m.start(), m.end(), value))
    for rx, table in ((_TEEN, _TEENS), (_SMALL, _UNITS)):
        for m in rx.finditer(folded):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), table[m.group(1)]))
    for start, end, value in sorted(spans):
        out.append(text[last:start] + str(value))
        last = end
    return "".join(out) + text[last:]


def _knowledge_word() -> Callable[[str, str], bool]:
    """Whether a folded word (joined from a first part and more) is one the knowledge files use, in
    this form or another ("lokalcentret" where they write "lokalcenteret": the same stem)."""
    from ..knowledge import cached_knowledge
    from .index import indexes

    analyzer = indexes(cached_knowledge()).analyzer
    return lambda word, first: word in analyzer.vocabulary or (
        # the second part must count: "træning igen" is not a word because "træningigen" stems to
        # "træning"
        analyzer.stem(word) in analyzer.known and analyzer.stem(word) != analyzer.stem(first))


@lru_cache(maxsize=1)
def _stop_words() -> FrozenSet[str]:
    from .bm25 import STOPWORDS_DANISH

    return frozenset(fold(w) for w in STOPWORDS_DANISH)


def joined_compounds(text: str, is_word: Optional[Callable[[str, str], bool]] = None) -> str:
    """Words the recogniser split, joined where the knowledge files write them as one: "gen
    optræning" → "genoptræning", "gen optrænings plan" → "genoptræningsplan". ``is_word``: whether
    a folded word, joined from a first part and more, is one of theirs (by default: the knowledge
    base's)."""
    is_word = is_word or _knowledge_word()
    stop = _stop_words()
    words = list(_WORD.finditer(text or ""))
    out, last, i = [], 0, 0
    while i < len(words):
        joined = None
        for n in (3, 2):
            group = words[i:i + n]
            if len(group) < n or any(text[a.end():b.start()] != " " for a, b in zip(group, group[1:])):
                continue  # only words with one space between them, in one sentence
            parts = [fold(w.group(0)) for w in group]
            if any(p in stop or len(p) < 2 for p in parts):
                continue
            if len("".join(parts)) >= 6 and is_word("".join(parts), parts[0]):
                joined = (n, "".join(w.group(0) for w in group))
                break
            # "kvalitet standard": split where the compound has a linking "s" ("kvalitetsstandard")
            if n == 2 and not parts[0].endswith("s") and is_word("s".join(parts), parts[0]):
                joined = (n, "s".join(w.group(0) for w in group))
                break
        if joined:
            n, word = joined
            out.append(text[last:words[i].start()] + word)
            last = words[i + n - 1].end()
            i += n
        else:
            i += 1
    return "".join(out) + text[last:]


# Texts read lately → as typed, each result also → itself: the splitter reads a message, then the
# ranking each question it cut from it, already typed
_TYPED: Dict[str, str] = {}
MAX_TYPED = 8192


def as_typed(text: str, is_word: Optional[Callable[[str, str], bool]] = None) -> str:
    """``text`` as it would have been typed: fillers dropped, split compounds joined, numbers in
    digits (see the module's docstring)."""
    if not text:
        return text or ""
    if is_word is None and text in _TYPED:
        return _TYPED[text]
    typed = spoken_numbers(joined_compounds(_FILLER.sub("", text), is_word))
    if is_word is None:
        if len(_TYPED) >= MAX_TYPED:
            _TYPED.clear()
        _TYPED[text] = _TYPED[typed] = typed
    return typed
