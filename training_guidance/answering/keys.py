"""How an answerable item is named: in the question set, the synonyms file and the staff console."""
from __future__ import annotations

from typing import Optional

NATIONAL = "national"


def item_key(code: Optional[str], offer: Optional[str], item_id: str) -> str:
    """"national:<id>", "<kommunekode>:<id>" (the whole standard) or "<kommunekode>:<offer>:<id>"."""
    if code is None:
        return f"{NATIONAL}:{item_id}"
    return f"{code}:{offer}:{item_id}" if offer else f"{code}:{item_id}"
