"""The lock store two Rasa servers share (bot/lock_store.py), on a real Redis: each change of a
conversation's lock is atomic, where Rasa's own RedisLockStore reads, changes and writes it back
(RasaHQ/rasa#9213). The race is made to happen on purpose: while one store is between reading and
writing the lock, the other takes a ticket."""
import asyncio
import urllib.parse

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore


def stores(redis_server, kind):
    url = urllib.parse.urlparse(redis_server.url)
    return [kind(host=url.hostname, port=url.port, db=0, key_prefix="test") for _ in range(2)]


def racing(monkeypatch, first, second, conversation):
    """While ``first`` holds a lock it has read and not yet written, ``second`` takes a ticket."""
    original, raced = TicketLock.issue_ticket, []

    def issue_ticket(lock, lifetime):
        if not raced:
            raced.append(None)  # once: the other store's own ticket goes through unhindered
            raced[0] = second.issue_ticket(conversation)
        return original(lock, lifetime)

    monkeypatch.setattr(TicketLock, "issue_ticket", issue_ticket)
    return first.issue_ticket(conversation), raced[0]


def test_rasas_egen_redis_laas_udsteder_samme_billet_to_gange(redis_server, monkeypatch):
    first, second = stores(redis_server, RedisLockStore)
    tickets = racing(monkeypatch, first, second, "kapløb-rasa")
    assert tickets[0] == tickets[1]  # the race this store exists for (two servers, one ticket)


def test_to_servere_faar_hver_sin_billet_i_raekkefoelge(redis_server, monkeypatch):
    first, second = stores(redis_server, AtomicRedisLockStore)
    outer, inner = racing(monkeypatch, first, second, "kapløb")
    assert (inner, outer) == (0, 1)
    lock = first.get_lock("kapløb")
    assert [t.number for t in lock.tickets] == [0, 1] and lock.is_locked(1) and not lock.is_locked(0)


def test_oprydningen_sletter_aldrig_en_billet_som_en_anden_server_lige_har_taget(redis_server, monkeypatch):
    first, second = stores(redis_server, AtomicRedisLockStore)
    mine = first.issue_ticket("oprydning")
    original, raced = TicketLock.remove_ticket_for, []

    def remove_ticket_for(lock, number):
        if not raced:  # the other server takes a ticket between the check and the delete
            raced.append(None)
            raced[0] = second.issue_ticket("oprydning")
        return original(lock, number)

    monkeypatch.setattr(TicketLock, "remove_ticket_for", remove_ticket_for)
    first.cleanup("oprydning", mine)
    lock = first.get_lock("oprydning")
    assert lock is not None and [t.number for t in lock.tickets] == raced  # its ticket is still there
    second.cleanup("oprydning", raced[0])
    assert first.get_lock("oprydning") is None  # the last one out deletes the lock


def test_to_beskeder_paa_to_servere_betjenes_en_ad_gangen(redis_server):
    first, second = stores(redis_server, AtomicRedisLockStore)
    inside, overlaps = [], []

    async def serve(store, name):
        async with store.lock("samtidig", wait_time_in_seconds=0.01):
            if inside:
                overlaps.append((inside[-1], name))
            inside.append(name)
            await asyncio.sleep(0.05)
            inside.remove(name)

    async def both():
        await asyncio.gather(*(serve(store, f"{i}-{n}") for n in range(5) for i, store in enumerate((first, second))))

    asyncio.run(both())
    assert overlaps == [] and first.get_lock("samtidig") is None


def test_rasa_laver_den_ud_fra_endpoints_filen(redis_server):
    url = urllib.parse.urlparse(redis_server.url)
    config = EndpointConfig(url=url.hostname, port=url.port, db=0, key_prefix="tg",
                            type="bot.lock_store.AtomicRedisLockStore")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore) and store.key_prefix == "tg:lock:"
    assert store.issue_ticket("fra-konfiguration") == 0  # Rasa's first ticket
    with pytest.raises(LockError):
        AtomicRedisLockStore(host=url.hostname, port=1, socket_timeout=0.5).issue_ticket("ingen-redis")
