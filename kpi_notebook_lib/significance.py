"""Is a KPI's change real? One significance test per KPI × platform, on the KPI's units.

Each KPI of the catalog says how its change is tested (its ``test`` entry, see
:class:`kpi_notebook_lib.catalog.TestSpec`): a two-proportion test for shares of mentions, a
cluster-robust ratio-of-sums test for rates over posts (engagement rate, CTR), a Poisson or
negative-binomial rate test for daily counts (impressions, mentions, followers gained),
Mann–Whitney for per-post or per-mention values. The tests themselves live in
:mod:`kpi_notebook_lib.stats`; this module feeds them the units of the two periods
(:func:`kpi_notebook_lib.units.unit_tables`) and puts the results in the KPI's unit.

The verdict is one of ``rise``, ``fall``, ``noise`` (within normal variation) and
``too_little_data`` (NA for KPIs that are not tested, e.g. a level such as followers, with the
reason in ``verdict_reason``); reports never call a ``noise`` change a rise or a fall. A change
is a rise or a fall only when the p-value is below ``alpha`` **and** the confidence interval
excludes no change (for Mann–Whitney, whose interval is a bootstrap of the mean, the two can
disagree; the verdict then stays ``noise``). ``mdc`` is the
minimum detectable change: the smallest change the next period could reliably show at the
current volumes (level ``alpha``, power ``power``), in the KPI's unit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .catalog import KPI, TestSpec
from .stats import (
    count_rate,
    mean_values,
    minimum_detectable_change,
    ratio_of_sums,
    two_proportion,
)
from .units import UnitSplit

__all__ = ["SIGNIFICANCE_COLUMNS", "change_tests"]

#: Columns added to a comparison table by :func:`change_tests`.
SIGNIFICANCE_COLUMNS = [
    "verdict",
    "p_value",
    "ci_low",
    "ci_high",
    "effect_size",
    "effect_name",
    "test_method",
    "verdict_reason",
    "mdc",
    "mdc_pct",
    "ci_level",
]


def _arrays(units: UnitSplit, period: str, platform: str, spec: TestSpec) -> dict:
    """The unit columns ``spec`` needs, for one period and platform (NaN pairs dropped)."""
    u = units.get(period, platform)
    if spec.kind in ("proportion", "ratio"):
        num = pd.to_numeric(u[spec.num], errors="coerce").to_numpy(dtype=float)
        den = pd.to_numeric(u[spec.den], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(num) & ~np.isnan(den)
        if spec.kind == "proportion":
            return {"x": float(num[ok].sum()), "n": float(den[ok].sum())}
        return {"num": num[ok], "den": den[ok]}
    if spec.value:
        v = pd.to_numeric(u[spec.value], errors="coerce").to_numpy(dtype=float)
    else:
        num = pd.to_numeric(u[spec.num], errors="coerce").to_numpy(dtype=float)
        den = pd.to_numeric(u[spec.den], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(den > 0, num / den, np.nan)
    return {"values": v[~np.isnan(v)]}


def _test(spec: TestSpec, cur: dict, base: dict, alpha: float):
    """The change test of ``spec`` on the units of the two periods (before scaling)."""
    if spec.kind == "proportion":
        return two_proportion(cur["x"], cur["n"], base["x"], base["n"], alpha=alpha)
    if spec.kind == "ratio":
        return ratio_of_sums(cur["num"], cur["den"], base["num"], base["den"], alpha=alpha)
    if spec.kind == "count":
        return count_rate(cur["values"], base["values"], alpha=alpha)
    return mean_values(
        cur["values"], base["values"], alpha=alpha, statistic=spec.statistic, test=spec.method
    )


def _mdc(spec: TestSpec, cur: dict, alpha: float, power: float) -> tuple[float, float]:
    """Minimum detectable change with the same test, from the current period's units."""
    if spec.kind == "proportion":
        method, data = "two_proportion", {"x": cur["x"], "n": cur["n"]}
    elif spec.kind == "ratio":
        method, data = "ratio_of_sums", {"num": cur["num"], "den": cur["den"]}
    elif spec.kind == "count":
        method, data = "count_rate", {"counts": cur["values"]}
    else:
        method, data = spec.method, {"values": cur["values"], "statistic": spec.statistic}
    return minimum_detectable_change(method, alpha=alpha, power=power, **data)


