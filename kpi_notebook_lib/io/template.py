"""The toolkit's own CSV templates, one per canonical table.

For data that no platform exports in a known format (a CRM's leads, a listening tool's mentions,
hand-kept figures), users fill a CSV whose header uses the canonical column names of
:mod:`kpi_notebook_lib.schema` (UTF-8, comma-separated, ``.`` decimal mark). ``client`` may be
omitted: it comes from the folder. Timestamps are ISO 8601; one without an offset is read in the
client's time zone (a local time that does not exist or exists twice at a DST change is
quarantined, not guessed). Dates are ``YYYY-MM-DD``.

When the export time is not given by an ``exported_at`` column, a date range in the file (or
folder) name, as benchmarking tools write it (``benchmark_2026-07-01_2026-11-25.csv``), dates
the file at the range's last day, as the platform importers do; else ingest falls back on the
file's modification time.

The ``benchmarks`` template (``brand, platform, date, followers, posts, reactions, comments,
shares, views``) holds the public figures of the client's and its competitors' accounts, one
row per brand, platform and local day, as a benchmarking tool exports them or as they are
noted by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..schema import PROVENANCE, TABLES
from ._csv import date_range_in_name
from .base import FileHead, ImportContext, Importer, ParsedFile, register
from .normalize import clean_text, parse_bools, parse_numbers

__all__ = ["TemplateImporter", "read_template", "template_header"]

# Columns that identify each template (besides its metrics).
_SIGNATURES = {
    "posts": {"platform", "account", "post_id", "published_at"},
    "audience": {"platform", "account", "date", "followers"},
    "mentions": {"platform", "mention_id", "published_at", "brand"},
    "conversions": {"date", "source"},
    "benchmarks": {"brand", "platform", "date"},
}
#: Order in which headers are matched against the templates.
_ORDER = ("posts", "mentions", "audience", "conversions", "benchmarks")
_PROVENANCE = {c.name for c in PROVENANCE} - {"exported_at"}


def template_header(table: str) -> list[str]:
    """Column names of the CSV template for ``table`` (what users fill)."""
    return [c.name for c in TABLES[table].columns if c.name != "client"]


def _header(head: FileHead) -> list[str]:
    if not head.lines:
        return []
    return [h.strip() for h in next(csv.reader([head.lines[0]]))]


def _table_of(header: list[str]) -> str | None:
    cols = set(header)
    known = set().union(*(TABLES[t].names for t in TABLES)) | {"exported_at"}
    if not cols <= known:
        return None
    for table in _ORDER:
        if _SIGNATURES[table] <= cols and cols <= set(TABLES[table].names) | {"exported_at"}:
            return table
    return None


def _parse_timestamps(
    raw: pd.Series, *, column: str, timezone: str
) -> tuple[pd.Series, pd.DataFrame]:
    text = raw.astype("string").str.strip()
    present = text.notna() & (text != "")
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    rows, vals, reasons = [], [], []
    has_offset = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).fillna(False)
    aware = present & has_offset
    if aware.any():
        parsed = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = parsed
    naive = present & ~has_offset
    if naive.any():
        parsed = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        ok = parsed.notna()
        local = parsed[ok].dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
        out[local.index] = local.dt.tz_convert("UTC")
        for row in local.index[local.isna()]:
            rows.append(row)
            vals.append(raw[row])
            reasons.append(f"local time does not exist or is ambiguous in {timezone} (DST change)")
    bad = present & out.isna()
    for row in bad.index[bad]:
        if row in rows:
            continue
        rows.append(row)
        vals.append(raw[row])
        reasons.append("expected an ISO 8601 timestamp such as 2026-10-03T09:15:00+02:00")
    return out, pd.DataFrame({"row": rows, "column": column, "value": vals, "reason": reasons})


def _parse_dates(raw: pd.Series, *, column: str) -> tuple[pd.Series, pd.DataFrame]:
    text = raw.astype("string").str.strip()
    present = text.notna() & (text != "")
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = present & parsed.isna()
    failures = pd.DataFrame(
        {
            "row": bad.index[bad],
            "column": column,
            "value": raw[bad].to_numpy(),
            "reason": "expected a date such as 2026-10-03",
        }
    )
    return parsed, failures


def read_template(
    source: Path | str | io.StringIO, table: str, ctx: ImportContext, *, name: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a template CSV into parsed canonical columns.

    Returns
    -------
    rows : pandas.DataFrame
        Parsed rows (bad rows removed), indexed by 1-based file line, with ``source_row``.
    failures : pandas.DataFrame
        ``row, column, value, reason`` for every cell that could not be parsed.
    """
    raw = pd.read_csv(
        source, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
    )
    raw.index = pd.RangeIndex(2, len(raw) + 2)  # line 1 is the header
    t = TABLES[table]
    parsed: dict[str, pd.Series] = {}
    failures = []
    for col in raw.columns:
        if col in _PROVENANCE:
            continue
        if col == "exported_at":
            s, f = _parse_timestamps(raw[col], column=col, timezone=ctx.timezone)
        else:
            dtype = t.column(col).dtype
            if dtype in ("Int64", "Float64"):
                s, f = parse_numbers(raw[col], column=col, integer=dtype == "Int64")
            elif dtype == "boolean":
                s, f = parse_bools(raw[col], column=col)
            elif dtype == "timestamp":
                s, f = _parse_timestamps(raw[col], column=col, timezone=ctx.timezone)
            elif dtype == "date":
                s, f = _parse_dates(raw[col], column=col)
            else:
                s, f = clean_text(raw[col]), None
        parsed[col] = s
        if f is not None and len(f):
            failures.append(f)
    df = pd.DataFrame(parsed, index=raw.index)
    if "client" in df and df["client"].notna().any():
        other = df["client"].notna() & (df["client"] != ctx.client)
        if other.any():
            failures.append(
                pd.DataFrame(
                    {
                        "row": df.index[other],
                        "column": "client",
                        "value": df.loc[other, "client"].to_numpy(),
                        "reason": f"row belongs to another client than {ctx.client!r}",
                    }
                )
            )
    df["client"] = ctx.client
    for col in ("platform", "source"):
        if col in df:
            df[col] = df[col].str.lower()
    df["source_row"] = df.index
    fails = (
        pd.concat(failures, ignore_index=True)
        if failures
        else pd.DataFrame(columns=["row", "column", "value", "reason"])
    )
    df = df.loc[~df.index.isin(fails["row"])]
    return df, fails


@register
class TemplateImporter(Importer):
    """CSV in the toolkit's own template format (canonical column names)."""

    name = "template"
    platform = None
    tables = _ORDER
    description = "CSV with the canonical column names of one table (see `kpi templates`)"
    priority = 100  # exact header match: cheap and unambiguous

    def sniff(self, head: FileHead) -> bool:
        return head.suffix == ".csv" and _table_of(_header(head)) is not None

    def read(self, path: Path, head: FileHead, ctx: ImportContext) -> ParsedFile:
        table = _table_of(_header(head))
        assert table is not None
        rows, fails = read_template(path, table, ctx)
        exported = None
        if "exported_at" in rows and rows["exported_at"].notna().any():
            exported = rows["exported_at"].max()
        elif (span := date_range_in_name(path)) is not None:
            exported = span[1].tz_localize("UTC")
        platform = None
        if "platform" in rows and rows["platform"].nunique() == 1:
            platform = str(rows["platform"].iloc[0])
        return ParsedFile(
            importer=f"template.{table}",
            platform=platform,
            tables={table: rows.drop(columns=["exported_at"], errors="ignore")},
            quarantine=fails,
            exported_at=exported,
        )
