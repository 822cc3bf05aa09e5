"""The two baselines of :mod:`kpi_notebook_lib.stats.alerts` and their tail probabilities.

Machinery, no public API; see :mod:`kpi_notebook_lib.stats._alerts_fit` for the layout of the
window matrices and the robust building blocks.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from ._alerts_fit import (
    CAP_Z,
    cap_gamma,
    clip_classes,
    row_quantile,
    trend_shift,
    weekday_fit,
    weekly_dispersion,
)

__all__ = [
    "count_baseline",
    "count_tails",
    "evaluate",
    "signed_baseline",
    "signed_tails",
    "widen_for_estimation",
]

#: Refits after the robust start (each one with the caps of the previous fit).
REFITS = 2
#: Efficiency of the median of 8 weekly estimates against their mean (about 2/π): the
#: degrees of freedom of a median-of-weeks variance are this share of the days'.
MEDIAN_EFFICIENCY = 0.64


def _start(win: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Robust start without weekday effects: median, MAD (or mean absolute deviation of the
    closest 90 % when more than half of the days equal the median) and trimmed mean."""
    med = row_quantile(win, 0.5)
    dev = np.abs(win - med[:, None])
    mad = 1.4826 * row_quantile(dev, 0.5)
    close = dev <= row_quantile(dev, 0.9)[:, None]
    mean_abs = 1.2533 * np.where(close, dev, 0.0).sum(axis=1) / np.maximum(close.sum(axis=1), 1)
    q_lo, q_hi = row_quantile(win, 0.1), row_quantile(win, 0.9)
    inner = (win >= q_lo[:, None]) & (win <= q_hi[:, None])
    trimmed = np.where(inner, win, 0.0).sum(axis=1) / np.maximum(inner.sum(axis=1), 1)
    return med, np.where(mad > 0, mad, mean_abs), trimmed


