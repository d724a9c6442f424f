"""The two kinds of training by the words people use for them: which one a question names, and the
question asked about the other one ("hvad koster genoptræning" → "hvad koster vedligeholdende
træning"), for a change of mind in a message and a follow-up in the conversation alike."""
from __future__ import annotations

import re
from typing import Optional

# What names each kind in a question ("genoptræningen", "vedligeholdende træning", "den vedligeholdende")
_NAMES = {
    "stk1": re.compile(r"\bgenoptr[æae]+n\w*", re.IGNORECASE),
    "stk2": re.compile(r"\bvedligehold\w*(?:\s+tr[æae]+n\w*)?", re.IGNORECASE),
}
# "træningen", "træning": either kind, until one is named
_EITHER = re.compile(r"\btr[æae]+ning(?:en)?\b", re.IGNORECASE)
SPOKEN = {"stk1": "genoptræning", "stk2": "vedligeholdende træning"}


def named_offer(question: str) -> Optional[str]:
    """stk1 or stk2 when the question names the kind of training ("vedligeholdende", "genoptræning"):
    "bliver min mor kørt til genoptræningen" is not answered by a rule about maintenance training.
    A question that compares ("forskel på genoptræning og ...") is about both."""
    low = question.lower()
    if re.search(r"forskel|sammenlign|i forhold til", low):
        return None
    # (also as professionals write them: "vedl. træn.", "SEL 86,2", "genoptr.", "gen.tr.")
    if re.search(r"vedligehold|\bvedl\b|stk\.?\s*2|\b86\s*,\s*2\b", low):
        return "stk2"
    if re.search(r"genoptr[æae]+n|\bgenoptr\b|\bgen\.\s*tr\b|stk\.?\s*1|\b86\s*,\s*1\b", low):
        return "stk1"
    return None


def about_offer(text: str, offer: str, name: Optional[str] = None, last_only: bool = False) -> Optional[str]:
    """``text`` asked about ``offer``: the other kind's name (or "træningen") replaced by ``name``
    (the offer's own name by default); only the last one with ``last_only``. None when ``text``
    names no training to replace."""
    other = _NAMES["stk2" if offer == "stk1" else "stk1"]
    found = list(other.finditer(text)) or list(_EITHER.finditer(text))
    if not found:
        return None
    name = name or SPOKEN[offer]
    for m in reversed(found[-1:] if last_only else found):
        text = text[:m.start()] + name + text[m.end():]
    return text
