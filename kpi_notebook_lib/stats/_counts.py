"""Change of a daily count (mentions, impressions, followers gained…) between two periods.

Re-exported by :mod:`kpi_notebook_lib.stats.changes`; kept apart only to keep modules short.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from ._inputs import as_counts
from ._result import ChangeResult, check_alpha, make_result, too_little_data

__all__ = ["MIN_EVENTS", "count_rate", "dispersion"]

#: Fewer events than this in the two periods together → ``too_little_data``.
MIN_EVENTS = 10
#: Level of the over-dispersion pre-test (lenient on purpose, see :func:`count_rate`).
DISPERSION_ALPHA = 0.1


def dispersion(*periods: np.ndarray) -> tuple[float, int, float]:
    """Pooled Pearson dispersion of daily counts around each period's own mean.

    Returns
    -------
    phi : float
        ``Σ (c − mean_k)² / mean_k / df`` (1 for Poisson counts; NaN when ``df < 1``).
    df : int
        Days minus one per period.
    p_value : float
        Upper-tail χ²(df) p-value of the Pearson statistic (small = over-dispersed).
    """
    pearson, df = 0.0, 0
    for c in periods:
        if c.size == 0:
            continue
        df += c.size - 1
        m = c.mean()
        if m > 0:
            pearson += float(((c - m) ** 2).sum() / m)
    if df < 1:
        return float("nan"), df, float("nan")
    return pearson / df, df, float(special.chdtrc(df, pearson))


def _wilson(p: float, n_eff: float, c: float) -> tuple[float, float]:
    den = 1 + c * c / n_eff
    centre = (p + c * c / (2 * n_eff)) / den
    half = c * np.sqrt(p * (1 - p) / n_eff + c * c / (4 * n_eff * n_eff)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def count_rate(
    counts1: Any,
    counts0: Any,
    *,
    alpha: float = 0.05,
    dispersion_alpha: float = DISPERSION_ALPHA,
) -> ChangeResult:
    """Change of a count KPI from its daily counts, tested on the daily **rate**.

    A 31-day month against a 30-day month is not a rise by itself: the test compares counts per
    day. Days with NaN are dropped (they count as no exposure).

    Parameters
    ----------
    counts1, counts0 : array-like
        One count per day of the current and previous period (lengths may differ).
        Non-negative whole numbers, else :class:`~kpi_notebook_lib.exceptions.ParameterError`.
    alpha : float
        Level of the two-sided test; the interval has confidence ``1 − alpha``.
    dispersion_alpha : float
        Level of the over-dispersion pre-test.

    Returns
    -------
    ChangeResult
        ``estimate = Σcounts1 − Σcounts0`` (raw change of the totals, as shown in reports);
        effect ``log_rate_ratio = log(rate1 / rate0)`` (0.5 added to both totals when one is 0).

    Notes
    -----
    Everything is conditional on the total ``N = X1 + X0`` of the two periods: the share
    ``π = X1 / N`` of the events that fall in the current period is, with no change of rate,
    ``π0 = d1 / (d1 + d0)`` (``d`` = days).

    - Over-dispersion: the pooled Pearson statistic of the daily counts around each period's
      mean is compared with χ²(d1 + d0 − 2). Social data often vary more from day to day than a
      Poisson process (weekdays, posts that go viral); a lenient pre-test level (0.1) limits
      how often mildly over-dispersed data are wrongly tested as Poisson.
    - Not over-dispersed (method ``poisson_rate``): exact conditional binomial test of
      ``X1 ~ Binomial(N, π0)``, p-value = twice the smaller tail, interval of π by
      Clopper–Pearson. This p-value is the exact inversion of that interval: they always agree.
    - Over-dispersed (method ``negative_binomial_rate``, quasi-Poisson): variance ``φ·mean``
      with ``φ`` the pooled Pearson dispersion (at least 1); score test
      ``(π̂ − π0) / √(φ π0 (1 − π0) / N)`` against Student's t with d1 + d0 − 2 degrees of
      freedom; interval of π by inverting that same test (Wilson form with ``N / φ``
      effective events): they always agree.
    - Interval of the estimate: the change of the current total against the previous total
      as observed, ``X0 (π / (1 − π) − 1)`` (``π / (1 − π)`` is the ratio of the totals), so
      the interval of π maps to an interval of the change that never goes below ``−X0``
      (a count cannot fall by more than 100 %) and holds the estimate ``X1 − X0``. With
      periods of equal length the no-change value is 0; with unequal lengths it is
      ``X0 (d1 − d0) / d0`` (what the extra days alone bring), and the interval excludes
      *that* value exactly when the verdict is rise/fall. A 31-vs-30-day interval may thus
      exclude 0 with a ``noise`` verdict. With ``X0 = 0`` the change is mapped as
      ``N (2π − 1)``.
    - rise/fall is the direction of the daily rate; with periods of unequal length it can
      (rarely) differ from the sign of the change of the totals.
    - ``too_little_data`` when a period has no days, or the two periods together have fewer
      than 10 events (all-zero counts included). With fewer than 3 days in total the
      dispersion cannot be checked and the Poisson test is used.
    """
    alpha = check_alpha(alpha)
    dispersion_alpha = check_alpha(dispersion_alpha, "dispersion_alpha")
    c1 = as_counts(counts1, "counts1")
    c0 = as_counts(counts0, "counts0")
    d1, d0 = c1.size, c0.size
    x1, x0 = float(c1.sum()), float(c0.sum())
    if d0 == 0:
        return too_little_data("no days in the previous period", effect_name="log_rate_ratio")
    if d1 == 0:
        return too_little_data("no days in the current period", effect_name="log_rate_ratio")
    n = x1 + x0
    if n < MIN_EVENTS:
        return too_little_data(
            f"fewer than {MIN_EVENTS} events in the two periods together",
            estimate=x1 - x0,
            effect_name="log_rate_ratio",
        )
    pi0 = d1 / (d1 + d0)
    phi, df, p_disp = dispersion(c1, c0)
    over = df >= 1 and p_disp < dispersion_alpha
    if not over:
        method = "poisson_rate"
        k = int(x1)
        # binomial tails and Clopper–Pearson bounds (beta quantiles), via scipy.special for speed
        lower = special.bdtr(k, int(n), pi0)  # P(X ≤ k)
        upper = special.bdtrc(k - 1, int(n), pi0) if k > 0 else 1.0  # P(X ≥ k)
        p_value = min(1.0, 2 * min(lower, upper))
        lo = float(special.betaincinv(k, n - k + 1, alpha / 2)) if k > 0 else 0.0
        hi = float(special.betaincinv(k + 1, n - k, 1 - alpha / 2)) if k < n else 1.0
    else:
        method = "negative_binomial_rate"
        phi = max(phi, 1.0)
        pi_hat = x1 / n
        t = (pi_hat - pi0) / np.sqrt(phi * pi0 * (1 - pi0) / n)
        p_value = float(2 * special.stdtr(df, -abs(t)))
        lo, hi = _wilson(pi_hat, n / phi, float(special.stdtrit(df, 1 - alpha / 2)))
    a1, a0 = (x1, x0) if x1 > 0 and x0 > 0 else (x1 + 0.5, x0 + 0.5)
    return make_result(
        method,
        estimate=x1 - x0,
        ci_low=_change_of_totals(lo, x0, n),
        ci_high=_change_of_totals(hi, x0, n),
        p_value=p_value,
        effect_size=np.log((a1 / d1) / (a0 / d0)),
        effect_name="log_rate_ratio",
        alpha=alpha,
        direction=x1 / n - pi0,
    )


def _change_of_totals(pi: float, x0: float, n: float) -> float:
    """The change of the current total when a share ``pi`` of the ``n`` events falls in the
    current period, the previous total ``x0`` held as observed (``n (2 pi - 1)`` when it is
    0)."""
    if x0 <= 0:
        return n * (2 * pi - 1)
    return x0 * (pi / (1 - pi) - 1) if pi < 1 else float("inf")
