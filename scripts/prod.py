"""The production layout on this machine: `scripts/prod.sh up|down|status` (`make prod`).

HAProxy in front of two Rasa servers (each message to the least busy) and two web servers, the action server
with its token, the outbox relay, PostgreSQL (tracker store and records) and Redis (lock store,
relay heartbeat), all on loopback, all from Debian's packages and this checkout, in one folder
(default `data/prod/`; `--dir`).

Nothing here is a second description of production: every process of ours is started from its
systemd unit in deploy/systemd/ (ExecStart and Environment, with the install path /opt/traeningsguiden
replaced by this checkout and /var/lib/traeningsguiden by the folder), with the environment file
that the units read, written here; HAProxy runs deploy/haproxy/haproxy.cfg as it is, with the
addresses in its environment. PostgreSQL and Redis are private instances (scripts/services.py)
where a real machine runs Debian's services.

tests/test_e2e_production.py uses `Layout` directly.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(ROOT))

from services import PrivatePostgres, PrivateRedis, ServiceUnavailable, free_port, pg_connect  # noqa: E402
from training_guidance.settings import HOST, process_environment  # noqa: E402

UNITS = ROOT / "deploy" / "systemd"
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"
INSTALL_DIR = "/opt/traeningsguiden"  # where the units expect the checkout
STATE_DIR = "/var/lib/traeningsguiden"  # where the units keep data
DEFAULT_DIR = ROOT / "data" / "prod"
STAFF_USER = "personale"


# --- reading the systemd units -----------------------------------------------------------------
@dataclass
class UnitCommand:
    """What systemd would run for one unit instance: its command line and environment."""

    unit: str
    argv: List[str]
    environment: Dict[str, str]
    working_directory: Path
    oneshot: bool = False


def _specifiers(text: str, instance: str) -> str:
    # %i is the instance (a port here), %% a percent sign; no other specifier is used in our units.
    return re.sub(r"%[i%]", lambda m: instance if m.group(0) == "%i" else "%", text)


def _paths(text: str, root: Path, state: Path) -> str:
    return text.replace(INSTALL_DIR, str(root)).replace(STATE_DIR, str(state))


def read_unit(name: str, env_file: Dict[str, str], state: Path, root: Path = ROOT) -> UnitCommand:
    """``name`` like 'traeningsguiden-rasa@5005.service'. The environment as systemd builds it:
    Environment= lines first, then the environment file overrides them; ExecStart's ${VAR} from it."""
    template = re.sub(r"@[^.]*\.", "@.", name)
    instance = name.split("@", 1)[1].rsplit(".", 1)[0] if "@" in name else ""
    environment: Dict[str, str] = {}
    argv: List[str] = []
    workdir, oneshot = root, False
    for raw in (UNITS / template).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = _paths(_specifiers(value, instance), root, state)
        if key == "Environment":
            for assignment in shlex.split(value):
                k, v = assignment.split("=", 1)
                environment[k] = v
        elif key == "ExecStart":
            argv = shlex.split(value)
        elif key == "WorkingDirectory":
            workdir = Path(value)
        elif key == "Type":
            oneshot = value == "oneshot"
    environment.update(env_file)

    def expand(word: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda m: environment.get(m.group(1), ""), word)

    return UnitCommand(name, [expand(w) for w in argv], environment, workdir, oneshot)


