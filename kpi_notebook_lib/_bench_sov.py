"""Share of voice with confidence intervals (private; see :mod:`kpi_notebook_lib.benchmarks`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .exceptions import ParameterError

__all__ = ["SOV_METHODS", "share_interval", "sov_stats"]

#: Interval methods for shares of voice.
SOV_METHODS = ("wilson", "goodman")


def share_interval(
    counts: np.ndarray | Sequence, *, method: str = "wilson", alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence intervals of the shares ``counts / counts.sum(axis=-1)``.

    Parameters
    ----------
    counts : array-like
        Mention counts, brands on the last axis (any leading axes: periods, seeds…).
    method : {"wilson", "goodman"}
        ``wilson``: Wilson score interval of each brand's share on its own (binomial: the
        brand against all the others), coverage ``1 − alpha`` for each brand. ``goodman``:
        Goodman's (1965) simultaneous intervals for multinomial proportions (a Wilson-type
        interval at level ``1 − alpha / k`` for ``k`` brands, Bonferroni), so that all ``k``
        intervals hold together with probability at least ``1 − alpha``: wider, for reading
        a whole ranking at once.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    low, high : numpy.ndarray
        Same shape as ``counts``; NaN where the total is 0.
    """
    if method not in SOV_METHODS:
        raise ParameterError("method", method, f"one of {', '.join(SOV_METHODS)}")
    if not 0 < alpha < 1:
        raise ParameterError("alpha", alpha, "a number between 0 and 1, such as 0.05")
    x = np.asarray(counts, dtype=float)
    n = x.sum(axis=-1, keepdims=True)
    k = x.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            z2 = stats.norm.isf(alpha / 2) ** 2
            p = x / n
            den = 1 + z2 / n
            centre = (p + z2 / (2 * n)) / den
            half = np.sqrt(z2) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / den
            low, high = centre - half, centre + half
        else:
            a = stats.chi2.isf(alpha / k, 1)
            root = np.sqrt(a * (a + 4 * x * (n - x) / n))
            low = (a + 2 * x - root) / (2 * (n + a))
            high = (a + 2 * x + root) / (2 * (n + a))
    empty = np.broadcast_to(n == 0, x.shape)
    low = np.where(empty, np.nan, np.clip(low, 0, 1))
    high = np.where(empty, np.nan, np.clip(high, 0, 1))
    return low, high


def sov_stats(
    mentions: pd.DataFrame,
    pdays: pd.DataFrame,
    brands: Sequence[str],
    *,
    method: str,
    alpha: float,
) -> pd.DataFrame:
    """Share of voice per period, platform (and ``all``) and brand.

    Returns ``period, platform, brand, sov, sov_low, sov_high, sov_n`` where ``sov_n`` is the
    mentions of all tracked brands in the group (the denominator).
    """
    cols = ["period", "platform", "brand", "sov", "sov_low", "sov_high", "sov_n"]
    m = mentions[mentions["brand"].isin(list(brands))].merge(pdays, on="date")
    if m.empty:
        return pd.DataFrame(columns=cols)
    per_platform = m.groupby(["period", "platform", "brand"])["n"].sum()
    every = m.groupby(["period", "brand"])["n"].sum()
    every.index = pd.MultiIndex.from_arrays(
        [every.index.get_level_values(0), ["all"] * len(every), every.index.get_level_values(1)],
        names=["period", "platform", "brand"],
    )
    counts = pd.concat([per_platform, every]).unstack("brand").reindex(columns=list(brands))
    x = counts.fillna(0.0).to_numpy()
    low, high = share_interval(x, method=method, alpha=alpha)
    total = x.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, x / total, np.nan)
    idx = counts.index
    k = len(brands)
    return pd.DataFrame(
        {
            "period": np.repeat(idx.get_level_values("period"), k),
            "platform": np.repeat(idx.get_level_values("platform"), k),
            "brand": np.tile(np.asarray(list(brands), dtype=object), len(idx)),
            "sov": share.ravel(),
            "sov_low": low.ravel(),
            "sov_high": high.ravel(),
            "sov_n": np.repeat(total.ravel(), k),
        }
    )[cols]
