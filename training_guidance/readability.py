"""LIX, the Scandinavian readability index: words per sentence + percent of words over 6 letters.

Under 30 is very easy, 30-40 easy (plain Danish, our target), above 40 gets harder.
"""
from __future__ import annotations

import re

# A source in parentheses, or "Kilde: …" to the end of its line: names of laws and sections, not prose.
_SOURCE = re.compile(r"\((?:Kilde|Hvorfor):[^()]*(?:\([^()]*\)[^()]*)*\)|\bKilde:[^\n]*")
_URL = re.compile(r"\S+\.(?:dk|com)\S*|https?://\S+")
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖö]+")
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(kr|pr|stk|nr|kl|ca|evt|inkl|tlf|fx|bl\.a|f\.eks|jf|mv|m\.fl|dvs)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n+")


_LABEL = re.compile(r"^\s*[^\n.!?]{0,40}:\s*$", re.MULTILINE)  # "Derfor:", "Genoptræning:"


def plain_text(text: str) -> str:
    """The text a reader reads as prose: without source citations, web addresses and short
    label lines such as "Derfor:" (LIX measures running text, not headings)."""
    return _LABEL.sub("", _URL.sub("", _SOURCE.sub("", text)))


def lix(text: str) -> float:
    text = _ABBREVIATIONS.sub(lambda m: m.group(1).replace(".", ""), plain_text(text))
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    long_words = sum(1 for w in words if len(w) > 6)
    return len(words) / sentences + 100 * long_words / len(words)
