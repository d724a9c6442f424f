"""Benchmark: Træningsguiden against a stock `rasa init` bot, measured the same way, same run.

For each bot: training time, ready time of its servers, per-turn latency over REST (p50/p95/p99)
for scripted full conversations with 1 user and with 20 concurrent users, messages per second,
and the peak resident memory of each server, and the CPU time the Rasa server spends per message
(its /proc CPU counters before and after each load phase). For ours also the per-turn latency of
long conversations (p50 at turn 5, 25 and 100), Rasa behind two server processes, and the engine's
knowledge-load and assessment times. Prints a markdown table with the ratio ours/stock and the
issue's targets, and writes every figure as JSON to results/bench-<time>.json (``--json`` names
another file), so a later run can be compared with this one. Asserts nothing; not part of `make test`.

  make bench                       (or: .venv311/bin/python scripts/bench.py)
  options: --skip-train            use models/ and the last recorded training time (ours)
           --stock-dir DIR         keep the stock bot in DIR and reuse it when it is trained
           --untuned               also run ours with TG_RASA_TUNING=off (stock Rasa validation)
           --uncapped              also measure the long conversations loading every event (TG_SESSION_MAX_EVENTS=0)
           --instances N           Rasa server processes for ours' second load run (default 2; 1: none)
           --production            also run the 20 users against the production layout (`make prod`:
                                   HAProxy, two Rasa servers, PostgreSQL tracker store, Redis lock store)
           --long-conversations N  long conversations of --long-turns turns each (default 5 of 105)
           --json FILE             where to write the figures (default results/bench-<time>.json)
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
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from servers import HOST, VENV_BIN, Servers, _get, free_port, make_servers  # noqa: E402
from training_guidance.settings import process_environment  # noqa: E402

QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
OUR_OPENING = "min mor på 82 i holstebro er faldet og er blevet meget svag"
OUR_AFTER = ["hvad koster kørsel?", "tak for hjælpen"]
STOCK_SCRIPT = ["hello", "I am feeling very sad", "yes", "are you a bot?", "hey there", "great, thanks", "bye"]
# Long conversations: these questions in turn.
OUR_LONG = ["hvad koster kørsel?", "hvor lang tid varer et forløb?", "kan jeg klage over afgørelsen?",
            "hvad er forskellen på genoptræning og vedligeholdelsestræning?", "tak for hjælpen"]
LONG_TURNS = (5, 25, 100)
TARGETS = {"ratio_1": 1.3, "p95_1": 120.0, "p95_20": 300.0, "mps_20": 40.0, "rss_mb": 1000.0,
           "rss_actions_mb": 200.0, "cpu_ms": 20.0, "mps_2": 60.0, "turn_ratio": 1.2, "train_s": 60.0}


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) and its children, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    total = 0
    for p in [pid] + [int(p) for p in out.split()]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants (PostgreSQL's backends are
    children of the server, which is a child of the process started), in seconds."""
    parents: Dict[int, int] = {}
    times: Dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        proc = int(stat.parent.name)
        parents[proc] = int(fields[1])
        times[proc] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, frontier = {pid}, [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier and p not in tree]
        tree.update(children)
        frontier = children
    return sum(times.get(p, 0.0) for p in tree)


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


def long_conversation(url: str, sender: str, turns: int) -> List[float]:
    """The questions of OUR_LONG in turn, ``turns`` messages: every stretch of five turns has the
    same messages, so turn 100 is compared with turn 5 on the same work."""
    return [send(url, sender, OUR_LONG[i % len(OUR_LONG)])[0] for i in range(turns)]


def by_turn(conversations: List[List[float]]) -> Dict[str, float]:
    """p50 of the latency at turns 5, 25 and 100 (each with the two turns either side, over all conversations)."""
    out = {}
    for turn in LONG_TURNS:
        values = [c[i] for c in conversations for i in range(turn - 3, turn + 2) if 0 <= i < len(c)]
        if values:
            out[f"p50_turn_{turn}"] = percentile(values, 50)
    return out


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


