"""One message, several questions: "hvad er tlf nummeret og hvornår har de åbent".

A message is cut at question marks and sentence ends (sentences.py), and before "og", "og så",
",", "samt", "plus" when a new question follows ("og hvornår", ", hvad", "og kan jeg", "og om hun
…"; "og" + a verb only after a question). A part that asks nothing ("Jeg bor i
Horsens.", "min far ryger,") is context: it stays with the question that follows it (or, at the
end, the one before), so its words still count; so does a condition before a question in the same
sentence ("hvad hvis hun er på aflastning, kan hun så træne").

A message dictated without punctuation is read as typed first (dictation.py: "gen optræning",
"otte og firs"), and a long piece without a comma that tells is cut where a question starts inside
it ("… vi bor her i Holbæk kan hun få noget genoptræning").

Not cut: two question words joined by "og" ("hvornår og hvor jeg skal møde" asks one thing
about a time and a place), a piece of punctuation only ("klager??"), and a question after a comma
that offers alternatives ("hvordan søger man, skal man ringe eller udfylde noget") or a guess
("hvem sætter målene, er det lægen"): it narrows the question before it, it does not ask a new one;
nor a relative clause or an indirect question ("et brev, hvor der står …", "bestemme, hvad de
laver"), nor "hvis" (a condition), nor a note without its subject ("har fået badebænk …").

`read_message` gives the pieces in order, each asking or telling: `split_questions` (the answering)
and the conversation's `dialogue.language.split_message` are both built on it, so the two never
disagree on what a message asks.
"""
from __future__ import annotations

import re
from typing import List, NamedTuple, Optional, Set, Tuple

from ..folding import fold
from .corrections import corrected
from .dictation import as_typed
from .sentences import sentences

# The subject may be one of the standards' nouns in the definite form ("snakker terapeuterne
# sammen med hende", "ringer kommunen"); not any noun: "Peter Hansen" is a name. Folded or not.
NOUN_SUBJECT = (r"[a-zæøå]*(?:terapeut|kommun|plej|k[øo]rsel|tr[æa]ning|forl[øo]b|l[æa]g|sygehus|personal|hold|"
                r"cent|medarbejder|visitat|sygeplejersk|klag|ans[øo]gning|afg[øo]relse|bevilling)[a-zæøå]*(?:en|et|ne)")
# Folded, "får" is "far" and "må" is "ma": those ask only with a subject after them ("får jeg",
# "far min mor"), not in "far er stadig indlagt"
_PRONOUN = r"(?:jeg|du|man|hun|han|de|vi|i|min|mit|mine|din|dit|hans|hendes|vores|jeres|der|det|den)"
_SUBJECT = rf"\s+(?:{_PRONOUN}|{NOUN_SUBJECT})\b"
# A question word; not "hvis" (a condition), and not one followed by its own subject after a comma
# ("…Kommune, hvor der bare står …", "bestemme, hvad de laver": a relative clause or an indirect
# question belongs to the sentence before it)
# (nor "hver gang", "hverken", "hvile", "hvid": words that only start like one)
_HV = r"hv(?!is\b|er\b|ert\b|erken\b|erdag|ervers|il(?:e|er|et)\b|id\b|ide\b|idt\b)[a-zæøå]*"
# "har fået badebænk …", "er blevet svag": a note without its subject, not a question
# (also with a word between: "er vist kommet ind på Holstebros side", "er endt på Horsens' side")
_NO_PARTICIPLE = (r"(?!\s+(?:(?:vist|nok|lige|jo|desværre|desvaerre|bare|helt|også|ogsa|nu)\s+)?"
                  r"(?:fået|faet|faaet|fat|haft|været|vaeret|varet|blevet|endt|gået|gaaet|gaet|sket|[a-zæøå]+et)\b)")
_QUESTION_WORD = (
    rf"(?:{_HV}|kan|skal|må|får|(?:ma|far)(?={_SUBJECT})|(?:er|har){_NO_PARTICIPLE}|vil|bliver|galder|gælder|"
    r"findes|tilbyder|koster|hjalper|hjælper|hjaelper"
    # "og om hun må være med": an indirect yes/no question in a note ("vil vide hvem … og om …")
    rf"|om(?={_SUBJECT}))"
)
# "bliver det målt", "søger man begge dele samme sted": a verb in the present tense (-r) followed by
# its subject asks (not "efter det", "der er")
# ("sker der noget", "kommer der en fysioterapeut"; not "mor der er 84": a note about a relative)
_VERB_FIRST = (r"(?!(?:efter|over|under|for|før|der|her|hver|hvor|når|nar|eller|mer|ingen|sommer|vinter"
               r"|mor|far|bror|s[øo]ster|datter|moster|faster|mormor|morfar|farmor|farfar|svoger)\b)[a-zæøå]+r"
               # ("…, og omfatter jeres tilbud også børn")
               rf"\s+(?:jeg|du|man|hun|han|de|vi|det|den|der|alle|nogen|nogle|{NOUN_SUBJECT}"
               r"|(?:jeres|vores|deres)\s+[a-zæøå]+)\b")
