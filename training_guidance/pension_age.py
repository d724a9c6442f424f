"""Has a citizen of a given age reached folkepensionsalderen on a given day?

The pension age depends on the birth date (lov om social pension § 1 a), and the table itself
changes by law: both live in the dated parameter ``pension_age`` in knowledge/national.yml (the
table in force on ``today``, each cohort's first birth date → its age). The interview knows the age
in whole years, not the birth date, so the birth date lies somewhere in a one-year window; when the
cohorts in that window disagree (a 67-year-old in 2030 may be born in 1962, age 67, or 1963, age
68), the answer is "maybe" (None) rather than a guess.
"""
from __future__ import annotations

import datetime as dt
from typing import Dict, List, Optional

from .deadlines import add_months
from .knowledge.schema import Parameter


def birth_window(age: int, today: dt.date) -> tuple:
    """(earliest, latest) birth date of someone who is ``age`` whole years old on ``today``."""
    latest = add_months(today, -12 * age)
    earliest = add_months(today, -12 * (age + 1)) + dt.timedelta(days=1)
    return earliest, latest


def _age_for(schedule: Dict[dt.date, float], birth: dt.date) -> float:
    starts = [start for start in schedule if start <= birth]
    if not starts:
        raise ValueError(f"the pension age table starts after the birth date {birth.isoformat()}")
    return schedule[max(starts)]


def pension_age_for(parameter: Parameter, birth: dt.date, today: dt.date) -> float:
    """The folkepensionsalder of someone born on ``birth``, by the table in force on ``today``."""
    schedule = parameter.at(today).value
    if not isinstance(schedule, dict):
        return float(schedule)
    return _age_for(schedule, birth)


def reached_on(parameter: Parameter, birth: dt.date, today: dt.date) -> bool:
    years = pension_age_for(parameter, birth, today)
    return add_months(birth, round(years * 12)) <= today


def has_reached_pension_age(parameter: Parameter, age: int, today: dt.date) -> Optional[bool]:
    """True or False when every birth date that fits ``age`` gives the same answer, else None."""
    earliest, latest = birth_window(age, today)
    schedule = parameter.at(today).value
    candidates: List[dt.date] = [earliest, latest]
    if isinstance(schedule, dict):
        # Within one cohort an earlier birth date reaches the age sooner, so the ends of each
        # cohort's part of the window decide.
        for start in schedule:
            if earliest < start <= latest:
                candidates += [start - dt.timedelta(days=1), start]
    answers = {reached_on(parameter, birth, today) for birth in candidates}
    return answers.pop() if len(answers) == 1 else None


def highest_pension_age(parameter: Parameter) -> float:
    """The highest folkepensionsalder of any cohort in any table: someone older has reached it,
    whatever their birth date and whichever day it is."""
    return max(v for value in parameter.values.values()
               for v in (value.value.values() if isinstance(value.value, dict) else [value.value]))
