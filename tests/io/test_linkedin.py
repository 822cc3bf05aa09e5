"""LinkedIn company page importers (.xlsx, .xls that is .xlsx, .xls that is HTML)."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import EXPORTS, read_export
from pandas.testing import assert_frame_equal

from kpi_notebook_lib.exceptions import ImportFormatError
from kpi_notebook_lib.io import detect
from kpi_notebook_lib.io._csv import read_sheets

EXPORTED = pd.Timestamp("2025-03-01", tz="UTC")  # _1740787200000 (ms)


def test_updates_xlsx_posts_and_daily():
    pf = read_export("linkedin/boulangerie-dupont_updates_1740787200000.xlsx", "linkedin.updates")
    assert pf.exported_at == EXPORTED
    posts = pf.tables["posts"]
    expected = pd.DataFrame(
        {
            "post_id": [
                "urn:li:activity:7301234567890123456",
                "urn:li:activity:7301234567890999999",
            ],
            "account": ["boulangerie-dupont"] * 2,
            "format": ["image", "video"],
            "paid": [False, True],
            "campaign": [pd.NA, "Promo février"],
            "impressions": [1520, 5000],
            "clicks": [48, 150],
            "reactions": [35, 60],
            "comments": [4, 5],
            "shares": [2, 4],
            "follows": [3, 10],
            "video_views": [pd.NA, 1200],
            "platform_engagement_rate": [0.0605, 0.0458],
        },
        index=[3, 4],  # row 1: description, row 2: header
    ).astype(
        {
            "post_id": "string",
            "account": "string",
            "format": "string",
            "paid": "boolean",
            "campaign": "string",
            "platform_engagement_rate": "Float64",
            **{
                c: "Int64"
                for c in (
                    "impressions",
                    "clicks",
                    "reactions",
                    "comments",
                    "shares",
                    "follows",
                    "video_views",
                )
            },
        }
    )
    assert_frame_equal(posts[expected.columns], expected, check_index_type=False)
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2025-02-25 23:00", tz="UTC"),
        pd.Timestamp("2025-02-26 23:00", tz="UTC"),
    ]
    aud = pf.tables["audience"]
    # text date, real date cell, Excel serial 45716
    assert aud["date"].tolist() == [
        pd.Timestamp("2025-02-26"),
        pd.Timestamp("2025-02-27"),
        pd.Timestamp("2025-02-28"),
    ]
    assert aud["impressions"].tolist() == [320, 1150, 90]  # organic + sponsored
    assert pf.quarantine.empty


def test_visitors_xlsx_with_xls_extension():
    pf = read_export("linkedin/boulangerie-dupont_visitors_1740787200000.xls", "linkedin.visitors")
    aud = pf.tables["audience"]
    assert aud["profile_visits"].tolist() == [23, 8]
    assert aud["date"].tolist() == [pd.Timestamp("2025-02-26"), pd.Timestamp("2025-02-27")]
    assert not any("unrecognised" in n for n in pf.notes)


def test_followers_xls_that_is_html():
    pf = read_export(
        "linkedin/boulangerie-dupont_followers_1740787200000.xls", "linkedin.followers"
    )
    aud = pf.tables["audience"]
    assert aud["new_followers"].tolist() == [3, 8]
    assert aud["followers"].isna().all()
    assert aud["source_row"].tolist() == [3, 4]


def test_french_html_updates():
    pf = read_export("linkedin/dupont-fr_updates_1764547200000.xls", "linkedin.updates")
    posts = pf.tables["posts"]
    assert posts["post_id"].tolist() == ["urn:li:activity:7400000000000000001"]
    assert posts["impressions"].tolist() == [1234]  # U+202F thousands
    assert posts["platform_engagement_rate"].tolist() == [pytest.approx(0.035)]  # "3,5 %"
    assert posts["published_at"].tolist() == [pd.Timestamp("2026-11-25 23:00", tz="UTC")]
    assert posts["paid"].tolist() == [False]
    q = pf.quarantine
    assert q["row"].tolist() == [4] and q["column"].iloc[0].endswith("!Lien de la publication")
    aud = pf.tables["audience"]
    assert aud["date"].tolist() == [pd.Timestamp("2026-11-26"), pd.Timestamp("2026-11-27")]
    assert aud["impressions"].tolist() == [1500, 1000]


def test_html_without_table_is_rejected_clearly():
    path = EXPORTS / "linkedin/session_expired.xls"
    with pytest.raises(ImportFormatError, match=r"session_expired\.xls.*holds no table"):
        read_sheets(path)
    with pytest.raises(ImportFormatError, match="not a known export format"):
        detect(path)
