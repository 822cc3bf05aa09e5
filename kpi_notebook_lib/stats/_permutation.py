"""Small-sample ratio-of-sums test: permutation p-value and the interval that inverts it.

Used by :func:`kpi_notebook_lib.stats.changes.ratio_of_sums` when a period has fewer than 30
units.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ratio_permutation"]

_LOG_TOL = 1e-7  # bisection stops when θ is known to a relative 1e-7
_MAX_LOG_RATIO = 30.0  # |log θ| beyond this: the interval is unbounded on that side


class _Shuffles:
    """Fixed random reassignments of the pooled units to the two periods.

    The same shuffles serve every tested ratio ``θ = R1 / R0``, so the p-value is a
    deterministic function of ``θ`` and all sums reduce to a few matrix products.
    """

    def __init__(self, num1, den1, num0, den0, rng, n_resamples):
        n1, n = num1.size, num1.size + num0.size
        order = np.argsort(rng.random((n_resamples, n)), axis=1)
        member = np.zeros((n_resamples, n))
        np.put_along_axis(member, order[:, :n1], 1.0, axis=1)
        self.from1 = member[:, :n1] @ num1  # current-period numerators landing in group 1
        self.from0 = member[:, n1:] @ num0
        den = np.concatenate([den1, den0])
        self.den_g1 = member @ den
        self.den_g0 = den.sum() - self.den_g1
        self.tot1, self.tot0 = num1.sum(), num0.sum()
        self.d1, self.d0 = den1.sum(), den0.sum()

    def p_value(self, theta: float) -> float:
        """Permutation p-value of "R1 = θ·R0" (current numerators divided by θ, then shuffled)."""
        obs = self.tot1 / theta / self.d1 - self.tot0 / self.d0
        g1 = self.from1 / theta + self.from0
        g0 = self.tot1 / theta + self.tot0 - g1
        with np.errstate(divide="ignore", invalid="ignore"):
            perm = g1 / self.den_g1 - g0 / self.den_g0  # NaN/inf when a group has no reach
        valid = np.isfinite(perm)
        tol = 1e-12 * max(abs(obs), abs(self.tot0 / self.d0), 1e-300)
        extreme = np.count_nonzero(np.abs(perm[valid]) >= abs(obs) - tol)
        return (1 + extreme) / (1 + np.count_nonzero(valid))


def _bound(sh: _Shuffles, theta_hat: float, alpha: float, up: bool) -> float:
    """Where the p-value falls below ``alpha`` on one side of ``theta_hat`` (log scale)."""
    # θ = 1 is checked first so that the interval excludes 1 exactly when p(1) < alpha
    inside = np.log(theta_hat)
    step = 1.0 if up else -1.0
    if (up and theta_hat < 1) or (not up and theta_hat > 1):
        if sh.p_value(1.0) < alpha:
            outside = 0.0
        else:
            inside, outside = 0.0, None
    else:
        outside = None
    if outside is None:
        width = 0.05
        while True:
            trial = inside + step * width
            if abs(trial) > _MAX_LOG_RATIO:
                return np.inf if up else 0.0
            if sh.p_value(float(np.exp(trial))) < alpha:
                outside = trial
                break
            inside, width = trial, 2 * width
    while abs(outside - inside) > _LOG_TOL:
        mid = (inside + outside) / 2
        if sh.p_value(float(np.exp(mid))) < alpha:
            outside = mid
        else:
            inside = mid
    return float(np.exp(inside))


def ratio_permutation(num1, den1, num0, den0, *, alpha, rng, n_resamples):
    """Permutation p-value of ``R1 = R0`` and the interval of ``R1 − R0`` that inverts it.

    Returns ``(p_value, ci_low, ci_high)``. The interval collects every ratio ``θ = R1/R0``
    that the same permutation test does not reject (a change multiplies every unit's
    numerator), mapped to differences as ``R0·(θ − 1)`` with the observed previous ratio ``R0``;
    it excludes 0 exactly when ``p_value < alpha``. It needs
    positive ratios and non-negative numerators; otherwise the interval is a seeded percentile
    bootstrap (which may disagree with the p-value near the threshold).
    """
    sh = _Shuffles(num1, den1, num0, den0, rng, n_resamples)
    p_value = sh.p_value(1.0)
    r1, r0 = num1.sum() / den1.sum(), num0.sum() / den0.sum()
    if r1 > 0 and r0 > 0 and (num1 >= 0).all() and (num0 >= 0).all():
        theta_hat = r1 / r0
        lo = r0 * (_bound(sh, theta_hat, alpha, up=False) - 1)
        hi = r0 * (_bound(sh, theta_hat, alpha, up=True) - 1)
        return float(p_value), float(lo), float(hi)
    b1 = rng.integers(0, num1.size, (n_resamples, num1.size))
    b0 = rng.integers(0, num0.size, (n_resamples, num0.size))
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = num1[b1].sum(1) / den1[b1].sum(1) - num0[b0].sum(1) / den0[b0].sum(1)
    boot = boot[np.isfinite(boot)]
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2]) if boot.size else (np.nan, np.nan)
    return float(p_value), float(lo), float(hi)
