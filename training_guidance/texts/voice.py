"""Who the assistant talks to, and the standards' du-form text said to that reader.

The quality standards address the citizen as "du". A relative reads about "din mor", and staff read
about "borgeren", so an item is rewritten for them: the first "du" of a sentence names the person,
later ones use the pronoun; "dig" becomes "hende" (or "sig" where the person is also the subject,
"henvende sig"); "din/dit/dine" becomes "sin/sit/sine" in the person's own clause and "din mors"
elsewhere. Text about relatives themselves ("Du kan som pårørende …") stays addressed to the relative.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

# Relation nouns (as the understanding writes them) by grammatical person: hun / han / vedkommende.
FEMALE_RELATIONS = {"mor", "mormor", "farmor", "bedstemor", "oldemor", "kone", "hustru", "søster", "lillesøster",
           "storesøster", "datter", "svigermor", "svigerinde", "svigerdatter", "moster", "faster", "tante",
           "kusine", "niece", "stedmor", "papmor"}
MALE_RELATIONS = {"far", "morfar", "farfar", "bedstefar", "oldefar", "mand", "bror", "lillebror", "storebror", "søn",
         "svigerfar", "svoger", "svigersøn", "morbror", "farbror", "onkel", "fætter", "nevø", "stedfar", "papfar"}

KINDS = ("citizen", "relative", "staff")
# (subject, object, possessive) by reader, and for a relative by the person's gender.
_PRONOUNS = {
    "citizen": ("du", "dig", "din"),
    "staff": ("borgeren", "borgeren", "borgerens"),
    "female": ("hun", "hende", "hendes"),
    "male": ("han", "ham", "hans"),
    "neutral": ("vedkommende", "vedkommende", "vedkommendes"),
}


@dataclass(frozen=True)
class Voice:
    """citizen: "du"; relative: about ``relation`` ("din mor"); staff: about "borgeren"."""

    kind: str = "citizen"
    relation: Optional[str] = None  # "din mor", "jeres far"; None: "personen"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown voice {self.kind!r}")

    @property
    def who(self) -> str:
        """The person the advice is about, as this reader calls them."""
        if self.kind == "citizen":
            return "du"
        if self.kind == "staff":
            return "borgeren"
        return self.relation or "personen"

    @property
    def _pronouns(self) -> Tuple[str, str, str]:
        """(subject, object, possessive) once the person is named."""
        if self.kind != "relative":
            return _PRONOUNS[self.kind]
        noun = self.relation.split()[-1] if self.relation else ""
        return _PRONOUNS["female" if noun in FEMALE_RELATIONS else "male" if noun in MALE_RELATIONS else "neutral"]

    @property
    def she(self) -> str:
        """The pronoun for the person once named (subject): "hun", "han", "vedkommende"."""
        return self._pronouns[0]

    @property
    def her(self) -> str:
        """Object form: "Vi ringer til hende"."""
        return self._pronouns[1]

    @property
    def hers(self) -> str:
        """Possessive once named: "hendes", "hans", "vedkommendes"."""
        return self._pronouns[2]

    @property
    def whose(self) -> str:
        """Possessive when naming: "din" (the reader's own), "din mors", "borgerens"."""
        if self.kind == "relative":
            return f"{self.who}s" if self.relation else "personens"
        return self._pronouns[2]

    def values(self) -> dict:
        """Template values: {who}, {Who}, {she}, {her}, {whose} and capitalised forms."""
        base = {"who": self.who, "she": self.she, "her": self.her, "whose": self.whose}
        return {**base, **{k.capitalize(): capitalise(v) for k, v in base.items()}}


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A comma before a preposition goes on with the same clause ("Du kan træne på centret, i dit hjem"
# → "Din mor kan træne på centret, i sit hjem")
_CLAUSE = re.compile(r",(?!\s*(?:i|på|hos|til|fra|med|ved|uden)\b)|\b(?:og|men|eller|hvis|når|fordi|så|da|at|som|mens)\b",
                     re.IGNORECASE)
_PRONOUN = re.compile(r"\b(du|dig|din|dit|dine)\b", re.IGNORECASE)
# Verbs whose "dig" is the subject itself ("du skal henvende dig", "henvender du dig") and becomes "sig".
_REFLEXIVE = re.compile(
    r"\b(henvend\w*|meld\w*|tilmeld\w*|afmeld\w*|klar\w*|føl\w*|bevæg\w*|skynd\w*|hvil\w*|læg\w*|sæt\w*|"
    r"rejs\w*|vask\w*|klæd\w*|forbered\w*|bruge?|interesser\w*|gør|forbedr\w*|træne?)(?:\s+du)?\s+$",
    re.IGNORECASE)  # "(?:du)": a question or a condition puts the verb first ("Henvender du dig i dag")
# Text that speaks to a relative as "du": "Du kan som pårørende …", "Er du pårørende, …".
_ABOUT_RELATIVE = re.compile(r"\b(?:som|er|være|bliver)\s+pårørende\b|\bpårørende\s+som\s+dig\b", re.IGNORECASE)
# Text about relatives that speaks to the citizen: "Dine pårørende kan bede om et forløb til dig".
_CITIZENS_RELATIVES = re.compile(r"\bdine?\s+pårørende", re.IGNORECASE)


def in_voice(text: str, voice: Voice, about_relatives: bool = False) -> str:
    """The standards' du-form ``text`` as ``voice`` should read it."""
    if voice.kind == "citizen":
        return text
    # An item on relatives speaks to the relative ("Er du pårørende? Så kan du …"), unless it
    # speaks to the citizen about their relatives
    if _ABOUT_RELATIVE.search(text) or about_relatives and not _CITIZENS_RELATIVES.search(text):
        if voice.kind == "relative":
            return text  # addressed to the relative: "du" is right
        return _rewrite(text, person="den pårørende", pronoun="vedkommende", obj="den pårørende",
                        poss="den pårørendes", poss_named="den pårørendes")
    return _rewrite(text, voice.who, _second(voice), voice.her, voice.whose, voice.hers)


def _second(voice: Voice) -> str:
    # Staff: "Borgeren kan få hjælp, hvis vedkommende …" rather than "borgeren" twice.
    return "vedkommende" if voice.kind == "staff" else voice.she


def _sentences(text: str):
    """Sentences with their trailing whitespace, so joining them gives the text back."""
    parts, last = [], 0
    for m in _SENTENCE.finditer(text):
        parts.append(text[last:m.end()])
        last = m.end()
    parts.append(text[last:])
    return parts


def _rewrite(text: str, person: str, pronoun: str, obj: str, poss: str, poss_named: str) -> str:
    named = [False]  # the person is named once per text, then referred to by the pronoun
    return "".join(_rewrite_sentence(s, person, pronoun, obj, poss, poss_named, named) for s in _sentences(text))


def _rewrite_sentence(sentence: str, person: str, pronoun: str, obj: str, poss: str, poss_named: str,
                      named: list) -> str:
    out, last, subject_clause = [], 0, -1
    for m in _PRONOUN.finditer(sentence):
        word = m.group(1)
        low = word.lower()
        before = sentence[:m.start()]
        clause = len(_CLAUSE.findall(before))
        if low == "du":
            replacement = pronoun if named[0] else person
            named[0], subject_clause = True, clause
        elif low == "dig":
            if subject_clause == clause and _REFLEXIVE.search(before):
                replacement = "sig"
            elif subject_clause == clause and sentence[m.end():m.end() + 5].lower().startswith(" selv"):
                replacement = "sig"
            else:
                replacement = obj
        else:  # din / dit / dine
            if subject_clause == clause:
                replacement = {"din": "sin", "dit": "sit", "dine": "sine"}[low]
            else:
                replacement = poss_named if named[0] else poss
        named[0] = True  # once named ("for din mor"), later mentions use the pronoun ("hun")
        if word[0].isupper() and (m.start() == 0 or before.rstrip().endswith((".", "!", "?", ":", "\"", "«"))
                                  or not before.strip()):
            replacement = capitalise(replacement)
        out.append(sentence[last:m.start()])
        out.append(replacement)
        last = m.end()
    out.append(sentence[last:])
    return "".join(out)
