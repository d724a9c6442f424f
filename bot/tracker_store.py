"""Rasa's SQL tracker store, loading a bounded number of recent events per message.

Rasa 3.6's ``SQLTrackerStore.retrieve`` reads and replays every event since the session started,
on every message (and the channels read the tracker once more for the payload check); ``save``
counts those rows again to find the new events. So the cost of a message grew with the length of
the conversation, and the policies then featurised the whole history.

This bot keeps the conversation's state in slots (and the application form's ``active_loop``);
the policies look a few actions back (MemoizationPolicy ``max_history`` 4; the rules are
shorter). ``CappedSQLTrackerStore.retrieve`` therefore loads the last ``TG_SESSION_MAX_EVENTS``
events since the session start, cut back to the first ``action_listen`` in them (so the history
starts at a turn boundary; never after the turn in which the latest application started, whose
events prove its consent: from there the cost grows again until the conversation ends), and
puts before them what the older events left behind: the
session's ``session_started`` event, the latest value of every slot set earlier, and the latest
``active_loop`` event with the user message before it (the form's trigger message). Replayed,
that tracker has the same slots, form, latest message and the same recent turns as the full one
(tests/test_tracker_store.py compares them turn by turn, with the states the policies featurise).

``save`` writes exactly the events appended since the tracker was loaded (it remembers how many
it loaded), so nothing is written twice or lost; rows in the table are the same as with Rasa's
store. Both run statements built once per store (``_Queries``), not ORM queries built per call.
The buttons of turns older than the window are not in the tracker: the channels' payload check
(bot/channels.py) reads the whole session with ``retrieve_session`` when a payload is not one of
the latest buttons, so an old button still means what it says.
``retrieve_full_tracker`` (Rasa's HTTP API, exports) still reads everything.

The database work of ``retrieve`` and ``save`` runs on the store's own thread(s), not on the
server's event loop: Rasa's store waits for the database (a commit's write to disk, PostgreSQL's
round trips) on the loop, and the server handles no other message meanwhile. The loop awaits the
result, so one message's load and save still come in order (and Rasa's lock store keeps one
conversation's messages one at a time). SQLite gets one thread (one writer at a time, as before);
another database up to ``IO_THREADS``.

Configured in endpoints.yml as ``type: bot.tracker_store.CappedSQLTrackerStore``;
``TG_SESSION_MAX_EVENTS=0`` loads every event as Rasa does.
"""
from __future__ import annotations

import asyncio
import json
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, NamedTuple, Optional, Text, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Events that change what came before them: a window containing one is replaced by the full history.
_REACHES_BACK = {"rewind", "undo"}
# The action server proves an application's consent from the conversation's own events since the
# application started (training_guidance/handoff/consent.py: the privacy notice, the yes, the
# summary and the send), so a window never begins after the latest of these actions.
KEEP_FROM_ACTIONS = ("action_start_application",)
INDEX_NAME = "tg_events_sender_type"
# Events after which older slot values no longer count.
_RESETS_SLOTS = ("restart", "reset_slots", "session_started")
IO_THREADS = 4  # threads for a database server's work (PostgreSQL); SQLite gets one


def configured_max_events() -> int:
    from training_guidance.settings import get_settings

    return get_settings().session_max_events


