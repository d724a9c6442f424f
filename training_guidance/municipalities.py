"""Recognise a municipality from the way people write its name, alone or inside a message.

``find_municipality`` reads a name or a kommunekode on its own (a reply to "Hvor bor du?").
``find_mentions`` finds every municipality a message names, and ``resolve_municipality`` decides
which municipality a question is about: one the question names wins over the conversation's and
the web page's, and two named without saying which is home is ambiguous.

Spellings: case, "Kommune"/"Kommunes", hyphen or space, æ/ø/å written as ae/oe/aa or a/o/a, and
small typos in longer names (one letter wrong, missing, extra or two swapped in names of six
letters or more; two such from ten letters), never in the first letter and, inside a message, only where a name is expected (after "i"/"fra"/"til",
before "kommune", or capitalised inside a sentence).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .folding import fold
from .knowledge import KnowledgeBase, cached_knowledge
from .knowledge.schema import MunicipalityEntry
from .texts.voice import FEMALE_RELATIONS, MALE_RELATIONS

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


@functools.lru_cache(maxsize=8192)
def _fuzzy_key(text: str) -> str:
    """The most folded spelling, letters only: the form typos are measured in."""
    return re.sub(r"[^a-z]", "", _SUFFIX.sub("", fold(text).strip()).strip())


@dataclass(frozen=True)
class _Index:
    exact: Dict[str, MunicipalityEntry]     # every derived spelling → municipality
    fuzzy: Dict[str, MunicipalityEntry]     # folded names and aliases → municipality
    by_code: Dict[str, MunicipalityEntry]
    first_words: frozenset                  # folded first words of names: where a name can start
    typos: Dict[str, Optional[MunicipalityEntry]] = field(default_factory=dict)  # seen words
    places: frozenset = frozenset()         # spelling keys of places the standards name


# id(kb) → (kb, index); holding kb keeps its id from being reused by another object.
_INDEXES: Dict[int, Tuple[KnowledgeBase, _Index]] = {}


def _index(kb: KnowledgeBase) -> _Index:
    """Spelling key → municipality, built once per knowledge base."""
    cached = _INDEXES.get(id(kb))
    if cached is not None:
        return cached[1]
    exact: Dict[str, MunicipalityEntry] = {}
    fuzzy: Dict[str, MunicipalityEntry] = {}
    first_words = set()
    for entry in kb.municipalities.municipalities:
        for spelling in [entry.name, *entry.aliases]:
            first_words.add(_fuzzy_key(re.split(r"[\s-]+", spelling.strip())[0]))
            for key in name_keys(spelling):
                exact.setdefault(key, entry)
            key = _fuzzy_key(spelling)
            if key and key not in _COMMON_WORDS:  # "vejen" is never a typo for a name
                fuzzy.setdefault(key, entry)
    by_code = {e.code: e for e in kb.municipalities.municipalities}
    for entry in kb.municipalities.municipalities:
        # "bor i Jyderup": a town names its municipality. Spelled exactly (folded), never as a typo,
        # and never in place of a municipality's own name
        for town in entry.towns:
            first_words.add(_fuzzy_key(re.split(r"[\s-]+", town.strip())[0]))
            for key in name_keys(town):
                exact.setdefault(key, entry)
    places = set()
    for code, standard in kb.standards.items():
        # "på ophold på Lærkegaard": a place the standard names is in its municipality. Spelled
        # exactly (folded), never as a typo: a place's name is too close to everyday words.
        for place in standard.municipality.places:
            first_words.add(_fuzzy_key(re.split(r"[\s-]+", place.name.strip())[0]))
            for key in name_keys(place.name):
                if key not in exact:
                    exact[key] = by_code[code]
                    places.add(key)
    index = _Index(exact, fuzzy, by_code, frozenset(first_words), places=frozenset(places))
    _INDEXES[id(kb)] = (kb, index)
    return index


def _max_typos(name_key: str) -> int:
    return 2 if len(name_key) >= 10 else 1 if len(name_key) >= 6 else 0


def _typo_match(text: str, index: _Index) -> Optional[MunicipalityEntry]:
    """The one municipality whose name ``text`` is a small typo of, or None."""
    key = _fuzzy_key(text)
    if len(key) < 5:
        return None
    if key not in index.typos:
        index.typos[key] = _closest(key, index)
    return index.typos[key]


def _closest(key: str, index: _Index, max_typos: Callable[[str], int] = _max_typos) -> Optional[MunicipalityEntry]:
    """The one name ``key`` is at most ``max_typos(name)`` edits from (same first letter), or None."""
    found = process.extract(key, list(index.fuzzy), scorer=OSA.distance, score_cutoff=2, limit=6)
    matches = [(dist, index.fuzzy[name]) for name, dist, _ in found
               if dist <= max_typos(name) and name[0] == key[0]]
    if not matches:
        return None
    best = min(dist for dist, _ in matches)
    codes = {entry.code for dist, entry in matches if dist == best}
    if len(codes) != 1:  # as close to two names: guessing would be wrong half the time
        return None
    return next(entry for dist, entry in matches if dist == best)


# A name dictated in two words ("holde bæk", "hals tebro", "silke borg"): the two joined, a little
# further from the name than a typed typo may be, and only where a place is named ("bor her i …")
_SPLIT_NAME_BEFORE = re.compile(r"(?:\b(?:i|fra|til)|\bbor\s+(?:\w+\s+){0,3}i)\s*$")
MAX_SPLIT_NAME_TYPOS = 2
_NOT_NAME_PARTS = frozenset(("alle", "alt", "anden", "andre", "den", "det", "dem", "der", "her", "hele", "hver", "ikke",
                             "min", "mit", "mine", "sin", "sit", "sine", "som", "til", "fra", "med", "for", "hos",
                             "hun", "han", "jeg", "vi", "de", "dag", "uge", "noget", "nogen", "meget", "mere"))


def _split_name_match(first: str, second: str, index: _Index) -> Optional[MunicipalityEntry]:
    key = _fuzzy_key(first + second)
    if len(key) < 6 or _fuzzy_key(first) in index.fuzzy or _fuzzy_key(second) in index.fuzzy:
        return None
    if min(len(first), len(second)) < 3 or {fold(first), fold(second)} & _NOT_NAME_PARTS:
        return None  # "gigt i alle led" is not Allerød, "har I åbent i weekenden" not Aabenraa
    if key in index.fuzzy:
        return index.fuzzy[key]
    return _closest(key, index, lambda name: MAX_SPLIT_NAME_TYPOS if len(name) >= 6 else 0)


def find_municipality(text: Optional[str], kb: Optional[KnowledgeBase] = None,
                      typos: bool = True) -> Optional[MunicipalityEntry]:
    """The municipality a name (or kommunekode) on its own refers to, or None."""
    if not text:
        return None
    kb = kb or cached_knowledge()
    index = _index(kb)
    code = text.strip()
    if re.fullmatch(r"\d{3,4}", code):
        return index.by_code.get(code.zfill(4))
    for key in name_keys(text):
        if key in index.exact:
            return index.exact[key]
    return _typo_match(text, index) if typos else None


def all_spellings(kb: Optional[KnowledgeBase] = None) -> Iterable[Tuple[str, str]]:
    """(spelling, official name) for lookup tables in the NLU data."""
    kb = kb or cached_knowledge()
    for entry in kb.municipalities.municipalities:
        for spelling in [entry.name, *entry.aliases]:
            yield spelling, entry.name


# --------------------------------------------------------------------------------------------
# Names inside a message
# --------------------------------------------------------------------------------------------
# Names that are also everyday words ("i vejen", "koge", "en skive"): only when written like a
# name (capitalised inside a sentence), followed by "kommune", after "bor i" - or, except for
# "vejen" ("står i vejen"), after "i"/"fra"/"til".
_COMMON_WORDS = {"brande", "faxe", "greve", "koge", "lejre", "odder", "skive", "tonder", "vejen"}
_NEVER_AFTER_PREPOSITION = {"vejen"}
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A kommunekode: four digits with a leading zero ("0661"; no Danish phone number or postcode
# starts with 0), or any form after "kommunekode"/"kommunenr.".
_CODE = re.compile(r"(?<![\d-])\b(0\d{3})\b(?![-\d])|\bkommune\s*-?\s*(?:kode|nr\.?|nummer)\s*:?\s*(\d{3,4})\b",
                   re.IGNORECASE)
# "bor i", also "bor faktisk i", "bor alene i", "bor på plejehjem i" (a few words, none of them "i")
_LIVES_BEFORE = re.compile(r"\b(?:bor|boende|borger|bosat)\s+(?:(?!i\b)\w+\s+){0,3}i\s*$|\bflytte(?:t|de)?\s+til\s*$")
# "det er Ishøj vi bor i", "Holbæk, hvor min mor bor.": the home said after the name (not "Holbæk, vi bor
# i Ishøj": "bor" must end the clause, with or without its "i")
_LIVES_AFTER = re.compile(r"^\s*,?\s*(?:er\s+)?(?:(?:som|der|hvor)\s+)?"
                         r"(?:(?P<writer>jeg)|vi|(?P<other>hun|han|de|(?:min|mit|vores)\s+\w+))"
                         r"\s+(?:\w+\s+)?bor(?:\s+i)?\s*(?:[.,;:!?]|$)")
# "flyttet fra Kalundborg (Kommune) til Holbæk": the new home is the one after "til"
_MOVED_FROM_BEFORE = re.compile(r"\bflytte(?:t|de)?\s+(?:\w+\s+)?fra\s+[\w-]+(?:\s+[\w-]+){0,2}\s+til\s*$")
# Whose home: "jeg bor i Holbæk, min mor bor i Horsens" names the writer's and the relative's.
_LIVES_IN = r"(?:bor|er\s+bosat)\s+(?:(?!i\b)\w+\s+){0,3}i\s*$"  # "bor i", "bor faktisk i"
_WRITER_LIVES = re.compile(rf"\bjeg\s+(?:\w+\s+)?{_LIVES_IN}")
# "jeg er min mors eneste barn og bor i Aalborg": "og bor" goes on with the sentence's subject
_WRITER_AND_LIVES = re.compile(rf"\bjeg\s+[^.,;:!?]*\bog\s+{_LIVES_IN}")
_ANOTHER_SUBJECT = re.compile(r"\b(?:han|hun|de)\b|\b(?:min|mit|mine|vores)\s+\w*[^s\W]\b(?!\s*$)")
_OTHER_LIVES = re.compile(rf"\b(?:han|hun|de|min|mit|mine|vores|hans|hendes)\s+(?:\w+\s+){{0,2}}{_LIVES_IN}")
_PLACE_BEFORE = re.compile(r"\b(?:i|fra|til|ved)\s*$")
_KOMMUNE_AFTER = re.compile(r"\s*kommunes?\b|\s*kommune\b", re.IGNORECASE)
_HOSPITAL_AFTER = re.compile(r"\s*-?\s*\w*(?:sygehus|hospital)")
# "på Holbæks side", "Holbæk Kommunes hjemmeside": the web page the writer is on, not a home
_PAGE_AFTER = re.compile(r"\s*(?:kommunes?\s+)?(?:hjemme)?side\b")
# "det er min far i Holstebro det gælder": where the relative is
_RELATIVE_IN_BEFORE = re.compile(r"\b(?:min|mit|vores|hans|hendes)\s+\w+\s+(?:der\s+bor\s+|som\s+bor\s+)?i\s*$")
# "vores børn bor i København": the writer's grown-up children live elsewhere; that is not the
# citizen's home (a child asked about is "min søn", "vores datter")
# ("vi andre bor alle sammen i Aarhus", "Vi børn bor i Aalborg og Esbjerg": the family, not the citizen)
_CHILDREN_LIVE_BEFORE = re.compile(r"(?:\b(?:vores|mine|hans|hendes|deres)\s+(?:born|bornene|borneborn|bornebornene)"
                                   r"|\bvi\s+(?:andre|born|borneborn)|\b(?:bornene|bornebornene))"
                                   r"\s+(?:\w+\s+){0,2}bor\s+(?:\w+\s+){0,2}i\s*$")
# "hun arbejder i Aarhus hele ugen": where someone works, not where the citizen lives
_WORKS_BEFORE = re.compile(r"\b(?:arbejder|arbejdede|arbejde|studerer|job)\s+(?:\w+\s+){0,2}?i\s*$")
# A professional and where they work: "Vis. fra Herning:", "Ergoterapeut fra Lejre Kommune her", "jeg
# sidder i visitationen i Gladsaxe", "vores standard i Struer", "Jeg er terapeut i Hedensted Kommune". From
# ("fra") another municipality, introducing themself, it is never the one asked about; in ("i") it is,
# unless the message names another ("Vis. i Vejle Kommune: bgr. 64 år …" asks about Vejle). Not a
# citizen's therapist: "kan jeg vælge en fysioterapeut i Holbæk", "en terapeut fra Herlev kom hjem til mig".
_PROFESSION = (r"(?:vis|visitator|terapeut|fys|fysioterapeut|ergo|ergoterapeut|konsulent|kvalitetskonsulent|sagsbehandler"
               r"|sagsbeh|sygeplejerske|sygepl|hjemmesygepl|udskr\.sygepl|hjpl|plejecenterleder|leder|lagesekr|sekretar"
               r"|fys-klinik|klinik|sosu-ass|sosu-elev|sosu-assistent)\.?")
_OFFICE = (r"(?:vis|visitator|visitationen|visitationsenheden|konsulent|kvalitetskonsulent|sagsbehandler|sagsbeh"
           r"|plejecenterleder|lagesekr|sekretar|standard|kvalitetsstandard|visitation)\.?")
_ROLE_FROM_BEFORE = re.compile(rf"(?:^|[.!?:\n]\s*|\b(?:jeg|vi)\s+er\s+(?:\w+\s+)?)(?:\w+\s+)?{_PROFESSION}\s*fra\s*$")
_ROLE_IN_BEFORE = re.compile(rf"(?:\b{_OFFICE}|\b(?:jeg|vi)\s+er\s+(?:\w+\s+)?{_PROFESSION}|(?:^|[.!?:\n]\s*){_PROFESSION})"
                             r"\s*(?:i|pa|,)\s*$"
                             # "Sagsbeh. Skive Kommune: bgr. flytter …": a signature line before the note
                             rf"|^\s*{_PROFESSION}\s+$")
# Places named beside the citizen's home (Mention.aside). A former home: "flyttet hertil fra Næstved",
# "boede i Ringsted indtil i sommer", "I Herlev, hvor min far boede før" (folded: "bode"); not "flytter
# fra Ishøj til Herlev til jul": a move ahead leaves both open
_FORMER_BEFORE = re.compile(r"\bflytte(?:t|de)\s+(?:[\w-]+\s+){0,4}fra\s*$|\bbode\s+(?:\w+\s+){0,2}i\s*$"
                            r"|\bhavde\s+(?:\w+\s+){0,1}i\s*$")
_FORMER_AFTER = re.compile(r"^\s*,?\s*(?:hvor|som|der)\s+(?:\w+\s+){0,2}bode\b")
# A stay: "i vores sommerhus i Thorsminde", "på aflastning på et plejehjem i Kalundborg", "skal bo hos
# min søster i Aarhus hele næste uge"
_STAY_BEFORE = re.compile(r"\b(?:sommerhus|sommerhuset|feriehus|feriehuset|kolonihave|kolonihaven|aflastning|ferie)"
                          r"\s+(?:\w+\s+){0,3}i\s*$|\bskal\s+(?:\w+\s+){0,2}bo\s+hos\s+(?:\w+\s+){0,2}i\s*$")
# Staying with the writer: "min farmor bor egentlig i Roskilde, men hun bor hos os i Holbæk de næste par
# måneder", "hun er hos os i Holbæk et par måneder efter sit fald": the municipality she stays in is
# the one asked about (where she trains while she is there)
_STAYING_BEFORE = re.compile(r"\b(?:er|bor|bo|opholder\s+sig)\s+(?:\w+\s+){0,2}hos\s+(?:os|mig)\s+(?:\w+\s+){0,1}i\s*$")
# A therapist's or doctor's practice: "hos en klinik i Skanderborg", "sin egen fysioterapeut i Aarhus",
# "læge har klinik i Hvidovre" (not "kan man vælge fysioterapeut i Herlev": that asks Herlev)
_PRACTICE_BEFORE = re.compile(r"\b(?:klinik|klinikken|praksis|(?:sin|sine|hendes|hans|min|egen)\s+(?:egen\s+)?"
                              r"(?:fysioterapeut|ergoterapeut|laege))\s+(?:\w+\s+){0,1}i\s*$")
# Someone the writer compares with, never the citizen: "min veninde i Gentofte fik bare …", "Vores nabo,
# som bor i Kalundborg, påstår …"
_ACQUAINTANCE_BEFORE = re.compile(r"\b(?:nabo|naboen|genbo|genboen|veninde|veninden|ven|vennen|bekendt|kollega)"
                                  r"\s*,?\s+(?:(?:der|som)\s+(?:\w+\s+)?bor\s+)?i\s*$")
# A letter's closing, before the writer's name (folded: "Ærbødigst" is "arbodigst")
_CLOSING_BEFORE = re.compile(r"\b(?:arbodigst|hilsen|hilsner|mvh|vh|kh)\s*[,.]?\s*$")
# A home ahead: "hvis jeg flytter til Vallensbæk", "hun flytter ind i en lejlighed i Vipperød", "skal flytte til
# Struer til marts" (not "flyttet til": that home is reached)
_MOVING_TO_BEFORE = re.compile(r"\b(?:flytter|(?:skal|vil|kommer\s+til\s+at)\s+flytte)\s+(?:[\w-]+\s+){0,5}?(?:til|i)\s*$")
# "udskrevet fra Hvidovre", "opereret i Vejle": where the hospital is, not where they live
_HOSPITAL_BEFORE = re.compile(r"\b(?:udskrev(?:et|ne|es)?|indlagt|indlagte|opereret|opereres)\s+(?:fra|i|pa)\s*$")


@dataclass(frozen=True)
class Mention:
    """A municipality named in a message."""

    code: str
    start: int          # where the name starts in the text
    end: int            # where it ends, including a following "Kommune"
    lives: bool         # said to be where the citizen lives: "bor i X", "X Kommune"
    whose: Optional[str] = None  # "writer" ("jeg bor i X"), "other" ("min mor bor i X") or None
    place: bool = False          # a place in the municipality ("Lærkegaard"), not its name
    works: bool = False          # where the writer works ("visitator i Odsherred"), not the citizen's home
    aside: bool = False          # a former home, a stay, a practice or an acquaintance's town: not the home
    page: bool = False           # a municipality's web page ("på Holbæks side"): asked about only if nothing else is
    staying: bool = False        # where the citizen stays with the writer for a time ("hun er hos os i Holbæk")
    moving: bool = False         # a home ahead ("hvis jeg flytter til Vallensbæk"): asked about only if written to


def _name_at(text: str, tokens: List["re.Match[str]"], i: int, index: _Index):
    """(words used, municipality entry, spelling) for the longest name starting at token i, or None."""
    for n in (4, 3, 2, 1):
        if i + n > len(tokens):
            continue
        span = text[tokens[i].start():tokens[i + n - 1].end()]
        entry = next((index.exact[k] for k in name_keys(span) if k in index.exact), None)
        if entry is None and len(span) >= 4 and span.lower().endswith("s"):
            # "Holbæks Kommune"
            entry = next((index.exact[k] for k in name_keys(span[:-1]) if k in index.exact), None)
        if entry is not None:
            return n, entry, span
    return None


def _after_first_name(text: str, tokens: List["re.Match[str]"], i: int) -> bool:
    """Whether token i follows a capitalised word that is no municipality, with one space between:
    a person's surname after the first name."""
    if i == 0 or text[tokens[i - 1].end():tokens[i].start()] != " ":
        return False
    before = tokens[i - 1].group(0)
    return before[:1].isupper() and before[1:].islower() and not find_mentions(before)


