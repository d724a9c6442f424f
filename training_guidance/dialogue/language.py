"""How a message is put together: its questions and statements, and a few things people say
(start over, I only want to know, talk to a person, in English) that change the course of the
conversation. Plain rules on folded text (æ/ae → a, ø/oe → o, å/aa → a), so typos in æøå pass."""
from __future__ import annotations

import re
from typing import List, Tuple

from ..answering.splitting import Piece, read_message
from ..understanding import _fold as fold  # one folding for all understanding

__all__ = ["fold", "split_message", "looks_like_question", "wants_assessment", "wants_out", "wants_person",
           "is_restart", "is_english", "is_greeting_only", "asks_for_reference"]

# A question this short says nothing on its own after a statement: "... starte om 3 uger. Må de
# det?", "... ingen har ringet. Er det normalt?"
_SHORT_QUESTION_WORDS = 4


_ALSO = re.compile(r"\bogsa\b")


def split_message(text: str) -> Tuple[List[str], List[str]]:
    """(statements, questions) in the order written, read as the answering reads a message
    (answering.read_message: one reader of questions for both). A question carries what its own
    sentence tells before it ("min mor kan ikke komme op fra sofaen, kan hun få genoptræning": the
    situation is part of the question), and a short question the statements before it ("... starte
    om 3 uger. Må de det?"); they stay statements too."""
    statements, questions = [], []
    since_question: List[Piece] = []
    for piece in read_message(text):
        if not piece.asks:
            statements.append(piece.text)
            since_question.append(piece)
            continue
        # (or one that says "også": "… går til gymnastik i klubben. Kan hun også få vedligeholdende træning?")
        short = len(piece.text.split()) <= _SHORT_QUESTION_WORDS or bool(_ALSO.search(fold(piece.text)))
        # the same sentence keeps its comma: "min mor er 60, kan ældreloven gælde for hende"
        told = [p.text + ("," if p.sentence == piece.sentence else "")
                for p in since_question if short or p.sentence == piece.sentence]
        questions.append(" ".join(told + [piece.text]))
        since_question = []
    return statements, questions


def looks_like_question(text: str) -> bool:
    """Whether a message asks anything (a question mark, a question word or a verb first, asking in
    other words: "jeg vil gerne vide …")."""
    return any(piece.asks for piece in read_message(text))


_TRAINING = r"(?:(?:genop)?tr[ae]n(?:ing\w*|e\b|er\b)|vedligeholdende)"  # "genoptræning", "træner"
_ELIGIBILITY = re.compile(
    rf"\bkan\s+(?:\w+\s+){{0,3}}?(?:fa|soge)\s+(?:\w+\s+){{0,3}}?{_TRAINING}"
    rf"|\bkan\s+(?:jeg|vi|hun|han|min\s+\w+|mit\s+\w+)\s+(?:godt\s+|stadig\s+|ogsa\s+)?(?:genop)?tr[ae]ne\b"
    rf"|\b(?:ret\s+til|berettiget\s+til)\s+(?:\w+\s+){{0,2}}?{_TRAINING}"
    r"|\bmalgruppe\w*|\ber\s+(?:det|vedligeholdende\s+traning|genoptraning)\s+noget\s+for\b"
    r"|\bkvalificer\w*|\bopfylder\s+(?:\w+\s+)?(?:kriterier|krav)")
# About a person ("kan jeg", "kan min mor", "kan hun"), not the rules in general ("hvem kan få").
_PERSONAL = re.compile(r"\b(?:jeg|mig|min|mit|mine|hun|han|hende|ham|vi|vores|du|din)\b")


# "hvor længe kan jeg få vedligeholdende træning", "bliver det vurderet, om jeg stadig kan få
# træning": questions about the training, not whether one can get it
_ABOUT_THE_TRAINING = re.compile(r"^\s*(?:og\s+|men\s+)?(?:hvor|hvad|hvornar|hvordan|hvem|hvilke|hvilken|hvorfor)\b"
                                 r"|\bom\s+(?:jeg|du|hun|han|vi|min\s+\w+)\s+(?:\w+\s+)?kan\b")


def wants_assessment(question: str) -> bool:
    """'Kan min mor få genoptræning?': a question about a person, which the interview answers."""
    folded = fold(question)
    return (bool(_ELIGIBILITY.search(folded)) and bool(_PERSONAL.search(folded))
            and not _ABOUT_THE_TRAINING.search(folded))