def change_tests(
    units: dict[str, pd.DataFrame],
    comparison: pd.DataFrame,
    *,
    kpis: Sequence[KPI],
    alpha: float = 0.05,
    power: float = 0.8,
) -> pd.DataFrame:
    """Test the change of every KPI × platform of ``comparison``.

    Parameters
    ----------
    units : dict of str to pandas.DataFrame
        Output of :func:`kpi_notebook_lib.units.unit_tables` over the current and the compared
        period.
    comparison : pandas.DataFrame
        Long-form with columns ``platform, kpi, period, compared_period, value`` and the
        compared value in ``previous_value`` or ``last_year_value`` (per ``compare_to``), as
        returned by :func:`kpi_notebook_lib.compare.compare`.
    kpis : sequence of KPI
        Definitions of the KPIs in ``comparison``.
    alpha : float
        Level of the tests (two-sided) and 1 − confidence of the intervals.
    power : float
        Power used for the minimum detectable change.

    Returns
    -------
    pandas.DataFrame
        ``comparison``'s index, columns :data:`SIGNIFICANCE_COLUMNS`; ``estimate`` equals the
        comparison's ``change``, ``ci_low``/``ci_high`` bound it, in the KPI's unit.
    """
    specs = {k.id: k.test for k in kpis}
    units = {name: UnitSplit(t) for name, t in units.items() if t is not None and not t.empty}
    rows = []
    for idx, r in comparison.iterrows():
        rows.append((idx, *_one(r, specs.get(r["kpi"]), units, alpha, power)))
    out = pd.DataFrame(rows, columns=["_idx", *SIGNIFICANCE_COLUMNS[:-1]]).set_index("_idx")
    out.index.name = comparison.index.name
    out["ci_level"] = 1 - alpha
    for c in ("p_value", "ci_low", "ci_high", "effect_size", "mdc", "mdc_pct", "ci_level"):
        out[c] = out[c].astype(float)
    return out


def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _one(r: pd.Series, spec: TestSpec | None, units, alpha: float, power: float) -> tuple:
    nan = float("nan")
    if spec is None or spec.kind == "none":
        why = spec.reason if spec is not None else "no test defined"
        return (None, nan, nan, nan, nan, "", "none", why, nan, nan)
    value = r["value"]
    base = (
        r["previous_value"]
        if r.get("compare_to", "previous") == "previous"
        else r["last_year_value"]
    )
    table = units.get(spec.unit)
    cur = base_arr = None
    if table is not None:
        cur = _arrays(table, r["period"], r["platform"], spec)
        base_arr = _arrays(table, r["compared_period"], r["platform"], spec)
    mdc_abs = mdc_rel = nan
    if _na(value) or _na(base) or cur is None:
        why = "no value in one of the two periods" if cur is not None else "no unit data"
        if cur is not None and not _na(value):
            mdc_abs, mdc_rel = _mdc(spec, cur, alpha, power)
        scale = _scale(spec, r, cur) if cur is not None else 1.0
        return ("too_little_data", nan, nan, nan, nan, "", "", why, mdc_abs * scale, mdc_rel)
    res = _test(spec, cur, base_arr, alpha)
    mdc_abs, mdc_rel = _mdc(spec, cur, alpha, power)
    scale = _scale(spec, r, cur)
    lo, hi = res.ci_low * scale, res.ci_high * scale
    if spec.total and cur["values"].size:
        # a test on daily means; the interval is put at the period's length
        n1 = cur["values"].size
        change = float(value) - float(base)
        half = (res.ci_high - res.ci_low) / 2 * n1
        lo, hi = change - half, change + half
        mdc_abs = mdc_abs * n1
    verdict, reason = res.verdict, res.reason
    if verdict in ("rise", "fall") and not (lo > 0 if verdict == "rise" else hi < 0):
        # the test and the interval disagree (they are not always inversions of each other):
        # a change is called a rise or a fall only when both say so
        verdict = "noise"
        reason = "p-value below the level but the interval includes no change"
    return (
        verdict,
        res.p_value,
        lo,
        hi,
        res.effect_size,
        res.effect_name,
        res.method,
        reason,
        mdc_abs * scale,
        mdc_rel,
    )


def _scale(spec: TestSpec, r: pd.Series, cur: dict) -> float:
    """Factor from the test's unit to the KPI's unit."""
    if spec.scale != "kpi":
        return float(spec.scale)
    v = cur.get("values")
    stat = float(np.mean(v)) if v is not None and v.size else float("nan")
    value = float(r["value"]) if not _na(r["value"]) else float("nan")
    return value / stat if stat else float("nan")
