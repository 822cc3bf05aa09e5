"""Build one client's five canonical tables in memory (no writing here)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .build_audience import audience_frame, follower_paths
from .build_benchmarks import benchmarks_frame
from .build_conversions import conversions_frame
from .build_mentions import mentions_frame
from .build_posts import posts_frame
from .specs import ClientSpec
from .timeline import local_days, sub_rng

__all__ = ["HOSTILE_CAPTION", "HOSTILE_MENTION", "build_client"]

#: Real-world hostile content the reports must neutralise (kept in the samples on purpose).
HOSTILE_CAPTION = '=HYPERLINK("http://x") Commandez vos galettes ici !'
HOSTILE_MENTION = {
    "fr": "<script>alert(1)</script> trop bon le flan <img src=x onerror=alert(1)>",
    "en": "<img src=x onerror=alert(1)> love this shop <script>alert(1)</script>",
}


def _daily(values: pd.Series, day_index: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    v = values.fillna(0).to_numpy(dtype=float)
    np.add.at(out, day_index[mask], v[mask])
    return out


def build_client(spec: ClientSpec, seed: int) -> dict[str, pd.DataFrame]:
    """The five canonical tables of one client, without ``client`` and provenance columns.

    Parameters
    ----------
    spec : ClientSpec
        The client to build.
    seed : int
        Base seed; every table draws from its own generator derived from (seed, client, table),
        so one client (or one table) can be rebuilt alone with identical results.

    Returns
    -------
    dict
        ``posts``, ``audience``, ``mentions``, ``conversions``, ``benchmarks`` DataFrames with
        canonical column names and dtypes (the client's own rows of ``benchmarks`` are derived
        from its posts and audience). Columns starting with ``_`` are private (e.g. the
        intended tone of a mention) and are not written.
    """
    days = local_days()
    n = len(days)
    paths = follower_paths(spec, days, sub_rng(seed, spec.id, "followers"))
    posts, day_of_post = posts_frame(spec, days, paths, sub_rng(seed, spec.id, "posts"))
    reach, impressions, clicks = {}, {}, {}
    for platform in spec.platforms:
        mask = (posts["platform"] == platform).to_numpy()
        reach[platform] = _daily(posts["reach"], day_of_post, mask, n)
        impressions[platform] = _daily(posts["impressions"], day_of_post, mask, n)
        clicks[platform] = _daily(posts["link_clicks"], day_of_post, mask, n)
    audience = audience_frame(
        spec, days, paths, reach, impressions, sub_rng(seed, spec.id, "audience")
    )
    mentions = mentions_frame(spec, days, posts, sub_rng(seed, spec.id, "mentions"))
    conversions = conversions_frame(spec, days, clicks, sub_rng(seed, spec.id, "conversions"))
    _inject_hostile(spec, posts, mentions)
    frames = {"posts": posts, "audience": audience, "mentions": mentions,
              "conversions": conversions}
    frames["benchmarks"] = benchmarks_frame(spec, frames, days, seed)
    return frames


def _inject_hostile(spec: ClientSpec, posts: pd.DataFrame, mentions: pd.DataFrame) -> None:
    """Put one formula-like caption and one HTML-laden mention in the data, deterministically."""
    if spec.sector_key == "bakery":
        fb = posts.index[(posts["platform"] == "facebook") & (posts["format"] == "link")]
        posts.loc[fb[len(fb) // 2], "text"] = HOSTILE_CAPTION
    own = mentions.index[
        (mentions["brand"] == spec.brand) & (mentions["kind"] == "mention")
        & ~mentions["addresses_brand"].astype(bool)
    ]
    i = own[len(own) // 3]
    mentions.loc[i, "text"] = HOSTILE_MENTION[spec.language]
    mentions.loc[i, "lang"] = ""
