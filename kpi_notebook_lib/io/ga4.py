"""Google Analytics 4 CSV downloads (``data-export.csv``).

``ga4.export``
    A preamble of ``#`` lines (``# Account: …``, ``# Property: …``, ``# Start date:
    20230708``, ``# End date: …``), then a table; a file may hold several sections, each with
    its own preamble and header. Each section with a ``Date`` column (``20231010``, rows in any
    order) and at least one conversion metric → ``conversions``:

    - ``source`` from ``Session source`` (or ``Session source / medium``, ``First user
      source``, ``Session default channel group``), mapped to a platform id for Facebook,
      Instagram, LinkedIn, X (``t.co``, ``twitter``), YouTube and TikTok, else ``other``. A
      section with no source column goes to ``other`` (said in the notes);
    - ``sessions`` ← Sessions; ``leads`` ← Key events / Conversions; ``sales`` ←
      Transactions / Purchases; ``revenue`` ← Total revenue / Purchase revenue;
    - rows that map to the same day, source and campaign (``m.facebook.com`` and
      ``l.facebook.com``) are summed within a section.

Sections without a date or without any of these metrics are skipped with a note.
``exported_at`` is the latest ``# End date``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ._csv import (
    ISO_FORMATS,
    RowBuilder,
    build_table,
    canonical,
    context_aliases,
    empty_failures,
    locale_of,
    read_text,
    sections,
    sniff_delimiter,
    split_records,
    unknown_note,
)
from .aliases import load_aliases, normalize_header, resolve_header
from .base import FileHead, ImportContext, Importer, ParsedFile, register

__all__ = ["GA4ExportImporter", "source_platform"]

_PREAMBLE_KEYS = (
    "account",
    "property",
    "start date",
    "end date",
    "compte",
    "propriete",
    "date de debut",
    "date de fin",
)
_END_KEYS = ("end date", "date de fin")
_METRICS = ("sessions", "leads", "sales", "revenue")
_TOTAL_ROWS = {"total", "totals", "grand total", "total general", "totaux"}

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("facebook", re.compile(r"(^|\.)facebook\.com$|^facebook$|^fb$|^fb\.(com|me)$|facebook")),
    ("instagram", re.compile(r"instagram|^ig$")),
    ("linkedin", re.compile(r"linkedin|^lnkd\.in$")),
    ("x", re.compile(r"^t\.co$|twitter|^x$|^x\.com$|tweetdeck")),
    ("youtube", re.compile(r"youtube|^youtu\.be$")),
    ("tiktok", re.compile(r"tiktok")),
)


def source_platform(value: object) -> str:
    """Map a GA4 source (``m.facebook.com``, ``t.co / referral``…) to a platform id or ``other``.

    Parameters
    ----------
    value : object
        Cell of a source, source / medium or channel group column.

    Returns
    -------
    str
        One of ``facebook, instagram, linkedin, x, youtube, tiktok, other``.
    """
    s = normalize_header(value).split(" / ")[0].strip()
    s = s.removeprefix("www.")
    for platform, pattern in _RULES:
        if pattern.search(s):
            return platform
    return "other"


def _preamble(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if sep:
            out[normalize_header(key)] = value.strip()
    return out


@register
class GA4ExportImporter(Importer):
    """GA4 CSV download (``#`` preamble, one or more sections) → ``conversions``."""

    name = "ga4.export"
    platform = None
    tables = ("conversions",)
    description = "Google Analytics 4 CSV download (# Account / # Property / # Start date lines)"

    def sniff(self, head: FileHead) -> bool:
        for line in head.lines[:40]:
            if line.startswith("#"):
                key = normalize_header(line[1:].partition(":")[0])
                if key in _PREAMBLE_KEYS:
                    return True
        return False

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        text, _ = read_text(path)
        table = load_aliases("ga4", "export", context_aliases(ctx))
        frames, quarantines, notes = [], [], []
        ends = []
        for sec in sections(text):
            info = _preamble(sec.preamble)
            for key in _END_KEYS:
                if key in info:
                    try:
                        ends.append(
                            pd.Timestamp(pd.to_datetime(info[key], format="%Y%m%d"), tz="UTC")
                        )
                    except ValueError:
                        notes.append(f"unreadable end date {info[key]!r} in the preamble.")
            delimiter = sniff_delimiter(sec.text)
            records = split_records(sec.text, delimiter, first_line=sec.first_line)
            starts = [
                i for i, (_, cells) in enumerate(records) if any(str(c).strip() for c in cells)
            ]
            if not starts:
                continue
            raw = build_table(records, starts[0])
            where = f"section at line {raw.header_line}"
            res = resolve_header(raw.header, table, file=path, row=raw.header_line)
            if not res.has("date"):
                notes.append(
                    f"{where} has no Date column ({', '.join(raw.header[:3])}…): not imported."
                )
                continue
            if not any(res.has(m) for m in _METRICS):
                notes.append(
                    f"{where} has no sessions, key events, transactions or revenue "
                    "column: not imported."
                )
                continue
            notes += [f"{where}: {n}" for n in unknown_note(res)]
            date_pos = res.columns["date"][0]
            totals = raw.data[date_pos].map(lambda v: normalize_header(v) in _TOTAL_ROWS)
            if totals.any():
                lines = ", ".join(str(r) for r in raw.data.index[totals])
                notes.append(f"{where}: skipped the total row(s) on line(s) {lines}.")
                raw.data = raw.data.loc[~totals]
            loc = locale_of(raw, res, _METRICS, delimiter)
            b = RowBuilder(raw, res, loc)
            b.when("date", date_only=True, formats=("%Y%m%d", *ISO_FORMATS), expected="20231010")
            if b.has("source"):
                src = b.text("source", to="_source")
                b.set(
                    "source",
                    src.map(source_platform, na_action="ignore").fillna("other").astype("string"),
                )
            else:
                b.set("source", pd.Series("other", index=raw.data.index, dtype="string"))
                notes.append(f"{where} has no source column: its rows go to source 'other'.")
            b.text("campaign")
            for m in ("sessions", "leads", "sales"):
                b.number(m)
            b.number("revenue", integer=False)
            df = b.frame({"client": ctx.client})
            quarantines.append(b.quarantine())
            notes += b.notes
            frames.append(self._aggregate(df, where, notes))
        data = (
            pd.concat(frames)
            if frames
            else pd.DataFrame(columns=["client", "date", "source", "source_row"])
        )
        keys = ["date", "source", "campaign"]
        if frames and data.duplicated(keys, keep=False).any():
            notes.append(
                "several sections give the same day and source: the duplicates will "
                "be quarantined at validation; export one breakdown per file."
            )
        q = pd.concat([x for x in quarantines if len(x)] or [empty_failures()], ignore_index=True)
        return ParsedFile(
            importer=self.name,
            platform=None,
            tables={"conversions": canonical("conversions", data)},
            quarantine=q,
            exported_at=max(ends) if ends else None,
            notes=notes,
        )

    @staticmethod
    def _aggregate(df: pd.DataFrame, where: str, notes: list[str]) -> pd.DataFrame:
        keys = ["date", "source", "campaign"]
        if df.empty or not df.duplicated(keys, keep=False).any():
            return df
        metrics = [m for m in _METRICS if m in df]
        grouped = df.groupby(keys, dropna=False, sort=False)
        out = grouped[metrics].sum(min_count=1)
        out["source_row"] = grouped["source_row"].min()
        out["client"] = grouped["client"].first()
        out = out.reset_index()
        out.index = pd.Index(out["source_row"].to_numpy())
        notes.append(
            f"{where}: {len(df) - len(out)} row(s) summed into the same day and "
            "platform (e.g. m.facebook.com and l.facebook.com)."
        )
        return out
