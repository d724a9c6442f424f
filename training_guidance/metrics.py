"""Prometheus metrics of Træningsguiden, named once here (prometheus-client).

The dialogue core and the servers call the small functions below; each server exposes what its
process counted at ``/metrics`` (web server, action server, relay; docs/operations.md lists what to
watch). Labels carry only bounded, non-personal values: an outcome word, a kommunekode, a target
name. Nothing here ever takes a message text or a sender id.

    from training_guidance import metrics
    metrics.assessment("stk1", "0661")
    metrics.question(found=False, code="0661")
    with metrics.timed("web", "citizen_message"):
        ...
"""
from __future__ import annotations

import re
import time
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, Optional, Tuple

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

UNKNOWN = "ukendt"
_CODE = re.compile(r"^\d{4}$")
_WORD = re.compile(r"^[a-z0-9_]{1,40}$")

MESSAGES = Counter("tg_messages", "User messages passed to the assistant", ["channel"])
ASSESSMENTS = Counter("tg_assessments", "Assessments given, by outcome and municipality", ["outcome", "municipality"])
QUESTIONS = Counter("tg_questions", "Side questions: answered from the municipality's standard or not found",
                    ["result", "municipality"])
APPLICATIONS = Counter("tg_applications", "Applications stored (new ones, not repeats)", ["municipality"])
DELIVERIES = Counter("tg_deliveries", "Delivery attempts of the outbox relay, by result",
                     ["target", "result"])
DELIVERIES_FAILED = Counter("tg_deliveries_failed", "Deliveries given up after the last attempt", ["target"])
LATENCY = Histogram(
    "tg_request_seconds", "Time to answer, by server and route", ["server", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def _code(code: Optional[str]) -> str:
    return code if code and _CODE.match(code) else UNKNOWN


def _word(value: Optional[str]) -> str:
    return value if value and _WORD.match(value) else UNKNOWN


def message(channel: str = "web") -> None:
    """One user message (``channel``: `web`, `staff`, ...)."""
    MESSAGES.labels(_word(channel)).inc()


def assessment(outcome: str, code: Optional[str]) -> None:
    """An assessment was given (``outcome``: stk1, stk2, sundhedsloven_140, not_eligible, undetermined)."""
    ASSESSMENTS.labels(_word(outcome), _code(code)).inc()


def question(found: bool, code: Optional[str]) -> None:
    """A side question, answered from the standard (``found``) or not found there."""
    QUESTIONS.labels("answered" if found else "not_found", _code(code)).inc()


def application(code: Optional[str]) -> None:
    APPLICATIONS.labels(_code(code)).inc()


def delivery(target: str, ok: bool, gave_up: bool = False) -> None:
    """One delivery attempt of the relay; ``gave_up`` when it was the last one."""
    DELIVERIES.labels(_word(target), "delivered" if ok else ("failed" if gave_up else "retry")).inc()
    if gave_up:
        DELIVERIES_FAILED.labels(_word(target)).inc()


def observe(server: str, route: str, seconds: float) -> None:
    LATENCY.labels(_word(server), _word(route)).observe(seconds)


@contextmanager
def timed(server: str, route: str) -> Iterator[None]:
    """Observe the time the block takes (also when it raises)."""
    began = time.perf_counter()
    try:
        yield
    finally:
        observe(server, route, time.perf_counter() - began)


class OutboxCollector(Collector):
    """Outbox backlog read from the records store at scrape time, so every server that shows it
    shows the same numbers (the store is shared; counting in one process would not be)."""

    def __init__(self, read: Callable[[], Dict[str, float]]):
        self.read = read

    def collect(self):
        try:
            values = self.read()
        except Exception:  # the database is away: the scrape still answers; /ready tells why
            values = None
        up = GaugeMetricFamily("tg_records_store_up", "1 when the records store answered this scrape")
        up.add_metric([], 0.0 if values is None else 1.0)
        yield up
        if values is None:
            return
        for name, help_text in (
            ("pending", "Deliveries waiting in the outbox (not yet delivered, not given up)"),
            ("failed", "Deliveries given up (status 'fejlet'; `tg records retry`)"),
            ("oldest_pending_seconds", "Age of the oldest waiting delivery"),
        ):
            family = GaugeMetricFamily(f"tg_outbox_{name}", help_text)
            family.add_metric([], float(values.get(name, 0.0)))
            yield family


_collectors: Dict[str, OutboxCollector] = {}


def watch_outbox(key: str, read: Callable[[], Dict[str, float]]) -> None:
    """Show the outbox backlog in this process's /metrics (once per process and ``key``)."""
    if key in _collectors:
        _collectors[key].read = read
        return
    if _collectors:  # one family of each name per registry: a second store replaces the first
        REGISTRY.unregister(_collectors.pop(next(iter(_collectors))))
    _collectors[key] = OutboxCollector(read)
    REGISTRY.register(_collectors[key])


def exposition() -> Tuple[bytes, str]:
    """The body and content type of a /metrics answer."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
