"""Benchmark: per-turn latency over REST, server ready time, peak memory, training time, and the
engine's knowledge-load and assessment times. Prints a table; asserts nothing.

  make bench                 (or: .venv/bin/python scripts/bench.py [--turns 50] [--skip-train])
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from servers import free_port, make_servers  # noqa: E402

SCRIPT = [  # one scripted conversation; repeated with new sender ids until enough turns
    "hej", "jeg bor i holstebro", "hvad koster kørsel?", "hvad koster det?",
    "kan jeg tale med en medarbejder", "tak for hjælpen", "farvel",
]


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def tree_peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def engine_figures():
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
    return load_ms, assess_us


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--skip-train", action="store_true", help="report the last recorded training time")
    args = parser.parse_args()
    rows = []

    if args.skip_train:
        recorded = ROOT / "models" / ".train-seconds"
        rows.append(("Træningstid (sidst målt)", f"{recorded.read_text().strip()} s" if recorded.exists() else "ukendt"))
    else:
        with tempfile.TemporaryDirectory() as out:
            t0 = time.monotonic()
            subprocess.run([str(ROOT / ".venv/bin/rasa"), "train", "--config", "config.yml", "--domain", "bot/domain.yml",
                            "--data", "bot/data", "--out", out, "--force"], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
            rows.append(("Træningstid", f"{time.monotonic() - t0:.1f} s"))

    load_ms, assess_us = engine_figures()
    rows.append(("Indlæsning af vidensbasen", f"{load_ms:.0f} ms"))
    rows.append(("Én vurdering i motoren", f"{assess_us:.0f} µs"))

    with tempfile.TemporaryDirectory() as tmp:
        servers = make_servers(free_port(), free_port(), Path(tmp))
        servers.start()
        try:
            rows.append(("Servere klar (begge)", f"{servers.ready_seconds:.1f} s"))
            latencies = []
            n = 0
            while len(latencies) < args.turns:
                sender = f"bench-{n}"
                n += 1
                for message in SCRIPT:
                    if len(latencies) >= args.turns:
                        break
                    body = json.dumps({"sender": sender, "message": message}).encode()
                    req = urllib.request.Request(servers.rest_url, data=body, headers={"Content-Type": "application/json"})
                    t0 = time.perf_counter()
                    urllib.request.urlopen(req, timeout=60).read()
                    latencies.append((time.perf_counter() - t0) * 1000)
            rows.append((f"Svartid pr. tur, p50 ({len(latencies)} ture)", f"{percentile(latencies, 50):.0f} ms"))
            rows.append((f"Svartid pr. tur, p95 ({len(latencies)} ture)", f"{percentile(latencies, 95):.0f} ms"))
            rows.append(("Svartid pr. tur, middel", f"{statistics.mean(latencies):.0f} ms"))
            rows.append(("Maks. hukommelse, Rasa-server", f"{tree_peak_rss_mb(servers.processes['rasa'].pid):.0f} MB"))
            rows.append(("Maks. hukommelse, handlingsserver", f"{tree_peak_rss_mb(servers.processes['actions'].pid):.0f} MB"))
        finally:
            servers.stop()

    width = max(len(k) for k, _ in rows)
    print(f"\nTræningsguiden benchmark — {platform.node()}, {os.cpu_count()} kerner, Python {platform.python_version()}")
    print("-" * (width + 14))
    for key, value in rows:
        print(f"{key:<{width}}  {value:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
