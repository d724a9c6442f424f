"""What a dialogue step needs from outside: the knowledge, today, and the deployment's choices."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import FrozenSet, Optional

from ..knowledge import KnowledgeBase


@dataclass(frozen=True)
class Context:
    kb: KnowledgeBase
    today: dt.date
    # Kommunekoder this deployment sends applications for; None: every municipality with a standard.
    handoff_codes: Optional[FrozenSet[str]] = None
    record_retention_days: int = 90
    chat_retention_days: int = 30
    extra: dict = field(default_factory=dict)

    def served(self, code: Optional[str]) -> bool:
        """Whether an application for this municipality can be sent from here."""
        if not code:
            return False
        return code in (self.handoff_codes if self.handoff_codes is not None else self.kb.standards)

    def municipality_name(self, code: Optional[str]) -> Optional[str]:
        entry = next((m for m in self.kb.municipalities.municipalities if m.code == code), None)
        return entry.name if entry else None

    def has_standard(self, code: Optional[str]) -> bool:
        return self.kb.standard_for(code) is not None
