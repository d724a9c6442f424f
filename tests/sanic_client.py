"""A test client for the project's Sanic apps without a separate package: the app is served on a
free loopback port inside the test's own event loop and reached with aiohttp. The same client serves
the web server on Sanic 25 (Python 3.11) and Rasa's channels on Rasa's Sanic 21.12 (Python 3.10),
for which sanic-testing needs an httpx whose h11 conflicts with Rasa's pin."""
from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass
from typing import Any, Dict, Optional

import aiohttp
from sanic import Sanic

Sanic.test_mode = True  # several apps of the same name in one test process


@dataclass
class Reply:
    status: int
    headers: Any
    text: str

    def json(self) -> Any:
        import json

        return json.loads(self.text)


class Client:
    def __init__(self, base: str, session: aiohttp.ClientSession):
        self.base, self.session = base, session

    async def request(self, method: str, path: str, *, json: Any = None, data: Any = None,
                      headers: Optional[Dict[str, str]] = None, cookies: Optional[Dict[str, str]] = None) -> Reply:
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        async with self.session.request(method, self.base + path, json=json, data=data, headers=headers,
                                        allow_redirects=False) as resp:
            return Reply(resp.status, resp.headers, await resp.text())

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> Reply:
        return await self.request("POST", path, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def serve(app: Sanic, port: Optional[int] = None):
    """``async with serve(app) as client:`` the app answers on 127.0.0.1 until the block ends."""
    port = port or free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            yield Client(f"http://127.0.0.1:{port}", session)
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


def run(coroutine):
    return asyncio.run(coroutine)
