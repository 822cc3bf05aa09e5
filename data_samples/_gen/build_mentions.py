"""The ``mentions`` table: listening data about the client and its competitors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .authors import make_authors
from .ids import mention_ids, shortcodes
from .specs import ClientSpec
from .texts import mention_text
from .timeline import activity, event_profile, local_to_utc, trend

__all__ = ["mentions_frame"]

_CATS = np.array(["pos", "neu", "neg", "question", "complaint"])
_MIX = {
    "bakery": (0.48, 0.20, 0.09, 0.16, 0.07),
    "software": (0.33, 0.28, 0.09, 0.21, 0.09),
    "fashion": (0.44, 0.20, 0.10, 0.17, 0.09),
}
_COMP_MIX = (0.45, 0.33, 0.14, 0.06, 0.02)
_BUZZ_MIX = (0.08, 0.12, 0.55, 0.0, 0.25)
_COMMENT_MIX = (0.52, 0.18, 0.08, 0.16, 0.06)
_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 4, 5, 5, 4,
                   3, 2], dtype=float)
_REPLY_HOURS = {"bakery": 3.0, "software": 2.5, "fashion": 4.0}
_STARS = {"pos": "★★★★★ ", "neu": "★★★☆☆ ", "neg": "★★☆☆☆ ", "complaint": "★☆☆☆☆ "}


def _cats(rng: np.random.Generator, n: int, mix) -> list[str]:
    p = np.asarray(mix, dtype=float)
    return list(_CATS[rng.choice(5, size=n, p=p / p.sum())])


def mentions_frame(
    spec: ClientSpec,
    days: pd.DatetimeIndex,
    posts: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Build the ``mentions`` table (plus a private ``_category`` column: the intended tone)."""
    authors = make_authors(spec, rng)
    act = activity(spec, days)
    act = act / act.mean()
    growth = trend(days, 1.0, 1.3)
    camp = np.array([spec.campaign_on(d.date()) is not None for d in days], dtype=float)
    launch = event_profile(days, spec.launch, decay=4.0)
    buzz = event_profile(days, spec.bad_buzz, decay=2.5)
    buzz_long = event_profile(days, spec.bad_buzz, decay=12.0)
    sector = spec.sector_key
    rows: list[dict] = []

    def add(di, brand, cat, event="", author=None, kind=None, platform=None):
        rows.append({"d": int(di), "brand": brand, "cat": cat, "event": event,
                     "author": author, "kind": kind, "platform": platform})

    own_rate = spec.mentions_per_day * 0.6 * 0.42 * act * growth * (1 + 0.5 * camp + 1.5 * launch)
    for di in np.repeat(np.arange(len(days)), rng.poisson(own_rate)):
        if rng.random() < 0.6 * launch[di]:
            add(di, spec.brand, "pos" if rng.random() < 0.85 else "neu", f"{sector}-launch")
        elif rng.random() < 0.45 * buzz_long[di]:
            add(di, spec.brand, _cats(rng, 1, _BUZZ_MIX)[0], f"{sector}-buzz")
        else:
            add(di, spec.brand, _cats(rng, 1, _MIX[sector])[0])
    extra = 300 * spec.bad_buzz.intensity * buzz / buzz.sum()
    for di in np.repeat(np.arange(len(days)), rng.poisson(extra)):
        origin = spec.bad_buzz.platform if rng.random() < 0.5 else None
        add(di, spec.brand, _cats(rng, 1, _BUZZ_MIX)[0], f"{sector}-buzz", platform=origin)

    comp_ids = [c for c, _ in spec.competitors]
    comp_w = np.array([0.5, 0.3, 0.2][: len(comp_ids)])
    comp_rate = spec.mentions_per_day * 0.62 * act * growth
    for di in np.repeat(np.arange(len(days)), rng.poisson(comp_rate)):
        w = comp_w.copy()
        push = spec.competitor_push
        if push and pd.Timestamp(push[1]) <= days[di] <= pd.Timestamp(push[2]):
            w[comp_ids.index(push[0])] *= push[3]
        add(di, comp_ids[rng.choice(len(w), p=w / w.sum())], _cats(rng, 1, _COMP_MIX)[0])

    months = days.to_period("M")
    for month in months.unique():
        in_month = np.flatnonzero(months == month)
        for fan in authors.fans:
            for di in rng.choice(in_month, size=rng.poisson(2.6)):
                event = f"{sector}-buzz" if buzz[di] > 0.2 else ""
                add(di, spec.brand, "pos", event, author=fan)
        for det in authors.detractors:
            for di in rng.choice(in_month, size=rng.poisson(0.5)):
                add(di, spec.brand, "neg" if rng.random() < 0.6 else "complaint", author=det)
    for det in authors.detractors:
        window = np.flatnonzero(buzz > 0.2)
        for di in rng.choice(window, size=rng.poisson(4)):
            add(di, spec.brand, "complaint", f"{sector}-buzz", author=det)

    frame = pd.DataFrame(rows)
    hours = rng.choice(24, size=len(frame), p=_HOURS / _HOURS.sum())
    local = (days[frame["d"].to_numpy()] + pd.to_timedelta(hours, unit="h")
             + pd.to_timedelta(rng.integers(0, 3600, len(frame)), unit="s"))
    frame["utc"] = local_to_utc(local, spec.timezone)
    n_own = int((frame["brand"] == spec.brand).sum())
    frame = pd.concat([frame, _comments(spec, days, posts, authors, buzz, n_own, rng)],
                      ignore_index=True)
    return _finish(spec, frame, authors, buzz, rng)


