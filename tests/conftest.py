import importlib.util
import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# Two environments (docs/testing.md): the tests that need Rasa itself run on Python 3.10 (.venv,
# `pytest -m rasa`); everything else runs on Python 3.11 (.venv311, `pytest -m "not rasa"`), where
# the action server, the web server, the relay and the CLI run. These modules need Rasa throughout;
# single tests elsewhere carry @pytest.mark.rasa.
RASA_MODULES = frozenset({
    "test_channels.py",          # the custom channels run inside the Rasa server
    "test_channel_security.py",  # ... served by Rasa's own Sanic app
    "test_rasa_tuning.py",       # the patch to Rasa's RemoteAction
    "test_rasa_fixes.py",        # the fix to Rasa's logistic regression classifier
    "test_danish_nlp.py",        # Rasa's SpacyNLP on the Danish pipeline
    "test_tracker_store.py",     # the tracker store the Rasa server loads (bot/tracker_store.py)
    "test_lock_store.py",        # the lock store the Rasa servers share (bot/lock_store.py)
})
HAVE_RASA = importlib.util.find_spec("rasa") is not None
collect_ignore = [] if HAVE_RASA else sorted(RASA_MODULES)  # deselected by -m "not rasa" anyway


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in RASA_MODULES:
            item.add_marker(pytest.mark.rasa)
    if HAVE_RASA:
        # The Rasa server's environment (Python 3.10) runs only the tests that need Rasa itself: the
        # others are written for the 3.11 environment's libraries (Sanic 25, rasa-sdk 3.21,
        # SQLAlchemy 2), whatever marker expression was given
        others = [item for item in items if not item.get_closest_marker("rasa")]
        if others:
            config.hook.pytest_deselected(items=others)
            items[:] = [item for item in items if item.get_closest_marker("rasa")]


def pytest_report_header(config):
    if HAVE_RASA:
        return "Python 3.10, the Rasa server's environment: only the tests marked rasa (the others: .venv311)"
    return None


def pytest_runtest_setup(item):
    if not HAVE_RASA and item.get_closest_marker("rasa"):
        pytest.fail("this test needs Rasa (Python 3.10): run it with .venv/bin/python -m pytest -m rasa "
                    "(scripts/test.sh runs both sets)", pytrace=False)


@pytest.fixture(scope="session")
def kb():
    from training_guidance.knowledge import load_knowledge

    return load_knowledge()


def _service(env_var: str, start):
    """The server named by ``env_var``, or a private one started (and stopped) here."""
    external = os.environ.get(env_var)
    if external:
        yield _External(external)
        return
    server = start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on loopback: TG_TEST_POSTGRES_URL, or a private one started here.

    Never skipped: without PostgreSQL the tests fail and say what to install."""
    from services import PrivatePostgres

    yield from _service("TG_TEST_POSTGRES_URL", lambda: PrivatePostgres().start())


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty PostgreSQL database for one test."""
    return postgres_server.create_database(f"tg_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def redis_server():
    from services import PrivateRedis

    yield from _service("TG_TEST_REDIS_URL", lambda: PrivateRedis().start())


class _External:
    def __init__(self, url: str):
        self.url = url

    def create_database(self, name: str) -> str:
        from services import pg_connect

        conn = pg_connect(self.url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def halt(self) -> None:
        raise RuntimeError("this test stops the database server; unset TG_TEST_POSTGRES_URL so that "
                           "the tests start a private one")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of each kind: a SQLite file, and a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.db'}"
    return request.getfixturevalue("postgres_url")


class FakeClock:
    """A UTC clock that moves only when told; one instance is shared by the store and the relay."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **kw):
        import datetime as dt

        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock():
    """Records' time, fixed at the moment the test data's drafts were made (records_helpers.TODAY)."""
    import datetime as dt

    return FakeClock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc))


@pytest.fixture
def record_store(database_url, clock):
    from training_guidance.handoff.store import RecordStore

    store = RecordStore(database_url, clock=clock)
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture
def database(tmp_path, monkeypatch, clock):
    """A records store on SQLite in the test's folder, which a web server served in-process finds
    by TG_DATABASE_URL (modules that need PostgreSQL as well define their own)."""
    from training_guidance.handoff.store import RecordStore

    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("TG_DATABASE_URL", url)
    store = RecordStore(url, clock=clock)
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tg-shared")


@pytest.fixture(scope="session")
def shared_servers(shared_data_dir):
    """One start of the servers (SQLite, today pinned) for the end-to-end modules that need nothing
    special; each module uses its own sender ids. Starting takes ~45 s, so it is done once."""
    from e2e import start

    running = start(shared_data_dir, {"TG_TODAY": "2026-11-23"})
    yield running
    running.stop()


@pytest.fixture
def servers(shared_servers):
    """The servers an end-to-end test talks to: the shared ones, unless its module defines its own."""
    return shared_servers


@pytest.fixture
def data_dir(shared_data_dir):
    return shared_data_dir
