"""The capped SQL tracker store gives Rasa the same conversation state as its own SQL store.

A 130-turn conversation (buttons, slots set once at the start and slots changed every turn, the
application form opened and closed) is saved turn by turn as Rasa's processor does: load, append
the turn's events, save. After every turn the capped tracker is compared with stock Rasa's on the
same database: slots, form, latest message and action, the buttons of the last turn, and the
states the policies featurise (the capped history is a suffix of the full one). The stored rows
are exactly the events appended, in order.
"""
import asyncio
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.utils.endpoints import read_endpoint_config

from bot.channels import offered_buttons, payload_text
from bot.tracker_store import CappedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain.yml"))
CAP = 40
TURNS = 130
APPLICATION_TURN = 70


def run(coro):
    return asyncio.run(coro)


def turn_events(i: int):
    """One turn of the interview as Rasa records it (the slots change as the action sets them)."""
    events = [UserUttered(f"svar {i}", intent={"name": "inform", "confidence": 0.9}),
              ActionExecuted("action_turn"),
              BotUttered(f"spørgsmål {i}", data={"buttons": [{"title": f"Ja {i}", "payload": f"/inform{{\"answer\": \"ja{i}\"}}"},
                                                             {"title": "Ved ikke", "payload": "/dont_know"}]})]
    if i == 0:
        events += [SlotSet("municipality_code", "0661"), SlotSet("municipality", "Holstebro"), SlotSet("relation", "mor")]
    events += [SlotSet("facts", {"age": 60 + i % 30, "turn": i}), SlotSet("said", [f"s{j}" for j in range(i % 7)])]
    if i % 3 == 0:
        events.append(SlotSet("asked_fact", f"fact{i}"))
    if i == APPLICATION_TURN:  # the application form opens and stays open for 20 turns
        events += [ActionExecuted("action_start_application"), ActionExecuted("application_form"),
                   ActiveLoop("application_form"), SlotSet("requested_slot", "consent")]
    if i == 90:
        events += [ActionExecuted("application_form"), ActiveLoop(None), SlotSet("requested_slot", None),
                   ActionExecuted("action_application_done")]
    return events + [ActionExecuted("action_listen")]


def same_state(capped, full):
    assert capped.current_slot_values() == full.current_slot_values()
    assert capped.active_loop == full.active_loop
    assert capped.latest_message.as_dict() == full.latest_message.as_dict()
    assert capped.latest_action == full.latest_action
    assert capped.followup_action == full.followup_action
    assert offered_buttons(capped.events)[0] == offered_buttons(full.events)[0]
    capped_states = capped.past_states(DOMAIN)
    full_states = full.past_states(DOMAIN)
    assert len(capped_states) >= min(10, len(full_states))  # at least the MemoizationPolicy's 4 turns and every rule's length
    assert capped_states[1:] == full_states[len(full_states) - len(capped_states) + 1:]


