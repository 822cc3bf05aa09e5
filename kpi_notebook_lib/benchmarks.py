"""Fair competitor benchmarks: the same public-only formula for every brand.

What is compared
----------------
Competitors' impressions, reach, clicks and saves are private: a fair comparison uses only
what is public for every brand, the client included (its private metrics are never read here).
The figures come from the ``benchmarks`` table (:mod:`kpi_notebook_lib.schema`: one row per
brand, platform and local day, as a benchmarking tool exports them) and, for share of voice,
from the ``mentions`` table. When the benchmark file has no rows for the client on a platform,
the client's figures there are derived from its own ``posts`` and ``audience`` tables, public
columns only (followers, posts, reactions, comments, shares; views on TikTok and YouTube, where
they are public), and the ``note`` says so.

Metrics, per brand × platform × period (``n`` is what the value rests on):

``followers``
    Followers on the last day of the period with a count (the note gives that day if it is
    earlier than the period's last day). ``n``: days with data.
``follower_growth_pct``
    ``followers_end / followers_start − 1``, a fraction (unit ``percent``: 0.025 is +2.5 %);
    the start is the count on the day before the period, NA when unknown. ``n``: days with data.
``posts``
    Posts published in the period. ``n``: days with data.
``public_interactions``
    Σ reactions + comments + shares of those posts. ``n``: days with data.
``interactions_per_post``
    Public interactions ÷ posts. ``n``: posts.
``interactions_per_1000_followers``
    ``1000 · Σ_d I_d / Σ_d (P_d · F_d)``: public interactions per post per 1,000 followers
    (below). ``n``: posting days.
``share_of_voice``
    The brand's mentions ÷ mentions of all compared brands, a fraction (unit ``percent``).
    ``n``: mentions of all compared brands.

**Interactions per post per 1,000 followers.** ``I_d``, ``P_d`` and ``F_d`` are a day's public
interactions, posts and end-of-day followers; the sums run over the days with at least one post
and a follower count (and complete interaction counts). It divides all public interactions
by the audience the posts were published to, each post counting the followers its brand had
that day: a ratio of sums, i.e. the follower-weighted mean of each post's interactions per
1,000 followers. Dividing by posts matters: a brand that posts ten times more collects about
ten times more interactions with no better content; dividing by followers puts a small brand
and a big one on the same scale. The interval is a delta-method interval of a ratio of
sums with days as clusters (``Var ≈ m/(m−1) · Σ(I_d − R·P_d·F_d)² / (Σ P_d·F_d)²``, Student's t
with ``m − 1`` degrees of freedom, ``m`` posting days), so a day of correlated posts counts once.

**Share of voice** counts the mentions of each compared brand in the ``mentions`` table, per
platform and over all platforms, leaving out the kinds that only the client's own accounts
collect (``comment`` on its posts, private ``message``: :data:`SOV_EXCLUDED_KINDS`), else the
client would win by construction. Its 95 % interval is Wilson's score interval by default: the
number read is each brand's own share, and Wilson keeps close to its nominal coverage even with
few mentions or shares near 0 or 1. ``sov_method="goodman"`` gives Goodman's simultaneous
multinomial intervals instead (all brands' intervals hold together at 95 %: wider), for reading a
whole ranking at once. Both assume independent mentions; bursts (a viral thread) make them too
narrow.

**The fair rule for ``platform="all"``.** Totals of a period add up only the platforms where
*every* compared brand has data in that period (followers or posts): a brand is never ahead
because it is on one more network. The note lists the platforms used and those left out; if no
platform is common, the totals are NA. On each platform, public interactions add only the counts
(reactions, comments, shares) that every brand has there; a count left out is named in the
note. Share of voice ``all`` is over every platform of the listening data (mentions are
collected the same way for every brand). Missing data is NA with a note, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import duckdb
import numpy as np
import pandas as pd

from ._bench_compute import all_stats, as_periods, calendar, common_platforms, series_stats
from ._bench_daily import (
    PUBLIC_VIEWS_PLATFORMS,
    daily_from_frames,
    daily_from_sources,
    own_daily,
)
from ._bench_notes import METRICS, long_form
from ._bench_sov import SOV_METHODS, share_interval, sov_stats
from .exceptions import ParameterError
from .kpis import Source
from .periods import Period

__all__ = [
    "BENCHMARK_COLUMNS",
    "METRICS",
    "METRIC_UNITS",
    "PUBLIC_VIEWS_PLATFORMS",
    "SOV_EXCLUDED_KINDS",
    "SOV_METHODS",
    "benchmark_table",
    "query_benchmarks",
    "rank_brands",
    "share_interval",
]

#: Columns of :func:`benchmark_table`'s output.
BENCHMARK_COLUMNS = [
    "client",
    "brand",
    "platform",
    "period",
    "metric",
    "value",
    "low",
    "high",
    "n",
    "note",
]
#: Unit of each metric, for :func:`kpi_notebook_lib.formatting.format_value` (``percent``
#: values are fractions: 0.025 is 2.5 %). Higher is better for every metric.
METRIC_UNITS = {
    "followers": "count",
    "follower_growth_pct": "percent",
    "posts": "count",
    "public_interactions": "count",
    "interactions_per_post": "ratio",
    "interactions_per_1000_followers": "per_1000",
    "share_of_voice": "percent",
}
#: Mention kinds left out of share of voice: only the client's own accounts collect them.
SOV_EXCLUDED_KINDS = ("comment", "message")


def _brands(daily: dict[str, pd.DataFrame], own: str, brands: Sequence[str] | None) -> list[str]:
    if brands is None:
        others = set(daily["bench"]["brand"]) | set(daily["mentions"]["brand"])
        return [own, *sorted(str(b) for b in others - {own})]
    brands = [str(b) for b in brands]
    if len(set(brands)) != len(brands):
        raise ParameterError("brands", brands, "distinct brand ids")
    return brands if own in brands else [own, *brands]


def _compute(
    daily: dict[str, pd.DataFrame],
    periods: list[Period],
    *,
    client: str,
    own: str,
    brands: Sequence[str] | None,
    sov_method: str,
    alpha: float,
) -> pd.DataFrame:
    brands = _brands(daily, own, brands)
    bench = daily["bench"][daily["bench"]["brand"].isin(brands)].assign(source="benchmarks")
    covered = set(bench.loc[bench["brand"] == own, "platform"])
    derive = sorted(
        (set(daily["posts"]["platform"]) | set(daily["audience"]["platform"])) - covered
    )
    mine = own_daily(daily["posts"], daily["audience"], derive, own).assign(source="own")
    frames = [f for f in (bench, mine) if len(f)]
    series = pd.concat(frames, ignore_index=True) if frames else bench
    pdays, pinfo = calendar(periods)
    st, cells = series_stats(series, pdays, pinfo, alpha=alpha)
    common = common_platforms(st, brands)
    tot = all_stats(st, cells, common, alpha=alpha)
    sov = sov_stats(daily["mentions"], pdays, brands, method=sov_method, alpha=alpha)
    platforms = set(st["platform"]) | (set(sov["platform"]) - {"all"})
    return long_form(
        st,
        tot,
        sov,
        pinfo,
        common=common,
        client=client,
        brands=brands,
        platforms=platforms,
        has_mentions=not daily["mentions"].empty,
    )


def _check(tz: str, sov_method: str, alpha: float) -> None:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(tz)
    except (KeyError, ValueError):
        raise ParameterError("tz", tz, "an IANA time zone such as Europe/Paris") from None
    if sov_method not in SOV_METHODS:
        raise ParameterError("sov_method", sov_method, f"one of {', '.join(SOV_METHODS)}")
    if not 0 < alpha < 0.5:
        raise ParameterError("alpha", alpha, "a number between 0 and 0.5, such as 0.05")


def benchmark_table(
    data: Mapping[str, pd.DataFrame | None],
    *,
    periods: Sequence[Period | str] | Period | str,
    client: str,
    brands: Sequence[str] | None = None,
    tz: str = "UTC",
    own_brand: str | None = None,
    exclude_kinds: Sequence[str] = SOV_EXCLUDED_KINDS,
    sov_method: str = "wilson",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compare the client's brand with its competitors on public figures only.

    See the module docstring for the formulas, the intervals and the fair rule.

    Parameters
    ----------
    data : mapping of str to pandas.DataFrame
        Canonical tables (:mod:`kpi_notebook_lib.schema`), each optional: ``benchmarks``
        (long-form DataFrame with columns ``brand, platform, date, followers, posts, reactions,
        comments, shares, views``), ``mentions`` (``platform, published_at, brand, kind``) and,
        for the client's platforms missing from ``benchmarks``, ``posts`` (``platform,
        published_at, reactions, comments, shares, views``) and ``audience`` (``platform, date,
        followers``). Rows of other clients (a ``client`` column) are ignored; other columns
        (impressions, reach…) are never read.
    periods : Period, str or sequence of them
        Periods to report, e.g. ``"2026-10"`` or ``[Period, Period]``.
    client : str
        Client id.
    brands : sequence of str, optional
        Brands to compare (the client's brand is added first if missing); default: every
        brand found in ``benchmarks`` and ``mentions``. Share of voice is over these brands.
    tz : str
        The client's IANA time zone: mentions and posts are put on local days.
    own_brand : str, optional
        The client's brand id in ``brand`` columns (default: ``client``).
    exclude_kinds : sequence of str
        Mention kinds left out of share of voice (default :data:`SOV_EXCLUDED_KINDS`).
    sov_method : {"wilson", "goodman"}
        Share-of-voice interval (see :func:`share_interval`).
    alpha : float
        Intervals have confidence ``1 − alpha``.

    Returns
    -------
    pandas.DataFrame
        Long-form, columns :data:`BENCHMARK_COLUMNS` (``client, brand, platform, period,
        metric, value, low, high, n, note``): one row per brand, platform (and ``all``), period
        and metric of :data:`METRICS`. ``low``/``high`` hold the interval where one exists
        (share of voice, interactions per 1,000 followers), NA otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> day = pd.Timestamp("2026-10-05")
    >>> bench = pd.DataFrame({
    ...     "brand": ["acme", "rival"], "platform": "instagram", "date": day,
    ...     "followers": [2000, 10000], "posts": [1, 4],
    ...     "reactions": [90, 300], "comments": [8, 20], "shares": [2, 0], "views": None})
    >>> t = benchmark_table({"benchmarks": bench}, periods="2026-10-05..2026-10-05",
    ...                     client="acme")
    >>> per_1000 = t[(t["metric"] == "interactions_per_1000_followers")
    ...              & (t["platform"] == "instagram")]
    >>> per_1000.set_index("brand")["value"].round(1).to_dict()
    {'acme': 50.0, 'rival': 8.0}
    """
    periods = as_periods(periods)
    _check(tz, sov_method, alpha)
    lo = min(p.start for p in periods) - timedelta(days=1)
    hi = max(p.end for p in periods)
    daily = daily_from_frames(
        data, client=client, tz=tz, lo=lo, hi=hi, exclude_kinds=tuple(exclude_kinds)
    )
    return _compute(
        daily,
        periods,
        client=client,
        own=own_brand or client,
        brands=brands,
        sov_method=sov_method,
        alpha=alpha,
    )


