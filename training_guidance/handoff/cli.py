"""`tg records ...`: the municipality's tools for the records store.

  tg records migrate                      create or upgrade the tables (Alembic)
  tg records list [--status fejlet]       newest first
  tg records show TG-2026-000001          one record, its status history and audit trail
  tg records export [REF ...] [--out F]   JSON in the handover format (all records without REF)
  tg records retry TG-2026-000001         deliver again to the targets it has not reached
  tg records purge [--days N] [--chat-days N] [--dry-run]
  tg records relay [--once] [--interval 5]

Every view and export is in the audit log with who made it: `--by NAME` (a staff account: only
the municipalities it may see are shown), else the operating system's user (`cli:<user>`).
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from .accounts import AccountError, AccountStore, visible_codes
from .config import ConfigError, HandoffConfig
from .retention import DailyPurge, purge_all
from ..knowledge import cached_knowledge
from ..texts import has, say
from ..texts.facts import described_facts
from .contact import CALL_TIMES, ROLES

STATUS_WORDS = {"modtaget": "modtaget", "overført": "overført", "fejlet": "FEJLET"}


def outcome_words(outcome: str) -> str:
    key = f"outcome_title_{outcome}"
    return say(key) if has(key) else outcome


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("records", help="the records store (applications)")
    p.add_argument("--database", default=None, help="database URL (default: TG_DATABASE_URL or data/records.db)")
    rec = p.add_subparsers(dest="records_command", required=True)
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument("--by", default=None, metavar="NAME",
                    help="the staff account this is done for: the audit log names it, and only its municipalities "
                         "are shown (default: the operating system's user, everything)")
    rec.add_parser("migrate", help="create or upgrade the tables")
    p_list = rec.add_parser("list", help="list applications, newest first", parents=[by])
    p_list.add_argument("--status", choices=["modtaget", "overført", "fejlet"])
    p_list.add_argument("--limit", type=int, default=200)
    p_show = rec.add_parser("show", help="one application", parents=[by])
    p_show.add_argument("reference")
    p_export = rec.add_parser("export", help="JSON in the handover format", parents=[by])
    p_export.add_argument("references", nargs="*")
    p_export.add_argument("--out", type=Path, default=None)
    p_retry = rec.add_parser("retry", help="deliver again")
    p_retry.add_argument("reference")
    p_purge = rec.add_parser("purge", help="delete records and chats older than the retention period")
    p_purge.add_argument("--days", type=float, default=None, help="records (default TG_RECORD_RETENTION_DAYS, 90)")
    p_purge.add_argument("--chat-days", type=float, default=None,
                         help="chat conversations (default TG_CHAT_RETENTION_DAYS, 30)")
    p_purge.add_argument("--dry-run", action="store_true")
    p_relay = rec.add_parser("relay", help="deliver pending applications to the targets")
    p_relay.add_argument("--once", action="store_true")
    p_relay.add_argument("--interval", type=float, default=None, help="seconds between rounds (TG_RELAY_INTERVAL)")
    p_relay.add_argument("--purge-every-hours", type=float, default=24.0,
                         help="delete what is older than the retention periods this often (0: never)")


def run(args: argparse.Namespace) -> int:
    from .store import RecordStore

    try:
        config = HandoffConfig.from_env()
    except ConfigError as exc:
        print(f"Fejl i opsætningen: {exc}", file=sys.stderr)
        return 2
    store = RecordStore(args.database)
    try:
        args.actor, args.codes = who(store, config, getattr(args, "by", None))
        return COMMANDS[args.records_command](store, config, args)
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyError as exc:
        print(f"Ukendt reference: {exc.args[0]}", file=sys.stderr)
        return 1
    finally:
        store.dispose()


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no name for this uid (a container)
        import os

        return str(os.getuid())


def who(store, config, by: Optional[str]) -> Tuple[str, Optional[FrozenSet[str]]]:
    """(the audit log's actor, the kommunekoder shown; None: all) for this command."""
    if not by:
        return f"cli:{os_user()}", None
    member = AccountStore(store.engine).member(by)
    if member is None:
        raise AccountError(f"--by {by}: der er ingen aktiv personalekonto med det navn (tg staff list).")
    return member.actor, visible_codes(member, config)


def _visible(record: Optional[Dict[str, Any]], codes: Optional[FrozenSet[str]]) -> bool:
    return record is not None and (codes is None or record.get("municipality_code") in codes)


def _migrate(store, config, args) -> int:
    store.migrate()
    print(f"Databasen er opdateret (revision {store.revision()}).")
    return 0


def _list(store, config, args) -> int:
    rows = [r for r in store.list_applications(limit=args.limit if args.codes is None else 10 ** 9, status=args.status)
            if _visible(r, args.codes)][:args.limit]
    store.note(None, args.actor, "liste_vist", references=[r["reference"] for r in rows], via="cli")
    if not rows:
        print("Ingen ansøgninger.")
        return 0
    print(f"{'Reference':<16} {'Modtaget (UTC)':<20} {'Kommune':<12} {'Status':<10} {'Vurdering'}")
    for r in rows:
        print(f"{r['reference']:<16} {r['created_at'][:19].replace('T', ' '):<20} {r['municipality_name']:<12} "
              f"{STATUS_WORDS.get(r['status'], r['status']):<10} {outcome_words(r['outcome'])}")
    return 0


def _show(store, config, args) -> int:
    record = store.get_application(args.reference)
    if not _visible(record, args.codes):  # another municipality's record is as unknown as a wrong one
        raise KeyError(args.reference)
    store.note(args.reference, args.actor, "vist", via="cli")
    print(render_record(record))
    print("\nLog:")
    for entry in store.audit_trail(args.reference):
        detail = ", ".join(f"{k}={v}" for k, v in entry["detail"].items() if v not in (None, [], ""))
        print(f"  {entry['at'][:19].replace('T', ' ')}  {entry['actor']:<9} {entry['action']}  {detail}")
    return 0


def _export(store, config, args) -> int:
    from .store import iter_references

    refs = args.references or [r["reference"] for r in reversed(store.list_applications(limit=10 ** 9))
                               if _visible(r, args.codes)]
    records: List[Dict[str, Any]] = list(iter_references(store, refs))
    for record in records:
        if not _visible(record, args.codes):
            raise KeyError(record["reference"])
    payload: Any = records[0] if len(args.references) == 1 else records
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"{len(records)} ansøgning(er) gemt i {args.out}")
    else:
        print(text)
    for ref in refs:
        store.note(ref, args.actor, "eksporteret", to=str(args.out) if args.out else "stdout", via="cli")
    return 0