# --- the layout ------------------------------------------------------------------------------------
@dataclass
class Layout:
    root: Path = DEFAULT_DIR
    extra_env: Dict[str, str] = field(default_factory=dict)
    state: Dict = field(default_factory=dict)

    # paths
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def env_file(self) -> Path:
        return self.root / "traeningsguiden.env"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    # addresses
    def url(self, name: str) -> str:
        return f"http://{HOST}:{self.state['ports'][name]}"

    @property
    def public_url(self) -> str:
        return self.url("public")

    @property
    def rest_url(self) -> str:  # as tests/e2e.py's say() expects
        return f"{self.public_url}/webhooks/rest/webhook"

    @property
    def rasa_units(self) -> List[str]:
        return [f"traeningsguiden-rasa@{p}.service" for p in self.state["ports"]["rasa"]]

    @property
    def web_units(self) -> List[str]:
        return [f"traeningsguiden-web@{p}.service" for p in self.state["ports"]["web"]]

    # --- up ------------------------------------------------------------------------------------
    def up(self, timeout: float = 300.0) -> "Layout":
        began = time.monotonic()
        for folder in (self.root, self.data, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        if self.state_file.exists():
            raise RuntimeError(f"already up ({self.state_file}); run `scripts/prod.sh down` first")
        _require_binaries()
        ports = {"public": free_port(), "internal": free_port(), "stats": free_port(), "actions": free_port(),
                 "relay": free_port(), "rasa": [free_port(), free_port()], "web": [free_port(), free_port()]}
        self.state = {"ports": ports, "pids": {}, "root": str(self.root)}
        self._save()
        try:
            self._start_services()
            self._write_env_file()
            env_file = self.read_env_file()
            self.run_unit("traeningsguiden-migrate.service", env_file)
            self.add_staff_account(env_file)
            self.start_unit("traeningsguiden-actions.service", env_file)
            for unit in self.rasa_units:  # both load the model at the same time
                self.start_unit(unit, env_file)
            for unit in self.web_units:
                self.start_unit(unit, env_file)
            self.start_unit("traeningsguiden-relay.service", env_file)
            self.start_haproxy(env_file)
            self.wait_ready(began + timeout)
        except BaseException:
            self.down()
            raise
        self.state["ready_seconds"] = round(time.monotonic() - began, 1)
        self._save()
        return self

    def _start_services(self) -> None:
        pg = PrivatePostgres(port=free_port(), root=self.root / "postgres").start()
        self.state["pids"]["postgresql"] = pg.proc.pid
        self.state["postgres"] = {"url": pg.url, "data": str(self.root / "postgres" / "data")}
        self._save()
        redis = PrivateRedis(port=free_port()).start()
        self.state["pids"]["redis"] = redis.proc.pid
        self.state["redis_port"] = redis.port
        self._save()
        for name in ("tracker", "records"):
            _create_database_if_missing(pg.url, name)
        self.state["databases"] = {name: pg.url.rsplit("/", 1)[0] + f"/{name}" for name in ("tracker", "records")}

    def _secrets(self) -> Dict[str, str]:
        """Kept in the folder (mode 600) so that `up` after `down` keeps sessions and tokens."""
        path = self.root / "secrets.json"
        values = json.loads(path.read_text()) if path.exists() else {}
        fresh = {"TG_ACTION_TOKEN": secrets.token_urlsafe(32), "TG_WEB_SECRET": secrets.token_urlsafe(48),
                 "TG_FORWARDED_SECRET": secrets.token_urlsafe(24), "TG_STAFF_PASSWORD": secrets.token_urlsafe(16),
                 # the web servers' key to Rasa's staff channel and to vouch for a client's address
                 "TG_CHANNEL_SECRET": secrets.token_urlsafe(48)}
        values = {**fresh, **values}  # a secret made by an earlier `up` is kept; a new kind is added
        path.write_text(json.dumps(values))
        path.chmod(0o600)
        return values

    def _write_env_file(self) -> None:
        """/etc/traeningsguiden/traeningsguiden.env of a real machine: what the units read."""
        ports, db = self.state["ports"], self.state["databases"]
        values = {
            "TG_DATA_DIR": str(self.data),
            "TG_TRACKER_URL": db["tracker"],
            "TG_DATABASE_URL": db["records"],
            "TG_REDIS_HOST": HOST, "TG_REDIS_PORT": str(self.state["redis_port"]), "TG_REDIS_DB": "0",
            "TG_REDIS_PASSWORD": "",
            "TG_ACTION_PORT": str(ports["actions"]),
            "TG_ACTION_URL": f"http://{HOST}:{ports['actions']}/webhook",
            "TG_RASA_URL": self.url("internal"),  # the web servers reach Rasa through HAProxy
            "TG_WEB_ORIGIN": self.public_url,
            "TG_CORS_ORIGINS": self.public_url,
            "TG_RELAY_HEALTH_PORT": str(ports["relay"]),
            "TG_MUNICIPALITIES_FILE": str(ROOT / "deploy" / "municipalities.yml"),
            **{k: v for k, v in self._secrets().items() if not k.startswith("TG_STAFF_")},  # no shared login
            **self.extra_env,
        }
        lines = ["# Written by scripts/prod.py: the environment file of the systemd units (docs/operations.md)."]
        lines += [f"{k}={v}" for k, v in values.items()]
        self.env_file.write_text("\n".join(lines) + "\n")
        self.env_file.chmod(0o600)

    def read_env_file(self) -> Dict[str, str]:
        values = {}
        for line in self.env_file.read_text().splitlines():
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                values[k] = v
        return values

    def _process_env(self, unit: UnitCommand) -> Dict[str, str]:
        base = {k: v for k, v in process_environment().items() if not k.startswith("TG_")}
        return {**base, **unit.environment}

    def run_unit(self, name: str, env_file: Dict[str, str]) -> None:
        unit = read_unit(name, env_file, self.data)
        with open(self.logs / f"{name}.log", "ab") as log:
            subprocess.run(unit.argv, cwd=unit.working_directory, env=self._process_env(unit), stdout=log,
                           stderr=subprocess.STDOUT, check=True, timeout=120)

    def add_staff_account(self, env_file: Dict[str, str]) -> None:
        """A personal staff account, as a municipality's administrator makes one (`tg staff add`,
        docs/operations.md): production has none until someone does. Its password is in
        secrets.json; the municipalities file lists it for Holstebro and Horsens."""
        unit = read_unit("traeningsguiden-migrate.service", env_file, self.data)
        command = [str(ROOT / ".venv311" / "bin" / "tg"), "staff", "add", STAFF_USER, "--role", "sagsbehandler",
                   "--kommune", "0661", "--kommune", "0615", "--password-stdin", "--update"]
        with open(self.logs / "staff-account.log", "ab") as log:
            subprocess.run(command, cwd=ROOT, env=self._process_env(unit), stdout=log, stderr=subprocess.STDOUT,
                           input=self._secrets()["TG_STAFF_PASSWORD"].encode(), check=True, timeout=120)

    def start_unit(self, name: str, env_file: Optional[Dict[str, str]] = None) -> None:
        unit = read_unit(name, env_file or self.read_env_file(), self.data)
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen(unit.argv, cwd=unit.working_directory, env=self._process_env(unit), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.state["pids"][name] = proc.pid
        self._save()

    def haproxy_env(self, env_file: Dict[str, str]) -> Dict[str, str]:
        ports = self.state["ports"]
        return {
            "TG_HAPROXY_PUBLIC": f"{HOST}:{ports['public']}", "TG_HAPROXY_INTERNAL": f"{HOST}:{ports['internal']}",
            "TG_HAPROXY_STATS": f"{HOST}:{ports['stats']}",
            "TG_RASA1": f"{HOST}:{ports['rasa'][0]}", "TG_RASA2": f"{HOST}:{ports['rasa'][1]}",
            "TG_WEB1": f"{HOST}:{ports['web'][0]}", "TG_WEB2": f"{HOST}:{ports['web'][1]}",
            "TG_FORWARDED_SECRET": env_file["TG_FORWARDED_SECRET"],
        }

    def start_haproxy(self, env_file: Dict[str, str]) -> None:
        env = {**process_environment(), **self.haproxy_env(env_file)}
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        subprocess.run([binary, "-c", "-q", "-f", str(HAPROXY_CFG)], env=env, check=True, timeout=30)
        log = open(self.logs / "haproxy.log", "ab")
        proc = subprocess.Popen([binary, "-db", "-f", str(HAPROXY_CFG)], env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.state["pids"]["haproxy"] = proc.pid
        self._save()

    def health_urls(self) -> Dict[str, str]:
        ports = self.state["ports"]
        urls = {"haproxy": f"{self.public_url}/health", "actions": f"http://{HOST}:{ports['actions']}/health",
                "relay": f"http://{HOST}:{ports['relay']}/health"}
        for unit, port in zip(self.rasa_units, ports["rasa"]):
            urls[unit] = f"http://{HOST}:{port}/"
        for unit, port in zip(self.web_units, ports["web"]):
            urls[unit] = f"http://{HOST}:{port}/health"
        return urls

    def wait_ready(self, deadline: float) -> None:
        """Every process answers, every web server says /ready (database, Rasa, actions, relay), and
        HAProxy's health checks count every server up: until they do, HAProxy sends a conversation
        to the servers it has seen up and moves it once the others come up."""
        pending = dict(self.health_urls())
        pending.update({f"{u} ready": f"http://{HOST}:{p}/ready" for u, p in zip(self.web_units, self.state["ports"]["web"])})
        backends = {"rasa": len(self.rasa_units), "rasa_socketio": len(self.rasa_units), "web": len(self.web_units)}
        stats = f"http://{HOST}:{self.state['ports']['stats']}/metrics"
        down: List[str] = []
        while time.monotonic() < deadline:
            for name, pid in self.state["pids"].items():
                if not _alive(pid):
                    raise RuntimeError(f"{name} stopped; see {self.logs}")
            pending = {n: u for n, u in pending.items() if _status(u) != 200}
            if not pending:
                down = [name for name, active in _active_servers(stats, backends).items() if active < backends[name]]
                if not down:
                    return
            time.sleep(0.5)
        waiting = [*pending, *(f"HAProxy: {name}" for name in down)]
        raise TimeoutError(f"not ready: {', '.join(waiting)}; see {self.logs}")

    # --- stopping ------------------------------------------------------------------------------
    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one process at once (a crash), e.g. 'traeningsguiden-rasa@5005.service'."""
        pid = self.state["pids"].pop(name)
        _stop_group(pid, sig)
        self._save()

    def down(self) -> None:
        """SIGTERM to every process at once (each stops in its own time, Rasa in about 7 s), SIGKILL
        after 20 s; PostgreSQL last, with pg_ctl."""
        pids = self.state.get("pids", {})
        postgres = pids.pop("postgresql", None)
        _stop_groups(list(pids.values()), signal.SIGTERM)
        pids.clear()
        if postgres is not None:
            _stop_postgres(Path(self.state["postgres"]["data"]), postgres)
        self.state_file.unlink(missing_ok=True)

    def _save(self) -> None:
        self.state_file.write_text(json.dumps(self.state, indent=2))

    @classmethod
    def load(cls, root: Path) -> "Layout":
        layout = cls(root)
        layout.state = json.loads(layout.state_file.read_text())
        return layout


# --- helpers -----------------------------------------------------------------------------------------
def _require_binaries() -> None:
    missing = [name for name in ("haproxy",) if not (shutil.which(name) or Path(f"/usr/sbin/{name}").exists())]
    if missing:
        raise ServiceUnavailable(f"{', '.join(missing)} is not installed: run scripts/system-deps.sh")


def _create_database_if_missing(url: str, name: str) -> None:
    conn = pg_connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _active_servers(metrics_url: str, backends: Dict[str, int]) -> Dict[str, int]:
    """HAProxy's count of servers up per backend (its Prometheus exporter); 0 where not known."""
    found = dict.fromkeys(backends, 0)
    try:
        with urllib.request.urlopen(metrics_url, timeout=2) as resp:
            text = resp.read().decode()
    except Exception:  # noqa: BLE001 - not up yet
        return found
    for line in text.splitlines():
        if line.startswith("haproxy_backend_active_servers{"):
            proxy = line.split('proxy="', 1)[1].split('"', 1)[0] if 'proxy="' in line else ""
            if proxy in found:
                found[proxy] = int(float(line.rsplit(" ", 1)[1]))
    return found


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except Exception:  # noqa: BLE001 - not up yet
        return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of this process that exited is a zombie until reaped
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _stop_group(pid: int, sig: int, wait: float = 20.0) -> None:
    _stop_groups([pid], sig, wait)


def _stop_groups(pids: List[int], sig: int, wait: float = 20.0) -> None:
    """Signal each process group, wait until all are gone, SIGKILL what is left after ``wait``."""
    for pid in pids:
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _stop_postgres(data: Path, pid: int) -> None:
    from services import _as_postgres_user, _pg_bindir

    subprocess.run(_as_postgres_user([str(_pg_bindir() / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w",
                                      "-t", "20"]), capture_output=True)
    _stop_group(pid, signal.SIGTERM, wait=5)


# --- command line ------------------------------------------------------------------------------------
def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="The production layout on this machine (docs/operations.md).")
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="its folder (default data/prod)")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    if args.command == "up":
        layout = Layout(root)
        print(f"Starter produktionsopsætningen i {root} (PostgreSQL, Redis, 2 × Rasa, 2 × web, handlingsserver, "
              "relæ, HAProxy) ...", flush=True)
        try:
            layout.up()
        except (RuntimeError, TimeoutError, ServiceUnavailable, subprocess.CalledProcessError) as exc:
            print(f"Kunne ikke starte: {exc}", file=sys.stderr)
            return 1
        print(describe(layout), flush=True)
        return 0
    if not (root / "state.json").exists():
        print(f"Ingen produktionsopsætning kører i {root}.")
        return 0 if args.command == "down" else 1
    layout = Layout.load(root)
    if args.command == "down":
        layout.down()
        print("Stoppet.")
        return 0
    for name, url in layout.health_urls().items():
        print(f"  {name:<40} {'ok' if _status(url) == 200 else 'SVARER IKKE'}")
    return 0


def describe(layout: Layout) -> str:
    ports = layout.state["ports"]
    return (
        f"\nKlar efter {layout.state['ready_seconds']:.0f} s.\n"
        f"  Webside og chat:  {layout.public_url}/   (HAProxy; 2 webservere, 2 Rasa-servere)\n"
        f"  Personale:        {layout.public_url}/personale/  (bruger {STAFF_USER}, adgangskode i "
        f"{layout.root / 'secrets.json'})\n"
        f"  REST:             POST {layout.rest_url}\n"
        f"  HAProxy-statistik: http://{HOST}:{ports['stats']}/stats  og  /metrics\n"
        f"  Relæ:             http://{HOST}:{ports['relay']}/ready\n"
        f"  Logfiler:         {layout.logs}\n"
        f"  Stop med: scripts/prod.sh down\n"
    )


if __name__ == "__main__":
    sys.exit(main())
