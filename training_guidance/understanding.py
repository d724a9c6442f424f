"""Understand free Danish text about a citizen's situation, the way people actually write it.

Plain Python, no Rasa: ``understand`` pulls facts (ids from knowledge/facts.yml), the municipality
and who is writing out of a message; ``parse_answer`` reads a reply to one question;
``mask_cpr`` removes CPR numbers before anything else looks at the text.

Design: the text is folded to plain ASCII first (æ/ae → a, ø/oe → o, å/aa → a), so one pattern
covers "indlagt", "indlaagt" and "indlågt". Every cue is a regular expression for the positive
statement; negation ("ikke", "ingen", "aldrig" in the same clause) flips it, and questions,
conditions ("hvis", "om hun …") and doubt ("ved ikke") make it say nothing. A fact that two cues
disagree on is left out: the interview then asks, which is better than assuming wrongly.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Pattern, Tuple

from .assessment import DONT_KNOW, NEVER
from .cpr import CPR_MASK, mask_cpr  # re-exported: CPR masking lives in cpr.py (no dependencies)
from .municipalities import pronoun_gender, resolve_municipality
from .texts.voice import FEMALE_RELATIONS, MALE_RELATIONS

__all__ = ["DONT_KNOW", "INVALID", "NEVER", "Understood", "understand", "parse_answer", "mask_cpr", "lives_elsewhere",
           "writer_lives_elsewhere"]

INVALID = object()  # the reply could not be understood as an answer to the question asked


@dataclass
class Understood:
    facts: Dict[str, Any] = field(default_factory=dict)
    municipality_code: Optional[str] = None
    relation: Optional[str] = None  # "din mor": the citizen, as the bot addresses the writer
    writer: Optional[str] = None    # "relative", "citizen" or None when unclear
    cpr_found: bool = False


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------
# West Jutlandic "æ" means "jeg" ("æ er faldet"); only before a verb, since it is also an article.
_DIALECT_I = re.compile(
    r"(?<!\w)(?:æ|ae)(?=\s+(?:er|har|kan|bor|ligger|vil|gider|blev|var|fik|faldt|skal|må|tror|"
    r"træner|går|gik|kom|fylder|synes)\b)"
)


def _fold(text: str) -> str:
    """Lower case, plain ASCII, single spaces: the form every pattern below is written in."""
    low = _DIALECT_I.sub("jeg", (text or "").lower())
    low = low.replace("æ", "a").replace("ø", "o").replace("å", "a").replace("½", " og et halvt")
    low = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    low = low.replace("ae", "a").replace("oe", "o").replace("aa", "a")
    return re.sub(r"[ \t]+", " ", low).strip()


# "(?:\w+\s+)" in a pattern is a gap of one word; it must not run into the next clause ("hun er
# faldet og blev indlagt" does not say "er indlagt").
_GAP = r"(?:(?!(?:og|men|fordi|da|der|som|sa|eller)\b)\w+\s+)"


def _rx(pattern: str) -> Pattern[str]:
    return re.compile(pattern.replace(r"(?:\w+\s+)", _GAP))


# --------------------------------------------------------------------------------------------
# Numbers written as words ("otteogfirs", "et halvt år")
# --------------------------------------------------------------------------------------------
_UNITS = {"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7,
          "otte": 8, "ni": 9}
_TEENS = {"ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
          "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19}
_TENS = {"tyve": 20, "tredive": 30, "tredve": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50,
         "tres": 60, "treds": 60, "halvfjerds": 70, "firs": 80, "halvfems": 90, "hundrede": 100}
_TENS_RX = "|".join(sorted(_TENS, key=len, reverse=True))
_UNITS_RX = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER_WORD = (
    rf"(?:(?:{_UNITS_RX})\s*og\s*(?:{_TENS_RX})|{_TENS_RX}|"
    rf"{'|'.join(sorted(_TEENS, key=len, reverse=True))}|{_UNITS_RX})"
)


def _word_number(word: str) -> Optional[int]:
    w = re.sub(r"\s+", "", word)
    for table in (_UNITS, _TEENS, _TENS):
        if w in table:
            return table[w]
    m = re.fullmatch(rf"({_UNITS_RX})og({_TENS_RX})", w)
    if m and _TENS[m.group(2)] < 100:
        return _UNITS[m.group(1)] + _TENS[m.group(2)]
    return None


# --------------------------------------------------------------------------------------------
# Who the message is about
# --------------------------------------------------------------------------------------------
# Folded spelling → how the bot writes it. Only family and partners: "din nabo" is not used, the
# bot says "personen" instead.
_RELATIONS = {
    "mor": "mor", "far": "far", "mormor": "mormor", "morfar": "morfar", "farmor": "farmor",
    "farfar": "farfar", "bedstemor": "bedstemor", "bedstefar": "bedstefar", "oldemor": "oldemor",
    "oldefar": "oldefar", "mand": "mand", "kone": "kone", "hustru": "hustru",
    "agtefalle": "ægtefælle", "samlever": "samlever", "kareste": "kæreste", "soster": "søster",
    "lillesoster": "lillesøster", "storesoster": "storesøster", "bror": "bror",
    "lillebror": "lillebror", "storebror": "storebror", "datter": "datter", "son": "søn",
    "barn": "barn", "svigermor": "svigermor", "svigerfar": "svigerfar", "svigerinde": "svigerinde",
    "svoger": "svoger", "svigerson": "svigersøn", "svigerdatter": "svigerdatter",
    "moster": "moster", "faster": "faster", "morbror": "morbror", "farbror": "farbror",
    "onkel": "onkel", "tante": "tante", "fatter": "fætter", "kusine": "kusine", "nevo": "nevø",
    "niece": "niece", "stedmor": "stedmor", "stedfar": "stedfar", "papmor": "papmor",
    "papfar": "papfar",
}
_REL_RX = "|".join(sorted(_RELATIONS, key=len, reverse=True))
# "min mor", "min gamle mor", "min 82-årige mor", "vores far"
_RELATION = _rx(
    # (an adjective before it: "min gamle mor"; not a person's noun that ends in -e: "min kone faar" is
    # the wife and "min veninde får" the friend, "får"/"faar" folded is "far")
    rf"\b(min|mit|vores)\s+(?:(?:\d{{1,3}}\s*-?\s*arige|(?!(?:{_REL_RX}|veninde|bekendte)\b)[a-z]+e|egen)\s+){{0,2}}"
    rf"({_REL_RX})s?\b"
)  # also "min mors hofte", "jeg er min fars eneste barn"
_BARE_GRANDPARENT = _rx(r"\b(mormor|morfar|farmor|farfar|bedstemor|bedstefar|oldemor|oldefar)\b")
_TOPIC_BEFORE = _rx(r"\b(?:for|om|af|angaende|vedrorende|vedr)\s*$")
_OTHER_PERSON = _rx(  # the writer is not the citizen, even if no family word is used
    r"\bparorende\b|\bpa\s+vegne\s+af\b|\b(?:for|om|af)\s+(?:hende|ham)\b"
    rf"|\b(?:hendes|hans)\s+(?:{_REL_RX})\b"
    r"|\b(?:min|mit|vores)\s+(?:borger|patient|klient)\b"
)
# A neighbour or a friend may be the person written about ("min nabo er faldet, kan hun få
# træning") or only an example ("min nabo går hos en privat fysioterapeut, kan jeg vælge at få min
# genoptræning der"): the writer's own training decides
_ACQUAINTANCE = _rx(r"\b(?:min|mit|vores)\s+(?:nabo|ven|veninde|bekendt)\b")
_OWN_TRAINING = _rx(r"\b(?:min|mit)\s+(?:egen\s+)?(?:genoptraning|traning|forlob|ansogning|afgorelse)\b"
                    r"|\b(?:(?:kan|ma|skal)\s+jeg|jeg\s+(?:kan|ma|skal))\s+(?:\w+\s+){0,2}"
                    r"(?:fa|vaelge|valge|soge|trane|genoptrane)\b")
_VERBS = (r"(?:er|har|kan|bor|ligger|blev|bliver|var|fik|far|faldt|vil|gider|skal|traner|gar|gik|kom|"
          r"klarer|fylder|fyldte|nagter|venter|onsker|hedder)")
_THIRD_PERSON = _rx(  # "hun er", "hun kan ikke", "fik hun", "hende"
    rf"\b(?:hun|han)\s+(?:(?:ikke|ik|stadig|nu|ogsa|altid|aldrig)\s+)?{_VERBS}\b"
    rf"|\b{_VERBS}\s+(?:hun|han)\b|\b(?:hende|ham)\b"
)
_FIRST_PERSON = _rx(rf"\bjeg\s+(?:(?:ikke|ik|stadig|nu|ogsa|altid|aldrig)\s+)?{_VERBS}\b|\bmig\s+selv\b")


_I = _rx(r"\b(?:jeg|mig)\b")
# Anyone else's in the message at all: "han", "hendes", "på hendes vegne"
_THEIRS = _rx(r"\b(?:han|hun|ham|hende|hans|hendes|deres|vegne)\b")
# "Jeg er ved at gå ned over at passe min far i Odense", "jeg kører min mand til træning": the relative
# the writer cares for is the citizen
_CARES_FOR = _rx(r"\b(?:passe|passer|pleje|plejer|hjalpe|hjalper|kore|korer|kort|folge|folger)\s+(?:min|mit|vores)\s+\w+")
# "Skal jeg have en fuldmagt fra ham for at søge på hans vegne?": the writer acts for someone else
_ON_BEHALF = _rx(r"\b(?:fuldmagt|samtykke)\s+fra\s+(?:ham|hende)\b|\b(?:hans|hendes)\s+vegne\b")
_ASKS_FOR_THIRD = _rx(r"\b(?:kan|ma|skal|far|vil|bliver)\s+(?:hun|han)\b")
# (not "min far får hjælp til …": folded, the noun is the past tense "hjalp")
_HELPER_AFTER = _rx(r"\s+(?:\w+\s+)?(?:hjalper|skriver|sidder|taster|har\s+hjulpet)\b|\s+hjalp\s+(?:mig|os)\b"
                    # "min søster og jeg søger til vores mor": the sister writes with the writer
                    r"|\s+og\s+jeg\b")


# "min svoger siger, at …", "min søn mener …": a relative who told the writer something
# "min datter vil have, at jeg skal søge", "min søn synes …"
_REPORTER_AFTER = _rx(r"\s+(?:\w+\s+)?(?:siger|sagde|pastar|pastod|mener|mente|tror|troede|fortalte|har\s+sagt"
                      r"|har\s+hort|har\s+last|vil\s+have|ville\s+have|synes|syntes)\b")


# "Jeg er 79 … og min søn bor i Aarhus. Kan jeg få kørsel?": a relative who lives elsewhere, named by a
# writer who tells of themself, is why no one can drive them
_LIVES_AWAY_AFTER = _rx(r"\s+(?:\w+\s+)?(?:bor|arbejder)\b")
_ASKS_FOR_SELF = _rx(r"\b(?:kan|ma|skal|far|bliver)\s+jeg\b")


# "mig", "min hofte": the writer's own; not "min mor"
_MINE = _rx(rf"\b(?:mig|min|mit|mine)\b(?!\s+(?:\w+\s+)?(?:{_REL_RX})s?\b)")


def _tells_of_self(folded: str, mine: bool = False) -> bool:
    """The writer tells of themself ("jeg har", "min genoptræning"; with ``mine`` also "mig", "min
    hofte") and of nobody else ("hun", "ham")."""
    own = _FIRST_PERSON.search(folded) or _OWN_TRAINING.search(folded) or (mine and _MINE.search(folded))
    return bool(own) and not _THIRD_PERSON.search(folded)


def _relation(folded: str) -> Optional[str]:
    # "min datter hjælper mig med at skrive": the daughter is not the one the message is about;
    # nor is "min svoger siger, at ældreloven … intet har med mig at gøre" when the writer tells of
    # themself and of nobody else ("hun", "ham")
    found = [m for m in _RELATION.finditer(folded) if not _HELPER_AFTER.match(folded, m.end())
             and not (_REPORTER_AFTER.match(folded, m.end()) and _tells_of_self(folded, mine=True))
             and not (_LIVES_AWAY_AFTER.match(folded, m.end()) and _ASKS_FOR_SELF.search(folded)
                      and _tells_of_self(folded) and not _THEIRS.search(folded))]
    if not found:
        # "farmor skal have lidt hjælp på toilettet", "morfar bor ude i vinderup": a chat leaves out "min"
        bare = _BARE_GRANDPARENT.search(folded)
        return f"din {_RELATIONS[bare.group(1)]}" if bare and not _HELPER_AFTER.match(folded, bare.end()) else None
    # "min søster og jeg er bekymrede for vores mor": the person asked about is the topic.
    topical = [m for m in found if _TOPIC_BEFORE.search(folded[: m.start()])]
    # "min søn bor i Aarhus, og min mor bor i Ulfborg. kan hun få kørsel": the one "hun" is
    asked = {"female": FEMALE_RELATIONS, "male": MALE_RELATIONS}.get(pronoun_gender(folded) or "", frozenset())
    gendered = [m for m in found if _RELATIONS[m.group(2)] in asked]
    m = (topical or gendered or found)[0]
    noun = _RELATIONS[m.group(2)]
    owner = "jeres" if m.group(1) == "vores" else ("dit" if noun == "barn" else "din")
    return f"{owner} {noun}"


def _writer(folded: str, relation: Optional[str]) -> Optional[str]:
    if relation or _OTHER_PERSON.search(folded):
        return "relative"
    if _ACQUAINTANCE.search(folded):
        # "Jeg har parkinson og bor i Skanderborg. Min veninde får gratis fysioterapi …": the writer
        # tells of themself, the friend is an example
        return "citizen" if _tells_of_self(folded) else "relative"
    third, first = bool(_THIRD_PERSON.search(folded)), bool(_FIRST_PERSON.search(folded))
    if third and (not first or _ASKS_FOR_THIRD.search(folded) or _ON_BEHALF.search(folded)):
        # "… og kan hun få et ride derhen, hun har ingen bil og jeg bor i kbh": asked for her
        return "relative"
    if first and not third:
        return "citizen"
    return None


# Partners usually share a home: "jeg bor i Kolding, kan min mand få træning" is about Kolding
PARTNERS = ("mand", "kone", "hustru", "ægtefælle", "samlever", "kæreste")


def lives_elsewhere(writer: Optional[str], relation: Optional[str]) -> bool:
    """Whether the writer may live elsewhere than the citizen: a relative other than a partner
    ("din mor", or no relation word: "hendes genoptræning")."""
    return writer == "relative" and (relation or "").split(" ")[-1] not in PARTNERS


def writer_tells_of_self(text: str) -> bool:
    """Whether the writer tells of their own training and of nobody else's ("Jeg afleverede
    kørekortet, og min søn bor i Aarhus. Kan jeg blive kørt?"): a relative named is not the citizen.
    Not "kan jeg klage på hendes vegne", "hans ansøgning": the relative's training."""
    folded = _fold(text)
    return bool(_I.search(folded)) and not _THEIRS.search(folded) and not _CARES_FOR.search(folded)


def writer_lives_elsewhere(text: str) -> bool:
    """``lives_elsewhere`` for the writer of ``text``."""
    folded = _fold(text)
    relation = _relation(folded)
    return lives_elsewhere(_writer(folded, relation), relation)


# --------------------------------------------------------------------------------------------
# Where a cue stands: negated, a question, a condition or doubt
# --------------------------------------------------------------------------------------------
_NEGATION = {"ikke", "ik", "ikk", "ike", "ingen", "intet", "aldrig", "uden", "hverken", "afslag"}
_PUNCT = re.compile(r"[.,;:!?\n()]")
_SENTENCE_END = re.compile(r"[.!?\n;]")
# Words that start a new clause, so a negation before them belongs to something else. "hvis" and
# "om hun" start a condition or an indirect question: nothing in them is a statement.
_CLAUSE = _rx(
    r"\b(?:og|men|fordi|sa|da|selvom|mens|eller|nar|der|som)\b"
    r"|\b(?P<cond>hvis|om(?=\s+(?:hun|han|jeg|de|vi|man|min|mit|vores|det|der|mor|far)\b))\b"
)
_DOUBT = _rx(r"\bved\s+(?:\w+\s+)?(?:ikke|ik|ikk)\b|\busikker|\bikke\s+sikker|\bi\s+tvivl|\bhvorvidt")
_QUESTION_START = _rx(
    r"^\s*(?:kan|er|har|skal|ma|bor|vil|far|fik|hvad|hvordan|hvorfor|hvornar|hvem|hvilk\w*|"
    r"galder|findes)\b"
)
_AFTER_NEGATION = _rx(r"^\s*(?:har|fik|havde|er|var|blev)\s+(?:hun|han|jeg|vi|de|man)\s+(?:ikke|ik|ikk|aldrig)\b")


def _statement(folded: str, start: int, end: int, in_questions: bool) -> Optional[bool]:
    """True if the words at start:end are stated, False if negated, None if not a statement."""
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, start)), default=0)
    end_m = _SENTENCE_END.search(folded, end)
    sentence_end = end_m.start() if end_m else len(folded)
    if not in_questions and folded[sentence_end:sentence_end + 1] == "?":
        clause_end = _PUNCT.search(folded, end)
        if (clause_end and folded[clause_end.start()] == "?") or _QUESTION_START.search(
            folded[sentence_start:start]
        ):
            return None
    clause_start = max((m.end() for m in _PUNCT.finditer(folded, 0, start)), default=0)
    before = folded[clause_start:start]
    if _DOUBT.search(before):
        return None
    boundaries = list(_CLAUSE.finditer(before))
    if boundaries:
        if boundaries[-1].group("cond"):
            return None
        before = before[boundaries[-1].end():]
    words = re.findall(r"\w+", before)[-5:] + re.findall(r"\w+", folded[start:end])
    negated = any(w in _NEGATION for w in words) or bool(_AFTER_NEGATION.search(folded[end:]))
    return not negated


