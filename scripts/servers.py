"""Start the action server, the Rasa server and the web server on loopback, wait until they answer,
stop them cleanly.

Used by `make run` (scripts/run.sh) and by the end-to-end tests, so both start the bot the same way.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from training_guidance.settings import HOST, get_settings, process_environment  # noqa: E402

# Two environments (docs/operations.md, "Two Python environments"): only the Rasa server runs on
# Python 3.10 (.venv, Rasa 3.6); the action server, the web server, the relay and the CLI run on
# Python 3.11 with current libraries (.venv311). scripts/setup.sh creates both.
VENV_BIN = ROOT / ".venv" / "bin"  # the Rasa server
APP_BIN = ROOT / ".venv311" / "bin"  # everything else this project wrote
MODEL = ROOT / "models" / "traeningsguiden.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except Exception:
        return 0


@dataclass
class Servers:
    rasa_port: int
    action_port: int
    data_dir: Path
    env: Dict[str, str]
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    ready_seconds: Optional[float] = None
    web_port: Optional[int] = None  # the citizen page and the staff console (webapp/); None: not started

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    def start_web_server(self) -> None:
        """The page and the staff console; refuses production without staff credentials."""
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from webapp.config import WebConfig, ensure_staff_credentials

        ensure_staff_credentials(self.env)  # development: a random password for this run
        env = dict(self.env, TG_WEB_PORT=str(self.web_port), TG_RASA_URL=self.url)
        config = WebConfig.from_env(dict(env))  # a bad setting fails here, with its message, before anything starts
        if not config.production:  # the development account, with this run's password (never in production)
            from training_guidance.handoff.accounts import ensure_development_account

            ensure_development_account(config.database_url, env["TG_STAFF_USER"], env["TG_STAFF_PASSWORD"], env)
        log = open(self.data_dir / "logs" / "web.log", "ab")
        self.processes["web"] = subprocess.Popen(
            web_command(env), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def start_action_server(self) -> None:
        log = open(self.data_dir / "logs" / "actions.log", "ab")
        env = dict(self.env, TG_ACTION_PORT=str(self.action_port))
        self.processes["actions"] = subprocess.Popen(
            action_command(env), cwd=ROOT, env=action_server_env(env), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_rasa_server(self) -> None:
        env = dict(self.env, TG_RASA_PORT=str(self.rasa_port))
        args = rasa_command(env, default_origin=self.web_url if self.web_port else None)
        log = open(self.data_dir / "logs" / "rasa.log", "ab")
        self.processes["rasa"] = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def migrate_records(self) -> None:
        """Create or upgrade the records store's tables before anything writes to them."""
        subprocess.run(migrate_command(self.env), cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start_relay(self) -> None:
        """The outbox relay: hands each application to the configured targets (TG_HANDOFF_TARGETS)."""
        log = open(self.data_dir / "logs" / "relay.log", "ab")
        self.processes["relay"] = subprocess.Popen(
            relay_command(self.env), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def start(self, timeout: float = 240.0) -> "Servers":
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        self.migrate_records()
        if self.web_port:
            self.start_web_server()
        self.start_action_server()
        self.start_rasa_server()
        self.start_relay()
        self.wait_ready(timeout, began)
        return self

    def wait_ready(self, timeout: float = 240.0, began: Optional[float] = None) -> None:
        began = began or time.monotonic()
        deadline = began + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} server stopped (exit {proc.returncode}); see {self.data_dir}/logs")
            web_ok = not self.web_port or _get(f"{self.web_url}/health") == 200
            if web_ok and _get(f"{self.url}/") == 200 and _get(f"http://{HOST}:{self.action_port}/health") == 200:
                self.ready_seconds = time.monotonic() - began
                return
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"servers not ready after {timeout:.0f} s; see {self.data_dir}/logs")

    def stop_one(self, name: str, timeout: float = 20.0) -> None:
        proc = self.processes.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, timeout), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def stop(self) -> None:
        for name in ("web", "rasa", "actions", "relay"):
            self.stop_one(name)


# --- each process's command line: used here, and by scripts/prod_exec.py for the systemd units -----
def rasa_command(env: Dict[str, str], default_origin: Optional[str] = None) -> List[str]:
    """`rasa run` on TG_RASA_HOST:TG_RASA_PORT with the project's channels and TG_ENDPOINTS."""
    settings = get_settings(env)
    args = [
        str(VENV_BIN / "rasa"), "run", "--interface", settings.rasa_host, "--port", str(settings.rasa_port),
        "--model", str(MODEL), "--credentials", str(ROOT / "credentials.yml"),
        "--endpoints", str(endpoints_file(env)),
    ]
    origins = settings.cors_origins or default_origin
    if origins:  # unset: exactly the web page's own origin, never "*"
        args += ["--cors", *origins.split()]
    if settings.rasa_token:  # Rasa's HTTP API (trackers, models) only with a token
        args += ["--enable-api", "--auth-token", settings.rasa_token]
    return args


def action_command(env: Dict[str, str]) -> List[str]:
    """The action server (rasa_sdk's app, Python 3.11, one process: bot/action_server.py) on
    TG_ACTION_HOST:TG_ACTION_PORT."""
    return [str(APP_BIN / "python"), "-m", "bot.action_server", "--actions", "bot.actions",
            "--port", str(get_settings(env).action_port)]


