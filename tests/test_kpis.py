"""KPI engine: every catalog KPI checked against values computed by hand (see conftest)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import mentions_frame

from kpi_notebook_lib import get_catalog, open_workspace, parse_period
from kpi_notebook_lib.kpis import compute_kpis

OCT, SEP = parse_period("2026-10"), parse_period("2026-09")

# October 2026, all platforms, from the tiny workspace's exports (posts fb1, fb2, fb6, ig1, x1;
# fb5 is in November local time, fb0 in September).
FB_INTER, IG_INTER, X_INTER = 55 + 10 + 0, 100 + 20 + 10 + 30, 6 + 2 + 1 + 1
FOLLOWERS, FOLLOWERS_START = 1031 + 5310, 1000 + 5000
EXPECTED_ALL = {
    "impressions": 1000 + 500 + 100 + 2000 + 300,
    "reach": 800 + 400 + 100 + 1500,  # x reports no reach
    "views": None,
    "link_clicks": 20 + 0 + 0 + 3,
    "ctr": (20 + 3) / (1000 + 500 + 100 + 300),  # posts reporting both
    "frequency": (1600 + 2000) / (1300 + 1500),
    "followers": FOLLOWERS,
    "net_new_followers": FOLLOWERS - FOLLOWERS_START,
    "follower_growth_rate": (FOLLOWERS - FOLLOWERS_START) / FOLLOWERS_START,
    "new_followers": 31 * 2 + 31 * 10,
    "lost_followers": 31,
    "leads": 5,  # the 'other' source is not social traffic
    "conversion_rate": 5 / 300,
    "cost_per_lead": 50 / 5,
    "posts": 5,
    "reactions": 40 + 10 + 0 + 100 + 6,
    "comments": 10 + 20 + 2,
    "shares": 5 + 10 + 1,
    "saves": 30 + 1,
    "interactions": FB_INTER + IG_INTER + X_INTER,
    "engagement_rate_reach": (FB_INTER + IG_INTER) / 2800,
    "engagement_rate_impressions": 235 / 3900,
    "engagement_rate_followers": (235 / 5) / FOLLOWERS,
    "avg_post_engagement_rate": (55 / 800 + 10 / 400 + 0 / 100 + 160 / 1500) / 4,
    "applause_rate": (156 / 5) / FOLLOWERS * 1000,
    "conversation_rate": (32 / 5) / FOLLOWERS * 1000,
    "amplification_rate": (16 / 5) / FOLLOWERS * 1000,
    "virality_rate": 16 / 3900,
    "sales": 3,
    "revenue": 230,
    "ad_spend": 50,
    "roi": (230 - 50) / 50,
}
# From the scored mentions of conftest.MENTIONS (own brand: m1 m2 m3 m4 m5 m8).
EXPECTED_MENTIONS_ALL = {
    "share_of_voice": 6 / 8,
    "mentions": 6,
    "positive_mentions": 3,
    "neutral_mentions": 1,
    "negative_mentions": 1,
    "positive_share": 3 / 5,
    "neutral_share": 1 / 5,
    "negative_share": 1 / 5,
    "net_sentiment": (3 - 1) / (3 + 1),
    "net_sentiment_pct": (3 - 1) / 5,
    "avg_compound": (0.8 + 0.6 - 0.7 + 0.0 + 0.9) / 5,
    "unscored_share": 1 / 6,
    "ambassadors": 1,  # ann: three positive mentions of acme
    "addressed_mentions": 3,
    "response_rate": 2 / 3,
    "median_response_time": (2 + 24) / 2,
}


def test_every_catalog_kpi_has_a_hand_computed_case():
    assert set(get_catalog()) == set(EXPECTED_ALL) | set(EXPECTED_MENTIONS_ALL)


@pytest.fixture
def october(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    return c.kpi_values([OCT, SEP])


def _value(table, kpi, platform="all", period="2026-10"):
    row = table[(table.kpi == kpi) & (table.platform == platform) & (table.period == period)]
    assert len(row) == 1, (kpi, platform, period)
    return row.iloc[0]


@pytest.mark.parametrize("kpi", sorted(EXPECTED_ALL))
def test_kpi_all_platforms(october, kpi):
    row = _value(october, kpi)
    expected = EXPECTED_ALL[kpi]
    if expected is None:
        assert pd.isna(row.value) and isinstance(row.note, str)
    else:
        assert row.value == pytest.approx(expected, rel=1e-12), row.note


@pytest.mark.parametrize("kpi", sorted(EXPECTED_MENTIONS_ALL))
def test_mention_kpis(kpi):
    out = compute_kpis(
        {"mentions": mentions_frame()},
        [OCT],
        clients=["acme"],
        timezones={"acme": "Europe/Paris"},
        kpis=[kpi],
    )
    assert _value(out, kpi).value == pytest.approx(EXPECTED_MENTIONS_ALL[kpi], rel=1e-12)


def test_mention_kpis_per_platform():
    out = compute_kpis(
        {"mentions": mentions_frame()}, [OCT], clients=["acme"], timezones={"acme": "Europe/Paris"}
    )
    assert _value(out, "share_of_voice", "facebook").value == pytest.approx(2 / 3)
    assert _value(out, "net_sentiment", "instagram").value == -1
    # x: one neutral, one unscored, one positive -> no negative, P+N = 1
    assert _value(out, "net_sentiment", "x").value == 1
    assert _value(out, "response_rate", "x").value == pytest.approx(1 / 2)
    # facebook: nobody addressed the brand -> NA with a reason, not 0
    fb = _value(out, "response_rate", "facebook")
    assert pd.isna(fb.value) and "division by zero" in fb.note


def test_zero_denominators_are_na_with_reason(october):
    ig_cpl = _value(october, "cost_per_lead", "instagram")  # 0 leads
    assert pd.isna(ig_cpl.value) and ig_cpl.note == "division by zero: leads is 0"
    ig_roi = _value(october, "roi", "instagram")  # 0 spend
    assert pd.isna(ig_roi.value) and "ad_spend is 0" in ig_roi.note
    assert not np.isinf(october["value"].to_numpy(dtype=float, na_value=np.nan)).any()


def test_na_is_not_zero(october):
    # a real zero stays a zero
    assert _value(october, "link_clicks", "facebook").value == 20
    assert _value(october, "link_clicks", "facebook", "2026-09").value == 8
    # a metric the platform does not give is NA, never 0
    x_reach = _value(october, "reach", "x")
    assert pd.isna(x_reach.value) and x_reach.note == "reach not available"
    assert pd.isna(_value(october, "saves", "facebook").value)
    # the all-platform total says what it leaves out
    assert _value(october, "reach").note == "excludes x (not available)"
    # no audience data for x: NA with the reason
    x_f = _value(october, "followers", "x")
    assert pd.isna(x_f.value) and x_f.note == "no audience data in this period"


def test_dst_and_period_boundaries_in_client_time_zone(october):
    # fb6 (2026-09-30 22:30 UTC = 1 Oct 00:30 Paris) counts in October, fb5 (31 Oct 23:30 UTC
    # = 1 Nov 00:30 Paris, after the DST change) does not; fb0 is September.
    assert _value(october, "posts", "facebook").value == 3
    assert _value(october, "impressions", "facebook", "2026-09").value == 800


def test_same_data_in_utc_moves_boundary_posts(tiny_workspace):
    ws = open_workspace(tiny_workspace)
    ws.ingest()
    posts = ws.store.read("acme", "posts")
    utc = compute_kpis({"posts": posts}, [OCT], clients=["acme"], kpis=["posts"])
    # in UTC, fb6 is in September and fb5 in October
    assert _value(utc, "posts", "facebook").value == 3
    got = set(posts[posts.platform == "facebook"].post_id)
    assert got == {"fb0", "fb1", "fb2", "fb5", "fb6"}


def test_empty_period_is_na_not_zero(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    out = c.kpi_values([parse_period("2026-07")])
    posts = _value(out, "impressions", "all", "2026-07")
    assert pd.isna(posts.value) and posts.note == "no posts in this period"
    assert pd.isna(_value(out, "leads", "all", "2026-07").value)


def test_partial_period_is_flagged(tiny_workspace):
    c = open_workspace(tiny_workspace).client("acme")
    nov = c.kpis("2026-11")
    row = nov[(nov.kpi == "impressions") & (nov.platform == "all")].iloc[0]
    assert row.value == 700
    assert "partial period: data from 2026-11-01 to 2026-11-01" in row.note


def test_iso_week_53_and_custom_range(tiny_workspace):
    posts = pd.DataFrame(
        {
            "client": "acme",
            "platform": "facebook",
            "account": "a",
            "post_id": ["a", "b", "c"],
            # 2026-W53 is 28 Dec 2026 .. 3 Jan 2027; 29 Feb 2028 is a leap day
            "published_at": pd.to_datetime(
                ["2026-12-28T12:00Z", "2027-01-03T12:00Z", "2028-02-29T12:00Z"], utc=True
            ),
            "impressions": [10, 20, 40],
            "reach": [5, 5, 5],
        }
    )
    w53 = parse_period("2026-W53")
    leap = parse_period("2028-02-29..2028-03-01")
    out = compute_kpis({"posts": posts}, [w53], clients=["acme"], kpis=["impressions"])
    assert _value(out, "impressions", period="2026-W53").value == 30
    out = compute_kpis({"posts": posts}, [leap], clients=["acme"], kpis=["impressions"])
    assert _value(out, "impressions", period=leap.label).value == 40


def test_weekly_periods_bucket_like_range_join(october):
    posts = mentions_frame()  # any table with published_at works for counts
    weeks = [parse_period(f"2026-W{w}") for w in (40, 41)]
    a = compute_kpis({"mentions": posts}, weeks, clients=["acme"], kpis=["mentions"])
    custom = [parse_period("2026-09-28..2026-10-04"), parse_period("2026-10-05..2026-10-11")]
    b = compute_kpis({"mentions": posts}, custom, clients=["acme"], kpis=["mentions"])
    assert a["value"].tolist() == b["value"].tolist()


def test_several_clients_in_several_time_zones():
    base = mentions_frame()
    other = base.assign(client="beta", brand=base["brand"].replace({"acme": "beta"}))
    both = pd.concat([base, other], ignore_index=True)
    out = compute_kpis(
        {"mentions": both},
        [OCT],
        clients=["acme", "beta"],
        timezones={"acme": "Europe/Paris", "beta": "America/New_York"},
        kpis=["mentions"],
    )
    assert _value(out[out.client == "beta"], "mentions").value == 6
    assert math.isclose(_value(out[out.client == "acme"], "mentions").value, 6)


def test_followers_total_skips_accounts_without_followers_and_says_so():
    days = pd.date_range("2026-09-30", "2026-10-31")
    fb = pd.DataFrame({"client": "acme", "platform": "facebook", "account": "a", "date": days,
                       "followers": range(100, 100 + len(days))})
    x = pd.DataFrame({"client": "acme", "platform": "x", "account": "b", "date": days,
                      "impressions": 5})  # X's daily export carries no followers
    out = compute_kpis({"audience": pd.concat([fb, x])}, [OCT], clients=["acme"],
                       kpis=["followers", "net_new_followers"])
    total = _value(out, "followers")
    assert total.value == 131 and total.note == "excludes x (not available)"
    assert _value(out, "net_new_followers").value == 31
    assert pd.isna(_value(out, "followers", "x").value)
