"""The staff console on personal accounts, served in-process (tests/sanic_client.py), with two
municipalities: each staff member sees only their municipalities' applications and questions
(another municipality's application answers 404), the role decides which pages they may use, and
every view is in the audit log with the staff member's id."""
import asyncio

import pytest
import sqlalchemy as sa

from records_helpers import draft
from sanic_client import serve
from training_guidance.handoff import security as sec
from training_guidance.handoff.accounts import AccountStore
from training_guidance.handoff.questions import QuestionStore
from webapp.config import WebConfig
from webapp.server import create_app

ORIGIN = "http://127.0.0.1:5080"
PASSWORD = "en-lang-adgangskode"
HOLSTEBRO, HORSENS = "0661", "0615"


def cheap_hasher():
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def database(record_store, database_url, monkeypatch):
    monkeypatch.setenv("TG_DATABASE_URL", database_url)  # webapp/records.py reads the records store from it
    return record_store


@pytest.fixture
def world(database, tmp_path, clock):
    """Holstebro lists its staff in the municipalities file; Horsens leaves it to the accounts."""
    path = tmp_path / "kommuner.yml"
    path.write_text(f"""
municipalities:
  "{HOLSTEBRO}": {{name: Holstebro, folder: ud/0661, staff: [anne, claus, dorte, ulla]}}
  "{HORSENS}": {{name: Horsens, folder: ud/0615}}
""", encoding="utf-8")
    accounts = AccountStore(database.engine, clock=clock, hasher=cheap_hasher())
    for name, role, codes in (("anne", "sagsbehandler", [HOLSTEBRO]), ("bo", "sagsbehandler", [HORSENS]),
                              ("claus", "indholdsansvarlig", [HOLSTEBRO]), ("dorte", "borgerservice", [HOLSTEBRO]),
                              ("ulla", "sagsbehandler", [HOLSTEBRO, HORSENS])):
        accounts.add(name, role, codes, PASSWORD, by="test")
    references = {code: database.submit(draft(code), f"k-{code}", ["folder"]).reference for code in (HOLSTEBRO, HORSENS)}
    questions = QuestionStore(database.engine, clock=clock)
    questions.note("Må jeg tage hunden med?", HOLSTEBRO)
    questions.note("må jeg tage hunden med", HOLSTEBRO)
    questions.note("Er der parkering ved centret?", HORSENS)
    config = WebConfig.from_env({"TG_WEB_ORIGIN": ORIGIN, "TG_DATABASE_URL": database.url, "TG_CHANNEL_SECRET": "k" * 40,
                                 "TG_WEB_SECRET": "w" * 40, "TG_MUNICIPALITIES_FILE": str(path),
                                 "TG_DATA_DIR": str(tmp_path)})
    app = create_app(config, security=sec.SecurityStore(database.engine, clock=clock), accounts=accounts)
    return app, references, accounts


async def login(client, user, password=PASSWORD):
    reply = await client.post("/personale/login", data={"brugernavn": user, "adgangskode": password},
                              headers={"Origin": ORIGIN})
    assert reply.status == 303, reply.text
    return {"tg_personale": reply.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]}


def audit(database):
    with database.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT actor, action, reference FROM audit_log "
                                                       "WHERE action != 'oprettet' ORDER BY id"))]


def test_hver_sagsbehandler_ser_kun_sin_egen_kommunes_ansoegninger_og_hvert_opslag_logges(world, database):
    app, refs, _ = world

    async def check():
        async with serve(app) as client:
            anne, bo = await login(client, "anne"), await login(client, "bo")
            listed = (await client.get("/personale/api/ansoegninger", cookies=anne)).json()
            assert [r["reference"] for r in listed["ansoegninger"]] == [refs[HOLSTEBRO]] and listed["i_alt"] == 1
            assert (await client.get(f"/personale/api/ansoegninger/{refs[HORSENS]}", cookies=anne)).status == 404
            own = await client.get(f"/personale/api/ansoegninger/{refs[HOLSTEBRO]}", cookies=anne)
            assert own.status == 200 and own.json()["municipality_code"] == HOLSTEBRO
            listed = (await client.get("/personale/api/ansoegninger", cookies=bo)).json()
            assert [r["reference"] for r in listed["ansoegninger"]] == [refs[HORSENS]]
            assert (await client.get(f"/personale/api/ansoegninger/{refs[HOLSTEBRO]}", cookies=bo)).status == 404
            assert (await client.get(f"/personale/api/ansoegninger/{refs[HORSENS]}", cookies=bo)).status == 200
            both = await login(client, "ulla")
            listed = (await client.get("/personale/api/ansoegninger", cookies=both)).json()
            assert sorted(r["reference"] for r in listed["ansoegninger"]) == sorted(refs.values())

    asyncio.run(check())
    assert audit(database) == [
        ("personale:anne", "logget_ind", None), ("personale:bo", "logget_ind", None),
        ("personale:anne", "liste_vist", None), ("personale:anne", "vist", refs[HOLSTEBRO]),
        ("personale:bo", "liste_vist", None), ("personale:bo", "vist", refs[HORSENS]),
        ("personale:ulla", "logget_ind", None), ("personale:ulla", "liste_vist", None)]
    assert database.audit_trail(refs[HOLSTEBRO])[1]["detail"] == {"via": "web"}


