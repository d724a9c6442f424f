"""Rasa's Redis lock store with each change of a conversation's lock made atomically.

Rasa 3.6's ``RedisLockStore`` changes a lock by reading it (``GET``), changing it in Python and
writing it back (``SET``): two Rasa servers that take a ticket for one conversation at the same time
can both read the same lock and issue the same ticket number, or one overwrites the other's ticket,
and then both handle the conversation at once (RasaHQ/rasa#9213; docs/deployment.md). ``cleanup``
also checks whether someone waits and then deletes the lock: a ticket issued in between is
deleted with it, and its server fails with "Could not acquire lock".

``AtomicRedisLockStore`` makes each of those read-change-write steps one optimistic Redis
transaction (``WATCH`` the lock's key, ``MULTI``/``EXEC``; done again when another server changed
the key in between), the way redis-py documents it. The lock itself, its JSON and its keys are
Rasa's, so servers running either class share locks. With it, the load balancer may send any
message to any Rasa server: two messages of one conversation are served one after the other.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# What a change does to the lock: write it (a TicketLock), delete it (DELETE), or leave it (KEEP)
DELETE, KEEP = "delete", "keep"
MAX_ATTEMPTS = 100  # another server changed the lock this often in a row: something is wrong


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket, update, finish and clean-up are each one transaction."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # as Rasa makes a lock store named by its module path
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text,
                change: Callable[[Optional[TicketLock]], Tuple[Any, Any]]) -> Any:
        """Apply ``change`` (lock → (what to do with it, result)) to the stored lock atomically."""
        import redis

        key = self.key_prefix + conversation_id
        for _ in range(MAX_ATTEMPTS):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    outcome, result = change(lock)
                    if outcome == KEEP:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    if outcome == DELETE:
                        pipe.delete(key)
                    else:
                        pipe.set(key, outcome.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock in between: read it again
        raise LockError(f"The lock for conversation '{conversation_id}' kept changing.")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except LockError:
            raise
        except Exception as e:  # as Rasa's: any failure to take a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{e}")

    def update_lock(self, conversation_id: Text) -> None:
        def without_expired(lock: Optional[TicketLock]) -> Tuple[Any, None]:
            if lock is None:
                return KEEP, None
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, without_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finished(lock: Optional[TicketLock]) -> Tuple[Any, None]:
            if lock is None:
                return KEEP, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finished)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish the ticket, and delete the lock if no one waits - in one step, so a ticket another
        server takes meanwhile is never deleted with it."""
        def cleaned(lock: Optional[TicketLock]) -> Tuple[Any, Optional[bool]]:
            if lock is None:
                return KEEP, None
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                return lock, False
            return DELETE, True

        deleted = self._change(conversation_id, cleaned)
        if deleted is not None:
            self._log_deletion(conversation_id, bool(deleted))
