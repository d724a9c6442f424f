"""Logs as JSON lines: one object per line, for the municipality's log collector.

Our servers log events, never what a person wrote: a reference, a target, a count, a duration.
As a second guard every line is passed through the CPR masking, and an exception is logged with
its type and where it happened, not its message (a database error can quote the values it
failed to write).

    from training_guidance.logging_json import configure
    configure()          # TG_LOG_FORMAT: json (default) or text
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import traceback
from typing import IO, Any, Dict, Optional

from .settings import get_settings
from .understanding import mask_cpr

# Extra fields a log call may add (log.info("...", extra={"reference": ...})); nothing else is copied.
EXTRA_FIELDS = ("reference", "target", "attempt", "status", "municipality", "outcome", "count", "seconds",
                "route", "server", "component", "code")


class JsonFormatter(logging.Formatter):
    def __init__(self, component: Optional[str] = None):
        super().__init__()
        self.component = component

    def format(self, record: logging.LogRecord) -> str:
        entry: Dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        if self.component:
            entry["component"] = self.component
        for name in EXTRA_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["error"] = exc_type.__name__
            frames = traceback.extract_tb(tb)[-3:]
            entry["where"] = [f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}" for f in frames]
        text = json.dumps(entry, ensure_ascii=False, default=str)
        return mask_cpr(text)[0]


def configure(component: Optional[str] = None, level: int = logging.INFO, stream: Optional[IO[str]] = None,
              env=None) -> logging.Handler:
    """Send the root logger's records to ``stream`` (stderr) as JSON lines, or as plain lines when
    TG_LOG_FORMAT=text. Replaces the root logger's handlers, so a library's own format is not mixed in."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if get_settings(env).log_format == "json":
        handler.setFormatter(JsonFormatter(component))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
