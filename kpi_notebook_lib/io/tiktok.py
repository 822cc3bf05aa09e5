"""TikTok Studio analytics exports (UTF-8 with BOM, every field quoted, no final newline).

``tiktok.overview``
    ``Overview.csv`` (``Date, Video Views, Profile Views, Likes, Comments, Shares``) →
    ``audience.profile_visits``.
``tiktok.content``
    ``Content.csv`` (``Time, Video title, Video link, Post time, Total likes…``) → ``posts``
    (id and account from the video link).
``tiktok.followers``
    ``FollowerHistory.csv`` (``Date, Followers, Difference in followers from previous day``)
    → ``audience.followers``. The difference is a *net* change: it is not new followers.

Dates carry no year (``February 28``, ``8 de marzo``). The year comes from the date range in
the file's or its folder's name (``…_2025-02-01_2025-03-31``); failing that from the year the
user gives (:attr:`ImportContext.year`). Nothing is guessed: without either, or when one year
cannot place the dates (they cross a new year, or the range spans several years and a day fits
more than one), the file or the row is an error.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from ..exceptions import ImportFormatError
from ._csv import (
    RowBuilder,
    YearRule,
    canonical,
    date_range_in_name,
    has_header,
    is_na,
    read_csv_table,
    text_date_parts,
    unknown_note,
)
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = [
    "TikTokContentImporter",
    "TikTokFollowersImporter",
    "TikTokOverviewImporter",
    "year_rule",
]

_LINK = re.compile(r"tiktok\.com/@(?P<account>[^/?#]+)/(?:video|photo)/(?P<id>\d+)", re.I)


def _months(cells: pd.Series) -> set[int]:
    out = set()
    for v in cells:
        if is_na(v):
            continue
        got = text_date_parts(str(v))
        if got and got[2] is None:
            out.add(got[0])
    return out


def year_rule(path: Path, ctx: ImportContext, cells: pd.Series | None) -> tuple[YearRule, str]:
    """Decide how year-less dates of ``path`` get their year.

    Parameters
    ----------
    path : Path
        The export (its name or its folder's may hold the date range).
    ctx : ImportContext
        ``ctx.year`` is used when the name holds no range.
    cells : pandas.Series, optional
        The raw date cells, to detect a range crossing a new year.

    Returns
    -------
    rule : callable
        ``rule(month, day)`` → year, or the reason it cannot be decided.
    note : str
        How the year was decided, for the user.

    Raises
    ------
    ImportFormatError
        When no year source exists, when ``ctx.year`` contradicts the range, or when a single
        year cannot place dates that cross a new year.
    """
    rng = date_range_in_name(path)
    if rng is not None:
        start, end = rng[0].date(), rng[1].date()
        if ctx.year is not None and not start.year <= ctx.year <= end.year:
            raise ImportFormatError(
                str(path),
                f"the year given ({ctx.year}) contradicts the export's date range "
                f"{start} to {end} in its name",
            )

        def from_range(month: int, day: int) -> int | str:
            years = []
            for y in range(start.year, end.year + 1):
                try:
                    d = date(y, month, day)
                except ValueError:
                    continue
                if start <= d <= end:
                    years.append(y)
            if len(years) == 1:
                return years[0]
            if not years:
                return f"the day is outside the export's date range {start} to {end}"
            return (
                f"ambiguous year: the range {start} to {end} holds this day in "
                f"{' and '.join(map(str, years))}"
            )

        return from_range, f"dates carry no year: placed in the file's range {start} to {end}."
    if ctx.year is None:
        raise ImportFormatError(
            str(path),
            "dates carry no year (e.g. 'February 28') and the file name holds no "
            "date range. Give the year of the export (ImportContext.year, e.g. `--year 2025`) "
            "or keep the range in the file or folder name (e.g. tiktok_2025-02-01_2025-02-28)",
        )
    months = _months(cells) if cells is not None else set()
    if 12 in months and 1 in months:
        raise ImportFormatError(
            str(path),
            f"dates carry no year and run from December into January: the single "
            f"year given ({ctx.year}) cannot place them. Keep the export's date range in the "
            "file or folder name (e.g. tiktok_2025-12-15_2026-01-15)",
        )
    year = int(ctx.year)
    return (lambda month, day: year), f"dates carry no year: the year given ({year}) was used."


def _dates(b: RowBuilder, path: Path, ctx: ImportContext, name: str, **kwargs) -> str:
    rule, note = year_rule(path, ctx, b.cells(name))
    b.when(name, text_dates=True, year=rule, expected="February 28", **kwargs)
    return note


def _exported_at(path: Path) -> pd.Timestamp | None:
    rng = date_range_in_name(path)
    return rng[1].tz_localize("UTC") if rng else None


def _parsed(
    importer: str, table: str, df: pd.DataFrame, b: RowBuilder, path: Path, notes: list[str]
) -> ParsedFile:
    """What every TikTok importer returns: one canonical table, its quarantine and notes."""
    return ParsedFile(
        importer=importer,
        platform="tiktok",
        tables={table: canonical(table, df)},
        quarantine=b.quarantine(),
        exported_at=_exported_at(path),
        notes=notes + b.notes,
    )


@register
class TikTokOverviewImporter(Importer):
    """TikTok ``Overview.csv`` → ``audience`` (profile visits)."""

    name = "tiktok.overview"
    platform = "tiktok"
    tables = ("audience",)
    description = 'TikTok Overview.csv ("Date","Video Views","Profile Views",…)'

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "tiktok", "overview", ("date", "video_views", "profile_visits"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "tiktok",
            "overview",
            ctx,
            required=("date",),
            numeric=("video_views", "profile_visits"),
        )
        b = RowBuilder(raw, res, loc)
        notes = unknown_note(res)
        notes.append(_dates(b, path, ctx, "date", date_only=True))
        b.number("profile_visits")
        b.number("video_views", to="_video_views")
        notes.append("video views have no daily audience column: not imported.")
        notes.append(f"the file does not name the account: using the client id {ctx.client!r}.")
        df = b.frame({"client": ctx.client, "platform": "tiktok", "account": ctx.client})
        return _parsed(self.name, "audience", df, b, path, notes)


@register
class TikTokContentImporter(Importer):
    """TikTok ``Content.csv`` → ``posts``."""

    name = "tiktok.content"
    platform = "tiktok"
    tables = ("posts",)
    description = 'TikTok Content.csv ("Time","Video title","Video link","Post time",…)'

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "tiktok", "content", ("permalink", "views"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "tiktok",
            "content",
            ctx,
            required=("permalink", "published_at"),
            numeric=("reactions", "comments", "shares", "views"),
        )
        b = RowBuilder(raw, res, loc)
        links = b.text("permalink")
        parts = links.str.extract(_LINK)
        bad = parts["id"].isna()
        b.fail(
            links.index[bad],
            b.header_of("permalink"),
            links[bad].fillna(""),
            "expected a TikTok video link like https://www.tiktok.com/@account/video/<id>",
        )
        b.set("post_id", parts["id"].astype("string"))
        b.set("account", parts["account"].fillna(ctx.client).astype("string"))
        b.text("text")
        notes = unknown_note(res)
        notes.append(_dates(b, path, ctx, "published_at", timezone=ctx.timezone))
        for name in ("reactions", "comments", "shares", "views"):
            b.number(name)
        b.set("format", pd.Series("video", index=raw.data.index, dtype="string"))
        df = b.frame({"client": ctx.client, "platform": "tiktok"})
        return _parsed(self.name, "posts", df, b, path, notes)


@register
class TikTokFollowersImporter(Importer):
    """TikTok ``FollowerHistory.csv`` → ``audience`` (followers)."""

    name = "tiktok.followers"
    platform = "tiktok"
    tables = ("audience",)
    description = 'TikTok FollowerHistory.csv ("Date","Followers","Difference in followers…")'

    def sniff(self, head: FileHead) -> bool:
        return has_header(head, "tiktok", "followers", ("date", "followers"))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        raw, res, loc, _ = read_csv_table(
            path,
            "tiktok",
            "followers",
            ctx,
            required=("date", "followers"),
            numeric=("followers", "difference"),
        )
        b = RowBuilder(raw, res, loc)
        notes = unknown_note(res)
        notes.append(_dates(b, path, ctx, "date", date_only=True))
        b.number("followers")
        if b.has("difference"):
            b.number("difference", to="_difference")
            notes.append("'Difference in followers' is a net change: not stored as new followers.")
        notes.append(f"the file does not name the account: using the client id {ctx.client!r}.")
        df = b.frame({"client": ctx.client, "platform": "tiktok", "account": ctx.client})
        return _parsed(self.name, "audience", df, b, path, notes)
