"""Meta Business Suite exports (Facebook and Instagram).

``facebook.posts``
    Facebook content export (UTF-8 with BOM; ``Publish time`` like ``02/16/2025 05:14``, month
    first, or day first in French; ``Date`` is the literal ``Lifetime``; ``N/A`` in numbers;
    a column may appear twice; older files carry ``IMPRESSION:UNIQUE_USERS`` and
    ``Impressions``) → ``posts``.
``instagram.posts``
    Instagram content export (column order varies) → ``posts``.
``meta.daily``
    Page-level daily files: UTF-16 with ``sep=,``, a title line (``"Facebook reach"``), then
    ``"Date","Primary"``; or the same re-saved by Excel (``;`` UTF-8, tab UTF-16, cp1252) →
    ``audience``. The title decides platform and column (follows → ``new_followers``, reach,
    views → ``impressions``, visits → ``profile_visits``). ``2025-01-01T01:00:00`` belongs to
    1 January whatever the hour (T00/T01 is a time-zone artefact).
``facebook.insights_legacy``
    Legacy Insights post export: names row, then a row of long descriptions; duplicate names
    are told apart by their description; ``Posted`` like ``01/19/2017 09:03:47 AM``.

Publish times carry no offset: they are read in the client's time zone (``ImportContext``),
and a time that falls in a daylight-saving gap or overlap is quarantined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..exceptions import ImportFormatError
from ._csv import (
    RowBuilder,
    build_table,
    canonical,
    check_ids,
    context_aliases,
    date_range_in_name,
    has_header,
    locale_of,
    locate_header,
    map_formats,
    numeric_date_formats,
    read_csv_table,
    read_records,
    unknown_note,
)
from .aliases import load_aliases, normalize_header, resolve_header
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = [
    "FacebookInsightsLegacyImporter",
    "FacebookPostsImporter",
    "InstagramPostsImporter",
    "MetaDailyImporter",
]

_POST_NUMBERS = (
    "views",
    "reach",
    "impressions",
    "reactions",
    "comments",
    "shares",
    "saves",
    "clicks",
    "link_clicks",
    "follows",
    "profile_visits",
)


def _exported_at(path: Path) -> pd.Timestamp | None:
    rng = date_range_in_name(path)
    return rng[1].tz_localize("UTC") if rng else None


def _date_note(b: RowBuilder, name: str) -> list[str]:
    """Warn when some dates contradict the file's day/month order."""
    q = b.quarantine()
    header = b.header_of(name)
    bad = q[(q["column"] == header) & q["reason"].str.startswith("expected a date")]
    if bad.empty:
        return []
    order = "day first (dd/mm/yyyy)" if b.locale.dayfirst else "month first (mm/dd/yyyy)"
    return [
        f"{len(bad)} {header!r} value(s) contradict this file's {order} dates and were "
        "quarantined; if a spreadsheet re-saved the file it may have swapped days and months "
        "on other rows too: prefer the original export."
    ]


def _read_posts(importer: Importer, platform: str, path: Path, ctx: ImportContext) -> ParsedFile:
    raw, res, loc, _ = read_csv_table(
        path,
        platform,
        "posts",
        ctx,
        required=("post_id", "published_at"),
        numeric=_POST_NUMBERS,
    )
    b = RowBuilder(raw, res, loc)
    check_ids(b, "post_id", digits=False)
    text = b.text("text")
    if b.has("title"):
        text = text.fillna(b.text("title"))
    b.set("text", text)
    b.text("permalink")
    b.when(
        "published_at",
        timezone=ctx.timezone,
        formats=numeric_date_formats(loc, times=(" %H:%M", " %H:%M:%S")),
        expected="16/02/2025 05:14" if loc.dayfirst else "02/16/2025 05:14",
    )
    map_formats(b)
    for name in _POST_NUMBERS:
        if b.has(name):
            b.number(name)
    account = b.text("account")
    b.set("account", account.fillna(ctx.client).astype("string"))
    notes = unknown_note(res)
    notes.append(f"publish times are local times, read in {ctx.timezone}.")
    notes += _date_note(b, "published_at")
    if not res.has("account"):
        notes.append(f"no page or account name in the file: using the client id {ctx.client!r}.")
    df = b.frame({"client": ctx.client, "platform": platform})
    return ParsedFile(
        importer=importer.name,
        platform=platform,
        tables={"posts": canonical("posts", df)},
        quarantine=b.quarantine(),
        exported_at=_exported_at(path),
        notes=notes + b.notes,
    )


