from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_notebook_lib.formatting import (
    MISSING,
    format_change,
    format_day,
    format_period,
    format_value,
    translate_note,
)


@pytest.mark.parametrize(
    "value, unit, lang, expected",
    [
        (1234.5, "count", "fr", "1\u202f234,5"),
        (1234.5, "count", "en", "1,234.5"),
        (1234, "count", "fr", "1\u202f234"),
        (0.123, "percent", "fr", "12,3\u00a0%"),
        (0.123, "percent", "en", "12.3%"),
        (12.5, "currency", "fr", "12,50\u00a0€"),
        (1.25, "ratio", "fr", "1,25"),
        (13.0, "hours", "en", "13.0 h"),
        (None, "count", "fr", MISSING),
        (np.nan, "percent", "en", MISSING),
        (pd.NA, "count", "en", MISSING),
        (0, "count", "fr", "0"),
    ],
)
def test_format_value(value, unit, lang, expected):
    assert format_value(value, unit, lang) == expected


def test_changes_and_periods():
    assert format_change(800, 1.0, "count", "fr") == "+100,0\u00a0%"
    assert format_change(-0.012, -0.1, "percent", "en") == "-1.2 pt"
    assert format_change(5, None, "count", "en") == MISSING
    assert format_period("2026-10", "fr") == "octobre 2026"
    assert format_period("2026-10", "en") == "October 2026"
    assert format_period("2026-W43", "fr") == "semaine 43 2026"
    assert format_period("2026-Q3", "fr") == "T3 2026"
    assert format_day(date(2026, 10, 3), "fr") == "3 octobre 2026"


def test_notes_in_french():
    assert translate_note("reach not available", "fr") == "portée non disponible"
    assert (
        translate_note("division by zero: leads is 0", "fr") == "division par zéro : leads vaut 0"
    )
    assert translate_note("reach not available", "en") == "reach not available"


def test_verdict_quotes_the_p_value_it_was_decided_on():
    from collections import namedtuple

    from kpi_notebook_lib.formatting import format_verdict, verdict_of

    assert format_verdict("rise", 0.0213, "fr", adjusted=True) == (
        "hausse significative (p\u00a0ajusté = 0,02)"
    )
    assert format_verdict("noise", 0.31, "en", adjusted=True) == (
        "normal variation (adjusted\u00a0p = 0.31)"
    )
    row = {"verdict": "noise", "p_value": 0.03, "p_adjusted": 0.12, "tests_in_family": 40.0}
    assert verdict_of(row, "fr") == "variation normale (p\u00a0ajusté = 0,12)"
    # tested alone (multiple_testing: none, or a family of one): the plain p-value
    alone = namedtuple("Row", row)(**{**row, "p_adjusted": 0.03, "tests_in_family": 1.0})
    assert verdict_of(alone, "en") == "normal variation (p = 0.03)"
    # a table from before the adjustment existed (no such columns) still reads
    assert verdict_of({"verdict": "fall", "p_value": 0.0004}, "en") == (
        "significant fall (p < 0.001)"
    )
