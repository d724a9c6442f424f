"""The web server: the citizen page with the chat and its API (webapp/citizen.py), and the staff
console (webapp/staff.py).

Citizens' browsers talk only to this server (same origin, or a municipality's site listed in
TG_CORS_ORIGINS); it passes messages on to the Rasa server's REST channel on loopback.
"""
from __future__ import annotations

import aiohttp
from sanic import Sanic, response
from sanic.request import Request

from . import pages
from .auth import LoginBrake
from .citizen import add_citizen_routes
from .config import WebConfig
from .staff import add_staff_routes

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(config: WebConfig) -> Sanic:
    app = Sanic("traeningsguiden_web")
    app.config.MOTD = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.config = config
    app.ctx.brake = LoginBrake()
    app.ctx.revoked = set()  # staff session tokens logged out before they expired
    app.static("/static", str(pages.STATIC), name="static")
    app.static("/widget", str(pages.STATIC / "widget"), name="widget")

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
        if request.path.startswith("/api/") or request.path.startswith("/personale"):
            resp.headers["Cache-Control"] = "no-store"
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