# --------------------------------------------------------------------------------------------
# Cues: one positive statement each
# --------------------------------------------------------------------------------------------
_FLIP = object()  # when negated: the opposite boolean
_NOT = r"(?:ikke|ik|ikk|ike)"
_TRAIN = r"tr[ae]ne"
_ADMITTED = r"\bindl[ae]*gt\b"  # also "indlaagt", "indlægt"
_HOSPITAL = _rx(r"sygehus|hospital|indl[ae]*g|udskrev|afdeling|\briget\b|\bouh\b")
_MONEY = r"(?:penge|okonomi\w*|prisen)"
# A care centre after "på"/"i", with at most a couple of small words between: not "på venteliste til".
_IN_CARE = (r"(?:(?:et|en|det|den|sit|sin|hendes|hans|kommunens|\w+s|nyt|lokale)\s+){0,2}"
            r"(?:pleje(?:center|centre|hjem|bolig)\w*|plejecent\w*)")
# A wish, a plan or an application before a cue: "vil gerne have gratis fysioterapi".
_WISH = _rx(r"\b(?:vil|gerne|onsker|sog[et]?|soger|ansog\w*|spurgt|sporge|venter|skal|bede|bedt)\b")


@dataclass(frozen=True)
class _Cue:
    fact: str
    pattern: Pattern[str]
    yes: Any                         # value when stated
    no: Any = _FLIP                  # value when negated; None: say nothing
    in_questions: bool = False       # "kan min mor på 82 med parkinson få træning?" states facts
    needs: Optional[Pattern[str]] = None  # the whole text must also match (context)
    not_after: Optional[Pattern[str]] = None  # a wish or plan before it: not a statement


