"""The result of a change test and the one rule that turns it into a verdict.

Every change test of :mod:`kpi_notebook_lib.stats` returns a :class:`ChangeResult`, built
either by :func:`make_result` (a test was run) or by :func:`too_little_data` (a minimum-data rule of
the method failed). The verdict is decided here and nowhere else:

- ``too_little_data`` when a minimum-data rule fails (each test documents its rules);
- ``rise`` / ``fall`` when ``p_value < alpha``, by the sign of ``estimate``;
- ``noise`` otherwise: the change is within normal variation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..exceptions import ParameterError

__all__ = ["VERDICTS", "ChangeResult", "check_alpha", "decide", "make_result", "too_little_data"]

#: The four verdicts; ``noise`` means "within normal variation".
VERDICTS = ("rise", "fall", "noise", "too_little_data")

NAN = float("nan")


@dataclass(frozen=True)
class ChangeResult:
    """Outcome of one period-over-period change test.

    Attributes
    ----------
    method : str
        ``two_proportion``, ``ratio_of_sums``, ``poisson_rate``, ``negative_binomial_rate``,
        ``mann_whitney``, ``welch``, or ``none`` when no test could be run.
    estimate : float
        Current − previous, in the KPI's unit before scaling (NaN when not computable).
    ci_low, ci_high : float
        Confidence interval of ``estimate`` at level ``1 − alpha`` (NaN when not computed).
    p_value : float
        Two-sided p-value (NaN when not tested).
    effect_size : float
        Standardised effect, named by ``effect_name``.
    effect_name : str
        ``cohen_h``, ``relative_change``, ``log_rate_ratio``, ``rank_biserial`` or
        ``cohen_d``.
    verdict : str
        One of :data:`VERDICTS`.
    reason : str
        Short English reason when the verdict is ``too_little_data``, else ``""``.
    """

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    effect_size: float
    effect_name: str
    verdict: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (one row of a long-form table)."""
        return asdict(self)


def check_alpha(alpha: float, name: str = "alpha") -> float:
    """``alpha`` as a float in (0, 1), or :class:`ParameterError`."""
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise ParameterError(name, alpha, "a number strictly between 0 and 1") from None
    if not 0.0 < a < 1.0:
        raise ParameterError(name, alpha, "a number strictly between 0 and 1")
    return a


def decide(p_value: float, estimate: float, alpha: float) -> str:
    """The verdict of a test that was run: ``rise``/``fall`` when ``p_value < alpha``, else
    ``noise``.

    A significant p-value with a zero or NaN estimate (possible only in degenerate inputs) is
    reported as ``noise``: there is no direction to name.
    """
    if not np.isfinite(p_value) or not p_value < alpha:
        return "noise"
    if estimate > 0:
        return "rise"
    if estimate < 0:
        return "fall"
    return "noise"


def make_result(
    method: str,
    *,
    estimate: float,
    ci_low: float,
    ci_high: float,
    p_value: float,
    effect_size: float,
    effect_name: str,
    alpha: float,
    direction: float | None = None,
) -> ChangeResult:
    """A :class:`ChangeResult` for a test that was run; the verdict follows :func:`decide`.

    ``direction`` is the signed quantity that was tested when it is not ``estimate`` itself
    (count_rate tests the daily rate while ``estimate`` is the change of the totals).
    """
    p = float(p_value)
    if np.isfinite(p):
        p = min(max(p, 0.0), 1.0)
    return ChangeResult(
        method=method,
        estimate=float(estimate),
        ci_low=float(ci_low),
        ci_high=float(ci_high),
        p_value=p,
        effect_size=float(effect_size),
        effect_name=effect_name,
        verdict=decide(p, float(estimate if direction is None else direction), alpha),
        reason="",
    )


def too_little_data(reason: str, *, estimate: float = NAN, effect_name: str = "") -> ChangeResult:
    """A :class:`ChangeResult` for a change that could not be tested (method ``none``).

    ``estimate`` is kept when it can be computed (e.g. two tiny periods), so a report can still
    show the raw change next to the reason.
    """
    return ChangeResult(
        method="none",
        estimate=float(estimate),
        ci_low=NAN,
        ci_high=NAN,
        p_value=NAN,
        effect_size=NAN,
        effect_name=effect_name,
        verdict="too_little_data",
        reason=reason,
    )
