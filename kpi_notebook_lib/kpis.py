"""The KPI engine: base measures aggregated by DuckDB, then catalog formulas.

Aggregation never pulls row-level data into pandas: DuckDB scans the canonical tables (Parquet
files in the store, or DataFrames), assigns each row to a period in its client's time zone, and
computes every base measure per client × platform × period (plus the all-platforms total) in one
pass per table. Only the small measure table comes back to pandas, where the catalog formulas
are evaluated column-wise.

The output is long-form: one row per client × platform × period × KPI, with ``value`` (NA when
not computable) and ``note`` (why it is NA: missing measure, zero denominator, no data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ._formula import evaluate
from .catalog import KPI, Catalog, get_catalog
from .exceptions import ParameterError
from .measures import MEASURES, interactions_sql
from .periods import Period
from .schema import PLATFORMS, TABLES, coerce

__all__ = ["KPI_COLUMNS", "compute_kpis", "compute_measures"]

#: Columns of :func:`compute_kpis`' output.
KPI_COLUMNS = ["client", "platform", "period", "kpi", "value", "note"]

_BY = ("platform", "format", "account", "campaign")

Source = pd.DataFrame | str | Path | Sequence[str | Path] | None

_NO_DATA = {
    "posts": "no posts in this period",
    "audience": "no audience data in this period",
    "mentions": "no mentions in this period",
    "conversions": "no conversion data in this period",
}


def _relation(con: duckdb.DuckDBPyConnection, table: str, source: Source) -> str | None:
    """Register ``source`` as a view ``_<table>``; return None when there is no data."""
    name = f"_{table}"
    if source is None:
        return None
    if isinstance(source, pd.DataFrame):
        if not set(TABLES[table].names) <= set(source.columns):
            source = coerce(table, source)
        con.register(f"{name}_df", source)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}_df")
        return name
    paths = [source] if isinstance(source, (str, Path)) else list(source)
    paths = [str(p) for p in paths]
    if not paths:
        return None
    listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS "
        f"SELECT * FROM read_parquet([{listed}], union_by_name=true)"
    )
    return name


def _period_table(periods: Sequence[Period]) -> tuple[str, bool, str | None]:
    """SQL VALUES of the periods, whether they are regular (one kind), and that kind."""
    if not periods:
        raise ParameterError("periods", periods, "at least one period")
    kinds = {p.kind for p in periods}
    labels = [p.label for p in periods]
    if len(set(labels)) != len(labels):
        raise ParameterError("periods", labels, "distinct periods")
    rows = ", ".join(
        f"('{p.label}', DATE '{p.start.isoformat()}', DATE '{p.end.isoformat()}')" for p in periods
    )
    regular = len(kinds) == 1 and next(iter(kinds)) in ("week", "month", "quarter", "year")
    return rows, regular, next(iter(kinds)) if regular else None


def _bucket_join(kind: str | None, regular: bool, day: str) -> str:
    if regular:
        return f"JOIN _periods p ON date_trunc('{kind}', {day}) = p.start"
    return f"JOIN _periods p ON {day} >= p.start AND {day} < p.stop"


def _clients_table(
    clients: Sequence[str], timezones: Mapping[str, str], brands: Mapping[str, str]
) -> str:
    def q(s: str) -> str:
        return "'" + str(s).replace("'", "''") + "'"

    return ", ".join(
        f"({q(c)}, {q(timezones.get(c, 'UTC'))}, {q(brands.get(c, c))})" for c in clients
    )


def _needed_measures(kpis: Sequence[KPI]) -> dict[str, set[str]]:
    """Measure columns needed per table."""
    need: dict[str, set[str]] = {}
    for k in kpis:
        assert k.parsed is not None
        for n in k.parsed.names:
            need.setdefault(MEASURES[n].table, set()).add(n)
        for call in k.parsed.calls:
            need.setdefault("posts", set()).add(call)  # type: ignore[arg-type]
    return need


def _post_aggregates(needed: set[Any]) -> list[str]:
    aggs = ["COUNT(*) AS _rows"]
    for m in sorted(needed, key=str):
        if isinstance(m, tuple):
            fn, *args = m
            if fn == "ratio":
                a, b = args
                both = f"{a} IS NOT NULL AND {b} IS NOT NULL"
                aggs.append(f'SUM({a}) FILTER (WHERE {both}) AS "{a}@{b}"')
                aggs.append(f'SUM({b}) FILTER (WHERE {both}) AS "{b}@{a}"')
            elif fn == "mean_ratio":
                a, b = args
                aggs.append(f'AVG({a} / NULLIF({b}, 0)) AS "mean_ratio({a},{b})"')
            else:
                aggs.append(f'AVG({args[0]}) AS "mean({args[0]})"')
        else:
            aggs.append(f'{MEASURES[m].sql} AS "{m}"')
    return aggs


def compute_measures(
    sources: Mapping[str, Source],
    periods: Sequence[Period],
    *,
    clients: Sequence[str],
    timezones: Mapping[str, str] | None = None,
    brands: Mapping[str, str] | None = None,
    kpis: Sequence[KPI] | None = None,
    catalog: Catalog | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    posts_by: str = "platform",
) -> pd.DataFrame:
    """Base measures per client × platform × period, with ``platform == "all"`` totals.

    Parameters
    ----------
    sources : mapping
        Canonical table name → DataFrame, Parquet path, list of paths or glob (None: absent).
    periods : sequence of Period
        Periods to compute. When they are all of one regular kind (weeks, months…) rows are
        bucketed with ``date_trunc``; custom ranges use a range join.
    clients : sequence of str
        Clients to compute.
    timezones : mapping, optional
        Client → IANA time zone used for period boundaries (default UTC).
    brands : mapping, optional
        Client → brand id of the client itself in ``mentions.brand`` (default: client id).
    kpis : sequence of KPI, optional
        Only compute the measures these KPIs need (default: the whole catalog).
    posts_by : {"platform", "format", "account", "campaign"}
        Column that splits the posts measures (the output column is still called
        ``platform``); the other tables are always split by platform.

    Returns
    -------
    pandas.DataFrame
        One row per client × platform × period that has data in at least one table; columns
        ``client, platform, period``, one column per measure and ``_rows_<table>`` counts.
    """
    catalog = catalog or get_catalog()
    kpis = list(kpis) if kpis is not None else catalog.select()
    timezones = dict(timezones or {})
    brands = dict(brands or {})
    con = con or duckdb.connect()
    rows, regular, kind = _period_table(periods)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _periods AS "
        f"SELECT * FROM (VALUES {rows}) AS t(period, start, stop)"
    )
    values = _clients_table(clients, timezones, brands)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _clients AS "
        f"SELECT * FROM (VALUES {values}) AS t(client, tz, brand)"
    )
    lo = min(p.start for p in periods)
    hi = max(p.end for p in periods)
    # UTC prefilter, widened by a day on each side (time zones are within ±14 h)
    lo_utc = f"TIMESTAMPTZ '{(pd.Timestamp(lo) - pd.Timedelta(days=1)).isoformat()}+00:00'"
    hi_utc = f"TIMESTAMPTZ '{(pd.Timestamp(hi) + pd.Timedelta(days=1)).isoformat()}+00:00'"
    need = _needed_measures(kpis)
    one_tz = len({timezones.get(c, "UTC") for c in clients}) == 1
    tz_expr = "'" + timezones.get(clients[0], "UTC").replace("'", "''") + "'" if one_tz else "c.tz"
    groups = "GROUPING SETS ((client, platform, period), (client, period))"
    parts: list[pd.DataFrame] = []

    posts = _relation(con, "posts", sources.get("posts"))
    if posts and "posts" in need:
        day = f"CAST(timezone({tz_expr}, s.published_at) AS DATE)"
        sql = f"""
        WITH src AS (
            SELECT s.client, s.platform,
                   COALESCE(CAST(s.{posts_by} AS VARCHAR), '(none)') AS grp,
                   {day} AS d, s.impressions, s.reach, s.views,
                   s.reactions, s.comments, s.shares, s.saves, s.clicks, s.link_clicks,
                   s.video_views, {interactions_sql(catalog.engagement)} AS interactions
            FROM _posts s JOIN _clients c ON s.client = c.client
            WHERE s.published_at >= {lo_utc} AND s.published_at < {hi_utc}
        )
        SELECT client, COALESCE(grp, 'all') AS platform, period,
               {", ".join(_post_aggregates(need["posts"] | {"n_posts"}))}
        FROM src {_bucket_join(kind, regular, "src.d")}
        GROUP BY GROUPING SETS ((client, grp, period), (client, period))
        """
        parts.append(con.execute(sql).df().rename(columns={"_rows": "_rows_posts"}))

    audience = _relation(con, "audience", sources.get("audience"))
    if audience and "audience" in need:
        sql = f"""
        WITH a AS (
            SELECT s.client, s.platform, s.account, CAST(s.date AS DATE) AS d, s.followers,
                   lag(s.followers) OVER w AS followers_prev,
                   lag(CAST(s.date AS DATE)) OVER w AS prev_d,
                   s.new_followers, s.lost_followers, s.profile_visits,
                   s.impressions AS page_impressions, s.reach AS page_reach
            FROM _audience s JOIN _clients c ON s.client = c.client
            WHERE CAST(s.date AS DATE) >= DATE '{lo.isoformat()}' - INTERVAL 1 DAY
              AND CAST(s.date AS DATE) < DATE '{hi.isoformat()}'
            WINDOW w AS (PARTITION BY s.client, s.platform, s.account ORDER BY s.date)
        ), b AS (
            SELECT a.client, a.platform, a.account, p.period, COUNT(*) AS n,
                   arg_max(a.followers, a.d) FILTER (WHERE a.followers IS NOT NULL)
                       AS followers_end,
                   MAX(CASE WHEN a.d = p.start AND a.prev_d = p.start - INTERVAL 1 DAY
                            THEN a.followers_prev END) AS followers_start,
                   SUM(a.new_followers) AS new_followers,
                   SUM(a.lost_followers) AS lost_followers,
                   SUM(a.profile_visits) AS profile_visits,
                   SUM(a.page_impressions) AS page_impressions,
                   SUM(a.page_reach) AS page_reach
            FROM a {_bucket_join(kind, regular, "a.d")}
            GROUP BY ALL
        )
        SELECT client, COALESCE(platform, 'all') AS platform, period,
               SUM(n) AS _rows_audience,
               SUM(followers_end) AS followers,
               -- the start must cover the same accounts as the end, or growth is made up
               CASE WHEN COUNT(followers_start) FILTER (WHERE followers_end IS NOT NULL)
                         = COUNT(followers_end)
                    THEN SUM(followers_start) FILTER (WHERE followers_end IS NOT NULL)
               END AS followers_start,
               SUM(new_followers) AS new_followers, SUM(lost_followers) AS lost_followers,
               SUM(profile_visits) AS profile_visits,
               SUM(page_impressions) AS page_impressions, SUM(page_reach) AS page_reach
        FROM b GROUP BY {groups}
        """
        parts.append(con.execute(sql).df())

    mentions = _relation(con, "mentions", sources.get("mentions"))
    if mentions and "mentions" in need:
        day = f"CAST(timezone({tz_expr}, s.published_at) AS DATE)"
        wanted = sorted(need["mentions"])
        amb = "ambassadors" in wanted
        window = (
            ", COUNT(*) FILTER (WHERE own AND sentiment = 'positive') "
            "OVER (PARTITION BY client, period, author) AS author_positive"
            if amb
            else ""
        )
        aggs = ", ".join(f'{MEASURES[m].sql} AS "{m}"' for m in wanted)
        sql = f"""
        WITH m AS (
            SELECT s.client, s.platform, {day} AS d, s.author, s.sentiment, s.compound,
                   s.addresses_brand, s.published_at, s.replied_at,
                   (s.brand = c.brand) AS own
            FROM _mentions s JOIN _clients c ON s.client = c.client
            WHERE s.published_at >= {lo_utc} AND s.published_at < {hi_utc}
        ), mp AS (
            SELECT m.*, p.period FROM m {_bucket_join(kind, regular, "m.d")}
        ), mw AS (SELECT *{window} FROM mp)
        SELECT client, COALESCE(platform, 'all') AS platform, period,
               COUNT(*) AS _rows_mentions, {aggs}
        FROM mw GROUP BY {groups}
        """
        parts.append(con.execute(sql).df())

    conversions = _relation(con, "conversions", sources.get("conversions"))
    if conversions and "conversions" in need:
        wanted = sorted(need["conversions"])
        aggs = ", ".join(f'{MEASURES[m].sql} AS "{m}"' for m in wanted)
        platforms = ", ".join(f"'{p}'" for p in PLATFORMS)
        sql = f"""
        WITH v AS (
            SELECT s.client, s.source AS platform, CAST(s.date AS DATE) AS d, s.sessions,
                   s.leads, s.sales, s.revenue, s.ad_spend
            FROM _conversions s JOIN _clients c ON s.client = c.client
            WHERE s.source IN ({platforms})
              AND CAST(s.date AS DATE) >= DATE '{lo.isoformat()}'
              AND CAST(s.date AS DATE) < DATE '{hi.isoformat()}'
        )
        SELECT client, COALESCE(platform, 'all') AS platform, period,
               COUNT(*) AS _rows_conversions, {aggs}
        FROM v {_bucket_join(kind, regular, "v.d")}
        GROUP BY {groups}
        """
        parts.append(con.execute(sql).df())

    keys = ["client", "platform", "period"]
    if not parts:
        return pd.DataFrame(columns=keys)
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=keys, how="outer")
    return out.sort_values(keys, ignore_index=True)


def compute_kpis(
    sources: Mapping[str, Source],
    periods: Sequence[Period],
    *,
    clients: Sequence[str],
    timezones: Mapping[str, str] | None = None,
    brands: Mapping[str, str] | None = None,
    kpis: Sequence[str] | None = None,
    platforms: Mapping[str, Sequence[str]] | None = None,
    catalog: Catalog | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    by: str = "platform",
) -> pd.DataFrame:
    """Compute catalog KPIs per client × platform × period, long-form.

    Parameters
    ----------
    sources, periods, clients, timezones, brands, catalog, con
        See :func:`compute_measures`.
    kpis : sequence of str, optional
        KPI ids (default: the whole catalog).
    platforms : mapping, optional
        Client → platforms to report even when they have no data in a period (their rows then
        hold NA with a "no data" note). Platforms with data are always reported.
    by : {"platform", "format", "account", "campaign"}
        Break posts KPIs down by this column instead of the platform (only KPIs computed from
        posts alone are allowed then); the output column is named after it.

    Returns
    -------
    pandas.DataFrame
        Long-form, columns ``client, platform, period, kpi, value, note``. ``value`` is NA when
        the KPI cannot be computed and ``note`` says why; it is never ``inf``, and no data is
        never 0.
    """
    catalog = catalog or get_catalog()
    if by not in _BY:
        raise ParameterError("by", by, f"one of {', '.join(_BY)}")
    if by != "platform":
        pool = kpis if kpis is not None else [k.id for k in catalog.select()]
        kpis = [k for k in pool if catalog[k].tables == {"posts"}]
        platforms = None
    selected = catalog.select(list(kpis) if kpis is not None else None)
    m = compute_measures(
        sources,
        periods,
        clients=clients,
        timezones=timezones,
        brands=brands,
        kpis=selected,
        catalog=catalog,
        con=con,
        posts_by=by,
    )
    # complete grid: every requested period for every client's known platforms and "all"
    known: dict[str, set[str]] = {c: {"all"} for c in clients}
    for c, p in m[["client", "platform"]].drop_duplicates().itertuples(index=False):
        known.setdefault(c, {"all"}).add(p)
    for c, ps in (platforms or {}).items():
        known.setdefault(c, {"all"}).update(ps)
    grid = pd.DataFrame(
        [
            (c, p, per.label)
            for c in clients
            for p in sorted(known.get(c, {"all"}), key=lambda x: (x == "all", x))
            for per in periods
        ],
        columns=["client", "platform", "period"],
    )
    m = grid.merge(m, on=["client", "platform", "period"], how="left")
    n, k = len(m), len(selected)
    excluded = _ExcludedPlatforms(m)
    values = np.empty(n * k)
    notes = np.empty(n * k, dtype=object)
    for j, kpi in enumerate(selected):
        assert kpi.parsed is not None
        v, nt = evaluate(kpi.parsed, m)
        any_data = np.zeros(n, dtype=bool)
        for table in sorted(kpi.tables):
            rows = m.get(f"_rows_{table}")
            empty = (
                np.ones(n, dtype=bool)
                if rows is None
                else pd.to_numeric(rows).fillna(0).to_numpy() == 0
            )
            any_data |= ~empty
            nt = np.where(np.isnan(v) & empty, _NO_DATA[table], nt)
        values[j * n : (j + 1) * n] = v
        notes[j * n : (j + 1) * n] = excluded.note(v, nt, any_data)
    # long form: one block of the grid's rows per KPI, built with takes (no per-KPI frames)
    grid_rows = np.tile(np.arange(n), k)
    ids = pd.array([kpi.id for kpi in selected], dtype=m["client"].dtype)
    out = pd.DataFrame(
        {
            "client": m["client"].array.take(grid_rows),
            "platform": m["platform"].array.take(grid_rows),
            "period": m["period"].array.take(grid_rows),
            "kpi": ids.take(np.repeat(np.arange(k), n)),
            "value": pd.array(values, dtype="Float64"),
            "note": pd.array(np.where(notes == "", None, notes), dtype="string"),
        }
    )
    return out if by == "platform" else out.rename(columns={"platform": by})


class _ExcludedPlatforms:
    """On all-platform totals, name the platforms with data that could not contribute.

    E.g. X reports no reach: the all-platforms reach is then the sum over the other platforms,
    and its note says "excludes x (not available)" instead of passing it off as complete.
    Works on the measure grid, one KPI at a time: (client, period) groups and sorted platform
    codes are computed once, and a note is built once per distinct set of missing platforms.

    Parameters
    ----------
    m : pandas.DataFrame
        The measure grid: columns ``client, platform, period`` and the measures.
    """

    def __init__(self, m: pd.DataFrame) -> None:
        self.group = m.groupby(["client", "period"], sort=False).ngroup().to_numpy()
        self.n_groups = int(self.group.max()) + 1 if len(m) else 0
        self.code, names = pd.factorize(m["platform"], sort=True)  # codes in sorted order
        self.names = [str(p) for p in names]
        self.is_all = (m["platform"] == "all").to_numpy()
        self._labels: dict[tuple[int, ...], str] = {}

    def note(self, values: np.ndarray, notes: np.ndarray, any_data: np.ndarray) -> np.ndarray:
        """``notes`` of one KPI, with the note on the totals that miss a platform with data."""
        missing = np.flatnonzero(~self.is_all & np.isnan(values) & any_data)
        # a platform that cannot report a measure (not a zero denominator: such a platform
        # still contributes its numerator and denominator to the total)
        unreported = [
            s.endswith(" not available") or s.startswith("no post reports")
            for s in notes[missing].tolist()
        ]
        missing = missing[np.asarray(unreported, dtype=bool)]
        if not missing.size:
            return notes
        missing = missing[np.lexsort((self.code[missing], self.group[missing]))]
        groups = self.group[missing]
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        stops = np.r_[starts[1:], missing.size]
        label = np.empty(self.n_groups, dtype=object)
        has = np.zeros(self.n_groups, dtype=bool)
        codes = self.code[missing].tolist()
        for a, b, g in zip(starts.tolist(), stops.tolist(), groups[starts].tolist(), strict=True):
            key = tuple(codes[a:b])
            if key not in self._labels:
                names = ", ".join(self.names[c] for c in key)
                self._labels[key] = f"excludes {names} (not available)"
            label[g] = self._labels[key]
            has[g] = True
        target = self.is_all & ~np.isnan(values) & has[self.group]
        notes = notes.copy()
        notes[target] = label[self.group[target]]
        return notes
