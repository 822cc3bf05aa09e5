"""Targets in progress: pacing to the end of the period, and whether a target is detectable.

Two questions an analyst asks about a target:

* **Will we make it?** For a period in progress (the month, quarter or year that holds the
  last day of data), :func:`pace_targets` projects each targeted KPI to the end of the period
  from the days elapsed, with a prediction interval and the probability of reaching the
  target (:func:`kpi_notebook_lib.stats.pace_sum` for totals, :func:`~kpi_notebook_lib.stats.
  pace_ratio` for rates). An annual target is paced year to date the same way.
* **Is it realistic?** :func:`target_realism` compares the change a target asks for with the
  minimum detectable change of the KPI (the smallest change the next period could tell from
  noise at current volumes): a target closer to the current value than that cannot be seen
  to be met or missed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from .catalog import get_catalog
from .compare import attach_targets
from .periods import Period, parse_period, period_of
from .stats import pace_ratio, pace_sum
from .units import UnitSplit

__all__ = ["PACE_COLUMNS", "pace_targets", "target_realism"]

PACE_COLUMNS = [
    "kpi",
    "platform",
    "period",
    "target",
    "so_far",
    "projected",
    "low",
    "high",
    "probability",
    "elapsed",
    "total",
    "reason",
]


def _periods_in_progress(last: date, kinds: set[str]) -> list[Period]:
    return [period_of(k, last) for k in ("week", "month", "quarter", "year") if k in kinds]


def pace_targets(client, *, as_of: date | None = None, level: float = 0.8) -> pd.DataFrame:
    """Pacing of every target whose period is in progress on ``as_of``.

    Parameters
    ----------
    client : kpi_notebook_lib.workspace.Client
    as_of : datetime.date, optional
        Last day counted (default: the client's last day of data).
    level : float
        Level of the prediction interval.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PACE_COLUMNS`, one row per targeted KPI × platform whose period holds
        ``as_of`` and is not over. ``so_far`` is the KPI over the elapsed days; ``projected``,
        ``low`` and ``high`` the end-of-period projection and interval; ``probability`` the
        chance of reaching the target (at or above it, or at or below when lower is better).
        KPIs without a pacing model (levels like followers, medians) get NA and a ``reason``.
    """
    targets = client.targets
    if targets.empty:
        return pd.DataFrame(columns=PACE_COLUMNS)
    last = as_of or client.data_range()[1]
    kinds = set(targets["period"]) & {"week", "month", "quarter", "year"}
    labelled = {t for t in targets["period"] if t not in kinds}
    periods = {p.label: p for p in _periods_in_progress(last, kinds)}
    for label in labelled:
        p = parse_period(label)
        if p.start <= last <= p.last_day:
            periods[p.label] = p
    cat = get_catalog()
    rows = []
    for p in periods.values():
        if last >= p.last_day:
            continue
        keys = targets[["kpi", "platform"]].drop_duplicates().reset_index(drop=True)
        tgt = attach_targets(keys.assign(client=client.id), targets, p)
        keys = keys.assign(target=tgt.to_numpy())
        keys = keys[keys["target"].notna()]
        if keys.empty:
            continue
        elapsed = parse_period(f"{p.start.isoformat()}..{last.isoformat()}")
        units = client.units([elapsed])
        total_days = (p.last_day - p.start).days + 1
        for kpi_id, platform, target in keys.itertuples(index=False):
            kpi = cat[kpi_id]
            rows.append(
                _pace_one(kpi, platform, float(target), p, units, elapsed.label, total_days, level)
            )
    return pd.DataFrame(rows, columns=PACE_COLUMNS)


def _pace_one(
    kpi, platform: str, target: float, p: Period, units, label: str, total_days, level
) -> dict:

    spec = kpi.test
    row = dict.fromkeys(PACE_COLUMNS, np.nan)
    row.update(kpi=kpi.id, platform=platform, period=p.label, target=target, total=total_days)
    row["reason"] = ""
    table = units.get(spec.unit) if spec is not None else None
    if spec is None or table is None or spec.kind == "none" or spec.statistic == "median":
        row["reason"] = "no pacing model for this KPI"
        return row
    u = UnitSplit(table).get(label, platform)
    days = UnitSplit(units["day"]).get(label, platform)
    elapsed = int(days["d"].nunique())
    row["elapsed"] = elapsed
    hib = kpi.higher_is_better
    if spec.kind == "count" or (spec.kind == "values" and spec.total):
        daily = pd.to_numeric(u[spec.value], errors="coerce").dropna().to_numpy(dtype=float)
        res = pace_sum(
            daily, days_total=total_days, target=target, higher_is_better=hib, level=level
        )
        row["so_far"] = float(daily.sum()) if daily.size else np.nan
    else:
        if spec.kind in ("proportion", "ratio"):
            num = pd.to_numeric(u[spec.num], errors="coerce").to_numpy(dtype=float)
            den = pd.to_numeric(u[spec.den], errors="coerce").to_numpy(dtype=float)
        elif spec.value:
            num = pd.to_numeric(u[spec.value], errors="coerce").to_numpy(dtype=float)
            den = np.ones_like(num)
        else:
            a = pd.to_numeric(u[spec.num], errors="coerce").to_numpy(dtype=float)
            b = pd.to_numeric(u[spec.den], errors="coerce").to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                num = np.where(b > 0, a / b, np.nan)
            den = np.ones_like(num)
        ok = ~np.isnan(num) & ~np.isnan(den)
        num, den = num[ok], den[ok]
        scale = float(spec.scale) if spec.scale != "kpi" else np.nan
        if np.isnan(scale):
            row["reason"] = "no pacing model for this KPI"
            return row
        if num.size == 0 or not den.sum():
            row["reason"] = "no data yet in the period"
            return row
        # units expected by the end of the period, at the pace of the elapsed days
        expected = round(num.size * total_days / max(elapsed, 1))
        res = pace_ratio(
            num,
            den,
            units_total=max(expected, num.size),
            target=(target - spec.offset) / scale,
            higher_is_better=hib,
            level=level,
        )
        so_far = num.sum() / den.sum() if den.sum() else np.nan
        row["so_far"] = so_far * scale + spec.offset
        res = _scaled(res, scale, spec.offset)
    row.update(
        projected=res.projected,
        low=res.low,
        high=res.high,
        probability=res.probability,
        reason=res.reason or "",
    )
    return row


def _scaled(res, scale: float, offset: float = 0.0):
    """A pace result of the test's unit put in the KPI's unit (``x × scale + offset``)."""
    lo, hi = sorted((res.low * scale + offset, res.high * scale + offset))
    return replace(res, projected=res.projected * scale + offset, low=lo, high=hi)


def target_realism(comparison: pd.DataFrame) -> pd.DataFrame:
    """Whether each target asks for a change the KPI's noise lets one see.

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :meth:`kpi_notebook_lib.workspace.Client.kpis` (with ``mdc``).

    Returns
    -------
    pandas.DataFrame
        The rows with a target: ``kpi, platform, value, target, needed`` (target − value),
        ``mdc``, ``detectable`` (True when ``|needed| >= mdc``, NA when either is NA) and
        ``met`` (the value already reaches the target, in the KPI's good direction).
    """
    rows = comparison[comparison["target"].notna()].copy()
    rows["needed"] = rows["target"].astype(float) - rows["value"].astype(float)
    mdc = rows["mdc"].astype(float).abs() if "mdc" in rows else pd.Series(np.nan, rows.index)
    det = pd.array(np.abs(rows["needed"].to_numpy(dtype=float)) >= mdc.to_numpy(), dtype="boolean")
    det[np.isnan(rows["needed"].to_numpy(dtype=float)) | np.isnan(mdc.to_numpy())] = pd.NA
    rows["mdc"] = mdc
    rows["detectable"] = det
    cat = get_catalog()
    hib = np.array([cat[k].higher_is_better for k in rows["kpi"]], dtype=bool)
    needed = rows["needed"].to_numpy(dtype=float)
    met = np.where(hib, needed <= 0, needed >= 0)
    rows["met"] = pd.array(met, dtype="boolean")
    rows.loc[np.isnan(needed), "met"] = pd.NA
    cols = ["kpi", "platform", "value", "target", "needed", "mdc", "detectable", "met"]
    return rows[cols].reset_index(drop=True)
