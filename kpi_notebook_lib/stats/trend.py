"""Robust trend of a KPI over equally spaced periods: Theil–Sen slope, Mann–Kendall test."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats

from ._inputs import as_vector
from ._result import check_alpha

__all__ = ["DIRECTIONS", "MIN_POINTS", "TrendResult", "robust_trend"]

#: ``up``/``down`` = significant trend, ``flat`` = no significant trend; None = too few values.
DIRECTIONS = ("up", "down", "flat", None)
#: Fewer non-NaN values than this → direction None.
MIN_POINTS = 4


@dataclass(frozen=True)
class TrendResult:
    """Outcome of :func:`robust_trend`.

    Attributes
    ----------
    slope : float
        Theil–Sen slope: median change per period, in the KPI's unit.
    slope_low, slope_high : float
        Confidence interval of the slope at level ``1 − alpha``.
    tau : float
        Kendall's tau between time and value (Mann–Kendall statistic, tie-corrected tau-b).
    p_value : float
        Two-sided Mann–Kendall p-value.
    n : int
        Number of non-NaN values used.
    direction : str or None
        ``up``, ``down``, ``flat`` (no significant trend) or None (too few values).
    reason : str
        Why ``direction`` is None or the test degenerate, else ``""``.
    """

    slope: float
    slope_low: float
    slope_high: float
    tau: float
    p_value: float
    n: int
    direction: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


def robust_trend(values: Any, *, alpha: float = 0.05) -> TrendResult:
    """Trend of a series of equally spaced periods (oldest first), robust to outliers.

    Parameters
    ----------
    values : array-like
        One value per period, oldest first. NaNs (periods without a value) are dropped but
        keep their place in time: ``[1, nan, 3]`` has its values at times 0 and 2.
    alpha : float
        Level of the Mann–Kendall test; the slope interval has confidence ``1 − alpha``.

    Returns
    -------
    TrendResult

    Notes
    -----
    - Slope: Theil–Sen (median of the pairwise slopes, :func:`scipy.stats.theilslopes`), one
      outlier cannot flip it. Its interval (Sen's) is built from the normal approximation of
      Kendall's statistic, while the p-value is :func:`scipy.stats.kendalltau` (exact for small
      series without ties, tie-corrected normal approximation otherwise); in borderline cases
      the interval may include 0 with a significant p-value, or the reverse. The direction
      follows the p-value.
    - ``direction``: ``up``/``down`` only when ``p_value < alpha`` (by the sign of tau),
      ``flat`` otherwise (including a constant series: tau 0, p-value 1); None with a reason
      when fewer than 4 values are available. With exactly 4 values no series can reach
      ``p < 0.05`` (the smallest exact two-sided p-value is 2/24 ≈ 0.083), so 4 periods always
      read ``flat`` at the default level; 5 periods can (smallest p = 2/120).

    Examples
    --------
    >>> robust_trend([10, 12, 13, 15, 18, 19]).direction
    'up'
    """
    alpha = check_alpha(alpha)
    y = as_vector(values, "values")
    t = np.arange(y.size, dtype=float)
    keep = ~np.isnan(y)
    y, t = y[keep], t[keep]
    n = int(y.size)
    nan = float("nan")
    if n < MIN_POINTS:
        reason = f"fewer than {MIN_POINTS} values ({n})"
        return TrendResult(nan, nan, nan, nan, nan, n, None, reason)
    slope, _, low, high = stats.theilslopes(y, t, alpha=1 - alpha)
    if np.ptp(y) == 0:
        return TrendResult(0.0, 0.0, 0.0, 0.0, 1.0, n, "flat", "")
    res = stats.kendalltau(t, y)
    tau, p = float(res.statistic), float(res.pvalue)
    if p < alpha:
        direction = "up" if tau > 0 else "down"
    else:
        direction = "flat"
    return TrendResult(float(slope), float(low), float(high), tau, p, n, direction, "")
