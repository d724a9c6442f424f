"""The web page and the staff console with every server running: HTTP checks here, then the
browser tests (tests/browser/*.test.mjs: playwright-core driving Debian's Chromium, axe-core).
The servers start once for the whole module. Screenshots go to artifacts/browser/."""
import json
import os
import secrets
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from cpr_scan import found_in, scan
from e2e import ROOT, start, stored_events
from records_helpers import draft
from training_guidance.handoff.store import RecordStore

pytestmark = [pytest.mark.servers, pytest.mark.timeout(900)]
STAFF = {"TG_STAFF_USER": "sagsbehandler", "TG_STAFF_PASSWORD": secrets.token_urlsafe(16)}
BROWSER_TESTS = ROOT / "tests" / "browser"
ARTIFACTS = ROOT / "artifacts" / "browser"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tg-web")


@pytest.fixture(scope="module")
def applications(data_dir):
    """Two received applications in the records store, as the assistant writes them; newest last."""
    store = RecordStore(f"sqlite:///{data_dir / 'records.db'}")
    store.migrate()
    references = [store.submit(draft(citizen_name=name), f"web-test-{i}", ["folder"]).reference
                  for i, name in enumerate(["Inge Hansen", "Ole Jensen"])]
    store.dispose()
    return references


@pytest.fixture(scope="module")
def web(data_dir, applications):
    running = start(data_dir, {"TG_TODAY": "2026-11-23", "TG_DATABASE_URL": f"sqlite:///{data_dir / 'records.db'}",
                               **STAFF}, web=True)
    yield running
    running.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, method="GET", body=None, headers=None, form=None):
    """(status, headers, body text) without following redirects."""
    data = None
    headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers, method=method), timeout=60) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode(errors="replace")


def staff_cookie(web):
    status, headers, _ = request(f"{web.web_url}/personale/login", "POST", headers={"Origin": web.web_url},
                                 form={"brugernavn": STAFF["TG_STAFF_USER"], "adgangskode": STAFF["TG_STAFF_PASSWORD"]})
    assert status == 303, status
    return headers["Set-Cookie"].split(";")[0]


STAFF_API = [("GET", "/personale/api/ansoegninger"), ("GET", "/personale/api/ansoegninger/TG-2026-000001"),
             ("POST", "/personale/api/besked"), ("POST", "/personale/api/slet"), ("GET", "/personale/api/findes-ikke"),
             ("DELETE", "/personale/api/besked")]


@pytest.mark.parametrize("method,path", STAFF_API)
def test_personalets_api_svarer_401_uden_login(web, method, path):
    status, _, body = request(web.web_url + path, method, body={"sender": str(uuid.uuid4()), "message": "hej"}
                              if method == "POST" else None, headers={"Origin": web.web_url})
    assert status == 401, body
    forged = "tg_personale=c2FnfQ.9999999999.forfalsket"
    assert request(web.web_url + path, method, headers={"Cookie": forged, "Origin": web.web_url})[0] == 401


def test_login_giver_en_signeret_httponly_samesite_strict_cookie(web):
    status, _, body = request(f"{web.web_url}/personale/login", "POST", headers={"Origin": web.web_url},
                              form={"brugernavn": STAFF["TG_STAFF_USER"], "adgangskode": "forkert"})
    assert status == 401 and "Forkert brugernavn eller adgangskode" in body
    status, headers, _ = request(f"{web.web_url}/personale/login", "POST", headers={"Origin": web.web_url},
                                 form={"brugernavn": STAFF["TG_STAFF_USER"], "adgangskode": STAFF["TG_STAFF_PASSWORD"]})
    assert status == 303 and headers["Location"] == "/personale/"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/personale" in cookie


def test_et_login_fra_en_anden_side_afvises(web):
    status, headers, _ = request(f"{web.web_url}/personale/login", "POST", headers={"Origin": "https://evil.example"},
                                 form={"brugernavn": STAFF["TG_STAFF_USER"], "adgangskode": STAFF["TG_STAFF_PASSWORD"]})
    assert status == 403 and "Set-Cookie" not in headers


