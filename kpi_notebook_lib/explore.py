"""Row-level helpers for one client's data: posts in a period, per-post metrics, top and flop.

These work on one client's frames (hundreds or thousands of rows); period-level KPIs over many
rows go through :mod:`kpi_notebook_lib.kpis` (DuckDB).
"""

from __future__ import annotations

import pandas as pd

from .catalog import get_catalog
from .exceptions import ParameterError
from .periods import Period, parse_period

__all__ = ["in_period", "top_posts", "with_interactions"]


def in_period(
    data: pd.DataFrame, period: str | Period, timezone: str, *, column: str = "published_at"
) -> pd.DataFrame:
    """Rows of ``data`` whose ``column`` (UTC timestamps) falls in ``period`` in ``timezone``."""
    lo, hi = parse_period(period).utc_bounds(timezone)
    ts = data[column]
    return data[(ts >= lo) & (ts < hi)]


def with_interactions(posts: pd.DataFrame) -> pd.DataFrame:
    """Add each post's ``interactions`` (the platform's engagement components, NA when one is
    missing) and ``engagement_rate`` (interactions ÷ reach, NA when reach is missing or 0)."""
    mapping = get_catalog().engagement
    inter = pd.Series(pd.NA, index=posts.index, dtype="Float64")
    for platform, parts in mapping.items():
        rows = posts["platform"] == platform
        if rows.any():
            total = posts.loc[rows, parts[0]].astype("Float64")
            for p in parts[1:]:
                total = total + posts.loc[rows, p].astype("Float64")
            inter[rows] = total
    reach = posts["reach"].astype("Float64")
    rate = (inter / reach.where(reach > 0)).astype("Float64")
    return posts.assign(interactions=inter, engagement_rate=rate)


def top_posts(
    posts: pd.DataFrame,
    *,
    metric: str = "engagement_rate",
    n: int = 5,
    ascending: bool = False,
    min_reach: int = 0,
) -> pd.DataFrame:
    """The ``n`` best (or worst, with ``ascending=True``) posts on ``metric``.

    Posts without a value for ``metric`` are left out (never ranked as 0); ``min_reach`` keeps
    tiny posts from topping a rate ranking by chance.
    """
    data = posts if "interactions" in posts else with_interactions(posts)
    if metric not in data:
        raise ParameterError(
            "metric", metric, "a post column such as engagement_rate, interactions or reach"
        )
    keep = data[metric].notna()
    if min_reach:
        keep &= (data["reach"].astype("Float64") >= min_reach).fillna(True)
    ranked = data[keep].sort_values(metric, ascending=ascending, kind="stable")
    return ranked.head(n)