def query_benchmarks(
    sources: Mapping[str, Source],
    *,
    periods: Sequence[Period | str] | Period | str,
    client: str,
    brands: Sequence[str] | None = None,
    tz: str = "UTC",
    own_brand: str | None = None,
    exclude_kinds: Sequence[str] = SOV_EXCLUDED_KINDS,
    sov_method: str = "wilson",
    alpha: float = 0.05,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """:func:`benchmark_table` on the store: DuckDB reads and aggregates the Parquet files.

    Parameters
    ----------
    sources : mapping
        Table name (``benchmarks``, ``mentions``, ``posts``, ``audience``) → Parquet path(s),
        DataFrame or None, as :func:`kpi_notebook_lib.kpis.compute_kpis` takes them, e.g.
        ``{t: store.paths(t, [client]) or None for t in TABLES}``. Only the client's rows and
        the days of ``periods`` (plus the day before) are read.
    con : duckdb.DuckDBPyConnection, optional
        Connection to use (default: a new in-memory one).
    periods, client, brands, tz, own_brand, exclude_kinds, sov_method, alpha
        See :func:`benchmark_table`.

    Returns
    -------
    pandas.DataFrame
        As :func:`benchmark_table`, with identical values.
    """
    periods = as_periods(periods)
    _check(tz, sov_method, alpha)
    lo = min(p.start for p in periods) - timedelta(days=1)
    hi = max(p.end for p in periods)
    daily = daily_from_sources(
        sources, client=client, tz=tz, lo=lo, hi=hi, exclude_kinds=tuple(exclude_kinds), con=con
    )
    return _compute(
        daily,
        periods,
        client=client,
        own=own_brand or client,
        brands=brands,
        sov_method=sov_method,
        alpha=alpha,
    )


def rank_brands(
    table: pd.DataFrame, metric: str, *, platform: str = "all", period: str | None = None
) -> pd.DataFrame:
    """Who leads on ``metric``: brands ranked per period, best first.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`benchmark_table`.
    metric : str
        One of :data:`METRICS` (higher is better for all of them).
    platform : str
        A platform id or ``"all"``.
    period : str, optional
        Period label; default: every period of ``table``.

    Returns
    -------
    pandas.DataFrame
        ``period, platform, brand, value, low, high, rank, clear_lead, note``. ``rank`` is 1 for
        the best value (ties share a rank; NA values are unranked); ``clear_lead`` is True
        when the brand's interval lies entirely above the next brand's (NA when either has no
        interval): without it, the order may be noise.

    Examples
    --------
    >>> rank_brands(table, "share_of_voice", period="2026-10")  # doctest: +SKIP
    """
    if metric not in METRICS:
        raise ParameterError("metric", metric, f"one of {', '.join(METRICS)}")
    rows = table[(table["metric"] == metric) & (table["platform"] == platform)]
    if period is not None:
        rows = rows[rows["period"] == str(period)]
    cols = ["period", "platform", "brand", "value", "low", "high", "note"]
    out = rows[cols].copy()
    out["_v"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out = out.sort_values(["period", "_v"], ascending=[True, False], na_position="last")
    out["rank"] = out.groupby("period")["_v"].rank(method="min", ascending=False).astype("Int64")
    nxt = out.groupby("period")["high"].shift(-1)
    low = pd.to_numeric(out["low"], errors="coerce").astype("float64")
    nxt = pd.to_numeric(nxt, errors="coerce").astype("float64")
    known = low.notna() & nxt.notna() & out["_v"].notna()
    out["clear_lead"] = pd.array(np.where(known, low > nxt, pd.NA), dtype="boolean")
    cols = ["period", "platform", "brand", "value", "low", "high", "rank", "clear_lead", "note"]
    return out[cols].reset_index(drop=True)