def _clause_before(text: str, start: int) -> str:
    """The folded sentence up to ``start`` (at most 100 characters back)."""
    return re.split(r"[.!?\n]", fold(text[max(0, start - 100):start]))[-1]


def _writer_and_lives(clause: str) -> bool:
    """"jeg er min mors eneste barn og bor i": the writer lives there; not "jeg tror min mor er
    faldet og bor i" (another subject in between; "min mors" is no subject)."""
    m = _WRITER_AND_LIVES.search(clause)
    return bool(m) and not _ANOTHER_SUBJECT.search(clause[m.start():m.end()])


def _sentence_start(text: str, start: int) -> bool:
    return bool(re.search(r"(?:^|[.!?:\n]\s*)$", text[:start]))


def find_mentions(text: str, kb: Optional[KnowledgeBase] = None, any_role: bool = False) -> List[Mention]:
    """Every municipality the text names, in order (a kommunekode such as "0661" counts); not a
    hospital's town, the web page or a workplace - unless ``any_role``: every name, whatever it
    names (the answering blanks them all: a name says where, never what)."""
    kb = kb or cached_knowledge()
    index = _index(kb)
    text = text or ""
    tokens = list(_TOKEN.finditer(text))
    found: List[Mention] = []
    i = 0
    while i < len(tokens):
        start = tokens[i].start()
        first = _fuzzy_key(tokens[i].group(0).split("-")[0])
        could_start = first in index.first_words or first[:-1] in index.first_words  # "Holbæks"
        named = _name_at(text, tokens, i, index) if could_start else None
        typo = False
        if named is None:
            entry = _typo_match(tokens[i].group(0), index)
            if entry is None and i + 1 < len(tokens) and text[tokens[i].end():tokens[i + 1].start()] == " " \
                    and _SPLIT_NAME_BEFORE.search(fold(text[max(0, start - 30):start])):
                entry = _split_name_match(tokens[i].group(0), tokens[i + 1].group(0), index)
                if entry is not None:  # "i hals tebro": a name said in two words
                    named, typo = (2, entry, text[start:tokens[i + 1].end()]), True
            if entry is None:
                i += 1
                continue
            if named is None:
                if _CLOSING_BEFORE.search(fold(text[max(0, start - 30):start])) or (
                        not any_role and _after_first_name(text, tokens, i)):
                    i += 1
                    continue  # "Ærbødigst Henning Sørensen": a name under a letter, not Herning; "Susanne
                    # Bollerup tager ikke sin telefon": a person's surname, not Ballerup
                named, typo = (1, entry, tokens[i].group(0)), True
        n, entry, span = named
        end = tokens[i + n - 1].end()
        before = fold(text[max(0, start - 14):start])
        i += n
        after = text[end:end + 30]
        if not any_role and (_HOSPITAL_AFTER.match(fold(after))
                             or _HOSPITAL_BEFORE.search(fold(text[max(0, start - 30):start]))):
            continue  # "Holbæk Sygehus", "udskrevet fra Hvidovre": where the hospital is, not the home
        on_page = not any_role and bool(_PAGE_AFTER.match(fold(after)))  # "jeg sidder på Holbæks side"
        near = fold(text[max(0, start - 40):start])
        if not any_role and (_WORKS_BEFORE.search(near) or _ROLE_FROM_BEFORE.search(near)):
            continue  # "hun arbejder i Aarhus", "Vis. fra Herning:": a workplace
        relative_in = bool(_RELATIVE_IN_BEFORE.search(near))
        kommune = _KOMMUNE_AFTER.match(after)
        lives_after = _LIVES_AFTER.match(fold(after))
        lives = bool(_LIVES_BEFORE.search(near) or kommune or relative_in or lives_after
                     or _MOVED_FROM_BEFORE.search(fold(text[max(0, start - 60):start])))
        children = bool(_CHILDREN_LIVE_BEFORE.search(near))
        lives = lives and not children
        capitalised = span[:1].isupper() and not _sentence_start(text, start)
        alone = not text[:start].strip() and not text[end:].strip(" .!?")
        after_preposition = bool(_PLACE_BEFORE.search(before))
        folded_name = fold(span)
        if typo and not (capitalised or lives or after_preposition or alone):
            continue  # a word that looks like a name is only read as one where a name is expected
        if n == 1 and folded_name in _COMMON_WORDS and not (capitalised or lives or alone or (
                after_preposition and folded_name not in _NEVER_AFTER_PREPOSITION)):
            continue
        said_after = lives_after.lastgroup if lives_after else None  # "writer", "other" or None ("vi")
        whose = ("writer" if _WRITER_LIVES.search(near) or _writer_and_lives(_clause_before(text, start))
                 or said_after == "writer"
                 else "other" if not children and (_OTHER_LIVES.search(near) or relative_in or said_after == "other")
                 else None)
        place = not typo and any(k in index.places for k in name_keys(span))
        works = bool(_ROLE_IN_BEFORE.search(near))
        wide = fold(text[max(0, start - 60):start])
        aside = bool(_FORMER_BEFORE.search(wide) or _FORMER_AFTER.match(fold(after)) or _STAY_BEFORE.search(wide)
                     or _PRACTICE_BEFORE.search(near) or _ACQUAINTANCE_BEFORE.search(near))
        # "Vi børn bor i Aalborg og Esbjerg": the next name of a list is beside the home as the first is
        listed = bool(found) and found[-1].aside and re.fullmatch(r"\s*(?:,|og|eller)\s*", text[found[-1].end:start])
        aside = aside or children or bool(listed)
        if aside:
            lives, whose = False, None
        if on_page:
            lives, whose = False, None
        staying = bool(_STAYING_BEFORE.search(wide))
        moving = bool(_MOVING_TO_BEFORE.search(_clause_before(text, start)))
        found.append(Mention(entry.code, start, kommune.end() + end if kommune else end, lives and not works, whose,
                             place, works, aside, on_page, staying, moving))
    for m in _CODE.finditer(text):
        code = (m.group(1) or m.group(2) or "").zfill(4)
        if code in index.by_code:
            # "bgr. flytter til kommune 0661 pr. 1/1": the new home
            moving = re.search(r"\bflytte(?:r|t|de)?\s+til\s+(?:kommune\s+)?$", fold(text[max(0, m.start() - 30):m.start()]))
            found.append(Mention(code, m.start(), m.end(), bool(moving)))
    # "flytter fra Struer ind hos os … den hjælp, hun havde i Struer": a municipality said once to be a
    # former home, and nowhere a home, is that wherever it is named
    former = {m.code for m in found if m.aside} - {m.code for m in found if m.lives}
    found = [replace(m, aside=True, whose=None) if m.code in former else m for m in found]
    return sorted(found, key=lambda m: m.start)


