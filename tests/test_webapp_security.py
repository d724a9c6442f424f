"""The web server served in-process (tests/sanic_client.py) with a stand-in for Rasa: the review's
holes on the web side (issue 15, items 2, 4, 7, 8, 9, 10), each reproduced here."""
import asyncio
import uuid

import pytest
from sanic import Sanic, response

from sanic_client import serve
from training_guidance.handoff import security as sec
from webapp.config import WebConfig
from webapp.server import create_app

ORIGIN = "http://127.0.0.1:5080"
PASSWORD = "rigtig-adgangskode"
CHANNEL_SECRET = "k" * 40


class FakeRasa:
    """Records what the web server sends to Rasa and answers like the REST channel."""

    def __init__(self):
        self.calls = []
        self.app = Sanic(f"fake_rasa_{uuid.uuid4().hex[:8]}")

        @self.app.post("/webhooks/<channel>/webhook")
        async def webhook(request, channel):
            self.calls.append({"channel": channel, "body": request.json, "headers": dict(request.headers)})
            return response.json([{"recipient_id": request.json["sender"], "text": "Hej fra Rasa"}])


def config(database, rasa_url="http://127.0.0.1:1", **env):
    values = {"TG_STAFF_USER": "anna", "TG_STAFF_PASSWORD": PASSWORD, "TG_WEB_ORIGIN": ORIGIN,
              "TG_DATABASE_URL": database.url, "TG_RASA_URL": rasa_url, "TG_CHANNEL_SECRET": CHANNEL_SECRET,
              "TG_WEB_SECRET": "w" * 40}
    values.update(env)
    return WebConfig.from_env(values)


