"""What a municipality installs: the systemd units pass `systemd-analyze verify`, the HAProxy
configuration is valid, the units start the same command lines as `make run`, and no container
files are left in the repository that no test builds."""
import shutil
import subprocess
from pathlib import Path

import pytest

from prod import HAPROXY_CFG, INSTALL_DIR, UNITS, read_unit
from prod_exec import command
from servers import APP_BIN, VENV_BIN, action_command, action_server_env, rasa_command, relay_command, web_command

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = {"traeningsguiden-rasa@.service": "traeningsguiden-rasa@5005.service",
             "traeningsguiden-web@.service": "traeningsguiden-web@5080.service"}


def units():
    return sorted(p.name for p in UNITS.iterdir() if p.suffix in (".service", ".target"))


def test_der_er_en_enhed_for_hver_proces_og_en_target_der_samler_dem():
    assert units() == ["traeningsguiden-actions.service", "traeningsguiden-migrate.service",
                       "traeningsguiden-rasa@.service", "traeningsguiden-relay.service",
                       "traeningsguiden-web@.service", "traeningsguiden.target"]


def test_systemd_analyze_verify_godkender_hver_enhed_uden_advarsler(tmp_path):
    """The units name /opt/traeningsguiden; here that is this checkout (the only change)."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: run scripts/system-deps.sh (Debian's systemd package)"
    for name in units():
        text = (UNITS / name).read_text(encoding="utf-8").replace(INSTALL_DIR, str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in units():
        target = tmp_path / INSTANCES.get(name, name)
        if target.name != name:
            target.symlink_to(tmp_path / name)
        done = subprocess.run([analyze, "verify", str(target)], capture_output=True, text=True, timeout=120)
        problems = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        assert done.returncode == 0 and not problems, (name, problems)


def test_hver_tjeneste_koerer_som_egen_bruger_med_laast_system_og_miljoefil():
    for name in units():
        if name.endswith(".target"):
            continue
        text = (UNITS / name).read_text(encoding="utf-8")
        for line in ("User=traeningsguiden", "EnvironmentFile=/etc/traeningsguiden/traeningsguiden.env",
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/traeningsguiden",
                     "Environment=TG_ENV=production"):
            assert line in text.splitlines(), (name, line)


def test_enhederne_starter_de_samme_kommandolinjer_som_make_run(tmp_path):
    env_file = {"TG_ACTION_PORT": "5055", "TG_CORS_ORIGINS": "https://www.holstebro.dk",
                "TG_TRACKER_URL": "postgresql://db/tracker", "TG_DATABASE_URL": "postgresql://db/records"}
    found = {}
    for name in ("traeningsguiden-rasa@5006.service", "traeningsguiden-web@5081.service",
                 "traeningsguiden-actions.service", "traeningsguiden-relay.service"):
        unit = read_unit(name, env_file, tmp_path)
        venv = VENV_BIN if name.startswith("traeningsguiden-rasa@") else APP_BIN  # only Rasa on Python 3.10
        assert unit.argv[:2] == [str(venv / "python"), str(ROOT / "scripts" / "prod_exec.py")]
        assert unit.working_directory == ROOT and unit.environment["PYTHONPATH"] == str(ROOT)
        found[unit.argv[2]] = command(unit.argv[2], unit.environment)
    rasa_argv, rasa_env = found["rasa"]
    assert rasa_argv == rasa_command(rasa_env, default_origin=None)
    assert rasa_argv[rasa_argv.index("--port") + 1] == "5006" and rasa_argv[rasa_argv.index("--interface") + 1] == "127.0.0.1"
    assert rasa_argv[rasa_argv.index("--endpoints") + 1] == str(ROOT / "deploy" / "endpoints.production.yml")
    assert rasa_argv[rasa_argv.index("--cors") + 1:] == ["https://www.holstebro.dk"]
    assert "--enable-api" not in rasa_argv  # Rasa's HTTP API stays off without TG_RASA_TOKEN
    actions_argv, actions_env = found["actions"]
    assert actions_argv == action_command(actions_env) and actions_argv[-1] == "5055"
    assert actions_env == action_server_env(actions_env)
    assert actions_env["SANIC_HOST"] == "127.0.0.1"
    assert found["web"][0] == web_command(found["web"][1]) and found["web"][1]["TG_WEB_PORT"] == "5081"
    assert found["web"][1]["TG_PROXIES_COUNT"] == "1"
    assert found["relay"][0] == relay_command(found["relay"][1])
    assert found["relay"][1]["TG_DATA_DIR"] == str(tmp_path)  # /var/lib/traeningsguiden → the layout's folder


def test_handlingsserveren_holder_en_tavs_forbindelse_aaben_laenge_nok_til_en_travl_rasa():
    """Rasa opens a connection per action call and may write to it seconds later under load; Sanic's
    default 5 s closed such connections (scripts/servers.py: action_server_env). rasa_sdk sets its own
    keep-alive on the app, over Sanic's settings from the environment."""
    import inspect

    from rasa_sdk.constants import DEFAULT_KEEP_ALIVE_TIMEOUT
    from rasa_sdk.endpoint import create_app_for_serve

    assert DEFAULT_KEEP_ALIVE_TIMEOUT >= 75
    assert inspect.signature(create_app_for_serve).parameters["keep_alive_timeout"].default == DEFAULT_KEEP_ALIVE_TIMEOUT


def test_miljoefilen_vinder_over_enhedens_standarder_som_hos_systemd(tmp_path):
    unit = read_unit("traeningsguiden-actions.service", {"TG_ACTION_HOST": "10.0.0.5", "TG_ACTION_PORT": "6000"},
                     tmp_path)
    assert unit.environment["TG_ACTION_HOST"] == "10.0.0.5" and unit.environment["TG_ACTION_PORT"] == "6000"


def haproxy_env():
    return {"TG_HAPROXY_PUBLIC": "127.0.0.1:18080", "TG_HAPROXY_INTERNAL": "127.0.0.1:18081",
            "TG_HAPROXY_STATS": "127.0.0.1:18082", "TG_RASA1": "127.0.0.1:15005", "TG_RASA2": "127.0.0.1:15006",
            "TG_WEB1": "127.0.0.1:15080", "TG_WEB2": "127.0.0.1:15081", "TG_FORWARDED_SECRET": "x" * 24}


def test_haproxy_konfigurationen_er_gyldig_og_sender_hver_besked_til_den_mindst_travle_server():
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    assert Path(binary).exists(), "HAProxy is missing: run scripts/system-deps.sh"
    done = subprocess.run([binary, "-c", "-f", str(HAPROXY_CFG)], env=haproxy_env(), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    rest = text[text.index("\nbackend rasa\n"):text.index("\nbackend rasa_socketio")]
    assert "balance leastconn" in rest  # safe only with the atomic lock store (below)
    production = (ROOT / "deploy" / "endpoints.production.yml").read_text(encoding="utf-8")
    assert "type: bot.lock_store.AtomicRedisLockStore" in production and "type: redis" not in production


@pytest.mark.parametrize("pattern", ["Dockerfile*", "*.dockerfile", "docker-compose*.yml", "compose*.yml",
                                     "Containerfile*"])
def test_ingen_containerfiler_som_ingen_test_bygger(pattern):
    tracked = subprocess.run(["git", "ls-files", pattern, f"**/{pattern}"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert tracked == []
