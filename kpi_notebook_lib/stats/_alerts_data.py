"""Input checks and daily calendars of :mod:`kpi_notebook_lib.stats.alerts` (machinery).

Everything here is vectorised over the (client, platform, series) groups: no loop per group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

__all__ = [
    "DIRECTIONS",
    "KEYS",
    "Calendar",
    "calendar",
    "check_directions",
    "check_input",
    "episodes",
    "positive",
]

KEYS = ["client", "platform", "series"]
DIRECTIONS = ("both", "up", "down")


def check_input(series: pd.DataFrame) -> pd.DataFrame:
    """Columns ``client, platform, series, date, value``, typed; one row per key and day."""
    needed = [*KEYS, "date", "value"]
    if not isinstance(series, pd.DataFrame) or not set(needed) <= set(series.columns):
        found = list(series.columns) if isinstance(series, pd.DataFrame) else type(series)
        raise ParameterError("series", found, f"a long-form DataFrame with columns {needed}")
    df = series[needed].copy()
    for k in KEYS:
        df[k] = df[k].astype(str)
    df["date"] = pd.to_datetime(df["date"]).dt.tz_localize(None).dt.normalize()
    df["value"] = pd.to_numeric(df["value"]).astype("float64")
    dup = df.duplicated([*KEYS, "date"])
    if dup.any():
        first = df.loc[dup, [*KEYS, "date"]].iloc[0].astype(str).tolist()
        raise ParameterError(
            "series", first, "one row per client, platform, series and date (duplicate found)"
        )
    return df


def positive(name: str, value: Any) -> float:
    """``value`` as a positive float, or a :class:`ParameterError` naming ``name``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not np.isfinite(v) or v <= 0:
        raise ParameterError(name, value, "a positive number")
    return v


def check_directions(
    direction: str | Mapping[str, str] | None, names: list[str], defaults: Mapping[str, str]
) -> dict[str, str]:
    """Direction of each series: ``direction`` (one for all, or per series), else ``defaults``,
    else ``"both"``."""
    if direction is None:
        given: Mapping[str, str] = {}
    elif isinstance(direction, str):
        given = dict.fromkeys(names, direction)
    else:
        given = direction
    out = {n: given.get(n, defaults.get(n, "both")) for n in names}
    bad = {k: v for k, v in {**given, **out}.items() if v not in DIRECTIONS}
    if bad:
        raise ParameterError("direction", direction, f"one of {', '.join(DIRECTIONS)}")
    return out


@dataclass
class Calendar:
    """Several daily series laid end to end, every day from each one's first to last day.

    Attributes
    ----------
    keys : pandas.DataFrame
        One row per group: ``client, platform, series``, and ``signed`` (not whole counts).
    group : ndarray
        Group of each day.
    first : ndarray
        Index of each group's first day.
    date : ndarray
        ``datetime64[ns]`` of each day.
    value : ndarray
        Float value of each day (NaN: no data).
    """

    keys: pd.DataFrame
    group: np.ndarray
    first: np.ndarray
    date: np.ndarray
    value: np.ndarray


def calendar(df: pd.DataFrame, end: pd.Timestamp | None, signed_names: frozenset) -> Calendar:
    """Lay the groups of ``df`` (see :func:`check_input`) on complete daily calendars.

    Each group runs from its first day with data to its last day with data (cut at ``end``);
    days without a row are NaN. Groups without any data are dropped.
    """
    df = df[df["value"].notna()]
    if end is not None:
        df = df[df["date"] <= end]
    df = df.sort_values([*KEYS, "date"], ignore_index=True)
    gid = df.groupby(KEYS, sort=False).ngroup().to_numpy()
    if not len(df):
        empty = np.array([], dtype=np.int64)
        keys = pd.DataFrame({**{k: [] for k in KEYS}, "signed": np.array([], dtype=bool)})
        return Calendar(keys, empty, empty, np.array([], "datetime64[ns]"), np.array([]))
    day = df["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(gid)) + 1]
    lo = day[starts]
    hi = np.r_[day[starts[1:] - 1], day[-1]]
    lengths = hi - lo + 1
    first = np.r_[0, np.cumsum(lengths)[:-1]]
    n = int(lengths.sum())
    group = np.repeat(np.arange(len(starts)), lengths)
    offset = np.arange(n) - first[group]
    dates = (lo[group] + offset).astype("datetime64[D]").astype("datetime64[ns]")
    value = np.full(n, np.nan)
    v = df["value"].to_numpy(dtype=float)
    value[first[gid] + day - lo[gid]] = v
    keys = df.loc[starts, KEYS].reset_index(drop=True)
    negative = np.bincount(gid, weights=(v < 0), minlength=len(starts)) > 0
    fraction = np.bincount(gid, weights=(np.floor(v) != v), minlength=len(starts)) > 0
    keys["signed"] = keys["series"].isin(signed_names).to_numpy() | negative | fraction
    return Calendar(keys, group, first, dates, value)


def episodes(alerts: pd.DataFrame) -> np.ndarray:
    """First day of the run of consecutive alert days (same key and direction) of each alert.

    ``alerts`` must be sorted by key and date.
    """
    if alerts.empty:
        return np.array([], dtype="datetime64[ns]")
    cols = [*KEYS, "direction"]
    same = np.ones(len(alerts), dtype=bool)
    for c in cols:
        v = alerts[c].to_numpy()
        same[1:] &= v[1:] == v[:-1]
    same[0] = False
    d = alerts["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    same[1:] &= np.diff(d) == 1
    run = np.cumsum(~same)
    firsts = alerts["date"].to_numpy()[~same]
    return firsts[run - 1]
