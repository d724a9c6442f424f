"""One plain spelling for Danish words, however they are typed.

People write "kørsel", "korsel" and "koersel", "Århus" and "Aarhus", "svømmehal" and "svommehal".
Folding maps all of them to one lower-case ASCII form (æ/ae → a, ø/oe → o, å/aa → a, accents
dropped), so that text and questions are compared in the same form. Folding loses information
("bade" and "både" meet), which is fine for matching and never shown to anyone.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List, Tuple

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, æøå and their two-letter spellings folded to a/o/a, no accents.

    Kept for the texts seen lately: one message is folded by many readers (municipality, age,
    questions, ranking) and the knowledge's texts again and again."""
    low = (text or "").lower().replace("æ", "a").replace("ø", "o").replace("å", "a")
    if not low.isascii():  # accents to drop ("é", "ü"); plain text has none
        low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return low.replace("ae", "a").replace("oe", "o").replace("aa", "a")


def folded_words(text: str) -> List[Tuple[str, int, int]]:
    """(folded word, start, end) for every word of ``text``; start/end index the original text."""
    return [(fold(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text or "")]
