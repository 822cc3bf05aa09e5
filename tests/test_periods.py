from datetime import date

import pandas as pd
import pytest

from kpi_notebook_lib import ParameterError, parse_period
from kpi_notebook_lib.periods import period_of, periods_between


@pytest.mark.parametrize(
    "label, start, end, kind",
    [
        ("2026-10", date(2026, 10, 1), date(2026, 11, 1), "month"),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "month"),
        ("2026-W43", date(2026, 10, 19), date(2026, 10, 26), "week"),
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 4), "week"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1), "quarter"),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1), "quarter"),
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "year"),
        ("2028-02-28..2028-03-01", date(2028, 2, 28), date(2028, 3, 2), "custom"),
    ],
)
def test_parse(label, start, end, kind):
    p = parse_period(label)
    assert (p.start, p.end, p.kind, p.label) == (start, end, kind, label)


@pytest.mark.parametrize(
    "bad",
    [
        "2026-13",
        "2026-00",
        "2025-W53",
        "2026-Q5",
        "26-10",
        "octobre",
        "2026-10-15..2026-10-01",
        "",
        "2026-02-30..2026-03-01",
    ],
)
def test_malformed_periods_are_clear_errors(bad):
    with pytest.raises(ParameterError, match="The value for `period` must"):
        parse_period(bad)


def test_error_message_style():
    with pytest.raises(ParameterError) as err:
        parse_period("2026-13")
    assert str(err.value) == (
        "The value for `period` must look like 2026-10, 2026-W43, 2026-Q3, 2026 or "
        "2026-10-01..2026-10-15, but '2026-13' was passed."
    )


def test_previous_and_last_year():
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026-W01").previous().label == "2025-W52"
    assert parse_period("2027-W01").previous().label == "2026-W53"
    assert parse_period("2026-10").last_year().label == "2025-10"
    assert parse_period("2026-W53").last_year().label == "2025-W52"  # 2025 has no week 53
    assert parse_period("2021-W52").last_year().label == "2020-W52"
    assert parse_period("2020-W53").last_year().label == "2019-W52"
    leap = parse_period("2028-02-29..2028-03-06")
    assert leap.last_year().label == "2027-02-28..2027-03-06"  # same 7 days
    assert leap.previous().label == "2028-02-22..2028-02-28"


def test_history_and_between():
    assert [p.label for p in parse_period("2026-02").history(3)] == [
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    weeks = periods_between("week", date(2026, 12, 27), date(2027, 1, 5))
    assert [p.label for p in weeks] == ["2026-W52", "2026-W53", "2027-W01"]


def test_utc_bounds_follow_dst():
    start, end = parse_period("2026-10").utc_bounds("Europe/Paris")
    assert start == pd.Timestamp("2026-09-30T22:00Z")  # CEST, UTC+2
    assert end == pd.Timestamp("2026-10-31T23:00Z")  # CET since 25 October, UTC+1
    start, _ = parse_period("2026-03-29..2026-03-29").utc_bounds("Europe/Paris")
    assert start == pd.Timestamp("2026-03-28T23:00Z")
    with pytest.raises(ParameterError, match="IANA time zone"):
        parse_period("2026-10").utc_bounds("Mars/Olympus")


def test_period_of_leap_day():
    assert period_of("month", date(2028, 2, 29)).days == 29
    assert period_of("quarter", date(2028, 2, 29)).label == "2028-Q1"