def _cue(fact: str, pattern: str, yes: Any, no: Any = _FLIP, **kw: Any) -> _Cue:
    return _Cue(fact, _rx(pattern), yes, no, **kw)


def _course(value: str, pattern: str) -> _Cue:
    # The course is stated in questions too, and "ikke kronisk" does not tell which it is.
    return _cue("condition_course", pattern, value, None, in_questions=True)


_CUES: List[_Cue] = [
    # --- admitted_to_hospital: is the citizen in hospital now? ---
    _cue("admitted_to_hospital", r"\b(?:er|ligger)\s+(?:\w+\s+){0,3}?" + _ADMITTED, True),
    _cue("admitted_to_hospital", _ADMITTED + r"\s+(?:lige\s+)?(?:nu|stadig|fortsat|endnu)\b", True),
    _cue("admitted_to_hospital",
         r"\b(?:ligger|er)\s+(?:\w+\s+){0,2}?pa\s+(?:\w+\s+)?(?:\w*sygehus|\w*hospital|riget|ouh)", True),
    # Past admissions say nothing about now, unless denied: "har aldrig været indlagt".
    _cue("admitted_to_hospital", r"\b(?:har|havde)\s+(?:\w+\s+){0,2}?v[ae]ret\s+(?:\w+\s+)?" + _ADMITTED,
         None, False),
    _cue("admitted_to_hospital", r"\bblev\s+(?:\w+\s+){0,2}?" + _ADMITTED, None, False),
    _cue("admitted_to_hospital", r"\bvar\s+(?:\w+\s+){0,2}?" + _ADMITTED, False, False),
    _cue("admitted_to_hospital", r"\b(?:er|blev|blevet)\s+(?:\w+\s+){0,2}?udskrevet", False),
    _cue("admitted_to_hospital", r"\bkom(?:met)?\s+hjem\b|\bhjemme\s+igen\b", False, None, needs=_HOSPITAL),
    _cue("admitted_to_hospital", r"\befter\s+(?:\w+\s+)?indl[ae]g+else", False, None),
    _cue("admitted_to_hospital", r"\bskal\s+(?:\w+\s+){0,2}?(?:udskrives|hjem)\b", True, None,
         needs=_HOSPITAL),
    # --- hospital_plan: "genoptræningsplan", "genoptrænings plan", "genoptreningsplan", "GOP" ---
    _cue("hospital_plan", r"\bgen\s*-?\s*op\s*-?\s*tr[ae]+n\w{0,5}\s*-?\s*plan\w*|\bgop\b"
         r"|\bplan\s+for\s+(?:\w+\s+)?genoptr", True, not_after=_WISH),
    # --- condition_course: a sudden loss after illness or a fall, or a lasting condition ---
    _course("temporary", r"\binfluen[sz]\w*|\bflu\b|\b[ck]orona\w*|\bcovid\w*|\binfektion\w*"
            r"|\b(?:lunge|blare|blere|nyre)\s*-?\s*bet[ae]ndelse|\bblodforgiftning|\bsepsis"),
    _course("temporary", r"\bfaldt\b|\b(?:er|har)\s+(?:\w+\s+){0,2}?faldet\b|\bet\s+(?:\w+\s+)?fald\b"
            r"|\bfaldulykke|\befter\s+(?:\w+\s+)?fald(?:et)?\b|\bv[ae]lt(?:ede|et)\b"),
    _course("temporary", r"\bbr[ae]k(?:k?et|kede)\b|\bbrud\s+pa\b"
            r"|\b\w*(?:hofte|ben|led|knogle|arm|ankel|skulder|ryg|bakke|hvirvel|lar)s?brud\b"
            r"|\boperation\w*|\bopereret\b|\bny[t]?\s+(?:kn[ae]|hofte)"),
    # "midlertidigt ophold" is about where they live, not about the illness.
    _course("temporary", r"\bpludselig\w*|\bmidlertidig[et]?\b(?!\s+(?:\w+\s+)?(?:ophold|plads|bolig))"
            r"|\bsengeliggende\b|\bv[ae]ret\s+(?:meget\s+|rigtig\s+|alvorligt\s+)?syg\b"
            r"|\bsyg\s+i\s+(?:en|et)\s+(?:periode|stykke|par|uge|maned)|\bsv[ae]kket\s+efter\b"
            r"|\befter\s+(?:\w+\s+)?sygdom"),
    _course("lasting", r"\bparkinson\w*|\bkol\b|\bs[ck]l[ae]?ros\w*|\bms\b|\b\w*gigt\b|\bartrose"
            r"|\bdemen[st]\w*|\balzheimer\w*|\bmuskelsvind|\bosteoporose|\bknogleskor\w*"),
    _course("lasting", r"\bkronisk\w*|\bvarig[et]?\b|\bfremadskridende|\bprogressiv\w*"
            r"|\bhandicap(?:pet|pede)?\b|\bsenfolger|\bfolger\s+efter"
            r"|\bholde\s+(?:\w+\s+)?niveau\w*|\bvedligeholde\b"),
    # A gradual decline over time with no named chronic illness (Holbæk: "svækket over tid"). A
    # named illness in the same message wins: "sclerose og bliver langsomt dårligere" is lasting.
    _course("gradual", r"\b(?:langsomt|gradvist?|mere\s+og\s+mere|lidt\s+efter\s+lidt|stille\s+og\s+roligt"
            r"|hele\s+tiden|efterhanden)\s+(?:\w+\s+){0,2}?(?:darligere|svagere|ringere|svakket)"
            r"|\b(?:darligere|svagere|ringere)\s+og\s+(?:darligere|svagere|ringere)\b"
            r"|\b(?:svakket|darligere|svagere|ringere)\s+(?:\w+\s+){0,2}?(?:over|gennem)\s+(?:lang\s+|lang\s+tid\s+|"
            r"de\s+sidste\s+\w+\s+|flere\s+|mange\s+)?(?:tid|ar|arene|maneder)\b"
            r"|\b(?:svakket|darligere|svagere)\s+med\s+alderen|\balder(?:doms|s)\s*-?\s*svak\w*"),
    # --- where the citizen lives ---
    _cue("lives_in_care_centre", r"\b(?:bor|flyttet|flyttede|er)\s+(?:\w+\s+){0,3}?(?:pa|i)\s+" + _IN_CARE,
         True, not_after=_WISH),
    _cue("lives_in_care_centre",
         r"\b(?:midlertidig\w*|aflastning\w*)\s+(?:\w+\s+){0,2}?(?:pa|i)\s+" + _IN_CARE, True, None),
    _cue("lives_at_home", r"\b(?:bor|flyttet|flyttede)\s+(?:\w+\s+){0,3}?(?:pa|i)\s+" + _IN_CARE,
         False, None, not_after=_WISH),
    # A temporary stay (Herlev: Lærkegaard, Lille Birkholm) or respite: the citizen keeps their home.
    _cue("lives_at_home", r"\b(?:midlertidig\w*|aflastning\w*)\s+(?:\w+\s+){0,1}?(?:ophold|plads)\w*"
         r"|\b(?:er|ligger)\s+(?:\w+\s+){0,2}?pa\s+(?:et\s+|en\s+)?aflastning\w*", True, None, not_after=_WISH),
    _cue("lives_at_home",
         r"\bbor\s+(?:(?:stadig|selv|alene|fortsat|jo|nu|ikke|ik|ikk)\s+)*(?:hjemme|derhjemme)\b"
         r"|\bhjemmeboende\b|\bbor\s+(?:\w+\s+){0,2}?alene\b"
         r"|\bbor\s+(?:\w+\s+){0,2}?i\s+(?:eget|egen|sit|sin|mit|min|hendes|hans|vores|deres|et|en)\s+"
         r"(?:\w+\s+)?(?:hjem|hus|lejlighed|bolig|villa|r[ae]kkehus|parcelhus|andelsbolig|ejerlejlighed)\b",
         True),
    # --- can_train_alone: at home, in a club or with a physiotherapist ---
    _cue("can_train_alone", r"\bkan\s+(?:\w+\s+){0,2}?" + _NOT + r"\s+(?:\w+\s+){0,2}?" + _TRAIN + r"\b",
         False, False, not_after=_WISH),
    _cue("can_train_alone",
         r"\b(?:kan|klarer)\s+(?:(?:godt|sagtens|fint|stadig|fortsat|jo|selv)\s+)*" + _TRAIN
         + r"\s+(?:selv|alene|hjemme|derhjemme|pa\s+egen\s+hand)\b"
         r"|\b(?:kan|klarer)\s+(?:(?:godt|sagtens|fint|stadig|fortsat|jo)\s+)*selv\s+(?:at\s+)?" + _TRAIN,
         True, not_after=_WISH),
    _cue("can_train_alone",
         r"\btr[ae]ner\s+(?:\w+\s+)?(?:selv|alene|hjemme|derhjemme|hos\s+(?:en\s+)?fys\w*"
         r"|i\s+(?:en\s+|et\s+|sin\s+)?(?:forening|klub|fitness|motionscent|hallen|idr[ae]tsforening))",
         True, not_after=_WISH),
    _cue("can_train_alone",
         r"\b(?:gar|kommer)\s+(?:stadig\s+|fortsat\s+|fast\s+)?(?:til|pa|i)\s+(?:\w+\s+)?"
         r"(?:\w*gymnastik|motion\w*|fitness|sv[oi]m\w*|pilates|yoga|seniortr[ae]ning|styrketr[ae]ning"
         r"|fysioterapeut\w*|fys\b|forening\w*|idr[ae]tsforening\w*|holdtr[ae]ning)",
         True, not_after=_WISH),
    _cue("can_train_alone",
         r"\bkan\s+(?:\w+\s+){0,2}?komme\s+(?:hen\s+|ud\s+)?(?:til|hos)\s+"
         r"(?:en\s+|sin\s+|hendes\s+|hans\s+|min\s+|den\s+)?(?:privat\w*\s+)?"
         r"(?:fysioterapeut\w*|fys\b|fysioterapi|tr[ae]ning|gymnastik|forening\w*|fitness\w*)",
         True, not_after=_WISH),
    _cue("can_train_alone",
         r"\bbrug\s+for\s+(?:\w+\s+){0,2}?(?:hj[ae]lp|stotte)\s+(?:\w+\s+){0,2}?(?:at\s+)?" + _TRAIN,
         False, None),
    # --- vederlagsfri_fysioterapi: free physiotherapy on referral from the GP ---
    _cue("vederlagsfri_fysioterapi",
         r"\bvederlags\s*-?\s*fri\w*|\bgratis\s+fys\w*"
         r"|\bhenvis\w*\s+(?:\w+\s+){0,4}?(?:til\s+)?(?:vederlagsfri\s+)?fys\w*"
         r"|\bfys\w*\s+(?:\w+\s+){0,2}?(?:med|pa)\s+(?:en\s+)?henvisning", True, not_after=_WISH),
    # --- only_reason_is_cost ---
    _cue("only_reason_is_cost",
         r"\b(?:har|havde)\s+(?:\w+\s+)?" + _NOT + r"\s+(?:\w+\s+)?rad\b|\bikke\s+rad\s+til\b"
         r"|\bkan\s+ikke\s+betale\b", True, True),
    _cue("only_reason_is_cost", r"\b(?:for|alt\s+for)\s+dyr[t]?\b|\bkoster\s+for\s+meget", True, None),
    _cue("only_reason_is_cost",
         r"\b(?:handler|drejer|skyldes)\s+(?:sig\s+)?" + _NOT + r"\s+(?:\w+\s+)?(?:om\s+)?" + _MONEY
         + r"|\bikke\s+(?:pga\.?|p\.g\.a\.|pa\s+grund\s+af)\s+" + _MONEY
         + r"|\bikke\s+(?:et\s+)?sporgsmal\s+om\s+" + _MONEY, False, False),
    # --- motivated ---
    _cue("motivated", r"\bmotiveret\b|\bglad\s+for\s+at\s+tr[ae]ne|\bglader\s+sig\s+til\s+at\s+tr[ae]ne"
         r"|\bklar\s+(?:pa|til)\s+at\s+tr[ae]ne|\binteresseret\s+i\s+(?:at\s+)?tr[ae]n", True),
    _cue("motivated", r"\bumotiveret\b|\bn[ae]gter\s+(?:\w+\s+){0,2}?(?:at\s+)?tr[ae]ne"
         r"|\borker\s+(?:ikke|ik|ikk)\b", False, None),
    _cue("motivated",
         r"\bvil\s+(?:(?:sa|rigtig|meget|virkelig|hellere|gerne|godt|fortsat|stadig|ikke|ik|ikk|ike)\s+)*"
         + _TRAIN + r"\b"
         r"|\bhar\s+(?:\w+\s+){0,3}?lyst\s+til\s+(?:at\s+)?(?:tr[ae]ne|komme\s+i\s+gang|bev[ae]ge)"
         r"|\bgider\b(?:\s+(?:godt|gerne|ikke|ik|ikk|ike|rigtig|slet|overhovedet|altsa))*", True),
    # --- potential_to_improve: can the lost strength come back? ---
    _cue("potential_to_improve",
         r"\b(?:blive|bliver)\s+(?:(?:meget|lidt|noget|rigtig|ikke|aldrig|nok|godt|helt|igen|en\s+del)\s+)*"
         r"(?:st[ae]rk(?:ere)?|bedre|rask(?:ere)?|selvhjulpen|frisk(?:ere)?|sig\s+selv\s+igen|som\s+for)\b"
         r"|\bfa\s+(?:\w+\s+){0,2}?kr[ae]fterne\s+tilbage|\bkomme\s+(?:op\s+)?pa\s+benene\s+igen"
         r"|\bgenvinde|\bklare\s+sig\s+selv\s+igen|\bkomme\s+tilbage\s+til\s+(?:hvor|det|sit|sin|som)\b",
         True),
]


