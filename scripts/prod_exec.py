"""Start one process of Træningsguiden the way `make run` does, for a service manager:

    scripts/prod_exec.py rasa|actions|web|relay|migrate

The systemd units in deploy/systemd/ run this (and so does scripts/prod.py, which reads those units).
The command line comes from scripts/servers.py, so development, the tests and production start
each server the same way. The process is replaced (exec), so the service manager's signals reach
the server itself. Settings: the environment (docs/configuration.md).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    action_command, action_server_env, migrate_command, rasa_command, relay_command, web_command,
)
from training_guidance.settings import get_settings, process_environment  # noqa: E402


def command(component: str, env):
    if component == "rasa":
        return rasa_command(env, default_origin=get_settings(env).web_own_origin), env
    if component == "actions":
        return action_command(env), action_server_env(env)
    if component == "web":
        return web_command(env), env
    if component == "relay":
        return relay_command(env), env
    if component == "migrate":
        return migrate_command(env), env
    raise SystemExit(f"usage: {sys.argv[0]} rasa|actions|web|relay|migrate")


def main() -> None:
    argv, env = command(sys.argv[1] if len(sys.argv) > 1 else "", process_environment())
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()
