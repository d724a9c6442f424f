"""The web server: the citizen page with the chat, the chat's API, and the staff console.

Citizens' browsers talk only to this server (same origin, or a municipality's site listed in
TG_CORS_ORIGINS); it passes messages on to the Rasa server's REST channel on loopback.
"""
from __future__ import annotations

import asyncio
import json
import re
from typing import Any, Dict, Optional

import aiohttp
from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request

from training_guidance.handoff.conversations import delete_conversation

from . import pages, records
from .auth import COOKIE, COOKIE_PATH, SESSION_SECONDS, LoginBrake, credentials_match, make_session, same_origin, session_user
from .config import WebConfig
from .rasa import RasaUnavailable, send

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KOMMUNE = re.compile(r"^\d{4}$")
REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
MAX_MESSAGE = 2000
STAFF_PREFIX = "personale-"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
NOT_ANSWERING = "Træningsguiden svarer ikke lige nu. Prøv igen om lidt."


def _error(message: str, status: int) -> response.HTTPResponse:
    return response.json({"error": message}, status=status)


def _json_body(request: Request) -> Optional[Dict[str, Any]]:
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def create_app(config: WebConfig) -> Sanic:
    app = Sanic("traeningsguiden_web")
    app.config.MOTD = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.config = config
    app.ctx.brake = LoginBrake()
    app.ctx.revoked = set()  # tokens logged out before they expired
    app.static("/static", str(pages.STATIC), name="static")
    app.static("/widget", str(pages.STATIC / "widget"), name="widget")

    @app.listener("before_server_start")
    async def open_client(app_: Sanic, _loop) -> None:
        app_.ctx.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))

    @app.listener("after_server_stop")
    async def close_client(app_: Sanic, _loop) -> None:
        await app_.ctx.http.close()

    # ---- every response ------------------------------------------------------------------
    @app.middleware("response")
    async def headers(request: Request, resp: response.HTTPResponse) -> None:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        path = request.path
        if path.startswith("/api/") or path.startswith("/personale"):
            resp.headers["Cache-Control"] = "no-store"
        if path.startswith("/api/"):
            origin = request.headers.get("origin")
            if origin in config.cors_origins:
                resp.headers["Access-Control-Allow-Origin"] = origin
                resp.headers["Vary"] = "Origin"

    def origin_allowed(request: Request) -> bool:
        origin = request.headers.get("origin")
        return origin is None or same_origin(origin, request.host) or origin in config.cors_origins

    def staff_user(request: Request) -> Optional[str]:
        token = request.cookies.get(COOKIE)
        return None if token in request.app.ctx.revoked else session_user(config.secret, token)

    def client(request: Request) -> str:
        return request.remote_addr or request.ip or "?"

    # ---- public pages -----------------------------------------------------------------------
    @app.get("/")
    async def index(request: Request):
        code, name = pages.demo_municipality(request.args.get("kommune"))
        origin = f"{request.scheme}://{request.host}"
        return response.html(pages.render("index.html", kommune=code, kommune_navn=name,
                                          snippet=pages.snippet(origin, code)))

    @app.get("/privatliv")
    async def privacy(request: Request):
        return response.html(pages.render("privatliv.html"))

    @app.get("/sundhed")
    async def health(request: Request):
        return response.json({"status": "ok"})

    # ---- the citizen chat's API -------------------------------------------------------------
    def preflight(request: Request) -> response.HTTPResponse:
        """CORS preflight for a municipality's site listed in TG_CORS_ORIGINS."""
        origin = request.headers.get("origin")
        if origin not in config.cors_origins:
            return response.empty(status=403)
        return response.empty(status=204, headers={
            "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600", "Vary": "Origin",
        })

    @app.route("/api/besked", methods=["POST", "OPTIONS"])
    async def citizen_message(request: Request):
        if request.method == "OPTIONS":
            return preflight(request)
        if not origin_allowed(request):
            return _error("Denne side må ikke bruge chatten.", 403)
        body = _json_body(request)
        if body is None:
            return _error("Beskeden skal være et JSON-objekt.", 400)
        sender, message, kommune = body.get("sender"), body.get("message"), body.get("kommune")
        if not isinstance(sender, str) or not UUID.match(sender):
            return _error("Ugyldigt samtale-id.", 400)
        if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE:
            return _error(f"Beskeden skal være 1-{MAX_MESSAGE} tegn.", 400)
        if kommune is not None and (not isinstance(kommune, str) or not KOMMUNE.match(kommune)):
            return _error("Ugyldig kommunekode.", 400)
        try:  # metadata is set here, never taken from the browser: a citizen cannot start staff mode this way
            replies = await send(request.app.ctx.http, config.rasa_url, sender, message,
                                 {"kommune": kommune} if kommune else None)
        except RasaUnavailable:
            return _error(NOT_ANSWERING, 502)
        return response.json(replies)

    @app.route("/api/slet", methods=["POST", "OPTIONS"])
    async def citizen_delete(request: Request):
        if request.method == "OPTIONS":
            return preflight(request)
        if not origin_allowed(request):
            return _error("Denne side må ikke bruge chatten.", 403)
        body = _json_body(request) or {}
        sender = body.get("sender")
        if not isinstance(sender, str) or not UUID.match(sender):
            return _error("Ugyldigt samtale-id.", 400)
        loop = asyncio.get_running_loop()
        deleted = await loop.run_in_executor(None, delete_conversation, sender, config.tracker_url)
        return response.json({"slettet": deleted})

    # ---- staff console ------------------------------------------------------------------------
    @app.get("/personale/")
    async def staff_console(request: Request):
        if not staff_user(request):
            return response.redirect("/personale/login", status=303)
        return response.html(pages.render("konsol.html", bruger=staff_user(request) or ""))

    @app.get("/personale/ansoegninger")
    async def staff_applications_page(request: Request):
        if not staff_user(request):
            return response.redirect("/personale/login", status=303)
        return response.html(pages.render("ansoegninger.html", bruger=staff_user(request) or ""))

    @app.get("/personale/login")
    async def login_page(request: Request):
        return response.html(pages.render("login.html", fejl=""))

    @app.post("/personale/login")
    async def login(request: Request):
        if not same_origin(request.headers.get("origin"), request.host):
            return response.html(pages.render("login.html", fejl="Log ind fra denne side."), status=403)
        who = client(request)
        if request.app.ctx.brake.blocked(who):
            return response.html(pages.render("login.html", fejl="For mange forsøg. Vent 5 minutter."), status=429)
        user = request.form.get("brugernavn") or ""
        password = request.form.get("adgangskode") or ""
        if not credentials_match(user, password, config.staff_user, config.staff_password):
            request.app.ctx.brake.failed(who)
            return response.html(pages.render("login.html", fejl="Forkert brugernavn eller adgangskode."), status=401)
        request.app.ctx.brake.succeeded(who)
        resp = response.redirect("/personale/", status=303)
        resp.cookies[COOKIE] = make_session(config.secret, user)
        cookie = resp.cookies[COOKIE]
        cookie["path"] = COOKIE_PATH
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["max-age"] = SESSION_SECONDS
        if config.production:
            cookie["secure"] = True
        return resp

    @app.post("/personale/logout")
    async def logout(request: Request):
        if not same_origin(request.headers.get("origin"), request.host):
            return _error("Forkert oprindelse.", 403)
        if staff_user(request):
            request.app.ctx.revoked.add(request.cookies.get(COOKIE))
        resp = response.redirect("/personale/login", status=303)
        del resp.cookies[COOKIE]
        resp.cookies[COOKIE]["path"] = COOKIE_PATH
        return resp

    # Every /personale/api/* answer needs a session; state changes also need our own Origin.
    @app.middleware("request")
    async def staff_api_guard(request: Request):
        if not request.path.startswith("/personale/api/"):
            return None
        if not staff_user(request):
            return _error("Log ind først.", 401)
        if request.method not in ("GET", "HEAD") and not same_origin(request.headers.get("origin"), request.host):
            return _error("Forkert oprindelse.", 403)
        return None

    @app.exception(NotFound, MethodNotSupported)
    async def not_found(request: Request, exc: Exception):
        if request.path.startswith("/personale/api/") and not staff_user(request):
            return _error("Log ind først.", 401)
        status = 405 if isinstance(exc, MethodNotSupported) else 404
        return _error("Ikke fundet." if status == 404 else "Metoden er ikke tilladt.", status)

    @app.post("/personale/api/besked")
    async def staff_message(request: Request):
        body = _json_body(request) or {}
        sender, message = body.get("sender"), body.get("message")
        if not isinstance(sender, str) or not UUID.match(sender):
            return _error("Ugyldigt samtale-id.", 400)
        if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE:
            return _error(f"Beskeden skal være 1-{MAX_MESSAGE} tegn.", 400)
        try:
            replies = await send(request.app.ctx.http, config.rasa_url, STAFF_PREFIX + sender, message, {"mode": "staff"})
        except RasaUnavailable:
            return _error(NOT_ANSWERING, 502)
        return response.json(replies)

    @app.get("/personale/api/ansoegninger")
    async def staff_applications(request: Request):
        loop = asyncio.get_running_loop()
        try:
            rows = await loop.run_in_executor(None, records.list_applications)
        except records.RecordsUnavailable as exc:
            return _error(str(exc), 503)
        return response.json({"ansoegninger": rows})

    @app.get("/personale/api/ansoegninger/<reference:str>")
    async def staff_application(request: Request, reference: str):
        if not REFERENCE.match(reference):
            return _error("Ugyldig reference.", 400)
        loop = asyncio.get_running_loop()
        try:
            record = await loop.run_in_executor(None, records.get_application, reference)
        except records.RecordsUnavailable as exc:
            return _error(str(exc), 503)
        if record is None:
            return _error("Ansøgningen findes ikke.", 404)
        return response.json(record, default=str)

    return app
