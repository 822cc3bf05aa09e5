"""LinkedIn company page exports (``.xls``/``.xlsx``, sometimes HTML saved as ``.xls``).

``linkedin.updates``
    ``<company>_updates_<ts>.xls``: sheet "Update metrics (aggregated)" (daily page-level
    impressions) → ``audience``; sheet "All posts" (per post) → ``posts``.
``linkedin.followers``
    ``<company>_followers_<ts>.xls``: sheet "New followers" → ``audience.new_followers``
    (the sheet's "Total followers" is the day's total of *new* followers).
``linkedin.visitors``
    ``<company>_visitors_<ts>.xls``: sheet "Visitor metrics" → ``audience.profile_visits``
    (total page views).

Sheets are recognised by their header (found under LinkedIn's description row), not by their
name, so the HTML variant, whose tables have no names, reads the same way. Demographic sheets
(location, job function…) are not imported. The company comes from the file name, the export
time from its millisecond timestamp. Quarantined cells name the sheet in ``column``
(``All posts!Impressions``) since rows of two sheets can share a number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..exceptions import ImportFormatError
from ._csv import (
    Record,
    RowBuilder,
    canonical,
    empty_failures,
    map_formats,
    numeric_date_formats,
    read_sheets,
    sheet_table,
    sum_counts,
    unknown_note,
    workbook_kind,
)
from .aliases import load_aliases, normalize_header
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = ["LinkedInFollowersImporter", "LinkedInUpdatesImporter", "LinkedInVisitorsImporter"]

#: Fields that identify each sheet kind (any one of the sets).
_SIGNATURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "update_metrics": (("date", "impressions_organic"), ("date", "impressions")),
    "all_posts": (("permalink", "published_at"), ("text", "published_at")),
    "new_followers": (("date", "organic"), ("date", "total")),
    "visitor_metrics": (("date", "profile_visits"), ("date", "overview_views")),
}
_NAME = re.compile(r"^(?P<company>.+?)_(?P<kind>updates|followers|visitors)_(?P<ts>\d{10,13})")
_URN = re.compile(r"(urn:li:[A-Za-z]+:\d+)")
_SPONSORED = {"sponsored", "sponsorise", "sponsorisee", "paid", "payant"}


def sheet_kind(records: list[Record]) -> str | None:
    """Which LinkedIn sheet these records are (by header), or None."""
    for kind, signatures in _SIGNATURES.items():
        table = load_aliases("linkedin", kind)
        for _, cells in records[:10]:
            found = {table.field_of(c) for c in cells if c is not None and str(c).strip()}
            if any(set(sig) <= found for sig in signatures):
                return kind
    return None


@lru_cache(maxsize=4)
def _sheets(path: str, mtime: float, size: int) -> dict[str, list[Record]]:
    return read_sheets(Path(path))


def _workbook(path: Path) -> dict[str, list[Record]]:
    st = Path(path).stat()
    return _sheets(str(path), st.st_mtime, st.st_size)


def _kinds(path: Path) -> dict[str, tuple[str, list[Record]]]:
    """Sheet kind → (sheet name, records), first sheet of each kind."""
    out: dict[str, tuple[str, list[Record]]] = {}
    for name, records in _workbook(path).items():
        kind = sheet_kind(records)
        if kind and kind not in out:
            out[kind] = (name, records)
    return out


def _from_name(path: Path) -> tuple[str | None, pd.Timestamp | None]:
    m = _NAME.match(Path(path).name)
    if not m:
        return None, None
    ts = int(m.group("ts"))
    unit = "ms" if len(m.group("ts")) == 13 else "s"
    return m.group("company"), pd.Timestamp(ts, unit=unit, tz="UTC")


def _qualify(q: pd.DataFrame, sheet: str) -> pd.DataFrame:
    if len(q):
        q = q.assign(column=sheet + "!" + q["column"].astype(str))
    return q


def _daily(
    path: Path, ctx: ImportContext, kind: str, sheet: str, records: list[Record]
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    numeric = {
        "update_metrics": ("impressions", "impressions_organic", "impressions_sponsored"),
        "new_followers": ("total", "organic", "sponsored", "auto_invited"),
        "visitor_metrics": ("profile_visits", "overview_views"),
    }[kind]
    raw, res, loc = sheet_table(
        records, path, "linkedin", kind, ctx, required=("date",), numeric=numeric
    )
    b = RowBuilder(raw, res, loc)
    b.when(
        "date",
        date_only=True,
        formats=numeric_date_formats(loc),
        expected="28/02/2025" if loc.dayfirst else "02/28/2025",
    )
    notes = [f"sheet {sheet!r}: {n}" for n in unknown_note(res)]
    if kind == "update_metrics":
        total = b.number("impressions")
        if not b.has("impressions"):
            parts = [
                b.number(n) for n in ("impressions_organic", "impressions_sponsored") if b.has(n)
            ]
            b.set("impressions", sum_counts(*parts) if parts else total)
    elif kind == "new_followers":
        if b.has("total"):
            b.number("total", to="new_followers")
        else:
            parts = [b.number(n) for n in ("organic", "sponsored", "auto_invited") if b.has(n)]
            if parts:
                b.set("new_followers", sum_counts(*parts))
        notes.append("LinkedIn 'Total followers' in 'New followers' is the day's new followers.")
    else:
        visits = b.number("profile_visits")
        if not b.has("profile_visits") and b.has("overview_views"):
            b.set("profile_visits", b.number("overview_views").fillna(visits))
    company, _ = _from_name(path)
    df = b.frame({"client": ctx.client, "platform": "linkedin", "account": company or ctx.client})
    return canonical("audience", df), _qualify(b.quarantine(), sheet), notes + b.notes


def _posts(
    path: Path, ctx: ImportContext, sheet: str, records: list[Record]
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    numeric = (
        "impressions",
        "video_views",
        "clicks",
        "reactions",
        "comments",
        "shares",
        "follows",
        "platform_engagement_rate",
    )
    raw, res, loc = sheet_table(
        records,
        path,
        "linkedin",
        "all_posts",
        ctx,
        required=("permalink", "published_at"),
        numeric=numeric,
    )
    b = RowBuilder(raw, res, loc)
    links = b.text("permalink")
    ids = links.str.extract(_URN, expand=False).astype("string")
    bad = ids.isna()
    b.fail(
        ids.index[bad],
        b.header_of("permalink"),
        links[bad].fillna(""),
        "expected a LinkedIn post link holding urn:li:activity:<id>",
    )
    b.set("post_id", ids)
    b.text("text")
    b.text("campaign")
    b.when(
        "published_at",
        timezone=ctx.timezone,
        formats=numeric_date_formats(loc),
        expected="28/02/2025" if loc.dayfirst else "02/28/2025",
    )
    if b.has("paid_type"):
        kinds = b.text("paid_type", to="_paid")
        b.set(
            "paid",
            kinds.map(lambda v: normalize_header(v) in _SPONSORED, na_action="ignore").astype(
                "boolean"
            ),
        )
    if b.has("format"):
        map_formats(b)
    for name in numeric:
        b.number(name, integer=name != "platform_engagement_rate")
    company, _ = _from_name(path)
    notes = [f"sheet {sheet!r}: {n}" for n in unknown_note(res)]
    notes.append(
        f"sheet {sheet!r}: LinkedIn gives creation days without a time: "
        f"published_at is local midnight ({ctx.timezone})."
    )
    df = b.frame({"client": ctx.client, "platform": "linkedin", "account": company or ctx.client})
    return canonical("posts", df), _qualify(b.quarantine(), sheet), notes + b.notes


class _LinkedInImporter(Importer):
    platform = "linkedin"
    kinds: tuple[str, ...] = ()

    def sniff(self, head: FileHead) -> bool:
        if head.suffix not in (".xls", ".xlsx", ".htm", ".html") and head.encoding is not None:
            return False
        if workbook_kind(head.path) is None:
            return False
        return bool(set(_kinds(head.path)) & set(self.kinds))

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        found = _kinds(path)
        wanted = [k for k in self.kinds if k in found]
        if not wanted:
            raise ImportFormatError(
                str(path),
                f"expected a LinkedIn sheet of kind {', '.join(self.kinds)}, but the "
                f"workbook holds sheets {list(_workbook(path))}",
            )
        tables: dict[str, pd.DataFrame] = {}
        quarantine, notes = [], []
        for kind in wanted:
            sheet, records = found[kind]
            if kind == "all_posts":
                df, q, n = _posts(path, ctx, sheet, records)
                tables["posts"] = df
            else:
                df, q, n = _daily(path, ctx, kind, sheet, records)
                tables["audience"] = df
            quarantine.append(q)
            notes += n
        company, exported = _from_name(path)
        if company is None:
            notes.append(f"no company in the file name: using the client id {ctx.client!r}.")
        q = pd.concat([x for x in quarantine if len(x)] or [empty_failures()], ignore_index=True)
        return ParsedFile(
            importer=self.name,
            platform="linkedin",
            tables=tables,
            quarantine=q,
            exported_at=exported,
            notes=notes,
        )


@register
class LinkedInUpdatesImporter(_LinkedInImporter):
    """LinkedIn updates export → ``posts`` ("All posts") and ``audience`` (aggregated)."""

    name = "linkedin.updates"
    tables = ("posts", "audience")
    description = "LinkedIn page updates export <company>_updates_<ts>.xls(x)"
    kinds = ("all_posts", "update_metrics")


@register
class LinkedInFollowersImporter(_LinkedInImporter):
    """LinkedIn followers export ("New followers") → ``audience``."""

    name = "linkedin.followers"
    tables = ("audience",)
    description = "LinkedIn page followers export <company>_followers_<ts>.xls(x)"
    kinds = ("new_followers",)


@register
class LinkedInVisitorsImporter(_LinkedInImporter):
    """LinkedIn visitors export ("Visitor metrics") → ``audience``."""

    name = "linkedin.visitors"
    tables = ("audience",)
    description = "LinkedIn page visitors export <company>_visitors_<ts>.xls(x)"
    kinds = ("visitor_metrics",)
