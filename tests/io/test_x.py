"""X (Twitter) importers."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import read_export
from pandas.testing import assert_frame_equal

from kpi_notebook_lib.exceptions import ImportFormatError

UTC = "UTC"


def test_tweet_activity_rows():
    pf = read_export(
        "x/tweet_activity_metrics_boulangerie_dupont_20250101_20250131_en.csv", "x.tweet_activity"
    )
    posts = pf.tables["posts"]
    expected = pd.DataFrame(
        {
            "post_id": ["1876543210987654321", "1881234567890123456", "1882000000000000001"],
            "account": ["boulangerie_dupont"] * 3,
            "published_at": pd.to_datetime(
                ["2025-01-07 08:30", "2025-01-20 17:05", "2025-01-22 11:00"]
            )
            .tz_localize(UTC)
            .astype("datetime64[ns, UTC]"),
            "impressions": [1938, 500, 800],
            "reactions": [40, 6, 20],
            "comments": [2, 0, 3],
            "shares": [3, 1, 5],
            "link_clicks": [4, 0, 6],
            "paid": [False, False, True],
            "source_row": [2, 4, 5],  # the first tweet's text spans lines 2-3
        },
        index=[2, 4, 5],
    ).astype(
        {
            "post_id": "string",
            "account": "string",
            "impressions": "Int64",
            "reactions": "Int64",
            "comments": "Int64",
            "shares": "Int64",
            "link_clicks": "Int64",
            "paid": "boolean",
        }
    )
    assert_frame_equal(posts[expected.columns], expected, check_index_type=False)
    assert posts.loc[2, "text"] == "Nouvelle fournée !\nPain & viennoiseries"
    assert posts["clicks"].isna().all()  # X gives no total clicks: NA, never 0
    assert pf.exported_at == pd.Timestamp("2025-01-31", tz=UTC)
    assert pf.quarantine.empty
    rate_notes = [n for n in pf.notes if "engagement rate" in n]
    assert len(rate_notes) == 1 and "line(s) 4." in rate_notes[0]
    assert any("promoted" in n for n in pf.notes)


def test_tweet_activity_favorites_and_mixed_offsets():
    pf = read_export("x/tweet_activity_metrics_dupont_20161201_20161231_en.csv")
    posts = pf.tables["posts"]
    assert posts["reactions"].tolist() == [30, 5]  # "favorites" is an alias of likes
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2016-12-23 18:50", tz=UTC),
        pd.Timestamp("2016-12-24 08:15", tz=UTC),  # 09:15 +0100
    ]
    assert posts["text"].iloc[0] == "Joyeux Noël & bonnes fêtes"
    assert posts["platform_engagement_rate"].tolist() == pytest.approx([0.020639834881, 0.05])
    assert not any("engagement rate" in n for n in pf.notes)


def test_daily_tweet_activity():
    pf = read_export(
        "x/daily_tweet_activity_metrics_boulangerie_dupont_20250101_20250131_en.csv",
        "x.daily_tweet_activity",
    )
    aud = pf.tables["audience"]
    assert aud["date"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02")]
    assert aud["impressions"].tolist() == [120, 1500]
    assert aud["profile_visits"].tolist() == [1, 7]
    assert aud["new_followers"].isna().all()
    assert set(aud["account"]) == {"boulangerie_dupont"}


def test_content_export():
    pf = read_export("x/account_analytics_content_2026-07-01_2026-08-01.csv", "x.content")
    posts = pf.tables["posts"]
    # 19-digit ids survive exactly (never through float)
    assert posts["post_id"].tolist() == ["1951234567890123457", "1950000000000000001"]
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2026-07-31 22:00", tz=UTC),  # Sat, Aug 1, 2026 local midnight (CEST)
        pd.Timestamp("2026-07-29 22:00", tz=UTC),
    ]
    assert posts["text"].iloc[0] == "Soldes d'été, -20 % sur tout"
    assert posts["shares"].tolist() == [11, 3]  # reposts 9 + shares 2; 3 + 0
    assert posts["saves"].tolist() == [4, 1]
    assert posts["follows"].tolist() == [3, 0]
    assert posts["profile_visits"].tolist() == [11, 4]
    assert posts["link_clicks"].tolist() == [7, 1]
    assert pf.exported_at == pd.Timestamp("2026-08-01", tz=UTC)


def test_content_export_old_variant():
    pf = read_export("x/account_analytics_content_2025-02-01_2025-02-28.csv", "x.content")
    row = pf.tables["posts"].iloc[0]
    assert row["published_at"] == pd.Timestamp("2025-02-16 23:00", tz=UTC)  # Mon Feb 17 2025
    assert row["permalink"] == "https://x.com/dupont/status/1891234567890123456"
    assert row["link_clicks"] == 5  # "Url clicks"
    assert row["shares"] == 3  # Reposts 2 + Share 1


def test_overview():
    pf = read_export("x/account_overview_analytics.csv", "x.overview")
    aud = pf.tables["audience"]
    expected = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-08-01", "2026-07-31"]).astype("datetime64[ns]"),
            "impressions": [3000, 1200],
            "new_followers": [12, 4],
            "lost_followers": [3, 0],
            "profile_visits": [40, 15],
        },
        index=[2, 3],
    ).astype(
        {c: "Int64" for c in ("impressions", "new_followers", "lost_followers", "profile_visits")}
    )
    assert_frame_equal(aud[expected.columns], expected, check_index_type=False)


def test_user_alias_renames_a_column():
    pf = read_export("bad/tweet_activity_renamed.csv")
    assert pf.tables["posts"]["reactions"].isna().all()
    assert any("'favourites'" in n for n in pf.notes)
    pf = read_export("bad/tweet_activity_renamed.csv", aliases={"x": {"Favourites": "reactions"}})
    assert pf.tables["posts"]["reactions"].tolist() == [2]


def test_unknown_header_error_names_expected_found_and_fix():
    with pytest.raises(ImportFormatError) as err:
        read_export("bad/tweet_activity_unknown_time.csv")
    msg = str(err.value)
    assert "tweet_activity_unknown_time.csv" in msg
    assert "'time'" in msg  # expected
    assert "'heure de publication'" in msg  # found
    assert "aliases.yml" in msg and "published_at" in msg  # how to fix


def test_ragged_row_and_mangled_id_are_quarantined():
    pf = read_export("bad/account_analytics_content_ragged.csv", "x.content")
    assert pf.tables["posts"]["source_row"].tolist() == [2]
    q = pf.quarantine.set_index("row")
    assert "14 cells" in q.loc[3, "reason"] and "17" in q.loc[3, "reason"]
    assert q.loc[4, "column"] == "Post id" and q.loc[4, "value"] == "1.95123E+18"


def test_header_only_file():
    pf = read_export("bad/account_analytics_content_header_only.csv", "x.content")
    assert len(pf.tables["posts"]) == 0
    assert "post_id" in pf.tables["posts"].columns
    assert pf.quarantine.empty


def test_cp1252_semicolon_space_thousands():
    pf = read_export("bad/account_overview_analytics_cp1252.csv", "x.overview")
    assert pf.tables["audience"]["impressions"].tolist() == [3000, 1200]
