"""The action server's token check, through rasa_sdk's own plugin hook.

rasa_sdk (3.21, on Python 3.11) has no authentication option for its HTTP server, but it imports a
package named ``rasa_sdk_plugins`` when one is importable and calls
``attach_sanic_app_extensions(app)`` (rasa_sdk/plugin.py; since rasa_sdk runs Sanic's worker manager,
in the main process and again in the worker, on the app each builds). Every request except ``GET /health`` must carry
``Authorization: Bearer <TG_ACTION_TOKEN>`` (endpoints.yml and deploy/endpoints.production.yml
send it); others get HTTP 401. Without TG_ACTION_TOKEN the action server does not start: an action
server without a token lets anyone on the network store applications (`make run` and the test
servers generate one per run).

It also adds what operations needs (docs/operations.md): ``GET /ready`` (the records store
answers), ``GET /metrics`` (Prometheus; training_guidance.metrics), the time of each call in
``tg_request_seconds`` and JSON log lines. ``/ready`` and ``/metrics`` need the token like every
route but ``/health``.
"""
from __future__ import annotations

import hmac
import sys
import warnings
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


# rasa_sdk warns on the first call that Rasa 3.6 and rasa_sdk 3.21 "might not be compatible" (it
# compares version numbers). The action protocol they share is proven by the end-to-end tests
# (forms, FormValidationAction, buttons, slots; docs/operations.md, "Two Python environments").
warnings.filterwarnings("ignore", message=r"Your versions of rasa and rasa_sdk might not be compatible")


@hookimpl
def attach_sanic_app_extensions(app: Any) -> None:
    from training_guidance.settings import get_settings

    token = get_settings().action_token
    if not token:  # before anything else is set up: the process ends with the message
        print(NO_TOKEN, file=sys.__stderr__, flush=True)  # the process's own stderr, whatever wraps sys.stderr
        raise MissingToken(2)
    attach_operations(app)
    require_token(app, token)


def attach_operations(app: Any) -> None:
    """/ready, /metrics, call timing and JSON logs for the action server."""
    import asyncio
    import time

    from sanic import response

    from training_guidance import health, metrics
    from training_guidance.logging_json import configure
    from training_guidance.settings import get_settings

    configure("actions")  # replaces the colored console format rasa_sdk set up

    @app.get("/ready")
    async def ready(request: Any) -> Any:
        url = get_settings().records_url
        status, body = await asyncio.get_running_loop().run_in_executor(
            None, health.ready_body, {"database": health.database_check(url)})
        return response.json(body, status=status)

    @app.get("/metrics")
    async def metrics_route(request: Any) -> Any:
        body, content_type = metrics.exposition()
        return response.raw(body, content_type=content_type)

    @app.middleware("request")
    async def start_clock(request: Any) -> None:
        request.ctx.began = time.perf_counter()

    @app.middleware("response")
    async def stop_clock(request: Any, resp: Any) -> None:
        if request.path == "/webhook" and hasattr(request.ctx, "began"):
            metrics.observe("actions", "webhook", time.perf_counter() - request.ctx.began)

