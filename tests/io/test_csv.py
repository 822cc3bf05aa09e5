"""The shared reading machinery (kpi_notebook_lib.io._csv)."""

from __future__ import annotations

import codecs
from datetime import datetime

import pandas as pd
import pytest
from _io_exports import EXPORTS

from kpi_notebook_lib.exceptions import ImportFormatError
from kpi_notebook_lib.io import _csv


def test_read_text_encodings(tmp_path):
    text = "Date;Portée\n26/11/2026;1\u202f234,5\n"
    cases = {
        "bom.csv": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf8.csv": text.encode("utf-8"),
        "utf16.csv": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf16-nobom.csv": text.encode("utf-16-le"),
        "cp1252.csv": text.replace("\u202f", "\u00a0").encode("cp1252"),
    }
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
        decoded, _ = _csv.read_text(tmp_path / name)
        assert decoded.splitlines()[0] == "Date;Portée", name
    assert _csv.read_text(tmp_path / "cp1252.csv")[1] == "cp1252"


def test_undecodable_bytes_name_the_file():
    with pytest.raises(ImportFormatError) as err:
        _csv.read_text(EXPORTS / "bad/undecodable.csv")
    assert "undecodable.csv" in str(err.value) and "cp1252" in str(err.value)


def test_sniff_delimiter_survives_preambles():
    assert _csv.sniff_delimiter('sep=;\n"a,b"\n') == ";"
    assert _csv.sniff_delimiter('"Facebook reach"\n"Date","Primary"\n"2025-01-01","3"\n') == ","
    # decimal commas in a ;-file must not win for ","
    assert _csv.sniff_delimiter("Portée Facebook;\nDate;Primary\n01/01/2025;1,5\n") == ";"
    assert _csv.sniff_delimiter("# Account: a, b\nDate\tSessions\n20231010\t3\n") == "\t"


def test_records_keep_start_lines_across_embedded_newlines():
    records = _csv.split_records('h1,h2\n"a\nb",1\nc,2\n', ",")
    assert [line for line, _ in records] == [1, 2, 4]


def test_sections_split_ga4_preambles():
    secs = _csv.sections("# Start date: 1\nA,B\n1,2\n\n# End date: 2\nC\n3\n")
    assert [s.preamble for s in secs] == [["Start date: 1"], ["End date: 2"]]
    assert [s.first_line for s in secs] == [2, 6]


@pytest.mark.parametrize(
    ("cells", "decimal"),
    [
        (["1938.0", "0.05"], "."),
        (["3,5 %", "1 234,5"], ","),
        (["1.234,5"], ","),
        (["12,345,678"], "."),
        (["1,234"], "."),
        ([], "."),
    ],
)
def test_guess_decimal(cells, decimal):
    assert _csv.guess_decimal(cells) == decimal


def test_excel_serial():
    assert _csv.excel_serial(45678) == datetime(2025, 1, 21)
    assert _csv.excel_serial("45658,5") == datetime(2025, 1, 1, 12)
    assert _csv.excel_serial("20231010") is None and _csv.excel_serial(12) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, Aug 1, 2026", (8, 1, 2026)),
        ("Mon Feb 17 2025", (2, 17, 2025)),
        ("28 août 2025", (8, 28, 2025)),
        ("8 de marzo", (3, 8, None)),
        ("February 28", (2, 28, None)),
        ("1er janv. 2026", (1, 1, 2026)),
    ],
)
def test_text_dates_in_several_languages(text, expected):
    assert _csv.text_date_parts(text)[:3] == expected


def test_day_first_and_month_first_never_mixed():
    cells = pd.Series(["03/04/2025", "13/04/2025"], index=[2, 3])
    fr = _csv.numeric_date_formats(_csv.Locale(decimal=",", dayfirst=True))
    out, fails = _csv.parse_datetimes(cells, column="Date", formats=fr, date_only=True)
    assert out.tolist() == [pd.Timestamp("2025-04-03"), pd.Timestamp("2025-04-13")]
    us = _csv.numeric_date_formats(_csv.Locale())
    out, fails = _csv.parse_datetimes(cells, column="Date", formats=us, date_only=True)
    assert out.iloc[0] == pd.Timestamp("2025-03-04") and pd.isna(out.iloc[1])
    assert fails["row"].tolist() == [3]


def test_dst_gap_and_overlap_are_failures():
    cells = pd.Series(["2026-03-29 02:30", "2026-10-25 02:30", "2026-10-25 03:30"], index=[2, 3, 4])
    out, fails = _csv.parse_datetimes(
        cells, column="t", formats=_csv.ISO_FORMATS, timezone="Europe/Paris"
    )
    assert fails["row"].tolist() == [2, 3]
    assert out[4] == pd.Timestamp("2026-10-25 02:30", tz="UTC")


def test_build_table_ragged_and_padding():
    records = [
        (1, ["a", "b", ""]),
        (2, ["1", "2", ""]),
        (3, ["1"]),
        (4, ["1", "2", "3"]),
        (5, ["", ""]),
    ]
    raw = _csv.build_table(records, 0)
    assert raw.header == ["a", "b"] and raw.data.index.tolist() == [2]
    assert raw.failures["row"].tolist() == [3, 4]
    padded = _csv.build_table(records, 0, pad=True)
    assert padded.data.index.tolist() == [2, 3]


def test_numbers_go_through_the_normaliser_with_the_file_locale():
    raw = _csv.build_table([(1, ["n", "r"]), (2, ["1\u202f234", "3,5 %"]), (3, ["N/A", "-"])], 0)
    from kpi_notebook_lib.io.aliases import Resolution

    res = Resolution(columns={"n": [0], "r": [1]}, header=["n", "r"], unknown=[], french=True)
    b = _csv.RowBuilder(raw, res, _csv.Locale(decimal=",", dayfirst=True, french=True))
    assert b.number("n").tolist() == [1234, pd.NA]
    assert b.number("r", integer=False).tolist() == [pytest.approx(0.035), pd.NA]


def test_date_range_in_name(tmp_path):
    rng = _csv.date_range_in_name(tmp_path / "tweet_activity_metrics_a_20250101_20250131_en.csv")
    assert rng == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-31"))
    rng = _csv.date_range_in_name(tmp_path / "Jan-01-2025_Mar-31-2025_123.csv")
    assert rng == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-31"))
    assert _csv.date_range_in_name(tmp_path / "x" / "Overview.csv") is None
