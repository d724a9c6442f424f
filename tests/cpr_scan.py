"""Find CPR numbers in everything the servers wrote: every row of every SQLite database (every text
value, and every string inside a JSON value, so "\\u2013" and other escapes are read as the
characters they stand for), and every other file (as text, and every JSON string in it).

The rule is the masking rule itself (training_guidance/cpr.py), so any format the channels must
mask is looked for. Ids that are random hex (Rasa's 32-hex ids, socket.io session ids, session
hashes, keyed hashes) and UUIDs are left out first: random digit runs in them can look like a date
and four digits, and a user's CPR number inside such a token is impossible (letters between).
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator, List, Tuple

from training_guidance.cpr import mask_cpr

_IDS = re.compile(r"(?i)(?<![0-9a-f])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,})(?![0-9a-f])")
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        try:
            inner = json.loads(value)
        except ValueError:
            inner = None
        if isinstance(inner, (dict, list)):
            yield from _strings(inner)
        for literal in _JSON_STRING.findall(value):  # JSON inside logs and other text
            try:
                yield json.loads(literal)
            except ValueError:
                pass
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def found_in(value: Any) -> List[str]:
    """The CPR-like numbers in ``value`` (strings, JSON in strings, nested structures)."""
    leaks = []
    for text in _strings(value):
        masked, found = mask_cpr(_IDS.sub(" ", text))
        if found:
            leaks.append(text[:200])
    return leaks


def _sqlite_rows(path: Path) -> Iterator[Tuple[str, Any]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                yield table, row
    finally:
        conn.close()


def scan(folder: Path) -> Tuple[List[Tuple[str, str]], int]:
    """(leaks as (where, text), number of rows and files read) under ``folder``."""
    leaks: List[Tuple[str, str]] = []
    read = 0
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        if path.read_bytes()[:16] == b"SQLite format 3\x00":
            for table, row in _sqlite_rows(path):
                read += 1
                leaks += [(f"{path.name}:{table}", text) for text in found_in([v for v in row if isinstance(v, str)])]
        else:
            read += 1
            leaks += [(path.name, text) for text in found_in(path.read_text(encoding="utf-8", errors="replace"))]
    return leaks, read