def web_command(env: Dict[str, str]) -> List[str]:  # noqa: ARG001 - the web server reads its own settings
    return [str(APP_BIN / "python"), "-m", "webapp"]


def relay_command(env: Dict[str, str]) -> List[str]:  # noqa: ARG001 - interval: TG_RELAY_INTERVAL
    return [str(APP_BIN / "tg"), "records", "relay"]


def migrate_command(env: Dict[str, str]) -> List[str]:  # noqa: ARG001
    return [str(APP_BIN / "tg"), "records", "migrate"]


def endpoints_file(env: Dict[str, str]) -> Path:
    """endpoints.yml, or the file TG_ENDPOINTS names (deploy/endpoints.production.yml: PostgreSQL,
    Redis lock store, action server token; docs/deployment.md). Relative paths are from the repo."""
    return ROOT / get_settings(env).endpoints


def server_env(action_port: int, data_dir: Path, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = process_environment()
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(ROOT),
        "TG_ACTION_URL": f"http://{HOST}:{action_port}/webhook",
        "TG_DATA_DIR": str(data_dir.resolve()),
        "TG_TRACKER_URL": get_settings(env).tracker_url or f"sqlite:///{(data_dir / 'tracker.db').resolve()}",
        "TG_DATABASE_URL": get_settings(env).database_url or f"sqlite:///{(data_dir / 'records.db').resolve()}",
    })
    env.update(extra or {})
    env.update(run_secrets(env))
    return env


# Secrets the servers share, made for this run when the environment has none (like the staff
# password): the action server refuses to start without its token, and the staff channel and
# socket.io session ids need the channel secret.
RUN_SECRETS = ("TG_ACTION_TOKEN", "TG_CHANNEL_SECRET")


def run_secrets(env: Dict[str, str]) -> Dict[str, str]:
    """A random value for each of RUN_SECRETS that ``env`` does not set."""
    return {name: secrets.token_urlsafe(32) for name in RUN_SECRETS if not (env.get(name) or "").strip()}


def action_server_env(env: Dict[str, str]) -> Dict[str, str]:
    """rasa_sdk binds to SANIC_HOST: TG_ACTION_HOST (loopback by default).

    Rasa opens a new connection for every action call. Sanic closes a connection that has sent
    nothing for KEEP_ALIVE_TIMEOUT (5 s by default), so when the Rasa server's event loop stalled
    longer between connecting and sending (a long message under load), the call failed with
    "Cannot write to closing transport" and the user got the apology. rasa_sdk 3.21 sets 120 s
    itself (rasa_sdk.constants.DEFAULT_KEEP_ALIVE_TIMEOUT, over any SANIC_KEEP_ALIVE_TIMEOUT);
    tests/test_deploy.py checks it and tests/test_e2e_public.py the behaviour."""
    return {**env, "SANIC_HOST": get_settings(env).action_host}


def make_servers(rasa_port: int, action_port: int, data_dir: Path, extra_env: Optional[Dict[str, str]] = None,
                 web_port: Optional[int] = None) -> Servers:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Servers(rasa_port, action_port, data_dir, server_env(action_port, data_dir, extra_env), web_port=web_port)


def run_forever() -> int:
    settings = get_settings()
    rasa_port, action_port, web_port = settings.rasa_port, settings.action_port, settings.web_port
    data_dir = settings.resolved_data_dir
    servers = make_servers(rasa_port, action_port, data_dir, web_port=web_port)
    print(f"Starter Træningsguiden (handlingsserver på {HOST}:{action_port}, Rasa på {HOST}:{rasa_port}) ...", flush=True)
    try:
        servers.start()
    except (RuntimeError, TimeoutError) as exc:
        print(f"Kunne ikke starte: {exc}", file=sys.stderr)
        return 1
    if "TG_STAFF_USER" in servers.env:  # the development account (scripts/servers.py: start_web_server)
        staff_login = f"bruger: {servers.env['TG_STAFF_USER']}"
        if not settings.staff_password:
            staff_login += f", adgangskode for denne kørsel: {servers.env['TG_STAFF_PASSWORD']}"
    else:  # production settings: personal accounts only
        staff_login = "personlige konti: .venv311/bin/tg staff add"
    print(
        f"\nTræningsguiden er klar efter {servers.ready_seconds:.0f} s.\n"
        f"  REST:      POST {servers.rest_url}  body: {{\"sender\": \"mig\", \"message\": \"hej\"}}\n"
        f"  Socket.IO: {servers.url}/socket.io\n"
        f"  Webside:   {servers.web_url}/\n"
        f"  Personale: {servers.web_url}/personale/  ({staff_login})\n"
        f"  Samtaler gemmes i {servers.env['TG_TRACKER_URL']}\n"
        f"  Ansøgninger gemmes i {servers.env['TG_DATABASE_URL']} og overføres til "
        f"{get_settings(servers.env).handoff_targets} (se: .venv311/bin/tg records list)\n"
        f"  Stop med Ctrl-C.\n", flush=True)
    stopping = False

    def _stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for name, proc in servers.processes.items():
                if proc.poll() is not None:
                    print(f"{name}-serveren stoppede uventet; se {data_dir}/logs", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopper ...", flush=True)
        servers.stop()
        print("Stoppet.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run_forever())