async def start_session(store, sender: str, turns: int = 0):
    """A new conversation in ``store``: the session start, then ``turns`` turns of turn_events,
    each loaded and saved as the Rasa server does per message."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    tracker.update_with_events([ActionExecuted("action_session_start"), SessionStarted(),
                                ActionExecuted("action_listen")], DOMAIN)
    await store.save(tracker)
    for i in range(turns):
        tracker = await store.retrieve(sender)
        tracker.update_with_events(turn_events(i), DOMAIN)
        await store.save(tracker)


def test_en_lang_samtale_beholder_sin_tilstand_og_hver_haendelse_gemmes_en_gang(database_url):
    url = database_url
    async def scenario():
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
        stock = SQLTrackerStore(domain=DOMAIN, host=url)
        appended = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        tracker = await capped.get_or_create_tracker("lang", append_action_listen=False)
        tracker.update_with_events(appended, DOMAIN)  # the same event objects as compared at the end
        await capped.save(tracker)
        loaded_sizes = []
        for i in range(TURNS):
            tracker = await capped.retrieve("lang")
            loaded_sizes.append(len(tracker.events))
            new = turn_events(i)
            tracker.update_with_events(new, DOMAIN)
            appended += new
            await capped.save(tracker)
            full = await stock.retrieve("lang")
            ours = await capped.retrieve("lang")
            same_state(ours, full)
            if i >= APPLICATION_TURN:
                since = [e.as_dict() for e in appended[application_turn_start(appended):]]
                assert [e.as_dict() for e in ours.events][-len(since):] == since
        stored = [e.as_dict() for e in (await stock.retrieve_full_tracker("lang")).events]
        assert stored == [e.as_dict() for e in appended]
        return loaded_sizes, full

    loaded_sizes, full = run(scenario())
    assert len(full.events) > 10 * CAP
    assert max(loaded_sizes[:APPLICATION_TURN + 1]) <= CAP + 20  # the window and the carried-over slots
    assert loaded_sizes[APPLICATION_TURN - 1] < loaded_sizes[-1] < len(full.events) / 2


def application_turn_start(events):
    """The index of the action_listen that opened the turn in which the latest application started."""
    start = max(i for i, e in enumerate(events) if getattr(e, "action_name", None) == "action_start_application")
    return max(i for i in range(start) if getattr(events[i], "action_name", None) == "action_listen")


def test_raekkerne_er_dem_rasas_eget_lager_skriver(database_url):
    """Every column of the stored rows (type, intent, action or slot name, data, and the time as in
    the data) is what Rasa's own ``save`` writes for the same events, in the same order."""
    async def scenario():
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
        stock = SQLTrackerStore(domain=DOMAIN, host=database_url)
        start = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        for store, sender in ((capped, "raekker-capped"), (stock, "raekker-stock")):
            tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
            tracker.update_with_events(start, DOMAIN)  # the same event objects: the same timestamps
            await store.save(tracker)
        for i in range(12):
            events = turn_events(i)
            for store, sender in ((capped, "raekker-capped"), (stock, "raekker-stock")):
                tracker = await store.retrieve(sender)
                tracker.update_with_events(events, DOMAIN)
                await store.save(tracker)
        with stock.session_scope() as session:
            def rows(sender):
                query = session.query(stock.SQLEvent).filter(stock.SQLEvent.sender_id == sender).order_by(stock.SQLEvent.id)
                out = []
                for r in query:  # the tracker stamps its own copies of the events: compare without the time
                    data = json.loads(r.data)
                    assert r.timestamp == data.pop("timestamp")
                    out.append((r.type_name, r.intent_name, r.action_name, data))
                return out
            return rows("raekker-capped"), rows("raekker-stock")

    ours, stocks = run(scenario())
    assert len(ours) > 12 * 6
    assert ours == stocks


def test_efter_en_genstart_foeres_gamle_slots_ikke_over(tmp_path):
    async def scenario():
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
        stock = SQLTrackerStore(domain=DOMAIN, host=url)
        await start_session(capped, "genstart")
        for i in range(30):
            tracker = await capped.retrieve("genstart")
            events = turn_events(i)
            if i == 10:
                events = events[:-1] + [Restarted(), ActionExecuted("action_listen")]
            tracker.update_with_events(events, DOMAIN)
            await capped.save(tracker)
        capped_tracker, full = await capped.retrieve("genstart"), await stock.retrieve("genstart")
        assert len(capped_tracker.events) < len(full.events)
        same_state(capped_tracker, full)
        assert capped_tracker.get_slot("municipality") is None  # set before the restart only

    run(scenario())


def test_uden_loft_er_det_rasas_egen_indlaesning(tmp_path):
    async def scenario():
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=0)
        await start_session(capped, "alt", turns=20)
        ours = await capped.retrieve("alt")
        stock = await SQLTrackerStore(domain=DOMAIN, host=url).retrieve("alt")
        assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in stock.events]

    run(scenario())


def test_en_gammel_knap_betyder_stadig_det_den_siger(tmp_path):
    """The channels' payload check reads the whole session for a payload that is not one of the
    latest buttons: an old button becomes its title, as with Rasa's own store."""
    async def scenario():
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
        await start_session(capped, "knap", turns=30)
        old = '/inform{"answer": "ja2"}'
        assert old not in offered_buttons((await capped.retrieve("knap")).events)[1]  # outside the window
        agent = SimpleNamespace(tracker_store=FailSafeTrackerStore(capped))  # as Rasa's Agent holds it
        return [await payload_text(agent, "knap", text)
                for text in ('/inform{"answer": "ja29"}', old, "/restart")]

    assert run(scenario()) == ['/inform{"answer": "ja29"}', "Ja 2", "restart"]