def measure(url: str, conversation, tag: str, args, pids: Dict[str, int]) -> Dict[str, float]:
    """Latencies with 1 and with ``args.users`` users, and the CPU milliseconds per message of each
    server process in ``pids`` (name → pid) over each phase."""
    conversation(url, f"{tag}-warmup-1")  # TensorFlow traces its graphs on the first calls
    conversation(url, f"{tag}-warmup-2")
    cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    one: List[float] = []
    began = time.perf_counter()
    while time.perf_counter() - began < args.seconds_1 or len(one) < 50:
        one += conversation(url, f"{tag}-single-{len(one)}")
    cpu1 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    many, seconds = load(url, conversation, f"{tag}-load", args.users, args.conversations_per_user)
    cpu2 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    result = {
        "turns_1": len(one), "p50_1": percentile(one, 50), "p95_1": percentile(one, 95),
        "p99_1": percentile(one, 99), "mean_1": statistics.mean(one),
        "turns_20": len(many), "p50_20": percentile(many, 50), "p95_20": percentile(many, 95),
        "p99_20": percentile(many, 99), "mps_20": len(many) / seconds,
    }
    for name in pids:
        result[f"cpu_ms_{name}_1"] = (cpu1[name] - cpu0[name]) * 1000 / len(one)
        result[f"cpu_ms_{name}_20"] = (cpu2[name] - cpu1[name]) * 1000 / len(many)
    return result


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


def sticky(urls: List[str]) -> Callable[[str, str], List[float]]:
    """Our conversation sent to one of ``urls`` chosen by the sender id, as the load balancer routes."""
    def conversation(_url: str, sender: str) -> List[float]:
        return our_conversation(urls[zlib.crc32(sender.encode()) % len(urls)], sender)
    return conversation


def bench_ours(args, tuned: bool = True, capped: bool = True, full: bool = True) -> Dict[str, float]:
    """Ours on its own servers: the load phases (``full``), the long conversations, and with
    ``args.instances`` > 1 the load phase again with that many Rasa server processes."""
    with tempfile.TemporaryDirectory() as tmp:
        extra = {"TG_TODAY": "2026-11-23", "TG_RASA_TUNING": "on" if tuned else "off"}
        if not capped:
            extra["TG_SESSION_MAX_EVENTS"] = "0"
        servers = make_servers(free_port(), free_port(), Path(tmp), extra)
        servers.env.pop("TG_TRACKER_URL", None)
        servers.env["TG_TRACKER_URL"] = f"sqlite:///{Path(tmp, 'tracker.db')}"
        servers.start()
        more: List[Servers] = []
        try:
            result: Dict[str, float] = {"ready": servers.ready_seconds}
            pids = {"rasa": servers.processes["rasa"].pid, "actions": servers.processes["actions"].pid}
            if full:
                result.update(measure(servers.rest_url, our_conversation, "ours", args, pids))
            long = [long_conversation(servers.rest_url, f"long-{i}", args.long_turns) for i in range(args.long_conversations)]
            result.update(by_turn(long))
            result["rss_rasa"] = peak_rss_mb(pids["rasa"])
            result["rss_actions"] = peak_rss_mb(pids["actions"])
            if full and args.instances > 1:
                # More Rasa server processes on the same tracker store and action server.
                for i in range(args.instances - 1):
                    other = Servers(free_port(), servers.action_port, servers.data_dir, dict(servers.env))
                    other.start_rasa_server()
                    more.append(other)
                    while _get(f"{other.url}/") != 200:
                        if other.processes["rasa"].poll() is not None:
                            raise RuntimeError(f"a second Rasa server did not start; see {servers.data_dir}/logs")
                        time.sleep(0.5)
                urls = [servers.rest_url] + [o.rest_url for o in more]
                conversation = sticky(urls)
                for i in range(2):
                    conversation("", f"multi-warmup-{i}")
                cpu0 = sum(cpu_seconds(o.processes["rasa"].pid) for o in more) + cpu_seconds(pids["rasa"])
                many, seconds = load("", conversation, "ours-multi", args.users, args.conversations_per_user)
                cpu1 = sum(cpu_seconds(o.processes["rasa"].pid) for o in more) + cpu_seconds(pids["rasa"])
                result.update({"multi_turns": len(many), "multi_p50": percentile(many, 50),
                               "multi_p95": percentile(many, 95), "multi_p99": percentile(many, 99),
                               "multi_mps": len(many) / seconds, "multi_cpu_ms_rasa": (cpu1 - cpu0) * 1000 / len(many)})
        finally:
            for other in more:
                other.stop()
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


