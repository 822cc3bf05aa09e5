"""Meta Business Suite importers (Facebook, Instagram, daily page files, legacy Insights)."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import read_export
from pandas.testing import assert_frame_equal

from kpi_notebook_lib import schema
from kpi_notebook_lib.exceptions import ImportFormatError

PAGE = "104857600000001"


def _utc(*stamps: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(s, tz="UTC") for s in stamps]


def test_facebook_posts():
    pf = read_export("meta/facebook_posts.csv", "facebook.posts")
    posts = pf.tables["posts"]
    expected = pd.DataFrame(
        {
            "post_id": [f"{PAGE}_12215000000000000{i}" for i in (1, 2, 3)],
            "account": ["Boulangerie Dupont"] * 3,
            "format": ["image", "reel", "link"],
            "views": [1520, 4300, pd.NA],
            "reach": [980, 2100, 400],
            "reactions": [50, 110, 7],
            "comments": [6, 12, 1],
            "shares": [5, 8, 1],
            "clicks": [40, pd.NA, 25],
            "link_clicks": [pd.NA, pd.NA, 22],
        },
        index=[2, 4, 5],
    ).astype(
        {
            "post_id": "string",
            "account": "string",
            "format": "string",
            **{
                c: "Int64"
                for c in (
                    "views",
                    "reach",
                    "reactions",
                    "comments",
                    "shares",
                    "clicks",
                    "link_clicks",
                )
            },
        }
    )
    assert_frame_equal(posts[expected.columns], expected, check_index_type=False)
    # month-first local times in Europe/Paris (CET, UTC+1)
    assert posts["published_at"].tolist() == _utc(
        "2025-02-16 04:14", "2025-02-03 17:00", "2025-03-01 11:30"
    )
    assert posts["text"].iloc[0] == "Nouvelle recette \U0001f950\nÀ découvrir samedi"
    assert posts["impressions"].isna().all()
    assert pf.quarantine.empty  # "Comments" appears twice with equal values


def test_facebook_posts_older_columns():
    posts = read_export("meta/facebook_posts_2023.csv", "facebook.posts").tables["posts"]
    assert posts["impressions"].tolist() == [2500]
    assert posts["reach"].tolist() == [1800]  # IMPRESSION:UNIQUE_USERS
    assert posts["views"].isna().all()


def test_facebook_posts_french_locale():
    pf = read_export("meta/facebook_posts_fr.csv", "facebook.posts")
    posts = pf.tables["posts"]
    assert posts["views"].tolist() == [1234, 12500]  # U+202F and plain-space thousands
    assert posts["reach"].tolist() == [1020, 8400]  # NBSP thousands ("Portée")
    assert posts["published_at"].tolist() == _utc("2026-11-26 13:05", "2026-12-03 07:00")
    assert posts["format"].tolist() == ["image", "video"]
    assert posts["text"].iloc[0] == "Portes ouvertes; venez nombreux"
    assert posts["clicks"].iloc[1] is pd.NA and posts["link_clicks"].isna().all()


def test_facebook_dst_local_times():
    pf = read_export("meta/facebook_posts_dst.csv", "facebook.posts")
    posts = pf.tables["posts"]
    assert posts["source_row"].tolist() == [2, 4, 5, 7]
    assert posts["published_at"].tolist() == _utc(
        "2025-03-30 00:30",  # 01:30 CET
        "2025-03-30 01:30",  # 03:30 CEST
        "2025-10-25 23:30",  # 01:30 CEST
        "2025-10-26 02:30",  # 03:30 CET
    )
    q = pf.quarantine
    assert q["row"].tolist() == [3, 6]  # 02:30 does not exist (March) / happens twice (October)
    assert q["value"].tolist() == ["03/30/2025 02:30", "10/26/2025 02:30"]
    assert q["reason"].str.contains("daylight-saving").all()


def test_dates_contradicting_the_format_are_quarantined():
    pf = read_export("bad/facebook_posts_mixed_dates.csv", "facebook.posts")
    assert pf.tables["posts"]["source_row"].tolist() == [2]
    q = pf.quarantine.set_index("row")
    assert q.loc[3, "value"] == "16/02/2025 05:14" and "02/16/2025" in q.loc[3, "reason"]
    assert q.loc[4, "column"] == "Comments" and "twice" in q.loc[4, "reason"]
    assert any("contradict" in n for n in pf.notes)


def test_impossible_values_are_parsed_and_left_to_the_validator():
    posts = read_export("bad/facebook_posts_impossible.csv").tables["posts"]
    assert posts[["impressions", "reach", "reactions"]].iloc[0].tolist() == [100, 500, -3]
    data = schema.coerce("posts", posts.assign(source_file="f.csv", source_hash="h"))
    valid, quarantine = schema.validate("posts", data)
    assert valid.empty and set(quarantine["column"]) == {"reach", "reactions"}


def test_instagram_posts_any_column_order():
    posts = read_export("meta/instagram_posts.csv", "instagram.posts").tables["posts"]
    expected = pd.DataFrame(
        {
            "post_id": ["18040000000000001", "18040000000000002"],
            "account": ["boulangerie.dupont"] * 2,
            "format": ["carousel", "reel"],
            "views": [2300, 8900],
            "reach": [1200, 3400],
            "reactions": [95, 210],
            "comments": [7, 15],
            "shares": [3, 22],
            "saves": [14, 40],
            "follows": [2, pd.NA],
        },
        index=[2, 3],
    ).astype(
        {
            "post_id": "string",
            "account": "string",
            "format": "string",
            **{
                c: "Int64"
                for c in ("views", "reach", "reactions", "comments", "shares", "saves", "follows")
            },
        }
    )
    assert_frame_equal(posts[expected.columns], expected, check_index_type=False)
    assert posts["published_at"].tolist() == _utc("2025-02-14 06:45", "2025-02-15 18:10")


@pytest.mark.parametrize(
    ("rel", "platform", "column", "dates", "values", "rows"),
    [
        # UTF-16 LE + BOM, sep=, line, title, T00/T01 artefacts
        (
            "meta/daily_facebook_reach.csv",
            "facebook",
            "reach",
            ["2025-01-01", "2025-01-02", "2025-01-03"],
            [0, 153, 87],
            [4, 5, 6],
        ),
        # re-saved by Excel in France: ; UTF-8, day-first dates
        (
            "meta/daily_instagram_profile_visits_excel.csv",
            "instagram",
            "profile_visits",
            ["2025-01-01", "2025-01-02", "2025-01-13"],
            [12, 7, 4],
            [3, 4, 5],
        ),
        # tab-delimited UTF-16, Excel serial dates
        (
            "meta/daily_facebook_follows.txt",
            "facebook",
            "new_followers",
            ["2025-01-01", "2025-01-02", "2025-01-03"],
            [3, 0, 5],
            [3, 4, 5],
        ),
        # cp1252 ("Portée" read correctly), French header, NBSP thousands
        (
            "meta/daily_portee_facebook.csv",
            "facebook",
            "reach",
            ["2026-11-26", "2026-11-27"],
            [1234, 987],
            [3, 4],
        ),
    ],
)
def test_daily_page_files(rel, platform, column, dates, values, rows):
    pf = read_export(rel, "meta.daily")
    aud = pf.tables["audience"]
    assert pf.platform == platform
    assert set(aud["platform"]) == {platform}
    assert aud["date"].tolist() == [pd.Timestamp(d) for d in dates]
    assert aud[column].tolist() == values
    assert aud["source_row"].tolist() == rows
    other = {
        "followers",
        "new_followers",
        "lost_followers",
        "profile_visits",
        "impressions",
        "reach",
    } - {column}
    assert aud[sorted(other)].isna().all().all()


def test_daily_header_only():
    pf = read_export("meta/daily_facebook_follows_empty.csv", "meta.daily")
    assert len(pf.tables["audience"]) == 0 and pf.quarantine.empty


def test_daily_unknown_title_says_how_to_alias(tmp_path):
    from kpi_notebook_lib.io import ImportContext, detect, read_head

    path = tmp_path / "daily.csv"
    path.write_text('"Facebook total frobs"\n"Date","Primary"\n"2025-01-01T00:00:00","3"\n')
    imp = detect(path)
    with pytest.raises(ImportFormatError, match=r"Facebook total frobs.*aliases\.yml"):
        imp.read(path, read_head(path), ImportContext(client="c"))
    ctx = ImportContext(client="c", aliases={"meta": {"Facebook total frobs": "reach"}})
    pf = imp.read(path, read_head(path), ctx)
    assert pf.tables["audience"]["reach"].tolist() == [3]


def test_legacy_insights():
    pf = read_export("meta/facebook_insights_legacy.csv", "facebook.insights_legacy")
    posts = pf.tables["posts"]
    expected = pd.DataFrame(
        {
            "format": ["image", "video", "link"],
            "reach": [1500, 3000, 800],
            "impressions": [2100, 4200, 950],
            "reactions": [45, 90, 10],
            "comments": [2, 4, 0],
            "shares": [6, 12, 1],
            "clicks": [80, 150, 60],
            "link_clicks": [30, 0, 41],
            "source_row": [3, 4, 5],
        },  # line 2 holds the descriptions
        index=[3, 4, 5],
    ).astype(
        {
            "format": "string",
            **{
                c: "Int64"
                for c in (
                    "reach",
                    "impressions",
                    "reactions",
                    "comments",
                    "shares",
                    "clicks",
                    "link_clicks",
                )
            },
        }
    )
    assert_frame_equal(posts[expected.columns], expected, check_index_type=False)
    assert posts["published_at"].tolist() == _utc(
        "2017-01-19 08:03:47", "2017-01-20 17:15", "2017-01-21 11:00"
    )
    assert posts["text"].iloc[0] == "Soldes d'hiver, -30 %"
    assert pf.quarantine.empty
    assert not any("unrecognised" in n for n in pf.notes)  # duplicates told apart