# Who a relative named is, by gender (folded): "min datter bor i Silkeborg og kan kun køre ham" names a
# daughter's home, while every question is about "ham": she is not the citizen
_FEMALE = frozenset(fold(w) for w in FEMALE_RELATIONS) | {"veninde"}
_MALE = frozenset(fold(w) for w in MALE_RELATIONS) | {"ven"}
_COUPLES = frozenset(("mor", "far", "kone", "mand", "hustru", "svigermor", "svigerfar", "mormor", "morfar", "farmor",
                      "farfar", "bedstemor", "bedstefar", "oldemor", "oldefar", "stedmor", "stedfar"))
_RELATIVE_BEFORE = re.compile(r"\b(?:min|mit|vores|hans|hendes)\s+(\w+)\s+(?:(?:der|som)\s+)?(?:\w+\s+){0,3}$")
_HE = re.compile(r"\b(?:han|ham|hans)\b")
_SHE = re.compile(r"\b(?:hun|hende|hendes)\b")


def pronoun_gender(folded: str) -> Optional[str]:
    """"female" when a (folded) message speaks of "hun"/"hende" and never of "han"/"ham", "male" for the
    reverse, else None."""
    she, he = bool(_SHE.search(folded)), bool(_HE.search(folded))
    return "female" if she and not he else "male" if he and not she else None


