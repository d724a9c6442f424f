"""Recognise a municipality from the way people write its name."""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, Iterable, List, Optional, Tuple

from .knowledge import KnowledgeBase, cached_knowledge
from .knowledge.schema import MunicipalityEntry

_SUFFIX = re.compile(r"\b(kommune|kommunes|kommuner|kom\.?)$")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_keys(text: str) -> List[str]:
    """Normalised spellings of a name: lower case, no "Kommune", hyphen = space, æøå variants."""
    base = " ".join(re.sub(r"[-_.,]", " ", text.strip().lower()).split())
    base = _SUFFIX.sub("", base).strip()
    if not base:
        return []
    transliterated = base.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = _strip_accents(base.replace("æ", "a").replace("ø", "o").replace("å", "a"))
    # People also write "aa" for "å" (and the other way round): fold both to the same key.
    collapsed = folded.replace("aa", "a").replace("oe", "o").replace("ae", "a")
    keys = [base, transliterated, folded, collapsed, transliterated.replace("aa", "a").replace("oe", "o").replace("ae", "a")]
    return list(dict.fromkeys(k.replace(" ", "") for k in keys))


# id(kb) → (kb, index); holding kb keeps its id from being reused by another object.
_INDEXES: Dict[int, Tuple[KnowledgeBase, Dict[str, MunicipalityEntry]]] = {}


def _index(kb: KnowledgeBase) -> Dict[str, MunicipalityEntry]:
    """Spelling key → municipality, built once per knowledge base."""
    cached = _INDEXES.get(id(kb))
    if cached is not None:
        return cached[1]
    index: Dict[str, MunicipalityEntry] = {}
    for entry in kb.municipalities.municipalities:
        for spelling in [entry.name, *entry.aliases]:
            for key in name_keys(spelling):
                index.setdefault(key, entry)
    _INDEXES[id(kb)] = (kb, index)
    return index


def find_municipality(text: Optional[str], kb: Optional[KnowledgeBase] = None) -> Optional[MunicipalityEntry]:
    """The municipality a name (or kommunekode) refers to, or None."""
    if not text:
        return None
    kb = kb or cached_knowledge()
    code = text.strip()
    if re.fullmatch(r"\d{3,4}", code):
        code = code.zfill(4)
        return next((e for e in kb.municipalities.municipalities if e.code == code), None)
    index = _index(kb)
    for key in name_keys(text):
        if key in index:
            return index[key]
    return None


def all_spellings(kb: Optional[KnowledgeBase] = None) -> Iterable[Tuple[str, str]]:
    """(spelling, official name) for lookup tables in the NLU data."""
    kb = kb or cached_knowledge()
    for entry in kb.municipalities.municipalities:
        for spelling in [entry.name, *entry.aliases]:
            yield spelling, entry.name
