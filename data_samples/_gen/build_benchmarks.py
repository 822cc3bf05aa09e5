"""The ``benchmarks`` table: public daily figures of the client and its competitors.

What an agency's benchmarking tool collects on the client's main platforms
(``ClientSpec.benchmark_platforms``): followers at the end of each local day, posts published
that day and the public counts of those posts (reactions, comments, shares; views where they
are public, on TikTok and YouTube). Impressions, reach, clicks and saves are private and absent.

The client's rows are **derived from its own generated posts and audience** (the same posts'
counts summed per local day, the same follower counts), so they agree with its own exports. The
competitors' rows are simulated from the client's platform specs scaled by their
:class:`~_gen.specs.RivalSpec`: followers with the sector's seasonality, posts with the client's
weekday pattern, heavy-tailed interactions per post, and Northwear-style pushes when the spec
has a ``competitor_push``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .specs import ClientSpec, PlatformSpec, RivalSpec
from .timeline import activity, sub_rng, trend

__all__ = ["PUBLIC_VIEWS", "benchmarks_frame"]

#: Platforms whose post views are public.
PUBLIC_VIEWS = frozenset({"tiktok", "youtube"})
_COUNTS = ("posts", "reactions", "comments", "shares", "views")
_SPLIT = {"reactions": 0.82, "comments": 0.09, "shares": 0.07}
_CHURN = 0.0006


def _own(spec: ClientSpec, frames: dict[str, pd.DataFrame], days: pd.DatetimeIndex) -> list:
    """The client's public daily figures, from its own posts and audience."""
    posts, audience = frames["posts"], frames["audience"]
    local = posts["published_at"].dt.tz_convert(spec.timezone).dt.tz_localize(None)
    day = local.dt.normalize().astype("datetime64[ns]")
    out = []
    for platform in spec.benchmark_platforms:
        mask = (posts["platform"] == platform).to_numpy()
        p = posts.loc[mask, ["reactions", "comments", "shares", "views"]].astype("float64")
        p["posts"] = 1.0
        if platform not in PUBLIC_VIEWS:
            p["views"] = np.nan
        daily = p.groupby(day[mask].to_numpy()).sum(min_count=1).reindex(days)
        frame = pd.DataFrame({"brand": spec.brand, "platform": platform, "date": days})
        frame["posts"] = daily["posts"].fillna(0).to_numpy()
        for c in ("reactions", "comments", "shares", "views"):
            carried = p[c].notna().any()
            frame[c] = daily[c].fillna(0).to_numpy() if carried else np.nan
        a = audience[audience["platform"] == platform].set_index("date")["followers"]
        frame["followers"] = a.reindex(days).astype("float64").to_numpy()
        out.append(frame)
    return out


def _rival(
    spec: ClientSpec,
    rival: RivalSpec,
    platform: str,
    days: pd.DatetimeIndex,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One competitor's account on one platform, simulated."""
    ps: PlatformSpec = spec.platforms[platform]
    n = len(days)
    act = activity(spec, days)
    act = act / act.mean()
    start = ps.followers_start * rival.size * rng.lognormal(0, 0.08)
    end = start * (ps.followers_end / ps.followers_start) ** rival.growth
    level = trend(days, start, end)
    net = np.diff(level, prepend=level[0] ** 2 / level[1])
    churn = _CHURN * level
    gains = rng.poisson(np.clip((net + churn) * act, 0.05, None) * rng.lognormal(0, 0.3, n))
    losses = rng.poisson(churn * rng.lognormal(0, 0.25, n))
    followers = np.round(start) + np.cumsum(gains - losses)

    week = np.asarray(spec.weekly)[days.day_of_week.to_numpy()]
    yearly = activity(spec, days) / week
    rate = ps.posts_per_week / 7 * rival.cadence * week / np.mean(spec.weekly) * yearly**0.7
    boost = np.ones(n)
    push = spec.competitor_push
    if push and push[0] == rival.id:
        on = (days >= pd.Timestamp(push[1])) & (days <= pd.Timestamp(push[2]))
        rate[on] *= 1.5
        boost[on] = np.sqrt(push[3])
    counts = rng.poisson(rate)
    d = np.repeat(np.arange(n), counts)
    base = followers[d] * ps.reach_rate * ps.engagement * rival.engagement
    inter = base * rng.lognormal(0, 0.55, d.size) * act[d] ** 0.5 * boost[d]
    inter *= np.where(rng.random(d.size) < 0.02, rng.uniform(3, 8, d.size), 1.0)  # viral post
    frame = pd.DataFrame({"brand": rival.id, "platform": platform, "date": days})
    frame["followers"] = followers.astype("float64")
    frame["posts"] = counts.astype("float64")
    for name, share in _SPLIT.items():
        frame[name] = np.bincount(d, weights=rng.poisson(inter * share), minlength=n)
    if platform in PUBLIC_VIEWS:
        views = followers[d] * ps.reach_rate * 1.3 * rng.lognormal(0, 0.6, d.size) * boost[d]
        frame["views"] = np.bincount(d, weights=np.round(views), minlength=n)
    else:
        frame["views"] = np.nan
    return frame


def benchmarks_frame(
    spec: ClientSpec, frames: dict[str, pd.DataFrame], days: pd.DatetimeIndex, seed: int
) -> pd.DataFrame:
    """The ``benchmarks`` table of one client (client's rows first, then each competitor).

    Every competitor and platform draws from its own generator derived from (seed, client,
    competitor, platform): the other tables' draws are untouched.
    """
    parts = _own(spec, frames, days)
    for rival in spec.rivals:
        for platform in rival.platforms:
            rng = sub_rng(seed, spec.id, f"benchmarks/{rival.id}/{platform}")
            parts.append(_rival(spec, rival, platform, days, rng))
    if not parts:
        return pd.DataFrame(columns=["brand", "platform", "date", "followers", *_COUNTS])
    out = pd.concat(parts, ignore_index=True)
    for c in ("followers", *_COUNTS):
        out[c] = pd.array(np.round(out[c].to_numpy(dtype="float64")), dtype="Float64").astype(
            "Int64"
        )
    return out[["brand", "platform", "date", "followers", *_COUNTS]]