# "…, og i hvor mange uger", "og til hvornår": a question word after its preposition (not "i hvert fald")
# ("efter hvilken bestemmelse giver I …", "ud fra hvilke kriterier", "hos hvem")
_PREPOSITION = r"(?:i|på|pa|paa|til|fra|med|for|efter|ud\s+fra|hos|ved|under|af|mod|over)\s+(?=hv(?:or|ad|em|ilk))"
# "og hvornår", ", hvad", "og kan jeg": a new question starts. "og" alone joins words of one
# question ("massage og bassin"), so a question word must follow.
_JOINED = re.compile(
    # (also after a colon: "to ting glemte jeg at spørge om: hvad skal jeg have på, og hvor …")
    rf"(?:[,:]\s*(?:og\s+)?|\s+og\s+(?:så\s+|sa\s+)?|\s+samt\s+|\s+plus\s+)"
    # (not before a plural subject: "dage, hvor smerterne er så slemme" tells when)
    rf"(?=(?:(?:{_PREPOSITION})?{_HV}(?!{_SUBJECT}|\s+[a-zæøå]{{2,}}(?:erne|ene)\b)"
    rf"|(?:kan|skal|må|ma|får|far|er|har|vil){_SUBJECT})\b)"
    # "hvad skal jeg have på og maa min datter komme med": without æøå after "og" alone (after a
    # comma, "faar jeg saa en ny tid" goes on with the question before)
    rf"|(?<!,)\s+og\s+(?=(?:maa|faar){_SUBJECT}\b)"
    rf"|,\s*og\s+(?={_VERB_FIRST})"  # ", og bliver det målt"
    # "kan jeg sende klagen på en mail, og når vi det stadig?": "når" the verb (reach), not "when"
    r"|,\s*og\s+(?=n(?:å|aa|a)r\s+(?:vi|jeg|hun|han|de|man)\s+det\b)"
    # "hvor lang er klagefristen, og vi sender klagen til kommunen eller Ankestyrelsen?": a question in
    # the statement's word order, known by its alternatives and its "?"
    r"|,\s*og\s+(?=(?:vi|jeg|hun|han|de|man)\s+[a-zæøå]+r\b[^,.?!]*\beller\b[^,.?!]*\?)"
    rf"|\s+og\s+(?=om{_SUBJECT})"  # "vil vide hvem der skal træne ham og om hun må være med"
    # "hvor lang tid går der før de ringer tilbage og kommer de så hjem til ham": dictated, no comma
    # (after a piece that asks nothing, the two stay one: see read_message)
    rf"|\s+og\s+(?={_VERB_FIRST})"
    # "klagefrist + adresse", "opringning hvornår + første træning hvornår": searches added together
    r"|\s+\+\s+",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"^\s*(?:og\s+|men\s+)?(?:hvad\s+(?:nu\s+)?hvis|hvis)\b")
_WHAT_IF = re.compile(r"^\s*(?:og\s+|men\s+)?hvad\s+(?:nu\s+)?hvis\b")
_THEN = re.compile(r"\bsa\b")
_ASKS = re.compile(rf"^\s*(?:ja\s+)?(?:og\s+|men\s+|så\s+|sa\s+)*(?:{_PREPOSITION})?(?:{_QUESTION_WORD}\b|{_VERB_FIRST})",
                   re.IGNORECASE)
# The piece before ends in a question word: "hvornår og hvor ..." is one question about both
_ENDS_IN_QUESTION_WORD = re.compile(rf"\b{_HV}\s*$", re.IGNORECASE)
# "hvem skal vi give besked og hvor tidligt": a question word with a word or none narrows the question
# before it; it asks nothing of its own
# (not after another such: "holbæk genoptræning hvor tit og hvor længe" asks two things)
_ELLIPTIC = re.compile(rf"^\s*{_HV}(?:\s+[a-z]+)?\s*[?.!,]*\s*$")
_ENDS_ELLIPTIC = re.compile(rf"\b{_HV}(?:\s+[a-z]+)?\s*$")
# "står der noget i loven om, hvor …": an indirect question after "om" is what the sentence asks about
_ENDS_IN_OM = re.compile(r"\bom\s*$", re.IGNORECASE)
# "Jeg kan aldrig huske, hvad folk siger i telefonen.": after a verb that knows, forgets or tells, a
# question word starts an indirect question, which tells; with "?" it still asks
_ENDS_INDIRECT = re.compile(r"\b(?:huske|husker|glemmer|glemte|glemt|alt|ved|vide|forstar|forsta|misforstar|misforsta"
                            r"|aner|fortalle|forklare|forklarer|hore|horer|horte)"
                            # "Kan du forklare med få ord, hvad en klagefrist er", "misforstår tit, hvad folk siger"
                            r"(?:\s+(?:mig|os|lige|kort|med|fa|ord|pa|almindeligt|dansk|enkelt|nemt|tit|ofte|altid"
                            r"|ikke|aldrig)){0,4}\s*$")
