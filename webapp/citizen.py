"""The citizen side: the demo page, the privacy page, and the chat's API (send, delete)."""
from __future__ import annotations

import asyncio
import re

from sanic import Sanic, response
from sanic.request import Request

from training_guidance.handoff.conversations import delete_conversation

from . import pages
from .auth import client_address, forwarded_header, same_origin
from .common import NOT_ANSWERING, UUID, error, json_body, message_error
from .config import WebConfig
from .rasa import RasaUnavailable, send

KOMMUNE = re.compile(r"^\d{4}$")


def add_citizen_routes(app: Sanic, config: WebConfig) -> None:
    def origin_allowed(request: Request) -> bool:
        """No Origin (not a browser), the configured own origin (TG_WEB_ORIGIN, never the Host
        header), or a municipality site in TG_CORS_ORIGINS."""
        origin = request.headers.get("origin")
        return origin is None or same_origin(origin, config.origin) or origin in config.cors_origins

    def vouch(request: Request) -> dict:
        """Tell Rasa the citizen's address (for its per-address limits); Rasa trusts it only with
        the channel secret."""
        if not config.channel_secret:
            return {}
        return {"Forwarded": forwarded_header(client_address(request), config.channel_secret)}

    def preflight(request: Request) -> response.HTTPResponse:
        origin = request.headers.get("origin")
        if origin not in config.cors_origins:
            return response.empty(status=403)
        return response.empty(status=204, headers={
            "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600", "Vary": "Origin",
        })

    @app.get("/")
    async def index(request: Request):
        code, name = pages.demo_municipality(request.args.get("kommune"))
        return response.html(pages.render("index.html", kommune=code, kommune_navn=name,
                                          snippet=pages.snippet(config.origin, code)))  # never the Host header

    @app.get("/privatliv")
    async def privacy(request: Request):
        from training_guidance.handoff.config import HandoffConfig

        code = request.args.get("kommune")  # several municipalities: each one's own periods
        config = HandoffConfig.from_env().for_municipality(code if code and KOMMUNE.match(code) else None)
        return response.html(pages.render("privatliv.html", chat_days=str(config.chat_retention_days),
                                          record_days=str(config.record_retention_days)))

    @app.route("/api/besked", methods=["POST", "OPTIONS"])
    async def citizen_message(request: Request):
        if request.method == "OPTIONS":
            return preflight(request)
        if not origin_allowed(request):
            return error("Denne side må ikke bruge chatten.", 403)
        body = json_body(request)
        if body is None:
            return error("Beskeden skal være et JSON-objekt.", 400)
        problem = message_error(body)
        if problem:
            return error(problem, 400)
        kommune = body.get("kommune")
        if kommune is not None and (not isinstance(kommune, str) or not KOMMUNE.match(kommune)):
            return error("Ugyldig kommunekode.", 400)
        try:  # metadata is set here, never taken from the browser: a citizen cannot start staff mode
            replies = await send(request.app.ctx.http, config.rasa_url, body["sender"], body["message"],
                                 {"kommune": kommune} if kommune else None, headers=vouch(request))
        except RasaUnavailable:
            return error(NOT_ANSWERING, 502)
        return response.json(replies)

    @app.route("/api/slet", methods=["POST", "OPTIONS"])
    async def citizen_delete(request: Request):
        if request.method == "OPTIONS":
            return preflight(request)
        if not origin_allowed(request):
            return error("Denne side må ikke bruge chatten.", 403)
        sender = (json_body(request) or {}).get("sender")
        if not isinstance(sender, str) or not UUID.match(sender):
            return error("Ugyldigt samtale-id.", 400)
        loop = asyncio.get_running_loop()
        deleted = await loop.run_in_executor(None, delete_conversation, sender, config.tracker_url)
        return response.json({"slettet": deleted})
