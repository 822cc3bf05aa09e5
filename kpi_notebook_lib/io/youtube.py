"""YouTube Studio exports (Analytics > Advanced mode > Export > CSV).

``youtube.studio``
    A *folder* holding ``Table data.csv``, ``Chart data.csv`` and ``Totals.csv`` (French UI:
    ``Données du tableau.csv``, ``Données du graphique.csv``, ``Totaux.csv``). The names never
    change, so the folder is the unit of import and its name (``Content 2025-08-01_2025-08-31
    Channel name``) gives the channel and the date range.

    - Grouped by *Content*, the table → ``posts`` (one row per video; publish days like
      ``Aug 28, 2025``; durations ``0:04:34`` are not canonical).
    - Grouped by *Date*, the table → ``audience`` (subscribers gained/lost, impressions);
      otherwise ``Totals.csv`` gives the audience rows when it has those columns.
    - The table's first data row is ``Total``: it is skipped (never counted twice).
    - ``Subscribers`` is a *net* change (gained − lost): it is not stored as follows.
    - ``Chart data.csv`` (per day *and* per video) has no canonical table: it is not read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..exceptions import ImportFormatError
from ._csv import (
    ISO_FORMATS,
    RowBuilder,
    canonical,
    empty_failures,
    read_csv_table,
    read_records,
    unknown_note,
)
from .aliases import normalize_header
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = ["YouTubeStudioImporter"]

_FILES = {
    "table": ("table data.csv", "donnees du tableau.csv"),
    "chart": ("chart data.csv", "donnees du graphique.csv"),
    "totals": ("totals.csv", "totaux.csv"),
}
_FOLDER = re.compile(
    r"^(?P<dim>.+?) (?P<start>\d{4}-\d{2}-\d{2})_(?P<end>\d{4}-\d{2}-\d{2})(?: (?P<channel>.+))?$"
)
_TOTAL = {"total", "totaux", "totals"}
_NUMBERS = (
    "views",
    "impressions",
    "reactions",
    "comments",
    "shares",
    "follows",
    "lost",
    "net_subscribers",
)


def _files(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if not folder.is_dir():
        return out
    for p in folder.iterdir():
        key = normalize_header(p.name)
        for kind, names in _FILES.items():
            if key in names:
                out[kind] = p
    return out


def _folder_info(folder: Path) -> tuple[str | None, pd.Timestamp | None]:
    m = _FOLDER.match(folder.name)
    if not m:
        return None, None
    channel = m.group("channel")
    return (channel.strip() if channel else None), pd.Timestamp(m.group("end"), tz="UTC")


def _skip_total(raw, res, dim: str) -> list[str]:
    """Drop the table's first data row when it is the ``Total`` row."""
    if raw.data.empty:
        return []
    pos = res.columns[dim][0]
    first = raw.data.index[0]
    if normalize_header(raw.data.at[first, pos]) in _TOTAL:
        raw.data = raw.data.drop(index=first)
        return [f"skipped the YouTube 'Total' row (line {first})."]
    return []


def _audience(path: Path, ctx: ImportContext, account: str, what: str):
    raw, res, loc, _ = read_csv_table(
        path, "youtube", "table", ctx, required=("date",), numeric=_NUMBERS
    )
    notes = [f"{path.name}: {n}" for n in unknown_note(res)]
    notes += [f"{path.name}: {n}" for n in _skip_total(raw, res, "date")]
    b = RowBuilder(raw, res, loc)
    b.when("date", date_only=True, formats=ISO_FORMATS, expected="2025-08-28")
    mapped = False
    for field, column in (
        ("follows", "new_followers"),
        ("lost", "lost_followers"),
        ("impressions", "impressions"),
    ):
        if b.has(field):
            b.number(field, to=column)
            mapped = True
    if not mapped:
        notes.append(
            f"{path.name} has no subscribers gained/lost or impressions column: "
            f"no {what} audience rows."
        )
        return None, b.quarantine(), notes + b.notes
    if b.has("net_subscribers") and not b.has("follows"):
        notes.append(f"{path.name}: 'Subscribers' is a net change; not stored.")
    df = b.frame({"client": ctx.client, "platform": "youtube", "account": account})
    return canonical("audience", df), b.quarantine(), notes + b.notes


