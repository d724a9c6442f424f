"""How a message is put together: its questions and statements, and a few things people say
(start over, I only want to know, talk to a person, in English) that change the course of the
conversation. Plain rules on folded text (æ/ae → a, ø/oe → o, å/aa → a), so typos in æøå pass."""
from __future__ import annotations

import re
from typing import List, Tuple

from ..understanding import _fold as fold  # one folding for all understanding

__all__ = ["fold", "split_message", "looks_like_question", "wants_assessment", "wants_out", "wants_person",
           "is_restart", "is_english", "is_greeting_only", "asks_for_reference"]

_QUESTION_WORDS = (r"hvad|hvordan|hvorfor|hvornar|hvor|hvem|hvilke|hvilken|hvilket|hvis\s+jeg|kan|ma|skal|er|har|far"
                   r"|gar|koster|galder|findes|vil|bliver|tager|sker|betaler|daekker|dakker")
_QUESTION_START = re.compile(rf"^\s*(?:og\s+|men\s+|sa\s+|ogsa\s+)?(?:{_QUESTION_WORDS})\b")
_WANT_TO_KNOW = re.compile(r"\b(?:vil|ville)\s+(?:gerne\s+|bare\s+|lige\s+|godt\s+)*(?:vide|hore|sporge)\b"
                           r"|\bjeg\s+(?:undrer|sporger)\b|\bsporgsmal\b")
# "… og hvornår har de åbent": a second question joined by "og"/"samt"/"eller".
_JOIN = re.compile(r"[\s,]+(?:og|samt|eller|plus)\s+", re.IGNORECASE)
_STARTS_QUESTION = re.compile(rf"^(?:{_QUESTION_WORDS})\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def split_message(text: str) -> Tuple[List[str], List[str]]:
    """(statements, questions) in the order written."""
    statements, questions = [], []
    for sentence in (s.strip() for s in _SENTENCE.split(text or "")):
        if not sentence:
            continue
        if looks_like_question(sentence):
            parts = _split_joined(sentence)
            questions.extend(p for p in parts if p)
        else:
            statements.append(sentence)
    return statements, questions


def _split_joined(sentence: str) -> List[str]:
    parts, last = [], 0
    for m in _JOIN.finditer(sentence):
        rest = sentence[m.end():]
        if _STARTS_QUESTION.search(fold(rest)) and len(sentence[last:m.start()].split()) >= 2:
            parts.append(sentence[last:m.start()].strip(" ,"))
            last = m.end()
    parts.append(sentence[last:].strip())
    return [p for p in parts if p]


_NEGATED_START = re.compile(r"^\s*\w+\s+(?:ikke|ik|ikk|aldrig)\b")


def looks_like_question(sentence: str) -> bool:
    folded = fold(sentence)
    if sentence.rstrip().endswith("?") or _WANT_TO_KNOW.search(folded):
        return True
    # "Kan ikke gå på trapper" leaves out "jeg": a statement, not a question.
    return bool(_QUESTION_START.search(folded)) and not _NEGATED_START.search(folded)


_ELIGIBILITY = re.compile(
    r"\bkan\s+(?:\w+\s+){0,3}?(?:fa|soge)\s+(?:\w+\s+){0,2}?(?:gen)?tr[ae]n\w*"
    r"|\b(?:ret\s+til|berettiget\s+til)\s+(?:\w+\s+){0,2}?(?:gen)?tr[ae]n\w*"
    r"|\bmalgruppe\w*|\ber\s+(?:det|vedligeholdende\s+traning|genoptraning)\s+noget\s+for\b"
    r"|\bkvalificer\w*|\bopfylder\s+(?:\w+\s+)?(?:kriterier|krav)")


def wants_assessment(question: str) -> bool:
    """'Kan min mor få genoptræning?': a question the interview answers, not a single item."""
    return bool(_ELIGIBILITY.search(fold(question)))


_OUT = re.compile(r"\b(?:vil|ville)\s+(?:bare|kun)\s+(?:gerne\s+)?(?:vide|hore|sporge)\b|\bgider\s+ikke\b"
                  r"|\bvil\s+ikke\s+(?:svare|have\s+en\s+vurdering|vurderes)\b|\bbare\s+et\s+sporgsmal\b"
                  r"|\bikke\s+en\s+vurdering\b|\bspring\s+(?:det|vurderingen)\s+over\b")


def wants_out(text: str) -> bool:
    """'nej, jeg vil bare vide hvad det koster': leave the interview without forcing it."""
    return bool(_OUT.search(fold(text)))


_PERSON = re.compile(r"\b(?:tale|snakke|tal)\s+med\s+(?:en\s+)?(?:medarbejder|person|menneske|sagsbehandler)"
                     r"|\b(?:et\s+)?rigtigt?\s+menneske\b|\bringe\s+til\s+(?:jer|kommunen)\b")


def wants_person(text: str) -> bool:
    return bool(_PERSON.search(fold(text)))


_RESTART = re.compile(r"^\s*(?:start\w*\s+(?:for\s*fra|forfra|om|igen|pa\s+ny)|begynd\w*\s+(?:for\s*fra|forfra|igen)"
                      r"|forfra|nulstil\w*|ny\s+samtale)\b")


def is_restart(text: str) -> bool:
    return bool(_RESTART.search(fold(text)))


_REFERENCE = re.compile(r"\breference\w*|\bkvittering\w*|\bsagsnummer\w*")


def asks_for_reference(text: str) -> bool:
    return bool(_REFERENCE.search(fold(text)))


_GREETING = re.compile(r"^(?:hej+|hejsa|hallo+|hallo|goddag|god\s+(?:morgen|dag|aften|eftermiddag)|dav|davs|hey|hi|"
                       r"hello|halloj|godmorgen|/greet)(?:\s+(?:med\s+dig|der|igen|traningsguiden|robot))?[\s.!,]*$")


def is_greeting_only(text: str) -> bool:
    return bool(_GREETING.match(fold(text)))


_ENGLISH = {"the", "is", "my", "what", "how", "can", "you", "help", "please", "training", "mother", "father",
            "hello", "i", "do", "does", "need", "want", "who", "where", "when", "cost", "much", "english", "speak",
            "rehabilitation", "physiotherapy", "thank", "thanks", "your", "am", "are", "it", "this", "with"}
_DANISH = {"jeg", "min", "mit", "hun", "han", "er", "har", "og", "det", "kan", "hvad", "hvordan", "mor", "far",
           "ikke", "til", "med", "på", "pa", "af", "en", "et", "hvor", "koster", "tak", "hej", "træning", "traning"}


def is_english(text: str) -> bool:
    words = re.findall(r"[a-zæøå']+", (text or "").lower())
    english = sum(w in _ENGLISH for w in words)
    danish = sum(w in _DANISH for w in words)
    return english >= 2 and danish == 0 and english >= len(words) / 3