@register
class FacebookPostsImporter(Importer):
    """Meta Business Suite Facebook content export → ``posts``."""

    name = "facebook.posts"
    platform = "facebook"
    tables = ("posts",)
    description = "Meta Business Suite Facebook posts export (Post ID, Page ID, Publish time…)"

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "facebook", "posts", ("post_id", "page_id"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        return _read_posts(self, "facebook", path, ctx)


@register
class InstagramPostsImporter(Importer):
    """Meta Business Suite Instagram content export → ``posts``."""

    name = "instagram.posts"
    platform = "instagram"
    tables = ("posts",)
    description = "Meta Business Suite Instagram posts export (Post ID, Account ID, Publish time…)"

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "instagram", "posts", ("post_id", "account_id"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        return _read_posts(self, "instagram", path, ctx)


def _title(records: list, header_index: int) -> str | None:
    for _, cells in reversed(records[:header_index]):
        content = [c for c in cells if str(c).strip()]
        if len(content) == 1:
            return str(content[0]).strip()
    return None


@register
class MetaDailyImporter(Importer):
    """Meta Business Suite page-level daily file (``Date``, ``Primary``) → ``audience``."""

    name = "meta.daily"
    platform = None
    tables = ("audience",)
    description = 'Meta Business Suite daily page file: a title line, then "Date","Primary"'

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "meta", "daily", ("date", "value"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        records, delimiter, _ = read_records(path)
        aliases = context_aliases(ctx)
        table = load_aliases("meta", "daily", aliases)
        at = locate_header(records, table)
        raw = build_table(records, at)
        res = resolve_header(
            raw.header, table, required=("date", "value"), file=path, row=raw.header_line
        )
        title = _title(records, at)
        titles = load_aliases("meta", "titles", aliases)
        metric = titles.field_of(title) if title else None
        if metric is None:
            known = [h for name in titles.fields for h in titles.fields[name]]
            raise ImportFormatError(
                str(path),
                f"expected a title line naming the metric ({', '.join(map(repr, known[:8]))}…) "
                f"above the header, but found {title!r}. If it is a metric under another "
                "name, add an alias to <workspace>/aliases.yml, e.g.\n"
                f"meta:\n  {title or '<title>'!r}: reach",
                row=raw.header_line - 1,
            )
        key = normalize_header(title)
        platform = "instagram" if "instagram" in key else "facebook"
        loc = locale_of(raw, res, ("value",), delimiter)
        b = RowBuilder(raw, res, loc)
        b.when(
            "date",
            date_only=True,
            expected="2025-01-01T00:00:00",
            formats=numeric_date_formats(loc),
        )
        notes = unknown_note(res)
        if metric == "not_imported":
            b.number("value", to="_value")
            notes.append(f"{title!r} has no canonical audience column: nothing imported.")
            df = b.frame().iloc[0:0]
        else:
            b.number("value", to=metric)
            if metric == "impressions":
                notes.append(
                    f"{title!r}: Meta views are stored as daily impressions (Meta "
                    "replaced impressions by views in 2024-2025)."
                )
            notes.append(f"the file does not name the page: using the client id {ctx.client!r}.")
            df = b.frame({"client": ctx.client, "platform": platform, "account": ctx.client})
        return ParsedFile(
            importer=self.name,
            platform=platform,
            tables={"audience": canonical("audience", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )


_QUALIFIER = re.compile(r"\((unique users|total count)\)", re.IGNORECASE)


@register
class FacebookInsightsLegacyImporter(Importer):
    """Legacy Facebook Insights post-level export (two header rows) → ``posts``."""

    name = "facebook.insights_legacy"
    platform = "facebook"
    tables = ("posts",)
    description = "Legacy Facebook Insights post export (Post ID, Posted, Lifetime Post…)"

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "facebook", "insights_legacy", ("post_id", "reach"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        records, delimiter, _ = read_records(path)
        table = load_aliases("facebook", "insights_legacy", context_aliases(ctx))
        at = locate_header(records, table)
        described = at + 1 < len(records) and any(
            "lifetime" in str(c).lower() or "unique" in str(c).lower() for c in records[at + 1][1]
        )
        raw = build_table(records, at, skip=1 if described else 0)
        header = list(raw.header)
        if described:
            descriptions = list(records[at + 1][1]) + [""] * len(header)
            counts = pd.Series([normalize_header(h) for h in header]).value_counts()
            for i, h in enumerate(header):
                if counts.get(normalize_header(h), 0) > 1:
                    m = _QUALIFIER.search(str(descriptions[i]))
                    header[i] = f"{h} ({m.group(1)})" if m else h
        res = resolve_header(
            header, table, required=("post_id", "published_at"), file=path, row=raw.header_line
        )
        loc = locale_of(raw, res, _POST_NUMBERS, delimiter)
        b = RowBuilder(raw, res, loc)
        check_ids(b, "post_id", digits=False)
        b.text("text")
        b.text("permalink")
        b.when(
            "published_at",
            timezone=ctx.timezone,
            expected="01/19/2017 09:03:47 AM",
            formats=(
                "%m/%d/%Y %I:%M:%S %p",
                "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ),
        )
        map_formats(b)
        for name in _POST_NUMBERS:
            if b.has(name):
                b.number(name)
        notes = unknown_note(res)
        notes.append(f"'Posted' times are local times, read in {ctx.timezone}.")
        notes.append(
            f"the legacy export does not name the page: using the client id {ctx.client!r}."
        )
        df = b.frame({"client": ctx.client, "platform": "facebook", "account": ctx.client})
        return ParsedFile(
            importer=self.name,
            platform="facebook",
            tables={"posts": canonical("posts", df)},
            quarantine=b.quarantine(),
            exported_at=_exported_at(path),
            notes=notes + b.notes,
        )
