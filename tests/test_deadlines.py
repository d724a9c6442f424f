"""Deadlines in working days, days, weeks and months, as real dates written in Danish."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from training_guidance.deadlines import danish_date, deadline_date, is_working_day, period_words
from training_guidance.knowledge.schema import Period

CASES = yaml.safe_load((Path(__file__).parent / "deadline_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_frist(case):
    end = deadline_date(case["start"], Period(**case["period"]))
    assert end == case["expect"]
    assert is_working_day(end)
    if "text" in case:
        assert danish_date(end) == case["text"]


def test_juleaften_grundlovsdag_og_nytaarsaften_er_ikke_hverdage_men_den_1_maj_er():
    # 24 Dec 2026 (Thu), 31 Dec 2026 (Thu) and 5 June 2026 (Fri) fall on weekdays.
    for closed in (dt.date(2026, 12, 24), dt.date(2026, 12, 31), dt.date(2026, 6, 5)):
        assert not is_working_day(closed), closed
    assert is_working_day(dt.date(2026, 5, 1))  # neither 1 May nor the abolished Store Bededag


def test_perioder_skrives_paa_dansk_i_ental_og_flertal():
    assert period_words(Period(value=1, unit="weeks")) == "1 uge"
    assert period_words(Period(value=10, unit="working_days")) == "10 hverdage"
    assert period_words(Period(value=28, unit="days")) == "28 dage"


def test_minutter_giver_ingen_dato():
    assert deadline_date(dt.date(2026, 11, 23), Period(value=15, unit="minutes")) is None


def test_datoen_hvor_der_er_gaaet_fem_maaneder_regnes_fra_i_dag_og_de_maaneder_der_er_gaaet():
    from training_guidance.deadlines import months_have_passed_on

    today = dt.date(2026, 11, 23)
    assert months_have_passed_on(today, 3, 5) == dt.date(2027, 1, 23)
    assert months_have_passed_on(today, 0, 5) == dt.date(2027, 4, 23)
    assert months_have_passed_on(today, 7, 5) == today  # already passed
    # Not a deadline: a Saturday stays a Saturday.
    assert months_have_passed_on(dt.date(2026, 11, 23), 3, 5).weekday() == 5


def test_maaneder_kan_laegges_til_og_trækkes_fra_og_den_31_bliver_maanedens_sidste_dag():
    from training_guidance.deadlines import add_months

    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), -12 * 67) == dt.date(1957, 2, 28)
    assert add_months(dt.date(2026, 11, 23), 14) == dt.date(2028, 1, 23)
