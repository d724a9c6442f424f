"""The action server's token check, through rasa_sdk's own plugin hook.

rasa_sdk 3.6 has no authentication option, but its server imports a package named
``rasa_sdk_plugins`` when one is importable and calls ``attach_sanic_app_extensions(app)``
(rasa_sdk/plugin.py). Every request except ``GET /health`` must carry
``Authorization: Bearer <TG_ACTION_TOKEN>`` (endpoints.yml and deploy/endpoints.production.yml
send it); others get HTTP 401. Without TG_ACTION_TOKEN the action server does not start: an action
server without a token lets anyone on the network store applications (`make run` and the test
servers generate one per run).
"""
from __future__ import annotations

import hmac
import sys
from typing import Any

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")
NO_TOKEN = ("Handlingsserveren starter ikke uden TG_ACTION_TOKEN. "
            "(The action server will not start without TG_ACTION_TOKEN; `make run` generates one.)")


class MissingToken(SystemExit):
    """Raised at start-up when TG_ACTION_TOKEN is unset: the process ends with the message."""


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(sys.modules[__name__])


def token_ok(header: str, token: str) -> bool:
    return hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


def require_token(app: Any, token: str) -> None:
    """Every route but /health answers 401 without the bearer token."""
    from sanic import response

    @app.middleware("request")
    async def check_token(request: Any) -> Any:
        if request.path == "/health":
            return None
        if not token_ok(request.headers.get("authorization", ""), token):
            return response.json({"error": "unauthorized"}, status=401)
        return None


@hookimpl
def attach_sanic_app_extensions(app: Any) -> None:
    from training_guidance.settings import get_settings

    token = get_settings().action_token
    if not token:
        print(NO_TOKEN, file=sys.stderr, flush=True)
        raise MissingToken(2)
    require_token(app, token)