def _someone_else(text: str, mention: Mention) -> bool:
    """Whether the relative whose home ``mention`` is cannot be the one the message asks about: a
    woman's home while the message speaks only of "han"/"ham" and names no man (or the reverse)."""
    folded = fold(text)
    m = _RELATIVE_BEFORE.search(_clause_before(text, mention.start))
    if not m:
        return False
    noun = m.group(1)
    # a parent or partner of the man (or woman) named may share his home: "min mor bor i Horsens, og
    # min far kan ikke gå"; a sister or a daughter does not
    nouns = (set(re.findall(r"\b(?:min|mit|vores)\s+(\w+)", folded)) - {noun}) if noun in _COUPLES else set()
    if noun in _FEMALE:
        return pronoun_gender(folded) == "male" and not nouns & _MALE
    if noun in _MALE:
        return pronoun_gender(folded) == "female" and not nouns & _FEMALE
    return False


# "min bror i Slagelse siger, at hans kone får massage …", "Min søster i Herlev får kørt sin mand …":
# someone telling of another municipality, while the message asks "hos jer", "her"
_REPORTS_AFTER = re.compile(r"^\s*,?\s*(?:siger|sagde|pastar|pastod|fortaller|fortalte|mener|skriver)\b")
_THEIR_OWN = re.compile(r"\b(?:sin|sit|sine)\b")
_ADDRESSED = re.compile(r"\b(?:hos|til)\s+jer\b|\bjeres\b|\bher\s+i\s+(?:kommunen|byen)\b|\bhertil\b|\w\s+her\s*[.?!,]")


