"""Monthly KPI estimates from the generated frames, and plausible targets derived from them.

The estimates are plain pandas approximations of the catalog formulas, good enough to set
targets that some months meet and others miss. They are not the toolkit's KPI engine.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kpi_notebook_lib.catalog import get_catalog

from .specs import ClientSpec

__all__ = ["monthly_estimates", "targets_frame"]

_SENTIMENT = {"bakery": 0.5, "software": 0.3, "fashion": 0.4}
_REFERENCE = ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")


def _month(ts: pd.Series, tz: str) -> pd.Series:
    return pd.to_datetime(ts, utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m")


def _posts(spec: ClientSpec, posts: pd.DataFrame) -> pd.DataFrame:
    eng = get_catalog().engagement
    p = posts.copy()
    p["month"] = _month(p["published_at"], spec.timezone)
    p["inter"] = np.nan
    for platform, parts in eng.items():
        rows = p["platform"] == platform
        p.loc[rows, "inter"] = sum(p.loc[rows, c].astype(float) for c in parts)
    p["reach"] = p["reach"].astype(float)
    both = p["reach"].notna() & p["inter"].notna()
    p["inter_r"] = p["inter"].where(both)
    p["reach_r"] = p["reach"].where(both)
    return p


def monthly_estimates(
    spec: ClientSpec, frames: dict[str, pd.DataFrame], platform: str | None = None
) -> pd.DataFrame:
    """Approximate monthly KPI values (index: month label, columns: KPI ids)."""
    p = _posts(spec, frames["posts"])
    a = frames["audience"].copy()
    m = frames["mentions"].copy()
    c = frames["conversions"].copy()
    if platform:
        p, a = p[p["platform"] == platform], a[a["platform"] == platform]
        m, c = m[m["platform"] == platform], c[c["source"] == platform]
    c = c[c["source"] != "other"]
    out = pd.DataFrame(index=sorted(p["month"].unique()))
    g = p.groupby("month")
    out["reach"] = g["reach"].sum()
    out["impressions"] = g["impressions"].sum().astype(float)
    out["engagement_rate_reach"] = g["inter_r"].sum() / g["reach_r"].sum()
    out["posts"] = g.size()
    a["month"] = pd.to_datetime(a["date"]).dt.strftime("%Y-%m")
    last = a.sort_values("date").groupby(["platform", "month"])["followers"].last().astype(float)
    end = last.groupby("month").sum()
    out["net_new_followers"] = end.diff()
    out["follower_growth_rate"] = end.diff() / end.shift()
    out["followers"] = end
    c["month"] = pd.to_datetime(c["date"]).dt.strftime("%Y-%m")
    cs = c.groupby("month")[["sessions", "leads", "sales", "revenue", "ad_spend"]].sum()
    cs = cs.astype(float)
    out = out.join(cs)
    out["conversion_rate"] = out["leads"] / out["sessions"]
    out["cost_per_lead"] = out["ad_spend"] / out["leads"]
    out["roi"] = (out["revenue"] - out["ad_spend"]) / out["ad_spend"].replace(0, np.nan)
    m["month"] = _month(m["published_at"], spec.timezone)
    own = m[m["brand"] == spec.brand]
    out["mentions"] = own.groupby("month").size()
    out["share_of_voice"] = out["mentions"] / m.groupby("month").size()
    addr = own[own["addresses_brand"].astype(bool)]
    out["response_rate"] = addr.groupby("month")["replied_at"].apply(lambda s: s.notna().mean())
    delay = (pd.to_datetime(addr["replied_at"], utc=True)
             - pd.to_datetime(addr["published_at"], utc=True)).dt.total_seconds() / 3600
    out["median_response_time"] = delay.groupby(addr["month"]).median()
    pos = own[own["_category"] == "pos"].groupby(["month", "author"]).size()
    out["ambassadors"] = (pos >= 2).groupby("month").sum().astype(float)
    return out


def _nice(value: float, unit: str) -> float:
    """Round a target the way a person would write it."""
    if not math.isfinite(value):
        return value
    if unit == "percent":
        return round(value, 3)
    if unit == "hours":
        return round(value, 1)
    if unit == "ratio":
        return round(value, 2)
    if abs(value) < 20:
        return float(round(value))
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def targets_frame(spec: ClientSpec, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``kpi, platform, period, target`` rows: monthly targets for every primary KPI,
    a few period overrides, an annual target, per-platform targets for two KPIs and a weekly
    posting target."""
    cat = get_catalog()
    est = monthly_estimates(spec, frames)
    ref = est.loc[list(_REFERENCE)].mean()
    # money ratios only exist in months with ad spend: take the last 12 such months
    paid = est[est["ad_spend"] > 0].tail(12)
    for kpi in ("cost_per_lead", "roi"):
        ref[kpi] = paid[kpi].median()
    rows = []

    def add(kpi: str, platform: str, period: str, value: float) -> None:
        rows.append((kpi, platform, period, _nice(value, cat[kpi].unit)))

    for kpi in spec.primary_kpis:
        if kpi == "net_sentiment":
            add(kpi, "all", "month", _SENTIMENT[spec.sector_key])
        elif kpi == "response_rate":
            add(kpi, "all", "month", 0.8)
        elif kpi == "median_response_time":
            add(kpi, "all", "month", 4.0)
        else:
            factor = 1.08 if cat[kpi].higher_is_better else 0.9
            add(kpi, "all", "month", ref[kpi] * factor)
    visibility = "reach" if "reach" in spec.primary_kpis else "impressions"
    add(visibility, "all", "2026-10", ref[visibility] * 1.08 * 1.5)  # campaign month
    add(visibility, "all", "2026-Q3", ref[visibility] * 3 * 1.05)
    if "leads" in spec.primary_kpis:
        add("leads", "all", "quarter", ref["leads"] * 3 * 1.05)
    # an annual target, paced year to date by the dashboard
    annual = next((k for k in ("leads", "sales", "revenue") if k in spec.primary_kpis), None)
    if annual:
        add(annual, "all", "2026", ref[annual] * 12 * 1.05)
    main = max(spec.platforms, key=lambda p: spec.platforms[p].followers_end)
    est_main = monthly_estimates(spec, frames, main).loc[list(_REFERENCE)].mean()
    add(visibility, main, "month", est_main[visibility] * 1.1)
    add("engagement_rate_reach", main, "month", est_main["engagement_rate_reach"] * 1.05)
    add("posts", main, "week", round(spec.platforms[main].posts_per_week))
    out = pd.DataFrame(rows, columns=["kpi", "platform", "period", "target"])
    return out