def _posts(path: Path, ctx: ImportContext, account: str):
    raw, res, loc, _ = read_csv_table(
        path, "youtube", "table", ctx, required=("content",), numeric=_NUMBERS
    )
    notes = [f"{path.name}: {n}" for n in unknown_note(res)]
    notes += [f"{path.name}: {n}" for n in _skip_total(raw, res, "content")]
    b = RowBuilder(raw, res, loc)
    ids = b.text("content", to="post_id")
    b.set("permalink", ("https://www.youtube.com/watch?v=" + ids).astype("string"))
    b.text("text")
    b.when("published_at", text_dates=True, timezone=ctx.timezone, expected="Aug 28, 2025")
    for name in ("views", "impressions", "reactions", "comments", "shares", "follows"):
        if b.has(name):
            b.number(name)
    b.set("format", pd.Series("video", index=raw.data.index, dtype="string"))
    if b.has("net_subscribers"):
        notes.append(
            f"{path.name}: 'Subscribers' is a net change (gained − lost), not stored "
            "as follows; add 'Subscribers gained' to the export to get follows."
        )
    if b.has("published_at"):
        notes.append(
            f"{path.name}: YouTube gives publish days without a time: published_at "
            f"is local midnight ({ctx.timezone})."
        )
    notes.append(
        f"{path.name}: format is 'video' for every row (the export does not tell Shorts apart)."
    )
    df = b.frame({"client": ctx.client, "platform": "youtube", "account": account})
    return canonical("posts", df), b.quarantine(), notes + b.notes


@register
class YouTubeStudioImporter(Importer):
    """YouTube Studio export folder (``Table data.csv``, ``Chart data.csv``, ``Totals.csv``)."""

    name = "youtube.studio"
    platform = "youtube"
    tables = ("posts", "audience")
    description = "YouTube Studio export folder with Table data.csv, Chart data.csv, Totals.csv"
    folder = True

    def sniff(self, head: FileHead) -> bool:
        return "table" in _files(head.path)

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        path = Path(path)
        files = _files(path)
        if "table" not in files:
            raise ImportFormatError(
                str(path),
                "expected a YouTube Studio export folder holding "
                "'Table data.csv', but there is none",
            )
        channel, exported = _folder_info(path)
        account = channel or ctx.client
        notes: list[str] = []
        if channel is None:
            notes.append(
                f"the folder name does not give the channel: using the client id {ctx.client!r}."
            )
        table = files["table"]
        records, _, _ = read_records(table)
        first = [normalize_header(c) for c in (records[0][1] if records else [])]
        tables: dict[str, pd.DataFrame] = {}
        quarantines = []
        if first and first[0] in ("content", "contenu"):
            posts, q, n = _posts(table, ctx, account)
            tables["posts"] = posts
            quarantines.append(q.assign(column=table.name + "!" + q["column"].astype(str)))
            notes += n
            if "totals" in files:
                aud, q, n = _audience(files["totals"], ctx, account, "daily")
                notes += n
                if aud is not None:
                    tables["audience"] = aud
                    quarantines.append(
                        q.assign(column=files["totals"].name + "!" + q["column"].astype(str))
                    )
        elif first and first[0] == "date":
            aud, q, n = _audience(table, ctx, account, "daily")
            notes += n
            if aud is not None:
                tables["audience"] = aud
            quarantines.append(q.assign(column=table.name + "!" + q["column"].astype(str)))
        else:
            raise ImportFormatError(
                str(table),
                "expected a YouTube table grouped by Content (videos) or by Date, "
                f"but it is grouped by {records[0][1][0] if records else '(nothing)'!r}. "
                "Export again with the Content or Date tab selected",
                row=1,
            )
        if "chart" in files:
            notes.append(f"{files['chart'].name} (per day and per video) is not imported.")
        q = pd.concat([x for x in quarantines if len(x)] or [empty_failures()], ignore_index=True)
        return ParsedFile(
            importer=self.name,
            platform="youtube",
            tables=tables,
            quarantine=q,
            exported_at=exported,
            notes=notes,
        )
