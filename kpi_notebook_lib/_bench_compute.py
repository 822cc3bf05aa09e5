"""The benchmark metrics from daily frames (private; see :mod:`kpi_notebook_lib.benchmarks`).

Per brand, platform and period first (:func:`series_stats`), then the ``platform="all"``
totals over the platforms where every compared brand has data (:func:`all_stats`). Each
function returns one row per group with the values, intervals, unit counts and notes of every
metric, as plain columns (``<metric>``, ``<metric>_low``…): :mod:`~kpi_notebook_lib.benchmarks`
puts them in long form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
import pandas as pd
from scipy import stats

from .exceptions import ParameterError
from .periods import Period, parse_period

__all__ = ["COMPONENTS", "all_stats", "cell_frame", "ratio_interval", "series_stats"]

#: Public interactions: reactions + comments + shares.
COMPONENTS = ("reactions", "comments", "shares")
_KEYS = ["period", "brand", "platform"]


def as_periods(periods: Sequence[Period | str] | Period | str) -> list[Period]:
    """Parsed, distinct periods."""
    if isinstance(periods, (Period, str)):
        periods = [periods]
    out = [parse_period(p) for p in periods]
    if not out:
        raise ParameterError("periods", periods, "at least one period, e.g. ['2026-10']")
    labels = [p.label for p in out]
    if len(set(labels)) != len(labels):
        raise ParameterError("periods", labels, "distinct periods")
    return out


def calendar(periods: list[Period]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The days of each period (``period, date``) and each period's length, last day and the
    day before it (``period, days, last, prev``)."""
    pdays = pd.concat(
        [
            pd.DataFrame({"period": p.label, "date": pd.date_range(p.start, p.last_day, freq="D")})
            for p in periods
        ],
        ignore_index=True,
    )
    pdays["date"] = pdays["date"].astype("datetime64[ns]")
    pinfo = pd.DataFrame(
        {
            "period": [p.label for p in periods],
            "days": [p.days for p in periods],
            "last": [pd.Timestamp(p.last_day) for p in periods],
            "prev": [pd.Timestamp(p.start - timedelta(days=1)) for p in periods],
        }
    )
    pinfo["last"] = pinfo["last"].astype("datetime64[ns]")
    pinfo["prev"] = pinfo["prev"].astype("datetime64[ns]")
    return pdays, pinfo


