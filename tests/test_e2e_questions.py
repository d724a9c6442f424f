"""Questions as people write them, over REST through Rasa, each in a fresh conversation: the reply
contains the labelled fact and its source (at least 100 questions of the held-out set)."""
import uuid

import pytest

from e2e import say, texts
from question_set import expected_parts, load
from test_dialogue_questions import expected_texts
from training_guidance.knowledge import load_knowledge
from training_guidance.texts.voice import FEMALE_RELATIONS, MALE_RELATIONS

pytestmark = [pytest.mark.servers, pytest.mark.timeout(900)]
KB = load_knowledge()
ANSWERED = [e for e in load("heldout") if any(p is not None for p in expected_parts(e))]


def test_mindst_hundrede_spoergsmaal_faar_det_maerkede_svar_med_kilde_over_rest(servers, capsys):
    assert len(ANSWERED) >= 100
    hits, misses = 0, []
    for entry in ANSWERED:
        sender = f"spoergsmaal-{uuid.uuid4().hex[:10]}"
        if entry.get("conversation"):
            name = next(m.name for m in KB.municipalities.municipalities if m.code == entry["conversation"])
            say(servers, sender, f"jeg bor i {name}")
        body_metadata = {"kommune": entry["page"]} if entry.get("page") else None
        replies = say(servers, sender, entry["q"], metadata=body_metadata)
        text = texts(replies)
        wanted = [t[:60] for p in expected_parts(entry) if p for t in expected_texts(KB, p)]
        lowered = text.lower()
        if "Kilde:" in text and any(w.lower()[:40] in lowered or _third_person_match(w, lowered) for w in wanted):
            hits += 1
        else:
            misses.append(f"{entry['q']!r} → {text[:120]!r}")
    share = hits / len(ANSWERED)
    with capsys.disabled():
        print(f"\nOver REST: {hits}/{len(ANSWERED)} spørgsmål fik det mærkede svar med kilde ({share:.1%})")
        for miss in misses:
            print(f"  {miss}")
    assert hits >= 100 and share >= 0.85, misses[:15]


_PERSON_WORDS = {"du", "dig", "din", "dit", "dine", "hun", "han", "hende", "ham", "hendes", "hans", "sig", "sin", "sit",
                 "sine", "personen", "personens", "vedkommende", "vedkommendes", "borgeren", "borgerens"}


# ... and the relative's name for the person ("Mens din far træner, kan han få hjælp …" is the item "Mens
# du træner, kan du få hjælp …" said to a son)
_RELATION_WORDS = {w + s for w in FEMALE_RELATIONS | MALE_RELATIONS for s in ("", "s")} | {"jeres"}


def _content(text: str) -> str:
    return " ".join(w for w in text.lower().replace(",", " ").replace(".", " ").split()
                    if w not in _PERSON_WORDS and w not in _RELATION_WORDS)


def _third_person_match(wanted: str, reply: str) -> bool:
    """A relative's question gets the item in third person ("Dine pårørende …" becomes "Personens
    pårørende …"): compare the words that are not the person's pronouns."""
    words = wanted.lower().split()
    if len(words) > 4 and " ".join(words[2:6]) in reply:
        return True
    content = _content(wanted).split()
    return len(content) > 4 and " ".join(content[:4]) in _content(reply)
