"""`tg`: the engine from the command line, for people and tests.

  tg validate                       load and validate all knowledge files (synonyms.yml too)
  tg assess SITUATION.json --kommune Holstebro [--today 2026-11-23] [--json]
  tg answer Holstebro transport     the Danish answer with its source
  tg deadline 2026-12-18 10 working_days
  tg records list|show|export|retry|purge|relay|migrate   the applications (handoff/cli.py)
  tg staff add|passwd|disable|enable|list                 staff accounts (handoff/staff_cli.py)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import List, Optional

from . import clock
from .assessment import assess
from .handoff import cli as records_cli
from .handoff import staff_cli
from .deadlines import danish_date, deadline_date
from .knowledge import KnowledgeError, Topic, load_knowledge
from .knowledge.schema import Period, PeriodUnit
from .municipalities import find_municipality


def _code(kb, text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    found = find_municipality(text, kb)
    if found is None:
        raise SystemExit(f"Ukendt kommune: {text}")
    return found.code


def _assessment_text(kb, situation: dict, code: Optional[str], today: dt.date) -> str:
    """The assessment as the assistant says it, then everything behind "Læs mere"."""
    from .dialogue import verdict
    from .dialogue.context import Context
    from .dialogue.state import Conversation
    from .dialogue.turn import Replies

    ctx, out = Context(kb=kb, today=today), Replies()
    result = assess(situation, code, today, kb)
    state = Conversation(facts=dict(situation), code=code, voice_kind="citizen", track=result.track,
                         outcome=result.outcome)
    verdict.conclude(state, result, ctx, out)
    verdict.read_more(state, ctx, out)
    text = "\n\n".join(r.text for r in out if r.key != "more_or_apply")
    if result.missing:
        text += "\n\nMangler: " + ", ".join(result.missing)
    return text


def _answer_text(kb, code: Optional[str], question: str, today: dt.date, offer: Optional[str]) -> str:
    from .dialogue import answers
    from .dialogue.context import Context
    from .dialogue.state import Conversation
    from .dialogue.turn import Replies

    out = Replies()
    answers.answer(Conversation(code=code, track=offer), question, Context(kb=kb, today=today), code, False, out)
    return out.texts


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="tg", description="Træningsguiden: vidensbase og vurdering")
    parser.add_argument("--knowledge", type=Path, default=None, help="knowledge folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="load and validate all knowledge files")
    p_assess = sub.add_parser("assess", help="assess a situation given as JSON")
    p_assess.add_argument("situation", help="JSON file, or - for standard input")
    p_assess.add_argument("--kommune", default=None)
    p_assess.add_argument("--today", type=dt.date.fromisoformat, default=clock.today())
    p_assess.add_argument("--json", action="store_true", help="print the assessment payload as JSON")
    p_answer = sub.add_parser("answer", help="answer a question from a municipality's standard")
    p_answer.add_argument("kommune")
    p_answer.add_argument("question", nargs="+", help='the question in Danish, e.g. "hvad koster kørsel"')
    p_answer.add_argument("--offer", choices=["stk1", "stk2"], default=None)
    p_answer.add_argument("--today", type=dt.date.fromisoformat, default=clock.today())
    p_deadline = sub.add_parser("deadline", help="a deadline as a date")
    p_deadline.add_argument("start", type=dt.date.fromisoformat)
    p_deadline.add_argument("value", type=int)
    p_deadline.add_argument("unit", choices=[u.value for u in PeriodUnit])
    records_cli.register(sub)
    staff_cli.register(sub)
    args = parser.parse_args(argv)

    if args.command == "records":
        return records_cli.run(args)
    if args.command == "staff":
        return staff_cli.run(args)

    if args.command == "deadline":
        end = deadline_date(args.start, Period(value=args.value, unit=PeriodUnit(args.unit)))
        print(danish_date(end) if end else "Ingen dato for den enhed.")
        return 0
    try:
        kb = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        print(f"Fejl i vidensbasen: {exc}", file=sys.stderr)
        return 2
    if args.command == "validate":
        from .answering.synonyms import validate_synonyms

        try:
            synonyms = validate_synonyms(kb)
        except KnowledgeError as exc:
            print(f"Fejl i vidensbasen: {exc}", file=sys.stderr)
            return 2
        items = sum(1 for s in kb.standards.values() for _ in s.all_items())
        print(f"OK: {len(kb.standards)} kvalitetsstandarder, {items} punkter, "
              f"{len(kb.national.items)} nationale regler, {len(kb.municipalities.municipalities)} kommuner, "
              f"{len(synonyms.groups)} synonymgrupper.")
        return 0
    if args.command == "assess":
        raw = sys.stdin.read() if args.situation == "-" else Path(args.situation).read_text(encoding="utf-8")
        situation, code = json.loads(raw), _code(kb, args.kommune)
        result = assess(situation, code, args.today, kb)
        if args.json:
            payload = result.as_payload()
            payload["missing"] = result.missing
            print(json.dumps({"assessment": payload}, ensure_ascii=False, indent=2))
        else:
            print(_assessment_text(kb, situation, code, args.today))
        return 0
    if args.command == "answer":
        print(_answer_text(kb, _code(kb, args.kommune), " ".join(args.question), args.today, args.offer))
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
