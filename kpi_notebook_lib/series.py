"""Daily series of one client: what the alerts watch, one value per local calendar day.

Six series, computed by DuckDB from the client's canonical tables (the store's Parquet files, or
DataFrames for :func:`daily_series_from_tables`), per platform and for all platforms together:

``mentions``
    Mentions of the client's own brand published that day (the ``mentions`` measure).
``negative_mentions``
    Of those, the ones whose tone is ``negative`` (the ``negative`` measure).
``interactions``
    Interactions of the posts *published* that day, summed per the catalog's engagement mapping
    (:func:`kpi_notebook_lib.measures.interactions_sql`): lifetime metrics booked on the day of
    publication, as the KPI engine does for periods.
``new_followers``, ``lost_followers``
    Follows gained and lost that day (``audience`` table).
``net_followers``
    ``new_followers - lost_followers``, on the accounts that report both that day.

Days are calendar days in the client's time zone: a mention at 23:30 UTC on 31 October is on
1 November in Paris. Every day of ``[start, end]`` (both included) gets a row.

**No data is never 0.** The rule, per table:

- ``mentions`` and ``posts`` hold events (one row per mention or post). A platform's export is
  taken to cover the days from its first to its last row in the table (whatever the brand, for
  mentions: the listening export covers competitors too). On a covered day without rows the
  count is 0; outside that span it is NA. ``interactions`` are covered from the first to the
  last post that reports them, and NA on a day whose posts all lack them.
- ``audience`` holds one row per account and day: a day is covered only by its own row. A day
  without a row, or whose rows do not give the metric (X gives no ``new_followers``), is NA.
- ``platform == "all"`` sums the platforms that cover the day (NA when none does). A platform
  that starts later adds to the total from its first day on.

Platform × series pairs that are NA on every day of ``[start, end]`` are left out; the
``all`` rows are always there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd

from .catalog import Catalog, get_catalog
from .exceptions import ParameterError
from .kpis import Source, _relation
from .measures import MEASURES, interactions_sql

if TYPE_CHECKING:
    from .workspace import Client

__all__ = ["SERIES", "SERIES_COLUMNS", "daily_series", "daily_series_from_tables"]

#: Series computed by :func:`daily_series`, in output order.
SERIES: tuple[str, ...] = (
    "mentions",
    "negative_mentions",
    "interactions",
    "new_followers",
    "lost_followers",
    "net_followers",
)

#: Columns of :func:`daily_series`' output.
SERIES_COLUMNS = ["client", "platform", "series", "date", "value"]

_EVENT_SERIES = {"mentions": "mentions", "negative_mentions": "mentions", "interactions": "posts"}
_AUDIENCE_SERIES = ("new_followers", "lost_followers", "net_followers")


def _q(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def _day(value: Any, name: str) -> date:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError(name, value, "a date like 2026-10-03")
    return ts.date()


def _event_counts(
    con: duckdb.DuckDBPyConnection,
    table: str,
    client: str,
    timezone: str,
    brand: str,
    catalog: Catalog,
) -> pd.DataFrame:
    """Per platform × local day: the event series, plus each series' coverage span."""
    day = f"CAST(timezone({_q(timezone)}, s.published_at) AS DATE)"
    if table == "mentions":
        sql = f"""
        WITH m AS (
            SELECT s.platform, {day} AS d, s.sentiment, (s.brand = {_q(brand)}) AS own
            FROM _mentions s WHERE s.client = {_q(client)}
        )
        SELECT platform, d,
               {MEASURES["mentions"].sql} AS mentions,
               {MEASURES["negative"].sql} AS negative_mentions,
               COUNT(*) AS _covers
        FROM m GROUP BY platform, d
        """
        frame = con.execute(sql).df()
        frame["_covers_mentions"] = frame["_covers"]
        frame["_covers_negative_mentions"] = frame["_covers"]
        return frame.drop(columns="_covers")
    sql = f"""
    WITH p AS (
        SELECT s.platform, {day} AS d, {interactions_sql(catalog.engagement)} AS interactions
        FROM _posts s WHERE s.client = {_q(client)}
    )
    SELECT platform, d, SUM(interactions) AS interactions,
           COUNT(interactions) AS _covers_interactions
    FROM p GROUP BY platform, d
    """
    return con.execute(sql).df()


