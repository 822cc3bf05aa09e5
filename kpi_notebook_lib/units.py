"""Unit-level data behind the KPIs: one row per post, per mention and per day.

A KPI's value is an aggregate (a sum, a ratio of sums, a mean) over *units*: the posts published
in the period, the mentions collected, the days. Whether a change between two periods is real
or noise depends on how those units vary, so the significance tests of
:mod:`kpi_notebook_lib.significance` need them, not only the period totals.

DuckDB reads the client's canonical tables and assigns each unit to a period in the client's
time zone, exactly like :func:`kpi_notebook_lib.kpis.compute_measures` does, so the units of a
period add up to its KPI values. Three long-form tables come back (small: one client, a few
periods):

``post``
    ``period, platform, d`` and the post metrics (:data:`~kpi_notebook_lib.measures.POST_COLUMNS`)
    plus ``n_posts`` (1 per post).
``mention``
    ``period, platform, d`` and 0/1 indicators per mention of any tracked brand: ``all``,
    ``mention`` (the client's own brand), ``positive``, ``neutral``, ``negative``, ``scored``,
    ``polar`` (positive or negative), ``unscored``, ``net`` (+1 positive, −1 negative, else 0),
    ``addressed``, ``replied``; and the values ``compound`` (scored own mentions) and
    ``response_hours`` (own mentions replied to), NA elsewhere.
``day``
    ``period, platform, d`` and daily sums per platform (and ``all``): post counts and metrics
    by publication day, own-mention counts, audience (``new_followers``, ``lost_followers``,
    ``net_followers`` = new − lost, ``follower_change`` = the followers level minus the day
    before's, ``profile_visits``, ``page_impressions``, ``page_reach``) and conversions
    (``sessions``, ``leads``, ``sales``, ``revenue``, ``ad_spend``, ``profit``).

No data is never 0: a day gets 0 posts or 0 mentions only between the first and the last day
that table has data for that platform (then a day without a row really had none); audience days
without a row stay NA (a daily export that skips a day does not say nothing happened).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd

from .catalog import Catalog, get_catalog
from .kpis import Source, _relation
from .measures import POST_COLUMNS, interactions_sql
from .periods import Period
from .schema import PLATFORMS

__all__ = ["DAY_COLUMNS", "MENTION_COLUMNS", "POST_UNIT_COLUMNS", "UnitSplit", "unit_tables"]

POST_UNIT_COLUMNS: tuple[str, ...] = ("n_posts", *POST_COLUMNS)
MENTION_COLUMNS: tuple[str, ...] = (
    "all",
    "mention",
    "positive",
    "neutral",
    "negative",
    "scored",
    "polar",
    "unscored",
    "net",
    "addressed",
    "replied",
    "compound",
    "response_hours",
)
_MENTION_DAY = ("mention", "positive", "neutral", "negative", "addressed")
_AUDIENCE_DAY = (
    "new_followers",
    "lost_followers",
    "net_followers",
    "follower_change",
    "profile_visits",
    "page_impressions",
    "page_reach",
)
_CONVERSION_DAY = ("sessions", "leads", "sales", "revenue", "ad_spend", "profit")
DAY_COLUMNS: tuple[str, ...] = (
    *POST_UNIT_COLUMNS,
    *_MENTION_DAY,
    *_AUDIENCE_DAY,
    *_CONVERSION_DAY,
)
_KEYS = ["period", "platform", "d"]


def _q(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def _periods_sql(periods: Sequence[Period]) -> str:
    rows = ", ".join(
        f"({_q(p.label)}, DATE '{p.start.isoformat()}', DATE '{p.end.isoformat()}')"
        for p in periods
    )
    return f"(SELECT * FROM (VALUES {rows}) AS t(period, start, stop))"


def unit_tables(
    sources: Mapping[str, Source],
    periods: Sequence[Period],
    *,
    client: str,
    timezone: str = "UTC",
    brand: str | None = None,
    catalog: Catalog | None = None,
) -> dict[str, pd.DataFrame]:
    """Posts, mentions and days of ``client`` in ``periods``, one row per unit.

    Parameters
    ----------
    sources : mapping
        Canonical table name → DataFrame, Parquet path(s) or None (see
        :func:`kpi_notebook_lib.kpis.compute_measures`).
    periods : sequence of Period
        Periods to cover (e.g. the period reported and the one it is compared with).
    client : str
    timezone : str
        The client's IANA time zone: periods and days are local.
    brand : str, optional
        The client's own brand id in ``mentions.brand`` (default: ``client``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"post": …, "mention": …, "day": …}``, long-form (see the module docstring).
    """
    catalog = catalog or get_catalog()
    brand = brand or client
    con = duckdb.connect()
    per = _periods_sql(periods)
    lo = min(p.start for p in periods)
    hi = max(p.end for p in periods)
    lo_utc = f"TIMESTAMPTZ '{(pd.Timestamp(lo) - pd.Timedelta(days=1)).isoformat()}+00:00'"
    hi_utc = f"TIMESTAMPTZ '{(pd.Timestamp(hi) + pd.Timedelta(days=1)).isoformat()}+00:00'"
    tz = _q(timezone)
    cl = _q(client)
    out: dict[str, pd.DataFrame] = {}
    coverage: dict[str, pd.DataFrame] = {}

    def span(view: str, day: str) -> pd.DataFrame:
        return con.execute(
            f"SELECT platform, MIN({day}) AS first, MAX({day}) AS last FROM {view} s "
            f"WHERE s.client = {cl} GROUP BY platform"
        ).df()

    if _relation(con, "posts", sources.get("posts")):
        day = f"CAST(timezone({tz}, s.published_at) AS DATE)"
        cols = ", ".join(f"CAST(s.{c} AS DOUBLE) AS {c}" for c in POST_COLUMNS[:-1])
        out["post"] = con.execute(
            f"""
            SELECT p.period, s.platform, {day} AS d, 1 AS n_posts, {cols},
                   CAST({interactions_sql(catalog.engagement)} AS DOUBLE) AS interactions
            FROM _posts s JOIN {per} p ON {day} >= p.start AND {day} < p.stop
            WHERE s.client = {cl} AND s.published_at >= {lo_utc} AND s.published_at < {hi_utc}
            """
        ).df()
        coverage["post"] = span("_posts", day)
    else:
        out["post"] = pd.DataFrame(columns=[*_KEYS, *POST_UNIT_COLUMNS])

    if _relation(con, "mentions", sources.get("mentions")):
        day = f"CAST(timezone({tz}, s.published_at) AS DATE)"
        own = f"(s.brand = {_q(brand)})"
        scored = "s.sentiment IN ('positive', 'neutral', 'negative')"
        rep = f"{own} AND s.addresses_brand AND s.replied_at IS NOT NULL"
        out["mention"] = con.execute(
            f"""
            SELECT p.period, s.platform, {day} AS d, 1 AS "all",
                   CAST({own} AS INT) AS mention,
                   CAST({own} AND s.sentiment = 'positive' AS INT) AS positive,
                   CAST({own} AND s.sentiment = 'neutral' AS INT) AS neutral,
                   CAST({own} AND s.sentiment = 'negative' AS INT) AS negative,
                   CAST({own} AND {scored} AS INT) AS scored,
                   CAST({own} AND s.sentiment IN ('positive', 'negative') AS INT) AS polar,
                   CAST({own} AND (s.sentiment IS NULL OR s.sentiment = 'unscored') AS INT)
                       AS unscored,
                   CASE WHEN {own} AND s.sentiment = 'positive' THEN 1
                        WHEN {own} AND s.sentiment = 'negative' THEN -1 ELSE 0 END AS net,
                   CAST({own} AND COALESCE(s.addresses_brand, FALSE) AS INT) AS addressed,
                   CAST(COALESCE({rep}, FALSE) AS INT) AS replied,
                   CASE WHEN {own} AND {scored} THEN s.compound END AS compound,
                   CASE WHEN {rep}
                        THEN date_diff('second', s.published_at, s.replied_at) / 3600.0
                   END AS response_hours
            FROM _mentions s JOIN {per} p ON {day} >= p.start AND {day} < p.stop
            WHERE s.client = {cl} AND s.published_at >= {lo_utc} AND s.published_at < {hi_utc}
            """
        ).df()
        coverage["mention"] = span("_mentions", day)
    else:
        out["mention"] = pd.DataFrame(columns=[*_KEYS, *MENTION_COLUMNS])

    days = []
    if _relation(con, "audience", sources.get("audience")):
        days.append(
            con.execute(
                f"""
                WITH a AS (
                    SELECT s.platform, CAST(s.date AS DATE) AS d, s.followers,
                           s.followers - lag(s.followers) OVER w AS change,
                           CAST(s.date AS DATE) - lag(CAST(s.date AS DATE)) OVER w AS gap,
                           s.new_followers, s.lost_followers, s.profile_visits,
                           s.impressions, s.reach
                    FROM _audience s
                    WHERE s.client = {cl}
                      AND CAST(s.date AS DATE) >= DATE '{lo.isoformat()}' - INTERVAL 1 DAY
                      AND CAST(s.date AS DATE) < DATE '{hi.isoformat()}'
                    WINDOW w AS (PARTITION BY s.platform, s.account ORDER BY s.date)
                )
                SELECT p.period, a.platform, a.d,
                       SUM(a.new_followers) AS new_followers,
                       SUM(a.lost_followers) AS lost_followers,
                       SUM(a.new_followers) - SUM(a.lost_followers) AS net_followers,
                       -- change of the followers level from the day before (NA after a gap)
                       CASE WHEN bool_and(a.gap = 1 AND a.change IS NOT NULL)
                            THEN SUM(a.change) END AS follower_change,
                       SUM(a.profile_visits) AS profile_visits,
                       SUM(a.impressions) AS page_impressions, SUM(a.reach) AS page_reach
                FROM a JOIN {per} p ON a.d >= p.start AND a.d < p.stop
                GROUP BY ALL
                """
            ).df()
        )
    if _relation(con, "conversions", sources.get("conversions")):
        d = "CAST(s.date AS DATE)"
        platforms = ", ".join(_q(p) for p in PLATFORMS)
        conv = con.execute(
            f"""
            SELECT p.period, s.source AS platform, {d} AS d,
                   SUM(s.sessions) AS sessions, SUM(s.leads) AS leads, SUM(s.sales) AS sales,
                   SUM(s.revenue) AS revenue, SUM(s.ad_spend) AS ad_spend,
                   SUM(s.revenue) - SUM(s.ad_spend) AS profit
            FROM _conversions s JOIN {per} p ON {d} >= p.start AND {d} < p.stop
            WHERE s.client = {cl} AND s.source IN ({platforms})
            GROUP BY ALL
            """
        ).df()
        coverage["conversion"] = con.execute(
            f"SELECT s.source AS platform, MIN(CAST(s.date AS DATE)) AS first, "
            f"MAX(CAST(s.date AS DATE)) AS last FROM _conversions s "
            f"WHERE s.client = {cl} AND s.source IN ({platforms}) GROUP BY ALL"
        ).df()
        days.append(_fill(conv, coverage["conversion"], periods, list(_CONVERSION_DAY)))
    con.close()
    for name, cols in (("post", POST_UNIT_COLUMNS), ("mention", _MENTION_DAY)):
        units = out[name]
        if name not in coverage or units.empty:
            continue
        daily = units.groupby(_KEYS, as_index=False)[list(cols)].sum(min_count=1)
        days.append(_fill(daily, coverage[name], periods, list(cols)))
    out["day"] = _days(days)
    for name in ("post", "mention"):
        out[name]["d"] = pd.to_datetime(out[name]["d"])
    return out


class UnitSplit:
    """The units of one table split once by period and platform, for many lookups.

    ``get(period, "all")`` is every platform for posts and mentions (one row per unit) and
    the ``all`` rows for days (which already hold one total per day).
    """

    def __init__(self, units: pd.DataFrame) -> None:
        self.parts = dict(iter(units.groupby(["period", "platform"], sort=False)))
        self.has_all = bool((units["platform"] == "all").any())
        self.periods = dict(iter(units.groupby("period", sort=False)))
        self.empty = units.iloc[0:0]

    def get(self, period: str, platform: str) -> pd.DataFrame:
        """Units of ``period`` on ``platform`` (``all``: every platform)."""
        if platform == "all" and not self.has_all:
            return self.periods.get(period, self.empty)
        return self.parts.get((period, platform), self.empty)


def _fill(
    daily: pd.DataFrame, cover: pd.DataFrame, periods: Sequence[Period], cols: list[str]
) -> pd.DataFrame:
    """Add the missing days of each platform's coverage as 0 (events that did not happen)."""
    frames = []
    for platform, first, last in cover.itertuples(index=False):
        for p in periods:
            lo = max(pd.Timestamp(p.start), pd.Timestamp(first))
            hi = min(pd.Timestamp(p.last_day), pd.Timestamp(last))
            if lo > hi:
                continue
            frames.append(
                pd.DataFrame({"period": p.label, "platform": platform, "d": pd.date_range(lo, hi)})
            )
    if not frames:
        return daily.iloc[0:0]
    grid = pd.concat(frames, ignore_index=True)
    daily = daily.assign(d=pd.to_datetime(daily["d"]))
    full = grid.merge(daily, on=_KEYS, how="left")
    full[cols] = full[cols].astype(float).fillna(0.0)
    return full


def _days(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Merge the per-table daily frames and add the ``all`` platform (sum over platforms)."""
    frames = [f.assign(d=pd.to_datetime(f["d"])) for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[*_KEYS, *DAY_COLUMNS])
    out = frames[0]
    for f in frames[1:]:
        out = out.merge(f, on=_KEYS, how="outer")
    for c in DAY_COLUMNS:
        if c not in out:
            out[c] = np.nan
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    total = out.groupby(["period", "d"], as_index=False)[list(DAY_COLUMNS)].sum(min_count=1)
    total.insert(1, "platform", "all")
    out = pd.concat([out[[*_KEYS, *DAY_COLUMNS]], total], ignore_index=True)
    return out.sort_values(_KEYS, ignore_index=True)
