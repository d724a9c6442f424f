"""Private PostgreSQL and Redis servers for the tests, from Debian's packages, on loopback.

Each test session gets its own servers on free ports in a temporary folder, so the tests never touch
a database that someone else uses and work the same on a machine without running services.
`scripts/system-deps.sh` installs the packages; when they are missing this fails with what to install.
A URL in TG_TEST_POSTGRES_URL / TG_TEST_REDIS_URL uses that server instead.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

HOST = "127.0.0.1"


class ServiceUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float, proc: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServiceUnavailable(f"the server on port {port} stopped (exit {proc.returncode})")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServiceUnavailable(f"nothing answered on {HOST}:{port} after {timeout:.0f} s")


def _as_postgres_user(args: List[str]) -> List[str]:
    # PostgreSQL refuses to run as root; Debian's package creates the 'postgres' user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise ServiceUnavailable(
            "PostgreSQL is not installed. Run scripts/system-deps.sh (Debian: apt-get install postgresql)."
        )
    return Path(found[-1]).parent


def pg_connect(url: str, **kwargs):
    """A DB-API connection to PostgreSQL with whichever driver this environment has: psycopg 3
    (Python 3.11, .venv311) or psycopg2 (Python 3.10, Rasa's .venv)."""
    try:
        import psycopg
    except ImportError:
        import psycopg2

        return psycopg2.connect(url, **kwargs)
    return psycopg.connect(url, **kwargs)


@dataclass
class PrivatePostgres:
    """An initdb'd cluster in a temporary folder, listening on 127.0.0.1 only, trust auth."""

    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tg-pg-")))
    proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def start(self) -> "PrivatePostgres":
        bindir = _pg_bindir()
        data, sock = self.root / "data", self.root / "sock"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True)
            sock.mkdir()
            if os.geteuid() == 0:
                shutil.chown(self.root, "postgres")
                for p in (data, sock):
                    shutil.chown(p, "postgres")
            subprocess.run(
                _as_postgres_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                   "-E", "UTF8", "--no-sync"]),
                check=True, capture_output=True,
            )
        self.proc = subprocess.Popen(
            _as_postgres_user([str(bindir / "postgres"), "-D", str(data), "-p", str(self.port),
                               "-c", f"listen_addresses={HOST}", "-c", f"unix_socket_directories={sock}",
                               "-c", "fsync=off", "-c", "max_connections=200"]),
            stdout=subprocess.DEVNULL, stderr=open(self.root / "postgres.log", "ab"), start_new_session=True,
        )
        _wait_port(self.port, 30, self.proc)
        self._wait_accepting()
        return self

    def _wait_accepting(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                pg_connect(self.url, connect_timeout=2).close()
                return
            except Exception:  # the driver's OperationalError: not accepting connections yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        conn = pg_connect(self.url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return f"postgresql://postgres@{HOST}:{self.port}/{name}"

    def halt(self) -> None:
        """Stop the server but keep its data: `start()` brings it back on the same port."""
        if self.proc and self.proc.poll() is None:
            # "fast" shutdown: open connections are cut, as when a database server goes away. pg_ctl
            # signals the postmaster itself (runuser does not pass every signal on).
            subprocess.run(_as_postgres_user([str(_pg_bindir() / "pg_ctl"), "stop", "-D", str(self.root / "data"),
                                              "-m", "fast", "-w", "-t", "20"]), capture_output=True)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int = field(default_factory=free_port)
    proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> "PrivateRedis":
        binary = shutil.which("redis-server")
        if not binary:
            raise ServiceUnavailable(
                "Redis is not installed. Run scripts/system-deps.sh (Debian: apt-get install redis-server)."
            )
        # The tests run a second time with the clock a year ahead (libfaketime via LD_PRELOAD): that
        # clock is for our code; redis-server under it does not come up
        from training_guidance.settings import process_environment  # the one module that reads it

        env = {k: v for k, v in process_environment().items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
        self.proc = subprocess.Popen(
            [binary, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env,
        )
        _wait_port(self.port, 15, self.proc)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
