"""Every fixture is detected by content and its rows fit the canonical schema."""

from __future__ import annotations

import pytest
from _io_exports import EXPORTS

from kpi_notebook_lib import schema
from kpi_notebook_lib.io import ImportContext, detect, read_head

DAILY_X = "x/daily_tweet_activity_metrics_boulangerie_dupont_20250101_20250131_en.csv"
CASES = {
    "x/tweet_activity_metrics_boulangerie_dupont_20250101_20250131_en.csv": "x.tweet_activity",
    "x/tweet_activity_metrics_dupont_20161201_20161231_en.csv": "x.tweet_activity",
    DAILY_X: "x.daily_tweet_activity",
    "x/account_analytics_content_2026-07-01_2026-08-01.csv": "x.content",
    "x/account_analytics_content_2025-02-01_2025-02-28.csv": "x.content",
    "x/account_overview_analytics.csv": "x.overview",
    "meta/facebook_posts.csv": "facebook.posts",
    "meta/facebook_posts_2023.csv": "facebook.posts",
    "meta/facebook_posts_fr.csv": "facebook.posts",
    "meta/instagram_posts.csv": "instagram.posts",
    "meta/daily_facebook_reach.csv": "meta.daily",
    "meta/daily_instagram_profile_visits_excel.csv": "meta.daily",
    "meta/daily_facebook_follows.txt": "meta.daily",
    "meta/daily_portee_facebook.csv": "meta.daily",
    "meta/facebook_insights_legacy.csv": "facebook.insights_legacy",
    "linkedin/boulangerie-dupont_updates_1740787200000.xlsx": "linkedin.updates",
    "linkedin/boulangerie-dupont_visitors_1740787200000.xls": "linkedin.visitors",
    "linkedin/boulangerie-dupont_followers_1740787200000.xls": "linkedin.followers",
    "youtube/Content 2025-08-01_2025-08-31 Boulangerie Dupont": "youtube.studio",
    "youtube/export_fr": "youtube.studio",
    "tiktok/tiktok_2025-02-01_2025-03-31/Overview.csv": "tiktok.overview",
    "tiktok/tiktok_2025-02-01_2025-03-31/Content.csv": "tiktok.content",
    "tiktok/tiktok_2025-02-01_2025-03-31/FollowerHistory.csv": "tiktok.followers",
    "ga4/data-export.csv": "ga4.export",
}


@pytest.mark.parametrize("rel", sorted(CASES))
def test_detected_parsed_and_valid(rel):
    path = EXPORTS / rel
    head = read_head(path)
    imp = detect(path, head)
    assert imp.name == CASES[rel]
    pf = imp.read(path, head, ImportContext(client="dupont", timezone="Europe/Paris"))
    assert pf.importer == imp.name
    assert list(pf.quarantine.columns) == ["row", "column", "value", "reason"]
    assert pf.tables and set(pf.tables) <= set(imp.tables)
    assert pf.quarantine.empty, pf.quarantine.to_string()
    for table, frame in pf.tables.items():
        assert frame["source_row"].notna().all()
        data = schema.coerce(table, frame.assign(source_file=rel, source_hash="0"))
        valid, failures = schema.validate(table, data)
        assert failures.empty, failures.to_string()
        assert len(valid) == len(frame)