_PAST_TIME = _rx(
    r"\b(?:19|20)\d\d\b|\bfor\s+(?:\w+\s+){0,2}?ar\s+siden\b|\bsidste\s+ar\b|\bi\s+fjor\b"
    r"|\btidligere\b|\bengang\b|\bdengang\b|\bfor\s+lang\s+tid\s+siden\b"
)
_NOW_AGAIN = _rx(r"(?:^|[.!?;\n]\s*)(?:men\s+)?(?:nu|denne\s+gang|her\s+for\s+nylig|for\s+nylig)\b")


def _old_plan(folded: str, pos: int) -> bool:
    """A genoptræningsplan dated in the past, or followed by a new problem ("Nu har jeg ...")."""
    start = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, pos)), default=0)
    end_m = _SENTENCE_END.search(folded, pos)
    sentence = folded[start:end_m.start() if end_m else len(folded)]
    if _PAST_TIME.search(sentence):
        return True
    # "fik en plan ... Nu har jeg ..." is an earlier episode; "har fået en plan. Nu venter vi" is not.
    told_in_past = re.search(r"\b(?:fik|havde)\b", folded[start:pos])
    return bool(told_in_past and _NOW_AGAIN.search(folded, end_m.start() if end_m else len(folded)))


def _facts_from_cues(folded: str) -> Dict[str, Any]:
    found: Dict[str, List[Tuple[int, Any]]] = {}  # fact → (position, value)
    for cue in _CUES:
        if cue.needs is not None and not cue.needs.search(folded):
            continue
        for m in cue.pattern.finditer(folded):
            said = _statement(folded, m.start(), m.end(), cue.in_questions)
            if said is None:
                continue
            if cue.not_after is not None:
                clause_start = max((p.end() for p in _PUNCT.finditer(folded, 0, m.start())), default=0)
                if cue.not_after.search(" ".join(folded[clause_start:m.start()].split()[-4:])):
                    continue
            value = cue.yes if said else (not cue.yes if cue.no is _FLIP else cue.no)
            if value is not None:
                found.setdefault(cue.fact, []).append((m.start(), value))
    facts: Dict[str, Any] = {}
    # An old plan for something else ("fik en genoptræningsplan i 2019 ... Nu har jeg haft
    # influenza") says nothing about a plan for today's problem: the interview asks.
    if "hospital_plan" in found:
        found["hospital_plan"] = [(pos, v) for pos, v in found["hospital_plan"] if not (v and _old_plan(folded, pos))]
        if not found["hospital_plan"]:
            del found["hospital_plan"]
    for fact, hits in found.items():
        values = [value for _, value in sorted(hits, key=lambda hit: hit[0])]
        if fact == "condition_course" and set(values) == {"lasting", "gradual"}:
            facts[fact] = "lasting"  # a named chronic illness that worsens slowly
        elif fact == "admitted_to_hospital":
            # A story runs forward: "var indlagt … kom hjem … blev indlagt igen": the last one holds.
            facts[fact] = values[-1]
        elif len(set(values)) == 1:
            facts[fact] = values[0]
    # Living at home, with no word of a care centre or a stay there, means not living in one.
    if facts.get("lives_at_home") is True and "lives_in_care_centre" not in facts and not re.search(
        r"pleje(?:center|centre|hjem|bolig)|plejecent|aflastning|ophold|plejeplads", folded
    ):
        facts["lives_in_care_centre"] = False
    return facts


