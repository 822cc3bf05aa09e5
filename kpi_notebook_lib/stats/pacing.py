"""Pacing: where will a KPI end the period, and how likely is it to reach its target?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..exceptions import ParameterError
from ._inputs import as_vector, pairs
from ._result import check_alpha
from .changes import ratio_variance

__all__ = ["MIN_ELAPSED", "PaceResult", "pace_ratio", "pace_sum"]

#: Fewer elapsed days (pace_sum) or units (pace_ratio) than this → "too early in the period".
MIN_ELAPSED = 3
#: Monte-Carlo draws of pace_sum.
N_DRAWS = 20_000
TOO_EARLY = "too early in the period"


@dataclass(frozen=True)
class PaceResult:
    """Projection of a KPI to the end of its period.

    Attributes
    ----------
    projected : float
        Expected end-of-period value (NaN when too early).
    low, high : float
        Prediction interval of the end-of-period value at the requested ``level``.
    probability : float
        Probability of reaching the target (``≥`` when higher is better, ``≤`` otherwise);
        NaN without a target.
    elapsed : int
        Days (pace_sum) or units (pace_ratio) so far.
    total : int
        Days or units in the whole period.
    target : float
        The target (NaN when none).
    reason : str
        Why nothing is projected (e.g. "too early in the period"), else ``""``.
    """

    projected: float
    low: float
    high: float
    probability: float
    elapsed: int
    total: int
    target: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


def _check(total: Any, name: str, elapsed: int, target: Any, level: float):
    level = check_alpha(level, "level")
    try:
        total_i = int(total)
    except (TypeError, ValueError):
        raise ParameterError(name, total, "a whole number") from None
    if total_i != total or total_i < max(elapsed, 1):
        raise ParameterError(name, total, f"a whole number of at least {max(elapsed, 1)}")
    tgt = float("nan") if target is None else float(target)
    return total_i, tgt, level


def _reach(totals: np.ndarray | float, target: float, higher_is_better: bool) -> float:
    if np.isnan(target):
        return float("nan")
    hit = np.asarray(totals) >= target if higher_is_better else np.asarray(totals) <= target
    return float(np.mean(hit))


def pace_sum(
    daily_so_far: Any,
    *,
    days_total: int,
    target: float | None,
    higher_is_better: bool = True,
    level: float = 0.8,
    seed: int = 0,
    n_draws: int = N_DRAWS,
) -> PaceResult:
    """Projected end-of-period total of a count or sum KPI (e.g. leads in a month).

    Parameters
    ----------
    daily_so_far : array-like
        One value per elapsed day, oldest first. NaN days (no data yet) are not used for the
        rate and are projected like the remaining days.
    days_total : int
        Days in the whole period.
    target : float or None
        Target of the period total.
    higher_is_better : bool
        Whether reaching the target means ``total ≥ target`` (True) or ``total ≤ target``.
    level : float
        Coverage of the prediction interval.
    seed : int
        Seed of the Monte-Carlo draws (deterministic output).
    n_draws : int
        Number of Monte-Carlo draws.

    Returns
    -------
    PaceResult
        ``projected = so far + remaining days × mean daily value``.

    Notes
    -----
    - Counts (non-negative whole numbers): the daily rate is uncertain (Gamma distribution with
      the information of the elapsed days) and days vary around it by more than Poisson noise
      when over-dispersed (negative binomial with the Pearson dispersion ``var / mean`` of the
      elapsed days, at least 1). The remaining total is drawn from that mixture.
    - Other sums (revenue, net follower change, which can be negative): normal model,
      remaining total ~ ``R·mean + t_{m−1} · s · √(R + R²/m)`` (R remaining, m observed days).
    - The day-of-week pattern is not modelled: it averages out over a month but widens
      the interval a little (a conservative interval).
    - Fewer than 3 observed days: projected NaN, reason "too early in the period". On the last
      day the interval collapses to the realised total and the probability is 0 or 1.

    Examples
    --------
    Year-to-date pacing of an annual target is the same call with the year as period, e.g. on
    10 February (41 days elapsed) of a 365-day year:

    >>> leads = [3, 5, 2, 4, 6] * 8 + [4]
    >>> r = pace_sum(leads, days_total=365, target=1500)
    >>> r.projected, r.elapsed, r.total
    (1460.0, 41, 365)
    """
    y = as_vector(daily_so_far, "daily_so_far")
    total, target, level = _check(days_total, "days_total", y.size, target, level)
    obs = y[~np.isnan(y)]
    m = obs.size
    if m < MIN_ELAPSED:
        nan = float("nan")
        return PaceResult(nan, nan, nan, nan, int(y.size), total, target, TOO_EARLY)
    s = float(obs.sum())
    rem = total - m
    mean = s / m
    projected = s + rem * mean
    if rem == 0:
        return PaceResult(s, s, s, _reach(s, target, higher_is_better), m, total, target, "")
    rng = np.random.default_rng(seed)
    counts = (obs >= 0).all() and np.allclose(obs, np.round(obs))
    if counts:
        phi = max(1.0, float(obs.var(ddof=1) / mean)) if mean > 0 else 1.0
        lam = rng.gamma(shape=s / phi + 0.5, scale=phi / m, size=int(n_draws))
        mu = rem * lam
        if phi > 1.0:
            future = rng.negative_binomial(np.maximum(mu / (phi - 1), 1e-12), 1 / phi)
        else:
            future = rng.poisson(mu)
    else:
        sd = float(obs.std(ddof=1)) * np.sqrt(rem + rem * rem / m)
        future = rem * mean + sd * rng.standard_t(m - 1, size=int(n_draws))
    totals = s + future
    low, high = np.quantile(totals, [(1 - level) / 2, (1 + level) / 2])
    prob = _reach(totals, target, higher_is_better)
    return PaceResult(projected, float(low), float(high), prob, int(y.size), total, target, "")


def pace_ratio(
    num_so_far: Any,
    den_so_far: Any,
    *,
    units_total: int,
    target: float | None,
    higher_is_better: bool = True,
    level: float = 0.8,
    seed: int = 0,
) -> PaceResult:
    """Projected end-of-period value of a ratio KPI (e.g. engagement rate over posts).

    Parameters
    ----------
    num_so_far, den_so_far : array-like
        Numerator and denominator of each unit (post, mention, day) so far; NaN pairs dropped.
    units_total : int
        Units expected in the whole period (e.g. posts planned).
    target : float or None
        Target of the ratio.
    higher_is_better : bool
        Whether reaching the target means ``ratio ≥ target``.
    level : float
        Coverage of the prediction interval.
    seed : int
        Accepted for symmetry with :func:`pace_sum`; the interval is analytic.

    Returns
    -------
    PaceResult
        ``projected`` = current ratio Σnum / Σden.

    Notes
    -----
    The remaining ``k`` units are a fresh sample of the same population. With ``n`` units so
    far and mean denominator ``x̄``, the final ratio differs from the current one by
    ``w (R_rest − R_now)`` with ``w = k x̄ / (Σden + k x̄)`` and
    ``Var(R_rest − R_now) = V (1 + n/k)``, ``V`` the cluster-robust variance of the current
    ratio (:func:`~kpi_notebook_lib.stats.changes.ratio_variance`): the interval (Student's t,
    n − 1 degrees of freedom) shrinks to 0 as the last unit is reached. With heavy-tailed
    units (a few posts carry most of the reach) the interval is still somewhat too narrow early
    in the period. Fewer than 3 units so far: "too early in the period".
    """
    del seed  # analytic interval
    a, b = pairs(num_so_far, den_so_far, "num_so_far", "den_so_far")
    n = a.size
    total, target, level = _check(units_total, "units_total", n, target, level)
    nan = float("nan")
    if n < MIN_ELAPSED:
        return PaceResult(nan, nan, nan, nan, n, total, target, TOO_EARLY)
    if b.sum() == 0:
        return PaceResult(nan, nan, nan, nan, n, total, target, "zero denominator so far")
    r = float(a.sum() / b.sum())
    k = total - n
    if k == 0:
        return PaceResult(r, r, r, _reach(r, target, higher_is_better), n, total, target, "")
    xbar = float(b.mean())
    w = k * xbar / (b.sum() + k * xbar)
    sd = w * np.sqrt(ratio_variance(a, b) * (1 + n / k))
    dist = stats.t(n - 1, loc=r, scale=sd) if sd > 0 else None
    if dist is None:
        low = high = r
        prob = _reach(r, target, higher_is_better)
    else:
        low, high = dist.ppf([(1 - level) / 2, (1 + level) / 2])
        if np.isnan(target):
            prob = nan
        else:
            prob = float(dist.sf(target) if higher_is_better else dist.cdf(target))
    return PaceResult(r, float(low), float(high), prob, n, total, target, "")