# "Hvor kan jeg se, hvad maden koster …?", "Kan du fortælle mig, hvornår …?": a question whose object is
# an indirect question is one question, with or without "?"
_ASKS_WHAT = re.compile(r"\b(?:se|finde|lase|fa\s+at\s+vide|fortalle|forklare|sige)(?:\s+(?:mig|os|lige|henne)){0,2}\s*$")
# A yes/no question offering alternatives ("skal man ringe eller udfylde noget") after a comma
# names the candidate ways of a "hvordan" question before it
_HOW = re.compile(r"^\s*(?:og\s+|men\s+)?hvordan\b")
_ALTERNATIVES = re.compile(r"\beller\b", re.IGNORECASE)
# "hvem sætter målene, er det lægen": after a comma, "er det …" offers an answer to the question
# before it ("hv…"): it checks a guess, it does not ask something new
_WH = re.compile(rf"^\s*(?:og\s+|men\s+)?{_HV}\b")
_GUESS = re.compile(r"^\s*er\s+det\b")


# "hvis vi søger nu, hvornår hører vi så noget": a condition, then the question
_CONDITION_ASKS = re.compile(rf"^\s*(?:og\s+|men\s+)?hvis\b.*?\b(?:{_HV}|kan|skal|må|ma|får|far|vil|er)"
                             rf"(?:\s+\w+)?{_SUBJECT}", re.IGNORECASE)


# "jeg vil gerne vide …", "jeg undrer mig over …", "borger … spørger hvad … betyder": asking in other words
# (not "Kommunen vil vide, om min far er motiveret": someone else wants to know)
_WANT_TO_KNOW = re.compile(r"(?<!kommunen )(?<!kommune )(?<!de )(?<!terapeuten )(?<!visitatoren )(?<!lagen )"
                           r"\b(?:vil|ville)\s+(?:(?:gerne|bare|lige|godt|egentlig|blot|ogsa|sa|nu)\s+)*(?:vide|hore|sporge)\b"
                           # "spørger om/hvad …" with what is asked after it: not "undskyld jeg spørger,
                           # men …", nor "det er min mor jeg spørger om." (who, not what); "Han
                           # spørger, om centret …" with its comma
                           r"|\bsporgsmal\b|\bsporger\s*,?\s+(?:lige\s+|bare\s+)?(?:om|til|efter|hv\w+)\s+[^\s.!?]"
                           # "Jeg tillader mig derfor at spørge, om man kan komme i betragtning …"
                           r"|\bat\s+sporge\s*,?\s+(?:om|hv\w+)\s+[^\s.!?]"
                           r"|\bjeg\s+undrer\s+mig\b"
                           # "min søster påstår, at man skal betale": a claim the writer doubts, to confirm
                           r"|\bpast(?:ar|od)\b")
# "kan ikke gå på trapper": a note that leaves out "jeg" says what someone cannot do; it asks nothing
_NEGATED_START = re.compile(r"^\s*\w+\s+(?:ikke|ik|ikk|aldrig)\b")


# "min mor er flyttet på plejecenter, kommer der en fysioterapeut": a yes/no question after a comma
# asks, though the piece starts with what is told (a comma alone does not cut a message: "hvis hun
# falder, ringer vi" would be two pieces)
# ("…, tæller store bededag med": a verb that asks about the rules, whatever its subject)
_LATER_ASKS = re.compile(rf",\s*(?:og\s+|men\s+|sa\s+|eller\s+)?(?:(?!(?:bor|boede)\s+i\b){_VERB_FIRST}"
                         r"|(?:taller|galder|koster|dakker|findes|betaler)\s+\w+"
                         # "min mor er 60, kan ældreloven gælde for hende"; not "…, kan ikke gå på trapper"
                         # (nor "Jeg vejer 170 kilo, kan kun gå få skridt": what someone can only do)
                         r"|(?:kan|skal|ma|vil|bliver)\s+(?!(?:ikke|ik|ikk|aldrig|godt|jo|kun|knap|naeppe|snart)\b)\w+)")


# A clause that puts the verb after it in a statement too: "nu hvor han er blevet bedre, kommer de kun to
# gange", "når min genoptræning er færdig, vil jeg gerne fortsætte i et fitnesscenter."
_SUBORDINATE = re.compile(r"^\s*(?:og\s+|men\s+)?(?:nar|nu\s+hvor|nu\s+da|efter\s+at|fordi|selvom|selv\s+om|mens"
                          # "og efter han faldt i november, er han blevet dårlig til at gå."
                          r"|efter\s+(?=(?:han|hun|jeg|vi|de|man|min|mit|mine)\b)"
                          r"|indtil|inden|sa\s+snart|eftersom|siden"
                          # "Hver gang han kommer hjem, er han svagere.", "Så vidt jeg har forstået, skal man …"
                          r"|hver\s+gang|sa\s+vidt)\b")


# "Passer det?", "Har han ret?", "Det kan da ikke passe?", "Kan du forklare mig det?": a request to
# confirm or explain what was just said; it asks about the claim before it and names nothing itself
# (folded)
_CONFIRMS = re.compile(
    r"^\s*(?:og\s+|men\s+)?(?:(?:passer|stemmer|holder)\s+det(?:\s+(?:virkelig|nu|da|egentlig))?"
    r"|(?:er|var)\s+det\s+(?:virkelig\s+|nu\s+|da\s+|ogsa\s+)?(?:rigtigt?|sandt|korrekt|sadan|rimeligt)"
    r"|(?:har|havde)\s+(?:han|hun|de|du|hun\s+da|han\s+da|min\s+\w+)\s+(?:virkelig\s+)?ret"
    r"|kan\s+det\s+(?:virkelig\s+|nu\s+|da\s+)?(?:passe|vare\s+rigtigt?|vare\s+sandt|vare\s+meningen)"
    r"|det\s+kan\s+(?:da\s+|vel\s+|vel\s+ikke\s+|)(?:ikke\s+)?(?:passe|vare\s+rigtigt?|vare\s+meningen)"
    r"|(?:kan|vil)\s+(?:du|i)\s+(?:godt\s+)?(?:forklare|uddybe)(?:\s+(?:mig|os))?\s+det"
    r"|hvad\s+siger\s+(?:du|i)\s+til\s+det)"
    r"(?:\s+(?:eller\s+hvad|eller\s+ej|eller\s+ikke))?\s*[?.!]*\s*$")