# --------------------------------------------------------------------------------------------
# Age
# --------------------------------------------------------------------------------------------
_NOT_AGE_AFTER = (
    r"(?!\s*[.,:/]\s*\d|\s*\d|\s*%|\s*-?\s*(?:maned|mdr|md\b|uge|dag|hverdag|arbejdsdag|dogn|time|minut|min\b|sekund"
    r"|gang|kg|kilo|gram|km|kilometer|meter|m\b|cm|kr|procent|\.?\s*sal\b|\.?\s*etage|th\b|tv\b|mg|ml|grader|ar\s+siden"
    r"|skridt|trin|trapper|piller|born|borneborn))"
)
_AGE_VERB = r"(?:er|var|pa|fylder|fyldte|fyldt|blev|blevet|bliver|alder(?:en)?(?:\s+er)?|alder\s*:)"
_AGE_ADVERB = r"(?:(?:nu|lige|snart|cirka|ca\.?|over|knap|nasten|godt|kun|bare|stadig|allerede)\s+)?"
_AGES = [
    _rx(r"\b(\d{1,3})\s*-?\s*arig\w*"),
    _rx(r"\b(\d{1,3})\s*ar\s+gammel"),
    _rx(rf"\b{_AGE_VERB}\s+{_AGE_ADVERB}(\d{{1,3}})\b{_NOT_AGE_AFTER}"),
    _rx(rf"\b(?:{_REL_RX}|jeg)\s*[,(]\s*(\d{{1,3}})\s*(?:ar)?\s*[,)]"),
    _rx(rf"\b(?:{_REL_RX})\s+(\d{{1,3}})\s*ar\b{_NOT_AGE_AFTER}"),
    _rx(rf"\b{_AGE_VERB}\s+{_AGE_ADVERB}({_NUMBER_WORD})\b{_NOT_AGE_AFTER}"),
]


