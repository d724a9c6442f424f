"""The application handoff: consent, the application record, its store, the outbox relay and the CLI.

Plain Python with SQLAlchemy; never imports Rasa."""
