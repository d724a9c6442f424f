"""The web server: the citizen page with the chat and its API (webapp/citizen.py), and the staff
console (webapp/staff.py).

Citizens' browsers talk only to this server (same origin, or a municipality's site listed in
TG_CORS_ORIGINS); it passes messages on to the Rasa server's REST channel on loopback.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import aiohttp
from sanic import Sanic, response
from sanic.request import Request

from . import pages
from .citizen import add_citizen_routes
from .config import WebConfig
from .staff import add_staff_routes

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_store(config: WebConfig):
    """Sessions and login back-off in the records database, shared by every web server."""
    from training_guidance.handoff.security import SecurityStore
    from training_guidance.handoff.store import shared_store

    return SecurityStore(shared_store(config.database_url).engine)


def create_app(config: WebConfig, security=None) -> Sanic:
    app = Sanic("traeningsguiden_web")
    app.config.MOTD = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # The client's address only from a proxy we trust (TG_PROXIES_COUNT, TG_FORWARDED_SECRET).
    app.config.PROXIES_COUNT = config.proxies_count or None
    app.config.FORWARDED_SECRET = config.forwarded_secret
    app.ctx.config = config
    app.ctx.security = security or security_store(config)
    add_static(app, "/static", pages.STATIC)
    add_static(app, "/widget", pages.STATIC / "widget")

    @app.listener("before_server_start")
    async def open_client(app_: Sanic, _loop) -> None:
        app_.ctx.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    @app.listener("after_server_stop")
    async def close_client(app_: Sanic, _loop) -> None:
        await app_.ctx.http.close()

    @app.middleware("response")
    async def headers(request: Request, resp: response.HTTPResponse) -> None:
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

    @app.get("/sundhed")
    async def health(request: Request):
        return response.json({"status": "ok"})

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