def test_knaptjekket_uden_tracker_giver_det_samme_som_med(database_url):
    """The channels' payload check reads the recent events without replaying a tracker: at every
    turn of a long conversation (the application form included) the latest buttons, the older
    ones and what each payload becomes are what the loaded tracker gives; a new conversation has
    none; without a cap the store says so (None) and the tracker is read."""
    from bot.channels import harden_payload

    async def scenario():
        capped = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
        assert await capped.recent_events("ny") == []
        await start_session(capped, "knapper")
        for i in range(TURNS):
            tracker = await capped.retrieve("knapper")
            tracker.update_with_events(turn_events(i), DOMAIN)
            await capped.save(tracker)
            light = await capped.recent_events("knapper")
            full = (await capped.retrieve("knapper")).events
            assert [e.type_name for e in light] == [e.type_name for e in full]
            assert offered_buttons(light) == offered_buttons(full)
            for text in (f'/inform{{"answer": "ja{i}"}}', f'/inform{{"answer": "ja{max(i - 3, 0)}"}}', "/dont_know",
                         "/greet", "/restart", "hej"):
                assert harden_payload(text, light) == harden_payload(text, full), (i, text)
        uncapped = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=0)
        return await uncapped.recent_events("knapper")

    assert run(scenario()) is None


@pytest.mark.parametrize("name", ["endpoints.yml", "deploy/endpoints.production.yml"])
def test_endpoints_filerne_bruger_det_begraensede_lager(name, tmp_path, monkeypatch):
    for var, value in {"TG_TRACKER_URL": f"sqlite:///{tmp_path / 'tracker.db'}", "TG_ACTION_URL": "http://127.0.0.1:1/webhook",
                       "TG_ACTION_TOKEN": "x" * 32, "TG_REDIS_HOST": "127.0.0.1", "TG_REDIS_PORT": "6379",
                       "TG_REDIS_DB": "0", "TG_REDIS_PASSWORD": "", "TG_SESSION_MAX_EVENTS": "123"}.items():
        monkeypatch.setenv(var, value)
    store = create_tracker_store(read_endpoint_config(str(ROOT / name), "tracker_store"), DOMAIN)
    assert type(store) is CappedSQLTrackerStore  # an import error would give Rasa's in-memory store
    assert store.max_events == 123


def test_lageret_har_et_indeks_paa_afsender_og_haendelsestype(database_url):
    """The session start and the latest slots are found by index (sender_id, type_name), on SQLite
    and PostgreSQL; a second store on the same database (a second Rasa server) starts as well."""
    import sqlalchemy as sa

    from bot.tracker_store import INDEX_NAME

    first = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
    CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(first.engine).get_indexes("events")}
    assert indexes[INDEX_NAME] == ["sender_id", "type_name"]


def test_databasearbejdet_holder_ikke_serverens_loekke_hen(tmp_path):
    """While a load or a save waits for the database (a slow disk, a database server far away), the
    event loop serves other messages: here a ticker keeps ticking through a 0.3 s wait."""
    import time

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
    read, insert = store._read_capped, store._insert

    def slow(work):
        def wrapped(*args):
            time.sleep(0.3)  # blocks its own thread, as a commit waiting for the disk does
            return work(*args)
        return wrapped

    async def ticks_while(coro):
        done, count = False, 0

        async def ticker():
            nonlocal count
            while not done:
                await asyncio.sleep(0.01)
                count += 1

        task = asyncio.ensure_future(ticker())
        result = await coro
        done = True
        await task
        return result, count

    async def scenario():
        await start_session(store, "langsom", turns=3)
        store._read_capped, store._insert = slow(read), slow(insert)
        tracker, read_ticks = await ticks_while(store.retrieve("langsom"))
        tracker.update_with_events(turn_events(3), DOMAIN)
        _, save_ticks = await ticks_while(store.save(tracker))
        store._read_capped, store._insert = read, insert
        stored = await SQLTrackerStore(domain=DOMAIN, host=url).retrieve("langsom")
        return read_ticks, save_ticks, stored

    read_ticks, save_ticks, stored = run(scenario())
    assert read_ticks >= 10 and save_ticks >= 10
    assert stored.get_slot("facts") == {"age": 63, "turn": 3}


