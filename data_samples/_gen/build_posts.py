"""The ``posts`` table: cadence, local publishing hours, formats and heavy-tailed metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .build_audience import FollowerPath
from .ids import permalinks, post_ids
from .specs import ClientSpec
from .texts import caption
from .timeline import activity, event_profile, local_to_utc

__all__ = ["POST_METRICS", "posts_frame"]

#: Post metrics each platform gives (the others are NA, never 0).
POST_METRICS: dict[str, frozenset[str]] = {
    "facebook": frozenset({"impressions", "reach", "views", "reactions", "comments", "shares",
                           "clicks", "link_clicks", "video_views"}),
    "instagram": frozenset({"impressions", "reach", "views", "reactions", "comments", "shares",
                            "saves", "profile_visits", "follows"}),
    "x": frozenset({"impressions", "reactions", "comments", "shares", "saves", "clicks",
                    "link_clicks", "video_views", "profile_visits"}),
    "linkedin": frozenset({"impressions", "reach", "reactions", "comments", "shares", "clicks",
                           "video_views", "follows"}),
    "youtube": frozenset({"impressions", "views", "reactions", "comments", "shares",
                          "video_views", "follows"}),
    "tiktok": frozenset({"reach", "views", "reactions", "comments", "shares", "saves",
                         "video_views", "profile_visits", "follows"}),
}
_COUNTS = ("impressions", "reach", "views", "reactions", "comments", "shares", "saves", "clicks",
           "link_clicks", "video_views", "profile_visits", "follows")
_FMT_REACH = {"reel": 1.6, "video": 1.2, "carousel": 1.15, "image": 1.0, "link": 0.6,
              "text": 0.7, "document": 1.3, "poll": 1.1, "short": 1.5, "live": 0.7}
_FMT_ENG = {"reel": 1.1, "video": 1.0, "carousel": 1.3, "image": 1.0, "link": 0.5, "text": 0.8,
            "document": 1.4, "poll": 1.6, "short": 1.1, "live": 1.3}
_VIDEO = {"video", "reel", "short", "live"}


def _schedule(spec, platform, days, rng) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Day index and UTC time of every post of one account."""
    ps = spec.platforms[platform]
    week = np.asarray(spec.weekly)[days.day_of_week.to_numpy()]
    act = activity(spec, days) / week  # yearly part only
    rate = ps.posts_per_week / 7 * week / np.mean(spec.weekly) * act**0.7
    for c in spec.campaigns:
        on = (days >= pd.Timestamp(c.start)) & (days <= pd.Timestamp(c.end))
        rate[on] *= 1.5
    counts = rng.poisson(rate)
    day_idx = np.repeat(np.arange(len(days)), counts)
    hours_w = np.asarray(spec.post_hours, dtype=float)
    hours = rng.choice(24, size=len(day_idx), p=hours_w / hours_w.sum())
    minutes = np.where(rng.random(len(day_idx)) < 0.6, rng.integers(0, 12, len(day_idx)) * 5,
                       rng.integers(0, 60, len(day_idx)))
    local = (days[day_idx] + pd.to_timedelta(hours, unit="h") + pd.to_timedelta(minutes, unit="m")
             + pd.to_timedelta(rng.integers(0, 60, len(day_idx)), unit="s"))
    order = np.argsort(local.asi8, kind="stable")
    return day_idx[order], local_to_utc(local[order], spec.timezone)


