"""Single sign-on for staff (webapp/oidc.py, webapp/sso.py) against a local OpenID provider that the
tests start (tests/oidc/provider.mjs: the npm package oidc-provider, on loopback), the web server
served in-process (tests/sanic_client.py): the role and the municipalities come from the claims,
with configurable claim names and value maps; forged answers are refused."""
import asyncio
import time
import urllib.parse

import pytest
import sqlalchemy as sa

from oidc_provider import log_in_at_provider, running_provider
from records_helpers import draft
from sanic_client import free_port, serve
from training_guidance.handoff import security as sec
from training_guidance.handoff.accounts import AccountStore
from webapp import oidc
from webapp.config import WebConfig
from webapp.server import create_app

HOLSTEBRO, HORSENS = "0661", "0615"
ANNE = {"preferred_username": "Anne@Holstebro.dk", "email": "anne@holstebro.dk", "roles": ["sagsbehandler"],
        "kommuner": [HOLSTEBRO]}


@pytest.fixture(scope="module")
def web_port():
    return free_port()


@pytest.fixture(scope="module")
def provider(tmp_path_factory, web_port):
    folder = tmp_path_factory.mktemp("oidc")
    with running_provider(folder, [f"http://127.0.0.1:{web_port}/personale/sso/svar"], {"anne": ANNE}) as running:
        yield running


def app_for(database, clock, provider, web_port, **settings):
    env = {"TG_WEB_ORIGIN": f"http://127.0.0.1:{web_port}", "TG_DATABASE_URL": database.url,
           "TG_CHANNEL_SECRET": "k" * 40, "TG_WEB_SECRET": "w" * 40, **provider.settings(**settings)}
    accounts = AccountStore(database.engine, clock=clock)
    return create_app(WebConfig.from_env(env), security=sec.SecurityStore(database.engine, clock=clock),
                      accounts=accounts), accounts


async def sso_login(client, login):
    """The whole login as a browser makes it; returns the callback's reply."""
    start = await client.get("/personale/sso")
    assert start.status == 303, start.text
    state = start.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    answer = await asyncio.get_running_loop().run_in_executor(None, log_in_at_provider, start.headers["Location"], login)
    return await client.get("/personale/sso/svar?" + urllib.parse.urlencode(answer), cookies={"tg_sso": state})


def session_of(reply):
    cookies = [c for c in reply.headers.getall("Set-Cookie") if c.startswith("tg_personale=")]
    return {"tg_personale": cookies[0].split(";")[0].split("=", 1)[1]} if cookies else None


def test_login_med_kommunens_login_giver_rolle_og_kommuner_fra_kravene(database, clock, provider, web_port):
    app, accounts = app_for(database, clock, provider, web_port)
    holstebro = database.submit(draft(HOLSTEBRO), "k1", ["folder"]).reference
    horsens = database.submit(draft(HORSENS), "k2", ["folder"]).reference

    async def check():
        async with serve(app, web_port) as client:
            form = await client.get("/personale/login")
            assert 'href="/personale/sso"' in form.text and '<p class="sso" >' in form.text
            done = await sso_login(client, "anne")
            assert done.status == 200 and 'content="0;url=/personale/"' in done.text
            assert "SameSite=Strict" in [c for c in done.headers.getall("Set-Cookie") if "tg_personale" in c][0]
            cookie = session_of(done)
            listed = (await client.get("/personale/api/ansoegninger", cookies=cookie)).json()
            assert [r["reference"] for r in listed["ansoegninger"]] == [holstebro]
            assert (await client.get(f"/personale/api/ansoegninger/{horsens}", cookies=cookie)).status == 404
            # The provider moves Anne to Horsens: the next login carries it.
            provider.set_account("anne", dict(ANNE, kommuner=[HORSENS]))
            again = session_of(await sso_login(client, "anne"))
            listed = (await client.get("/personale/api/ansoegninger", cookies=again)).json()
            assert [r["reference"] for r in listed["ansoegninger"]] == [horsens]
            provider.set_account("anne", ANNE)

    asyncio.run(check())
    [account] = accounts.list()
    assert account["name"] == "anne@holstebro.dk" and account["source"] == provider.issuer
    with database.engine.connect() as conn:
        actors = conn.execute(sa.text("SELECT DISTINCT actor FROM audit_log WHERE action != 'oprettet'")).scalars().all()
    assert actors == ["personale:anne@holstebro.dk"]


def test_kravenes_navne_og_vaerdier_kan_saettes_som_entra_id_sender_dem(database, clock, provider, web_port):
    provider.set_account("bo", {"preferred_username": "bo@horsens.dk", "roles": ["Traeningsguiden.Indhold"],
                                "groups": ["4f0c1c5e-gruppe-horsens"]})
    app, accounts = app_for(database, clock, provider, web_port, TG_OIDC_MUNICIPALITIES_CLAIM="groups",
                            TG_OIDC_ROLE_MAP="Traeningsguiden.Indhold=indholdsansvarlig",
                            TG_OIDC_MUNICIPALITY_MAP=f"4f0c1c5e-gruppe-horsens={HORSENS}")

    async def check():
        async with serve(app, web_port) as client:
            cookie = session_of(await sso_login(client, "bo"))
            assert (await client.get("/personale/api/ansoegninger", cookies=cookie)).status == 403
            assert (await client.get("/personale/api/spoergsmaal", cookies=cookie)).status == 200

    asyncio.run(check())
    assert accounts.list()[0]["municipalities"] == [HORSENS] and accounts.list()[0]["role"] == "indholdsansvarlig"


