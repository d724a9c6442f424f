"""The staff console: login, the call script (proxied to Rasa in staff mode), received applications.

Every /personale/api/* answer needs a valid session, unknown paths included; login and every
state-changing request also need the server's own Origin."""
from __future__ import annotations

import asyncio
import re
from typing import Optional

from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request

from training_guidance.handoff.conversations import delete_conversation

from . import pages, records
from .auth import COOKIE, COOKIE_PATH, SESSION_SECONDS, credentials_match, make_session, same_origin, session_user
from .common import NOT_ANSWERING, UUID, error, json_body, message_error
from .config import WebConfig
from .rasa import RasaUnavailable, send

API = "/personale/api/"
STAFF_PAGES = ("konsol", "ansoegninger")  # the navigation in pages/_personale_top.html, in its order
STAFF_PREFIX = "personale-"  # staff conversations: never reachable through the citizen API (UUIDs only)
REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


def add_staff_routes(app: Sanic, config: WebConfig) -> None:
    def staff_user(request: Request) -> Optional[str]:
        token = request.cookies.get(COOKIE)
        return None if token in request.app.ctx.revoked else session_user(config.secret, token)

    def own_origin(request: Request) -> bool:
        return same_origin(request.headers.get("origin"), request.host)

    def login_page(message: str, status: int = 200) -> response.HTTPResponse:
        return response.html(pages.render("login.html", fejl=message), status=status)

    @app.middleware("request")
    async def guard(request: Request):
        if not request.path.startswith(API):
            return None
        if not staff_user(request):
            return error("Log ind først.", 401)
        if request.method not in ("GET", "HEAD") and not own_origin(request):
            return error("Forkert oprindelse.", 403)
        return None

    @app.exception(NotFound, MethodNotSupported)
    async def not_found(request: Request, exc: Exception):
        if request.path.startswith(API) and not staff_user(request):  # the router answers before middleware
            return error("Log ind først.", 401)
        if isinstance(exc, MethodNotSupported):
            return error("Metoden er ikke tilladt.", 405)
        return error("Ikke fundet.", 404)

    def staff_page(request: Request, page: str, title: str):
        """A staff page (``page``.html, its navigation entry marked) for a logged-in user; the login
        page for anyone else."""
        user = staff_user(request)
        if not user:
            return response.redirect("/personale/login", status=303)
        current = {f"aktuel_{name}": "page" if name == page else "false" for name in STAFF_PAGES}
        return response.html(pages.render(f"{page}.html", bruger=user, side_titel=title, **current))

    @app.get("/personale/")
    async def console(request: Request):
        return staff_page(request, "konsol", "Opkaldsmanuskript")

    @app.get("/personale/ansoegninger")
    async def applications_page(request: Request):
        return staff_page(request, "ansoegninger", "Ansøgninger")

    @app.get("/personale/login")
    async def login_form(request: Request):
        return login_page("")

    @app.post("/personale/login")
    async def login(request: Request):
        if not own_origin(request):
            return login_page("Log ind fra denne side.", 403)
        who = request.remote_addr or request.ip or "?"
        brake = request.app.ctx.brake
        if brake.blocked(who):
            return login_page("For mange forsøg. Vent 5 minutter.", 429)
        user = request.form.get("brugernavn") or ""
        password = request.form.get("adgangskode") or ""
        if not credentials_match(user, password, config.staff_user, config.staff_password):
            brake.failed(who)
            return login_page("Forkert brugernavn eller adgangskode.", 401)
        brake.succeeded(who)
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
        if not own_origin(request):
            return error("Forkert oprindelse.", 403)
        if staff_user(request):
            request.app.ctx.revoked.add(request.cookies.get(COOKIE))
        resp = response.redirect("/personale/login", status=303)
        del resp.cookies[COOKIE]
        resp.cookies[COOKIE]["path"] = COOKIE_PATH
        return resp

    @app.post(API + "besked")
    async def script_message(request: Request):
        body = json_body(request) or {}
        problem = message_error(body)
        if problem:
            return error(problem, 400)
        try:
            replies = await send(request.app.ctx.http, config.rasa_url, STAFF_PREFIX + body["sender"],
                                 body["message"], {"mode": "staff"})
        except RasaUnavailable:
            return error(NOT_ANSWERING, 502)
        return response.json(replies)

    @app.post(API + "slet")
    async def delete_call(request: Request):
        """»Start nyt opkald« deletes the previous call: the caller's answers need not outlive the
        journal note the caseworker has copied into the case system."""
        sender = (json_body(request) or {}).get("sender")
        if not isinstance(sender, str) or not UUID.match(sender):
            return error("Ugyldigt samtale-id.", 400)
        loop = asyncio.get_running_loop()
        deleted = await loop.run_in_executor(None, delete_conversation, STAFF_PREFIX + sender, config.tracker_url)
        return response.json({"slettet": deleted})

    @app.get(API + "ansoegninger")
    async def applications(request: Request):
        try:
            rows = await asyncio.get_running_loop().run_in_executor(None, records.list_applications)
        except records.RecordsUnavailable as exc:
            return error(str(exc), 503)
        return response.json({"ansoegninger": rows})

    @app.get(API + "ansoegninger/<reference:str>")
    async def application(request: Request, reference: str):
        if not REFERENCE.match(reference):
            return error("Ugyldig reference.", 400)
        try:
            record = await asyncio.get_running_loop().run_in_executor(None, records.get_application, reference)
        except records.RecordsUnavailable as exc:
            return error(str(exc), 503)
        if record is None:
            return error("Ansøgningen findes ikke.", 404)
        return response.json(record, default=str)