def _comments(spec, days, posts, authors, buzz, n_own, rng) -> pd.DataFrame:
    """Comments captured under the client's own posts (about a quarter of its mentions)."""
    comments = posts["comments"].fillna(0).to_numpy(dtype=float)
    q = 0.3 * n_own / comments.sum()
    counts = rng.poisson(comments * q)
    idx = np.repeat(np.arange(len(posts)), counts)
    sub = posts.iloc[idx]
    delay = pd.to_timedelta(rng.exponential(4.0, len(idx)) * 3600, unit="s").round("s")
    utc = pd.DatetimeIndex(sub["published_at"]) + delay
    local_day = utc.tz_convert(spec.timezone).tz_localize(None).normalize()
    di = np.clip((local_day - days[0]).days.to_numpy(), 0, len(days) - 1)
    in_buzz = (buzz[di] > 0.2) & (rng.random(len(idx)) < 0.7)
    cats = _cats(rng, len(idx), _COMMENT_MIX)
    buzz_cats = _cats(rng, len(idx), _BUZZ_MIX)
    fan = rng.random(len(idx)) < 0.12
    out = pd.DataFrame({
        "d": di,
        "brand": spec.brand,
        "cat": np.where(in_buzz, buzz_cats, np.where(fan, "pos", cats)),
        "event": np.where(in_buzz, f"{spec.sector_key}-buzz", ""),
        "author": [authors.fans[int(rng.integers(len(authors.fans)))] if f else None
                   for f in fan],
        "kind": "comment",
        "platform": sub["platform"].to_numpy(),
        "utc": utc,
        "in_reply_to": sub["post_id"].to_numpy(),
    })
    return out[local_day <= days[-1]]


