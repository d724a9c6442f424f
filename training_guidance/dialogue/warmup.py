"""Pay the core's first-use costs when a server starts, not in the first citizen's reply.

In a fresh process the first message loads the knowledge, builds the search indexes and the
word lists they use (about half a second of CPU: the first reply took 340 ms where the next took
13). The action server runs a short conversation through the core before it opens its port, so
readiness means ready. Nothing is stored: ``respond`` is a pure step.
"""
from __future__ import annotations

from .context import Context
from .converse import respond
from .state import Conversation
from .turn import Turn

# A situation that starts the interview, and a question answered from a standard
MESSAGES = ("min mor på 82 i holstebro er faldet og er blevet meget svag", "hvad koster kørsel?")


def warm_up(ctx: Context) -> int:
    """Run ``MESSAGES`` through the core once; the number of replies (for the log)."""
    state, replies = Conversation(), 0
    for text in MESSAGES:
        state, said = respond(state, Turn(text=text), ctx)
        replies += len(said)
    return replies
