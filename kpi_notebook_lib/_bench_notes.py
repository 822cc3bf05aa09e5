"""Long form and notes of the benchmark table (private; see :mod:`kpi_notebook_lib.benchmarks`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._bench_compute import COMPONENTS
from .schema import PLATFORMS

__all__ = ["METRICS", "long_form"]

#: Metrics, in output order.
METRICS = (
    "followers",
    "follower_growth_pct",
    "posts",
    "public_interactions",
    "interactions_per_post",
    "interactions_per_1000_followers",
    "share_of_voice",
)
_BENCH_METRICS = METRICS[:-1]
_NA = (np.nan, np.nan, np.nan, None)
DERIVED = "derived from the client's own exports (public columns only)"
NO_SERIES = "no data for this brand on this platform in the period"
NO_COMMON = "no platform where every compared brand has data in the period"


def _na(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _day(ts: Any) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _days(n: int, what: str = "day") -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _join(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


def _dropped(flags: Iterable[dict]) -> list[str]:
    out: list[str] = []
    for r in flags:
        for c in COMPONENTS:
            if not bool(r.get(f"use_{c}", False)) and c not in out:
                out.append(c)
    return out


def _comp_note(dropped: list[str], platform: str) -> str:
    if not dropped or len(dropped) == len(COMPONENTS):
        return ""
    where = "on this platform" if platform != "all" else "on some platforms"
    return f"without {', '.join(dropped)} (not public for every brand {where})"


def _series(r: dict, *, last: pd.Timestamp, prev: pd.Timestamp, comp: str) -> dict[str, tuple]:
    """``metric → (value, low, high, n, note)`` for one brand × platform × period."""
    n_days = int(r["n_days"])
    out: dict[str, tuple] = {}
    fe, fs = r.get("followers_end"), r.get("followers_start")
    end_note = ""
    if not _na(r.get("end_date")) and pd.Timestamp(r["end_date"]) < last:
        end_note = f"last follower count on {_day(r['end_date'])}"
    if _na(fe):
        out["followers"] = (*_NA[:3], n_days, "no follower count in the period")
        out["follower_growth_pct"] = out["followers"]
    else:
        out["followers"] = (float(fe), np.nan, np.nan, n_days, end_note)
        if _na(fs):
            why = f"no follower count on {_day(prev)}, the day before the period"
            out["follower_growth_pct"] = (*_NA[:3], n_days, why)
        elif float(fs) == 0:
            out["follower_growth_pct"] = (*_NA[:3], n_days, "no followers at the start")
        else:
            g = float(fe) / float(fs) - 1
            out["follower_growth_pct"] = (g, np.nan, np.nan, n_days, end_note)
    posts = r.get("posts")
    out["posts"] = (
        (*_NA[:3], n_days, "no post count")
        if _na(posts)
        else (float(posts), np.nan, np.nan, n_days, "")
    )
    pi = r.get("public_interactions")
    missing = int(r.get("missing_days") or 0)
    gap = f"{_days(missing)} without interaction counts left out" if missing else ""
    if _na(pi):
        why = "no public interaction counts"
        for m in ("public_interactions", "interactions_per_post"):
            out[m] = (*_NA[:3], n_days, why)
    else:
        out["public_interactions"] = (float(pi), np.nan, np.nan, n_days, _join(comp, gap))
        kp = r.get("known_posts")
        if _na(kp) or float(kp) == 0:
            out["interactions_per_post"] = (*_NA[:3], 0, "no posts in the period")
        else:
            v = float(r["known_interactions"]) / float(kp)
            out["interactions_per_post"] = (v, np.nan, np.nan, int(kp), _join(comp, gap))
    ratio = r.get("ratio")
    no_f = int(r.get("posting_days_no_followers") or 0)
    if not bool(r.get("posted", False)):
        out["interactions_per_1000_followers"] = (*_NA[:3], 0, "no posts in the period")
    elif _na(ratio):
        why = (
            "no public interaction counts"
            if _na(pi)
            else "no follower count on the posting days"
            if no_f
            else "no posting day with complete counts"
        )
        out["interactions_per_1000_followers"] = (*_NA[:3], 0, why)
    else:
        m = int(r["ratio_days"])
        notes = [comp]
        if m < 2:
            notes.append("a single posting day: no interval")
        if no_f:
            notes.append(f"{_days(no_f, 'posting day')} without a follower count left out")
        out["interactions_per_1000_followers"] = (
            float(ratio),
            r["ratio_low"],
            r["ratio_high"],
            m,
            _join(*notes),
        )
    return out


def _order(platforms: Iterable[str]) -> list[str]:
    rank = {p: i for i, p in enumerate(PLATFORMS)}
    return sorted(set(platforms), key=lambda p: (rank.get(p, len(rank)), p))


def long_form(
    st: pd.DataFrame,
    tot: pd.DataFrame,
    sov: pd.DataFrame,
    pinfo: pd.DataFrame,
    *,
    common: dict[str, list[str]],
    client: str,
    brands: Sequence[str],
    platforms: Iterable[str],
    has_mentions: bool,
) -> pd.DataFrame:
    """The complete grid ``brand × platform (and all) × period × metric``, with notes."""
    series = {(r["period"], r["brand"], r["platform"]): r for r in st.to_dict("records")}
    totals = {(r["period"], r["brand"]): r for r in tot.to_dict("records")}
    shares = {
        (p, pl, b): (v, lo, hi, n)
        for p, pl, b, v, lo, hi, n in sov[
            ["period", "platform", "brand", "sov", "sov_low", "sov_high", "sov_n"]
        ].itertuples(index=False)
    }
    active: dict[str, set[str]] = {}
    for r in series.values():
        if r["active"]:
            active.setdefault(r["period"], set()).add(r["platform"])
    order = [*_order(platforms), "all"]
    rows: list[tuple] = []
    for per in pinfo.to_dict("records"):
        label, days = per["period"], int(per["days"])
        used = common.get(label, [])
        left_out = _order(active.get(label, set()) - set(used))
        scope = _join(
            f"over {', '.join(_order(used))} (every compared brand has data there)",
            f"left out: {', '.join(left_out)}" if left_out else "",
        )
        for brand in brands:
            for platform in order:
                if platform == "all":
                    r = totals.get((label, brand))
                    flags = [
                        series[(label, b, p)]
                        for b in brands
                        for p in used
                        if (label, b, p) in series
                    ]
                    comp = _comp_note(_dropped(flags), "all")
                    base = scope
                else:
                    r = series.get((label, brand, platform))
                    comp = _comp_note(_dropped([r]), platform) if r is not None else ""
                    base = DERIVED if r is not None and r["source"] == "own" else ""
                if r is not None:
                    n_days = int(r["n_days"])
                    cover = f"data on {n_days} of {days} days" if n_days < days else ""
                    base = _join(base, cover)
                    metrics = _series(r, last=per["last"], prev=per["prev"], comp=comp)
                else:
                    why = NO_COMMON if platform == "all" else NO_SERIES
                    metrics = {m: (*_NA[:3], 0, why) for m in _BENCH_METRICS}
                    base = ""
                for m in _BENCH_METRICS:
                    v, lo, hi, n, note = metrics[m]
                    rows.append((brand, platform, label, m, v, lo, hi, n, _join(base, note)))
                s = shares.get((label, platform, brand))
                if not has_mentions:
                    rows.append(
                        (brand, platform, label, "share_of_voice", *_NA[:3], 0, "no mentions data")
                    )
                elif s is None or not s[3]:
                    why = "no mentions of the compared brands on this platform in the period"
                    rows.append((brand, platform, label, "share_of_voice", *_NA[:3], 0, why))
                else:
                    rows.append((brand, platform, label, "share_of_voice", *s, ""))
    out = pd.DataFrame(
        rows,
        columns=["brand", "platform", "period", "metric", "value", "low", "high", "n", "note"],
    )
    out.insert(0, "client", client)
    for c in ("client", "brand", "platform", "period", "metric"):
        out[c] = out[c].astype("string")
    for c in ("value", "low", "high"):
        out[c] = pd.array(pd.to_numeric(out[c], errors="coerce"), dtype="Float64")
        out[c] = out[c].mask(out[c].isna())
    out["n"] = pd.array(pd.to_numeric(out["n"], errors="coerce").round(), dtype="Int64")
    out["note"] = pd.array(out["note"].where(out["note"] != "", None), dtype="string")
    return out
