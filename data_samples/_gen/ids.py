"""Identifiers and URLs shaped like each platform's (snowflakes, URNs, video ids)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mention_ids", "permalinks", "post_ids", "shortcodes"]

_X_EPOCH_MS = 1288834974657
_B64 = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))


def shortcodes(rng: np.random.Generator, n: int, length: int = 11) -> list[str]:
    """Random URL-safe base64 strings (YouTube video ids, Instagram shortcodes)."""
    picks = rng.integers(0, 64, size=(n, length))
    return ["".join(row) for row in _B64[picks]]


def _ms(utc: pd.DatetimeIndex) -> np.ndarray:
    return pd.DatetimeIndex(utc).as_unit("ms").asi8.astype(np.int64)


def _snowflake(rng: np.random.Generator, utc: pd.DatetimeIndex) -> list[str]:
    """X / LinkedIn style: milliseconds since an epoch, shifted left 22 bits, plus noise."""
    seq = np.arange(len(utc)) % 4096
    worker = rng.integers(0, 1024, len(utc))
    ids = ((_ms(utc) - _X_EPOCH_MS) << 22) | (worker << 12) | seq
    return [str(int(i)) for i in ids]


def _tiktok(rng: np.random.Generator, utc: pd.DatetimeIndex) -> list[str]:
    """TikTok style: Unix seconds shifted left 32 bits, plus noise (19 digits)."""
    low = rng.integers(0, 2**32, len(utc))
    ids = ((_ms(utc) // 1000) << 32) | low
    return [str(int(i)) for i in ids]


def _linkedin(rng: np.random.Generator, utc: pd.DatetimeIndex) -> list[str]:
    low = rng.integers(0, 2**22, len(utc))
    return [str(int(i)) for i in (_ms(utc) << 22) | low]


def _instagram(rng: np.random.Generator, n: int) -> list[str]:
    """Instagram Graph API media / comment ids: 17 digits starting with 178…181."""
    ids = rng.integers(17_840_000_000_000_000, 18_100_000_000_000_000, n)
    return [str(int(i)) for i in ids]


def post_ids(
    rng: np.random.Generator, platform: str, utc: pd.DatetimeIndex, page_id: str = ""
) -> list[str]:
    """Post ids for ``platform`` published at ``utc``."""
    n = len(utc)
    if platform == "x":
        return _snowflake(rng, utc)
    if platform == "tiktok":
        return _tiktok(rng, utc)
    if platform == "linkedin":
        return [f"urn:li:activity:{i}" for i in _linkedin(rng, utc)]
    if platform == "instagram":
        return _instagram(rng, n)
    if platform == "youtube":
        return shortcodes(rng, n)
    if platform == "facebook":
        if not page_id.isdigit():
            raise ValueError("a Facebook account needs its numeric page_id")
        tail = rng.integers(10**15, 10**16, n)
        return [f"{page_id}_{int(t)}" for t in tail]
    raise ValueError(f"unknown platform {platform!r}")


def permalinks(
    rng: np.random.Generator, platform: str, account: str, ids: list[str], formats: list[str]
) -> list[str]:
    """Public URLs of posts."""
    if platform == "x":
        return [f"https://x.com/{account}/status/{i}" for i in ids]
    if platform == "tiktok":
        return [f"https://www.tiktok.com/@{account}/video/{i}" for i in ids]
    if platform == "linkedin":
        return [f"https://www.linkedin.com/feed/update/{i}/" for i in ids]
    if platform == "youtube":
        return [
            f"https://www.youtube.com/shorts/{i}" if f == "short" else
            f"https://www.youtube.com/watch?v={i}"
            for i, f in zip(ids, formats, strict=True)
        ]
    if platform == "instagram":
        codes = shortcodes(rng, len(ids))
        return [
            f"https://www.instagram.com/{'reel' if f == 'reel' else 'p'}/{c}/"
            for c, f in zip(codes, formats, strict=True)
        ]
    if platform == "facebook":
        return [
            f"https://www.facebook.com/{account}/posts/{i.split('_')[1]}" for i in ids
        ]
    raise ValueError(f"unknown platform {platform!r}")


def mention_ids(
    rng: np.random.Generator,
    platform: str,
    utc: pd.DatetimeIndex,
    kinds: list[str],
    parents: list[str],
) -> list[str]:
    """Ids of mentions, comments, replies and reviews (comments derive from their post)."""
    n = len(utc)
    if platform == "x":
        return _snowflake(rng, utc)
    if platform == "tiktok":
        return _tiktok(rng, utc)
    if platform == "instagram":
        return _instagram(rng, n)
    if platform == "linkedin":
        nums = _linkedin(rng, utc)
        return [
            f"urn:li:comment:({p},{i})" if k == "comment" and p else f"urn:li:activity:{i}"
            for i, k, p in zip(nums, kinds, parents, strict=True)
        ]
    if platform == "youtube":
        codes = shortcodes(rng, n, 20)
        return [
            f"Ugx{c}4AaABAg" if k in ("comment", "reply") else c[:11]
            for c, k in zip(codes, kinds, strict=True)
        ]
    if platform == "facebook":
        users = rng.integers(10**14, 10**15, n)
        tails = rng.integers(10**15, 10**16, n)
        return [
            f"{p.split('_')[-1]}_{int(t)}" if k == "comment" and p else f"{int(u)}_{int(t)}"
            for u, t, k, p in zip(users, tails, kinds, parents, strict=True)
        ]
    raise ValueError(f"unknown platform {platform!r}")
