"""The web server's parts that need no other server: settings, origins, the replies passed on to the
page, and HTML escaping in the pages (the served app: tests/test_webapp_security.py)."""
import pytest

from webapp import auth, pages
from webapp.config import ConfigError, WebConfig, cors_origins, ensure_staff_credentials
from webapp.rasa import clean_replies

SECRET = b"k" * 32


def test_kun_den_konfigurerede_origin_med_skema_er_samme_oprindelse():
    assert auth.same_origin("http://127.0.0.1:5080", "http://127.0.0.1:5080")
    assert auth.same_origin("https://traeningsguiden.holstebro.dk", "https://traeningsguiden.holstebro.dk/")
    assert not auth.same_origin("https://127.0.0.1:5080", "http://127.0.0.1:5080")  # the scheme counts
    assert not auth.same_origin("http://127.0.0.1:5081", "http://127.0.0.1:5080")
    assert not auth.same_origin("https://evil.example", "http://127.0.0.1:5080")
    assert not auth.same_origin(None, "http://127.0.0.1:5080") and not auth.same_origin("null", "http://127.0.0.1:5080")


def test_produktion_har_ingen_faelles_personalelogin_kun_personlige_konti():
    env = {"TG_ENV": "production", "TG_STAFF_USER": "anna", "TG_STAFF_PASSWORD": "x" * 20}
    assert ensure_staff_credentials(env) is None and env["TG_STAFF_PASSWORD"] == "x" * 20
    assert ensure_staff_credentials({"TG_ENV": "production"}) is None
    config = WebConfig.from_env(dict(env, TG_WEB_SECRET="w" * 40, TG_CHANNEL_SECRET="c" * 40))
    assert config.staff_user is None and not hasattr(config, "staff_password")
    with pytest.raises(ConfigError):
        WebConfig.from_env({"TG_ENV": "production"})


def test_udvikling_uden_adgangskode_faar_en_tilfaeldig_og_ingen_standard():
    first, second = {}, {}
    generated = ensure_staff_credentials(first)
    ensure_staff_credentials(second)
    assert generated and first["TG_STAFF_PASSWORD"] == generated
    assert len(generated) >= 16 and first["TG_STAFF_PASSWORD"] != second["TG_STAFF_PASSWORD"]
    assert ensure_staff_credentials({"TG_STAFF_USER": "a", "TG_STAFF_PASSWORD": "b"}) is None


def test_cors_er_sidens_egen_origin_naar_intet_er_sat_og_aldrig_stjerne():
    assert cors_origins({}) == ("http://127.0.0.1:5080",)
    assert cors_origins({"TG_WEB_PORT": "6000"}) == ("http://127.0.0.1:6000",)
    assert cors_origins({"TG_CORS_ORIGINS": "https://holstebro.dk https://www.holstebro.dk/"}) == (
        "https://holstebro.dk", "https://www.holstebro.dk")
    with pytest.raises(ConfigError):
        cors_origins({"TG_CORS_ORIGINS": "*"})


def test_kun_tekst_knapper_og_egne_data_sendes_videre_til_siden():
    replies = clean_replies([
        {"recipient_id": "x", "text": "Hej", "buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": 1}]},
        {"custom": {"assessment": {"outcome": "stk1"}}}, {"image": "http://x/y.png"}, "junk",
    ])
    assert replies == [{"text": "Hej", "buttons": [{"title": "Ja", "payload": "/affirm"}]},
                       {"custom": {"assessment": {"outcome": "stk1"}}}]
    assert clean_replies({"not": "a list"}) == []


def test_sidernes_vaerdier_escapes_som_html():
    html = pages.render("login.html", fejl='<img src=x onerror="alert(1)">')
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert pages.snippet("http://127.0.0.1:5080", "0661") == (
        '<script src="http://127.0.0.1:5080/widget/traeningsguiden.js" data-kommune="0661" defer></script>')


def test_personalesiderne_deler_sidehovedet_og_markerer_den_aktuelle_side():
    html = pages.render("ansoegninger.html", bruger="<b>ole</b>", side_titel="Ansøgninger",
                        aktuel_konsol="false", aktuel_ansoegninger="page")
    assert html.startswith("<!doctype html>") and "{{" not in html
    assert "<title>Ansøgninger – Træningsguiden for personale</title>" in html
    assert '<a href="/personale/ansoegninger" aria-current="page">' in html
    assert '<a href="/personale/" aria-current="false">' in html
    assert "Log ud (&lt;b&gt;ole&lt;/b&gt;)" in html and "<h1>Modtagne ansøgninger</h1>" in html


def test_demosiden_bruger_en_rigtig_kommunekode_eller_holstebro():
    assert pages.demo_municipality("0163") == ("0163", "Herlev")
    assert pages.demo_municipality("9999") == ("0661", "Holstebro")
    assert pages.demo_municipality('"><script>') == ("0661", "Holstebro")


def test_webserveren_starter_ikke_i_produktion_uden_hemmeligheder_og_siger_hvorfor():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TG_STAFF_")}
    env.update({"TG_ENV": "production", "TG_WEB_PORT": "1", "PYTHONPATH": str(root)})
    done = subprocess.run([sys.executable, "-m", "webapp"], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "TG_WEB_SECRET" in done.stderr and "must be set" in done.stderr
