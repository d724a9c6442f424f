"""Run the web server: `python -m webapp` (scripts/servers.py starts it next to the bot)."""
from __future__ import annotations

import sys

from training_guidance.settings import process_environment

from .config import ConfigError, WebConfig, ensure_staff_credentials


def main() -> int:
    generated = None
    try:
        env = process_environment()
        generated = ensure_staff_credentials(env)
        config = WebConfig.from_env(env)
    except ConfigError as exc:
        print(f"Webserveren starter ikke: {exc}", file=sys.stderr)
        return 2
    if generated:  # started on its own (not by scripts/servers.py): the development account for this run
        from training_guidance.handoff.accounts import ensure_development_account

        ensure_development_account(config.database_url, env["TG_STAFF_USER"], generated)
        print(f"Personalekonsol: bruger {config.staff_user}, adgangskode {generated} (kun til denne kørsel)", flush=True)
    from .server import create_app

    from training_guidance.logging_json import configure

    configure("web")
    # One process (no worker manager): the app is built here from its settings, and the service
    # manager's signals reach the server itself.
    create_app(config).run(host=config.host, port=config.port, access_log=False, single_process=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