# A thing counted, not a person's age: "pakken var på ti", "holdet er på 12", "forløbet var på 8"
_THING_BEFORE = re.compile(r"\b(?:pakke|pakken|hold|holdet|forlob|forlobet|klippekort|klippekortet|bevilling|bevillingen"
                           r"|program|programmet|gruppe|gruppen|plan|planen|aftale|aftalen)\s+"
                           r"(?:er|var|bliver|blev)?\s*(?:kun\s+|bare\s+|nu\s+)?(?:pa\s+)?$")


def _age(folded: str, writer: Optional[str], kb) -> Optional[int]:
    fact = kb.facts["age"]
    low, high = fact.minimum if fact.minimum is not None else 0, fact.maximum or 120
    values = set()
    for rx in _AGES:
        for m in rx.finditer(folded):
            raw = m.group(1)
            value = int(raw) if raw.isdigit() else _word_number(raw)
            if value is None or not low <= value <= high:
                continue
            before = folded[max(0, m.start() - 25):m.start()]
            # After a bare "er"/"på", a small number is rarely an age ("vi er 3 søskende").
            if rx in _AGES[2:] and value < 10 and not re.match(r"\s*ar\b", folded[m.end():]):
                continue
            if re.search(r"\bring\w*\s+(?:til|pa)\s*$|\bklokken\s+$", before):  # "ringede på 112"
                continue
            if _THING_BEFORE.search(folded[max(0, m.start() - 40):m.start(1)]):
                continue  # "hendes pakke var på ti": how many sessions, not an age
            if writer == "relative" and re.search(r"\bjeg\s+(?:\w+\s+)?$", before):
                continue  # the writer's own age, not the citizen's
            if _statement(folded, m.start(), m.end(), in_questions=True) is None:
                continue
            values.add(value)
    return values.pop() if len(values) == 1 else None


