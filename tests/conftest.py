import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="session")
def kb():
    from training_guidance.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on loopback: TG_TEST_POSTGRES_URL, or a private one started here.

    Never skipped: without PostgreSQL the tests fail and say what to install."""
    from services import PrivatePostgres

    external = os.environ.get("TG_TEST_POSTGRES_URL")
    if external:
        yield _External(external)
        return
    server = PrivatePostgres().start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty PostgreSQL database for one test."""
    return postgres_server.create_database(f"tg_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def redis_server():
    from services import PrivateRedis

    external = os.environ.get("TG_TEST_REDIS_URL")
    if external:
        yield _External(external)
        return
    server = PrivateRedis().start()
    yield server
    server.stop()


class _External:
    def __init__(self, url: str):
        self.url = url

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of each kind: a SQLite file, and a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def record_store(database_url):
    from training_guidance.handoff.store import RecordStore

    store = RecordStore(database_url)
    store.migrate()
    yield store
    store.dispose()
