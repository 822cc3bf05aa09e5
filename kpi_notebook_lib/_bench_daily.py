"""Daily inputs of the competitor benchmarks (private; see :mod:`kpi_notebook_lib.benchmarks`).

Two ways to the same four daily frames, one from DataFrames (pandas) and one from the store's
Parquet files (DuckDB), so that the benchmark computation itself is shared:

``bench``
    ``brand, platform, date, followers, posts, reactions, comments, shares, views`` — the
    ``benchmarks`` table of one client (one row per brand, platform and local day).
``posts``
    The client's own posts per platform and local day: ``platform, date, posts, reactions,
    comments, shares, views`` (public columns only; views only where they are public).
``audience``
    The client's followers per platform and local day: ``platform, date, followers``.
``mentions``
    Mentions per brand, platform and local day: ``brand, platform, date, n``.

Dates are naive ``datetime64[ns]`` local days. Counts are floats with NaN for "not known".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from .exceptions import ParameterError
from .kpis import Source, _relation

__all__ = [
    "COUNTS",
    "PUBLIC_VIEWS_PLATFORMS",
    "daily_from_frames",
    "daily_from_sources",
    "own_daily",
]

#: Public per-post counts of the ``benchmarks`` table.
COUNTS = ("posts", "reactions", "comments", "shares", "views")
#: Platforms whose post views are public (shown under every video): elsewhere views are
#: private and the client's own ``views`` are not used.
PUBLIC_VIEWS_PLATFORMS: frozenset[str] = frozenset({"tiktok", "youtube"})

_BENCH = ["brand", "platform", "date", "followers", *COUNTS]
_POSTS = ["platform", "date", "posts", "reactions", "comments", "shares", "views"]


def _require(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"data[{table!r}]",
            f"a frame with columns {list(frame.columns)}",
            f"a frame with the canonical columns {', '.join(missing)}",
        )


def _mine(frame: pd.DataFrame | None, client: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    if "client" in frame.columns:
        frame = frame[frame["client"].astype("string") == client]
    return frame


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype("float64")


def _local_day(ts: pd.Series, tz: str) -> pd.Series:
    t = pd.to_datetime(ts, utc=True)
    return t.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")


def _day(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.normalize().astype("datetime64[ns]")


def _window(frame: pd.DataFrame, lo: date, hi: date) -> pd.DataFrame:
    lo_t, hi_t = pd.Timestamp(lo), pd.Timestamp(hi)
    return frame[(frame["date"] >= lo_t) & (frame["date"] < hi_t)]


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    for c in ("brand", "platform"):
        if c in out:
            out[c] = out[c].astype("object")
    if "date" in out:
        out["date"] = out["date"].astype("datetime64[ns]")
    return out


def _check_unique(bench: pd.DataFrame) -> None:
    dup = bench.duplicated(["brand", "platform", "date"])
    if dup.any():
        row = bench.loc[dup, ["brand", "platform", "date"]].iloc[0]
        raise ParameterError(
            "data['benchmarks']",
            f"several rows for {row['brand']} / {row['platform']} / {row['date']:%Y-%m-%d}",
            "one row per brand, platform and date (as the store keeps them)",
        )


def daily_from_frames(
    data: Mapping[str, pd.DataFrame | None],
    *,
    client: str,
    tz: str,
    lo: date,
    hi: date,
    exclude_kinds: Sequence[str],
) -> dict[str, pd.DataFrame]:
    """The four daily frames from canonical DataFrames, local days in ``[lo, hi)``."""
    out: dict[str, pd.DataFrame] = {}
    bench = _mine(data.get("benchmarks"), client)
    if bench is None or bench.empty:
        out["bench"] = _empty(_BENCH)
    else:
        _require(bench, _BENCH, "benchmarks")
        b = bench[_BENCH].copy()
        b["brand"] = b["brand"].astype("string").astype(object)
        b["platform"] = b["platform"].astype("string").astype(object)
        b["date"] = _day(b["date"])
        for c in ("followers", *COUNTS):
            b[c] = _num(b[c])
        b = _window(b, lo, hi)
        _check_unique(b)
        out["bench"] = b.sort_values(["brand", "platform", "date"], ignore_index=True)

    posts = _mine(data.get("posts"), client)
    if posts is None or posts.empty:
        out["posts"] = _empty(_POSTS)
    else:
        cols = ["platform", "published_at", "reactions", "comments", "shares", "views"]
        _require(posts, cols, "posts")
        p = pd.DataFrame({"platform": posts["platform"].astype("string").astype(object)})
        p["date"] = _local_day(posts["published_at"], tz)
        p["posts"] = 1.0
        for c in ("reactions", "comments", "shares", "views"):
            p[c] = _num(posts[c])
        p.loc[~p["platform"].isin(PUBLIC_VIEWS_PLATFORMS), "views"] = np.nan
        p = _window(p, lo, hi)
        g = p.groupby(["platform", "date"], sort=True)
        agg = g[["posts", "reactions", "comments", "shares", "views"]].sum(min_count=1)
        out["posts"] = agg.reset_index()

    audience = _mine(data.get("audience"), client)
    if audience is None or audience.empty:
        out["audience"] = _empty(["platform", "date", "followers"])
    else:
        _require(audience, ["platform", "date", "followers"], "audience")
        a = pd.DataFrame(
            {
                "platform": audience["platform"].astype("string").astype(object),
                "date": _day(audience["date"]),
                "followers": _num(audience["followers"]),
            }
        )
        a = _window(a, lo, hi)
        agg = a.groupby(["platform", "date"], sort=True)["followers"].sum(min_count=1)
        out["audience"] = agg.reset_index()

    mentions = _mine(data.get("mentions"), client)
    if mentions is None or mentions.empty:
        out["mentions"] = _empty(["brand", "platform", "date", "n"])
    else:
        _require(mentions, ["platform", "published_at", "brand"], "mentions")
        m = mentions
        if exclude_kinds and "kind" in m.columns:
            m = m[~m["kind"].astype("string").isin(list(exclude_kinds)).fillna(False)]
        f = pd.DataFrame(
            {
                "brand": m["brand"].astype("string").astype(object),
                "platform": m["platform"].astype("string").astype(object),
                "date": _local_day(m["published_at"], tz),
            }
        )
        f = _window(f, lo, hi)
        n = f.groupby(["brand", "platform", "date"], sort=True).size().astype("float64")
        out["mentions"] = n.rename("n").reset_index()
    return out


def _q(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def daily_from_sources(
    sources: Mapping[str, Source],
    *,
    client: str,
    tz: str,
    lo: date,
    hi: date,
    exclude_kinds: Sequence[str],
    con: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, pd.DataFrame]:
    """The four daily frames from Parquet files (or frames), aggregated by DuckDB."""
    con = con or duckdb.connect()
    cl, zone = _q(client), _q(tz)
    d_lo, d_hi = f"DATE '{lo.isoformat()}'", f"DATE '{hi.isoformat()}'"
    # UTC prefilter widened by a day on each side (time zones are within ±14 h)
    t_lo = f"TIMESTAMPTZ '{(lo - timedelta(days=1)).isoformat()} 00:00:00+00:00'"
    t_hi = f"TIMESTAMPTZ '{(hi + timedelta(days=1)).isoformat()} 00:00:00+00:00'"
    out: dict[str, pd.DataFrame] = {}

    def frame(sql: str, columns: Sequence[str]) -> pd.DataFrame:
        df = con.execute(sql).df()
        if df.empty:
            return _empty(columns)
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
        for c in columns:
            if c not in ("brand", "platform", "date"):
                df[c] = _num(df[c])
        return df[list(columns)]

    if _relation(con, "benchmarks", sources.get("benchmarks")):
        counts = ", ".join(f"CAST({c} AS DOUBLE) AS {c}" for c in ("followers", *COUNTS))
        out["bench"] = frame(
            f"""SELECT brand, platform, CAST(date AS DATE) AS date, {counts}
                FROM _benchmarks WHERE client = {cl}
                  AND CAST(date AS DATE) >= {d_lo} AND CAST(date AS DATE) < {d_hi}
                ORDER BY brand, platform, date""",
            _BENCH,
        )
        _check_unique(out["bench"])
    else:
        out["bench"] = _empty(_BENCH)

    if _relation(con, "posts", sources.get("posts")):
        public = ", ".join(_q(p) for p in sorted(PUBLIC_VIEWS_PLATFORMS))
        out["posts"] = frame(
            f"""WITH p AS (
                  SELECT platform, CAST(timezone({zone}, published_at) AS DATE) AS date,
                         reactions, comments, shares,
                         CASE WHEN platform IN ({public}) THEN views END AS views
                  FROM _posts WHERE client = {cl}
                    AND published_at >= {t_lo} AND published_at < {t_hi})
                SELECT platform, date, COUNT(*) AS posts, SUM(reactions) AS reactions,
                       SUM(comments) AS comments, SUM(shares) AS shares, SUM(views) AS views
                FROM p WHERE date >= {d_lo} AND date < {d_hi}
                GROUP BY ALL ORDER BY platform, date""",
            _POSTS,
        )
    else:
        out["posts"] = _empty(_POSTS)

    if _relation(con, "audience", sources.get("audience")):
        out["audience"] = frame(
            f"""SELECT platform, CAST(date AS DATE) AS date, SUM(followers) AS followers
                FROM _audience WHERE client = {cl}
                  AND CAST(date AS DATE) >= {d_lo} AND CAST(date AS DATE) < {d_hi}
                GROUP BY ALL ORDER BY platform, date""",
            ["platform", "date", "followers"],
        )
    else:
        out["audience"] = _empty(["platform", "date", "followers"])

    if _relation(con, "mentions", sources.get("mentions")):
        kinds = ", ".join(_q(k) for k in exclude_kinds)
        keep = f"AND (kind IS NULL OR kind NOT IN ({kinds}))" if kinds else ""
        out["mentions"] = frame(
            f"""WITH m AS (
                  SELECT brand, platform, CAST(timezone({zone}, published_at) AS DATE) AS date
                  FROM _mentions WHERE client = {cl} {keep}
                    AND published_at >= {t_lo} AND published_at < {t_hi})
                SELECT brand, platform, date, COUNT(*) AS n
                FROM m WHERE date >= {d_lo} AND date < {d_hi}
                GROUP BY ALL ORDER BY brand, platform, date""",
            ["brand", "platform", "date", "n"],
        )
    else:
        out["mentions"] = _empty(["brand", "platform", "date", "n"])
    return out


def own_daily(
    posts: pd.DataFrame, audience: pd.DataFrame, platforms: Sequence[str], brand: str
) -> pd.DataFrame:
    """The client's public daily figures on ``platforms``, derived from its own exports.

    One row per platform and day from the platform's first to its last day of posts or
    audience data. A day without posts has ``posts = 0`` and zero interactions when the
    platform's export carries that count at all (else NA: not public, or not exported).
    """
    frames = []
    for platform in platforms:
        p = posts[posts["platform"] == platform]
        a = audience[audience["platform"] == platform]
        days = pd.concat([p["date"], a["date"]])
        if days.empty:
            continue
        grid = pd.DataFrame({"date": pd.date_range(days.min(), days.max(), freq="D")})
        grid["date"] = grid["date"].astype("datetime64[ns]")
        f = grid.merge(p.drop(columns="platform"), on="date", how="left")
        f = f.merge(a.drop(columns="platform"), on="date", how="left")
        f["posts"] = f["posts"].fillna(0.0)
        for c in ("reactions", "comments", "shares", "views"):
            if p[c].notna().any():  # the export carries it: no post that day means 0
                f[c] = f[c].where(f["posts"] > 0, 0.0)
        f.insert(0, "platform", platform)
        f.insert(0, "brand", brand)
        frames.append(f[_BENCH])
    if not frames:
        return _empty(_BENCH)
    return pd.concat(frames, ignore_index=True)
