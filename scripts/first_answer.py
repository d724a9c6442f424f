"""Time from a fresh clone to the first answer of `make run`.

Clones this repository's committed HEAD into a temporary folder, runs `make run` there (setup:
a new .venv and the locked packages, the Danish spaCy pipeline, training, the servers) on free
loopback ports, and sends "hej" over REST until the assistant answers. Prints the seconds to each
phase (from `make run`'s own output) and to the first answer, and writes them as JSON.

  .venv/bin/python scripts/first_answer.py            pip's package cache as it is (warm after one setup)
  .venv/bin/python scripts/first_answer.py --cold     without pip's cache (PIP_NO_CACHE_DIR): every package downloaded
  options: --keep (leave the clone), --timeout SECONDS, --json FILE

Asserts nothing; not part of `make test`. It downloads nothing with a warm cache except what pip
checks; --cold downloads every locked package (several GB).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from servers import HOST, free_port  # noqa: E402
from training_guidance.settings import process_environment  # noqa: E402

# Lines of `make run`'s output that end a phase, and the phase's name.
PHASES = {"setup: Danish spaCy pipeline": "setup", "Dansk spaCy-pipeline gemt": "setup",
          "train: done": "training", "train: model is up to date": "training", "Træningsguiden er klar": "servers ready"}


def answer(url: str) -> bool:
    body = json.dumps({"sender": "first-answer", "message": "hej"}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status == 200 and bool(json.loads(resp.read() or b"[]"))
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tg-first-answer-"))
    clone = folder / "traeningsguiden"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    ports = {"TG_RASA_PORT": free_port(), "TG_ACTION_PORT": free_port(), "TG_WEB_PORT": free_port()}
    env = {k: v for k, v in process_environment().items() if not k.startswith(("TG_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update({k: str(v) for k, v in ports.items()})
    if args.cold:
        env["PIP_NO_CACHE_DIR"] = "1"
    url = f"http://{HOST}:{ports['TG_RASA_PORT']}/webhooks/rest/webhook"
    load_before = os.getloadavg()
    began = time.monotonic()
    phases: Dict[str, float] = {}
    log = open(folder / "make-run.log", "w")
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)

    def read_output() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            log.write(line)
            log.flush()
            for marker, phase in PHASES.items():
                if marker in line and phase not in phases:
                    phases[phase] = time.monotonic() - began

    threading.Thread(target=read_output, daemon=True).start()
    first = None
    try:
        while time.monotonic() - began < args.timeout and proc.poll() is None:
            if "servers ready" in phases and answer(url):
                first = time.monotonic() - began
                break
            time.sleep(1.0)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    figures = {"time": dt.datetime.now().isoformat(timespec="seconds"), "cache": "cold" if args.cold else "warm",
               "phases_s": phases, "first_answer_s": first, "load_before": load_before, "load_after": os.getloadavg(),
               "cores": os.cpu_count(), "log": str(folder / "make-run.log") if args.keep else None}
    print(json.dumps(figures, indent=2))
    out = args.json or ROOT / "results" / f"first-answer-{figures['cache']}-{dt.datetime.now():%Y%m%d-%H%M}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    if first is None:
        tail = (folder / "make-run.log").read_text(errors="replace").splitlines()[-30:]
        print("\n".join(tail), file=sys.stderr)
        print(f"no answer within {args.timeout:.0f} s (make run's last lines above)", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if first is not None else 1


if __name__ == "__main__":
    sys.exit(main())
