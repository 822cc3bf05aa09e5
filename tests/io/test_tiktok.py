"""TikTok importers and the year of year-less dates."""

from __future__ import annotations

import pandas as pd
import pytest
from _io_exports import read_export

from kpi_notebook_lib.exceptions import ImportFormatError

FOLDER = "tiktok/tiktok_2025-02-01_2025-03-31"


def test_overview():
    pf = read_export(f"{FOLDER}/Overview.csv", "tiktok.overview")
    aud = pf.tables["audience"]
    assert aud["date"].tolist() == [
        pd.Timestamp("2025-02-28"),
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-03-02"),
    ]
    assert aud["profile_visits"].tolist() == [45, pd.NA, 31]  # "--" is NA, never 0
    assert pf.quarantine.empty  # "undefined", "NAN" are NA too


def test_content():
    pf = read_export(f"{FOLDER}/Content.csv", "tiktok.content")
    posts = pf.tables["posts"]
    assert posts["post_id"].tolist() == ["7470000000000000001", "7470000000000000002"]
    assert set(posts["account"]) == {"boulangerie.dupont"}
    assert posts["published_at"].tolist() == [
        pd.Timestamp("2025-02-27 23:00", tz="UTC"),
        pd.Timestamp("2025-03-07 23:00", tz="UTC"),
    ]
    assert posts["views"].tolist() == [10400, pd.NA]
    assert posts["reactions"].tolist() == [540, pd.NA]
    assert posts["comments"].tolist() == [12, pd.NA]
    assert posts["shares"].tolist() == [8, 0]
    assert pf.exported_at == pd.Timestamp("2025-03-31", tz="UTC")


def test_follower_history_net_change_is_not_new_followers():
    pf = read_export(f"{FOLDER}/FollowerHistory.csv", "tiktok.followers")
    aud = pf.tables["audience"]
    assert aud["followers"].tolist() == [1520, 1515]
    assert aud["new_followers"].isna().all() and aud["lost_followers"].isna().all()


def test_year_from_the_user():
    with pytest.raises(ImportFormatError, match="no year"):
        read_export("tiktok/es/FollowerHistory.csv", "tiktok.followers")
    pf = read_export("tiktok/es/FollowerHistory.csv", "tiktok.followers", year=2025)
    aud = pf.tables["audience"]
    assert aud["date"].tolist() == [pd.Timestamp("2025-03-08"), pd.Timestamp("2025-03-09")]
    assert aud["followers"].tolist() == [1600, 1610]


def test_new_year_crossing_with_one_year_is_an_error():
    with pytest.raises(ImportFormatError, match="December into January"):
        read_export("tiktok/newyear/FollowerHistory.csv", year=2025)


def test_year_contradicting_the_range_is_an_error():
    with pytest.raises(ImportFormatError, match="contradicts"):
        read_export(f"{FOLDER}/FollowerHistory.csv", year=2023)


def test_day_outside_or_ambiguous_in_range_is_quarantined(tmp_path):
    from kpi_notebook_lib.io import ImportContext, detect, read_head

    folder = tmp_path / "tiktok_2024-02-01_2025-03-31"
    folder.mkdir()
    path = folder / "FollowerHistory.csv"
    path.write_text(
        '"Date","Followers"\n"January 5","10"\n"February 29","11"\n"February 10","12"\n',
        encoding="utf-8-sig",
    )
    pf = detect(path).read(path, read_head(path), ImportContext(client="c"))
    assert pf.tables["audience"]["date"].tolist() == [
        pd.Timestamp("2025-01-05"),
        pd.Timestamp("2024-02-29"),
    ]
    q = pf.quarantine
    assert q["row"].tolist() == [4] and "ambiguous year" in q["reason"].iloc[0]