def bench_production(args) -> Dict[str, float]:
    """The load phase against the production layout as `make prod` starts it (scripts/prod.py):
    HAProxy routes each conversation to one of two Rasa servers by its sender id; tracker store on
    PostgreSQL, lock store on Redis; the two web servers and the relay run too (idle here)."""
    from prod import Layout  # noqa: E402 (needs HAProxy, PostgreSQL and Redis binaries)

    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # PostgreSQL runs as its own user and needs to reach its folder
        layout = Layout(Path(tmp) / "prod", extra_env={"TG_TODAY": "2026-11-23"})
        layout.up()
        try:
            rasa_pids = [layout.state["pids"][unit] for unit in layout.rasa_units]
            action_pid = layout.state["pids"]["traeningsguiden-actions.service"]
            pids = {"postgres": layout.state["pids"]["postgresql"], "redis": layout.state["pids"]["redis"],
                    "haproxy": layout.state["pids"]["haproxy"]}
            for i in range(2):
                our_conversation(layout.rest_url, f"prod-warmup-{i}")
            before = {"rasa": sum(cpu_seconds(p) for p in rasa_pids), "actions": cpu_seconds(action_pid),
                      **{name: tree_cpu_seconds(pid) for name, pid in pids.items()}}
            client = time.process_time()
            many, seconds = load(layout.rest_url, our_conversation, "prod", args.users, args.conversations_per_user)
            client = time.process_time() - client  # the load generator's own CPU, on the same two cores
            after = {"rasa": sum(cpu_seconds(p) for p in rasa_pids), "actions": cpu_seconds(action_pid),
                     **{name: tree_cpu_seconds(pid) for name, pid in pids.items()}}
            result = {"ready": layout.state["ready_seconds"], "turns": len(many), "p50": percentile(many, 50),
                      "p95": percentile(many, 95), "p99": percentile(many, 99), "mps": len(many) / seconds,
                      "rss_rasa": max(peak_rss_mb(p) for p in rasa_pids), "rss_actions": peak_rss_mb(action_pid)}
            for name in before:
                result[f"cpu_ms_{name}"] = (after[name] - before[name]) * 1000 / len(many)
            result["cpu_ms_client"] = client * 1000 / len(many)
            return result
        finally:
            layout.down()


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
        result.update(measure(f"http://{HOST}:{port}/webhooks/rest/webhook", stock_conversation, "stock", args,
                              {"rasa": proc.pid}))
        result["rss_rasa"] = peak_rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, 2)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
    return result


def engine_figures() -> Tuple[float, float, float]:
    """Knowledge load (ms), one assessment (µs), one question ranked against a standard (ms: the
    development question set, each asked once, after the indexes are built)."""
    from training_guidance.answering import answer_question, indexes
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
    assess_us = (time.perf_counter() - t0) / runs * 1e6
    import yaml

    questions = yaml.safe_load((ROOT / "tests" / "questions" / "dev.yml").read_text(encoding="utf-8"))
    indexes(kb)
    t0 = time.perf_counter()
    for entry in questions:
        answer_question(kb, entry["q"], code=entry["code"])
    return load_ms, assess_us, (time.perf_counter() - t0) / len(questions) * 1000


# --- the table -----------------------------------------------------------------------------------