def posts_frame(
    spec: ClientSpec,
    days: pd.DatetimeIndex,
    paths: dict[str, FollowerPath],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Build the ``posts`` table and the local day index of each post."""
    buzz = event_profile(days, spec.bad_buzz, decay=6.0)
    launch = event_profile(days, spec.launch, decay=3.0)
    act = activity(spec, days)
    act = act / act.mean()
    frames, day_all = [], []
    for platform, ps in spec.platforms.items():
        di, utc = _schedule(spec, platform, days, rng)
        n = len(di)
        fmts = list(ps.formats)
        w = np.asarray([ps.formats[f] for f in fmts], dtype=float)
        fmt = np.asarray(fmts)[rng.choice(len(fmts), size=n, p=w / w.sum())]
        camp, paid, topic = np.full(n, "", dtype=object), np.zeros(n, bool), []
        for i, d in enumerate(di):
            c = spec.campaign_on(days[d].date())
            t = ""
            if c is not None and rng.random() < 0.7:
                camp[i], t = c.name, c.topic
                paid[i] = platform in c.paid_platforms and rng.random() < 0.55
            elif launch[d] > 0.3 and rng.random() < 0.6:
                t = "launch"
            elif buzz[d] > 0.35 and rng.random() < 0.5:
                t = "crisis"
            topic.append(t)
        followers = paths[platform].followers[di].astype(float)
        base = followers * ps.reach_rate * np.vectorize(_FMT_REACH.get)(fmt)
        base *= rng.lognormal(0, 0.55, n) * act[di] ** 0.5 * (1 + 0.8 * launch[di])
        base *= np.where(paid, rng.uniform(2.5, 6.0, n), 1.0)
        base *= np.where(rng.random(n) < 0.02, rng.uniform(3, 10, n), 1.0)  # the odd viral post
        base = np.maximum(np.round(base), 3)
        eng = ps.engagement * np.vectorize(_FMT_ENG.get)(fmt) * rng.lognormal(0, 0.45, n)
        eng *= np.where(paid, 0.55, 1.0) * (1 - 0.45 * buzz[di])
        texts = [caption(rng, spec, platform, f, t, c or None, days[d].date())
                 for f, t, c, d in zip(fmt, topic, camp, di, strict=True)]
        linked = (fmt == "link") | np.asarray(["https://" in t for t in texts])
        m = _metrics(platform, fmt, linked, base, eng, buzz[di], rng)
        ids = post_ids(rng, platform, utc, ps.page_id)
        frame = pd.DataFrame({
            "platform": platform,
            "account": spec.accounts[platform],
            "post_id": ids,
            "published_at": utc,
            "format": fmt,
            "text": texts,
            "permalink": permalinks(rng, platform, spec.accounts[platform], ids, list(fmt)),
            "campaign": pd.Series(camp).replace("", pd.NA).astype("string"),
            "paid": pd.Series(paid, dtype="boolean"),
        })
        given = POST_METRICS[platform]
        for col in _COUNTS:
            v = pd.Series(np.asarray(m.get(col, np.full(n, np.nan)), dtype=float)).astype("Int64")
            frame[col] = v if col in given else pd.Series(pd.NA, index=v.index, dtype="Int64")
        rate = pd.Series(pd.NA, index=frame.index, dtype="Float64")
        if platform == "x":
            num = m["reactions"] + m["comments"] + m["shares"] + m["clicks"]
            rate = pd.Series(np.round(num / m["impressions"], 4), dtype="Float64")
        frame["platform_engagement_rate"] = rate
        frames.append(frame)
        day_all.append(di)
    return pd.concat(frames, ignore_index=True), np.concatenate(day_all)


def _metrics(platform, fmt, link, base, eng, buzz, rng) -> dict[str, np.ndarray]:
    """Metrics of posts whose audience base (reach, impressions or views) is ``base``;
    ``link`` marks posts carrying a URL (link posts, or a link in the caption)."""
    n = len(base)
    video = np.isin(fmt, list(_VIDEO))
    m: dict[str, np.ndarray] = {}
    if platform == "x":
        m["impressions"] = base
    elif platform == "youtube":
        m["views"] = base
        m["video_views"] = base
        m["impressions"] = np.round(base * rng.uniform(8, 15, n))
    else:
        m["reach"] = base
        if platform == "tiktok":
            m["views"] = np.round(base * rng.uniform(1.15, 1.5, n))
            m["video_views"] = m["views"]
        else:
            lo, hi = (1.3, 1.8) if platform == "linkedin" else (1.08, 1.5)
            m["impressions"] = np.maximum(np.round(base * rng.uniform(lo, hi, n)), base)
    inter = base * eng
    has_saves = "saves" in POST_METRICS[platform]
    shares = np.array([0.78, 0.07, 0.06, 0.09 if has_saves else 0.0])
    parts = {}
    for k, name in enumerate(("reactions", "comments", "shares", "saves")):
        extra = (1 + 3 * buzz) if name == "comments" else 1.0
        parts[name] = rng.poisson(inter * shares[k] * extra)
    total = sum(parts.values())
    scale = np.where(total > base, base / np.maximum(total, 1), 1.0)
    for name, v in parts.items():
        m[name] = np.floor(v * scale)
    impr = m.get("impressions", base)
    if platform in ("facebook", "x", "linkedin"):
        rate = {"facebook": 0.025, "x": 0.008, "linkedin": 0.015}[platform]
        m["clicks"] = np.minimum(rng.poisson(impr * rate * np.where(link, 2.5, 1.0)), impr)
        share = np.where(fmt == "link", 0.6, 0.3)
        m["link_clicks"] = np.where(link, rng.binomial(m["clicks"].astype(int), share), 0)
    if platform in ("facebook", "instagram"):
        # Meta "Views" and 3-second plays exist for videos and reels only
        m["views"] = np.where(video, np.round(impr * rng.uniform(1.0, 1.25, n)), np.nan)
        m["video_views"] = np.where(video, np.round(base * rng.uniform(0.35, 0.55, n)), np.nan)
    elif platform in ("x", "linkedin"):
        m["video_views"] = np.where(video, np.round(impr * rng.uniform(0.2, 0.4, n)), np.nan)
    m["profile_visits"] = rng.poisson(base * 0.006)
    m["follows"] = rng.poisson(base * 0.0012)
    return m
