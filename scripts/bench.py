"""Benchmark: Træningsguiden against a stock `rasa init` bot, measured the same way, same run.

For each bot: training time, ready time of its servers, per-turn latency over REST (p50/p95/p99)
for scripted full conversations with 1 user and with 20 concurrent users, messages per second,
and the peak resident memory of each server. For ours also the engine's knowledge-load and
assessment times. Prints a markdown table with the ratio ours/stock and the issue's targets.
Asserts nothing; not part of `make test`.

  make bench                       (or: .venv311/bin/python scripts/bench.py)
  options: --skip-train            use models/ and the last recorded training time (ours)
           --stock-dir DIR         keep the stock bot in DIR and reuse it when it is trained
           --untuned               also run ours with TG_RASA_TUNING=off (stock Rasa validation)
           --seconds-1 / --users / --conversations-per-user
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from servers import HOST, VENV_BIN, _get, free_port, make_servers  # noqa: E402
from training_guidance.settings import process_environment  # noqa: E402

QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
OUR_OPENING = "min mor på 82 i holstebro er faldet og er blevet meget svag"
OUR_AFTER = ["hvad koster kørsel?", "tak for hjælpen"]
STOCK_SCRIPT = ["hello", "I am feeling very sad", "yes", "are you a bot?", "hey there", "great, thanks", "bye"]
TARGETS = {"ratio_1": 1.3, "p95_1": 120.0, "p95_20": 300.0, "mps_20": 40.0, "rss_mb": 1300.0}


# --- measuring -----------------------------------------------------------------------------------

def percentile(values: List[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0
    pids = [pid]
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    pids += [int(p) for p in out.split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def send(url: str, sender: str, message: str) -> Tuple[float, list]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    began = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as resp:
        replies = json.loads(resp.read() or b"[]")
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}")
    return (time.perf_counter() - began) * 1000, replies


def our_conversation(url: str, sender: str, sent: Optional[List[str]] = None) -> List[float]:
    """A full interview: the opening, then the last offered button that is not 'Ved ikke' until the
    assessment, then two follow-up messages. The same turns every time (TG_TODAY is pinned).
    Every message is appended to ``sent`` before it is sent."""
    sent = [] if sent is None else sent
    latencies = []
    sent.append(OUR_OPENING)
    ms, replies = send(url, sender, OUR_OPENING)
    latencies.append(ms)
    for _ in range(15):
        if any("assessment" in (r.get("custom") or {}) for r in replies):
            break
        buttons = [b for r in replies for b in r.get("buttons", []) if b.get("title") != "Ved ikke"]
        if not buttons:
            raise RuntimeError(f"no button to press: {replies}")
        sent.append(buttons[-1]["payload"])
        ms, replies = send(url, sender, buttons[-1]["payload"])
        latencies.append(ms)
    else:
        raise RuntimeError("no assessment within 15 turns")
    for message in OUR_AFTER:
        sent.append(message)
        latencies.append(send(url, sender, message)[0])
    return latencies


def stock_conversation(url: str, sender: str) -> List[float]:
    return [send(url, sender, message)[0] for message in STOCK_SCRIPT]


def load(url: str, conversation: Callable[[str, str], List[float]], tag: str, users: int,
         conversations_per_user: int) -> Tuple[List[float], float]:
    """``users`` concurrent users, each running conversations one after the other."""
    counter = iter(range(10**9))
    lock = threading.Lock()

    def user(_: int) -> List[float]:
        out: List[float] = []
        for _ in range(conversations_per_user):
            with lock:
                n = next(counter)
            out += conversation(url, f"{tag}-{n}")
        return out

    began = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        latencies = [ms for batch in pool.map(user, range(users)) for ms in batch]
    return latencies, time.perf_counter() - began


def measure(url: str, conversation, tag: str, args) -> Dict[str, float]:
    conversation(url, f"{tag}-warmup-1")  # TensorFlow traces its graphs on the first calls
    conversation(url, f"{tag}-warmup-2")
    one: List[float] = []
    began = time.perf_counter()
    while time.perf_counter() - began < args.seconds_1 or len(one) < 50:
        one += conversation(url, f"{tag}-single-{len(one)}")
    many, seconds = load(url, conversation, f"{tag}-load", args.users, args.conversations_per_user)
    return {
        "turns_1": len(one), "p50_1": percentile(one, 50), "p95_1": percentile(one, 95),
        "p99_1": percentile(one, 99), "mean_1": statistics.mean(one),
        "turns_20": len(many), "p50_20": percentile(many, 50), "p95_20": percentile(many, 95),
        "p99_20": percentile(many, 99), "mps_20": len(many) / seconds,
    }


# --- the two bots --------------------------------------------------------------------------------

def train_ours(args) -> Optional[float]:
    if args.skip_train:
        recorded = ROOT / "models" / ".train-seconds"
        return float(recorded.read_text().strip()) if recorded.exists() else None
    with tempfile.TemporaryDirectory() as out:
        began = time.monotonic()
        subprocess.run([str(VENV_BIN / "rasa"), "train", "--config", "config.yml", "--domain", "bot/domain.yml",
                        "--data", "bot/data", "--out", out, "--force"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**process_environment(), **QUIET_ENV})
        return time.monotonic() - began


def bench_ours(args, tuned: bool = True) -> Dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        extra = {"TG_TODAY": "2026-11-23", "TG_RASA_TUNING": "on" if tuned else "off"}
        servers = make_servers(free_port(), free_port(), Path(tmp), extra)
        servers.env.pop("TG_TRACKER_URL", None)
        servers.env["TG_TRACKER_URL"] = f"sqlite:///{Path(tmp, 'tracker.db')}"
        servers.start()
        try:
            result = {"ready": servers.ready_seconds}
            result.update(measure(servers.rest_url, our_conversation, "ours", args))
            result["rss_rasa"] = peak_rss_mb(servers.processes["rasa"].pid)
            result["rss_actions"] = peak_rss_mb(servers.processes["actions"].pid)
        finally:
            servers.stop()
    return result


def stock_project(directory: Path) -> Optional[float]:
    """`rasa init --no-prompt` (scaffold and train) into ``directory``; the seconds it took, or None
    when a trained project is already there."""
    if list((directory / "models").glob("*.tar.gz")):
        recorded = directory / ".train-seconds"
        return float(recorded.read_text()) if recorded.exists() else None
    directory.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(directory)], cwd=directory,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**process_environment(), **QUIET_ENV})
    seconds = time.monotonic() - began
    (directory / ".train-seconds").write_text(f"{seconds:.1f}")
    return seconds


def bench_stock(directory: Path, args) -> Dict[str, float]:
    """The stock bot with the same tracker store as ours (SQLite through Rasa's SQL store), so the
    comparison is bot against bot. `rasa init` has no custom actions, so no action server."""
    data = directory / "bench-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    (data / "endpoints.yml").write_text(f"tracker_store:\n  type: SQL\n  url: sqlite:///{data / 'tracker.db'}\n")
    port = free_port()
    log = open(data / "rasa.log", "wb")
    began = time.monotonic()
    proc = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--interface", HOST, "--port", str(port), "--model", "models",
         "--endpoints", str(data / "endpoints.yml"), "--credentials", "credentials.yml"],
        cwd=directory, stdout=log, stderr=subprocess.STDOUT, env={**process_environment(), **QUIET_ENV}, start_new_session=True)
    try:
        while _get(f"http://{HOST}:{port}/") != 200:
            if proc.poll() is not None or time.monotonic() - began > 300:
                raise RuntimeError(f"stock rasa did not start; see {data / 'rasa.log'}")
            time.sleep(0.5)
        result = {"ready": time.monotonic() - began}
        result.update(measure(f"http://{HOST}:{port}/webhooks/rest/webhook", stock_conversation, "stock", args))
        result["rss_rasa"] = peak_rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, 2)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
    return result


def engine_figures() -> Tuple[float, float]:
    from training_guidance.assessment import assess
    from training_guidance.knowledge import load_knowledge

    t0 = time.perf_counter()
    kb = load_knowledge()
    load_ms = (time.perf_counter() - t0) * 1000
    situation = {"admitted_to_hospital": False, "hospital_plan": False, "age": 80, "condition_course": "temporary",
                 "potential_to_improve": True, "can_train_alone": False, "hospital_treatment_same_condition": False}
    runs = 2000
    t0 = time.perf_counter()
    for _ in range(runs):
        assess(situation, "0661", dt.date(2026, 11, 23), kb)
    return load_ms, (time.perf_counter() - t0) / runs * 1e6


# --- the table -----------------------------------------------------------------------------------

def table(ours, stock, untuned, train_ours_s, train_stock_s, engine, args) -> str:
    def ms(v):
        return f"{v:.0f} ms"

    def ratio(a, b):
        return f"{a / b:.2f}" if a is not None and b else "–"

    def verdict(ok):
        return "✅ met" if ok else "❌ missed"

    u = args.users
    rows = [
        ("training time", f"{train_ours_s:.0f} s" if train_ours_s else "–", f"{train_stock_s:.0f} s" if train_stock_s else "–",
         ratio(train_ours_s, train_stock_s), "", ""),
        ("servers ready (ours: Rasa + actions)", f"{ours['ready']:.1f} s", f"{stock['ready']:.1f} s",
         ratio(ours["ready"], stock["ready"]), "", ""),
        (f"1 user, p50 ({ours['turns_1']} / {stock['turns_1']} turns)", ms(ours["p50_1"]), ms(stock["p50_1"]),
         ratio(ours["p50_1"], stock["p50_1"]), f"ratio ≤ {TARGETS['ratio_1']}",
         verdict(ours["p50_1"] / stock["p50_1"] <= TARGETS["ratio_1"])),
        ("1 user, p95", ms(ours["p95_1"]), ms(stock["p95_1"]), ratio(ours["p95_1"], stock["p95_1"]),
         f"≤ {TARGETS['p95_1']:.0f} ms", verdict(ours["p95_1"] <= TARGETS["p95_1"])),
        ("1 user, p99", ms(ours["p99_1"]), ms(stock["p99_1"]), ratio(ours["p99_1"], stock["p99_1"]), "", ""),
        (f"{u} users, p50 ({ours['turns_20']} / {stock['turns_20']} turns)", ms(ours["p50_20"]), ms(stock["p50_20"]),
         ratio(ours["p50_20"], stock["p50_20"]), "", ""),
        (f"{u} users, p95", ms(ours["p95_20"]), ms(stock["p95_20"]), ratio(ours["p95_20"], stock["p95_20"]),
         f"≤ {TARGETS['p95_20']:.0f} ms", verdict(ours["p95_20"] <= TARGETS["p95_20"])),
        (f"{u} users, p99", ms(ours["p99_20"]), ms(stock["p99_20"]), ratio(ours["p99_20"], stock["p99_20"]), "", ""),
        (f"{u} users, messages per second", f"{ours['mps_20']:.1f}", f"{stock['mps_20']:.1f}",
         ratio(ours["mps_20"], stock["mps_20"]), f"≥ {TARGETS['mps_20']:.0f}", verdict(ours["mps_20"] >= TARGETS["mps_20"])),
        ("peak RSS, Rasa server", f"{ours['rss_rasa']:.0f} MB", f"{stock['rss_rasa']:.0f} MB",
         ratio(ours["rss_rasa"], stock["rss_rasa"]), f"≤ {TARGETS['rss_mb']:.0f} MB",
         verdict(ours["rss_rasa"] <= TARGETS["rss_mb"])),
        ("peak RSS, action server", f"{ours['rss_actions']:.0f} MB", "– (no actions)", "", "", ""),
        ("engine: knowledge load / one assessment", f"{engine[0]:.0f} ms / {engine[1]:.0f} µs", "–", "", "", ""),
    ]
    if untuned:
        rows += [
            ("ours with stock Rasa validation: 1 user p50 / p95", f"{untuned['p50_1']:.0f} / {untuned['p95_1']:.0f} ms",
             "", ratio(untuned["p50_1"], stock["p50_1"]), "", ""),
            (f"ours with stock Rasa validation: {u} users p95 / msg/s",
             f"{untuned['p95_20']:.0f} ms / {untuned['mps_20']:.1f}", "", "", "", ""),
        ]
    lines = ["| measure | Træningsguiden | stock `rasa init` | ours/stock | target | |",
             "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--stock-dir", type=Path)
    parser.add_argument("--untuned", action="store_true")
    parser.add_argument("--seconds-1", type=float, default=30.0, help="how long to measure 1 user (at least 50 turns)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--conversations-per-user", type=int, default=2)
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.monotonic()
    train_ours_s = train_ours(args)
    engine = engine_figures()
    tmp = None
    if args.stock_dir is None:
        tmp = tempfile.mkdtemp(prefix="tg-stock-")
        args.stock_dir = Path(tmp)
    try:
        train_stock_s = stock_project(args.stock_dir)
        stock = bench_stock(args.stock_dir, args)
        ours = bench_ours(args)
        untuned = bench_ours(args, tuned=False) if args.untuned else None
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"\nTræningsguiden benchmark, {dt.datetime.now():%Y-%m-%d %H:%M} — {platform.node()}, {os.cpu_count()} cores, "
          f"{mem_gb:.0f} GB, Python {platform.python_version()}; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f}; {time.monotonic() - started:.0f} s in all\n")
    print(table(ours, stock, untuned, train_ours_s, train_stock_s, engine, args))
    print(f"\nOurs: a full interview per conversation (opening, buttons until the assessment, two follow-ups); "
          f"stock: {len(STOCK_SCRIPT)} messages. Both with Rasa's SQL tracker store on SQLite.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
