"""Comparisons: previous period, same period last year, targets, status and direction.

Input is the long-form output of :func:`kpi_notebook_lib.kpis.compute_kpis` over the current
period and the periods it is compared with; output is one row per client × platform × KPI for
the current period, still long-form.

Status against target uses the oriented relative gap
``gap = (value − target) / |target|`` (sign flipped when lower is better):
``on_track`` when ``gap >= 0``, ``watch`` when ``gap >= −watch`` (10 % by default, per KPI in the
catalog, per client in ``client.yml``), else ``off_track``. No target, or no value, gives no
status (NA), never a made-up one.

Direction over the last N periods is a robust trend: the Theil–Sen slope, called ``up`` or
``down`` only when the Mann–Kendall test finds it significant (``flat`` otherwise: no clear
trend), NA with fewer than 4 values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .catalog import Catalog, get_catalog
from .exceptions import ParameterError
from .periods import Period
from .stats import robust_trend

__all__ = ["COMPARE_TO", "COMPARISON_COLUMNS", "attach_targets", "compare", "status_of"]

COMPARE_TO = ("previous", "last_year")
STATUSES = ("on_track", "watch", "off_track")

COMPARISON_COLUMNS = [
    "client",
    "platform",
    "period",
    "kpi",
    "objective",
    "level",
    "unit",
    "higher_is_better",
    "value",
    "compare_to",
    "compared_period",
    "previous_value",
    "last_year_value",
    "change",
    "change_pct",
    "target",
    "attainment",
    "gap_pct",
    "status",
    "direction",
    "trend_slope",
    "trend_p",
    "note",
]


def status_of(
    value: np.ndarray,
    target: np.ndarray,
    higher_is_better: np.ndarray,
    watch: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Status and oriented relative gap for arrays of values and targets (NaN = missing)."""
    sign = np.where(higher_is_better, 1.0, -1.0)
    diff = (value - target) * sign
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(target != 0, diff / np.abs(target), np.nan)
    ok = ~np.isnan(value) & ~np.isnan(target)
    on = np.where(target != 0, gap >= 0, diff >= 0)
    near = np.where(target != 0, gap >= -watch, False)
    status = np.where(on, "on_track", np.where(near, "watch", "off_track")).astype(object)
    status[~ok] = None
    gap[~ok] = np.nan
    return status, gap


def attach_targets(values: pd.DataFrame, targets: pd.DataFrame | None, period: Period) -> pd.Series:
    """Target of each row of ``values`` (client, platform, kpi) for ``period``.

    ``targets`` has columns ``kpi, platform, period, target``: ``platform`` is a platform id or
    ``all``; ``period`` is a label (``2026-10``) or a kind (``month``) meaning every period of
    that kind. The most specific row wins: exact platform before ``all``, exact period before
    kind.
    """
    out = pd.Series(np.nan, index=values.index, dtype=float)
    if targets is None or targets.empty:
        return out
    t = targets.copy()
    t["_spec"] = np.where(
        t["period"] == period.label, 2, np.where(t["period"] == period.kind, 1, 0)
    )
    t = t[t["_spec"] > 0]
    if t.empty:
        return out
    for platform_exact in (False, True):  # later assignment wins: most specific last
        for spec in (1, 2):
            sub = t[(t["_spec"] == spec) & ((t["platform"] != "all") == platform_exact)]
            if sub.empty:
                continue
            sub = sub.drop_duplicates(["kpi", "platform"], keep="last")
            if platform_exact:
                key = values[["kpi", "platform"]]
                m = key.merge(
                    sub[["kpi", "platform", "target"]], on=["kpi", "platform"], how="left"
                )
            else:
                m = values[["kpi"]].merge(sub[["kpi", "target"]], on="kpi", how="left")
                # a target for "all" applies to the all-platforms total only
                m.loc[values["platform"].to_numpy() != "all", "target"] = np.nan
            got = m["target"].to_numpy(dtype=float)
            has = ~np.isnan(got)
            out.iloc[np.flatnonzero(has)] = got[has]
    return out


