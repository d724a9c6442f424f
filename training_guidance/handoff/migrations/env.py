"""Alembic environment: the URL comes from the caller (store.migrate) or TG_DATABASE_URL."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from training_guidance.handoff.config import database_url
from training_guidance.handoff import accounts, questions, security  # noqa: F401  (their tables are in Base.metadata too)
from training_guidance.handoff.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = create_engine(url, future=True)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