def _retry(store, config, args) -> int:
    count = store.retry(args.reference)
    print(f"{args.reference}: sendes igen til {count} mål." if count else f"{args.reference} er allerede overført.")
    return 0


def _purge(store, config, args) -> int:
    days = args.days if args.days is not None else config.record_retention_days
    chat_days = args.chat_days if args.chat_days is not None else config.chat_retention_days
    if args.dry_run:
        result, chats = store.purge(days, dry_run=True), None
    else:
        explicit = args.days is not None or args.chat_days is not None  # one period for all, as asked
        done = purge_all(store, days, chat_days, config=None if explicit else config)
        result, chats = done.records, done.conversations
    verb = "ville blive slettet" if args.dry_run else "slettet"
    print(f"Ansøgninger ældre end {days:g} dage: {len(result['deleted'])} {verb}.")
    if result["kept_undelivered"]:
        print(f"  {len(result['kept_undelivered'])} er ikke overført til kommunen og er IKKE slettet: "
              + ", ".join(result["kept_undelivered"]))
    if chats is not None:
        print(f"Samtaler ældre end {chat_days:g} dage: {chats} slettet.")
        print(f"Ubesvarede spørgsmål ældre end {chat_days:g} dage: {done.questions} slettet.")
    return 0


def _relay(store, config, args) -> int:
    from .. import health, metrics
    from ..logging_json import configure
    from ..settings import HOST, get_settings
    from .relay import Relay, outbox_backlog, targets_from_config

    configure("relay")
    relay = Relay(store, targets_from_config(config))
    if args.once:
        report = relay.run_once()
        print(f"Overført: {len(report.delivered)}, prøver igen: {len(report.retrying)}, fejlet: {len(report.failed)}")
        return 0
    settings = get_settings()
    interval = args.interval if args.interval is not None else settings.relay_interval
    stopping = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.append(True))
    server = None
    if settings.relay_health_port:
        metrics.watch_outbox(store.url, lambda: outbox_backlog(store))
        checks = {"database": health.database_check(store.url), "relay": health.relay_check(settings)}
        server = health.serve(settings.web_host or HOST, settings.relay_health_port, checks, metrics.exposition)
    targets = ", ".join(config.targets) if not config.by_code else \
        ", ".join(f"{code}: {'+'.join(m.targets)}" for code, m in sorted(config.by_code.items()))
    logging.getLogger(__name__).info("relay started: targets %s, a round every %g s", targets, interval)
    relay.run_forever(interval, should_stop=lambda: bool(stopping),
                      on_round=DailyPurge(store, config, args.purge_every_hours),
                      on_success=lambda: health.write_heartbeat(settings))
    if server is not None:
        server.shutdown()
    return 0