def _compared(text: str, mention: Mention) -> bool:
    """Whether a relative's municipality is named only to compare with the one the message addresses."""
    rest = fold(re.split(r"[.!?\n]", text[mention.end:], maxsplit=1)[0])
    return bool(_REPORTS_AFTER.match(rest) or _THEIR_OWN.search(rest)) and bool(_ADDRESSED.search(fold(text)))


@dataclass(frozen=True)
class MunicipalityChoice:
    """Which municipality a question is answered for, and why."""

    code: Optional[str]              # None: unknown, or ambiguous (ask which one)
    named: bool                      # the text itself named it
    ambiguous: bool                  # the text named several, without saying which is home
    named_codes: Tuple[str, ...] = ()
    mentions: Tuple[Mention, ...] = ()
    source: Optional[str] = None     # "text", "conversation", "page" or None: where code came from


def _asked_in_question(text: str, mentions: Tuple[Mention, ...]) -> Optional[str]:
    """The one municipality the message's last question names, or None: "Min mor har sin adresse i
    Lejre, men bor hos os i Jyderup. Kan hun få genoptræning hos Holbæk Kommune?" asks Holbæk."""
    from .answering.splitting import asks  # the answering reads municipalities: imported here

    start, end = _last_question(text)
    codes = {m.code for m in mentions if start <= m.start < end}
    return codes.pop() if len(codes) == 1 and asks(text[start:end + 1], after_comma=False) else None