# "Jeg forstår ikke, hvorfor …", "Kan du fortælle mig, om …", "Er det rigtigt, at …": how a question is
# put, not what it asks about ("forstår ikke" is otherwise a word of cooperation: "min mor forstår
# ikke, hvad terapeuten siger")
_FRAME = re.compile(
    r"\b(?:jeg\s+forst(?:å|aa|a)r\s+ikke(?:\s+helt)?(?=\s*,?\s*(?:hvorfor|hvad|hvordan)\b)"
    r"|(?:kan|vil)\s+(?:du|i)\s+(?:ikke\s+)?(?:godt\s+)?(?:fortælle|fortaelle|fortalle|forklare)(?:\s+mig|\s+os)?"
    r"|er\s+det\s+(?:virkelig\s+)?(?:rigtigt?|sandt|korrekt)(?=\s*,?\s*at\b)"
    r"|jeg\s+g(?:å|aa|a)r\s+ud\s+fra(?=\s*,?\s*at\b)"
    # "hvor tit er det i så fald": a link to what was said, not a fall
    r"|i\s+s(?:å|aa|a)\s+fald"
    # "Nå ja, to ting glemte jeg at spørge om: …": what follows is asked; forgetting is not
    r"|(?:n(?:å|aa|a)\s+ja\s*,?\s*)?(?:(?:to|tre|en|et\s+par)\s+ting\s+)?glemte\s+jeg\s+(?:at\s+)?"
    r"sp(?:ø|oe|o)rge\s+(?:jer\s+|dig\s+)?om)\s*[,:]?\s*",
    re.IGNORECASE)


def without_frames(question: str) -> str:
    """A question without the words that only frame it ("Kan du fortælle mig, om …")."""
    return _FRAME.sub(" ", question or "")


def confirms(text: str) -> bool:
    """Whether ``text`` only asks to confirm or explain what was said before it ("Passer det?")."""
    return bool(_CONFIRMS.match(fold(text or "")))


def without_confirmations(question: str) -> str:
    """A question without its sentences that only ask to confirm the claim before them: "Min nabo
    påstår, at man kun har 14 dage til at klage. Passer det?" asks about the claim; "passer"
    is not what it asks about. A question of nothing else stays as it is."""
    said = sentences(question)
    kept = [s for s in said if not confirms(s)]
    return " ".join(s.strip() for s in kept) if any(re.search(r"[^\W_]", s) for s in kept) else question


def question_word_first(text: str) -> bool:
    """Whether ``text`` starts with a question word ("hvad koster det?", "og hvornår …"): it asks for
    something its answer must say, where a yes/no question ("er det meningen?") may ask about a story."""
    return bool(_WH.match(fold(text or "")))


def _inverted_statement(before: str, piece: str) -> bool:
    """A verb first after such a clause, ending in a full stop, tells: the order is the statement's
    own ("… er færdig, vil jeg gerne fortsætte i et fitnesscenter."); with "?" or no stop it asks."""
    clause = re.split(r",", before)[-1]  # "Han har ingen familie, og efter han faldt i november, er han …"
    return bool(_SUBORDINATE.match(fold(clause))) and piece.rstrip().endswith(".") and not question_word_first(piece)


def _later_asks(folded: str, part: str) -> bool:
    m = _LATER_ASKS.search(folded)
    if m and re.match(r",\s*sa\s", m.group()) and part.rstrip().endswith("."):
        return False  # "…, så skal han hvile.": what follows, told with "så" first
    return bool(m) and not _inverted_statement(re.split(r",", folded[:m.start()])[-1], part)


def asks(part: str, after_comma: bool = True) -> bool:
    """Whether a piece of a message asks something (a question word or a verb first, asking in other
    words, or a "?"); with ``after_comma`` False, only what it starts with counts ("vedligeholdende,
    og koster det noget" starts with a word, not a question)."""
    folded = fold(part)
    if part.rstrip().endswith("?") or _WANT_TO_KNOW.search(folded):
        return True
    return not _NEGATED_START.match(folded) and bool(_ASKS.match(folded) or _CONDITION_ASKS.match(folded)
                                                     or after_comma and _later_asks(folded, part))


# "holbæk genoptræning hvor tit og hvor længe": a question written as notes, the question word after
# what it is about
_NOTES = re.compile(r"^\s*(?:[\wæøå]+(?:\s+[–-])?\s+){1,3}(?:hvor|hvad|hvornår|hvornar|hvem|hvordan|hvilk\w*)\b",
                    re.IGNORECASE)  # also "genoptræning holstebro – hvilken paragraf"


