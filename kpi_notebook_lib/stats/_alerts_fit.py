"""Robust building blocks of the alert baselines (machinery, no public API).

Every function takes a matrix of windows, one row per checked day: ``win[i, j]`` is the value
``W - j`` days before that day (``W = 7 × weeks``, NaN where there is no data). Because ``W`` is
a whole number of weeks, column ``j`` falls on the checked day's weekday exactly when
``j % 7 == 0``: reshaped to ``(n, weeks, 7)``, axis 1 is the week and class 0 of axis 2 is
"same weekday as the checked day". All rows are fitted at once with numpy.

Robustness comes from whole weeks: the level is the median of the weekly means and the
dispersion the median of the weekly dispersions (median-of-means), so a bad week (a bad buzz,
an outage) out of eight moves neither, and the values beyond the fitted model's 0.1 % tails
are winsorised before the weekday shape and the trend are estimated.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = [
    "cap_gamma",
    "clip_classes",
    "row_quantile",
    "trend_shift",
    "weekday_fit",
    "weekly_dispersion",
    "windows",
]

#: Winsorising limit, as a normal quantile (the model's 0.1 % tails).
CAP_Z = 3.09


def windows(values: np.ndarray, starts: np.ndarray, positions: np.ndarray, w: int) -> np.ndarray:
    """Windows of the ``w`` values before each of ``positions`` (NaN before ``starts``).

    Parameters
    ----------
    values : ndarray
        Several daily series laid end to end (float, NaN for no data).
    starts : ndarray
        Index in ``values`` of the first day of the series each position belongs to.
    positions : ndarray
        Indices of the checked days in ``values``.
    w : int
        Window length in days.
    """
    padded = np.concatenate([np.full(w, np.nan), values])
    view = np.lib.stride_tricks.sliding_window_view(padded, w)
    win = view[positions].copy()  # row i = values[p - w : p]
    before = (positions - w)[:, None] + np.arange(w)[None, :] < starts[:, None]
    win[before] = np.nan
    return win


def nan_quiet(func, *args, **kwargs):
    """Call a numpy nan-function without its all-NaN warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(*args, **kwargs)