def _finish(spec, frame, authors, buzz, rng) -> pd.DataFrame:
    """Platforms, kinds, texts, languages, replies and ids."""
    n = len(frame)
    plats = list(spec.mention_platforms)
    pw = np.array([spec.mention_platforms[p] for p in plats])
    frame["platform"] = frame["platform"].where(
        frame["platform"].notna(), pd.Series(np.asarray(plats)[rng.choice(len(plats), n, p=pw)])
    )
    addressed = frame["cat"].isin(["question", "complaint"]).to_numpy()
    u = rng.random(n)
    kind = np.where(u < 0.72, "mention", np.where(u < 0.87, "reply", "review"))
    kind = np.where(addressed & (kind == "review"), "mention", kind)
    kind = np.where(frame["kind"].notna(), frame["kind"], kind)
    frame["kind"] = kind
    if "facebook" in plats:
        frame.loc[frame["kind"] == "review", "platform"] = "facebook"
    else:
        frame.loc[frame["kind"] == "review", "kind"] = "mention"
    missing = frame["author"].isna()
    frame.loc[missing, "author"] = authors.sample(rng, int(missing.sum()))
    names = {spec.brand: spec.name, **dict(spec.competitors)}
    other = "en" if spec.language == "fr" else "fr"
    lu = rng.random(n)
    langs = np.where(lu < 0.012, "de", np.where(lu < 0.022, "es", np.where(
        lu < 0.122, other, spec.language)))
    texts = []
    for i, r in enumerate(frame.itertuples(index=False)):
        handle = "@" + (spec.accounts.get(r.platform, r.brand) if r.brand == spec.brand
                        else r.brand.replace("-", ""))
        shown = handle if rng.random() < 0.2 else names[r.brand]
        t = mention_text(rng, spec, brand=shown, handle=handle, category=r.cat,
                         lang=str(langs[i]), event=r.event)
        if r.kind == "review":
            t = _STARS.get(r.cat, "") + t
        elif r.kind == "reply":
            to = authors.sample(rng, 2)
            t = "@" + (to[0] if to[0] != r.author else to[1]) + " " + t
        texts.append(t)
    blank = (rng.random(n) < 0.012) & ~addressed
    for i in np.flatnonzero(blank):
        url = f"https://www.instagram.com/p/{shortcodes(rng, 1)[0]}/"
        texts[i] = "" if rng.random() < 0.4 else url
        langs[i] = ""
    frame["text"] = texts
    frame["lang"] = np.where(rng.random(n) < 0.7, langs, "")
    frame["author_followers"] = authors.followers_of(list(frame["author"]))
    own = (frame["brand"] == spec.brand).to_numpy()
    frame["addresses_brand"] = addressed
    di = frame["d"].to_numpy()
    answered = own & addressed & (rng.random(n) < 0.82 - 0.35 * buzz[di])
    weekend = pd.DatetimeIndex(frame["utc"]).tz_convert(spec.timezone).day_of_week >= 5
    slow = np.where(weekend, 5.0 if spec.sector_key == "software" else 3.0, 1.0)
    median = _REPLY_HOURS[spec.sector_key] * slow * (1 + 3 * buzz[di])
    hours = np.clip(rng.lognormal(np.log(median), 0.9), 0.05, 120)
    replied = pd.DatetimeIndex(frame["utc"]) + pd.to_timedelta(np.round(hours * 3600), unit="s")
    frame["replied_at"] = pd.Series(replied).where(answered, pd.NaT).to_numpy()
    frame = frame.sort_values("utc", kind="stable", ignore_index=True)
    frame["mention_id"] = ""
    for platform, g in frame.groupby("platform", sort=True):
        parents = g["in_reply_to"].fillna("").tolist()
        frame.loc[g.index, "mention_id"] = mention_ids(
            rng, platform, pd.DatetimeIndex(g["utc"]), list(g["kind"]), parents
        )
    assert not frame.duplicated(["platform", "mention_id"]).any()
    return pd.DataFrame({
        "platform": frame["platform"],
        "mention_id": frame["mention_id"],
        "published_at": frame["utc"],
        "author": frame["author"],
        "author_followers": frame["author_followers"].astype("Int64"),
        "text": frame["text"],
        "lang": frame["lang"],
        "brand": frame["brand"],
        "kind": frame["kind"],
        "in_reply_to": frame["in_reply_to"].fillna(""),
        "addresses_brand": frame["addresses_brand"].astype("boolean"),
        "replied_at": frame["replied_at"],
        "_category": frame["cat"],
    })
