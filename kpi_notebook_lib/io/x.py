"""X (Twitter) analytics exports.

``x.tweet_activity``
    Classic per-post export ``tweet_activity_metrics_<account>_<from>_<to>_<lang>.csv`` (40
    quoted columns, ``time`` with a UTC offset, counts like ``"1938.0"``, promoted columns
    ``"-"``; older files say ``favorites``) → ``posts``.
``x.daily_tweet_activity``
    Its daily variant ``daily_tweet_activity_metrics_…`` → ``audience`` (impressions, profile
    visits).
``x.content``
    New content export ``account_analytics_content_<from>_<to>.csv`` (19-digit ids, dates
    like ``Sat, Aug 1, 2026`` or ``Mon Feb 17 2025``) → ``posts``.
``x.overview``
    ``account_overview_analytics.csv`` → ``audience`` (impressions, new and lost followers,
    profile visits).

The reported ``engagement rate`` is kept as ``platform_engagement_rate`` only to cross-check
ours: a note lists the rows where it differs from ``engagements / impressions`` by more than
0.0005.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ._csv import (
    RowBuilder,
    canonical,
    check_ids,
    date_range_in_name,
    has_header,
    read_csv_table,
    sum_counts,
    unknown_note,
)
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = [
    "XContentImporter",
    "XDailyTweetActivityImporter",
    "XOverviewImporter",
    "XTweetActivityImporter",
]

_NAME = re.compile(
    r"^(?:daily_)?tweet_activity_metrics_(?P<account>.+)_(?P<start>\d{8})_(?P<end>\d{8})"
)
_HANDLE = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/status", re.I)
_RATE_TOLERANCE = 0.0005


def _exported_at(path: Path) -> pd.Timestamp | None:
    rng = date_range_in_name(path)
    return rng[1].tz_localize("UTC") if rng else None


def _account_from_name(path: Path) -> str | None:
    m = _NAME.match(Path(path).name)
    return m.group("account") if m else None


def _accounts(permalinks: pd.Series, path: Path, ctx: ImportContext) -> pd.Series:
    """Handle from each permalink, else from the file name, else the client id."""
    handles = permalinks.fillna("").str.extract(_HANDLE, expand=False)
    fallback = _account_from_name(path) or ctx.client
    return handles.fillna(fallback).astype("string")


def _rate_note(b: RowBuilder, engagements: pd.Series, impressions: pd.Series) -> list[str]:
    if not b.has("platform_engagement_rate") or not b.has("engagements"):
        return []
    reported = b.columns["platform_engagement_rate"]
    ours = engagements.astype("Float64") / impressions.astype("Float64").where(impressions > 0)
    diff = (reported - ours).abs()
    off = diff[diff.notna() & (diff > _RATE_TOLERANCE)]
    if off.empty:
        return []
    rows = ", ".join(str(r) for r in off.index[:20])
    more = f" and {len(off) - 20} more" if len(off) > 20 else ""
    return [
        f"platform engagement rate differs from engagements / impressions by more than "
        f"{_RATE_TOLERANCE} on line(s) {rows}{more}."
    ]


@register
class XTweetActivityImporter(Importer):
    """X classic per-post export (``tweet_activity_metrics_…``) → ``posts``."""

    name = "x.tweet_activity"
    platform = "x"
    tables = ("posts",)
    description = "X/Twitter per-tweet export tweet_activity_metrics_<account>_<from>_<to>.csv"

    _numeric = (
        "impressions",
        "engagements",
        "shares",
        "comments",
        "reactions",
        "profile_visits",
        "link_clicks",
        "follows",
        "promoted_impressions",
        "platform_engagement_rate",
    )

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "x", "tweet_activity", ("post_id", "permalink"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "x",
            "tweet_activity",
            ctx,
            required=("post_id", "published_at"),
            numeric=self._numeric,
        )
        b = RowBuilder(raw, res, loc)
        check_ids(b, "post_id")
        links = b.text("permalink")
        b.set("text", b.text("text").map(html.unescape, na_action="ignore").astype("string"))
        b.when(
            "published_at",
            timezone="UTC",
            expected="2016-12-23 18:50 +0000",
            formats=(
                "%Y-%m-%d %H:%M %z",
                "%Y-%m-%d %H:%M:%S %z",
                "%Y-%m-%dT%H:%M:%S%z",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ),
        )
        for name in (
            "impressions",
            "shares",
            "comments",
            "reactions",
            "profile_visits",
            "link_clicks",
            "follows",
        ):
            b.number(name)
        engagements = b.number("engagements")
        b.number("platform_engagement_rate", integer=False)
        promoted = b.number("promoted_impressions")
        notes = unknown_note(res)
        if b.has("promoted_impressions"):
            paid = promoted.fillna(0) > 0
            b.set("paid", paid.astype("boolean"))
            if paid.any():
                notes.append(
                    f"{int(paid.sum())} promoted tweet(s): their promoted metrics are not added "
                    "to the organic ones (impressions, likes… are organic only)."
                )
        b.set("account", _accounts(links, path, ctx))
        notes += _rate_note(b, engagements, b.columns["impressions"])
        df = b.frame({"client": ctx.client, "platform": "x"})
        return ParsedFile(
            importer=self.name,
            platform="x",
            tables={"posts": canonical("posts", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )


@register
class XDailyTweetActivityImporter(Importer):
    """X classic daily export (``daily_tweet_activity_metrics_…``) → ``audience``."""

    name = "x.daily_tweet_activity"
    platform = "x"
    tables = ("audience",)
    description = "X/Twitter daily export daily_tweet_activity_metrics_<account>_<from>_<to>.csv"

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "x", "daily_tweet_activity", ("date", "tweets_published"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "x",
            "daily_tweet_activity",
            ctx,
            required=("date",),
            numeric=("impressions", "profile_visits", "tweets_published"),
        )
        b = RowBuilder(raw, res, loc)
        b.when(
            "date",
            date_only=True,
            expected="2016-12-23",
            formats=(
                "%Y-%m-%d",
                "%Y-%m-%d %H:%M %z",
                "%Y-%m-%d %H:%M:%S %z",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ),
        )
        b.number("impressions")
        b.number("profile_visits")
        b.number("tweets_published")
        account = _account_from_name(path)
        notes = unknown_note(res)
        notes.append(
            "daily 'follows' count follows attributed to tweets, not the account's "
            "new followers: not imported."
        )
        if account is None:
            notes.append(f"no account handle in the file name: using the client id {ctx.client!r}.")
        df = b.frame({"client": ctx.client, "platform": "x", "account": account or ctx.client})
        return ParsedFile(
            importer=self.name,
            platform="x",
            tables={"audience": canonical("audience", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )


@register
class XContentImporter(Importer):
    """X new content export (``account_analytics_content_…``) → ``posts``."""

    name = "x.content"
    platform = "x"
    tables = ("posts",)
    description = "X analytics content export account_analytics_content_<from>_<to>.csv"

    _numeric = (
        "impressions",
        "reactions",
        "engagements",
        "saves",
        "x_shares",
        "follows",
        "comments",
        "shares",
        "profile_visits",
        "link_clicks",
    )

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "x", "content", ("post_id", "text"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "x",
            "content",
            ctx,
            required=("post_id", "published_at"),
            numeric=self._numeric,
        )
        b = RowBuilder(raw, res, loc)
        check_ids(b, "post_id")
        links = b.text("permalink")
        b.set("text", b.text("text").map(html.unescape, na_action="ignore").astype("string"))
        b.when("published_at", text_dates=True, timezone=ctx.timezone, expected="Sat, Aug 1, 2026")
        for name in (
            "impressions",
            "reactions",
            "saves",
            "follows",
            "comments",
            "profile_visits",
            "link_clicks",
            "engagements",
        ):
            b.number(name)
        reposts = b.number("shares")
        x_shares = b.number("x_shares")
        if b.has("x_shares"):
            b.set("shares", sum_counts(reposts, x_shares))
        b.set("account", _accounts(links, path, ctx))
        notes = unknown_note(res)
        notes.append(
            "X gives publication days without a time: published_at is local "
            f"midnight ({ctx.timezone})."
        )
        if b.has("x_shares"):
            notes.append("shares = Reposts + Shares.")
        df = b.frame({"client": ctx.client, "platform": "x"})
        return ParsedFile(
            importer=self.name,
            platform="x",
            tables={"posts": canonical("posts", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )


@register
class XOverviewImporter(Importer):
    """X account overview export (``account_overview_analytics.csv``) → ``audience``."""

    name = "x.overview"
    platform = "x"
    tables = ("audience",)
    description = "X analytics account overview account_overview_analytics.csv"

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "x", "overview", ("date", "new_followers", "lost_followers"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "x",
            "overview",
            ctx,
            required=("date",),
            numeric=("impressions", "new_followers", "lost_followers", "profile_visits"),
        )
        b = RowBuilder(raw, res, loc)
        b.when("date", text_dates=True, date_only=True, expected="Sat, Aug 1, 2026")
        for name in ("impressions", "new_followers", "lost_followers", "profile_visits"):
            b.number(name)
        notes = unknown_note(res)
        notes.append(
            f"the overview export does not name the account: using the client id {ctx.client!r}."
        )
        df = b.frame({"client": ctx.client, "platform": "x", "account": ctx.client})
        return ParsedFile(
            importer=self.name,
            platform="x",
            tables={"audience": canonical("audience", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )
