"""The action server in one process: rasa_sdk's own app (its routes, the token plugin, the 120 s
keep-alive), served without Sanic's worker manager.

``python -m rasa_sdk`` starts Sanic 25's manager process beside the worker, and both import the
actions: two copies of the knowledge and the ranking in memory (about 110 MB each). The service
manager (systemd, or scripts/servers.py in development) restarts a server that dies, so the
manager adds nothing here.

    python -m bot.action_server --actions bot.actions --port 5055
"""
from __future__ import annotations

import argparse
import logging
import time
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor

from training_guidance.settings import get_settings


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", default="bot.actions", help="the package of actions")
    parser.add_argument("--port", type=int, default=None, help="default: TG_ACTION_PORT")
    args = parser.parse_args(argv)
    settings = get_settings()
    utils.configure_colored_logging(logging.INFO)
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions)
    _warm_up()
    app = create_app_for_serve(executor, cors_origins=None)
    app.run(host=settings.action_host, port=args.port or settings.action_port, single_process=True,
            access_log=False, motd=False)


def _warm_up() -> None:
    """The core's first-use costs before the port opens (training_guidance/dialogue/warmup.py)."""
    from bot.actions import adapter
    from training_guidance.dialogue.warmup import warm_up

    began = time.perf_counter()
    replies = warm_up(adapter.context())
    logging.getLogger(__name__).info("Warmed up: %d replies in %.0f ms", replies, (time.perf_counter() - began) * 1000)


if __name__ == "__main__":
    main()