def test_mange_samtaler_paa_en_gang_gemmer_hver_haendelse_en_gang_i_orden(database_url):
    """Twenty conversations load and save at the same time (the store's threads, one for SQLite):
    every conversation's rows are its events in order, none lost, none twice."""
    async def conversation(store, sender):
        await start_session(store, sender, turns=6)

    async def scenario():
        store = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
        senders = [f"samtidig-{i}" for i in range(20)]
        await asyncio.gather(*(conversation(store, s) for s in senders))
        stock = SQLTrackerStore(domain=DOMAIN, host=database_url)
        return {s: [e.as_dict() for e in (await stock.retrieve_full_tracker(s)).events] for s in senders}

    expected = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(6):
        expected += turn_events(i)
    for sender, stored in run(scenario()).items():
        assert [{k: v for k, v in e.items() if k != "timestamp"} for e in stored] == \
               [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in expected], sender


def test_en_samtale_som_en_anden_server_har_indlaest_gemmes_uden_huller_og_dobbelte(database_url):
    """A tracker this store did not load (the conversation moved from another server): only the
    events after those stored since the session start are written, as Rasa's own save does."""
    async def scenario():
        first = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
        await start_session(first, "flyttet", turns=4)
        other = SQLTrackerStore(domain=DOMAIN, host=database_url)
        tracker = await other.retrieve("flyttet")  # loaded elsewhere
        tracker.update_with_events(turn_events(4), DOMAIN)
        second = CappedSQLTrackerStore(domain=DOMAIN, host=database_url, max_events=CAP)
        await second.save(tracker)
        await second.save(tracker)  # nothing new: nothing written
        return [e.as_dict() for e in (await other.retrieve_full_tracker("flyttet")).events]

    stored = run(scenario())
    expected = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(5):
        expected += turn_events(i)
    assert [{k: v for k, v in e.items() if k != "timestamp"} for e in stored] == \
           [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in expected]


def test_sqlite_forbindelsen_genbruges_i_stedet_for_at_aabnes_pr_besked(tmp_path):
    """SQLAlchemy 1.4 opened a new SQLite connection for every load and save (NullPool); the store
    keeps its connections, and a second store on the same file (a second Rasa server) sees every
    event the first one saved."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    connections = []
    sa.event.listen(store.engine, "connect", lambda dbapi_connection, record: connections.append(dbapi_connection))

    async def scenario():
        await start_session(store, "genbrug", turns=12)
        other = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=0)
        return await other.retrieve("genbrug")

    seen = run(scenario())
    assert len(connections) <= 2  # kept: not one per load and save
    assert sum(isinstance(e, UserUttered) for e in seen.events) == 12
    # PostgreSQL (and any other database) keeps the pool Rasa gave it
    assert isinstance(SQLTrackerStore(domain=DOMAIN, host=url).engine.pool, sa.pool.NullPool)  # Rasa's own


def test_sqlite_filen_skriver_i_en_log_foran_og_en_anden_server_laeser_imens(tmp_path):
    """The SQLite tracker file is in write-ahead-log mode (synced at checkpoints), so a save does
    not wait for the disk twice, and a second server reads while the first writes; what one saved,
    the other reads, also after the first store is gone (the log is part of the database)."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=CAP)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL

    async def scenario():
        await start_session(store, "log-foran", turns=6)
        reader = CappedSQLTrackerStore(domain=DOMAIN, host=url, max_events=0)
        with reader.engine.connect() as open_read:  # a reader in the middle of its own transaction
            open_read.exec_driver_sql("BEGIN")
            open_read.exec_driver_sql("SELECT count(*) FROM events").scalar()
            await start_session(store, "under-laesning", turns=2)  # the writer does not wait for it
            open_read.exec_driver_sql("COMMIT")
        store.engine.dispose()
        return await reader.retrieve("log-foran"), await reader.retrieve("under-laesning")

    first, second = run(scenario())
    assert sum(isinstance(e, UserUttered) for e in first.events) == 6
    assert sum(isinstance(e, UserUttered) for e in second.events) == 2
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