def row_quantile(a: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` along the last axis, ignoring NaN (NaN when all are NaN).

    ``numpy.nanquantile`` loops in Python over rows that hold NaN; sorting once (NaN last) and
    interpolating between order statistics is the same linear rule, vectorised.
    """
    s = np.sort(a, axis=-1)
    n = np.sum(~np.isnan(a), axis=-1)
    pos = q * np.maximum(n - 1, 0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    v_lo = np.take_along_axis(s, lo[..., None], axis=-1)[..., 0]
    v_hi = np.take_along_axis(s, hi[..., None], axis=-1)[..., 0]
    return np.where(n > 0, v_lo + (pos - lo) * (v_hi - v_lo), np.nan)


def _weekly_means(y: np.ndarray, weeks: int) -> np.ndarray:
    """Mean of each week of the window (NaN for a week with fewer than 4 days of data)."""
    cube = y.reshape(len(y), weeks, 7)
    days = np.sum(~np.isnan(cube), axis=2)
    return np.where(days >= 4, np.nansum(cube, axis=2) / np.maximum(days, 1), np.nan)


def weekday_fit(
    y: np.ndarray, weeks: int, var_day: np.ndarray, *, multiplicative: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Level of each weekday: a robust average day plus shrunk weekday deviations.

    The average day ``m`` is the median of the weekly means (weekday effects cancel within a
    week). Each weekday's deviation from the weekday-balanced mean is shrunk by
    ``w_k = τ² / (τ² + s_k²)``: ``s_k² = var_day / n_k`` is the sampling variance of that
    weekday's mean, ``τ²`` the variance between weekdays left once that noise is removed
    (empirical Bayes, James–Stein positive part). A real Saturday peak is kept; weekday
    "effects" made of noise (0–3 events a day, or very dispersed counts) are not. Counts use
    relative deviations (``m × (1 + w_k (mean_k / balanced − 1))``, never negative), signed
    series absolute ones.

    Returns
    -------
    m : ndarray (n,)
        The average day.
    level : ndarray (n, 7)
        Fitted level of each weekday class (class 0: the checked day's weekday).
    weight : ndarray (n, 7)
        Shrinkage weights ``w_k``.
    nk : ndarray (n, 7)
        Days of data per weekday class.
    """
    cube = y.reshape(len(y), weeks, 7)
    nk = np.sum(~np.isnan(cube), axis=1)
    means = np.where(nk > 0, np.nansum(cube, axis=1) / np.maximum(nk, 1), np.nan)
    balanced = nan_quiet(np.nanmean, means, axis=1)
    m = row_quantile(_weekly_means(y, weeks), 0.5)
    m = np.where(np.isnan(m), balanced, m)
    if multiplicative:
        # a week of counts is skewed (about a gamma): its mean exceeds its median by about
        # var / (3 × mean) (Wilson–Hilferty), i.e. var_day / (21 m) for a mean of 7 days
        m = m + var_day / (21 * np.maximum(m, 1e-9))
    s2 = np.where(nk > 0, var_day[:, None] / np.maximum(nk, 1), np.inf)
    classes = np.maximum((nk > 0).sum(axis=1), 2)
    spread = np.nansum((means - balanced[:, None]) ** 2, axis=1) / (classes - 1)
    noise = np.where(nk > 0, s2, 0.0).sum(axis=1) / classes
    tau2 = np.maximum(spread - noise, 0.0)[:, None]
    weight = np.where(nk > 0, tau2 / np.maximum(tau2 + s2, 1e-300), 0.0)

    if multiplicative:
        rel = np.nan_to_num(means / np.where(balanced > 0, balanced, np.nan)[:, None] - 1.0)
        level = m[:, None] * (1.0 + weight * rel)
    else:
        level = m[:, None] + weight * np.nan_to_num(means - balanced[:, None])
    return m, level, weight, nk


def weekly_dispersion(
    y: np.ndarray, level: np.ndarray, scale: np.ndarray, params: np.ndarray, excess: np.ndarray
) -> np.ndarray:
    """Robust ratio of the residual variance to the current model's, ≥ 0.

    ``level`` and ``scale`` (the model's variance) are per weekday class, shape ``(n, 7)``.
    The ratio ``Σ (y − level)² / Σ scale`` is computed week by week and the median of the
    weeks is taken, corrected for the bias of a median of skewed variance estimates (each
    week's is about ``χ²_ν / ν``, whose median is ``(1 − 2/(9ν))³`` by Wilson–Hilferty, with
    ``ν`` lowered for heavy tails: ``excess`` is the excess kurtosis) and for the fitted
    parameters (``params``).
    """
    n_rows, w = y.shape
    cube = y.reshape(n_rows, w // 7, 7)
    ok = ~np.isnan(cube)
    n = ok.sum(axis=(1, 2))
    r2 = np.nansum((cube - level[:, None, :]) ** 2, axis=2)
    sc = np.einsum("nwk,nk->nw", ok.astype(float), scale)
    ratio = np.where(ok.sum(axis=2) >= 4, r2 / np.maximum(sc, 1e-12), np.nan)
    med = row_quantile(ratio, 0.5)
    df_share = np.maximum(n - params, 1.0) / np.maximum(n, 1)
    nu = np.maximum(7 * df_share * 2 / (2 + excess), 1.0)
    bias = (1 - 2 / (9 * nu)) ** 3
    return np.nan_to_num(med / bias / df_share, nan=1.0)


def cap_gamma(win: np.ndarray, mu: np.ndarray, var: np.ndarray) -> np.ndarray:
    """Winsorise counts at the model's 0.1 % tails (plus one event upwards).

    ``mu`` and ``var`` are per weekday class, shape ``(n, 7)`` (or ``(n, 1)``). The tails are
    those of a gamma distribution with the model's mean and variance (Wilson–Hilferty
    cube-root approximation): counts are skewed, and a symmetric ``mean ± k·sd`` would clip
    the legitimate high days of a dispersed series.
    """
    mu = np.maximum(mu, 1e-12)
    c = var / (9 * mu * mu)  # 1 / (9 × gamma shape)
    hi = mu * (1 - c + CAP_Z * np.sqrt(c)) ** 3 + 1.0
    lo = mu * np.maximum(1 - c - CAP_Z * np.sqrt(c), 0.0) ** 3
    return clip_classes(win, lo, hi)


def clip_classes(win: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Clip each weekday class of the windows between its limits (``(n, 7)`` or ``(n, 1)``)."""
    n_rows, w = win.shape
    cube = win.reshape(n_rows, w // 7, 7)
    return np.clip(cube, lo[:, None, :], hi[:, None, :]).reshape(n_rows, w)


def trend_shift(y: np.ndarray, weeks: int, var_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift of the level from the window's centre to the checked day, and its variance.

    Theil–Sen slope of the weekly means (median of the pairwise slopes: a bad week does not
    tilt it), shrunk towards 0 by ``b² / (b² + se²)`` with ``se²`` the least-squares variance
    from the model's day variance: a slow trend is followed instead of lagging four weeks
    behind, and noise is not extrapolated.
    """
    weekly = _weekly_means(y, weeks)
    i, j = np.triu_indices(weeks, k=1)
    slopes = (weekly[:, j] - weekly[:, i]) / (j - i)
    slope = np.nan_to_num(row_quantile(slopes, 0.5))
    ok = ~np.isnan(weekly)
    count = ok.sum(axis=1)
    u = np.broadcast_to(np.arange(weeks, dtype=float), weekly.shape)
    u_bar = np.where(ok, u, 0.0).sum(axis=1) / np.maximum(count, 1)
    sxx = (np.where(ok, u - u_bar[:, None], 0.0) ** 2).sum(axis=1)
    se2 = var_day / 7 / np.maximum(sxx, 1e-12)
    keep = np.where(count >= 3, slope**2 / np.maximum(slope**2 + se2, 1e-300), 0.0)
    delta = (weeks - 3 / 7) - u_bar  # the checked day, in weeks from the weeks' centre
    return keep * slope * delta, keep**2 * se2 * delta**2