_PLAIN_TRAINING = re.compile(r"(?:genop)?tr[ae](?:ning(?:en)?|ne|ner)|vedligeholdende")


def beyond_eligibility(question: str) -> str:
    """What a question about a person asks besides whether they can get training: "hjemme i
    stuen" in "kan hun få træning hjemme i stuen", "træningsplan" in "kan han få en
    træningsplan"; "" for "kan min mor få genoptræning?"."""
    folded = fold(question)
    match = _ELIGIBILITY.search(folded)
    if not match:
        return folded
    words = match.group(0).split()
    extra = [w for w in words[-1:] if not _PLAIN_TRAINING.fullmatch(w)]  # "træningsplan"
    # What comes before may be the situation the standard speaks of ("jeg træner allerede i et
    # motionscenter, kan jeg så få genoptræning"), what comes after what they want to know
    rest = " ".join([folded[:match.start()], *extra, folded[match.end():]])
    return " ".join(w for w in rest.split() if not _PLAIN_TRAINING.fullmatch(w.strip("?.,!")))


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


# "Kvittering i e-Boks: »Vi har modtaget din ansøgning …« Hvornår får jeg svar?" quotes the
# municipality's receipt: a question about the chat's own reference is short
MAX_REFERENCE_WORDS = 10


def asks_for_reference(text: str) -> bool:
    return bool(_REFERENCE.search(fold(text))) and len(text.split()) <= MAX_REFERENCE_WORDS


_GREETING = re.compile(r"^(?:hej+|hejsa|hallo+|hallo|goddag|god\s+(?:morgen|dag|aften|eftermiddag)|dav|davs|hey|hi|"
                       r"hello|halloj|godmorgen|/greet)(?:\s+(?:med\s+dig|der|igen|traningsguiden|robot))?[\s.!,]*$")


_YES = re.compile(r"^(?:ja|jo|jep|ja\s+tak|gerne|ok|okay|yes|selvfolgelig|klart|det\s+vil\s+jeg\s+gerne)\b")
_NO = re.compile(r"^(?:nej|nix|nope|ikke\s+nu|nej\s+tak|det\s+behover\s+jeg\s+ikke)\b")


def yes_or_no(text: str):
    """True for "ja"/"ja tak"/"gerne", False for "nej"/"nej tak", None otherwise."""
    folded = fold(text).strip(" .!,")
    if _YES.match(folded):
        return True
    if _NO.match(folded):
        return False
    return None


_FILLER = {"ja", "nej", "jo", "tak", "ok", "okay", "og", "i", "det", "er", "jeg", "du", "hun", "han", "den",
           "en", "et", "til", "pa", "med", "af", "hej", "gerne", "vil", "kan", "ikke", "hvad", "sa", "mig", "dig"}


def has_content(text: str) -> bool:
    """More than yes, no, thanks and small words: worth looking up in the standard."""
    words = [w for w in re.findall(r"[a-z]+", fold(text)) if w not in _FILLER]
    return len(words) >= 1 and len(" ".join(words)) >= 5


_THANKS = re.compile(r"^(?:ok(?:ay)?[\s,.]+|super[\s,.]+|fint[\s,.]+)?(?:(?:mange\s+|tusind\s+)?tak(?:\s+for\s+\w+(?:\s+\w+)?)?"
                     r"|tak\s+skal\s+du\s+(?:have|ha)|tak\s+ska\s+du\s+ha)(?:[\s,.!]+(?:det\s+hjalp|hej|farvel))?[\s.!]*$")


def is_thanks(text: str) -> bool:
    return bool(_THANKS.match(fold(text)))


_STAFF_WORD = re.compile(r"^(?:personale|personalet|staff|personalemode|personale\s+tilstand)[\s.!]*$")


def asks_for_staff_mode(text: str) -> bool:
    """"personale" typed in the public chat: the staff script is only for the staff console."""
    return bool(_STAFF_WORD.match(fold(text)))


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


_READ_MORE = re.compile(r"^\s*(?:(?:las|vis|fortal|sig)\s+(?:mig\s+|os\s+)?mere|mere|ja\s+tak\s+mere)\b")


def wants_read_more(text: str) -> bool:
    """"læs mere", "fortæl mere", "mere": the button »Læs mere« written."""
    return bool(_READ_MORE.search(fold(text)))
