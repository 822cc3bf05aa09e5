"""Simulated daily series with known answers, for the alert tests and ``bench/alerts.py``.

Not used by the library itself: it lives here so the tests and the benchmark draw their
series the same way (counts with a weekday pattern, a slow trend and gamma-Poisson
over-dispersion; injected spikes at known days).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["WEEKLY", "count_means", "draw_counts", "inject", "long_form"]

#: A retail-like weekly pattern, Monday first (Saturday and Sunday peak).
WEEKLY = np.array([0.8, 0.8, 0.9, 0.95, 1.05, 1.3, 1.35])


def count_means(
    dates: pd.DatetimeIndex,
    level: float,
    *,
    weekly: np.ndarray = WEEKLY,
    trend_per_year: float = 0.2,
) -> np.ndarray:
    """Expected daily counts: ``level × weekly[weekday] × (1 + trend × years elapsed)``."""
    w = np.asarray(weekly, dtype=float)
    w = w / w.mean()
    years = np.arange(len(dates)) / 365.25
    return level * w[dates.day_of_week.to_numpy()] * (1 + trend_per_year * years)


def draw_counts(rng: np.random.Generator, means: np.ndarray, alpha: float, n: int) -> np.ndarray:
    """``n`` series of negative-binomial counts (``Var = mu + alpha·mu²``; Poisson at 0)."""
    mu = np.broadcast_to(np.asarray(means, dtype=float), (n, np.shape(means)[-1]))
    lam = rng.gamma(1.0 / alpha, alpha * mu) if alpha > 0 else mu
    return rng.poisson(lam).astype(float)


def inject(
    rng: np.random.Generator,
    values: np.ndarray,
    means: np.ndarray,
    days: np.ndarray,
    factor: float,
    alpha: float,
) -> np.ndarray:
    """Replace day ``days[i]`` of series ``i`` by a draw around ``factor ×`` its mean."""
    out = values.copy()
    rows = np.arange(len(values))
    mu = np.broadcast_to(means, values.shape)[rows, days] * factor
    lam = rng.gamma(1.0 / alpha, alpha * mu) if alpha > 0 else mu
    out[rows, days] = rng.poisson(lam)
    return out


def long_form(
    values: np.ndarray,
    dates: pd.DatetimeIndex,
    *,
    series: str,
    clients: list[str] | None = None,
    platform: str = "all",
) -> pd.DataFrame:
    """``client, platform, series, date, value`` rows of a matrix (one series per row)."""
    n, d = values.shape
    clients = clients or [f"sim{i:05d}" for i in range(n)]
    return pd.DataFrame(
        {
            "client": np.repeat(np.asarray(clients, dtype=object), d),
            "platform": platform,
            "series": series,
            "date": np.tile(dates.to_numpy(), n),
            "value": values.ravel(),
        }
    )