def render_record(record: Dict[str, Any]) -> str:
    """A record as Danish text for a caseworker."""
    contact, applicant, assessment = record["contact"], record["applicant"], record["assessment"]
    lines = [
        f"Ansøgning {record['reference']} ({STATUS_WORDS.get(record['status'], record['status'])})",
        f"Modtaget: {record['created_at'][:19].replace('T', ' ')} UTC via {record['channel']}",
        f"Kommune: {record['municipality_name']} ({record['municipality_code']})",
        f"Kvalitetsstandard: {record['standard']['file'] or 'ingen'}"
        + (f" af {record['standard']['date']}" if record['standard']['date'] else ""),
        f"Borger: {contact['citizen_name']}",
        f"Søges af: {ROLES.get(applicant['role'], applicant['role'])}"
        + (f" ({applicant['relation']})" if applicant.get("relation") else "")
        + (f", fuldmagt: {applicant['fuldmagt'].replace('_', ' ')}" if applicant.get("fuldmagt") else ""),
    ]
    if contact.get("contact_name"):
        lines.append(f"Kontaktperson: {contact['contact_name']}")
    lines += [
        f"Telefon: {contact['phone']}  ({CALL_TIMES.get(contact['call_time'], contact['call_time'])})",
        f"E-mail: {contact.get('email') or '-'}",
        f"Adresse: {contact.get('address') or '-'}",
        "Oplyst:" if record["facts"] else "Oplyst: intet",
    ]
    lines += [f"  {label}: {value}" for label, value in described_facts(cached_knowledge(), record["facts"])]
    lines.append(f"Vejledende vurdering: {outcome_words(assessment['outcome'])}"
                 + (f" – {assessment['legal_basis']}" if assessment.get("legal_basis") else ""))
    for reason in assessment.get("reasons", []):
        lines.append(f"  {'✔' if reason['met'] else '✘'} {reason['text']} (Kilde: {reason['source']})")
    for deadline in record.get("deadlines", []):
        lines.append(f"Frist {deadline['date']}: {deadline['text']} (Kilde: {deadline['source']})")
    lines.append(f"Samtykke: version {record['consent']['version']}, givet {record['consent']['given_at'][:19]}")
    lines.append("Status: " + " → ".join(f"{h['status']} ({h['at'][:16].replace('T', ' ')})"
                                          for h in record["status_history"]))
    return "\n".join(lines)


COMMANDS = {"migrate": _migrate, "list": _list, "show": _show, "export": _export, "retry": _retry,
            "purge": _purge, "relay": _relay}