def _last_question(text: str) -> Tuple[int, int]:
    """Where the message's last question starts and ends (its "?", or the end of the text)."""
    end = text.rfind("?")
    if end < 0:  # "… og jeg er halvvejs. kan jeg gøre forløbet færdigt i Ishøj" (no "?")
        end = len(text.rstrip(" .!"))
    return max(text.rfind(c, 0, end) for c in ".!?\n") + 1, end


def _named_as_municipality(text: str, mentions: Tuple[Mention, ...], code: str) -> bool:
    """Whether the last question names ``code`` as a municipality ("hos Holbæk Kommune")."""
    start, end = _last_question(text)
    return any(m.code == code and start <= m.start < end and "kommune" in text[m.start:m.end].lower()
               for m in mentions)


# "på jeres træningscenter i Ishøj", "hos jer i Ishøj": the municipality the writer writes to
_YOURS_BEFORE = re.compile(r"\b(?:jer|jeres)\b(?:\s+[\w-]+){0,2}\s+(?:i|pa|hos)\s*$")


def _written_to(text: str, mentions: Tuple[Mention, ...]) -> Optional[str]:
    """The one municipality named as the one written to ("jeres træningscenter i Ishøj"), or None."""
    codes = {m.code for m in mentions if _YOURS_BEFORE.search(fold(text[max(0, m.start - 50):m.start]))}
    return codes.pop() if len(codes) == 1 else None


