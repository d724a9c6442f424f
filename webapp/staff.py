"""The staff console: login (personal accounts, or single sign-on), the call script (proxied to Rasa
in staff mode), received applications, and the questions the assistant could not answer.

Every /personale/api/* answer needs a valid session of an enabled account, unknown paths included;
login and every state-changing request also need the server's own Origin. What a staff member sees
is limited by their role (training_guidance/handoff/accounts.py: ROLES) and their municipalities
(``visible_codes``): another municipality's application answers 404, as an unknown one does. Every
view of an application is in the audit log with the staff member's id."""
from __future__ import annotations

import asyncio
import re
from typing import Optional

from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request

from training_guidance.handoff.conversations import delete_conversation

from . import pages, records
from training_guidance.handoff.accounts import APPLICATIONS, CALL_SCRIPT, QUESTIONS, StaffMember, visible_codes

from .auth import COOKIE, COOKIE_PATH, SESSION_SECONDS, client_address, forwarded_header, keyed, same_origin, wait_text
from .common import NOT_ANSWERING, UUID, error, json_body, message_error
from .config import WebConfig
from .rasa import RasaUnavailable, send
from .sso import add_sso_routes

API = "/personale/api/"
# The navigation in pages/_personale_top.html, in its order, and what each page needs.
STAFF_PAGES = {"konsol": CALL_SCRIPT, "ansoegninger": APPLICATIONS, "spoergsmaal": QUESTIONS}
NOT_YOURS = "Din rolle giver ikke adgang til det."
STAFF_PREFIX = "personale-"  # staff conversations: never reachable through the citizen API (UUIDs only)
STAFF_CHANNEL = "personale"  # Rasa's channel for the staff console: /webhooks/personale/webhook
REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,40}\Z")
NOT_SET_UP = "Personalekonsollen er ikke sat op: TG_CHANNEL_SECRET mangler."