def ratio_interval(cells: pd.DataFrame, keys: list[str], *, alpha: float) -> pd.DataFrame:
    """Ratio of sums ``1000 · ΣY / ΣW`` per group with a day-level delta-method interval.

    ``cells`` holds one row per group and day with ``Y`` (interactions) and ``W`` (posts ×
    followers), valid days only. The variance treats days as independent clusters:
    ``Var(R) ≈ m/(m−1) · Σ(Y_d − R·W_d)² / (ΣW)²`` with ``m`` days; the interval uses
    Student's t with ``m − 1`` degrees of freedom and is cut at 0.
    """
    cols = [*keys, "ratio", "ratio_low", "ratio_high", "ratio_days"]
    if cells.empty:
        return pd.DataFrame(columns=cols)
    g = cells.groupby(keys, sort=False)
    sy, sw, m = g["Y"].sum(), g["W"].sum(), g["Y"].size()
    r = sy / sw.where(sw > 0)
    e2 = cells["Y"] - r.reindex(pd.MultiIndex.from_frame(cells[keys])).to_numpy() * cells["W"]
    se2 = (e2**2).groupby([cells[k] for k in keys], sort=False).sum().reindex(r.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(m / (m - 1) * se2) / sw
        t = pd.Series(stats.t.isf(alpha / 2, np.maximum(m - 1, 1)), index=r.index)
    ok = m >= 2
    out = pd.DataFrame(
        {
            "ratio": 1000 * r,
            "ratio_low": (1000 * (r - t * se)).clip(lower=0).where(ok),
            "ratio_high": (1000 * (r + t * se)).where(ok),
            "ratio_days": m,
        }
    )
    return out.reset_index()[cols]


def cell_frame(daily: pd.DataFrame, comps: pd.DataFrame) -> pd.DataFrame:
    """Add ``Y`` (the day's public interactions over the usable components), ``W`` (posts ×
    followers, on valid posting days) and day flags to ``daily`` (one row per series and day,
    with ``period``)."""
    x = daily.merge(comps, on=["period", "platform"], how="left")
    y = pd.Series(0.0, index=x.index)
    any_used = pd.Series(False, index=x.index)
    for c in COMPONENTS:
        use = x[f"use_{c}"].fillna(False).astype(bool)
        y = y + x[c].where(use, 0.0)  # NaN of a used component makes the day unknown
        any_used |= use
    # a day without posts has no interactions of its posts, even when the export left the
    # counts blank that day
    x["Y"] = y.where(any_used).mask(any_used & (x["posts"] == 0), 0.0)
    posting = x["posts"] > 0
    x["known"] = x["Y"].notna() & x["posts"].notna()
    x["valid"] = posting & x["Y"].notna() & x["followers"].notna()
    x["no_followers"] = posting & x["Y"].notna() & x["followers"].isna()
    x["W"] = (x["posts"] * x["followers"]).where(x["valid"])
    return x


def usable_components(st: pd.DataFrame) -> pd.DataFrame:
    """Per period and platform, the interaction counts every active brand has (``use_<c>``):
    given on at least one of its posting days (a brand that did not post lacks none)."""
    active = st[st["active"]]
    quiet = active["posting_days"] == 0
    flags = pd.DataFrame({f"use_{c}": (active[f"n_{c}"] > 0) | quiet for c in COMPONENTS})
    flags[["period", "platform"]] = active[["period", "platform"]]
    return flags.groupby(["period", "platform"], as_index=False, sort=False).all()


def _last_followers(x: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    f = x[x["followers"].notna()].sort_values("date", kind="stable")
    last = f.groupby(keys, sort=False).tail(1)
    return last[[*keys, "followers", "date"]].rename(
        columns={"followers": "followers_end", "date": "end_date"}
    )


def series_stats(
    daily: pd.DataFrame, pdays: pd.DataFrame, pinfo: pd.DataFrame, *, alpha: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metrics per period, brand and platform; also the cell frame (for the "all" totals)."""
    x = daily.merge(pdays, on="date")
    if x.empty:
        return pd.DataFrame(columns=[*_KEYS, "active"]), x
    g = x.groupby(_KEYS, sort=False)
    st = g.agg(n_days=("date", "nunique"), source=("source", "first"))
    st["n_followers"] = g["followers"].count()
    st["n_posts"] = g["posts"].count()
    posting = x["posts"] > 0
    st["posting_days"] = posting.groupby([x[k] for k in _KEYS], sort=False).sum()
    for c in COMPONENTS:
        given = x[c].notna() & posting
        st[f"n_{c}"] = given.groupby([x[k] for k in _KEYS], sort=False).sum()
    st["posts"] = g["posts"].sum(min_count=1)
    st["active"] = (st["n_followers"] + st["n_posts"]) > 0
    st = st.reset_index()
    comps = usable_components(st)
    cells = cell_frame(x, comps)
    gc = cells.groupby(_KEYS, sort=False)
    known = cells[cells["known"]]
    gk = known.groupby(_KEYS, sort=False)
    agg = pd.DataFrame(
        {
            "public_interactions": gc["Y"].sum(min_count=1),
            "missing_days": gc["known"].size() - gc["known"].sum(),
            "posting_days_no_followers": gc["no_followers"].sum(),
            "known_interactions": gk["Y"].sum(),
            "known_posts": gk["posts"].sum(),
            "posted": (gc["posts"].max() > 0),
        }
    ).reset_index()
    st = st.merge(agg, on=_KEYS, how="left").merge(comps, on=["period", "platform"], how="left")
    st = st.merge(_last_followers(x, _KEYS), on=_KEYS, how="left")
    start = daily.merge(pinfo[["period", "prev"]], left_on="date", right_on="prev")
    start = start[["period", "brand", "platform", "followers"]].rename(
        columns={"followers": "followers_start"}
    )
    st = st.merge(start, on=_KEYS, how="left")
    valid = cells.loc[cells["valid"], [*_KEYS, "date", "Y", "W"]]
    st = st.merge(ratio_interval(valid, _KEYS, alpha=alpha), on=_KEYS, how="left")
    return st, cells


def common_platforms(st: pd.DataFrame, brands: Sequence[str]) -> dict[str, list[str]]:
    """Per period, the platforms where every compared brand has data (the fair rule)."""
    active = st[st["active"] & st["brand"].isin(list(brands))]
    n = active.groupby(["period", "platform"])["brand"].nunique()
    full = n[n == len(brands)].reset_index()
    return {p: sorted(g["platform"]) for p, g in full.groupby("period")}


def all_stats(
    st: pd.DataFrame,
    cells: pd.DataFrame,
    common: dict[str, list[str]],
    *,
    alpha: float,
) -> pd.DataFrame:
    """``platform="all"`` totals per period and brand over the common platforms only."""
    keys = ["period", "brand"]
    if st.empty or not common:
        return pd.DataFrame(columns=keys)
    pairs = pd.DataFrame(
        [(p, pl) for p, pls in common.items() for pl in pls], columns=["period", "platform"]
    )
    s = st.merge(pairs, on=["period", "platform"])
    g = s.groupby(keys, sort=False)

    def total(col: str) -> pd.Series:  # NA as soon as one platform lacks it
        return g[col].sum(min_count=1).where(g[col].count() == g[col].size())

    out = pd.DataFrame(
        {
            "n_platforms": g["platform"].size(),
            "followers_end": total("followers_end"),
            "followers_start": total("followers_start"),
            "posts": total("posts"),
            "public_interactions": total("public_interactions"),
            "known_interactions": g["known_interactions"].sum(min_count=1),
            "known_posts": g["known_posts"].sum(min_count=1),
            "missing_days": g["missing_days"].sum(),
            "posting_days_no_followers": g["posting_days_no_followers"].sum(),
            "end_date": g["end_date"].min(),
            "posted": g["posted"].any(),
        }
    ).reset_index()
    c = cells.merge(pairs, on=["period", "platform"])
    out = out.merge(
        c.groupby(keys, sort=False)["date"].nunique().rename("n_days").reset_index(),
        on=keys,
        how="left",
    )
    valid = c[c["valid"]].groupby([*keys, "date"], as_index=False, sort=False)[["Y", "W"]].sum()
    return out.merge(ratio_interval(valid, keys, alpha=alpha), on=keys, how="left")
