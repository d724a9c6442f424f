"""Today and now, as the whole assistant sees them.

The system clock, unless TG_TODAY pins the day (demos and tests). A pinned day shifts the clock by
whole days of the Danish calendar and lets the Danish time of day run on, so records, deadlines and the relay's due times agree:
a record made on the pinned day carries that day's date and is due for delivery at once.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Optional
from zoneinfo import ZoneInfo

from .settings import get_settings


def system_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


DENMARK = ZoneInfo("Europe/Copenhagen")


def danish_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(DENMARK).date()


@functools.lru_cache(maxsize=8)
def _shift(pinned: dt.date) -> dt.timedelta:
    # Computed once per process and pinned day, so the shifted clock never jumps back at midnight.
    return dt.timedelta(days=(pinned - danish_date(system_now())).days)


def today() -> dt.date:
    """Today's date in Denmark (the pinned day when TG_TODAY is set)."""
    pinned = get_settings().today
    return pinned if pinned is not None else danish_date(system_now())


def now() -> dt.datetime:
    """Now, in UTC; moved to the pinned day when TG_TODAY is set. The days are moved on the Danish
    calendar and its clock: across a change to or from summer time a whole number of 24-hour days
    would land an hour off, and in the last hour before midnight on the wrong date."""
    pinned = get_settings().today
    current = system_now()
    if pinned is None:
        return current
    local = current.astimezone(DENMARK).replace(tzinfo=None) + _shift(pinned)
    return local.replace(tzinfo=DENMARK).astimezone(dt.timezone.utc)