def _direction(history: pd.DataFrame, periods: Sequence[str], alpha: float = 0.05) -> pd.DataFrame:
    """Robust trend over ``periods``: Theil–Sen slope and Mann–Kendall significance.

    ``direction`` is ``up``/``down`` only when the trend is significant at ``alpha``, ``flat``
    when it is not (no clear trend), NA with fewer than 4 values.
    """
    wide = history.pivot_table(
        index=["client", "platform", "kpi"], columns="period", values="value", aggfunc="first"
    ).reindex(columns=list(periods))
    y = wide.to_numpy(dtype=float)
    rows = []
    for series in y:
        t = robust_trend(series, alpha=alpha)
        rows.append((t.direction, t.slope, t.p_value))
    return pd.DataFrame(
        rows, index=wide.index, columns=["direction", "trend_slope", "trend_p"]
    ).astype({"trend_slope": float, "trend_p": float})


def compare(
    values: pd.DataFrame,
    *,
    period: Period,
    compare_to: str = "previous",
    targets: pd.DataFrame | None = None,
    watch: Mapping[str, float] | None = None,
    history: Sequence[Period] | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Compare the KPIs of ``period`` with the previous period, last year and targets.

    Parameters
    ----------
    values : pandas.DataFrame
        Long-form KPI values (columns ``client, platform, period, kpi, value, note``) covering
        ``period``, its previous period, the same period last year and ``history``.
    period : Period
        The period reported.
    compare_to : {"previous", "last_year"}
        Which period ``change`` and ``change_pct`` are computed against.
    targets : pandas.DataFrame, optional
        ``kpi, platform, period, target`` (see :func:`attach_targets`).
    watch : mapping, optional
        KPI id → tolerance below target counted as "watch" (overrides the catalog's).
    history : sequence of Period, optional
        Periods used for ``direction`` (oldest first, ending with ``period``).

    Returns
    -------
    pandas.DataFrame
        Long-form with :data:`COMPARISON_COLUMNS`. ``change`` is in the KPI's unit (points for
        percentages); ``change_pct`` is relative to the absolute comparison value, NA when that
        is 0 or missing.
    """
    if compare_to not in COMPARE_TO:
        raise ParameterError("compare_to", compare_to, "'previous' or 'last_year'")
    catalog = catalog or get_catalog()
    keys = ["client", "platform", "kpi"]
    prev, last = period.previous(), period.last_year()
    cur = values[values["period"] == period.label].copy()

    def col(p: Period, name: str) -> pd.Series:
        other = values[values["period"] == p.label][[*keys, "value"]].rename(
            columns={"value": name}
        )
        return cur[keys].merge(other, on=keys, how="left")[name]

    cur = cur.reset_index(drop=True)
    cur["previous_value"] = col(prev, "previous_value").to_numpy()
    cur["last_year_value"] = col(last, "last_year_value").to_numpy()
    base = cur["previous_value"] if compare_to == "previous" else cur["last_year_value"]
    v = cur["value"].to_numpy(dtype=float, na_value=np.nan)
    b = base.to_numpy(dtype=float, na_value=np.nan)
    change = v - b
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where((b != 0) & ~np.isnan(b), change / np.abs(b), np.nan)
    cur["compare_to"] = compare_to
    cur["compared_period"] = (prev if compare_to == "previous" else last).label
    cur["change"] = change
    cur["change_pct"] = change_pct

    meta = catalog.to_frame().set_index("id")
    cur["objective"] = cur["kpi"].map(meta["objective"])
    cur["level"] = cur["kpi"].map(meta["level"])
    cur["unit"] = cur["kpi"].map(meta["unit"])
    hib = cur["kpi"].map(meta["higher_is_better"]).astype(bool).to_numpy()
    w = np.array([(watch or {}).get(k, catalog[k].watch) for k in cur["kpi"]], dtype=float)
    target = attach_targets(cur, targets, period).to_numpy()
    cur["target"] = target
    with np.errstate(divide="ignore", invalid="ignore"):
        cur["attainment"] = np.where((target > 0) & (v >= 0), v / target, np.nan)
    status, gap = status_of(v, target, hib, w)
    cur["status"] = status
    cur["gap_pct"] = gap
    cur["higher_is_better"] = hib
    if history:
        d = _direction(values, [p.label for p in history])
        cur = cur.join(d, on=keys)
    else:
        cur["direction"] = None
        cur["trend_slope"] = np.nan
        cur["trend_p"] = np.nan
    for c in (
        "previous_value",
        "last_year_value",
        "change",
        "change_pct",
        "target",
        "attainment",
        "gap_pct",
    ):
        cur[c] = pd.array(cur[c].to_numpy(dtype=float), dtype="Float64")
    for c in ("status", "direction"):
        cur[c] = cur[c].astype("string")
    return cur[COMPARISON_COLUMNS]
