"""A change of mind inside one message: "hvor mange gange om ugen er det.. nej vent, jeg mener hvor
lang tid varer hele forløbet".

What follows "nej vent", "nej undskyld", "eller nej", "det er lige meget", "glem det" (with or
without "jeg mener" or "det jeg skal vide er") replaces what it corrects: a whole question replaces
the sentence before it, and so does an explanation that ends in a question of its own ("nej vent,
jeg skal lige forklare: … skal han så selv sørge for at komme derhen"); a withdrawn question ("det er
lige meget", "glem det", "nej det har jeg læst") is dropped; a word or two replace the word of the
same kind in that sentence (the kind of training, a number: "hun er 84.. nej undskyld 85"). Anything
else is left as written, without the marker. "Jeg mener" alone is an opinion, not a correction,
and "ja eller nej" ("hvem siger ja eller nej til genoptræning") is no change of mind.
"""
from __future__ import annotations

import re

from ..folding import fold
from .offers import about_offer, named_offer
from .sentences import last_sentence_start

_MARKER = re.compile(
    r"(?:\.{2,}|[,.;:!?-])?\s*\b(?:nej\s+vent|nej\s+undskyld|nej\s+forresten|(?<!\bja\s)eller\s+nej|vent\s+lidt"
    # the question before is withdrawn: "nej det er lige meget", "glem det", "hvad koster det.. nej
    # det har jeg læst, den er gratis. men …"
    r"|(?P<withdrawn>(?:nej\s+)?(?:det\s+er\s+)?(?:egentlig\s+)?(?:lige\s+meget|ligegyldigt)|(?:nej\s+)?glem\s+det"
    r"|nej\s+det\s+(?:har\s+jeg\s+(?:l(?:æ|ae|a)st|set|fundet)|ved\s+jeg(?:\s+godt)?)"
    # "jeg ville egentlig spørge om prisen, men det tager vi senere."
    r"|(?:men\s+)?det\s+(?:tager\s+vi|kan\s+vente|m(?:å|aa|a)\s+vente)(?:\s+(?:senere|til\s+senere|en\s+anden\s+gang))?))\b"
    r"[\s,.:;!-]*(?:jeg\s+mener(?:\s+at)?\b[\s,:]*"
    # "…, det jeg skal vide er hvem der skal køre ham": what follows is the question
    r"|det\s+jeg\s+(?:gerne\s+)?(?:skal|vil|ville)\s+(?:gerne\s+)?vide\s+er\b[\s,:]*)?",
    re.IGNORECASE)
_FRAGMENT = re.compile(r"^\s*([^,.;:!?]+)")
# A number corrects the number before it: "hun er 84.. nej undskyld 85", "84 år.. nej 85 år"
_NUMBER = re.compile(r"^\d{1,3}(?P<unit>\s*(?:ar|aar))?$")
_OLD_NUMBER = {False: re.compile(r"\b\d{1,3}\b"), True: re.compile(r"\b\d{1,3}(?:\s*(?:år|aar|ar)\b)?", re.I)}
# A kind of training corrects the one before it: "hvad koster genoptræning.. nej vent vedligeholdende"
_KIND = re.compile(r"^(?:den\s+)?(?:vedligehold\w*(?:\s+tr\w+)?|genoptr\w+)$")
MAX_FRAGMENT_WORDS = 3
# "kan min far få kørsel.. nej vent, jeg skal lige forklare: vi bor 400 meter fra … skal han så
# selv sørge for at komme derhen": the question asked again after the explanation replaces the first
_EXPLAINS = re.compile(r"^\s*(?:jeg\s+(?:skal|ma|vil)\s+(?:lige\s+)?(?:forklare|fortalle|sige)|lad\s+mig\s+"
                       r"(?:lige\s+)?(?:forklare|fortalle)|det\s+giver\s+(?:jo\s+)?ingen\s+mening"
                       r"|det\s+var\s+(?:et\s+)?dumt?\s+sporgsmal)\b", re.IGNORECASE)


_OWN_QUESTION = re.compile(r"^\s*(?:og\s+|men\s+)?hv(?!is\b)\w*\s+\w+")


def _explains_then_asks(after: str, retracts_question: bool) -> bool:
    """What follows the marker explains and then asks a question of its own: "jeg skal lige
    forklare: … skal han så selv sørge for …", "det er ikke afgørelsen vi er sure over. … hvem
    klager man til over sådan noget" (after a question: a question word does not lean on the one
    before, as "det er fordi jeg er forkølet. gælder det samme så" does; "hun er 84.. nej undskyld
    85. hvor …" corrects a number)."""
    from .splitting import asking_sentence

    asked = asking_sentence(after)
    return asked is not None and (bool(_EXPLAINS.match(fold(after))) or (
        retracts_question and bool(_OWN_QUESTION.match(fold(asked)))))


def corrected(text: str) -> str:
    """``text`` with each change of mind applied (see the module's docstring)."""
    for _ in range(3):  # a message seldom changes its mind more than twice
        m = _MARKER.search(text or "")
        if m is None or not text[:m.start()].strip() or not text[m.end():].strip():
            return text
        before, after = text[:m.start()], text[m.end():]
        start = last_sentence_start(before)
        kept, retracted = before[:start].rstrip().rstrip(".!?").rstrip(), before[start:]
        from .splitting import asks  # splitting applies the corrections first: imported here, not above

        if m.group("withdrawn") or asks(after, after_comma=False) or _explains_then_asks(after, asks(retracted)):
            text = f"{kept}. {after}" if kept else after
            continue
        fragment = _FRAGMENT.match(after)
        words = fragment.group(1).strip() if fragment else ""
        replaced = None
        if words and len(words.split()) <= MAX_FRAGMENT_WORDS:
            said = fold(words)
            if _KIND.match(said):
                replaced = about_offer(retracted, named_offer(said), name=words, last_only=True)
            elif _NUMBER.match(said) and _OLD_NUMBER[False].search(retracted):
                last = list(_OLD_NUMBER[bool(_NUMBER.match(said).group("unit"))].finditer(retracted))[-1]
                replaced = retracted[:last.start()] + words + retracted[last.end():]
            if replaced is not None:
                after = after[fragment.end():]
        if replaced is None:  # not a correction of one word: as written, without the marker
            text = f"{before.rstrip()}. {after}"
            continue
        text = f"{kept} {replaced}{after}".strip()
    return text
