"""Where a sentence ends in a message as people write it, for the splitter and the corrections.

At "?", "!", a line break, and "." followed by a space - not after an abbreviation ("el.", "evt.",
"kl. 9", "kr." unless a capitalised word follows) or an ordinal ("paa 3. sal", "den 2. juni"); ".."
ends one too.
"""
from __future__ import annotations

import re
from typing import List

_ABBREVIATIONS = "".join(rf"(?<!\b{a}\.)" for a in ("el", "evt", "ca", "kl", "nr", "fx", "jf", "pga", "mht", "osv",
                                                   "dvs", "bl.a", "f.eks", "tlf", "stk"))
# "den 2. juni", "på 3. sal", "i 4. uge": an ordinal, not the end of "min mor er 79. kan hun …"
_ORDINAL_NOUN = (r"(?!(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb"
                 r"|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|sal|etage|sal|klasse|gang|uge|dag|maned|måned|"
                 r"time|del|behandling|forsøg|forsog)\b)")
# "50 kr. HVER gang", "Kan hjpl. se planen", "bgr. har VFF 2 x ugl. hos privat fys": after "kr." and
# the shorthand professionals write, a sentence ends only before a capitalised word ("… 50 kr. Hvad
# med kørsel?", "… genoptr. Hvem visiterer?"), not before a word in lower case or in capitals
_SOFT = ("kr", "genoptr", "vedl", "træn", "bgr", "hjpl", "pt", "ugl", "vis", "fys", "sygepl", "hjemmesygepl",
         "udskr", "indl", "mdr", "md", "sagsbeh", "lægesekr", "sekr", "ass", "træningsass", "ift", "mhp", "m",
         "sosu-ass", "udskr.sygepl", "ergo", "afd", "amb")
# (one choice, not one per abbreviation: a chain of choices would backtrack exponentially)
_SOFT_END = "(?:(?=\\s+[A-ZÆØÅ][a-zæøå])|" + "".join(rf"(?<!\b{a}\.)" for a in _SOFT) + ")"
SENTENCE_END = re.compile(rf"(?<=[?!])\s*|(?<=[.]){_ABBREVIATIONS}{_SOFT_END}(?<!\d\.)\s+(?=\D)"
                          rf"|(?<=\d\.)\s+{_ORDINAL_NOUN}(?=\D)|\n+")


def _open_quote(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close (»…«, “…”, "…")."""
    return text.count("»") > text.count("«") or text.count("“") > text.count("”") or text.count('"') % 2 == 1


def sentences(text: str) -> List[str]:
    """The sentences of ``text``, as written (pieces of punctuation only included). A quotation is
    part of the sentence that quotes it: »Er du pårørende? – få en samtale …« asks nothing of its own."""
    said = SENTENCE_END.split(text or "")
    if not any(q in (text or "") for q in '»“"'):
        return said
    joined: List[str] = []
    for piece in said:
        if joined and _open_quote(joined[-1]):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def last_sentence_start(text: str) -> int:
    """Where the last sentence of ``text`` starts."""
    ends = [m.end() for m in SENTENCE_END.finditer(text or "") if m.end() < len((text or "").rstrip())]
    return ends[-1] if ends else 0
