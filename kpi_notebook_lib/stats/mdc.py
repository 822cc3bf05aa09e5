"""Minimum detectable change (MDC) of a KPI at the current volumes.

The MDC answers "how large must a change be before the next period can show it?": the smallest
true change that the **next** period, with the same volume as the current one (same trials,
units or days), would call significant at level ``alpha`` with probability ``power``, using the
same test as :mod:`kpi_notebook_lib.stats.changes`. Changes smaller than the MDC are not
necessarily absent; they are just too small to be told apart from normal variation.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
from scipy import optimize, stats

from ..exceptions import ParameterError
from ._counts import DISPERSION_ALPHA, MIN_EVENTS, dispersion
from ._inputs import as_counts, as_total, as_vector, pairs
from ._result import check_alpha
from .changes import MIN_UNITS, STATISTICS, TESTS, ratio_variance

__all__ = ["MDC_METHODS", "minimum_detectable_change"]

#: Accepted ``method`` names (test names of :class:`ChangeResult` or function names).
MDC_METHODS = (
    "two_proportion",
    "ratio_of_sums",
    "count_rate",
    "poisson_rate",
    "negative_binomial_rate",
    "mean_values",
    "mann_whitney",
    "welch",
)

NAN = (float("nan"), float("nan"))


def _rel(abs_change: float, level: float) -> tuple[float, float]:
    rel = abs_change / abs(level) if level != 0 and np.isfinite(level) else float("nan")
    return float(abs_change), float(rel)


def _solve(power_of, target: float, hi: float) -> float:
    """Smallest ``delta`` in (0, hi] with ``power_of(delta) >= target`` (NaN if none)."""
    if not power_of(hi) >= target:
        return float("nan")
    return float(optimize.brentq(lambda d: power_of(d) - target, 1e-12 * hi, hi, xtol=1e-12))


def _two_proportion(alpha: float, power: float, x: Any, n: Any) -> tuple[float, float]:
    x, n = as_total(x, "x"), as_total(n, "n")
    if not n >= MIN_UNITS or np.isnan(x):
        return NAN
    p = x / n
    q = min(p, 1 - p)  # by symmetry, look at the direction with more room
    z = stats.norm.isf(alpha / 2)

    def power_of(delta: float) -> float:
        q1 = q + delta
        pbar = q + delta / 2
        se0 = np.sqrt(2 * pbar * (1 - pbar) / n)
        se1 = np.sqrt((q1 * (1 - q1) + q * (1 - q)) / n)
        return float(stats.norm.cdf((delta - z * se0) / se1))

    return _rel(_solve(power_of, power, 1 - q - 1e-12), p)


def _ratio_of_sums(alpha: float, power: float, num: Any, den: Any) -> tuple[float, float]:
    a, b = pairs(num, den, "num", "den")
    if a.size < MIN_UNITS or b.sum() == 0:
        return NAN
    r = a.sum() / b.sum()
    df = 2 * (a.size - 1)
    k = stats.t.isf(alpha / 2, df) + stats.t.ppf(power, df)
    v0 = ratio_variance(a, b)
    if r == 0 or v0 == 0:
        return _rel(k * np.sqrt(2 * v0), r)

    def margin(delta: float) -> float:
        # every unit's numerator scaled by (R + δ) / R: the next period's SE scales alike
        return delta - k * np.sqrt(v0 * (1 + (1 + delta / abs(r)) ** 2))

    if k * np.sqrt(v0) >= abs(r):  # noise grows with the change as fast as the change
        return NAN
    hi = k * np.sqrt(2 * v0)
    while margin(hi) < 0:
        hi *= 2
    return _rel(float(optimize.brentq(margin, 0.0, hi, xtol=1e-15)), r)


def _count_rate(
    alpha: float,
    power: float,
    counts: Any,
    days: int | None = None,
    dispersion_alpha: float = DISPERSION_ALPHA,
) -> tuple[float, float]:
    c = as_counts(counts, "counts")
    d = int(days) if days is not None else c.size
    if c.size == 0 or d < 1:
        return NAN
    m = c.mean()
    if 2 * m * d < MIN_EVENTS:
        return NAN
    phi, df, p_disp = dispersion(c)
    over = df >= 1 and p_disp < dispersion_alpha and phi > 1
    if over:
        size = m / (phi - 1)  # negative binomial: var = μ + μ² / size
        tdf = 2 * (d - 1)
        crit, zpow = stats.t.isf(alpha / 2, tdf), stats.t.ppf(power, tdf)
    else:
        size = np.inf
        crit, zpow = stats.norm.isf(alpha / 2), stats.norm.ppf(power)

    def margin(r: float) -> float:
        # next period at rate m (1 + r) against the current one at rate m, d days each;
        # π = share of the events in the next period, tested against ½
        n = d * m * (2 + r)
        pi1 = (1 + r) / (2 + r)
        phi0, phi1 = 1 + m / size, 1 + m * (1 + r) / size
        se0 = np.sqrt((phi0 + phi1) / 2 * 0.25 / n)  # the test's pooled dispersion
        se1 = np.sqrt(pi1 * (1 - pi1) * ((1 - pi1) * phi1 + pi1 * phi0) / n)
        return float((pi1 - 0.5) - crit * se0 - zpow * se1)

    hi = 1.0
    while margin(hi) < 0 and hi < 1e6:
        hi *= 4
    if margin(hi) < 0:
        return NAN
    r = float(optimize.brentq(margin, 0.0, hi, xtol=1e-12))
    return float(r * m * d), r


def _shift_for_rank_test(v: np.ndarray, target: float) -> float:
    """Smallest location shift ``δ`` with P(X + δ > X') + ½P(=) ≥ target (X, X' iid ~ v)."""
    s = np.sort(v)

    def prob(delta: float) -> float:
        t = s + delta
        less = np.searchsorted(s, t, side="left")
        leq = np.searchsorted(s, t, side="right")
        return float((less + 0.5 * (leq - less)).mean() / s.size)

    lo, hi = 0.0, float(np.ptp(s)) * 1.000001 + 1e-12
    if prob(hi) < target:
        return float("nan")
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if prob(mid) < target else (lo, mid)
    return hi


def _mean_values(
    alpha: float,
    power: float,
    values: Any,
    statistic: str = "mean",
    test: str = "mann_whitney",
) -> tuple[float, float]:
    if statistic not in STATISTICS:
        raise ParameterError("statistic", statistic, f"one of {', '.join(STATISTICS)}")
    if test not in TESTS:
        raise ParameterError("test", test, f"one of {', '.join(TESTS)}")
    v = as_vector(values, "values")
    v = v[~np.isnan(v)]
    if v.size < MIN_UNITS:
        return NAN
    level = float(np.mean(v) if statistic == "mean" else np.median(v))
    n = v.size
    if test == "welch":
        df = 2 * (n - 1)
        delta = (stats.t.isf(alpha / 2, df) + stats.t.ppf(power, df)) * v.std(ddof=1)
        return _rel(float(delta * np.sqrt(2 / n)), level)
    # Noether (1987): with n per group, P(X' > X) must exceed ½ by (z_α/2 + z_power) / √(6n)
    target = 0.5 + (stats.norm.isf(alpha / 2) + stats.norm.ppf(power)) / np.sqrt(6 * n)
    if target >= 1:
        return NAN
    return _rel(_shift_for_rank_test(v, target), level)


def minimum_detectable_change(
    method: str, *, alpha: float = 0.05, power: float = 0.8, **data: Any
) -> tuple[float, float]:
    """Minimum detectable change of a KPI, absolute and relative to its current level.

    Parameters
    ----------
    method : str
        Test that will be used, one of :data:`MDC_METHODS`. ``mean_values`` takes the test
        from ``data["test"]`` (``mann_whitney`` by default).
    alpha : float
        Level of the two-sided test.
    power : float
        Probability of detecting a true change of exactly the MDC.
    **data
        The current period's data, by method:

        - ``two_proportion``: ``x`` (successes), ``n`` (trials);
        - ``ratio_of_sums``: ``num``, ``den`` (unit arrays);
        - ``count_rate`` / ``poisson_rate`` / ``negative_binomial_rate``: ``counts`` (daily
          counts), optional ``days`` (length of the next period, default ``len(counts)``);
        - ``mann_whitney`` / ``welch`` / ``mean_values``: ``values``, optional ``statistic``
          (``mean`` or ``median``).

    Returns
    -------
    tuple of float
        ``(absolute, relative)``: the change in the KPI's unit before scaling (proportion units
        for two_proportion, ratio units for ratio_of_sums, the change of the period total for
        count_rate, the change of the mean or median for mean values) and the same divided by
        the current level (NaN when the level is 0). ``(nan, nan)`` when the minimum-data rule
        of the test fails.

    Notes
    -----
    - two_proportion: pooled z-test power formula with ``n`` trials per period and the current
      share as baseline, solved for the change (towards 50 %, the direction with more room).
    - ratio_of_sums: ``δ = (t_{1−α/2} + t_power) · √(SE² + SE'²)`` with the cluster-robust SE
      of the current ratio, ``2(n − 1)`` degrees of freedom, and the next period's ``SE'``
      scaled by ``(R + δ) / R`` (a change multiplies every unit's numerator). The same
      approximation is used for small periods, where the test is a permutation test.
    - count_rate: the conditional rate test of :func:`count_rate`, solved for the rate change;
      absolute = change of the period total. When the same pre-test finds over-dispersion the
      days are taken as negative binomial (``var = μ + μ²/size``, ``size`` from the current
      Pearson dispersion), so the next period's dispersion grows with its rate.
    - welch: ``(t_{1−α/2} + t_power) · s · √(2/n)``. mann_whitney: the location shift of the
      current values that moves P(next > current) to ½ + (z_{1−α/2} + z_power)/√(6n)
      (Noether's formula); with ``statistic="median"`` the same shift moves the median.

    Examples
    --------
    >>> abs_mdc, rel_mdc = minimum_detectable_change("two_proportion", x=300, n=1000)
    >>> round(abs_mdc, 3), round(rel_mdc, 2)  # 5.9 points, i.e. 20 % of a 30 % share
    (0.059, 0.2)
    """
    alpha = check_alpha(alpha)
    power = check_alpha(power, "power")
    if method not in MDC_METHODS:
        raise ParameterError("method", method, f"one of {', '.join(MDC_METHODS)}")
    data = dict(data)
    if method == "two_proportion":
        fn = _two_proportion
    elif method == "ratio_of_sums":
        fn = _ratio_of_sums
    elif method in ("count_rate", "poisson_rate", "negative_binomial_rate"):
        fn = _count_rate
    else:
        fn = _mean_values
        data["test"] = data.get("test", "mann_whitney") if method == "mean_values" else method
    try:
        inspect.signature(fn).bind(alpha, power, **data)
    except TypeError:  # a missing or unexpected keyword
        raise ParameterError("data", sorted(data), f"the data keywords of `{method}`") from None
    return fn(alpha, power, **data)