class _Queries:
    """The statements ``retrieve`` runs, built once per store. SQLAlchemy 1.4 computes a statement's
    cache key on every execution of a newly built ORM query (a tenth of the Rasa server's CPU per
    message in a profile); a statement built once keeps its key. Parameters: ``sender``, ``start``
    (the session's start), ``limit``, ``before`` / ``first`` (event ids), ``ids``."""

    def __init__(self, table: Any) -> None:
        c = table.c
        sender = c.sender_id == sa.bindparam("sender")
        since = sa.and_(sender, c.timestamp >= sa.bindparam("start"))
        before = c.id < sa.bindparam("before")
        columns = (c.id, c.type_name, c.action_name, c.data)

        def newest(condition: Any) -> Any:
            return sa.func.max(sa.case((condition, c.id), else_=None))

        self.session_start = sa.select(sa.func.max(c.timestamp)).where(
            sender, c.type_name == SessionStarted.type_name)
        self.count_since = sa.select(sa.func.count()).select_from(table).where(since)
        self.newest = sa.select(*columns).where(since).order_by(c.id.desc()).limit(sa.bindparam("limit"))
        # One pass over the older rows: the latest application start, slot reset, form event.
        self.latest = sa.select(
            newest(sa.and_(c.type_name == "action", c.action_name.in_(KEEP_FROM_ACTIONS))),
            newest(c.type_name.in_(_RESETS_SLOTS)),
            newest(c.type_name == "active_loop")).where(since, before)
        self.listen_before = sa.select(sa.func.max(c.id)).where(
            since, before, c.type_name == "action", c.action_name == ACTION_LISTEN_NAME)
        self.window_from = sa.select(*columns).where(since, c.id >= sa.bindparam("first")).order_by(c.id)
        self.latest_slots = sa.select(sa.func.max(c.id)).where(since, before, c.type_name == "slot").group_by(
            c.action_name)
        self.user_before = sa.select(sa.func.max(c.id)).where(since, before, c.type_name == "user")
        self.insert = table.insert()
        self.by_ids = sa.select(*columns).where(c.id.in_(sa.bindparam("ids", expanding=True))).order_by(c.id)


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """An SQLite tracker file in write-ahead-log mode, synced at checkpoints: in the default
    rollback journal every save waited for the disk twice (fsync of journal and file) while
    holding the store's one writer thread, and a second Rasa server's reads waited for the writes.
    A save survives a crash of the server (it is in the log); only a power cut may lose the last
    ones, which the single-host SQLite setup accepts (production uses PostgreSQL)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class EventView(NamedTuple):
    """A stored event's kind ("user", "bot", "slot" ...) and its ``data`` (a bot message's buttons)."""

    type_name: Optional[Text]
    data: Optional[Dict[str, Any]]


class CappedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``retrieve`` loads at most ``max_events`` recent events (see above)."""

    def __init__(self, *args: Any, max_events: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keep_sqlite_connections()
        self._add_index()
        self.max_events = configured_max_events() if max_events is None else int(max_events)
        # id(tracker) → (weak reference, number of its events already stored). Trackers compare by
        # value and are unhashable, so a WeakKeyDictionary cannot hold them.
        self._stored: Dict[int, Tuple["weakref.ref[DialogueStateTracker]", int]] = {}
        self._sql = _Queries(self.SQLEvent.__table__)
        threads = 1 if self.engine.dialect.name == "sqlite" else IO_THREADS
        self._io = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tracker-store")

    def _keep_sqlite_connections(self) -> None:
        """SQLAlchemy 1.4 gives an SQLite file ``NullPool``: every load and save opened a new
        connection. The store keeps its connections in a ``QueuePool`` instead, as SQLAlchemy 2.0
        does for SQLite files: a connection serves one thread at a time (the store's own, or the
        event loop's for Rasa's other calls), so it may pass between threads. PostgreSQL keeps the
        pool Rasa gives it."""
        if self.engine.dialect.name != "sqlite" or not isinstance(self.engine.pool, sa.pool.NullPool):
            return
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _write_ahead_log)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def _off_loop(self, work: Any, *args: Any) -> Any:
        """``work(*args)`` on the store's thread; the event loop serves other messages meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self._io, work, *args)

    def _remember(self, tracker: DialogueStateTracker) -> None:
        key = id(tracker)
        self._stored[key] = (weakref.ref(tracker, lambda _: self._stored.pop(key, None)), len(tracker.events))

    def _stored_count(self, tracker: DialogueStateTracker) -> Optional[int]:
        entry = self._stored.get(id(tracker))
        return entry[1] if entry is not None and entry[0]() is tracker else None

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if not self.max_events:
            return await super().retrieve(sender_id)
        events = await self._off_loop(self._read_capped, sender_id)
        if events is None:  # a window that cannot stand for the history
            tracker = await super().retrieve(sender_id)
        elif not self.domain or not events:
            return None
        else:
            tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if tracker is not None:
            self._remember(tracker)
        return tracker

    async def recent_events(self, sender_id: Text) -> Optional[List["EventView"]]:
        """The events ``retrieve`` would load, each as its kind and data only, without a tracker
        replaying them (1.5 ms of CPU for a window of 40 events): the channels' payload check
        reads no more. ``[]`` for a conversation with none; None where ``retrieve`` would read
        every event (no cap, or a window that cannot stand for the history): use ``retrieve``."""
        if not self.max_events:
            return None
        events = await self._off_loop(self._read_capped, sender_id)
        if events is None:
            return None
        return [EventView(e.get("event"), e.get("data")) for e in events]

    async def retrieve_session(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Every event since the session start, as Rasa's own ``retrieve``."""
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(tracker)
        return tracker

    def _read_capped(self, sender_id: Text) -> Optional[List[dict]]:
        with self.session_scope() as session:
            return self._capped_events(session, sender_id)

    def _capped_events(self, session: Any, sender_id: Text) -> Optional[List[dict]]:
        """The prefix and the window as event dicts (every event of a short conversation), or
        None to load every event the way Rasa does."""
        sql = self._sql

        def rows(statement: Any, **params: Any) -> List[Any]:
            return session.execute(statement, {"sender": sender_id, "start": since, **params}).all()

        def newest_id(statement: Any, before: int) -> Optional[int]:
            return session.execute(statement, {"sender": sender_id, "start": since, "before": before}).scalar()

        # Rasa's session filter (_event_query) with the session's start read once, not per query;
        # no session start: every event (timestamps are seconds since 1970).
        session_start = session.execute(sql.session_start, {"sender": sender_id}).scalar()
        since = float("-inf") if session_start is None else session_start
        newest = rows(sql.newest, limit=self.max_events + 1)
        if len(newest) <= self.max_events:  # every event since the session start
            return [json.loads(row.data) for row in reversed(newest)]
        window = newest[:self.max_events][::-1]
        first = next((i for i, row in enumerate(window)
                      if row.type_name == "action" and row.action_name == ACTION_LISTEN_NAME), None)
        if first is None:
            return None
        window = window[first:]
        start_id = window[0].id

        keep_id, reset_id, loop_id = rows(sql.latest, before=start_id)[0]
        if keep_id is not None:  # from the turn in which the application started
            start_id = newest_id(sql.listen_before, keep_id)
            if start_id is None:
                return None
            window = rows(sql.window_from, first=start_id)
            _, reset_id, loop_id = rows(sql.latest, before=start_id)[0]
        if any(row.type_name in _REACHES_BACK for row in window):
            return None
        # The latest value of every slot set before the window (after the latest reset).
        ids = [i for (i,) in rows(sql.latest_slots, before=start_id) if reset_id is None or i > reset_id]
        if loop_id is not None and (reset_id is None or loop_id > reset_id):
            ids.append(loop_id)  # the form, and the message that opened it (its trigger message)
            trigger_id = newest_id(sql.user_before, loop_id)
            if trigger_id is not None and (reset_id is None or trigger_id > reset_id):
                ids.append(trigger_id)
        if reset_id is not None:
            ids.append(reset_id)
        prefix = session.execute(sql.by_ids, {"ids": ids}).all() if ids else []
        return [json.loads(row.data) for row in prefix + window]

    def _add_index(self) -> None:
        """An index on (sender_id, type_name) beside Rasa's own on sender_id: the session start and
        the latest slot values are found through it instead of by reading every row of the
        conversation, so their cost does not grow with it. Rasa's columns stay as they are; created
        once, by the first server that starts (a second server starting at the same moment may find
        it half made: it goes on without, as it would on a database that cannot make it)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
                                           f"ON {self.SQLEvent.__tablename__} (sender_id, type_name)"))
        except sa.exc.SQLAlchemyError as error:
            logger.info("tracker store: no index on (sender_id, type_name): %s", error)

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored = self._stored_count(tracker)
        if stored is None:  # not loaded by this store (a new conversation): what Rasa's own save
            await self.stream_events(tracker)  # does, off the loop
            await self._off_loop(self._insert_unstored, tracker)
            self._remember(tracker)
            return
        # Rasa's save with the same rows, written by one prepared INSERT instead of the ORM's
        # unit of work (which cost as much CPU as loading the tracker).
        await self.stream_events(tracker)
        rows = [self._row(tracker.sender_id, event) for event in list(tracker.events)[stored:]]
        if rows:
            await self._off_loop(self._insert, rows)
        self._remember(tracker)

    def _insert_unstored(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save`` for a tracker this store did not load: the events after those stored
        since the session start (counted as Rasa's ``_additional_events`` does), as the same rows."""
        with self.session_scope() as session:
            sender = tracker.sender_id
            start = session.execute(self._sql.session_start, {"sender": sender}).scalar()
            stored = session.execute(self._sql.count_since, {
                "sender": sender, "start": float("-inf") if start is None else start}).scalar()
            self._write(session, [self._row(sender, event) for event in list(tracker.events)[stored:]])

    def _insert(self, rows: List[Dict[str, Any]]) -> None:
        with self.session_scope() as session:
            self._write(session, rows)

    def _write(self, session: Any, rows: List[Dict[str, Any]]) -> None:
        """The rows, by one prepared INSERT, committed (nothing to do for none)."""
        if rows:
            session.execute(self._sql.insert, rows)
            session.commit()

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[str, Any]:
        """The row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}