def test_uden_rolle_eller_kommune_og_for_en_spaerret_konto_er_der_intet_login(database, clock, provider, web_port):
    provider.set_account("carl", {"preferred_username": "carl", "roles": ["noget-andet"], "kommuner": [HOLSTEBRO]})
    provider.set_account("dorte", {"preferred_username": "dorte", "roles": ["sagsbehandler"]})
    app, accounts = app_for(database, clock, provider, web_port)

    async def check():
        async with serve(app, web_port) as client:
            refused = await sso_login(client, "carl")
            assert refused.status == 403 and "ingen rolle" in refused.text and session_of(refused) is None
            refused = await sso_login(client, "dorte")
            assert refused.status == 403 and "ikke knyttet til en kommune" in refused.text
            assert session_of(await sso_login(client, "anne"))
            accounts.set_enabled("anne@holstebro.dk", False)
            refused = await sso_login(client, "anne")
            assert refused.status == 403 and "spærret" in refused.text and session_of(refused) is None

    asyncio.run(check())


def test_et_svar_der_ikke_hoerer_til_dette_loginforsoeg_afvises(database, clock, provider, web_port):
    app, _ = app_for(database, clock, provider, web_port)

    async def check():
        async with serve(app, web_port) as client:
            start = await client.get("/personale/sso")
            state = start.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
            answer = await asyncio.get_running_loop().run_in_executor(
                None, log_in_at_provider, start.headers["Location"], "anne")
            query = urllib.parse.urlencode(answer)
            for cookies in ({}, {"tg_sso": state[:-2] + "xx"}):  # no cookie, a forged one
                refused = await client.get("/personale/sso/svar?" + query, cookies=cookies)
                assert refused.status == 403 and session_of(refused) is None
            other = urllib.parse.urlencode(dict(answer, state="en-anden-tilstand"))
            assert (await client.get("/personale/sso/svar?" + other, cookies={"tg_sso": state})).status == 403
            assert session_of(await client.get("/personale/sso/svar?" + query, cookies={"tg_sso": state}))
            replay = await client.get("/personale/sso/svar?" + query, cookies={"tg_sso": state})
            assert replay.status == 403  # the provider takes a code once

    asyncio.run(check())


def test_uden_opsaetning_findes_single_sign_on_ikke(database, clock):
    config = WebConfig.from_env({"TG_DATABASE_URL": database.url, "TG_WEB_SECRET": "w" * 40})
    assert config.oidc is None
    app = create_app(config, security=sec.SecurityStore(database.engine, clock=clock))

    async def check():
        async with serve(app) as client:
            assert (await client.get("/personale/sso")).status == 404
            assert (await client.get("/personale/sso/svar?code=x&state=y")).status == 404

    asyncio.run(check())


# --- the parts on their own ------------------------------------------------------------------------
CONFIG = oidc.OidcConfig(issuer="https://login.example", client_id="tg", client_secret=None,
                         redirect_uri="https://tg.example/personale/sso/svar",
                         role_map={"https://kombit.example/roles/usersystemrole/sagsbehandler/1": "sagsbehandler"},
                         municipality_map={"12345678": HOLSTEBRO})


def test_kravene_bliver_til_en_konto_med_den_staerkeste_rolle():
    identity = oidc.identity_from_claims(CONFIG, {"sub": "s1", "preferred_username": "Anne", "kommuner": "0661 0615",
                                                  "roles": ["borgerservice", "sagsbehandler"]})
    assert identity == oidc.Identity("https://login.example", "s1", "anne", "sagsbehandler", (HORSENS, HOLSTEBRO))
    mapped = oidc.identity_from_claims(CONFIG, {"sub": "s2", "kommuner": ["12345678", "99999999"],
                                                "roles": "https://kombit.example/roles/usersystemrole/sagsbehandler/1"})
    assert mapped.name == "s2" and mapped.municipalities == (HOLSTEBRO,) and mapped.role == "sagsbehandler"
    with pytest.raises(oidc.SsoError):
        oidc.identity_from_claims(CONFIG, {"preferred_username": "x", "roles": ["sagsbehandler"], "kommuner": ["0661"]})


def test_tilstandscookien_er_signeret_og_holder_ti_minutter():
    secret = b"s" * 32
    cookie = oidc.sign_state(secret, {"s": "abc", "t": 1000})
    assert oidc.read_state(secret, cookie, 1000 + 599)["s"] == "abc"
    assert oidc.read_state(secret, cookie, 1000 + 601) is None
    assert oidc.read_state(b"t" * 32, cookie, 1000) is None
    assert oidc.read_state(secret, cookie.replace(".", "x."), 1000) is None
    assert oidc.read_state(secret, None, 1000) is None and oidc.read_state(secret, "a.b.c", 1000) is None


def test_et_id_token_fra_en_anden_udsteder_eller_til_en_anden_klient_afvises(provider):
    """The provider's own signed token, checked with the wrong expectations, is refused."""
    from joserfc import jwt

    client = oidc.OidcClient(oidc.OidcConfig(issuer=provider.issuer, client_id="en-anden-klient", client_secret=None,
                                             redirect_uri="http://127.0.0.1/x"))
    keys = client.keys()
    assert keys.keys  # the provider's published keys
    # A token signed by a key that is not the provider's:
    from joserfc.jwk import RSAKey

    stranger = RSAKey.generate_key(2048)
    forged = jwt.encode({"alg": "RS256"}, {"iss": provider.issuer, "aud": "en-anden-klient", "sub": "x", "nonce": "n",
                                           "iat": int(time.time()), "exp": int(time.time()) + 60}, stranger)
    with pytest.raises(oidc.SsoError):
        client.id_token_claims(forged, "n")
