"""Find and mask CPR numbers however people write them. Plain Python, no dependencies: it runs
inside the Rasa process (bot/channels.py), in the action server and in the records store.

A CPR number is a date (DDMMYY) and four digits. People write it as ``0101451234``,
``010145-1234``, ``01 01 45 12 34``, ``01.01.45-1234``, ``01/01/45-1234``, ``cpr-010145-1234``,
``CPR-nr.-0101451234``, ``010145 - 1234``, with a four-digit year (``01.01.1945-1234``), with an en
dash, a non-breaking hyphen, ``_``, double or non-breaking spaces, and phones and copy-paste put
invisible characters (zero-width space, soft hyphen, direction marks) between the digits.

The rule: six digits that form a date that can exist (or DDMM + a four-digit year 18xx-20xx),
then four digits. Between the groups (DD, MM, YY, the last four): separators (dashes of every
kind, spaces of every kind, ``_ . , /`` and backslash), at most two, or three before the last four; inside
the last four at most one space; invisible characters anywhere; no digit right before or after
(nor ``:``, ``.`` or ``,`` and a digit after: a time).
What it leaves alone: Danish phone numbers (8 digits: ``12 34 56 78``, ``+45 20304050``), dates on
their own, prices, times (``24.12.26 14.30``: only a space may split the last four digits) and
references like ``TG-2026-000123``.

Masking more than needed is the safe side: ten digits that happen to start with a date are masked.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, List, Tuple

__all__ = ["CPR_MASK", "mask_cpr", "contains_cpr", "mask_values"]

CPR_MASK = "[CPR-nummer fjernet]"

# Between the groups of a CPR number: every kind of dash (Unicode category Pd: hyphen, non-breaking
# hyphen, figure dash, en and em dash ...), the minus sign, every kind of space (\s: also NBSP, thin
# and narrow spaces, line breaks), the underscore, dot, slash and backslash.
_DASHES = "".join(chr(c) for c in range(0x2010, 0x2016)) + "\u2212\u2043\ufe58\ufe63\uff0d\u058a\u05be\u1806\u2e3a\u2e3b"
_SEP = rf"[\s\-_.,/\\{_DASHES}]"
_CPR = re.compile(
    rf"(?<!\d)(\d\d){_SEP}{{0,2}}(\d\d){_SEP}{{0,2}}((?:18|19|20)\d\d|\d\d){_SEP}{{0,3}}\d\d\s?\d\d(?!\d|[:.,]\d)"
)


def _invisible(char: str) -> bool:
    """Format characters (zero-width space and joiners, soft hyphen, word joiner, direction marks,
    BOM): invisible, so they may sit anywhere inside a number."""
    return unicodedata.category(char) == "Cf"


def _is_date(dd: str, mm: str, year: str) -> bool:
    try:
        if len(year) == 4:
            dt.date(int(year), int(mm), int(dd))
        else:  # the century is unknown: 29 February counts in any year divisible by four
            dt.date(2000 if int(year) % 4 == 0 else 2001, int(mm), int(dd))
    except ValueError:
        return False
    return True


def _spans(text: str) -> List[Tuple[int, int]]:
    """The (start, end) of every CPR-like number in ``text``, as indices into ``text``."""
    kept = [i for i, c in enumerate(text) if not _invisible(c)]
    if len(kept) == len(text):
        view, where = text, None
    else:
        view, where = "".join(text[i] for i in kept), kept
    spans: List[Tuple[int, int]] = []
    pos = 0
    while True:
        m = _CPR.search(view, pos)
        if m is None:
            break
        if _is_date(*m.groups()):
            start, end = m.span()
            spans.append((start, end) if where is None else (where[start], where[end - 1] + 1))
            pos = end
        else:  # not a date here: a CPR number may still start at the next digit
            pos = m.start() + 1
    return spans


def mask_cpr(text: str) -> Tuple[str, bool]:
    """The text with every CPR-like number replaced by ``CPR_MASK``, and whether there was one."""
    text = text or ""
    spans = _spans(text)
    if not spans:
        return text, False
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], CPR_MASK]
        last = end
    parts.append(text[last:])
    return "".join(parts), True


def contains_cpr(text: str) -> bool:
    return bool(_spans(text or ""))


def mask_values(value: Any) -> Tuple[Any, bool]:
    """Every string inside ``value`` (dict keys and values, lists, tuples) masked, and whether
    anything was; other values are returned as they are."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        found = False
        out = {}
        for key, item in value.items():
            new_key, key_found = mask_values(key)
            new_item, item_found = mask_values(item)
            out[new_key] = new_item
            found = found or key_found or item_found
        return out, found
    if isinstance(value, (list, tuple)):
        items = [mask_values(v) for v in value]
        return [v for v, _ in items], any(f for _, f in items)
    return value, False
