"""Base measures: the aggregates every KPI formula is written with.

A base measure is one SQL aggregate over one canonical table, computed per client × platform ×
period by DuckDB (see :mod:`kpi_notebook_lib.kpis`). KPI formulas in the catalog combine them.
This module is where "what does `reach` add up to" is answered, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "MEASURES",
    "POST_COLUMNS",
    "Measure",
    "interactions_sql",
    "measures_of",
]


@dataclass(frozen=True)
class Measure:
    """One base measure.

    Attributes
    ----------
    name : str
        Name used in catalog formulas.
    table : str
        Canonical table it aggregates.
    sql : str
        DuckDB aggregate expression (over the table's rows in the group).
    description : str
        What it is, in plain English.
    """

    name: str
    table: str
    sql: str
    description: str


#: Post-level columns usable in ratio(), mean_ratio() and mean().
POST_COLUMNS: tuple[str, ...] = (
    "impressions",
    "reach",
    "views",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "video_views",
    "interactions",
)

_POST_SUMS = [
    Measure(c, "posts", f"SUM({c})", f"sum of post {c} (NA when no post reports it)")
    for c in POST_COLUMNS
]

MEASURES: dict[str, Measure] = {
    m.name: m
    for m in [
        Measure("n_posts", "posts", "COUNT(*)", "posts published"),
        *_POST_SUMS,
        # audience: followers are levels, summed over accounts after taking each account's
        # value on its last day with data (see kpis._AUDIENCE_SQL)
        Measure("followers", "audience", "SUM(followers_end)", "followers at end of period"),
        Measure(
            "followers_start",
            "audience",
            "SUM(followers_start)",
            "followers the day before the period starts",
        ),
        Measure("new_followers", "audience", "SUM(new_followers)", "follows gained"),
        Measure("lost_followers", "audience", "SUM(lost_followers)", "follows lost"),
        Measure("profile_visits", "audience", "SUM(profile_visits)", "profile visits"),
        Measure("page_impressions", "audience", "SUM(page_impressions)", "page impressions"),
        Measure("page_reach", "audience", "SUM(page_reach)", "page daily reach, summed"),
        # mentions of the client's own brand (own = 1) and of every tracked brand
        Measure("mentions", "mentions", "COUNT(*) FILTER (WHERE own)", "mentions of the brand"),
        Measure("mentions_all_brands", "mentions", "COUNT(*)", "mentions of brand + competitors"),
        Measure(
            "positive",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND sentiment = 'positive')",
            "positive mentions",
        ),
        Measure(
            "neutral",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND sentiment = 'neutral')",
            "neutral mentions",
        ),
        Measure(
            "negative",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND sentiment = 'negative')",
            "negative mentions",
        ),
        Measure(
            "unscored",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND (sentiment IS NULL OR sentiment = 'unscored'))",
            "mentions the scorer could not read",
        ),
        Measure(
            "compound_mean",
            "mentions",
            "AVG(compound) FILTER (WHERE own AND sentiment IN ('positive','neutral','negative'))",
            "mean compound score of scored mentions",
        ),
        Measure(
            "addressed",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND addresses_brand)",
            "mentions that addressed the brand",
        ),
        Measure(
            "replied",
            "mentions",
            "COUNT(*) FILTER (WHERE own AND addresses_brand AND replied_at IS NOT NULL)",
            "addressed mentions the brand replied to",
        ),
        Measure(
            "response_hours_median",
            "mentions",
            "MEDIAN(date_diff('second', published_at, replied_at) / 3600.0) "
            "FILTER (WHERE own AND addresses_brand AND replied_at IS NOT NULL)",
            "median reply delay in hours",
        ),
        Measure(
            "ambassadors",
            "mentions",
            "COUNT(DISTINCT author) FILTER (WHERE own AND author_positive >= 2)",
            "authors with two or more positive mentions in the period",
        ),
        # conversions (source = platform)
        Measure("sessions", "conversions", "SUM(sessions)", "sessions"),
        Measure("leads", "conversions", "SUM(leads)", "leads"),
        Measure("sales", "conversions", "SUM(sales)", "sales"),
        Measure("revenue", "conversions", "SUM(revenue)", "revenue"),
        Measure("ad_spend", "conversions", "SUM(ad_spend)", "ad spend"),
    ]
}


def measures_of(table: str) -> list[Measure]:
    """Base measures computed from ``table``."""
    return [m for m in MEASURES.values() if m.table == table]


def interactions_sql(engagement: dict[str, list[str]]) -> str:
    """SQL expression of a post's interactions, from the per-platform engagement mapping.

    A post's interactions are NA when one of its platform's components is NA (an incomplete
    sum would be silently wrong), and NA on platforms the mapping does not know.
    """
    cases = []
    for platform, parts in sorted(engagement.items()):
        cases.append(f"WHEN '{platform}' THEN " + " + ".join(f"({p})" for p in parts))
    return "(CASE platform " + " ".join(cases) + " ELSE NULL END)"