def count_baseline(win: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected count, predictive negative-binomial ``alpha`` and its degrees of freedom.

    Robust start (median, trimmed mean, MAD) → winsorise → weekday levels (median of the
    weekly means, shrunk weekday deviations), dispersion from the median of the weekly
    dispersions → winsorise at that model's 0.1 % tails → refit (:data:`REFITS` times) →
    Theil–Sen trend to the checked day. The predictive ``alpha`` adds the error of the
    expected value (that of the weekday's own mean, without credit for the shrinkage, which
    trades variance for an unknown bias, plus the trend's) to the day's own variance.

    Returns
    -------
    expected, alpha, nu : ndarray
        Shape ``(n,)``; ``nu`` is the degrees of freedom of the variance (for
        :func:`widen_for_estimation`).
    """
    weeks = win.shape[1] // 7
    ok = ~np.isnan(win)
    n = ok.sum(axis=1)
    med, spread, trimmed = _start(win)
    mu0 = np.maximum(np.maximum(med, trimmed), 0.5 / np.maximum(n, 1))
    var0 = np.maximum(mu0, spread**2)
    alpha = (var0 - mu0) / (mu0 * mu0)
    y = cap_gamma(win, mu0[:, None], var0[:, None])
    m = mu0
    for step in range(REFITS + 2):
        m, level, weight, nk = weekday_fit(y, weeks, m + alpha * m * m, multiplicative=True)
        m = np.maximum(np.nan_to_num(m), 0.5 / np.maximum(n, 1))  # a count is never exactly 0
        level = np.maximum(level, m[:, None] * 1e-3)
        params = 1.0 + weight.sum(axis=1)
        excess = 6 * alpha + 1 / (m * (1 + alpha * m))
        model = level + alpha[:, None] * level * level
        ratio = weekly_dispersion(y, level, model, params, excess)
        mu_sum = (nk * level).sum(axis=1)
        mu2_sum = (nk * level * level).sum(axis=1)
        var_sum = ratio * (nk * model).sum(axis=1)
        alpha = np.maximum((var_sum - mu_sum) / np.maximum(mu2_sum, 1e-12), 0.0)
        if step <= REFITS:
            y = cap_gamma(win, level, level + alpha[:, None] * level * level)
    shift, var_shift = trend_shift(y, weeks, m + alpha * m * m)
    expected = level[:, 0] * np.maximum(1.0 + shift / m, 0.1)  # the trend scales the level
    var_own = expected + alpha * expected**2
    var_mean = var_own / np.maximum(nk[:, 0], 1) + var_shift * (level[:, 0] / m) ** 2
    var_pred = var_own + var_mean
    alpha_pred = np.maximum((var_pred - expected) / np.maximum(expected**2, 1e-12), 1e-9)
    # degrees of freedom of the variance (Satterthwaite: Var(s²) ≈ σ⁴ (κ − 1) / n, κ the NB
    # kurtosis, against 2σ⁴/ν for a χ²_ν variance), for a median of weeks
    excess = 6 * alpha + 1 / np.maximum(expected * (1 + alpha * expected), 1e-12)
    nu = MEDIAN_EFFICIENCY * 2 * (n - params) / (2 + excess)
    return expected, alpha_pred, np.maximum(nu, 4.0)


def widen_for_estimation(
    expected: np.ndarray, alpha: np.ndarray, nu: np.ndarray, tail: np.ndarray
) -> np.ndarray:
    """``alpha`` widened for the uncertainty of the estimated variance, at tail ``tail``.

    The variance beyond Poisson's (``alpha·mu²``, which also carries the error of the
    expected value) comes from a few weeks of days: plugging it in as if known gives too
    many alerts when it happens to be underestimated (the tail is convex in the variance).
    As a normal test with an estimated variance becomes a Student t test, that part is
    scaled by ``(t_ν⁻¹(1 − tail) / Φ⁻¹(1 − tail))²``; the Poisson part ``mu`` follows the
    expected value and is not widened, so low counts keep their power.
    """
    ratio = stats.t.isf(tail, nu) / stats.norm.isf(tail)
    return np.maximum(alpha * ratio**2, 1e-9)


def signed_baseline(win: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expected value, predictive scales (above, below) and degrees of freedom of each day.

    A z-score made robust as the counts' baseline: robust start (median, MAD), winsorising at
    ``±2·CAP_Z`` start scales, weekday levels (median of weekly means, shrunk deviations),
    residual variance from the median of the weekly variances, winsorising at the model's
    0.1 % tails, refits, Theil–Sen trend. Each weekday's variance is moderated half-way
    between its own residuals and the pooled variance (counts vary more on busy days: a
    Saturday peak of follows is also a noisier day). The scale is never below 0.5 (half a
    unit: the series are differences of counts). Rises and falls get their own scale, from
    the semi-variances of the residuals above and below (moderated half-way to the pooled
    variance): net gains are skewed towards the side of the larger of follows and unfollows.

    Returns
    -------
    expected, scale_up, scale_down, df : ndarray
        Shape ``(n,)``: the scale of rises and of falls, and the degrees of freedom of the
        scale, for :func:`signed_tails`.
    """
    n_rows, w = win.shape
    weeks = w // 7
    ok = ~np.isnan(win)
    n = ok.sum(axis=1)
    med, spread, _ = _start(win)
    sd = np.maximum(spread, 0.5)
    y = np.clip(win, (med - 2 * CAP_Z * sd)[:, None], (med + 2 * CAP_Z * sd)[:, None])
    for step in range(REFITS + 2):
        _, level, weight, nk = weekday_fit(y, weeks, sd * sd)
        fitted = np.tile(level, weeks)
        params = 1.0 + weight.sum(axis=1)
        model = np.broadcast_to((sd * sd)[:, None], level.shape)
        sd = sd * np.sqrt(weekly_dispersion(y, level, model, params, np.zeros(n_rows)))
        sd = np.maximum(sd, 0.5)
        resid = np.where(ok, y - fitted, 0.0)
        own = (resid**2).reshape(n_rows, weeks, 7).sum(axis=1) / np.maximum(nk - 1, 1)
        pooled = (sd * sd)[:, None]
        day_sd = np.maximum(np.sqrt(np.where(nk > 1, (own + pooled) / 2, pooled)), 0.5)
        if step <= REFITS:
            y = clip_classes(win, level - CAP_Z * day_sd, level + CAP_Z * day_sd)
    shift, var_shift = trend_shift(y, weeks, sd * sd)
    sd0 = day_sd[:, 0]
    # degrees of freedom: the weekday's own days count twice (half of its variance is
    # theirs), the pooled part is a median of weeks, and heavy tails make a variance less
    # certain (Satterthwaite, as for counts). The excess kurtosis comes from Moors' octile
    # measure, which one extreme day cannot ruin (1.233 for a normal, 1.584 for a Laplace
    # whose excess kurtosis is 3: excess ≈ 8.5 × (octile measure − 1.233)).
    res = np.where(ok, win - np.tile(level, weeks), np.nan)
    octile = [row_quantile(res, q / 8) for q in (1, 2, 3, 5, 6, 7)]
    e1, e2, e3, e5, e6, e7 = octile
    moors = ((e7 - e5) + (e3 - e1)) / np.maximum(e6 - e2, 1e-12)
    excess = np.clip(8.5 * (np.nan_to_num(moors, nan=1.233) - 1.233), 0.0, 6.0)
    own_df = np.minimum(2.0 * np.maximum(nk[:, 0] - 1, 1), MEDIAN_EFFICIENCY * (n - params))
    df = np.maximum(2 * own_df / (2 + excess), 4.0)
    scale = np.sqrt(sd0 * sd0 * (1.0 + 1.0 / np.maximum(nk[:, 0], 1)) + var_shift)
    # each side its own spread (semi-variances, moderated half-way to the pooled variance):
    # net gains are skewed towards the side of the larger of follows and unfollows
    above, below = resid > 0, resid < 0
    var_up = (np.where(above, resid, 0.0) ** 2).sum(axis=1) / np.maximum(above.sum(axis=1), 1)
    var_dn = (np.where(below, resid, 0.0) ** 2).sum(axis=1) / np.maximum(below.sum(axis=1), 1)
    pooled = np.maximum((resid**2).sum(axis=1) / np.maximum(n, 1), 1e-12)
    side_up = np.sqrt((np.where(above.any(axis=1), var_up / pooled, 1.0) + 1) / 2)
    side_dn = np.sqrt((np.where(below.any(axis=1), var_dn / pooled, 1.0) + 1) / 2)
    return level[:, 0] + shift, scale * side_up, scale * side_dn, df


def signed_tails(
    y: np.ndarray,
    expected: np.ndarray,
    scale_up: np.ndarray,
    scale_down: np.ndarray,
    df: np.ndarray,
    tail: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Upper and lower tail probabilities of ``y``, and the band at ``tail`` per side.

    Student t tails with each side's scale, widened for its estimation as for counts (t with
    ``df`` over the normal, at ``tail``); whole numbers get a continuity correction of half
    a unit towards the expected value.

    Returns
    -------
    up, down, low, high : ndarray
        ``P(Y ≥ y)``, ``P(Y ≤ y)`` and the acceptance band.
    """
    widen = stats.t.isf(tail, df) / stats.norm.isf(tail)
    whole = np.floor(y) == y
    half = np.where(whole, 0.5, 0.0)
    z_up = (y - half - expected) / (scale_up * widen)
    z_dn = (y + half - expected) / (scale_down * widen)
    up, down = stats.norm.sf(z_up), stats.norm.cdf(z_dn)
    q = stats.norm.isf(tail)
    high = expected + q * scale_up * widen + half
    low = expected - q * scale_down * widen - half
    return up, down, low, high


def count_tails(
    y: np.ndarray, expected: np.ndarray, alpha: np.ndarray, tail: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Negative-binomial ``P(Y ≥ y)``, ``P(Y ≤ y)`` and the band at ``tail`` per side.

    The band ``[low, high]`` holds the counts that do not alert: ``y > high`` exactly when
    ``P(Y ≥ y) ≤ tail``, ``y < low`` exactly when ``P(Y ≤ y) ≤ tail``.
    """
    size = 1.0 / alpha
    prob = 1.0 / (1.0 + alpha * expected)
    up = stats.nbinom.sf(np.ceil(y) - 1, size, prob)
    down = stats.nbinom.cdf(np.floor(y), size, prob)
    low = stats.nbinom.ppf(tail, size, prob)
    high = stats.nbinom.ppf(1 - tail, size, prob)
    return up, down, low, high


def evaluate(
    win: np.ndarray, y: np.ndarray, signed: np.ndarray, tail: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expected value, ``P(Y ≥ y)``, ``P(Y ≤ y)`` and band of each checked day.

    Count rows (``~signed``) use the negative-binomial baseline, the others the robust z.
    ``tail`` is the tail probability allowed on each side.
    """
    out = [np.full(len(y), np.nan) for _ in range(5)]
    expected, up, down, low, high = out
    c = ~signed
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # empty weeks, all-NaN rows
        if c.any():
            mu, alpha, nu = count_baseline(win[c])
            alpha = widen_for_estimation(mu, alpha, nu, tail[c])
            expected[c] = mu
            up[c], down[c], low[c], high[c] = count_tails(y[c], mu, alpha, tail[c])
        if signed.any():
            e, s_up, s_dn, dof = signed_baseline(win[signed])
            expected[signed] = e
            up[signed], down[signed], low[signed], high[signed] = signed_tails(
                y[signed], e, s_up, s_dn, dof, tail[signed]
            )
    return expected, up, down, low, high
