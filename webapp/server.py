"""The web server: the citizen page with the chat and its API (webapp/citizen.py), and the staff
console (webapp/staff.py).

Citizens' browsers talk only to this server (same origin, or a municipality's site listed in
TG_CORS_ORIGINS); it passes messages on to the Rasa server's REST channel on loopback.
"""
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from urllib.parse import unquote

import aiohttp
from sanic import Sanic, response
from sanic.request import Request

from training_guidance import health as checks
from training_guidance import metrics
from training_guidance.settings import get_settings

from . import pages
from .citizen import add_citizen_routes
from .config import WebConfig
from .staff import add_staff_routes

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


MESSAGE_ROUTES = {"citizen_message": "web", "script_message": "staff"}  # route → metrics channel
UNTIMED_ROUTES = ("health", "sundhed", "ready", "metrics_route", "static", "widget")  # probes and files


def security_store(config: WebConfig):
    """Sessions and login back-off in the records database, shared by every web server."""
    from training_guidance.handoff.security import SecurityStore
    from training_guidance.handoff.store import shared_store

    return SecurityStore(shared_store(config.database_url).engine)


def account_store(config: WebConfig, security):
    """Staff accounts, in the same records database as the sessions."""
    from training_guidance.handoff.accounts import AccountStore
    from training_guidance.handoff.store import shared_store

    engine = getattr(security, "engine", None) or shared_store(config.database_url).engine
    return AccountStore(engine, clock=getattr(security, "clock", None) or _clock())


def _clock():
    from training_guidance.clock import now

    return now


def create_app(config: WebConfig, security=None, accounts=None) -> Sanic:
    # Sanic's own loggers go to the root logger, so they too are JSON lines (training_guidance.logging_json).
    app = Sanic("traeningsguiden_web", configure_logging=False)
    app.config.MOTD = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Behind the load balancer the peer is the proxy: the client's address (the login brake's key)
    # comes from the header the trusted proxy sets (TG_PROXIES_COUNT, TG_FORWARDED_SECRET), never
    # from one a client could send itself.
    app.config.PROXIES_COUNT = config.proxies_count or None
    app.config.FORWARDED_SECRET = config.forwarded_secret
    app.ctx.config = config
    app.ctx.security = security or security_store(config)
    app.ctx.accounts = accounts or account_store(config, app.ctx.security)
    add_static(app, "/static", pages.STATIC)
    add_static(app, "/widget", pages.STATIC / "widget")

    @app.listener("before_server_start")
    async def open_client(app_: Sanic) -> None:
        app_.ctx.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    @app.listener("after_server_stop")
    async def close_client(app_: Sanic) -> None:
        await app_.ctx.http.close()

    @app.middleware("request")
    async def start_clock(request: Request) -> None:
        request.ctx.began = time.perf_counter()

    @app.middleware("response")
    async def headers(request: Request, resp: response.HTTPResponse) -> None:
        route = request.route.name.rsplit(".", 1)[-1] if request.route else "other"
        if hasattr(request.ctx, "began") and route not in UNTIMED_ROUTES:
            metrics.observe("web", route, time.perf_counter() - request.ctx.began)
        if request.method == "POST" and route in MESSAGE_ROUTES and resp.status == 200:
            metrics.message(MESSAGE_ROUTES[route])
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        # Pages and answers are never cached by a browser or a proxy; files are, but checked again.
        static = request.path.startswith(("/static/", "/widget/")) and resp.status < 400
        resp.headers["Cache-Control"] = "no-cache" if static else "no-store"
        origin = request.headers.get("origin")
        if request.path.startswith("/api/") and origin in config.cors_origins:
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Vary"] = "Origin"

    @app.get("/health")
    async def health(request: Request):
        """Alive: the process answers (the load balancer's check)."""
        return response.json({"status": "ok"})

    app.add_route(health, "/sundhed", name="sundhed")  # the name the first version had

    @app.get("/ready")
    async def ready(request: Request):
        """Ready: the records store, Rasa, the action server and the relay's heartbeat (503 and why)."""
        settings = get_settings()
        status, body = await asyncio.get_running_loop().run_in_executor(None, checks.ready_body, {
            "database": checks.database_check(settings.records_url),
            "rasa": checks.http_check("rasa", f"{config.rasa_url}/"),
            "actions": checks.http_check("actions", checks.action_health_url(settings)),
            "relay": checks.relay_check(settings),
        })
        return response.json(body, status=status)

    @app.get("/metrics")
    async def metrics_route(request: Request):
        body, content_type = await asyncio.get_running_loop().run_in_executor(None, metrics.exposition)
        return response.raw(body, content_type=content_type)

    @app.listener("before_server_start")
    async def watch_outbox(app_: Sanic) -> None:
        from training_guidance.handoff.relay import outbox_backlog
        from training_guidance.handoff.store import shared_store

        url = get_settings().records_url
        metrics.watch_outbox(url, lambda: outbox_backlog(shared_store(url)))

    add_citizen_routes(app, config)
    add_staff_routes(app, config)
    return app


def add_static(app: Sanic, uri: str, folder: Path) -> None:
    """Files under ``folder``. Sanic answers a folder (``/static/``) with a 500 and a traceback in
    the log (IsADirectoryError): anything that is not a file there is 404 here, before Sanic looks."""
    folder = folder.resolve()
    app.static(uri, str(folder), name=uri.strip("/"))

    @app.middleware("request")
    async def files_only(request: Request):
        if request.path != uri and not request.path.startswith(uri + "/"):
            return None
        target = (folder / unquote(request.path[len(uri):]).lstrip("/")).resolve()
        if not target.is_file() or folder not in target.parents:
            return response.json({"error": "Ikke fundet."}, status=404)
        return None