def test_personalets_aendringer_kraever_serverens_egen_origin(web):
    cookie = staff_cookie(web)
    body = {"sender": str(uuid.uuid4()), "message": "/greet"}
    assert request(f"{web.web_url}/personale/api/besked", "POST", body, {"Cookie": cookie})[0] == 403
    assert request(f"{web.web_url}/personale/api/besked", "POST", body,
                   {"Cookie": cookie, "Origin": "https://evil.example"})[0] == 403
    status, _, replies = request(f"{web.web_url}/personale/api/besked", "POST", body,
                                 {"Cookie": cookie, "Origin": web.web_url})
    assert status == 200 and "Opkaldsmanuskript" in json.loads(replies)[0]["text"]


def test_chatten_bruger_sidens_kommune_og_kan_ikke_starte_personaletilstand(web):
    sender = str(uuid.uuid4())
    status, _, replies = request(f"{web.web_url}/api/besked", "POST",
                                 {"sender": sender, "message": "/greet", "kommune": "0163",
                                  "metadata": {"mode": "staff"}}, {"Origin": web.web_url})
    assert status == 200
    said = "\n".join(r.get("text", "") for r in json.loads(replies))
    assert "Du er på Herlev Kommunes side" in said and "Opkaldsmanuskript" not in said


@pytest.mark.parametrize("body", [{"sender": "borger-1", "message": "hej"}, {"sender": str(uuid.uuid4()), "message": ""},
                                  {"sender": str(uuid.uuid4()), "message": "hej", "kommune": "x"},
                                  {"sender": str(uuid.uuid4()), "message": "x" * 2001}])
def test_chatten_afviser_ugyldige_beskeder_med_400(web, body):
    assert request(f"{web.web_url}/api/besked", "POST", body)[0] == 400