def test_kommunefilen_begraenser_ogsaa_en_konto_der_naevner_kommunen(world, database, clock):
    app, refs, accounts = world
    accounts.add("carl", "sagsbehandler", [HOLSTEBRO, HORSENS], PASSWORD, by="test")  # not on Holstebro's list

    async def check():
        async with serve(app) as client:
            carl = await login(client, "carl")
            listed = (await client.get("/personale/api/ansoegninger", cookies=carl)).json()
            assert [r["reference"] for r in listed["ansoegninger"]] == [refs[HORSENS]]
            assert (await client.get(f"/personale/api/ansoegninger/{refs[HOLSTEBRO]}", cookies=carl)).status == 404

    asyncio.run(check())


def test_rollen_bestemmer_siderne_og_spoergsmaalene_vises_per_kommune(world):
    app, refs, _ = world

    async def check():
        async with serve(app) as client:
            claus, dorte, bo = await login(client, "claus"), await login(client, "dorte"), await login(client, "bo")
            assert (await client.get("/personale/api/ansoegninger", cookies=claus)).status == 403
            assert (await client.get(f"/personale/api/ansoegninger/{refs[HOLSTEBRO]}", cookies=claus)).status == 403
            page = await client.get("/personale/ansoegninger", cookies=claus)
            assert page.status == 303 and page.headers["Location"] == "/personale/"
            groups = (await client.get("/personale/api/spoergsmaal", cookies=claus)).json()["kommuner"]
            assert groups == [{"kode": HOLSTEBRO, "navn": "Holstebro", "i_alt": 2, "spoergsmaal": [
                {"kommunekode": HOLSTEBRO, "spoergsmaal": "må jeg tage hunden med", "antal": 2,
                 "foerst": "2026-11-23", "senest": "2026-11-23"}]}]
            groups = (await client.get("/personale/api/spoergsmaal", cookies=bo)).json()["kommuner"]
            assert [(g["navn"], g["spoergsmaal"][0]["spoergsmaal"]) for g in groups] == [
                ("Horsens", "Er der parkering ved centret?")]
            page = await client.get("/personale/spoergsmaal", cookies=claus)
            assert page.status == 200 and 'src="/static/personale/spoergsmaal.js"' in page.text
            assert '<li hidden><a href="/personale/ansoegninger"' in page.text
            assert '<li ><a href="/personale/spoergsmaal" aria-current="page">' in page.text
            assert (await client.get("/personale/api/spoergsmaal", cookies=dorte)).status == 403
            console = await client.get("/personale/", cookies=dorte)
            assert console.status == 200 and '<li hidden><a href="/personale/spoergsmaal"' in console.text
            assert (await client.get("/static/personale/spoergsmaal.js")).status == 200

    asyncio.run(check())


def test_en_spaerret_konto_mister_adgangen_med_det_samme(world):
    app, _, accounts = world

    async def check():
        async with serve(app) as client:
            anne = await login(client, "anne")
            assert (await client.get("/personale/api/ansoegninger", cookies=anne)).status == 200
            accounts.set_enabled("anne", False)
            assert (await client.get("/personale/api/ansoegninger", cookies=anne)).status == 401
            page = await client.get("/personale/", cookies=anne)
            assert page.status == 303 and page.headers["Location"] == "/personale/login"
            refused = await client.post("/personale/login", data={"brugernavn": "anne", "adgangskode": PASSWORD},
                                        headers={"Origin": ORIGIN})
            assert refused.status == 401

    asyncio.run(check())


def test_produktion_har_ingen_konto_og_intet_login_foer_nogen_oprettes(database, clock, tmp_path):
    config = WebConfig.from_env({"TG_ENV": "production", "TG_WEB_ORIGIN": ORIGIN, "TG_DATABASE_URL": database.url,
                                 "TG_CHANNEL_SECRET": "k" * 40, "TG_WEB_SECRET": "w" * 40,
                                 "TG_STAFF_USER": "personale", "TG_STAFF_PASSWORD": "gammel-faelles-kode"})
    accounts = AccountStore(database.engine, clock=clock, hasher=cheap_hasher())
    app = create_app(config, security=sec.SecurityStore(database.engine, clock=clock), accounts=accounts)

    async def check():
        async with serve(app) as client:
            refused = await client.post("/personale/login", headers={"Origin": ORIGIN},
                                        data={"brugernavn": "personale", "adgangskode": "gammel-faelles-kode"})
            assert refused.status == 401 and "Set-Cookie" not in refused.headers
            form = await client.get("/personale/login")
            assert '<p class="sso" hidden>' in form.text  # no single sign-on configured either
            accounts.add("anne", "sagsbehandler", [HOLSTEBRO], PASSWORD, by="test")
            cookie = await login(client, "anne")
            assert (await client.get("/personale/api/ansoegninger", cookies=cookie)).status == 200

    asyncio.run(check())
    assert accounts.list()[0]["name"] == "anne"
