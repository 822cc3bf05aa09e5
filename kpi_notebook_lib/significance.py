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

**Many changes are tested at once.** A report's KPI table tests some forty KPIs: at 5 %
each, two or three pure-noise changes would be called rises or falls in every report. By
default the p-values of one platform's KPIs (the table a report shows: all platforms
together, or one platform's breakdown) are therefore adjusted together with the
Benjamini–Hochberg procedure (``p_adjusted``, :func:`scipy.stats.false_discovery_control`),
and a change is a rise or a fall only when its *adjusted* p-value is below ``alpha``: on
average at most ``alpha`` of the changes such a table calls significant are noise (the false
discovery rate), whatever the number of KPIs. The procedure holds under the positive
dependence of related KPIs (reach and impressions move together). ``adjust="none"`` tests
each change on its own (``p_adjusted`` is then the p-value, ``tests_in_family`` 1). The
confidence intervals are not adjusted: they describe each change on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control

from .catalog import KPI, TestSpec
from .exceptions import ParameterError
from .stats import (
    count_rate,
    mean_values,
    minimum_detectable_change,
    ratio_of_sums,
    two_proportion,
)
from .units import UnitSplit

__all__ = ["ADJUSTMENTS", "SIGNIFICANCE_COLUMNS", "change_tests"]

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
    "p_adjusted",
    "tests_in_family",
]

#: Multiple-testing adjustments :func:`change_tests` knows.
ADJUSTMENTS = ("benjamini_hochberg", "none")

#: Columns of one test's result, in the order :func:`_one` returns them.
_ROW_COLUMNS = SIGNIFICANCE_COLUMNS[: SIGNIFICANCE_COLUMNS.index("ci_level")]


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
    adjust: Literal["benjamini_hochberg", "none"] = "benjamini_hochberg",
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
    adjust : {"benjamini_hochberg", "none"}
        How the p-values are adjusted for being tested together (see the module docstring):
        the family is the tested rows of one ``platform``, ``period`` and
        ``compared_period`` of ``comparison``.

    Returns
    -------
    pandas.DataFrame
        ``comparison``'s index, columns :data:`SIGNIFICANCE_COLUMNS`; ``ci_low``/``ci_high``
        bound the comparison's ``change``, in the KPI's unit; ``p_adjusted`` is the p-value
        the verdict compares with ``alpha`` and ``tests_in_family`` the number of changes it
        was adjusted for.

    Raises
    ------
    ParameterError
        If ``adjust`` is not one of :data:`ADJUSTMENTS`.
    """
    if adjust not in ADJUSTMENTS:
        raise ParameterError("adjust", adjust, " or ".join(repr(a) for a in ADJUSTMENTS))
    specs = {k.id: k.test for k in kpis}
    units = {name: UnitSplit(t) for name, t in units.items() if t is not None and not t.empty}
    rows = []
    for idx, r in comparison.iterrows():
        rows.append((idx, *_one(r, specs.get(r["kpi"]), units, alpha, power)))
    out = pd.DataFrame(rows, columns=["_idx", *_ROW_COLUMNS]).set_index("_idx")
    out.index.name = comparison.index.name
    out["ci_level"] = 1 - alpha
    for c in ("p_value", "ci_low", "ci_high", "effect_size", "mdc", "mdc_pct", "ci_level"):
        out[c] = out[c].astype(float)
    # one family per table a report shows: a platform, for one period against one other
    family = (
        comparison["platform"].astype(str)
        + "|"
        + comparison["period"].astype(str)
        + "|"
        + comparison["compared_period"].astype(str)
    ).to_numpy()
    return _adjust(out, family, alpha, adjust)


def _adjust(out: pd.DataFrame, family: np.ndarray, alpha: float, adjust: str) -> pd.DataFrame:
    """Add ``p_adjusted`` and ``tests_in_family`` (the tested rows of one ``family`` label are
    adjusted together); a rise or fall whose adjusted p-value is not below ``alpha`` becomes
    ``noise``, with the reason."""
    p = out["p_value"].to_numpy(dtype=float)
    tested = np.isfinite(p)
    adjusted = np.where(tested, p, np.nan)
    size = np.where(tested, 1.0, np.nan)
    if adjust != "none":
        for label in pd.unique(family[tested]):
            rows = tested & (family == label)
            adjusted[rows] = false_discovery_control(p[rows], method="bh")
            size[rows] = rows.sum()
    out["p_adjusted"] = adjusted
    out["tests_in_family"] = pd.Series(size, index=out.index).astype("Int64")
    lost = out["verdict"].isin(["rise", "fall"]).to_numpy() & ~(adjusted < alpha)
    for i in np.flatnonzero(lost):
        out.iloc[i, out.columns.get_loc("verdict")] = "noise"
        out.iloc[i, out.columns.get_loc("verdict_reason")] = (
            f"p-value below the level, but not once adjusted for the {int(size[i])} changes "
            "tested together (Benjamini–Hochberg)"
        )
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