def _audience_counts(
    con: duckdb.DuckDBPyConnection, client: str, lo: date, hi: date
) -> pd.DataFrame:
    sql = f"""
    SELECT platform, CAST(date AS DATE) AS d,
           SUM(new_followers) AS new_followers,
           SUM(lost_followers) AS lost_followers,
           SUM(new_followers - lost_followers) AS net_followers
    FROM _audience
    WHERE client = {_q(client)}
      AND CAST(date AS DATE) BETWEEN DATE '{lo.isoformat()}' AND DATE '{hi.isoformat()}'
    GROUP BY platform, d
    """
    return con.execute(sql).df()


def _event_grid(counts: pd.DataFrame, name: str, days: pd.DatetimeIndex) -> pd.DataFrame:
    """platform × day values of one event series, 0 inside each platform's span, NA outside."""
    covers = counts[counts[f"_covers_{name}"] > 0]
    frames = []
    for platform, g in covers.groupby("platform", sort=True):
        first, last = pd.Timestamp(g["d"].min()), pd.Timestamp(g["d"].max())
        inside = (days >= first) & (days <= last)
        if not inside.any():
            continue
        values = pd.Series(g[name].to_numpy(dtype=float), index=pd.DatetimeIndex(g["d"]))
        v = values.reindex(days).to_numpy(dtype=float)
        v = np.where(inside & np.isnan(v) & ~_has_rows(counts, platform, days), 0.0, v)
        v = np.where(inside, v, np.nan)
        frames.append(pd.DataFrame({"platform": platform, "date": days, "value": v}))
    return _concat(frames)


def _has_rows(counts: pd.DataFrame, platform: str, days: pd.DatetimeIndex) -> np.ndarray:
    """Days on which ``platform`` has rows (whose value may be NA, e.g. no interactions)."""
    d = pd.DatetimeIndex(counts.loc[counts["platform"] == platform, "d"])
    return days.isin(d)


def _audience_grid(counts: pd.DataFrame, name: str, days: pd.DatetimeIndex) -> pd.DataFrame:
    frames = []
    for platform, g in counts.groupby("platform", sort=True):
        values = pd.Series(g[name].to_numpy(dtype=float), index=pd.DatetimeIndex(g["d"]))
        v = values.reindex(days).to_numpy(dtype=float)
        frames.append(pd.DataFrame({"platform": platform, "date": days, "value": v}))
    return _concat(frames)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({"platform": [], "date": pd.DatetimeIndex([]), "value": []})
    return pd.concat(frames, ignore_index=True)


def _with_total(grid: pd.DataFrame, days: pd.DatetimeIndex, platforms: bool) -> pd.DataFrame:
    """Add the ``all`` rows (sum of the platforms covering the day); drop all-NA platforms."""
    total = grid.groupby("date")["value"].sum(min_count=1).reindex(days)
    out = pd.DataFrame({"platform": "all", "date": days, "value": total.to_numpy(dtype=float)})
    if not platforms:
        return out
    keep = grid.groupby("platform")["value"].transform(lambda v: v.notna().any())
    return pd.concat([grid[keep.to_numpy(dtype=bool)], out], ignore_index=True)