def test_fremmede_sider_maa_ikke_bruge_chatten_og_cors_er_kun_sidens_egen_origin(web):
    evil = {"Origin": "https://evil.example"}
    body = {"sender": str(uuid.uuid4()), "message": "hej"}
    assert request(f"{web.web_url}/api/besked", "POST", body, evil)[0] == 403
    assert request(f"{web.web_url}/api/slet", "POST", body, evil)[0] == 403
    status, headers, _ = request(f"{web.web_url}/api/besked", "OPTIONS", headers={
        "Origin": web.web_url, "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == web.web_url
    assert request(f"{web.web_url}/api/besked", "OPTIONS", headers=evil)[0] == 403
    # The Rasa server's own CORS defaults to exactly the page's origin too, never "*".
    rasa_preflight = {"Access-Control-Request-Method": "POST"}
    _, headers, _ = request(web.rest_url, "OPTIONS", headers={"Origin": web.web_url, **rasa_preflight})
    assert headers.get("Access-Control-Allow-Origin") == web.web_url
    _, headers, _ = request(web.rest_url, "OPTIONS", headers={**evil, **rasa_preflight})
    assert headers.get("Access-Control-Allow-Origin") in (None, "")


def test_siderne_har_en_streng_content_security_policy(web):
    for path in ("/", "/personale/login", "/privatliv"):
        status, headers, _ = request(web.web_url + path)
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_privatlivssiden_naevner_de_rigtige_slettefrister(web):
    status, _, body = request(web.web_url + "/privatliv")
    assert status == 200
    assert "Vi sletter samtalen efter 30 dage." in body
    assert "Vi sletter ansøgningen her efter 90 dage." in body and "dataansvarlig" in body


def test_personalet_ser_ansoegningerne_nyeste_foerst_uden_kontaktdata_og_hele_posten_ved_opslag(web, applications):
    cookie = {"Cookie": staff_cookie(web)}
    status, _, body = request(f"{web.web_url}/personale/api/ansoegninger", headers=cookie)
    assert status == 200
    rows = json.loads(body)["ansoegninger"]
    assert [r["reference"] for r in rows] == applications[::-1]
    # The relay (started with the servers) may already have handed them to the folder target.
    assert {r["status"] for r in rows} <= {"modtaget", "overført"} and "contact" not in rows[0] and "Inge" not in body
    status, _, body = request(f"{web.web_url}/personale/api/ansoegninger/{applications[0]}", headers=cookie)
    record = json.loads(body)
    assert status == 200 and record["contact"]["citizen_name"] == "Inge Hansen"
    assert record["status_history"][0]["status"] == "modtaget"
    assert record["facts"]["Alder"] == "82" and record["facts"]["Indlagt på sygehus nu"] == "nej"
    assert request(f"{web.web_url}/personale/api/ansoegninger/TG-2026-999999", headers=cookie)[0] == 404
    assert request(f"{web.web_url}/personale/api/ansoegninger/TG_2026%3B", headers=cookie)[0] == 400


# --- issue 15 on the web side, against the running servers ---------------------------------------

def test_siden_bruger_den_konfigurerede_origin_og_ikke_host_headeren(web):
    status, headers, body = request(web.web_url + "/", headers={"Host": "evil.example"})
    assert status == 200 and "evil.example" not in body and f"{web.web_url}/widget/traeningsguiden.js" in body
    assert headers["Cache-Control"] == "no-store"


def test_personalets_kanal_i_rasa_svarer_kun_webserveren(web):
    staff = f"{web.url}/webhooks/personale/webhook"
    body = {"sender": f"personale-{uuid.uuid4()}", "message": "/greet"}
    assert request(staff, "POST", body)[0] == 403
    assert request(staff, "POST", body, {"Authorization": "Bearer gaet"})[0] == 403


def test_konsollens_samtale_gaar_gennem_personalekanalen_og_et_cpr_nummer_gemmes_ikke(web):
    cookie = staff_cookie(web)
    sender = str(uuid.uuid4())
    for message in ("/greet", "borgerens cpr er 13 03 72 47 11"):
        status, _, replies = request(f"{web.web_url}/personale/api/besked", "POST", {"sender": sender, "message": message},
                                     {"Cookie": cookie, "Origin": web.web_url})
        assert status == 200, replies
    assert "CPR-nummer" in replies
    events = stored_events(web.env["TG_TRACKER_URL"], f"personale-{sender}")
    users = [e for e in events if e["event"] == "user"]
    assert [e["input_channel"] for e in users] == ["personale", "personale"]
    assert all(e["metadata"]["mode"] == "staff" for e in users) and found_in(events) == []


@pytest.mark.parametrize("path", ["/static/", "/widget/", "/static/personale/"])
def test_mapper_giver_404_og_ingen_fejl_i_loggen(web, path, data_dir):
    assert request(web.web_url + path)[0] == 404
    assert "IsADirectoryError" not in (data_dir / "logs" / "web.log").read_text(errors="replace")


def test_et_samtale_id_med_linjeskift_kan_ikke_slette_en_samtale(web):
    sender = str(uuid.uuid4())
    assert request(f"{web.web_url}/api/besked", "POST", {"sender": sender, "message": "hej"}, {"Origin": web.web_url})[0] == 200
    assert request(f"{web.web_url}/api/slet", "POST", {"sender": sender + "\n"}, {"Origin": web.web_url})[0] == 400
    assert stored_events(web.env["TG_TRACKER_URL"], sender) != []


def run_browser_tests(web, name, **extra):
    node = shutil.which("node")
    assert node, "Node.js 20 is needed for the browser tests (scripts/web-setup.sh)"
    assert (ROOT / "node_modules" / "playwright-core").exists(), "run scripts/web-setup.sh (npm ci)"
    env = dict(os.environ, TG_WEB_URL=web.web_url, TG_ARTIFACTS=str(ARTIFACTS),
               TG_TRACKER_URL=web.env["TG_TRACKER_URL"], TG_PYTHON=str(ROOT / ".venv311" / "bin" / "python"),
               PYTHONPATH=str(ROOT), **STAFF, **extra)
    done = subprocess.run([node, "--test", "--test-reporter=spec", str(BROWSER_TESTS / name)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    print(done.stdout)


def test_i_browseren_borgeren_faar_en_vurdering_genindlaeser_og_sletter_samtalen(web):
    run_browser_tests(web, "citizen.test.mjs")
    assert (ARTIFACTS / "borger-vurdering.png").stat().st_size > 10_000


def test_i_browseren_kan_borgeren_klare_alt_med_tastaturet_og_ved_200_procent_zoom(web):
    run_browser_tests(web, "keyboard.test.mjs")
    assert (ARTIFACTS / "borger-zoom-200.png").exists()


def test_i_browseren_kører_personalet_et_helt_opkald_kopierer_journalnotatet_og_ser_ansoegningerne(web, applications):
    run_browser_tests(web, "staff.test.mjs", TG_TEST_REFERENCES=",".join(applications))
    assert (ARTIFACTS / "personale-konsol.png").stat().st_size > 10_000


def test_til_sidst_findes_intet_cpr_nummer_i_noget_serverne_skrev(web, data_dir):
    """Every row of the tracker and records databases, the logs and the delivered files."""
    leaked, read = scan(data_dir)
    assert read > 100 and not leaked, leaked[:5]