def table(ours, stock, untuned, uncapped, prod, train_ours_s, train_stock_s, engine, args) -> str:
    def ms(v):
        return f"{v:.0f} ms"

    def ratio(a, b):
        return f"{a / b:.2f}" if a is not None and b else "–"

    def verdict(ok):
        return "✅ met" if ok else "❌ missed"

    u = args.users
    rows = [
        ("training time", f"{train_ours_s:.0f} s" if train_ours_s else "–", f"{train_stock_s:.0f} s" if train_stock_s else "–",
         ratio(train_ours_s, train_stock_s), f"≤ {TARGETS['train_s']:.0f} s",
         verdict(train_ours_s <= TARGETS["train_s"]) if train_ours_s else ""),
        ("servers ready (ours: Rasa + actions)", f"{ours['ready']:.1f} s", f"{stock['ready']:.1f} s",
         ratio(ours["ready"], stock["ready"]), "", ""),
        (f"1 user, p50 ({ours['turns_1']} / {stock['turns_1']} turns)", ms(ours["p50_1"]), ms(stock["p50_1"]),
         ratio(ours["p50_1"], stock["p50_1"]), f"ratio ≤ {TARGETS['ratio_1']}",
         verdict(ours["p50_1"] / stock["p50_1"] <= TARGETS["ratio_1"])),
        ("1 user, p95", ms(ours["p95_1"]), ms(stock["p95_1"]), ratio(ours["p95_1"], stock["p95_1"]),
         f"≤ {TARGETS['p95_1']:.0f} ms", verdict(ours["p95_1"] <= TARGETS["p95_1"])),
        ("1 user, p99", ms(ours["p99_1"]), ms(stock["p99_1"]), ratio(ours["p99_1"], stock["p99_1"]), "", ""),
        ("1 user, Rasa server CPU per message", f"{ours['cpu_ms_rasa_1']:.1f} ms", f"{stock['cpu_ms_rasa_1']:.1f} ms",
         ratio(ours["cpu_ms_rasa_1"], stock["cpu_ms_rasa_1"]), f"≤ {TARGETS['cpu_ms']:.0f} ms",
         verdict(ours["cpu_ms_rasa_1"] <= TARGETS["cpu_ms"])),
        (f"{u} users, p50 ({ours['turns_20']} / {stock['turns_20']} turns)", ms(ours["p50_20"]), ms(stock["p50_20"]),
         ratio(ours["p50_20"], stock["p50_20"]), "", ""),
        (f"{u} users, p95", ms(ours["p95_20"]), ms(stock["p95_20"]), ratio(ours["p95_20"], stock["p95_20"]),
         f"≤ {TARGETS['p95_20']:.0f} ms", verdict(ours["p95_20"] <= TARGETS["p95_20"])),
        (f"{u} users, p99", ms(ours["p99_20"]), ms(stock["p99_20"]), ratio(ours["p99_20"], stock["p99_20"]), "", ""),
        (f"{u} users, messages per second", f"{ours['mps_20']:.1f}", f"{stock['mps_20']:.1f}",
         ratio(ours["mps_20"], stock["mps_20"]), f"≥ {TARGETS['mps_20']:.0f}", verdict(ours["mps_20"] >= TARGETS["mps_20"])),
        (f"{u} users, Rasa server CPU per message", f"{ours['cpu_ms_rasa_20']:.1f} ms", f"{stock['cpu_ms_rasa_20']:.1f} ms",
         ratio(ours["cpu_ms_rasa_20"], stock["cpu_ms_rasa_20"]), f"≤ {TARGETS['cpu_ms']:.0f} ms",
         verdict(ours["cpu_ms_rasa_20"] <= TARGETS["cpu_ms"])),
    ]

    def load_rows(label: str, turns: int, p50: float, p95: float, mps: float) -> list:
        """The p50 / p95 and msg/s rows of a load run with more than one Rasa server."""
        return [
            (f"{u} users, {label}: p50 / p95 ({turns} turns)", f"{p50:.0f} / {p95:.0f} ms", "",
             ratio(p95, stock["p95_20"]), f"p95 ≤ {TARGETS['p95_20']:.0f} ms", verdict(p95 <= TARGETS["p95_20"])),
            (f"{u} users, {label}: messages per second", f"{mps:.1f}", f"{stock['mps_20']:.1f} (1 server)",
             ratio(mps, stock["mps_20"]), f"≥ {TARGETS['mps_2']:.0f}, ratio ≥ 2",
             verdict(mps >= TARGETS["mps_2"] and mps / stock["mps_20"] >= 2)),
        ]

    if "multi_mps" in ours:
        rows += load_rows(f"{args.instances} Rasa servers", ours["multi_turns"], ours["multi_p50"], ours["multi_p95"],
                          ours["multi_mps"])
    if prod:
        rows += load_rows("production layout (HAProxy, 2 Rasa, PostgreSQL, Redis)", prod["turns"], prod["p50"],
                          prod["p95"], prod["mps"])
        rows += [
            ("production layout: CPU per message, Rasa (both) / actions / PostgreSQL / Redis / HAProxy / load client",
             " / ".join(f"{prod[f'cpu_ms_{n}']:.1f}" for n in ("rasa", "actions", "postgres", "redis", "haproxy", "client")) + " ms",
             "", "", "", ""),
        ]
    if "p50_turn_5" in ours:
        turns = " / ".join(f"{ours.get(f'p50_turn_{t}', float('nan')):.0f}" for t in LONG_TURNS)
        growth = ours["p50_turn_100"] / ours["p50_turn_5"] if "p50_turn_100" in ours else None
        rows.append((f"long conversation, p50 at turn {' / '.join(map(str, LONG_TURNS))} ({args.long_conversations} × {args.long_turns} turns)",
                     f"{turns} ms", "", f"turn 100 / turn 5: {growth:.2f}" if growth else "",
                     f"≤ {TARGETS['turn_ratio']}", verdict(growth is not None and growth <= TARGETS["turn_ratio"])))
    if uncapped and "p50_turn_5" in uncapped:
        turns = " / ".join(f"{uncapped.get(f'p50_turn_{t}', float('nan')):.0f}" for t in LONG_TURNS)
        growth = uncapped["p50_turn_100"] / uncapped["p50_turn_5"] if "p50_turn_100" in uncapped else None
        rows.append(("the same, every event loaded (TG_SESSION_MAX_EVENTS=0)", f"{turns} ms", "",
                     f"turn 100 / turn 5: {growth:.2f}" if growth else "", "", ""))
    rows += [
        ("peak RSS, Rasa server", f"{ours['rss_rasa']:.0f} MB", f"{stock['rss_rasa']:.0f} MB",
         ratio(ours["rss_rasa"], stock["rss_rasa"]), f"≤ {TARGETS['rss_mb']:.0f} MB",
         verdict(ours["rss_rasa"] <= TARGETS["rss_mb"])),
        ("peak RSS, action server", f"{ours['rss_actions']:.0f} MB", "– (no actions)", "",
         f"≤ {TARGETS['rss_actions_mb']:.0f} MB", verdict(ours["rss_actions"] <= TARGETS["rss_actions_mb"])),
        ("action server CPU per message (1 user)", f"{ours['cpu_ms_actions_1']:.1f} ms", "–", "", "", ""),
        ("engine: knowledge load / one assessment", f"{engine[0]:.0f} ms / {engine[1]:.0f} µs", "–", "", "", ""),
        ("answering: one question ranked (244 questions)", f"{engine[2]:.2f} ms", "–", "", "≤ 5 ms",
         "✅ met" if engine[2] <= 5 else "❌ missed"),
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
    parser.add_argument("--uncapped", action="store_true")
    parser.add_argument("--seconds-1", type=float, default=30.0, help="how long to measure 1 user (at least 50 turns)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--conversations-per-user", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--production", action="store_true")
    parser.add_argument("--long-conversations", type=int, default=5)
    parser.add_argument("--long-turns", type=int, default=105)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.monotonic()
    now = dt.datetime.now()
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
        uncapped = bench_ours(args, capped=False, full=False) if args.uncapped else None
        prod = bench_production(args) if args.production else None
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load_after = os.getloadavg()
    machine = {"host": platform.node(), "cores": os.cpu_count(), "memory_gb": round(mem_gb, 1),
               "python": platform.python_version(), "load_before": load_before, "load_after": load_after}
    print(f"\nTræningsguiden benchmark, {now:%Y-%m-%d %H:%M} — {machine['host']}, {machine['cores']} cores, "
          f"{mem_gb:.0f} GB, Python {machine['python']}; load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f}; {time.monotonic() - started:.0f} s in all\n")
    print(table(ours, stock, untuned, uncapped, prod, train_ours_s, train_stock_s, engine, args))
    print(f"\nOurs: a full interview per conversation (opening, buttons until the assessment, two follow-ups); "
          f"stock: {len(STOCK_SCRIPT)} messages. Both with Rasa's SQL tracker store on SQLite.")
    figures = {"time": now.isoformat(timespec="seconds"), "machine": machine, "options": {k: str(v) for k, v in vars(args).items()},
               "targets": TARGETS, "training_s": {"ours": train_ours_s, "stock": train_stock_s},
               "engine": {"knowledge_load_ms": engine[0], "assessment_us": engine[1], "ranking_ms": engine[2]},
               "ours": ours, "stock": stock, "ours_untuned": untuned, "ours_uncapped": uncapped,
               "ours_production": prod}
    out = args.json or ROOT / "results" / f"bench-{now:%Y%m%d-%H%M}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"Figures: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