def _asks_or_names(piece: str) -> bool:
    """``asks``, or a short piece of notes with a question word in it."""
    return asks(piece) or (len(piece.split()) <= 6 and bool(_NOTES.match(piece))
                           and not re.match(r"^\s*(?:min|mit|mine|vores|jeg|hun|han|vi|de)\b", piece, re.IGNORECASE)
                           # "Nu hvor vinteren kommer, kan han så …": "now that", no question word
                           and not re.match(r"^\s*(?:nu|der|her|dengang)\s+hvor\b", piece, re.IGNORECASE))


# A message dictated without punctuation asks in the middle of a sentence: "… i tre uger og vi bor
# her i Holbæk kan hun få noget genoptræning af kommunen", "… for halvanden uge siden hvornår får jeg
# svar". A question starts there after a word that ends what was told - not after a word that puts
# the verb first in a statement ("og nu kan hun knap nok komme op": "nu"), nor after one that makes
# the question indirect ("ved ikke hvad", "spørger om").
_EMBEDDED = re.compile(
    rf"(?P<before>[a-zæøå0-9]+)\s+(?=(?:hvornar|hvordan|hvorfor|hvem|hvad|hvilk\w+|hvor\s+(?:lang|lange|tit|ofte|"
    rf"mange|meget|sent|tidligt|skal|kan|ligger|henne|langt))\b"
    # "… selv betale er det rigtigt det troede jeg": a claim to confirm
    rf"|er\s+det\s+(?:nu\s+)?(?:rigtigt?|sandt|meningen|normalt|rimeligt)\b"
    # a verb and its subject; not "I" (you): "hun skal i bad", "min far i Holstebro" ("får" folded is
    # "far"); not "efter en lungebetændelse kan hun ikke selv gå", a statement with what came first put
    # first (but "… kan jeg ikke bare skrive direkte til Ankestyrelsen" asks)
    rf"|(?:kan|skal|ma|far|vil|galder|koster)\s+(?:hun|han|jeg|vi|de|man|min|mit|mine|vores|der|{NOUN_SUBJECT})\b"
    rf"(?!\s+(?:\w+\s+)?(?:ikke|ik|aldrig|heller)\s+(?:selv|mere|laengere|langere|huske|ga|klare|komme|finde"
    rf"|rejse|sta|spise|sove|lave|kore|tale)\b))")
_NO_QUESTION_AFTER = frozenset((
    "nu", "sa", "da", "derfor", "her", "der", "ogsa", "altsa", "alligevel", "og", "men", "at", "om", "hvis",
    "nar", "som", "hvor", "selv", "heller", "ikke", "jo", "vel", "bare", "faktisk", "snart", "igen", "stadig",
    "senere", "bagefter", "tit", "ofte", "aldrig", "altid", "maske", "nok", "dog", "ved", "vide", "sporger",
    "sporge", "forstar", "undrer", "hore", "af", "sted", "det", "til", "sige", "se", "eller", "hvad", "ja",
    "hej", "nej", "tror", "mener", "synes", "siger", "sagde", "skriver", "fordi", "mens", "indtil", "inden",
    "efter", "for", "med", "pa", "i", "fra", "om", "end", "lige", "kun", "vist", "hvordan", "hvornar",
    # verbs and words an indirect question follows: "kan ikke huske hvad de siger"
    "huske", "forklare", "fortalle", "bestemme", "valge", "finde", "tjekke", "rigtig", "rigtigt",
    # "hun glemmer alt hvad de siger i telefonen"
    "alt", "glemmer", "glemte", "aner"))
MIN_UNPUNCTUATED_WORDS = 8


def _unpunctuated_pieces(piece: str) -> List[str]:
    """A long piece without a comma that asks nothing where it starts, cut where a question starts
    in it (see _EMBEDDED): what is told, then the question."""
    if "," in piece or len(piece.split()) < MIN_UNPUNCTUATED_WORDS or _asks_or_names(piece):
        return [piece]
    folded = fold(piece)
    cut = next((m.end() for m in _EMBEDDED.finditer(folded)
                if m.group("before") not in _NO_QUESTION_AFTER and len(folded[:m.start()].split()) >= 2), None)
    if cut is None:
        return [piece]
    # folding may shorten words ("fået" → "fat"): the cut is found again by counting words
    at = list(re.finditer(r"\S+", piece))[len(folded[:cut].split())].start()
    return [piece[:at], piece[at:]]


# "hvem siger ja eller nej til genoptræning? lægen?", "hvor lang tid kan hun gå der? altid?", "…
# telefon nummer?": a few words after a question, asking nothing of their own but for the "?", guess
# or narrow its answer (not "og kørsel?": "og" adds a question). Before a question, a word or two
# name its topic ("tolk? min mor taler kun somali. kan kommunen betale tolk …"). After a question that
# is such a fragment itself, one asks of its own: "visitationsbesøg hjemme? ventetid?" is two searches.
MAX_GUESS_WORDS = 4
MAX_TOPIC_WORDS = 2
_HAS_QUESTION_WORD = re.compile(rf"\b(?:{_HV})\b")


