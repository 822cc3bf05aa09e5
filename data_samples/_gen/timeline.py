"""Calendar machinery: local days, seasonality curves, event profiles, UTC conversion, seeds."""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np
import pandas as pd

from .specs import END, START, ClientSpec, Event

__all__ = [
    "activity",
    "event_profile",
    "fmt_ts",
    "local_days",
    "local_to_utc",
    "sub_rng",
    "trend",
]

# (month, day, amplitude, width in days) of yearly bumps and dips, per sector
_SEASONS: dict[str, tuple[tuple[int, int, float, float], ...]] = {
    "bakery": ((12, 20, 0.35, 8), (1, 6, 0.28, 6), (4, 12, 0.12, 6), (8, 12, -0.28, 11),
               (9, 15, 0.08, 12)),
    "software": ((8, 10, -0.55, 12), (12, 28, -0.45, 6), (9, 22, 0.12, 15), (5, 8, -0.08, 4)),
    "fashion": ((11, 28, 0.45, 4), (12, 12, 0.3, 8), (1, 8, 0.25, 7), (7, 5, 0.2, 10),
                (2, 10, -0.1, 12), (9, 28, 0.12, 10)),
}


def sub_rng(seed: int, client_id: str, stream: str) -> np.random.Generator:
    """An independent generator per (seed, client, stream): order-free and reproducible."""
    return np.random.default_rng(
        [seed, zlib.crc32(client_id.encode()), zlib.crc32(stream.encode())]
    )


def local_days(start: date = START, end: date = END) -> pd.DatetimeIndex:
    """Every local calendar day from ``start`` to ``end`` inclusive."""
    return pd.date_range(start, end, freq="D")


def _yearly(sector: str, days: pd.DatetimeIndex) -> np.ndarray:
    out = np.ones(len(days))
    for month, day, amp, width in _SEASONS[sector]:
        for year in range(days[0].year - 1, days[-1].year + 2):
            anchor = pd.Timestamp(year, month, day)
            dist = (days - anchor).days.to_numpy()
            out += amp * np.exp(-0.5 * (dist / width) ** 2)
    return np.clip(out, 0.2, None)


def trend(days: pd.DatetimeIndex, start: float, end: float) -> np.ndarray:
    """Exponential path from ``start`` on the first day to ``end`` on the last."""
    t = np.linspace(0.0, 1.0, len(days))
    return start * (end / start) ** t


def activity(spec: ClientSpec, days: pd.DatetimeIndex) -> np.ndarray:
    """Relative daily activity of a client's audience: weekly × yearly seasonality."""
    week = np.asarray(spec.weekly)[days.day_of_week.to_numpy()]
    return week * _yearly(spec.sector_key, days)


def event_profile(days: pd.DatetimeIndex, event: Event, *, decay: float = 2.0) -> np.ndarray:
    """0 before the event, ramping to 1 during it, then decaying with half-life ``decay`` days."""
    d = (days - pd.Timestamp(event.start)).days.to_numpy().astype(float)
    length = (event.end - event.start).days + 1
    out = np.zeros(len(days))
    during = (d >= 0) & (d < length)
    out[during] = 1.0 - 0.3 * d[during] / max(length, 1)
    after = d >= length
    out[after] = 0.7 * 0.5 ** ((d[after] - length + 1) / decay)
    return out


def local_to_utc(local: pd.Series | pd.DatetimeIndex, timezone: str) -> pd.DatetimeIndex:
    """Naive local wall-clock times → UTC (DST-aware; gaps shift forward, overlaps take DST)."""
    idx = pd.DatetimeIndex(local)
    aware = idx.tz_localize(
        timezone, ambiguous=np.ones(len(idx), dtype=bool), nonexistent="shift_forward"
    )
    return aware.tz_convert("UTC")


def fmt_ts(utc: pd.Series | pd.DatetimeIndex) -> list[str]:
    """UTC timestamps as ISO 8601 with an explicit offset, e.g. 2026-10-03T09:15:00+00:00."""
    idx = pd.DatetimeIndex(utc)
    return [s if isinstance(s, str) else "" for s in idx.strftime("%Y-%m-%dT%H:%M:%S+00:00")]