def resolve_municipality(text: Optional[str], conversation_code: Optional[str] = None,
                         page_code: Optional[str] = None,
                         kb: Optional[KnowledgeBase] = None, writer_elsewhere: bool = False,
                         citizen_writes: bool = False) -> MunicipalityChoice:
    """The municipality to answer ``text`` for.

    A municipality the text names wins over the conversation's (said earlier), which wins over
    the web page's (data-kommune). Places named beside the home (Mention.aside: a former home, a
    stay, a practice, an acquaintance's town, the page) give way to any other. Several named: the one
    the last question names as a municipality ("hos Holbæk Kommune"), else where the citizen stays
    with the writer, else the one said to be home ("bor i", "X Kommune") if exactly one is, else the
    one the question or the writer addresses, else ambiguous (code None) - never a guess between them.
    ``writer_elsewhere``: a relative writes who need not live with the citizen (a son, not a
    husband; understanding.py tells), so the writer's own home ("jeg bor i Aalborg") is not the
    citizen's: the conversation's or the page's municipality stays, or none is known.
    ``citizen_writes``: the writer tells of their own training, so a relative's home ("min søn bor i
    Aarhus") is named beside it, as a former home is (Mention.aside)."""
    mentions = tuple(find_mentions(text or "", kb))
    if writer_elsewhere:
        mentions = tuple(m for m in mentions if m.whose != "writer")
    addressed = bool(conversation_code or page_code)
    mentions = tuple(replace(m, lives=False, whose=None, aside=True)
                     if m.whose == "other" and (citizen_writes or _someone_else(text or "", m)
                                                or addressed and _compared(text or "", m)) else m
                     for m in mentions)
    if mentions and all(m.works for m in mentions) and addressed:
        mentions = ()  # "Kvalitetskonsulent, Silkeborg: udarbejder I …" on Horsens' page: asks Horsens
    if any(m.page for m in mentions) and not all(m.page or m.aside for m in mentions):
        # "jeg sidder på Holbæks side, men det er min far i Holstebro det gælder": the page the writer is
        # on, not the municipality asked about; alone ("På Holstebro Kommunes hjemmeside står der …
        # Hvad er nummeret?") it is the one asked about
        mentions = tuple(m for m in mentions if not m.page)
    written_to = conversation_code or page_code
    if any(m.moving and m.code == written_to for m in mentions):
        # "… hos Roskilde Kommune, men hun flytter ind i en lejlighed i Vipperød. Kan hun tage resten af
        # træningen hos jer?" on Holbæk's page: the home ahead is the one written to
        return MunicipalityChoice(written_to, True, False, tuple(dict.fromkeys(m.code for m in mentions)), mentions,
                                  "text")
    if addressed:
        # "Hvis jeg flytter til Vallensbæk midt i forløbet, kan jeg så blive ved …" on Ishøj's page: the
        # training is where the writer lives now, the one written to
        mentions = tuple(m for m in mentions if not m.moving)
    if any(m.aside for m in mentions) and (addressed or not all(m.aside for m in mentions)):
        # "vi er lige flyttet hertil fra Næstved", "min veninde i Gentofte fik …": beside the home
        # the conversation or the message gives, never instead of it
        mentions = tuple(m for m in mentions if not m.aside)
    named = tuple(dict.fromkeys(m.code for m in mentions))
    if len(named) > 1 and any(not m.works for m in mentions):
        mentions = tuple(m for m in mentions if not m.works)  # the writer's workplace, beside the one asked
        named = tuple(dict.fromkeys(m.code for m in mentions))
    if len(named) > 1:
        # "Min mor bor i Kalundborg, men er hos os i Holbæk … Kan hun få genoptræning hos Holbæk Kommune?":
        # the municipality the question names as such is the one it is answered for (not "gælder Ishøjs
        # regler så også for hende?", of a mother in Vallensbæk: her home's rules answer that)
        asked = _asked_in_question(text or "", mentions)
        if asked is not None and _named_as_municipality(text or "", mentions, asked):
            return MunicipalityChoice(asked, True, False, named, mentions, "text")
        staying = tuple(dict.fromkeys(m.code for m in mentions if m.staying))
        if len(staying) == 1:
            return MunicipalityChoice(staying[0], True, False, named, mentions, "text")
        home = tuple(dict.fromkeys(m.code for m in mentions if m.lives))
        if len(home) > 1:
            # "jeg bor i Holstebro, men min mor bor i Horsens og har fået afslag": a writer who
            # names a relative's home asks for the relative
            home = tuple(dict.fromkeys(m.code for m in mentions if m.lives and m.whose == "other"))
        if len(home) == 1:
            return MunicipalityChoice(home[0], True, False, named, mentions, "text")
        asked = asked or _written_to(text or "", mentions)
        if asked is not None:
            return MunicipalityChoice(asked, True, False, named, mentions, "text")
        return MunicipalityChoice(None, True, True, named, mentions, "text")
    if named:
        return MunicipalityChoice(named[0], True, False, named, mentions, "text")
    if conversation_code:
        return MunicipalityChoice(conversation_code, False, False, (), mentions, "conversation")
    if page_code:
        return MunicipalityChoice(page_code, False, False, (), mentions, "page")
    return MunicipalityChoice(None, False, False, (), mentions, None)
