"""Followers paths and the daily ``audience`` table (one row per account per local day)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .specs import ClientSpec
from .timeline import activity, event_profile, trend

__all__ = ["AUDIENCE_METRICS", "FollowerPath", "audience_frame", "follower_paths"]

#: Audience metrics each platform gives (the others are NA, never 0).
AUDIENCE_METRICS: dict[str, frozenset[str]] = {
    "facebook": frozenset(
        {"followers", "new_followers", "lost_followers", "profile_visits", "impressions", "reach"}
    ),
    "instagram": frozenset(
        {"followers", "new_followers", "lost_followers", "profile_visits", "impressions", "reach"}
    ),
    "x": frozenset({"followers"}),
    "linkedin": frozenset({"followers", "new_followers", "profile_visits", "impressions", "reach"}),
    "youtube": frozenset({"followers", "new_followers", "lost_followers", "impressions"}),
    "tiktok": frozenset({"followers", "profile_visits"}),
}

# daily page reach as a share of followers, outside post effects
_PAGE_REACH = {"facebook": 0.025, "instagram": 0.05, "linkedin": 0.03, "youtube": 0.4}
_CHURN = {"facebook": 0.0005, "instagram": 0.0007, "x": 0.0004, "linkedin": 0.0003,
          "youtube": 0.0004, "tiktok": 0.0009}


@dataclass
class FollowerPath:
    """Daily gains, losses and end-of-day followers of one account."""

    gains: np.ndarray
    losses: np.ndarray
    followers: np.ndarray
    start: int


def follower_paths(
    spec: ClientSpec, days: pd.DatetimeIndex, rng: np.random.Generator
) -> dict[str, FollowerPath]:
    """Simulate every account's followers: seasonal gains, churn, campaigns, bad buzz."""
    act = activity(spec, days)
    act = act / act.mean()
    buzz = event_profile(days, spec.bad_buzz, decay=2.5)
    launch = event_profile(days, spec.launch, decay=4.0)
    out: dict[str, FollowerPath] = {}
    for platform, ps in spec.platforms.items():
        level = trend(days, ps.followers_start, ps.followers_end)
        net = np.diff(level, prepend=ps.followers_start * (level[0] / level[1]))
        churn = _CHURN[platform] * level
        gain_rate = (net + churn) * act
        camp = np.zeros(len(days))
        for c in spec.campaigns:
            on = (days >= pd.Timestamp(c.start)) & (days <= pd.Timestamp(c.end))
            camp[on] = (c.boost - 1.0) * (1.6 if platform in c.paid_platforms else 0.5)
        gain_rate = gain_rate * (1.0 + camp + 1.2 * launch) * (1.0 - 0.6 * buzz)
        origin = 2.0 if platform == spec.bad_buzz.platform else 1.0
        length = (spec.bad_buzz.end - spec.bad_buzz.start).days + 1
        spike = 9.0 / max(1.0, np.sqrt(length / 3)) * spec.bad_buzz.intensity * origin
        loss_rate = churn * (1.0 + spike * buzz)
        gain_rate = np.clip(gain_rate, 0.05, None)
        # keep the path on its planned end point whatever the boosts added
        gain_rate *= (ps.followers_end - ps.followers_start + loss_rate.sum()) / gain_rate.sum()
        gains = rng.poisson(gain_rate * rng.lognormal(0, 0.25, len(days)))
        losses = rng.poisson(loss_rate * rng.lognormal(0, 0.2, len(days)))
        followers = ps.followers_start + np.cumsum(gains - losses)
        out[platform] = FollowerPath(gains, losses, followers, ps.followers_start)
    return out


def audience_frame(
    spec: ClientSpec,
    days: pd.DatetimeIndex,
    paths: dict[str, FollowerPath],
    post_reach: dict[str, np.ndarray],
    post_impressions: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The ``audience`` table: page-level metrics follow followers and the day's posts.

    ``post_reach`` / ``post_impressions`` hold, per platform, the summed reach (impressions)
    of the posts published each local day.
    """
    act = activity(spec, days)
    act = act / act.mean()
    frames = []
    for platform, path in paths.items():
        given = AUDIENCE_METRICS[platform]
        n = len(days)
        pr = post_reach.get(platform, np.zeros(n))
        pi = post_impressions.get(platform, np.zeros(n))
        carry = 0.55 * pr + 0.3 * np.concatenate([[0.0], pr[:-1]])
        base = path.followers * _PAGE_REACH.get(platform, 0.03) * act
        reach = np.round(base * rng.lognormal(0, 0.15, n) + carry)
        freq = rng.uniform(1.25, 1.8, n)
        impressions = np.maximum(np.round(reach * freq), reach)
        if platform == "youtube":  # thumbnail impressions, no reach
            impressions = np.round(base * rng.lognormal(0, 0.2, n) * 6 + 0.4 * pi)
        visits_base = np.where(reach > 0, reach, path.followers * 0.02 * act + pr * 0.5)
        visits = rng.poisson(visits_base * 0.012)
        cols = {
            "followers": path.followers,
            "new_followers": path.gains,
            "lost_followers": path.losses,
            "profile_visits": visits,
            "impressions": impressions,
            "reach": reach,
        }
        frame = pd.DataFrame(
            {
                "platform": platform,
                "account": spec.accounts[platform],
                "date": days,
            }
        )
        for name, values in cols.items():
            s = pd.Series(np.asarray(values, dtype="int64"), dtype="Int64")
            frame[name] = s if name in given else pd.Series(pd.NA, index=s.index, dtype="Int64")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