def _fragment(piece: str, max_words: int) -> bool:
    folded = fold(piece).strip()
    return (folded.endswith("?") and len(folded.split()) <= max_words and not re.match(r"(?:og|men|eller)\b", folded)
            and not _HAS_QUESTION_WORD.search(folded) and not asks(folded.rstrip(" ?")))


# "hvem er det der bestemmer om hun får det? er det hendes læge eller?", "Fra hvilken dag tæller
# klagefristen? Er det fra den dag, det kom?": a guess at the answer of the question word before
MAX_GUESS_SENTENCE_WORDS = 8
_WH_WITH_PREPOSITION = re.compile(rf"^\s*(?:og\s+|men\s+)?(?:{_PREPOSITION})?{_HV}\b")


# "hvad betyder vedvarende her? at man aldrig kan træne alene?", "hvad vil det sige at være 'svækket
# over tid'? er det bare en pæn måde at sige gammel": a guess at what a word means, of any length
_DEFINES = re.compile(r"^\s*(?:og\s+)?(?:hvad\s+(?:betyder|menes|mener|vil\s+det\s+sige|er\s+meningen))\b")
_MEANING_GUESS = re.compile(r"^\s*(?:at\b|er\s+det\b|betyder\s+det\b)")


def _guessed(question: str, piece: str) -> bool:
    """Whether ``piece``, a sentence after ``question``, guesses the answer of its last sentence."""
    folded, asked = fold(piece), fold(_last_sentence(question))
    if _DEFINES.match(asked) and _MEANING_GUESS.match(folded):
        return True
    # (not "Er det også gratis at blive kørt …?": "også" adds a question)
    return (bool(_WH_WITH_PREPOSITION.match(asked)) and bool(_GUESS.match(folded))
            and not re.search(r"\bogsa\b", folded)
            and (bool(re.search(r"\beller\b", folded)) or len(folded.split()) <= MAX_GUESS_SENTENCE_WORDS))


def _last_sentence(text: str) -> str:
    said = [s for s in sentences(text) if re.search(r"[^\W_]", s)]
    return said[-1] if said else text


# An outcry: "?!" or "!?" after a question ("… 12 uger?! Er det virkelig alt, I kan tilbyde?"), or
# a question nobody expects answered ("Hvad bilder I jer ind, kan I bare stoppe det sådan?")
_RHETORICAL = re.compile(r"^\s*(?:og\s+|men\s+)?(?:hvad\s+bilder\s+(?:i|de|du|kommunen)\s+(?:jer|dem|dig|sig)\s+ind"
                         r"|hvad\s+tanker\s+(?:i|de|du)\s+pa|er\s+(?:i|de)\s+(?:helt\s+)?(?:gale|vaek|vak|tossede))\b")


# "Jeg ville egentlig bare høre:", "to ting glemte jeg at spørge om:": it announces a question, which follows
_ONLY_WANTS_TO_KNOW = re.compile(r"\b(?:vide|hore|sporge|sporger)(?:\s+om)?\s*[:,.]?\s*$")


# "Et helt andet spørgsmål: vi er lige flyttet …", "Nu et spørgsmål om min far, som bor i Horsens.",
# "Vores nabo påstår, at kørsel er gratis hos dem.": a question announced or a claim reported, told
# before the question itself (not "… påstår, at … Passer det?": then the claim is what is asked)
_ANNOUNCES = re.compile(r"\bsporgsmal\b|\bpast(?:ar|od)\b")


def _announces(piece: str) -> bool:
    folded = fold(piece)
    return (bool(_ANNOUNCES.search(folded)) and not piece.rstrip().endswith("?") and not _ASKS.match(folded)
            and not _later_asks(folded, piece))


def _exclaimed(sentence: str, after: str) -> bool:
    """Whether ``sentence`` is a question followed by "!" ("hen?!"), or an exclamation by "?" ("!?")."""
    end = sentence.rstrip()[-1:]
    rest = after.strip()
    return bool(rest) and not re.search(r"[^\W_]", rest) and (end == "?" and "!" in rest or end == "!" and "?" in rest)


_ADDS = re.compile(r"\s*(?:og|men|eller)\b")


def _question_follows(rest: List[Tuple[int, str]], first_only: bool = False) -> bool:
    """A question follows in ``rest``, not added by "og" ("…?! Og hvem bestemmer …" asks two things);
    ``first_only``: only the piece right after may not start with "og" ("tolk? min mor taler kun
    somali. kan kommunen …": what follows a word or two tells, then asks)."""
    asking = next((p for _, p in rest if asks(p)), None)
    return asking is not None and not _ADDS.match(fold(rest[0][1] if first_only else asking))


# "… til den? Venlig hilsen Mette", "Mvh. Jonas, visitator": a letter's closing, at its end, says nothing asked
_SIGNATURE = re.compile(r"(?<=[.?!\n])\s*(?:med\s+)?(?:venlig(?:st)?\s+hilsen|mvh|vh|kh|hilsen|de\s+bedste\s+hilsner)\b"
                        r"[.,:]?(?:\s+[^\s.?!]+[.,]?){0,5}\s*$", re.IGNORECASE)


class Piece(NamedTuple):
    text: str
    asks: bool
    sentence: int   # which sentence of the message it is in (0, 1, …)