# --------------------------------------------------------------------------------------------
# Durations and the previous course
# --------------------------------------------------------------------------------------------
_AMOUNT = rf"(?:\d{{1,3}}(?:[.,]5)?|halvandet|et\s+halvt|en\s+halv|et\s+par|{_NUMBER_WORD})"
_DURATION = _rx(
    rf"(?P<n>{_AMOUNT})(?P<half>\s+og\s+et\s+halvt)?\s*(?P<u>maned\w*|mdr\b\.?|md\b\.?|ar\b|uge\w*|dag\w*)"
)
_LAST = _rx(r"\b(?:sidste|forrige)\s+(?P<u>ar|maned|uge)\b|\bi\s+fjor\b")
_COURSE_WORD = (
    r"\b(?:(?:genoptr[ae]nings|tr[ae]nings|vedligeholdelses)?forlob(?:et)?|\w*tr[ae]ning(?!s?\s*-?\s*plan)\w*"
    r"|tr[ae]nede|tr[ae]ningshold)\b"
)
_COURSE = _rx(_COURSE_WORD)
_AGO = _rx(rf"\bfor\s+(?:ca\.?\s+|cirka\s+|omkring\s+|godt\s+|knap\s+)?{_AMOUNT}.{{0,20}}?\s+siden\b"
           rf"|\bdet\s+er\s+(?:ca\.?\s+|cirka\s+|omkring\s+)?{_AMOUNT}.{{0,20}}?\s+siden\b|{_LAST.pattern}")
_NO_COURSE = _rx(
    rf"\b(?:aldrig|ikke|ik|ingen)\s+(?:\w+\s+){{0,3}}?(?:haft|faet|v[ae]ret|modtaget|gennemfort|deltaget)\s+"
    rf"(?:\w+\s+){{0,3}}?{_COURSE_WORD}|\baldrig\s+(?:\w+\s+){{0,2}}?(?:tr[ae]net|{_COURSE_WORD})"
    rf"|\bingen\s+(?:tidligere\s+)?(?:tr[ae]nings)?forlob"
)


def _months(phrase: str) -> Optional[int]:
    """Whole months in a duration ("3 måneder", "et halvt år", "sidste år", "2 uger" → 0)."""
    m = _LAST.search(phrase)
    if m:
        return {"ar": 12, "maned": 1, "uge": 0, None: 12}[m.group("u")]
    m = _DURATION.search(phrase)
    if not m:
        return None
    n_text = re.sub(r"\s+", " ", m.group("n")).replace(",", ".")
    n = {"halvandet": 1.5, "et halvt": 0.5, "en halv": 0.5, "et par": 2}.get(n_text)
    if n is None:
        n = float(n_text) if n_text[0].isdigit() else _word_number(n_text)
    if n is None:
        return None
    n += 0.5 if m.group("half") else 0
    unit = m.group("u")
    per_month = 1 if unit.startswith(("maned", "md")) else 12 if unit == "ar" else (
        7 / 30.44 if unit.startswith("uge") else 1 / 30.44)
    return int(n * per_month + 1e-9)


# "... et træningsforløb i kommunen. Det sluttede for 3 måneder siden" / ", som sluttede for ...":
# the end of the course, said in the next clause or sentence.
_ENDED_AGO = _rx(
    r"\b(?:det|den|forlobet|traningen|genoptraningen|holdet|som|der)\s+(?:\w+\s+)?"
    r"(?:sluttede|stoppede|ophorte|afsluttedes|blev\s+afsluttet|var\s+slut|var\s+fardig|er\s+slut)\s+"
    rf"(?P<ago>{_AGO.pattern})"
)


def _previous_course(folded: str) -> Any:
    months = _course_months(folded)
    if months is not None:
        return months
    # The course in one clause or sentence, its end in the next.
    sentences = re.split(r"[.!?;\n]", folded)
    for i, sentence in enumerate(sentences):
        if _HOSPITAL.search(sentence) or not _COURSE.search(sentence) or not re.search(r"tr[ae]n|kommun", sentence):
            continue
        if _NO_COURSE.search(sentence):
            continue
        following = sentence[_COURSE.search(sentence).end():] + " . " + " ".join(sentences[i + 1:i + 2])
        ended = _ENDED_AGO.search(following)
        if ended and not _HOSPITAL.search(following[:ended.end()]):
            months = _months(ended.group("ago"))
            if months is not None:
                return months
    return None


def _course_months(folded: str) -> Any:
    for sentence in re.split(r"[.!?;\n]", folded):
        if _HOSPITAL.search(sentence) or not _COURSE.search(sentence):
            continue
        # A bare "forløb" may be the illness's course; only a training sentence counts.
        if not re.search(r"tr[ae]n|kommun", sentence):
            continue
        offset = folded.find(sentence)
        no = _NO_COURSE.search(sentence)
        if no and _statement(folded, offset + no.start(), offset + no.start(), False) is not None:
            since = _DURATION.search(sentence, no.end())  # "ikke haft træning i 2 år"
            if since and re.search(r"\bi\s+(?:de\s+sidste\s+|over\s+|mere\s+end\s+)?$", sentence[:since.start()]):
                return _months(since.group(0))
            if not re.search(r"\bsiden\b", sentence[no.end():]):
                return NEVER
            continue
        for course in _COURSE.finditer(sentence):
            for ago in _AGO.finditer(sentence):
                a, b = sorted((course, ago), key=lambda x: x.start())
                gap = sentence[a.end():b.start()]
                if len(gap.split()) <= 5 and not re.search(r"[,]|\b(?:og|men|fordi|da|nar)\b", gap):
                    months = _months(ago.group(0))
                    if months is not None:
                        return months
    return None


# --------------------------------------------------------------------------------------------
# Municipality
# --------------------------------------------------------------------------------------------
# Names, spellings, typos, everyday words such as "i vejen" and "Holbæk Sygehus" are handled by
# training_guidance.municipalities, which the answering of questions uses too.


def _municipality(text: str, kb) -> Optional[str]:
    """The one municipality the text names (the one said to be home if it names several)."""
    return resolve_municipality(text, kb=kb).code


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def stated_age(text: str, kb) -> Optional[int]:
    """The age of the person a message is about, when it gives one (not a relative writer's own)."""
    folded = _fold(mask_cpr(text or "")[0])
    return _age(folded, _writer(folded, _relation(folded)), kb)


def understand(text: str, kb) -> Understood:
    """Every fact, the municipality and the writer's relation that a free message states."""
    masked, cpr_found = mask_cpr(text or "")
    folded = _fold(masked)
    relation = _relation(folded)
    writer = _writer(folded, relation)
    facts = _facts_from_cues(folded)
    age = _age(folded, writer, kb)
    if age is not None:
        facts["age"] = age
    months = _previous_course(folded)
    if months is not None:
        facts["months_since_previous_course"] = months
    return Understood(
        facts={k: v for k, v in facts.items() if k in kb.facts},
        municipality_code=_municipality(masked, kb),
        relation=relation,
        writer=writer,
        cpr_found=cpr_found,
    )


