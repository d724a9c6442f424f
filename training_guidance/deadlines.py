"""Deadlines as real dates: working days skip weekends and Danish public holidays."""
from __future__ import annotations

import datetime as dt
import functools
from typing import Optional

import holidays
from babel.dates import format_date

from .knowledge.schema import Period, PeriodUnit

# Not public holidays in law, but closed days in Danish public administration.
_ADMIN_CLOSED = ((6, 5, "Grundlovsdag"), (12, 24, "Juleaftensdag"), (12, 31, "Nytårsaftensdag"))


@functools.lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset:
    days = set(holidays.country_holidays("DK", years=year))  # knows Store Bededag ended in 2024
    days.update(dt.date(year, m, d) for m, d, _ in _ADMIN_CLOSED)
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` ("senest 10 hverdage efter ...")."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` moved by whole calendar months (negative: back); the 31st becomes the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def deadline_date(start: dt.date, period: Period) -> Optional[dt.date]:
    """The last day of ``period`` counted from ``start``, moved to a working day if needed.

    Returns None for units that are not calendar deadlines (minutes, hours).
    """
    value = int(period.value)
    if period.unit is PeriodUnit.working_days:
        return add_working_days(start, value)
    if period.unit is PeriodUnit.days:
        end = start + dt.timedelta(days=value)
    elif period.unit is PeriodUnit.weeks:
        end = start + dt.timedelta(weeks=value)
    elif period.unit is PeriodUnit.months:
        end = add_months(start, value)
    else:
        return None
    return next_working_day(end)


def months_have_passed_on(today: dt.date, months_passed: int, months_required: int) -> dt.date:
    """The day on which ``months_required`` months will have passed since something that ended
    ``months_passed`` whole months before ``today`` (Ishøj: five months since the last course).

    Not a deadline: the day is not moved to a working day. With whole months given, it is approximate.
    """
    return add_months(today, max(months_required - months_passed, 0))


def danish_date(day: dt.date) -> str:
    """'fredag den 4. december 2026'."""
    return format_date(day, "EEEE 'den' d. MMMM y", locale="da_DK")


UNIT_WORDS = {
    PeriodUnit.working_days: ("hverdag", "hverdage"),
    PeriodUnit.days: ("dag", "dage"),
    PeriodUnit.weeks: ("uge", "uger"),
    PeriodUnit.months: ("måned", "måneder"),
    PeriodUnit.minutes: ("minut", "minutter"),
    PeriodUnit.hours: ("time", "timer"),
}


def period_words(period: Period) -> str:
    """'10 hverdage', '1 uge'."""
    one, many = UNIT_WORDS[period.unit]
    value = int(period.value) if float(period.value).is_integer() else period.value
    return f"{value} {one if value == 1 else many}"