def read_message(text: str) -> List[Piece]:
    """The pieces of a message in order, each with whether it asks. A condition before
    a question in the same sentence tells ("hvad hvis min far er på aflastning, kan han så træne");
    "og"/"men" before a question is left out."""
    if not (text or "").strip():
        return []
    # "gen optræning", "otte og firs" (dictated), "… om ugen.. nej vent, jeg mener hvor lang tid varer det"
    text = _SIGNATURE.sub("", corrected(as_typed(text)))
    pieces: List[Tuple[int, str]] = []  # (sentence number, piece)
    searches: Set[Tuple[int, str]] = set()  # pieces added together by "+": each one is searched for
    said = sentences(text)
    vented = {n for n in range(len(said) - 1) if _exclaimed(said[n], said[n + 1])}
    for n, sentence in enumerate(said):
        if not re.search(r"[^\W_]", sentence):
            continue  # "??" or "!": nothing asked
        joined: List[str] = []
        start, separator = 0, ""
        for cut in [*_JOINED.finditer(sentence), None]:
            piece = sentence[start:cut.start() if cut else len(sentence)]
            if joined and separator.strip() != "+" and (_ENDS_IN_QUESTION_WORD.search(joined[-1]) or (
                    _ELLIPTIC.match(fold(piece)) and not _ENDS_ELLIPTIC.search(fold(joined[-1]))) or (
                    separator.strip() == "," and _ENDS_IN_OM.search(joined[-1])) or (
                    separator.strip() == "," and _ENDS_INDIRECT.search(fold(joined[-1])) and question_word_first(piece)
                    and not piece.rstrip().endswith("?")) or (
                    separator.strip() == "," and _ASKS_WHAT.search(fold(joined[-1])) and question_word_first(piece)
                    and asks(joined[-1], after_comma=False)) or (
                    # "min mand har angst og får det skidt i grupper": a verb after "og" asks anew
                    # only after a question ("hvad koster det, og er det hver uge")
                    "og" in separator and not question_word_first(piece) and not _asks_or_names(joined[-1])
                    and len(_unpunctuated_pieces(joined[-1])) == 1) or (
                    separator.strip() == "," and _HOW.match(fold(joined[-1]))
                    and _ALTERNATIVES.search(piece)) or (
                    separator.strip() == "," and question_word_first(joined[-1]) and _GUESS.match(fold(piece))) or (
                    # "Hvilket lovgrundlag og hvilken vejledning henviser I til": two nouns, one verb
                    "og" in separator and _ELLIPTIC.match(fold(joined[-1])) and not _ELLIPTIC.match(fold(piece)))):
                joined[-1] += separator + piece
            elif piece.strip(" ,.;"):
                if separator.strip() == "+":
                    searches.update((n, p.strip()) for p in (joined[-1:] + [piece]))
                joined.append(piece)
            if cut:
                start, separator = cut.end(), cut.group()
        pieces.extend((n, p) for piece in joined for p in _unpunctuated_pieces(piece))
    read: List[Piece] = []
    for k, (n, piece) in enumerate(pieces):
        piece = piece.strip()
        # "hvad hvis min far er på aflastning, kan han så træne": the condition belongs to the question
        condition = _CONDITION.match(fold(piece)) and k + 1 < len(pieces) and (pieces[k + 1][0] == n or (
            # "Hvad nu hvis min mor får hjemmehjælp hver dag? Kan hjemmeplejen så tage over med træningen?":
            # the question after it asks what then
            _WHAT_IF.match(fold(piece)) and asks(pieces[k + 1][1]) and _THEN.search(fold(pieces[k + 1][1]))))
        inverted = k > 0 and pieces[k - 1][0] == n and _inverted_statement(pieces[k - 1][1], piece)
        if read and read[-1].asks and (confirms(piece) or read[-1].sentence != n and (
                _fragment(piece, MAX_GUESS_WORDS) and not _fragment(read[-1].text, MAX_GUESS_WORDS)
                or _guessed(read[-1].text, piece))):
            # "Jeg forstår ikke, hvad … skal gøre for mig. Kan du forklare mig det?", "hvem laver mål for
            # min far? ham selv eller terapeut?": one question
            read[-1] = Piece(f"{read[-1].text} {piece}", True, read[-1].sentence)
        elif (k == 0 and _fragment(re.sub(r"^(?:og|men)\s+", "", piece, flags=re.I), MAX_TOPIC_WORDS)
              and _question_follows(pieces[1:], first_only=True) and not _fragment(pieces[1][1], MAX_GUESS_WORDS)):
            # (also "og kørslen? bliver hun hentet derhjemme": a follow-up names its topic, then asks)
            read.append(Piece(piece, False, n))  # "tolk? … kan kommunen betale tolk": the topic of what follows
        elif (_ONLY_WANTS_TO_KNOW.search(fold(piece)) and k + 1 < len(pieces) and asks(pieces[k + 1][1])
              or _announces(piece) and _question_follows([(m, p) for m, p in pieces[k + 1:] if not confirms(p)])):
            # "Jeg ville egentlig bare høre: hvor tit …": the question follows the words that announce it
            read.append(Piece(piece, False, n))
        elif (n in vented or _RHETORICAL.match(fold(piece))) and _question_follows(pieces[k + 1:]):
            # "Så skal hun bare sidde derhjemme og visne hen?! Kan I virkelig afvise hende af den grund?":
            # an outcry before the question it leads to tells how the writer feels; it asks nothing
            read.append(Piece(piece, False, n))
        elif (_asks_or_names(piece) or (n, piece) in searches) and not condition and not inverted:
            read.append(Piece(re.sub(r"^(?:og|men)\s+", "", piece, flags=re.I), True, n))
        else:
            read.append(Piece(piece, False, n))
    return read


