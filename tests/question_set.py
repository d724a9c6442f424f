"""The question set in tests/questions/: loading, and measuring the answering engine on it.

A question counts once per question it asks (a message with two questions counts twice):
- top-1 / top-3: the first hit / one of the first three is labelled as answering it;
- false "not found": nothing found although the standard or the national rules answer it;
- wrong municipality: the message resolved to another municipality than labelled, or a hit
  from another municipality;
- answered although not answerable: found, for a question labelled `none` (reported only);
- off-topic answered: found, for a question marked `off_topic` (about something else than
  training): the off-topic false-positive rate.
"""
from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from training_guidance.answering import answer_question, indexes, message_municipality, split_questions

QUESTIONS = Path(__file__).resolve().parent / "questions"


def load(part: str) -> List[Dict]:
    """"dev" or "heldout" to "heldout7"."""
    with (QUESTIONS / f"{part}.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def expected_parts(entry: Dict) -> List[Optional[List[str]]]:
    """One list of acceptable key patterns per question asked; None for "not answered"."""
    parts = entry["parts"] if "parts" in entry else [entry["a"]]
    return [None if p == "none" else list(p) for p in parts]


def matches(keys, patterns: List[str]) -> bool:
    return any(fnmatch.fnmatchcase(k, p) for k in keys for p in patterns)


@dataclass
class Report:
    questions: int = 0          # questions with a labelled answer
    top1: int = 0
    top3: int = 0
    not_found: int = 0          # false "not found"
    unanswerable: int = 0       # questions labelled none
    answered_unanswerable: int = 0
    off_topic: int = 0          # questions marked off_topic (a subset of those labelled none)
    answered_off_topic: int = 0
    wrong_municipality: int = 0
    messages: int = 0
    wrong_split: int = 0
    seconds: float = 0.0        # time spent ranking
    rankings: int = 0
    failures: List[str] = field(default_factory=list)

    def share(self, n: int) -> float:
        return n / self.questions if self.questions else 0.0

    @property
    def off_topic_rate(self) -> float:
        return self.answered_off_topic / self.off_topic if self.off_topic else 0.0

    @property
    def ms_per_question(self) -> float:
        return 1000 * self.seconds / self.rankings if self.rankings else 0.0

    def summary(self) -> str:
        return (
            f"{self.messages} beskeder, {self.questions} spørgsmål med svar, {self.unanswerable} uden: "
            f"top-1 {self.share(self.top1):.1%}, top-3 {self.share(self.top3):.1%}, "
            f"falsk 'ikke fundet' {self.share(self.not_found):.1%} ({self.not_found}), "
            f"forkert kommune {self.wrong_municipality}, "
            f"svar uden at standarden svarer {self.answered_unanswerable}/{self.unanswerable}, "
            f"svar på emnefremmede {self.answered_off_topic}/{self.off_topic} ({self.off_topic_rate:.0%}), "
            f"forkert opdelt {self.wrong_split}, {self.ms_per_question:.2f} ms pr. rangering"
        )


def evaluate(kb, entries: List[Dict]) -> Report:
    report = Report()
    indexes(kb)  # built once per knowledge base; not part of the time per question
    for entry in entries:
        report.messages += 1
        text = entry["q"]
        choice = message_municipality(kb, text, entry.get("conversation"), entry.get("page"))
        if choice.code != entry["code"]:
            report.wrong_municipality += 1
            report.failures.append(f"KOMMUNE {text!r}: {choice.code} != {entry['code']}")
        expected = expected_parts(entry)
        parts = split_questions(text)
        if len(parts) != len(expected):
            report.wrong_split += 1
            report.failures.append(f"OPDELING {text!r}: {parts}")
            parts = [text] * len(expected) if len(parts) < len(expected) else parts[:len(expected)]
        for part, patterns in zip(parts, expected):
            start = time.perf_counter()
            result = answer_question(kb, part, code=choice.code, offer=entry.get("offer"), limit=3)
            report.seconds += time.perf_counter() - start
            report.rankings += 1
            if any(h.code not in (None, entry["code"]) for h in result.hits):
                report.wrong_municipality += 1
                report.failures.append(f"KOMMUNE-HIT {part!r}: {[h.key for h in result.hits]}")
            got = [h.key for h in result.hits]
            if patterns is None:
                report.unanswerable += 1
                report.off_topic += bool(entry.get("off_topic"))
                if result.found:
                    report.answered_unanswerable += 1
                    report.answered_off_topic += bool(entry.get("off_topic"))
                    tag = "EMNEFREMMED" if entry.get("off_topic") else "SVAR-UDEN"
                    report.failures.append(f"{tag} {part!r} ({entry['code']}): {got}")
                continue
            report.questions += 1
            if not result.found:
                report.not_found += 1
                report.failures.append(f"IKKE-FUNDET {part!r} ({entry['code']}) forventet {patterns}")
                continue
            if matches(result.hits[0].keys, patterns):
                report.top1 += 1
            if any(matches(h.keys, patterns) for h in result.hits[:3]):
                report.top3 += 1
            else:
                report.failures.append(f"TOP3 {part!r} ({entry['code']}): {got} forventet {patterns}")
    return report