def _compute(
    sources: Mapping[str, Source],
    start: Any,
    end: Any,
    *,
    client: str,
    timezone: str,
    brand: str,
    platforms: bool,
    series: Sequence[str] | None,
    catalog: Catalog | None,
) -> pd.DataFrame:
    lo, hi = _day(start, "start"), _day(end, "end")
    if hi < lo:
        raise ParameterError("end", str(hi), f"a day on or after start ({lo})")
    wanted = list(SERIES) if series is None else list(series)
    unknown = [s for s in wanted if s not in SERIES]
    if unknown or not wanted:
        raise ParameterError("series", series, f"a non-empty list of {', '.join(SERIES)}")
    catalog = catalog or get_catalog()
    days = pd.date_range(lo, hi, freq="D")
    con = duckdb.connect()
    grids: dict[str, pd.DataFrame] = {}
    for table in ("mentions", "posts"):
        names = [s for s in wanted if _EVENT_SERIES.get(s) == table]
        if not names:
            continue
        if _relation(con, table, sources.get(table)):
            counts = _event_counts(con, table, client, timezone, brand, catalog)
        else:
            counts = None
        for name in names:
            grids[name] = _concat([]) if counts is None else _event_grid(counts, name, days)
    names = [s for s in wanted if s in _AUDIENCE_SERIES]
    if names:
        counts = (
            _audience_counts(con, client, lo, hi)
            if _relation(con, "audience", sources.get("audience"))
            else None
        )
        for name in names:
            grids[name] = _concat([]) if counts is None else _audience_grid(counts, name, days)
    con.close()
    frames = []
    for name in wanted:
        g = _with_total(grids[name], days, platforms)
        g.insert(0, "series", name)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "client", client)
    out["value"] = pd.array(out["value"].to_numpy(dtype=float), dtype="Float64")
    return out[SERIES_COLUMNS]


def daily_series_from_tables(
    tables: Mapping[str, pd.DataFrame | str | Path | Sequence[str | Path] | None],
    start: date | str | pd.Timestamp,
    end: date | str | pd.Timestamp,
    *,
    client: str,
    timezone: str = "UTC",
    brand: str | None = None,
    platforms: bool = True,
    series: Sequence[str] | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Daily series of one client from canonical tables given directly (e.g. in tests).

    Parameters
    ----------
    tables : mapping
        Canonical table name (``mentions``, ``posts``, ``audience``) → DataFrame with the
        table's columns, Parquet path or list of paths (missing or None: absent). The tables
        may hold several clients: only ``client``'s rows are read.
    start, end : date or str
        First and last local day (both included).
    client : str
        Client id.
    timezone : str
        The client's IANA time zone: days are its calendar days.
    brand : str, optional
        The client's own brand in ``mentions.brand`` (default: ``client``).
    platforms : bool
        Also return each platform's series (default); False: only ``platform == "all"``.
    series : sequence of str, optional
        A subset of :data:`SERIES` (default: all of them).
    catalog : Catalog, optional
        Catalog whose engagement mapping defines interactions (default: the packaged one).

    Returns
    -------
    pandas.DataFrame
        Long-form DataFrame with columns ``client, platform, series, date, value``: one row per
        platform (and ``all``) × series × day of ``[start, end]``. ``date`` is a naive
        ``datetime64`` at midnight (a local day), ``value`` a nullable float, NA where there is
        no data (see the module docstring for the rule).
    """
    return _compute(
        tables,
        start,
        end,
        client=client,
        timezone=timezone,
        brand=brand or client,
        platforms=platforms,
        series=series,
        catalog=catalog,
    )


def daily_series(
    client: Client,
    start: date | str | pd.Timestamp,
    end: date | str | pd.Timestamp,
    *,
    platforms: bool = True,
    series: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Daily series of a workspace client, from its store (new exports are ingested first).

    Parameters
    ----------
    client : Client
        A :class:`kpi_notebook_lib.workspace.Client`; its time zone and brand are used.
    start, end : date or str
        First and last local day (both included).
    platforms : bool
        Also return each platform's series (default); False: only ``platform == "all"``.
    series : sequence of str, optional
        A subset of :data:`SERIES` (default: all of them).

    Returns
    -------
    pandas.DataFrame
        See :func:`daily_series_from_tables`.

    Examples
    --------
    >>> ws = open_workspace("data_samples")  # doctest: +SKIP
    >>> daily_series(ws.client("boulangerie-dupont"), "2026-09-01", "2026-09-30")  # doctest: +SKIP
    """
    sources = client.sources(("mentions", "posts", "audience"))
    return _compute(
        sources,
        start,
        end,
        client=client.id,
        timezone=client.settings.timezone,
        brand=client.brand,
        platforms=platforms,
        series=series,
        catalog=None,
    )
