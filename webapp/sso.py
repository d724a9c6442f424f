"""The staff console's single sign-on routes (OpenID Connect; webapp/oidc.py does the protocol).

  GET /personale/sso        to the provider's login, with state, nonce and PKCE in a signed cookie
  GET /personale/sso/svar   the provider's answer: the code exchanged, the ID token checked, the
                            account written from the claims (training_guidance/handoff/accounts.py:
                            sso_login), a session started

Both answer 404 when TG_OIDC_ISSUER / TG_OIDC_CLIENT_ID are unset.
"""
from __future__ import annotations

import asyncio
import logging

from sanic import Sanic, response
from sanic.request import Request

from training_guidance.handoff.accounts import AccountError

from . import pages
from .common import error
from .config import WebConfig
from .oidc import CALLBACK, STATE_COOKIE, STATE_SECONDS, OidcClient, SsoError

log = logging.getLogger(__name__)
START = "/personale/sso"


async def blocking(function, *args):
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def add_sso_routes(app: Sanic, config: WebConfig, login_page, logged_in) -> None:
    client = OidcClient(config.oidc) if config.oidc else None

    def state_cookie(resp: response.HTTPResponse, value: str, max_age: int) -> None:
        # samesite Lax: sent on the provider's redirect back (a top-level GET from its site)
        resp.add_cookie(STATE_COOKIE, value, path=START, httponly=True, samesite="Lax", max_age=max_age,
                        secure=config.production)

    @app.get(START)
    async def sso_start(request: Request):
        if client is None:
            return error("Ikke fundet.", 404)
        try:
            url, state = await blocking(client.start, config.secret)
        except SsoError as exc:
            return login_page(str(exc), 502)
        resp = response.redirect(url, status=303)
        state_cookie(resp, state, STATE_SECONDS)
        return resp

    @app.get(CALLBACK)
    async def sso_answer(request: Request):
        if client is None:
            return error("Ikke fundet.", 404)
        params = {key: request.args.get(key) for key in ("state", "code", "error") if request.args.get(key)}
        try:
            identity = await blocking(client.finish, config.secret, request.cookies.get(STATE_COOKIE), params)
            member = await blocking(request.app.ctx.accounts.sso_login, identity.issuer, identity.subject,
                                    identity.name, identity.role, list(identity.municipalities))
        except (SsoError, AccountError) as exc:
            log.info("single sign-on refused: %s", type(exc).__name__)
            refused = login_page(str(exc), 403)
            state_cookie(refused, "", 0)
            return refused
        # The session cookie is SameSite=Strict, and this answer is the end of a redirect from the
        # provider's site: a browser would not send the cookie on a redirect from here. A page that
        # moves on by itself is a navigation from our own site, so the console gets the cookie.
        done = response.html(pages.render("sso_videre.html", bruger=member.name), status=200)
        state_cookie(done, "", 0)
        return await logged_in(request, member, "sso", done)

