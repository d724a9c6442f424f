"""The staff console with every server running and a local OpenID provider (tests/oidc/provider.mjs):
a caseworker logs in with single sign-on through the real web server and finds, on the page for
unanswered questions, what citizens just asked through Rasa that the standard does not answer,
CPR-masked and counted; the development account of `make run` logs in with its password."""
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from e2e import ensure_model, say
from oidc_provider import log_in_at_provider, running_provider
from servers import free_port, make_servers

pytestmark = [pytest.mark.servers, pytest.mark.timeout(600)]
HOLSTEBRO = "0661"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tg-staff")


@pytest.fixture(scope="module")
def staff_world(data_dir):
    """The servers with single sign-on to a provider on loopback; (servers, provider)."""
    ensure_model()
    web_port = free_port()
    accounts = {"anne": {"preferred_username": "anne@holstebro.dk", "roles": ["sagsbehandler"], "kommuner": [HOLSTEBRO]}}
    with running_provider(data_dir, [f"http://127.0.0.1:{web_port}/personale/sso/svar"], accounts) as provider:
        env = {"TG_TODAY": "2026-11-23", **provider.settings()}
        servers = make_servers(free_port(), free_port(), data_dir, env, web_port=web_port).start()
        try:
            yield servers, provider
        finally:
            servers.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, cookies=None):
    """(status, headers, body) without following redirects."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode(errors="replace")


def cookie(headers, name):
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(name + "="):
            return value.split(";")[0].split("=", 1)[1]
    return None


def test_sso_login_og_siden_med_ubesvarede_spoergsmaal(staff_world):
    servers, provider = staff_world
    base = servers.web_url
    asked = "kan jeg få svømmeundervisning for min hund 010145-1234?"
    for sender in ("e2e-staff-1", "e2e-staff-2"):
        say(servers, sender, asked, metadata={"kommune": HOLSTEBRO})
    say(servers, "e2e-staff-3", "hvad koster kørsel", metadata={"kommune": HOLSTEBRO})  # answered: not listed

    status, headers, _ = get(f"{base}/personale/sso")
    assert status == 303 and headers["Location"].startswith(provider.issuer)
    answer = log_in_at_provider(headers["Location"], "anne")
    status, headers, body = get(f"{base}/personale/sso/svar?" + urllib.parse.urlencode(answer),
                                {"tg_sso": cookie(headers, "tg_sso")})
    assert status == 200 and "anne@holstebro.dk" in body
    session = {"tg_personale": cookie(headers, "tg_personale")}

    status, _, body = get(f"{base}/personale/api/spoergsmaal", session)
    assert status == 200
    [holstebro] = json.loads(body)["kommuner"]
    assert holstebro["navn"] == "Holstebro" and holstebro["kode"] == HOLSTEBRO
    [question] = holstebro["spoergsmaal"]
    assert question["antal"] == 2 and "010145" not in question["spoergsmaal"]
    assert question["spoergsmaal"] == "kan jeg få svømmeundervisning for min hund [CPR-nummer fjernet]?"
    assert "e2e-staff" not in body  # no sender id anywhere
    status, _, page = get(f"{base}/personale/spoergsmaal", session)
    assert status == 200 and "Ubesvarede spørgsmål" in page
    status, _, _ = get(f"{base}/personale/api/spoergsmaal")
    assert status == 401


def test_udviklingskontoen_logger_ind_med_koerslens_adgangskode(staff_world):
    servers, _ = staff_world
    body = urllib.parse.urlencode({"brugernavn": servers.env["TG_STAFF_USER"],
                                   "adgangskode": servers.env["TG_STAFF_PASSWORD"]}).encode()
    request = urllib.request.Request(f"{servers.web_url}/personale/login", data=body,
                                     headers={"Origin": servers.web_url})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=60)
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as err:
        assert err.code == 303 and cookie(err.headers, "tg_personale")