def cheap_hasher():
    """argon2id with small parameters: the tests hash many passwords (production: the library's defaults)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def accounts_for(database, clock):
    from training_guidance.handoff.accounts import AccountStore

    return AccountStore(database.engine, clock=clock, hasher=cheap_hasher())


def app_for(database, clock, **env):
    """The web server with the personal account anna (caseworker, every municipality)."""
    cfg = config(database, **env)
    accounts = accounts_for(database, clock)
    if accounts.member("anna") is None:
        accounts.add("anna", "sagsbehandler", ["alle"], PASSWORD, by="test")
    return create_app(cfg, security=sec.SecurityStore(database.engine, clock=clock), accounts=accounts)


def login_form(password=PASSWORD, user="anna"):
    return {"brugernavn": user, "adgangskode": password}


async def login(client, password=PASSWORD, headers=None, user="anna"):
    return await client.post("/personale/login", data=login_form(password, user),
                             headers={"Origin": ORIGIN, **(headers or {})})


def cookie_of(reply):
    return reply.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]


def run(coroutine):
    return asyncio.run(coroutine)


# --- item 8: origin and Host --------------------------------------------------------------------

def test_siden_viser_den_konfigurerede_origin_ikke_host_headeren_og_caches_ikke(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            page = await client.get("/", headers={"Host": "evil.example"})
            assert page.status == 200 and "evil.example" not in page.text
            assert f"{ORIGIN}/widget/traeningsguiden.js" in page.text
            assert page.headers["Cache-Control"] == "no-store"
            for path in ("/privatliv", "/personale/login"):
                assert (await client.get(path)).headers["Cache-Control"] == "no-store"
            assert (await client.get("/static/site.css")).headers["Cache-Control"] == "no-cache"
    run(check())


def test_en_origin_der_passer_til_host_headeren_men_ikke_til_den_konfigurerede_afvises(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            forged = {"Host": "evil.example", "Origin": "http://evil.example"}
            reply = await client.post("/personale/login", data=login_form(), headers=forged)
            assert reply.status == 403 and "Set-Cookie" not in reply.headers
            other_scheme = await client.post("/personale/login", data=login_form(),
                                             headers={"Origin": ORIGIN.replace("http:", "https:")})
            assert other_scheme.status == 403
            chat = await client.post("/api/besked", json={"sender": str(uuid.uuid4()), "message": "hej"}, headers=forged)
            assert chat.status == 403
            assert (await login(client)).status == 303
    run(check())


# --- item 7: sessions ---------------------------------------------------------------------------

def test_to_logins_i_samme_sekund_faar_hver_sin_tilfaeldige_session(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            first, second = cookie_of(await login(client)), cookie_of(await login(client))
            assert first != second
            for token in (first, second):
                assert (await client.get("/personale/api/ansoegninger", cookies={"tg_personale": token})).status == 200
    run(check())


def test_en_logget_ud_session_virker_ikke_efter_en_genstart(database, clock):
    async def first_run():
        async with serve(app_for(database, clock)) as client:
            token = cookie_of(await login(client))
            out = await client.post("/personale/logout", headers={"Origin": ORIGIN}, cookies={"tg_personale": token})
            assert out.status == 303
            return token

    token = run(first_run())

    async def after_restart():
        async with serve(app_for(database, clock)) as client:  # a new process: nothing in memory
            reply = await client.get("/personale/api/ansoegninger", cookies={"tg_personale": token})
            assert reply.status == 401
            assert (await client.get("/personale/", cookies={"tg_personale": token})).status == 303
    run(after_restart())


def test_cookien_er_httponly_samesite_strict_og_kun_til_personalesiderne(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            cookie = (await login(client)).headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/personale" in cookie
            assert "Secure" not in cookie
    run(check())


# --- item 4: lockout ----------------------------------------------------------------------------

def test_bag_en_proxy_laaser_en_fremmed_ikke_personalet_ude(database, clock):
    """Behind the documented proxy every client had the proxy's address: five wrong passwords from
    anyone blocked everyone. With the proxy trusted (TG_PROXIES_COUNT=1), only the guesser waits."""
    async def check():
        async with serve(app_for(database, clock, TG_PROXIES_COUNT="1")) as client:
            stranger = {"X-Forwarded-For": "203.0.113.66"}
            for _ in range(sec.LOGIN_FREE):
                assert (await login(client, "forkert", stranger)).status == 401
            blocked = await login(client, PASSWORD, stranger)
            assert blocked.status == 429 and "For mange forsøg" in blocked.text and int(blocked.headers["Retry-After"]) > 0
            assert (await login(client, PASSWORD, {"X-Forwarded-For": "10.20.30.40"})).status == 303
    run(check())


def test_uden_en_betroet_proxy_kan_en_klient_ikke_skifte_adresse_med_en_header(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:  # TG_PROXIES_COUNT unset: the peer counts
            for i in range(sec.LOGIN_FREE):
                await login(client, "forkert", {"X-Forwarded-For": f"198.51.100.{i}"})
            assert (await login(client, PASSWORD, {"X-Forwarded-For": "198.51.100.99"})).status == 429
    run(check())


def test_ventetiden_er_delt_mellem_webservere_og_slipper_det_rigtige_login_ind_igen(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as first, serve(app_for(database, clock)) as second:
            for _ in range(sec.LOGIN_FREE):
                await login(first, "forkert")
            assert (await login(second, PASSWORD)).status == 429  # the other instance knows
            for _ in range(10):  # the guesser goes on, one try after each wait
                clock.advance(seconds=sec.LOGIN_MAX_WAIT)
                assert (await login(first, "forkert")).status == 401
            clock.advance(seconds=sec.LOGIN_MAX_WAIT)
            assert (await login(second, PASSWORD)).status == 303  # never locked out for good
    run(check())


# --- item 2: staff mode only through the staff channel --------------------------------------------

def test_konsollen_bruger_personalekanalen_med_hemmeligheden_og_chatten_den_offentlige(database, clock):
    rasa = FakeRasa()
    sender = str(uuid.uuid4())

    async def check():
        async with serve(rasa.app) as fake:
            async with serve(app_for(database, clock, rasa_url=fake.base)) as client:
                token = cookie_of(await login(client))
                reply = await client.post("/personale/api/besked", json={"sender": sender, "message": "/greet"},
                                          headers={"Origin": ORIGIN}, cookies={"tg_personale": token})
                assert reply.status == 200 and reply.json()[0]["text"] == "Hej fra Rasa"
                citizen = await client.post("/api/besked", headers={"Origin": ORIGIN}, json={
                    "sender": sender, "message": "hej", "kommune": "0661", "metadata": {"mode": "staff"},
                    "input_channel": "personale"})
                assert citizen.status == 200
    run(check())
    staff, public = rasa.calls
    assert staff["channel"] == "personale" and staff["body"]["sender"] == f"personale-{sender}"
    assert staff["headers"]["authorization"] == f"Bearer {CHANNEL_SECRET}" and "metadata" not in staff["body"]
    assert public["channel"] == "rest" and public["body"]["metadata"] == {"kommune": "0661"}
    assert "authorization" not in public["headers"] and "input_channel" not in public["body"]
    assert public["headers"]["forwarded"] == f'for="127.0.0.1";secret="{CHANNEL_SECRET}"'


def test_uden_kanalhemmelighed_svarer_konsollen_at_den_ikke_er_sat_op(database, clock):
    async def check():
        async with serve(app_for(database, clock, TG_CHANNEL_SECRET="")) as client:
            token = cookie_of(await login(client))
            reply = await client.post("/personale/api/besked", json={"sender": str(uuid.uuid4()), "message": "hej"},
                                      headers={"Origin": ORIGIN}, cookies={"tg_personale": token})
            assert reply.status == 503 and "TG_CHANNEL_SECRET" in reply.json()["error"]
    run(check())


# --- item 9: the list pages through every application ---------------------------------------------

def test_personalet_kan_blade_gennem_alle_ansoegninger(database, clock):
    from records_helpers import draft

    made = [database.submit(draft(), f"liste-{i}", ["folder"]).reference for i in range(230)]

    async def check():
        async with serve(app_for(database, clock)) as client:
            cookies = {"tg_personale": cookie_of(await login(client))}
            seen, before, pages = [], None, 0
            while True:
                path = "/personale/api/ansoegninger" + (f"?foer={before}" if before else "")
                page = (await client.get(path, cookies=cookies)).json()
                seen += [row["reference"] for row in page["ansoegninger"]]
                pages += 1
                assert page["i_alt"] == 230
                before = page["naeste"]
                if before is None:
                    break
            assert seen == made[::-1] and pages == 3
            for bad in ("0", "-1", "abc", "1%0A"):
                assert (await client.get(f"/personale/api/ansoegninger?foer={bad}", cookies=cookies)).status == 400
    run(check())


# --- item 10: minor ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/slet", "/api/besked"])
def test_et_samtale_id_med_linjeskift_til_sidst_afvises(database, clock, path, monkeypatch):
    deleted = []
    monkeypatch.setattr("webapp.citizen.delete_conversation", lambda sender, url: deleted.append(sender) or 0)

    async def check():
        async with serve(app_for(database, clock)) as client:
            reply = await client.post(path, json={"sender": str(uuid.uuid4()) + "\n", "message": "hej"},
                                      headers={"Origin": ORIGIN})
            assert reply.status == 400
    run(check())
    assert deleted == []


def test_mapper_under_static_og_widget_giver_404_ikke_500(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            for path in ("/static/", "/widget/", "/static/personale/", "/static/findes-ikke.js"):
                reply = await client.get(path)
                assert reply.status == 404, path
            assert (await client.get("/widget/traeningsguiden.js")).status == 200
    run(check())


def test_personalets_referenceopslag_afviser_et_linjeskift_til_sidst(database, clock):
    async def check():
        async with serve(app_for(database, clock)) as client:
            cookies = {"tg_personale": cookie_of(await login(client))}
            assert (await client.get("/personale/api/ansoegninger/TG-2026-000001%0A", cookies=cookies)).status == 400
    run(check())


def test_produktion_kraever_lange_hemmeligheder_og_en_origin_med_skema(database):
    from webapp.config import ConfigError

    production = {"TG_ENV": "production", "TG_STAFF_USER": "a", "TG_STAFF_PASSWORD": "b" * 20,
                  "TG_WEB_SECRET": "w" * 40, "TG_CHANNEL_SECRET": "c" * 40}
    WebConfig.from_env(dict(production))
    for name in ("TG_WEB_SECRET", "TG_CHANNEL_SECRET"):
        with pytest.raises(ConfigError, match=name):
            WebConfig.from_env(dict(production, **{name: "kort"}))
    with pytest.raises(ConfigError, match="TG_WEB_ORIGIN"):
        WebConfig.from_env(dict(production, TG_WEB_ORIGIN="traeningsguiden.holstebro.dk"))
