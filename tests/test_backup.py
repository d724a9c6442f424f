"""Backup and restore of the records store with PostgreSQL's own tools, as docs/operations.md
says: pg_dump in the custom format, pg_restore into an empty database, and the application, its
status history and audit trail are all there again."""
import shutil
import subprocess

import pytest

from records_helpers import draft
from training_guidance.handoff.relay import FolderTarget, Relay
from training_guidance.handoff.store import RecordStore


def tool(name):
    found = shutil.which(name)
    assert found, f"{name} is missing: run scripts/system-deps.sh (Debian's postgresql package)"
    return found


@pytest.fixture
def records(postgres_url, clock):
    store = RecordStore(postgres_url, clock=clock)
    store.migrate()
    yield store
    store.dispose()


def test_en_sikkerhedskopi_med_pg_dump_kan_genskabes_med_pg_restore_og_ansoegningen_findes_igen(
        records, postgres_server, tmp_path):
    reference = records.submit(draft(), "backup-1", ["folder"]).reference
    Relay(records, {"folder": FolderTarget(tmp_path / "ud")}).run_once()
    before, trail = records.get_application(reference), records.audit_trail(reference)
    assert before["status"] == "overført"

    dump = tmp_path / "records.dump"
    subprocess.run([tool("pg_dump"), "--format=custom", "--file", str(dump), "--dbname", records.url],
                   check=True, capture_output=True, timeout=120)
    restored_url = postgres_server.create_database("tg_restored")
    subprocess.run([tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", restored_url, str(dump)],
                   check=True, capture_output=True, timeout=120)

    restored = RecordStore(restored_url)
    try:
        assert restored.revision() == records.revision()
        assert restored.get_application(reference) == before
        assert restored.audit_trail(reference) == trail
        assert restored.count() == 1
        # New applications continue after the restored ones (the id sequence came along).
        assert restored.submit(draft(), "backup-2", ["folder"]).reference != reference
    finally:
        restored.dispose()
