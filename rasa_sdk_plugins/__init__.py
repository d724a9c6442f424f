"""The action server's token check, through rasa_sdk's own plugin hook.

rasa_sdk 3.6 has no authentication option, but its server imports a package named
``rasa_sdk_plugins`` when one is importable and calls ``attach_sanic_app_extensions(app)``
(rasa_sdk/plugin.py). When TG_ACTION_TOKEN is set, every request except ``GET /health`` must carry
``Authorization: Bearer <TG_ACTION_TOKEN>`` (deploy/endpoints.production.yml sends it); others get
HTTP 401. Unset, nothing changes (development: the action server listens on 127.0.0.1 only).
"""
from __future__ import annotations

import hmac
import sys
from typing import Any

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(sys.modules[__name__])


def token_ok(header: str, token: str) -> bool:
    return hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


@hookimpl
def attach_sanic_app_extensions(app: Any) -> None:
    from training_guidance.settings import get_settings

    token = get_settings().action_token
    if not token:
        return
    from sanic import response

    @app.middleware("request")
    async def require_token(request: Any) -> Any:
        if request.path == "/health":
            return None
        if not token_ok(request.headers.get("authorization", ""), token):
            return response.json({"error": "unauthorized"}, status=401)
        return None