async def blocking(function, *args):
    """The security store and the records store are synchronous (SQLAlchemy): off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def add_staff_routes(app: Sanic, config: WebConfig) -> None:
    async def staff_member(request: Request) -> Optional[StaffMember]:
        """The staff member of the request's session (random id, kept in the shared store) when their
        account is still enabled, else None: a disabled account's sessions end at once."""
        if not hasattr(request.ctx, "staff_member"):
            token = request.cookies.get(COOKIE)
            user = await blocking(request.app.ctx.security.session_user, token) if token else None
            request.ctx.staff_member = await blocking(request.app.ctx.accounts.member, user) if user else None
        return request.ctx.staff_member

    def codes_of(member: StaffMember):
        """The kommunekoder ``member`` may see (None: all): their account and the municipalities file."""
        return visible_codes(member, config.handoff)

    def own_origin(request: Request) -> bool:
        return same_origin(request.headers.get("origin"), config.origin)

    def login_page(message: str, status: int = 200) -> response.HTTPResponse:
        return response.html(pages.render("login.html", fejl=message, skjul_sso="" if config.oidc else "hidden"),
                             status=status)

    async def logged_in(request: Request, member: StaffMember, how: str, resp: response.HTTPResponse):
        """Start a session for ``member`` on ``resp`` (the cookie) and note the login in the audit log."""
        session = await blocking(request.app.ctx.security.create_session, member.name)
        resp.add_cookie(COOKIE, session, path=COOKIE_PATH, httponly=True, samesite="Strict",
                        max_age=SESSION_SECONDS, secure=config.production)
        await blocking(records.note, None, member.actor, "logget_ind", {"via": how})
        return resp

    @app.middleware("request")
    async def guard(request: Request):
        if not request.path.startswith(API):
            return None
        if not await staff_member(request):
            return error("Log ind først.", 401)
        if request.method not in ("GET", "HEAD") and not own_origin(request):
            return error("Forkert oprindelse.", 403)
        return None

    @app.exception(NotFound, MethodNotSupported)
    async def not_found(request: Request, exc: Exception):
        if request.path.startswith(API) and not await staff_member(request):  # the router answers before middleware
            return error("Log ind først.", 401)
        if isinstance(exc, MethodNotSupported):
            return error("Metoden er ikke tilladt.", 405)
        return error("Ikke fundet.", 404)

    async def staff_page(request: Request, page: str, title: str):
        """A staff page (``page``.html, its navigation entry marked, the entries the role may not use
        hidden) for a logged-in user; the login page for anyone else."""
        member = await staff_member(request)
        if not member:
            return response.redirect("/personale/login", status=303)
        if not member.may(STAFF_PAGES[page]):
            return response.redirect("/personale/", status=303)
        current = {f"aktuel_{name}": "page" if name == page else "false" for name in STAFF_PAGES}
        hidden = {f"skjul_{name}": "" if member.may(need) else "hidden" for name, need in STAFF_PAGES.items()}
        return response.html(pages.render(f"{page}.html", bruger=member.name, side_titel=title, **current, **hidden))

    @app.get("/personale/")
    async def console(request: Request):
        return await staff_page(request, "konsol", "Opkaldsmanuskript")

    @app.get("/personale/ansoegninger")
    async def applications_page(request: Request):
        return await staff_page(request, "ansoegninger", "Ansøgninger")

    @app.get("/personale/spoergsmaal")
    async def questions_page(request: Request):
        return await staff_page(request, "spoergsmaal", "Ubesvarede spørgsmål")

    @app.get("/personale/login")
    async def login_form(request: Request):
        return login_page("")

    @app.post("/personale/login")
    async def login(request: Request):
        if not own_origin(request):
            return login_page("Log ind fra denne side.", 403)
        security = request.app.ctx.security
        user = request.form.get("brugernavn") or ""
        password = request.form.get("adgangskode") or ""
        # Back-off per user name and address (as a trusted proxy names it), shared by every web
        # server: a stranger's guesses never lock out staff at another address.
        user_key = keyed(config.secret, "user", user.strip().lower())
        address_key = keyed(config.secret, "address", client_address(request))
        wait = await blocking(security.login_wait, user_key, address_key)
        if wait > 0:
            refused = login_page(wait_text(wait), 429)
            refused.headers["Retry-After"] = str(int(wait) + 1)
            return refused
        member = await blocking(request.app.ctx.accounts.authenticate, user.strip(), password)
        if member is None:
            await blocking(security.login_failed, user_key, address_key)
            return login_page("Forkert brugernavn eller adgangskode.", 401)
        await blocking(security.login_succeeded, user_key, address_key)
        return await logged_in(request, member, "adgangskode", response.redirect("/personale/", status=303))

    @app.post("/personale/logout")
    async def logout(request: Request):
        if not own_origin(request):
            return error("Forkert oprindelse.", 403)
        if await staff_member(request):  # revoked in the shared store: gone after a restart too
            await blocking(request.app.ctx.security.revoke, request.cookies.get(COOKIE))
        resp = response.redirect("/personale/login", status=303)
        resp.delete_cookie(COOKIE, path=COOKIE_PATH)
        return resp

    @app.post(API + "besked")
    async def script_message(request: Request):
        body = json_body(request) or {}
        problem = message_error(body)
        if problem:
            return error(problem, 400)
        if not config.channel_secret:
            return error(NOT_SET_UP, 503)
        # The staff channel (bot/channels.py) sets staff mode itself; only this server knows its secret.
        headers = {"Authorization": f"Bearer {config.channel_secret}",
                   "Forwarded": forwarded_header(client_address(request), config.channel_secret)}
        try:
            replies = await send(request.app.ctx.http, config.rasa_url, STAFF_PREFIX + body["sender"],
                                 body["message"], None, channel=STAFF_CHANNEL, headers=headers)
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

    def forbidden(request: Request, permission: str) -> Optional[response.HTTPResponse]:
        member = request.ctx.staff_member
        return None if member.may(permission) else error(NOT_YOURS, 403)

    @app.get(API + "ansoegninger")
    async def applications(request: Request):
        """One page of the applications this staff member may see, newest first; ``naeste`` is the
        ``foer`` of the next page (None: the last). The references shown go into the audit log."""
        refused = forbidden(request, APPLICATIONS)
        if refused:
            return refused
        before = request.args.get("foer")
        if before is not None and not re.fullmatch(r"[1-9][0-9]{0,17}", before):
            return error("Ugyldig side.", 400)
        member = request.ctx.staff_member
        try:
            page = await blocking(records.list_page, int(before) if before else None, records.PAGE_SIZE,
                                  codes_of(member))
            await blocking(records.note, None, member.actor, "liste_vist",
                           {"references": [row["reference"] for row in page.rows], "via": "web"})
        except records.RecordsUnavailable as exc:
            return error(str(exc), 503)
        return response.json({"ansoegninger": page.rows, "naeste": page.next, "i_alt": page.total})

    @app.get(API + "ansoegninger/<reference:str>")
    async def application(request: Request, reference: str):
        refused = forbidden(request, APPLICATIONS)
        if refused:
            return refused
        if not REFERENCE.match(reference):
            return error("Ugyldig reference.", 400)
        member = request.ctx.staff_member
        try:
            record = await blocking(records.get_application, reference, codes_of(member))
            if record is not None:
                await blocking(records.note, reference, member.actor, "vist", {"via": "web"})
        except records.RecordsUnavailable as exc:
            return error(str(exc), 503)
        if record is None:  # another municipality's application is as unknown as a wrong reference
            return error("Ansøgningen findes ikke.", 404)
        return response.json(record, default=str)

    @app.get(API + "spoergsmaal")
    async def unanswered(request: Request):
        """The questions the assistant could not answer, per municipality this staff member may see,
        newest first, each once with how often it was asked."""
        refused = forbidden(request, QUESTIONS)
        if refused:
            return refused
        try:
            groups = await blocking(records.unanswered, codes_of(request.ctx.staff_member))
        except records.RecordsUnavailable as exc:
            return error(str(exc), 503)
        return response.json({"kommuner": groups})

    add_sso_routes(app, config, login_page, logged_in)