_DONT_KNOW_RX = _rx(
    r"\bved\s+(?:det\s+|jeg\s+|vi\s+)?(?:ikke|ik|ikk|ej)\b|\baner\s+(?:det\s+)?(?:ikke|ik)\b|\bingen\s+anelse"
    r"|\busikker\b|\bikke\s+sikker|\bmaske\b|\bkan\s+ikke\s+huske|\bhusker\s+(?:det\s+)?(?:ikke|ik)\b"
    r"|\btja\b|\bidk\b|\bvides\s+ikke|\buvist\b|\bi\s+tvivl\b|\bdet\s+er\s+svart\s+at\s+sige"
)
_YES_RX = _rx(
    r"^(?:ja|jo|jep|jepper|jeps|jah|ja+|yes|yep|yeah|korrekt|rigtigt?|det\s+er\s+(?:rigtigt|korrekt)"
    r"|det\s+passer|helt\s+sikkert|absolut|bestemt|selvfolgelig|klart)\b"
)
_NO_RX = _rx(
    r"^(?:ne+j+|nope|nah|nix|no|ikke|ik|ikk|overhovedet\s+ikke|slet\s+ikke|desvarre\s+ikke"
    r"|absolut\s+ikke|bestemt\s+ikke|aldrig)\b"
)
# "det har hun", "det er hun ikke", "det tror jeg ikke"
_SO_RX = _rx(
    r"\bdet\s+(?:er|har|gor|kan|vil|bor|far|fik|gjorde|var|tror|ligger)\s+(?:hun|han|jeg|vi|de|den)\b"
    r"(?P<neg>\s+(?:ikke|ik|ikk|aldrig))?"
)
_ANSWER_COURSE = [  # only in a reply to the either/or question
    (_rx(r"\b(?:det|den)\s+forste\b|\bpludselig\w*|\bmidlertidig\w*|\bakut\w*|\befter\s+(?:\w+\s+)?sygdom"
         r"|\bfald\w*"), "temporary"),
    # The question names them in the order temporary, gradual, lasting.
    (_rx(r"\b(?:det|den)\s+(?:sidste|tredje)\b|\bvarig\w*|\bkronisk\w*"), "lasting"),
    (_rx(r"\b(?:det|den)\s+(?:andet|anden|midterste)\b|\blangsomt\b|\bgradvis\w*|\blidt\s+efter\s+lidt"
         r"|\bover\s+(?:lang\s+)?tid\b|\bgennem\s+(?:lang|mange)|\bmed\s+alderen"), "gradual"),
]


def _short(folded: str, words: int = 6) -> bool:
    return len(folded.split()) <= words


def parse_answer(fact_id: str, text: str, intent: Optional[str], kb) -> Any:
    """The value of ``fact_id`` in a reply to its question, DONT_KNOW, or INVALID."""
    fact = kb.facts.get(fact_id)
    if fact is None:
        return INVALID
    masked, _ = mask_cpr(text or "")  # a CPR number is never read as an age or a count
    folded = _fold(masked)
    if not folded:
        return DONT_KNOW if intent == "dont_know" else INVALID
    kind = fact.type.value
    dont_know = bool(_DONT_KNOW_RX.search(folded))
    if kind == "boolean":
        # "ved ikke" is often classified as deny: a short don't-know reply is taken as one.
        if dont_know and _short(folded):
            return DONT_KNOW
        value = _boolean(fact_id, masked, folded, intent, kb)
    elif kind == "integer":
        value = _integer(fact_id, fact, masked, folded, kb)
    elif kind == "choice":
        value = _choice(fact_id, fact, masked, folded, kb)
    elif kind == "months_or_never":
        value = _months_or_never(fact_id, fact, masked, folded, intent, kb)
    else:
        value = INVALID
    if value is INVALID and (dont_know or intent == "dont_know"):
        return DONT_KNOW
    return value


def _boolean(fact_id: str, masked: str, folded: str, intent: Optional[str], kb) -> Any:
    # A sentence that states the fact is more specific than the intent: "ja, hun er udskrevet"
    # answers "Er din mor indlagt?" with no.
    stated = understand(masked, kb).facts.get(fact_id)
    if stated is not None:
        return stated
    if fact_id == "hospital_plan" and _PAST_TIME.search(folded) and not _DONT_KNOW_RX.search(folded):
        return False  # "ja, men den er fra 2019": a plan, but not one for the problem asked about
    if _DONT_KNOW_RX.search(folded) and not (_YES_RX.search(folded) or _NO_RX.search(folded)):
        return DONT_KNOW  # "jeg ved ikke om hun er indlagt lige nu"
    if intent in ("affirm", "deny", "dont_know"):
        return {"affirm": True, "deny": False, "dont_know": DONT_KNOW}[intent]
    if _NO_RX.search(folded):
        return False
    if _YES_RX.search(folded):
        return True
    so = _SO_RX.search(folded)
    if so:
        return not so.group("neg")
    if _short(folded, 4) and any(w in _NEGATION for w in re.findall(r"\w+", folded)):
        return False  # "hun er ikke", "ikke længere"
    return INVALID


def _integer(fact_id: str, fact, masked: str, folded: str, kb) -> Any:
    low = fact.minimum if fact.minimum is not None else float("-inf")
    high = fact.maximum if fact.maximum is not None else float("inf")
    value = understand(masked, kb).facts.get(fact_id)  # "hun er 82, snart 83"
    if value is None:
        m = re.search(r"(?<![\d.,])(\d{1,4})(?!\d)", folded)
        value = int(m.group(1)) if m else None
    if value is None:
        words = re.search(rf"\b({_NUMBER_WORD})\b", folded)
        value = _word_number(words.group(1)) if words else None
        if value is not None and value < 10:  # "en", "to" are rarely an age
            value = None
    return value if value is not None and low <= value <= high else INVALID


def _choice(fact_id: str, fact, masked: str, folded: str, kb) -> Any:
    for value, title in fact.choices.items():
        if folded.strip(" .!") in (value, _fold(title)):
            return value  # a button payload or its title
    stated = understand(masked, kb).facts.get(fact_id)
    if stated in fact.choices:
        return stated
    for rx, value in _ANSWER_COURSE:
        m = rx.search(folded)
        if m and value in fact.choices:
            said = _statement(folded, m.start(), m.end(), in_questions=True)
            if said is None:
                continue
            other = [v for v in fact.choices if v != value]
            return value if said else (other[0] if len(other) == 1 else INVALID)
    return INVALID


def _months_or_never(fact_id: str, fact, masked: str, folded: str, intent: Optional[str], kb) -> Any:
    stated = understand(masked, kb).facts.get(fact_id)
    months = stated if stated is not None else _months(folded)  # "nej, ikke i 2 år" is 24
    if months is None:
        m = re.fullmatch(r"(?:ca\.?\s+|cirka\s+|omkring\s+)?(\d{1,4})\.?", folded)
        months = int(m.group(1)) if m else None
    if months is None:
        if _DONT_KNOW_RX.search(folded):
            return DONT_KNOW  # before "ikke" below: "ved ikke" is not "never"
        if intent == "deny" or re.search(
            r"\baldrig\b|\bingen\b|\bikke\s+(?:\w+\s+)?(?:haft|faet|v[ae]ret)\b|^(?:ne+j|nix|nope)\b", folded
        ):
            return NEVER
        return INVALID
    if months == NEVER:
        return NEVER
    low = fact.minimum if fact.minimum is not None else 0
    high = fact.maximum if fact.maximum is not None else 10 ** 6
    return months if low <= months <= high else INVALID