# "hvor sender jeg en klage hen, og hvad er fristen": a question about one noun in its definite form
# after another question in the same sentence asks about that one's thing (the complaint's
# deadline, not every deadline). Not any short question: "hvad koster kørsel og hvor foregår
# træningen" asks two things, and the first one's words would lead the second astray.
_ITS = re.compile(r"^\s*(?:hvad|hvem|hvornar|hvor\s+\w+)\s+er\s+(?:den\s+|det\s+)?[a-z]+(?:en|et|ne)\s*[?.!]*\s*$")


# "…klage over afslaget … Og hvor lang tid har jeg?", "…ringer til mig? Og hvor længe kan der gå?": a
# question for a length of time that names nothing else asks it of the question before it (the
# complaint's deadline, the call's waiting time; the standards give many). Not any short question:
# "hvor tit bliver det så" and "hvornår kan jeg ringe" are answered by their own words.
_SUBJECTLESS = re.compile(r"^\s*(?:og\s+|men\s+)?(?:hvor\s+(?:lang\s+tid|lange?)\s+(?:har|kan|skal|tager)\s+"
                          r"(?:jeg|vi|hun|han|de|man|det|der)(?:\s+(?:ga|vare|tage|vente))?"
                          # "…sende klagen på en mail, og når vi det overhovedet stadig?": in time for it
                          r"|na(?:a)?r\s+(?:jeg|vi|hun|han|de|man)\s+det(?:\s+(?:overhovedet|stadig|nu|endnu|i\s+tide))*"
                          # "kan han få kørsel til træningen og hvad koster det pr tur": the price of it
                          r"|hvad\s+koster\s+(?:det|den)(?:\s+(?:sa|egentlig|ham|hende|os|mig|pr\.?\s*(?:tur|gang)"
                          r"|om\s+ugen|hver\s+gang))*)"
                          r"\s*[?.!]*\s*$")


def split_questions(text: str) -> List[str]:
    """The questions in a message, each with the context before it ([] for an empty message); a
    question about "its" deadline or price after another in the same sentence has that one before
    it, as a sentence of its own, so that the ranking still weighs its own words most
    (asking_sentence)."""
    questions: List[str] = []
    context: List[str] = []
    before: Optional[Piece] = None  # the question just before, with what it carries
    for piece in read_message(text):
        if piece.asks:
            if not context and before is not None and (
                    before.sentence == piece.sentence and _ITS.match(fold(piece.text))
                    or _SUBJECTLESS.match(fold(piece.text))):
                context = [before.text.rstrip(" ,?.") + "."]
            questions.append(" ".join(context + [piece.text]))
            before = Piece(questions[-1], True, piece.sentence)
            context = []
        else:
            context.append(piece.text)
            before = None
    if context:
        if questions:
            questions[-1] = " ".join([questions[-1]] + context)
        else:
            questions.append(" ".join(context))
    return questions


# A call-centre note: "… spørger til kørsel", "datter spørger om hun må være med"
_NOTE_ASKS = re.compile(r"\bsp(?:ø|o|oe)rger\s*,?\s+(?:til|om|efter)\s+(.+)$", re.IGNORECASE)


def sentence_before(question: str, asking: str) -> Optional[str]:
    """The sentence before ``asking`` (one of ``question``'s sentences), or None: "Jeg vil klage over
    det faglige, ikke over afgørelsen." before "Hvor gør man det?"."""
    said = [s.strip() for s in sentences(question) if re.search(r"[^\W_]", s)]
    at = max((k for k, s in enumerate(said) if s == asking.strip()), default=None)
    return said[at - 1] if at else None


def asking_sentence(question: str) -> Optional[str]:
    """The last sentence that asks, in a question of several sentences (one of split_questions):
    "Min far er 89 og bor alene. … Kan han få hjælp til at træne sig op igen?" → the last one;
    in a note, what follows "spørger til/om". None for a question of one sentence."""
    said = [s for s in sentences(question) if re.search(r"[^\W_]", s)]
    note = _NOTE_ASKS.search(said[-1]) if said else None
    if note:  # "borger 84 år, faldet, spørger til kørsel": what the note says is asked
        return note.group(1).strip()
    if len(said) < 2:
        return None
    # (also once its frame is gone: "Nå ja, to ting glemte jeg at spørge om hvad skal jeg have på")
    asking = next((k for k in range(len(said) - 1, -1, -1) if asks(said[k]) or asks(without_frames(said[k]).strip())),
                  None)
    if asking is not None and asking > 0 and confirms(said[asking]) and not confirms(said[asking - 1]):
        # "Min nabo påstår, at … Passer det?": the claim before a request to confirm it is what is asked
        return said[asking - 1].strip()
    return said[asking].strip() if asking is not None else None
