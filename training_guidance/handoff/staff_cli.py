"""`tg staff ...`: personal staff accounts for the staff console (training_guidance/handoff/accounts.py).

  tg staff add NAME --role sagsbehandler --kommune 0661 [--kommune 0615 | --kommune alle]
  tg staff passwd NAME                  a new password (asked twice, or one line on stdin with --password-stdin)
  tg staff disable NAME                 no more logins; open sessions end at once
  tg staff enable NAME
  tg staff list

Passwords are never arguments (they would be in the shell's history and the process list): they are
asked for, or read from standard input with --password-stdin.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from .accounts import ROLES, AccountError, AccountStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("staff", help="staff accounts (the staff console's logins)")
    p.add_argument("--database", default=None, help="database URL (default: TG_DATABASE_URL or data/records.db)")
    cmd = p.add_subparsers(dest="staff_command", required=True)
    p_add = cmd.add_parser("add", help="a new personal account")
    p_add.add_argument("name")
    p_add.add_argument("--role", required=True, choices=list(ROLES))
    p_add.add_argument("--kommune", action="append", required=True, metavar="KODE",
                       help="a kommunekode the account may see (repeat it), or 'alle'")
    p_add.add_argument("--password-stdin", action="store_true", help="read the password as one line on stdin")
    p_add.add_argument("--update", action="store_true", help="if the account exists: set these values and the password")
    p_passwd = cmd.add_parser("passwd", help="set a new password")
    p_passwd.add_argument("name")
    p_passwd.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        cmd.add_parser(name, help=f"{name} an account").add_argument("name")
    cmd.add_parser("list", help="every account")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Adgangskode: ")
    if getpass.getpass("Gentag adgangskoden: ") != first:
        raise AccountError("De to adgangskoder er ikke ens.")
    return first


def run(args: argparse.Namespace) -> int:
    from .cli import os_user
    from .store import RecordStore

    store = RecordStore(args.database)
    accounts = AccountStore(store.engine)
    try:
        if args.staff_command == "add":
            member = accounts.add(args.name, args.role, args.kommune, _password(args), by=f"cli:{os_user()}",
                                  update_existing=args.update)
            store.note(None, f"cli:{os_user()}", "konto_oprettet", name=member.name, role=member.role,
                       municipalities=list(member.municipalities))
            print(f"Kontoen {member.name} er klar ({member.role}; kommuner: {', '.join(member.municipalities)}).")
        elif args.staff_command == "passwd":
            accounts.set_password(args.name, _password(args))
            store.note(None, f"cli:{os_user()}", "adgangskode_skiftet", name=args.name)
            print(f"Ny adgangskode for {args.name}.")
        elif args.staff_command in ("disable", "enable"):
            accounts.set_enabled(args.name, args.staff_command == "enable")
            store.note(None, f"cli:{os_user()}", f"konto_{'åbnet' if args.staff_command == 'enable' else 'spærret'}",
                       name=args.name)
            print(f"Kontoen {args.name} er {'åbnet' if args.staff_command == 'enable' else 'spærret'}.")
        else:
            _list(accounts)
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    return 0


def _list(accounts: AccountStore) -> None:
    rows = accounts.list()
    if not rows:
        print("Ingen personalekonti. Opret en med: tg staff add NAVN --role sagsbehandler --kommune 0661")
        return
    print(f"{'Bruger':<30} {'Rolle':<18} {'Kommuner':<20} {'Status':<8} {'Login':<8} Seneste login (UTC)")
    for r in rows:
        source = "lokal" if r["source"] == "lokal" else "SSO"
        last = (r["last_login_at"] or "-")[:16].replace("T", " ")
        print(f"{r['name']:<30} {r['role']:<18} {','.join(r['municipalities']):<20} "
              f"{'aktiv' if r['enabled'] else 'spærret':<8} {source:<8} {last}")
