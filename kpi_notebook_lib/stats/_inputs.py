"""Input checks shared by the statistics modules: 1-D float arrays, NaN handling, counts."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import ParameterError

__all__ = ["as_counts", "as_total", "as_vector", "pairs"]


def as_vector(values: Any, name: str) -> np.ndarray:
    """``values`` as a 1-D float array (NaNs kept), or :class:`ParameterError`.

    ``None`` is read as an empty array (a period without data).
    """
    if values is None:
        return np.empty(0)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, values, "a 1-D array of numbers") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ParameterError(name, f"array of shape {arr.shape}", "a 1-D array of numbers")
    if np.isinf(arr).any():
        raise ParameterError(name, "an array containing infinity", "finite numbers or NaN")
    return arr


def pairs(num: Any, den: Any, num_name: str, den_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Two aligned unit arrays with every pair that has a NaN on either side dropped.

    Denominators must be non-negative; a unit with ``den == 0`` is kept (it still counts in the
    sums).
    """
    a = as_vector(num, num_name)
    b = as_vector(den, den_name)
    if a.shape != b.shape:
        raise ParameterError(
            den_name, f"{b.size} value(s)", f"as long as `{num_name}` ({a.size} value(s))"
        )
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    if (b < 0).any():
        raise ParameterError(den_name, float(b[b < 0][0]), "non-negative denominators")
    return a, b


def as_counts(values: Any, name: str) -> np.ndarray:
    """Daily counts without their NaNs; non-negative whole numbers or :class:`ParameterError`."""
    arr = as_vector(values, name)
    arr = arr[~np.isnan(arr)]
    bad = (arr < 0) | (np.abs(arr - np.round(arr)) > 1e-6)
    if bad.any():
        raise ParameterError(name, float(arr[bad][0]), "non-negative whole-number counts")
    return np.round(arr)


def as_total(value: Any, name: str) -> float:
    """A scalar total (an array-like is summed, NaNs ignored); NaN when missing."""
    if value is None:
        return float("nan")
    arr = as_vector(value, name)
    if arr.size == 0 or np.isnan(arr).all():
        return float("nan")
    total = float(np.nansum(arr))
    if total < 0:
        raise ParameterError(name, total, "a non-negative count")
    return total
